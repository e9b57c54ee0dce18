"""Quy định 124-QĐ/TW (rounds 2023-2024) against cases worked out by hand from the texts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from chibo.evaluation.models import Grade
from chibo.evaluation.rules import qd124_2023
from chibo.evaluation.rules.base import MemberFacts
from chibo.evaluation.rules.common import add_months, has_full_months

RULES = qd124_2023.RULES
REFERENCE = date(2024, 12, 15)


def facts(
    *,
    status: str = "official",
    admitted_on: date | None = date(2010, 5, 19),
    sick_leave_months: int = 0,
    disciplined: bool = False,
    remedied: bool = False,
) -> MemberFacts:
    return MemberFacts(
        membership_status=status,
        admitted_on=admitted_on,
        sick_leave_months=sick_leave_months,
        disciplined_in_year=disciplined,
        discipline_self_remedied=remedied,
    )


def test_the_regulation_is_not_scored_and_governs_2023_and_2024() -> None:
    assert RULES.code == "qd124_2023"
    assert (RULES.first_year, RULES.last_year) == (2023, 2024)
    assert RULES.scored is False
    assert all(criterion.max_points is None for criterion in RULES.member_criteria)
    assert RULES.member_grades() == (Grade.EXCELLENT, Grade.GOOD, Grade.PASS, Grade.FAIL)
    with pytest.raises(NotImplementedError):
        RULES.grade_for_score(Decimal("95"))


def test_criteria_have_unique_codes_and_titles() -> None:
    for criteria in (RULES.member_criteria, RULES.unit_criteria):
        codes = [criterion.code for criterion in criteria]
        assert len(codes) == len(set(codes)) >= 4
        assert all(str(criterion.title) for criterion in criteria)


def test_an_official_member_of_long_standing_is_graded_without_cap() -> None:
    assert RULES.member_exclusion(facts(), reference_date=REFERENCE) is None
    assert RULES.member_cap(facts()) is None
    assert RULES.grade_allowed(Grade.EXCELLENT, None)


def test_a_probationary_member_is_graded() -> None:
    member = facts(status="probationary", admitted_on=date(2024, 3, 1))
    assert RULES.member_exclusion(member, reference_date=REFERENCE) is None


def test_exempt_and_suspended_members_are_listed_but_not_graded() -> None:
    exempt = RULES.member_exclusion(facts(status="exempt"), reference_date=REFERENCE)
    suspended = RULES.member_exclusion(facts(status="suspended"), reference_date=REFERENCE)
    assert exempt is not None and exempt.code == "exempt" and exempt.highest_grade is None
    assert "miễn công tác" in str(exempt.reason)
    assert suspended is not None and suspended.code == "suspended"
    assert "đình chỉ" in str(suspended.reason)


def test_a_membership_no_longer_active_is_not_graded() -> None:
    gone = RULES.member_exclusion(facts(status="transferred_out"), reference_date=REFERENCE)
    assert gone is not None and gone.code == "not_active"


def test_admitted_five_months_29_days_before_is_excluded_six_months_is_graded() -> None:
    # 15 December 2024 - 6 months = 15 June 2024.
    too_new = facts(status="probationary", admitted_on=date(2024, 6, 16))
    six_months = facts(status="probationary", admitted_on=date(2024, 6, 15))
    excluded = RULES.member_exclusion(too_new, reference_date=REFERENCE)
    assert excluded is not None and excluded.code == "new_member"
    assert "6 tháng" in str(excluded.reason)
    assert RULES.member_exclusion(six_months, reference_date=REFERENCE) is None


def test_six_months_from_the_31st_end_on_the_last_day_of_a_shorter_month() -> None:
    # Admitted 31 May: six months are complete on 30 November (there is no 31 November).
    member = facts(status="probationary", admitted_on=date(2024, 5, 31))
    assert RULES.member_exclusion(member, reference_date=date(2024, 11, 30)) is None
    excluded = RULES.member_exclusion(member, reference_date=date(2024, 11, 29))
    assert excluded is not None and excluded.code == "new_member"
    # Admitted 31 August: six months are complete on the last day of February.
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert has_full_months(date(2024, 8, 31), date(2025, 2, 28), 6)
    assert not has_full_months(date(2024, 8, 31), date(2025, 2, 27), 6)
    # Across the year and backwards.
    assert add_months(date(2024, 12, 31), 2) == date(2025, 2, 28)
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)


def test_a_member_without_an_admission_date_is_graded() -> None:
    assert RULES.member_exclusion(facts(admitted_on=None), reference_date=REFERENCE) is None


def test_sick_leave_of_three_months_caps_below_good_two_months_does_not() -> None:
    cap = RULES.member_cap(facts(sick_leave_months=3))
    assert cap is not None and cap.code == "sick_leave" and cap.highest_grade == Grade.PASS
    assert not RULES.grade_allowed(Grade.GOOD, cap)
    assert not RULES.grade_allowed(Grade.EXCELLENT, cap)
    assert RULES.grade_allowed(Grade.PASS, cap)
    assert RULES.grade_allowed(Grade.FAIL, cap)
    assert RULES.member_cap(facts(sick_leave_months=2)) is None


def test_discipline_in_the_year_fails_the_member_unless_self_detected_and_remedied() -> None:
    cap = RULES.member_cap(facts(disciplined=True))
    assert cap is not None and cap.code == "discipline" and cap.highest_grade == Grade.FAIL
    assert "Điều 12" in str(cap.reason)
    assert not RULES.grade_allowed(Grade.PASS, cap)
    assert RULES.grade_allowed(Grade.FAIL, cap)
    remedied = RULES.member_cap(facts(disciplined=True, remedied=True))
    assert remedied is not None and remedied.highest_grade == Grade.GOOD
    assert RULES.grade_allowed(Grade.GOOD, remedied)
    assert not RULES.grade_allowed(Grade.EXCELLENT, remedied)


def test_the_stricter_cap_wins() -> None:
    both = RULES.member_cap(facts(sick_leave_months=4, disciplined=True))
    assert both is not None and both.highest_grade == Grade.FAIL
    sick_and_remedied = RULES.member_cap(
        facts(sick_leave_months=4, disciplined=True, remedied=True)
    )
    assert sick_and_remedied is not None and sick_and_remedied.highest_grade == Grade.PASS


def test_a_mass_organisation_grade_is_not_a_member_grade() -> None:
    assert not RULES.grade_allowed(Grade.STRONG, None)


@pytest.mark.parametrize(
    ("good", "excellent", "allowed", "broken"),
    [
        (10, 2, 2, False),  # exactly 20%
        (10, 3, 2, True),
        (7, 1, 1, False),  # 1.4 -> 1
        (7, 2, 1, True),
        (4, 1, 0, True),  # 0.8 -> 0: a cell of four good members has no excellent place
        (5, 1, 1, False),
        (0, 0, 0, False),
    ],
)
def test_excellent_quota_is_twenty_percent_of_those_graded_good(
    good: int, excellent: int, allowed: int, broken: bool
) -> None:
    check = RULES.quota({Grade.GOOD: good, Grade.EXCELLENT: excellent, Grade.PASS: 5})
    assert check.base == good
    assert check.allowed == allowed
    assert check.excellent == excellent
    assert check.is_broken is broken
    assert check.headroom == allowed - excellent


def test_quota_ignores_grades_outside_its_base() -> None:
    check = RULES.quota({Grade.PASS: 40, Grade.FAIL: 3})
    assert (check.base, check.allowed, check.excellent) == (0, 0, 0)


def test_party_units_take_the_four_grades_mass_organisation_units_their_scale() -> None:
    assert RULES.unit_grades(family="party") == RULES.member_grades()
    assert RULES.unit_grades(family="women") == (
        Grade.STRONG,
        Grade.FAIR,
        Grade.AVERAGE,
        Grade.WEAK,
    )
    assert RULES.unit_grade_allowed(Grade.STRONG, family="women")
    assert not RULES.unit_grade_allowed(Grade.EXCELLENT, family="women")
    assert not RULES.unit_grade_allowed(Grade.STRONG, family="party")
    assert RULES.unit_criteria_for(family="party") == RULES.unit_criteria
    assert RULES.unit_criteria_for(family="women") != RULES.unit_criteria
