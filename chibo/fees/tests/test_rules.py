"""Monthly rates against amounts worked out by hand from the regulations' texts."""

from __future__ import annotations

import datetime

import pytest

from chibo.fees.rules import NoRuleError, monthly_rate, qd01_2026, qd342_2010, rule_for
from chibo.fees.rules.base import (
    Area,
    FeeCategory,
    FeeFacts,
    MemberFacts,
    WageRegion,
    past_retirement_age,
    retirement_date,
    round_to,
)

D = datetime.date
YOUNG = MemberFacts(birth_date=D(1985, 4, 2), gender="female", admitted_on=D(2010, 5, 19))
OLD_MAN = MemberFacts(birth_date=D(1950, 1, 1), gender="male", admitted_on=D(1985, 5, 19))


def rate(facts: FeeFacts, month: D, member: MemberFacts = YOUNG) -> int | None:
    return monthly_rate(facts, member, month).amount


def test_the_regulation_is_chosen_by_the_month() -> None:
    assert rule_for(D(2011, 1, 1)) is qd342_2010.RULE
    assert rule_for(D(2026, 1, 31)) is qd342_2010.RULE
    assert rule_for(D(2026, 2, 1)) is qd01_2026.RULE
    assert rule_for(D(2031, 7, 1)) is qd01_2026.RULE
    with pytest.raises(NoRuleError):
        rule_for(D(2010, 12, 1))


def test_rounding_is_half_up_to_the_thousand() -> None:
    from decimal import Decimal

    assert round_to(Decimal("53500"), 1000) == 54_000
    assert round_to(Decimal("53499.99"), 1000) == 53_000
    assert round_to(Decimal("7965"), 1000) == 8_000
    assert round_to(Decimal("500"), 1000) == 1_000
    assert round_to(Decimal("499"), 1000) == 0


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        # 1% of (5,000,000 + 350,000) = 53,500 -> 54,000
        (FeeFacts(FeeCategory.SALARY, salary=5_000_000, allowances=350_000), 54_000),
        # 1% of 4,212,000 = 42,120 -> 42,000
        (FeeFacts(FeeCategory.SALARY, salary=4_212_000), 42_000),
        # an allowance alone (cán bộ không chuyên trách): 1% of 1,990,000 = 19,900 -> 20,000
        (FeeFacts(FeeCategory.SALARY, allowances=1_990_000), 20_000),
        # 0.5% of 4,500,000 = 22,500 -> 23,000
        (FeeFacts(FeeCategory.PENSION, pension=4_500_000), 23_000),
        (FeeFacts(FeeCategory.STUDENT), 3_000),
        (FeeFacts(FeeCategory.OTHER, area=Area.CENTRAL_CITY), 10_000),
        (FeeFacts(FeeCategory.OTHER, area=Area.PROVINCIAL_CITY), 8_000),
        (FeeFacts(FeeCategory.OTHER, area=Area.REMOTE), 4_000),
        (FeeFacts(FeeCategory.OTHER, area=Area.ELSEWHERE), 6_000),
    ],
)
def test_qd342_rates(facts: FeeFacts, expected: int) -> None:
    assert rate(facts, D(2024, 6, 1)) == expected


@pytest.mark.parametrize(
    ("area", "halved"),
    [
        (Area.CENTRAL_CITY, 5_000),
        (Area.PROVINCIAL_CITY, 4_000),
        (Area.REMOTE, 2_000),
        (Area.ELSEWHERE, 3_000),
    ],
)
def test_qd342_halves_the_fixed_amount_past_working_age(area: str, halved: int) -> None:
    assert rate(FeeFacts(FeeCategory.OTHER, area=area), D(2024, 6, 1), OLD_MAN) == halved
    # Salaries and pensions are percentages: age changes nothing.
    pension = FeeFacts(FeeCategory.PENSION, pension=4_500_000)
    assert rate(pension, D(2024, 6, 1), OLD_MAN) == 23_000


