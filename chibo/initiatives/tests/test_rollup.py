"""Roll-ups against figures computed by hand: results entered in kg, tấn and yến, money in
đồng and triệu đồng, a voided entry, an entry of the year before, and a cell merged into
its sibling in the middle of the year."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chibo.initiatives.measure import number_text, total_text
from chibo.initiatives.models import Indicator, MeasureUnit
from chibo.initiatives.selectors import fund_totals, indicator_progress, rollup, rollup_totals
from chibo.initiatives.services import (
    FundData,
    IndicatorData,
    InitiativeData,
    catalogue_ensure,
    fund_contribute,
    fund_payout,
    initiative_register,
    result_entry_void,
    result_record,
)
from chibo.orgs import divisions
from chibo.orgs.models import Family, Level, OrgStatus
from chibo.orgs.restructuring import org_merge
from chibo.orgs.services import org_create
from chibo.people.models import MembershipStatus
from chibo.people.services import PersonData, membership_create, person_create

YEAR = 2025
TODAY = datetime.date(YEAR, 12, 31)
MERGER = datetime.date(YEAR, 7, 1)
PROVINCE = divisions.ward_province(5830)


def day(month: int, dd: int = 1, year: int = YEAR) -> datetime.date:
    return datetime.date(year, month, dd)


def _member(name: str, org: Any) -> Any:
    person = person_create(data=PersonData(full_name=name), org_id=org.pk)
    membership_create(
        person=person,
        org=org,
        status=MembershipStatus.OFFICIAL,
        joined_on=datetime.date(2005, 1, 1),
        started_on=day(1, 1, 2020),
    )
    return person


@pytest.fixture
def tree(db: None) -> dict[str, Any]:
    catalogue_ensure()
    province = org_create(
        parent=None, code="R-P", name="Đảng bộ tỉnh Thử", family=Family.PARTY,
        level=Level.PROVINCE,
    )  # fmt: skip
    commune = org_create(
        parent=province, code="R-C", name="Đảng bộ xã Thử", family=Family.PARTY,
        level=Level.BASE, ward_code=5830, province_code=PROVINCE,
    )  # fmt: skip
    cells = {
        code: org_create(
            parent=commune,
            code=code,
            name=name,
            family=Family.PARTY,
            level=Level.BRANCH,
            ward_code=5830,
            province_code=PROVINCE,
            hamlet=hamlet,
        )
        for code, name, hamlet in (
            ("R-A", "Chi bộ xóm Đồng", "Xóm Đồng"),
            ("R-B", "Chi bộ xóm Bãi", "Xóm Bãi"),
        )
    }
    people = {code: _member(f"Nguyễn Văn {code[-1]}", org) for code, org in cells.items()}
    return {"province": province, "commune": commune, **cells, "people": people}


def _register(org: Any, title: str, indicators: list[IndicatorData], **extra: Any) -> Any:
    return initiative_register(
        org=org,
        data=InitiativeData(
            kind=extra.pop("kind", "model"),
            title=title,
            tasks="Góp gạo\nTặng gạo hộ nghèo",
            starts_on=day(1, 1, YEAR - 1),
            ward_code=5830,
            hamlet=org.hamlet,
            indicators=indicators,
            **extra,
        ),
        today=TODAY,
    )


def _indicator(initiative: Any, kind: str) -> Indicator:
    return Indicator.objects.get(initiative=initiative, kind__code=kind)


@pytest.fixture
def results(tree: dict[str, Any]) -> dict[str, Any]:
    """Cell A: rice 450 kg + 0,5 tấn + 2 yến = 970 kg (and 100 kg voided, 300 kg the year
    before); 3 households; 1,5 triệu đồng. Cell B: rice 1.030 kg; 4 households;
    250.000 đồng. Commune: 2.000 kg = 2 tấn, 7 households, 1.750.000 đồng."""
    a = _register(
        tree["R-A"],
        "Hũ gạo tình thương",
        [
            IndicatorData(kind="tiet-kiem-gao", unit="tan", target=Decimal("1.5")),
            IndicatorData(kind="ho-duoc-ho-tro", unit="ho", target=Decimal(5)),
            IndicatorData(kind="tiet-kiem-tien", unit="trieu-dong"),
        ],
    )
    b = _register(
        tree["R-B"],
        "Tiết kiệm gạo giúp hộ nghèo",
        [
            IndicatorData(kind="tiet-kiem-gao", unit="kg", target=Decimal(1000)),
            IndicatorData(kind="ho-duoc-ho-tro", unit="ho"),
            IndicatorData(kind="tiet-kiem-tien", unit="dong"),
        ],
    )
    rice_a, rice_b = _indicator(a, "tiet-kiem-gao"), _indicator(b, "tiet-kiem-gao")
    for on, quantity, unit in (
        (day(3), Decimal(450), "kg"),
        (day(4), Decimal("0.5"), ""),  # in the indicator's own unit: tấn
        (day(5), Decimal(2), "yen"),
        (day(6, 1, YEAR - 1), Decimal(300), "kg"),  # the year before
    ):
        result_record(indicator=rice_a, on=on, quantity=quantity, unit=unit, today=TODAY)
    mistake = result_record(indicator=rice_a, on=day(6), quantity=Decimal(100), unit="kg",
                            today=TODAY)  # fmt: skip
    result_entry_void(entry=mistake, reason="Ghi nhầm")
    result_record(indicator=rice_b, on=day(8), quantity=Decimal(1030), today=TODAY)
    result_record(indicator=_indicator(a, "ho-duoc-ho-tro"), on=day(9), quantity=Decimal(3),
                  today=TODAY)  # fmt: skip
    result_record(indicator=_indicator(b, "ho-duoc-ho-tro"), on=day(9), quantity=Decimal(4),
                  today=TODAY)  # fmt: skip
    result_record(indicator=_indicator(a, "tiet-kiem-tien"), on=day(10),
                  quantity=Decimal("1.5"), today=TODAY)  # fmt: skip
    result_record(indicator=_indicator(b, "tiet-kiem-tien"), on=day(10),
                  quantity=Decimal(250_000), today=TODAY)  # fmt: skip
    return {"a": a, "b": b}


def _totals(rows: list[Any]) -> dict[str, tuple[Decimal, str]]:
    return {row.kind.code: (row.base_total, row.text) for row in rows}


def test_totals_by_kind_convert_units_and_leave_out_voided_and_other_years(tree, results):
    totals = _totals(rollup_totals(org=tree["commune"], year=YEAR))
    assert totals["tiet-kiem-gao"] == (Decimal(2000), "2 tấn")
    assert totals["ho-duoc-ho-tro"] == (Decimal(7), "7 hộ")
    assert totals["tiet-kiem-tien"] == (Decimal(1_750_000), "1,75 triệu đ")
    # The province above sees the same; the year before holds only its 300 kg.
    assert _totals(rollup_totals(org=tree["province"], year=YEAR)) == totals
    before = _totals(rollup_totals(org=tree["commune"], year=YEAR - 1))
    assert before == {"tiet-kiem-gao": (Decimal(300), "300 kg")}


def test_children_and_progress(tree, results):
    result = rollup(org=tree["commune"], year=YEAR)
    rice = next(t for t in result.kinds if t.kind.code == "tiet-kiem-gao")
    children = {child.org.code: child for child in result.children}
    assert children["R-A"].totals[rice.kind.pk] == "970 kg"
    assert children["R-B"].totals[rice.kind.pk] == "1,03 tấn"
    assert children["R-A"].initiatives == children["R-B"].initiatives == 1
    assert result.initiatives == 2 and result.by_kind == {"model": 2}
    progress = {p.indicator.kind.code: p for p in indicator_progress(initiative=results["a"])}
    # 970 kg this year + 300 kg the year before = 1,27 tấn of 1,5: 84 %.
    assert progress["tiet-kiem-gao"].done == Decimal("1.27")
    assert progress["tiet-kiem-gao"].percent == 84
    assert progress["tiet-kiem-tien"].percent is None


def test_a_cell_merged_during_the_year_takes_its_results_along(tree, results):
    org_merge(source=tree["R-B"], target=tree["R-A"], on=MERGER)
    totals = _totals(rollup_totals(org=tree["commune"], year=YEAR))
    assert totals["tiet-kiem-gao"] == (Decimal(2000), "2 tấn")
    assert _totals(rollup_totals(org=tree["R-A"], year=YEAR))["tiet-kiem-gao"][1] == "2 tấn"
    result = rollup(org=tree["commune"], year=YEAR)
    assert [child.org.code for child in result.children] == ["R-A"]
    tree["R-B"].refresh_from_db()
    assert tree["R-B"].status == OrgStatus.MERGED
    assert rollup_totals(org=tree["R-B"], year=YEAR) == []


def test_a_cell_merged_into_another_commune_moves_its_results_there(tree, results):
    other = org_create(
        parent=tree["province"], code="R-C2", name="Đảng bộ xã Khác", family=Family.PARTY,
        level=Level.BASE,
    )  # fmt: skip
    target = org_create(
        parent=other, code="R-D", name="Chi bộ xóm Khác", family=Family.PARTY,
        level=Level.BRANCH,
    )  # fmt: skip
    org_merge(source=tree["R-B"], target=target, on=MERGER)
    assert _totals(rollup_totals(org=tree["commune"], year=YEAR))["tiet-kiem-gao"][0] == 970
    assert _totals(rollup_totals(org=other, year=YEAR))["tiet-kiem-gao"][0] == 1030
    province = _totals(rollup_totals(org=tree["province"], year=YEAR))
    assert province["tiet-kiem-gao"] == (Decimal(2000), "2 tấn")


def test_the_rollup_is_one_grouped_query_whatever_the_rows(tree, results):
    with CaptureQueriesContext(connection) as few:
        rollup_totals(org=tree["province"], year=YEAR)
    rice = _indicator(results["b"], "tiet-kiem-gao")
    for month in range(1, 13):
        result_record(indicator=rice, on=day(month, 15), quantity=Decimal(10), today=TODAY)
    with CaptureQueriesContext(connection) as many:
        totals = _totals(rollup_totals(org=tree["province"], year=YEAR))
    assert totals["tiet-kiem-gao"][0] == 2120
    assert len(few) == len(many) <= 3
    grouped = [q["sql"] for q in many.captured_queries if "GROUP BY" in q["sql"]]
    assert len(grouped) == 1 and "SUM" in grouped[0]
    with CaptureQueriesContext(connection) as children:
        rollup(org=tree["province"], year=YEAR)
    assert len(children) <= 6


def test_fund_totals_over_the_subtree(tree):
    jar = _register(
        tree["R-A"],
        "Hũ gạo tình thương",
        [IndicatorData(kind="tiet-kiem-gao", unit="kg")],
        kind="savings",
        fund=FundData(unit="dong", in_kind_unit="kg", in_kind_rate=Decimal(15_000)),
    )
    person = tree["people"]["R-A"]
    fund_contribute(fund=jar.fund, person_ids=[person.pk], on=day(3), quantity=Decimal(2),
                    unit="kg", today=TODAY)  # fmt: skip
    fund_payout(fund=jar.fund, beneficiary="Hộ bà Lụa", on=day(4), amount=Decimal(10_000),
                reason="Ốm đau", today=TODAY)  # fmt: skip
    totals = fund_totals(org=tree["province"], year=YEAR)
    assert (totals.funds, totals.contributed, totals.paid, totals.payouts) == (
        1, Decimal(30_000), Decimal(10_000), 1,
    )  # fmt: skip
    assert totals.balance == Decimal(20_000)


def test_totals_read_well(db):
    catalogue_ensure()
    mass = list(MeasureUnit.objects.filter(dimension="mass"))
    money = list(MeasureUnit.objects.filter(dimension="money"))
    energy = list(MeasureUnit.objects.filter(dimension="energy"))
    assert total_text(Decimal(45_000), mass) == "45 tấn"
    assert total_text(Decimal(900), mass) == "900 kg"
    assert total_text(Decimal(300_000_000), money) == "300 triệu đ"
    assert total_text(Decimal(65_000), money) == "65.000 đ"
    # The seed articles write 81.402 kW(h), not MWh.
    assert total_text(Decimal(81_402), energy) == "81.402 kWh"
    assert number_text(Decimal("1234567.5")) == "1.234.567,5"
