"""Quy định 366-QĐ/TW (rounds from 2025): the 100-point sheet, its bands and the task
conditions, against cases worked out by hand from Điều 11."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from chibo.evaluation.models import Grade
from chibo.evaluation.rules import qd366_2025
from chibo.evaluation.rules.base import MemberFacts, TaskResults

RULES = qd366_2025.RULES
REFERENCE = date(2025, 12, 31)
D = Decimal
# Ten tasks, all on time, three beyond the requirement: meets every grade's conditions.
ALL_DONE = TaskResults(assigned=10, completed=10, on_time=10, exceeded=3)


def test_members_are_scored_on_criteria_summing_to_100() -> None:
    assert RULES.scored is True
    assert (RULES.first_year, RULES.last_year) == (2025, None)
    points = [criterion.max_points for criterion in RULES.member_criteria]
    assert all(p is not None and p > 0 for p in points)
    assert sum(p for p in points if p is not None) == D("100")
    unit_points = [criterion.max_points for criterion in RULES.unit_criteria]
    assert sum(p for p in unit_points if p is not None) == D("100")


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("100", Grade.EXCELLENT),
        ("90", Grade.EXCELLENT),
        ("90.00", Grade.EXCELLENT),
        ("89.99", Grade.GOOD),
        ("70", Grade.GOOD),
        ("69.99", Grade.PASS),
        ("50", Grade.PASS),
        ("49.99", Grade.FAIL),
        ("0", Grade.FAIL),
    ],
)
def test_score_bands(score: str, grade: Grade) -> None:
    assert RULES.grade_for_score(D(score)) == grade
    assert RULES.grade_for_score_and_conditions(D(score), ALL_DONE) == grade


@pytest.mark.parametrize("score", [D("-0.01"), D("100.01"), D("NaN")])
def test_a_score_outside_the_sheet_is_refused(score: Decimal) -> None:
    with pytest.raises(ValueError):
        RULES.grade_for_score(score)


def test_a_float_is_refused_so_no_binary_rounding_decides_a_grade() -> None:
    with pytest.raises(ValueError):
        RULES.grade_for_score(89.99)  # type: ignore[arg-type]


def test_excellent_needs_thirty_percent_of_tasks_beyond_the_requirement() -> None:
    two_of_ten = TaskResults(assigned=10, completed=10, on_time=10, exceeded=2)
    assert RULES.grade_for_score_and_conditions(D("95"), two_of_ten) == Grade.GOOD
    assert RULES.grade_for_score_and_conditions(D("95"), ALL_DONE) == Grade.EXCELLENT
    # 30% of 7 tasks is 2.1: two are not enough, three are.
    seven = TaskResults(assigned=7, completed=7, on_time=7, exceeded=2)
    assert RULES.grade_for_score_and_conditions(D("95"), seven) == Grade.GOOD
    seven_three = TaskResults(assigned=7, completed=7, on_time=7, exceeded=3)
    assert RULES.grade_for_score_and_conditions(D("95"), seven_three) == Grade.EXCELLENT


def test_excellent_needs_the_shortcomings_remedied() -> None:
    not_remedied = TaskResults(
        assigned=10, completed=10, on_time=10, exceeded=5, shortcomings_remedied=False
    )
    assert RULES.grade_for_score_and_conditions(D("92"), not_remedied) == Grade.GOOD


def test_a_collective_with_a_disciplined_member_is_not_excellent() -> None:
    tasks = TaskResults(assigned=10, completed=10, on_time=10, exceeded=4, member_disciplined=True)
    assert RULES.grade_for_score_and_conditions(D("93"), tasks, collective=True) == Grade.GOOD
    # The condition is the collective's: an individual's own discipline is a cap instead.
    assert RULES.grade_for_score_and_conditions(D("93"), tasks) == Grade.EXCELLENT


def test_good_needs_every_task_on_time() -> None:
    one_late = TaskResults(assigned=10, completed=10, on_time=9, exceeded=3)
    assert RULES.grade_for_score_and_conditions(D("95"), one_late) == Grade.PASS
    assert RULES.grade_for_score_and_conditions(D("80"), one_late) == Grade.PASS


def test_pass_allows_at_most_twenty_percent_behind_schedule() -> None:
    two_late = TaskResults(assigned=10, completed=10, on_time=8)
    three_late = TaskResults(assigned=10, completed=10, on_time=7)
    assert RULES.grade_for_score_and_conditions(D("60"), two_late) == Grade.PASS
    assert RULES.grade_for_score_and_conditions(D("60"), three_late) == Grade.FAIL
    not_finished = TaskResults(assigned=10, completed=9, on_time=9)
    assert RULES.grade_for_score_and_conditions(D("85"), not_finished) == Grade.FAIL


def test_a_member_without_assigned_tasks_is_graded_on_the_score() -> None:
    none = TaskResults(assigned=0, completed=0, on_time=0)
    assert RULES.grade_for_score_and_conditions(D("90"), none) == Grade.EXCELLENT


def test_task_counts_that_do_not_add_up_are_refused_with_the_field_named() -> None:
    with pytest.raises(ValidationError) as error:
        TaskResults(assigned=5, completed=6, on_time=5)
    assert "completed" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        TaskResults(assigned=5, completed=5, on_time=4, exceeded=5)
    assert "exceeded" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        TaskResults(assigned=-1, completed=0, on_time=0)
    assert "âm" in error.value.message_dict["assigned"][0]


def full_sheet(**points: str) -> dict[str, str]:
    sheet = {criterion.code: str(criterion.max_points) for criterion in RULES.member_criteria}
    sheet.update(points)
    return sheet


def test_the_score_sheet_total_is_exact() -> None:
    assert RULES.score_sheet_total(full_sheet()) == D("100")
    sheet = full_sheet(results="39.99")
    assert RULES.score_sheet_total(sheet) == D("89.99")
    assert RULES.grade_for_score(RULES.score_sheet_total(sheet)) == Grade.GOOD
    # A decimal comma, as typed on a Vietnamese phone keyboard.
    assert RULES.score_sheet_total(full_sheet(results="40,00")) == D("90")


def test_the_score_sheet_names_the_criterion_in_error() -> None:
    with pytest.raises(ValidationError) as error:
        RULES.score_sheet_total(full_sheet(results="51", innovation="abc", politics_ethics=""))
    messages = error.value.message_dict
    assert "từ 0 đến 50" in messages["results"][0]
    assert "Kết quả thực hiện nhiệm vụ được giao" in messages["results"][0]
    assert "phải là một số" in messages["innovation"][0]
    assert "Chưa chấm điểm" in messages["politics_ethics"][0]
    with pytest.raises(ValidationError) as error:
        RULES.score_sheet_total(full_sheet(results="40.125"))
    assert "hai chữ số thập phân" in error.value.message_dict["results"][0]
    with pytest.raises(ValidationError) as error:
        RULES.score_sheet_total({**full_sheet(), "bogus": "3"})
    assert "bogus" in error.value.message_dict


def test_the_unit_sheet_is_checked_against_the_unit_criteria() -> None:
    sheet = {criterion.code: "5" for criterion in RULES.unit_criteria}
    assert RULES.score_sheet_total(sheet, criteria=RULES.unit_criteria) == D("25")


def test_exclusions_and_caps_carry_over() -> None:
    new = MemberFacts("probationary", admitted_on=date(2025, 7, 2))
    six = MemberFacts("probationary", admitted_on=date(2025, 6, 30))
    excluded = RULES.member_exclusion(new, reference_date=REFERENCE)
    assert excluded is not None and excluded.code == "new_member"
    # 31 December - 6 months: there is no 31 June, and 30 June + 6 months = 30 December.
    assert RULES.member_exclusion(six, reference_date=REFERENCE) is None
    assert RULES.member_exclusion(six, reference_date=date(2025, 12, 29)) is not None
    sick = RULES.member_cap(MemberFacts("official", date(2000, 1, 1), sick_leave_months=3))
    assert sick is not None and sick.highest_grade == Grade.PASS
    assert "366" in str(RULES.discipline_citation)
    disciplined = RULES.member_cap(MemberFacts("official", None, disciplined_in_year=True))
    assert disciplined is not None and disciplined.highest_grade == Grade.FAIL


def test_quota_exactly_twenty_percent() -> None:
    assert not RULES.quota({Grade.GOOD: 10, Grade.EXCELLENT: 2}).is_broken
    assert RULES.quota({Grade.GOOD: 10, Grade.EXCELLENT: 3}).is_broken
    assert RULES.quota({Grade.GOOD: 7, Grade.EXCELLENT: 1}).headroom == 0


def test_a_womens_union_branch_is_graded_on_its_scale() -> None:
    assert RULES.unit_grades(family="women") == (
        Grade.STRONG,
        Grade.FAIR,
        Grade.AVERAGE,
        Grade.WEAK,
    )
    assert all(c.max_points is None for c in RULES.unit_criteria_for(family="women"))
