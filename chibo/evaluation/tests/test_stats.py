"""The figures against the hand-counted rounds of stats_data, for one node and for all."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from chibo.evaluation.models import Grade
from chibo.evaluation.stats import (
    Figures,
    clean_year,
    evaluation_stats,
    evaluation_stats_for_all,
)
from chibo.evaluation.tests.stats_data import StatsData, make_stats_data
from chibo.orgs.models import Org
from chibo.orgs.restructuring import org_merge
from chibo.orgs.services import org_move


@pytest.fixture
def data(demo: Any) -> StatsData:
    return make_stats_data()


def org(code: str) -> Org:
    return Org.objects.get(code=code)


def test_the_commune_figures_match_the_hand_count(data: StatsData) -> None:
    stats = evaluation_stats(org=org("DU-DT"), year=2024)
    members = stats.current.members
    assert (members.listed, members.excluded, members.graded, members.pending) == (15, 1, 14, 0)
    assert {g: members.count(g) for g in members.grades} == {
        Grade.EXCELLENT: 3, Grade.GOOD: 9, Grade.PASS: 1, Grade.FAIL: 1,
    }  # fmt: skip
    assert members.good_or_above == 12
    assert members.good_or_above_percent == 85.71
    assert members.share(Grade.EXCELLENT) == 21.43
    assert members.share(Grade.FAIL) == 7.14
    units = stats.current.party_units
    assert (units.listed, units.graded) == (4, 4)
    assert units.count(Grade.EXCELLENT) == 1 and units.count(Grade.GOOD) == 2
    assert units.good_or_above_percent == 75.0
    assert stats.current.mass_units.listed == 0
    assert not stats.provisional and stats.has_round
    assert [r.pk for r in stats.rounds] == [data.round_2024.pk]
    assert stats.unit_grades[stats.org.pk] == "Hoàn thành tốt nhiệm vụ"
    assert stats.unit_grades[org("DU-DT-CB01").pk] == "Hoàn thành xuất sắc nhiệm vụ"


def test_children_are_counted_apart(data: StatsData) -> None:
    stats = evaluation_stats(org=org("DU-DT"), year=2024)
    by_code = {child.org.code: child.figures for child in stats.children}
    assert len(by_code) == 18  # every active cell, the empty ones too
    cb01 = by_code["DU-DT-CB01"].members
    assert (cb01.listed, cb01.excluded, cb01.graded, cb01.good_or_above) == (10, 1, 9, 8)
    assert cb01.good_or_above_percent == 88.89
    cb02 = by_code["DU-DT-CB02"].members
    assert (cb02.listed, cb02.graded, cb02.good_or_above_percent) == (5, 5, 80.0)
    assert by_code["DU-DT-CB03"].members.listed == 0
    assert by_code["DU-DT-CB03"].party_units.count(Grade.PASS) == 1
    # The commune's own unit evaluation counts for the commune, for no child.
    assert sum(c.figures.party_units.listed for c in stats.children) == 3


def test_an_open_round_is_provisional_and_named(data: StatsData) -> None:
    stats = evaluation_stats(org=org("DU-DT-CB01"), year=2025)
    assert stats.provisional and stats.current.provisional
    assert [r.org.code for r in stats.open_rounds] == ["DU-DT"]
    members = stats.current.members
    assert (members.listed, members.graded, members.pending) == (5, 1, 4)
    assert members.good_or_above_percent == 100.0
    # The finalised year before is final, and shows in the year-over-year table.
    history = {f.year: f for f in stats.history}
    assert sorted(history) == [2021, 2022, 2023, 2024, 2025]
    assert not history[2024].provisional and history[2024].members.listed == 10
    assert history[2025].provisional
    assert history[2023].members.listed == 0


def test_the_province_rolls_up_both_years(data: StatsData) -> None:
    stats = evaluation_stats(org=org("TU-TN"), year=2025)
    history = {f.year: f for f in stats.history}
    assert history[2024].members.listed == 15
    assert history[2024].members.good_or_above_percent == 85.71
    assert history[2025].members.listed == 5 and history[2025].provisional
    children = {child.org.code: child.figures for child in stats.children}
    assert children["DU-DT"].members.listed == 5
    assert children["DBK-TN"].members.listed == 0


def test_mass_organisation_units_on_their_scale(data: StatsData) -> None:
    stats = evaluation_stats(org=org("HLHPN-TN"), year=2024)
    scale = stats.current.mass_units
    assert (scale.listed, scale.graded) == (3, 3)
    assert [(g, c) for g, _label, c, _p in scale.rows] == [
        (Grade.STRONG, 1), (Grade.FAIR, 1), (Grade.AVERAGE, 0), (Grade.WEAK, 1),
    ]  # fmt: skip
    assert scale.share(Grade.STRONG) == 33.33
    assert scale.good_or_above == 0  # the scale has no "good or above"
    assert stats.current.party_units.listed == 0 and stats.current.members.listed == 0


def test_a_node_with_no_round(data: StatsData) -> None:
    stats = evaluation_stats(org=org("DU-HLHPN"), year=2024)
    assert not stats.has_round and not stats.current.has_rows and not stats.provisional
    assert stats.current.members.good_or_above_percent is None
    assert stats.current.members.share(Grade.GOOD) is None


def test_the_round_above_covers_a_cell(data: StatsData) -> None:
    stats = evaluation_stats(org=org("DU-DT-CB02"), year=2024)
    assert [r.org.code for r in stats.rounds] == ["DU-DT"]
    assert stats.current.members.listed == 5
    assert stats.children == []


def test_a_merged_cell_keeps_its_figures_under_its_parent(data: StatsData) -> None:
    before = evaluation_stats(org=org("DU-DT"), year=2024).current.as_dict()
    # Into a cell with no unit evaluation that year: the records move with the members.
    org_merge(source=org("DU-DT-CB02"), target=org("DU-DT-CB04"), on=datetime.date(2025, 3, 1))
    after = evaluation_stats(org=org("DU-DT"), year=2024)
    assert after.current.as_dict() == before
    province = evaluation_stats(org=org("TU-TN"), year=2024).current
    assert province.members.listed == 15


def _same(left: Figures, right: Figures) -> bool:
    return left.as_dict() == right.as_dict()


@pytest.mark.parametrize("year", [2024, 2025])
def test_for_all_equals_per_node(data: StatsData, year: int) -> None:
    every = evaluation_stats_for_all(year=year)
    orgs = list(Org.objects.all())
    for node in orgs:
        one = evaluation_stats(org=node, year=year).current
        found = every.get(node.pk, Figures(year=year))
        if not one.has_rows:
            assert node.pk not in every, node.code
            continue
        assert _same(found, one), node.code
    assert every[org("TU-TN").pk].members.listed == (15 if year == 2024 else 5)


def test_for_all_within_a_root(data: StatsData) -> None:
    within = evaluation_stats_for_all(year=2024, root=org("DU-DT"))
    codes = set(Org.objects.filter(pk__in=within).values_list("code", flat=True))
    assert codes == {"DU-DT", "DU-DT-CB01", "DU-DT-CB02", "DU-DT-CB03"}
    assert within[org("DU-DT").pk].members.good_or_above_percent == 85.71
    assert evaluation_stats_for_all(year=2019) == {}


def test_queries_do_not_grow_with_the_tree(
    data: StatsData, django_assert_max_num_queries: Any
) -> None:
    province = org("TU-TN")
    with django_assert_max_num_queries(5):
        evaluation_stats(org=province, year=2024)
    with django_assert_max_num_queries(4):
        evaluation_stats_for_all(year=2024)
    with django_assert_max_num_queries(4):
        evaluation_stats_for_all(year=2024, root=province)


def test_year_is_checked_in_vietnamese() -> None:
    today = datetime.date(2026, 1, 10)
    assert clean_year("", today) == 2025
    assert clean_year("2024", today) == 2024
    with pytest.raises(ValidationError) as error:
        clean_year("hai nghìn", today)
    assert "Năm “hai nghìn” không hợp lệ" in error.value.message_dict["year"][0]
    with pytest.raises(ValidationError):
        clean_year("2028", today)


def test_a_cell_moved_to_another_committee_counts_under_its_new_place(data: StatsData) -> None:
    # CB02's rows stay in the commune's round of 2024, held by DU-DT, which no longer
    # holds the cell: they count under DBK-TN now, and the per-root figures must say so.
    org_move(org=org("DU-DT-CB02"), new_parent=org("DBK-TN"))
    for root_code in ("DBK-TN", "DU-DT", "TU-TN"):
        within = evaluation_stats_for_all(year=2024, root=org(root_code))
        for node in Org.objects.filter(path__startswith=org(root_code).path):
            one = evaluation_stats(org=node, year=2024).current
            assert _same(within.get(node.pk, Figures(year=2024)), one), node.code
    assert (
        evaluation_stats_for_all(year=2024, root=org("DBK-TN"))[org("DBK-TN").pk].members.listed
        == 5
    )