def test_qd342_halving_starts_the_month_after_the_retirement_age() -> None:
    # Born 10/05/1960: a man retired at 60 in 2020, on 10/05/2020.
    member = MemberFacts(birth_date=D(1960, 5, 10), gender="male")
    other = FeeFacts(FeeCategory.OTHER, area=Area.ELSEWHERE)
    assert rate(other, D(2020, 5, 1), member) == 6_000
    assert rate(other, D(2020, 6, 1), member) == 3_000


@pytest.mark.parametrize(
    ("birth", "gender", "retires"),
    [
        (D(1955, 3, 4), "male", D(2015, 3, 4)),  # 60, before the reform
        (D(1960, 11, 20), "male", D(2020, 11, 20)),
        (D(1961, 2, 1), "male", D(2021, 5, 1)),  # 60 years 3 months in 2021
        (D(1961, 10, 1), "male", D(2022, 4, 1)),  # 60y3m falls in 2022: 60y6m
        (D(1965, 6, 1), "male", D(2026, 12, 1)),  # 61 years 6 months in 2026
        (D(1970, 1, 1), "male", D(2032, 1, 1)),  # 62, from 2028 on
        (D(1965, 5, 1), "female", D(2020, 5, 1)),  # 55, before the reform
        (D(1966, 1, 1), "female", D(2021, 5, 1)),  # 55 years 4 months in 2021
        (D(1966, 9, 15), "female", D(2022, 5, 15)),  # 55y4m falls in 2022: 55y8m
        (D(1970, 1, 1), "female", D(2027, 5, 1)),  # 57 years 4 months in 2027
        (D(1985, 4, 2), "female", D(2045, 4, 2)),  # 60, from 2035 on
        (D(1970, 1, 1), "", D(2032, 1, 1)),  # unknown gender: the later (men's) age
    ],
)
def test_retirement_age_follows_the_2019_labour_code(birth: D, gender: str, retires: D) -> None:
    assert retirement_date(birth, gender) == retires


def test_no_birth_date_means_not_past_retirement_age() -> None:
    assert not past_retirement_age(MemberFacts(), D(2026, 6, 1))


@pytest.mark.parametrize(
    ("facts", "month", "member", "expected"),
    [
        # 1% of 7,520,000 = 75,200 -> 75,000
        (FeeFacts(FeeCategory.SALARY, salary=7_020_000, allowances=500_000), D(2026, 3, 1),
         YOUNG, 75_000),
        # 1% of a 5,000,000 maternity benefit
        (FeeFacts(FeeCategory.SICKNESS, benefit=5_000_000), D(2026, 3, 1), YOUNG, 50_000),
        # 0.5% of 6,250,000 = 31,250 -> 31,000
        (FeeFacts(FeeCategory.PENSION, pension=6_250_000), D(2026, 3, 1), OLD_MAN, 31_000),
        (FeeFacts(FeeCategory.STUDENT), D(2026, 3, 1), YOUNG, 5_000),
        # 0.3% of 5,310,000 (vùng I) = 15,930 -> 16,000
        (FeeFacts(FeeCategory.OTHER, wage_region=WageRegion.I), D(2026, 3, 1), YOUNG, 16_000),
        # 0.3% of 4,730,000 (vùng II) = 14,190 -> 14,000
        (FeeFacts(FeeCategory.OTHER, wage_region=WageRegion.II), D(2026, 3, 1), YOUNG, 14_000),
        # 0.3% of 3,700,000 (vùng IV) = 11,100 -> 11,000
        (FeeFacts(FeeCategory.OTHER, wage_region=WageRegion.IV), D(2026, 3, 1), YOUNG, 11_000),
        # from the retirement age: 0.2% of 4,140,000 (vùng III) = 8,280 -> 8,000
        (FeeFacts(FeeCategory.OTHER, wage_region=WageRegion.III), D(2026, 3, 1), OLD_MAN,
         8_000),
        # from 2028: 0.5% of 5,310,000 = 26,550 -> 27,000
        (FeeFacts(FeeCategory.OTHER, wage_region=WageRegion.I), D(2028, 1, 1), YOUNG, 27_000),
        # from 2028, retired: 0.3% of 5,310,000 = 15,930 -> 16,000
        (FeeFacts(FeeCategory.OTHER, wage_region=WageRegion.I), D(2028, 1, 1), OLD_MAN,
         16_000),
    ],
)  # fmt: skip
def test_qd01_rates(facts: FeeFacts, month: D, member: MemberFacts, expected: int) -> None:
    assert rate(facts, month, member) == expected


