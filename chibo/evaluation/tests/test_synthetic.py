"""The synthetic rounds on a small synthetic province, and the benchmark's naive loop and
bound checked against the one-pass statistics."""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path

import pytest

from chibo.evaluation.bench import (
    bound_query,
    fast_counts,
    naive_counts,
    run_evaluation,
    with_other_engines,
)
from chibo.evaluation.models import Grade, MemberEvaluation, Round, UnitEvaluation
from chibo.evaluation.rules import rule_set
from chibo.evaluation.seeding import six_months_before
from chibo.evaluation.synthetic import seed_synthetic_evaluation
from chibo.orgs.models import Level, Org
from chibo.people.models import Membership, MembershipStatus
from chibo.people.synthetic import ROOT_CODE, seed_synthetic

YEARS = (2024, 2025)


@pytest.mark.django_db
def test_rounds_for_every_grassroots_organisation_within_the_rules() -> None:
    with pytest.raises(ValueError, match="chibo seed"):
        seed_synthetic_evaluation(years=YEARS)
    seed_synthetic(members=2_000)
    result = seed_synthetic_evaluation(years=YEARS)
    root = Org.objects.get(code=ROOT_CODE)
    bases = Org.objects.filter(path__startswith=root.path, level=Level.BASE).count()
    assert result.created and result.rounds == 2 * bases == Round.objects.count()
    assert dict(Counter(Round.objects.values_list("year", "rule_set"))) == {
        (2024, "qd124_2023"): bases,
        (2025, "qd366_2025"): bases,
    }
    # Everyone admitted by the reference date is listed once, at their cell.
    for year in YEARS:
        reference = datetime.date(year, 12, 1)
        party = Membership.objects.filter(
            org__path__startswith=root.path, family="party", joined_on__lte=reference
        )
        rows = MemberEvaluation.objects.filter(round__year=year)
        assert rows.count() == party.count()
        assert not rows.exclude(org_id__in=party.values("org_id")).exists()
        assert not rows.filter(membership__joined_on__gt=reference).exists()
        # Exclusions: the exempt and suspended, and the newly admitted, with their rule.
        excluded = rows.exclude(excluded_rule="")
        assert not excluded.exclude(decided_grade="").exists()
        assert not rows.filter(excluded_rule="", decided_grade="").exists()
        assert not excluded.filter(
            membership__status__in=(MembershipStatus.OFFICIAL, MembershipStatus.PROBATIONARY),
            membership__joined_on__lte=six_months_before(reference) - datetime.timedelta(days=3),
        ).exists()
        assert excluded.filter(excluded_rule__contains="6 tháng").exists()
        assert excluded.filter(excluded_rule__contains="miễn").exists()
        # The quota holds in every grassroots organisation, for members and cells.
        for round_ in Round.objects.filter(year=year):
            rules = rule_set(round_.rule_set)
            grades = Counter(
                MemberEvaluation.objects.filter(round=round_).values_list(
                    "decided_grade", flat=True
                )
            )
            assert not rules.quota(dict(grades)).is_broken
            units = Counter(
                UnitEvaluation.objects.filter(round=round_, org__level=Level.BRANCH).values_list(
                    "decided_grade", flat=True
                )
            )
            assert not rules.quota(dict(units)).is_broken
        graded = rows.filter(excluded_rule="")
        good = graded.filter(decided_grade__in=(Grade.EXCELLENT, Grade.GOOD)).count()
        assert 0.93 < good / graded.count() < 0.99
        assert 0.08 < graded.filter(decided_grade=Grade.EXCELLENT).count() / graded.count() < 0.17
    # Again: nothing; with reset: the same rows.
    assert not seed_synthetic_evaluation(years=YEARS).created
    first = list(MemberEvaluation.objects.order_by("person_id", "round__year").values_list(
        "person_id", "round__year", "decided_grade"
    ))  # fmt: skip
    again = seed_synthetic_evaluation(years=YEARS, reset=True)
    assert again.members == result.members
    assert first == list(
        MemberEvaluation.objects.order_by("person_id", "round__year").values_list(
            "person_id", "round__year", "decided_grade"
        )
    )


@pytest.mark.django_db
def test_naive_loop_bound_and_one_pass_agree(tmp_path: Path) -> None:
    seed_synthetic(members=1_500)
    seed_synthetic_evaluation(years=YEARS)
    root = Org.objects.get(code=ROOT_CODE)
    naive = naive_counts(root=root, year=2025)
    assert naive == fast_counts(root=root, year=2025)
    listed, excluded, grades = naive[root.pk]
    assert listed == MemberEvaluation.objects.filter(round__year=2025).count()
    # The bound reads every row once: its per-cell counts add up to the province's.
    per_cell = bound_query(root=root, year=2025)()
    assert sum(row[2] for row in per_cell) == listed
    assert sum(row[3] for row in per_cell) == excluded
    assert sum(n for grade, n in grades.items()) == listed - excluded

    # The section keeps the other engine's last results.
    docs = tmp_path / "benchmarks.md"
    docs.write_text(
        with_other_engines("postgresql", "PG figures", path=tmp_path / "none.md"),
        encoding="utf-8",
    )
    body = with_other_engines("sqlite", "SQLite figures", path=docs)
    assert body.index("SQLite figures") < body.index("PG figures")


@pytest.mark.django_db
def test_run_evaluation_reports_the_bar_and_the_agreement() -> None:
    seed_synthetic(members=1_200)
    said: list[str] = []
    body = run_evaluation(members=1_200, repeat=1, say=said.append)
    assert "evaluation_stats_for_all" in body and "Naive per-node loop" in body
    assert "agree with it for every org" in body
    assert "the bar is met" in body