def test_qd01_exempts_fifty_years_of_party_age() -> None:
    member = MemberFacts(birth_date=D(1950, 1, 1), gender="male", admitted_on=D(1976, 3, 10))
    pension = FeeFacts(FeeCategory.PENSION, pension=6_000_000)
    assert rate(pension, D(2026, 3, 1), member) == 30_000
    exempt = monthly_rate(pension, member, D(2026, 4, 1))
    assert exempt.amount == 0 and exempt.exempt
    # 342 knew no such exemption.
    assert rate(pension, D(2026, 1, 1), member) == 30_000


def test_relief_reduces_for_its_months_only() -> None:
    facts = FeeFacts(
        FeeCategory.OTHER, wage_region=WageRegion.I, relief_percent=50, relief_until=D(2026, 6, 1)
    )
    # 50% of 15,930 = 7,965 -> 8,000 (rounded after the reduction)
    assert rate(facts, D(2026, 6, 1)) == 8_000
    assert rate(facts, D(2026, 7, 1)) == 16_000
    exempt = FeeFacts(FeeCategory.STUDENT, relief_percent=100, relief_until=D(2026, 6, 1))
    assert monthly_rate(exempt, YOUNG, D(2026, 5, 1)).exempt
    assert rate(exempt, D(2026, 7, 1)) == 5_000


def test_a_voluntary_amount_counts_only_when_higher() -> None:
    assert rate(FeeFacts(FeeCategory.STUDENT, voluntary=20_000), D(2026, 3, 1)) == 20_000
    salary = FeeFacts(FeeCategory.SALARY, salary=7_000_000, voluntary=20_000)
    assert rate(salary, D(2026, 3, 1)) == 70_000


def test_missing_facts_give_no_amount_and_say_why() -> None:
    # Recorded under 342 with an area only: 01-QĐ/TW needs the wage region.
    facts = FeeFacts(FeeCategory.OTHER, area=Area.ELSEWHERE)
    assert rate(facts, D(2026, 1, 1)) == 6_000
    later = monthly_rate(facts, YOUNG, D(2026, 2, 1))
    assert later.amount is None
    assert "vùng lương tối thiểu" in later.problem
    assert monthly_rate(FeeFacts(FeeCategory.SALARY), YOUNG, D(2026, 3, 1)).amount is None


def test_each_regulation_checks_its_own_categories() -> None:
    sick = FeeFacts(FeeCategory.SICKNESS, benefit=5_000_000)
    assert "category" in qd342_2010.RULE.check(sick, valid_from=D(2025, 1, 1))
    assert qd01_2026.RULE.check(sick, valid_from=D(2026, 3, 1)) == {}


def test_qd01_relief_lasts_twelve_months_at_most() -> None:
    facts = FeeFacts(FeeCategory.STUDENT, relief_percent=30, relief_until=D(2027, 3, 1))
    errors = qd01_2026.RULE.check(facts, valid_from=D(2026, 3, 1))
    assert "12 tháng" in errors["relief_until"]
    ok = FeeFacts(FeeCategory.STUDENT, relief_percent=30, relief_until=D(2027, 2, 1))
    assert qd01_2026.RULE.check(ok, valid_from=D(2026, 3, 1)) == {}
    assert "relief_until" in qd01_2026.RULE.check(
        FeeFacts(FeeCategory.STUDENT, relief_percent=30), valid_from=D(2026, 3, 1)
    )
    assert "relief_percent" in qd01_2026.RULE.check(
        FeeFacts(FeeCategory.STUDENT, relief_percent=40, relief_until=D(2026, 5, 1)),
        valid_from=D(2026, 3, 1),
    )
