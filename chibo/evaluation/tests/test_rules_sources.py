"""What each rule cites, checked against the texts found (docs/evaluation.md, "Sources
checked"), and the boundaries of the rules whose wording was quoted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from chibo.evaluation.models import Grade
from chibo.evaluation.rules import all_rule_sets, qd124_2023, qd366_2025
from chibo.evaluation.rules.base import MemberFacts, TaskResults
from chibo.evaluation.rules.common import PartyRuleSet

D = Decimal
Q124 = qd124_2023.RULES
Q366 = qd366_2025.RULES
CITATIONS = (
    "exempt_citation",
    "suspended_citation",
    "new_member_citation",
    "not_active_citation",
    "sick_leave_citation",
    "discipline_citation",
    "discipline_remedied_citation",
    "quota_citation",
)


@pytest.mark.parametrize("name", CITATIONS)
def test_every_citation_fits_the_stored_field(name: str) -> None:
    # The services store the reason in excluded_rule / cap_rule, 200 characters at most:
    # a longer one would lose its article number.
    for rules in all_rule_sets():
        assert isinstance(rules, PartyRuleSet)
        text = str(getattr(rules, name))
        assert 0 < len(text) <= 200, (rules.code, name, len(text))


@pytest.mark.parametrize("name", ["exempt_citation", "suspended_citation", "new_member_citation"])
def test_quy_dinh_124_exclusions_cite_dieu_5_khoan_2(name: str) -> None:
    text = str(getattr(Q124, name))
    assert "Quy định 124-QĐ/TW, Điều 5, khoản 2" in text
    # Điều 5 leaves these members out of the review itself, not only out of the grading.
    assert "không kiểm điểm" in text
    assert "Hướng dẫn 25" not in text


@pytest.mark.parametrize("name", ["exempt_citation", "suspended_citation", "new_member_citation"])
def test_quy_dinh_366_exclusions_say_they_are_carried_over_unverified(name: str) -> None:
    text = str(getattr(Q366, name))
    assert "như Quy định 124-QĐ/TW, Điều 5, khoản 2" in text
    assert "chưa đối chiếu" in text


def test_sick_leave_is_named_as_this_projects_rule_after_the_civil_service_decree() -> None:
    for rules in (Q124, Q366):
        text = str(rules.sick_leave_citation)
        assert "quy tắc của Chibo" in text
        assert "Nghị định 90/2020/NĐ-CP, Điều 2, khoản 3" in text
        assert f"chưa thấy trong Quy định {rules.code[2:5]}-QĐ/TW" in text


def test_discipline_cites_dieu_12_of_124_and_flags_366_as_unverified() -> None:
    assert "Quy định 124-QĐ/TW, Điều 12" in str(Q124.discipline_citation)
    assert "chưa đối chiếu được Quy định 366-QĐ/TW" in str(Q366.discipline_citation)
    for rules in (Q124, Q366):
        # The texts only lift the failing grade; the cap at good is ours and says so.
        assert "Chibo" in str(rules.discipline_remedied_citation)


def test_the_quota_cites_the_guidance_where_its_wording_was_found() -> None:
    for rules in (Q124, Q366):
        text = str(rules.quota_citation)
        assert "Hướng dẫn 21-HD/BTCTW" in text
        assert "“Hoàn thành tốt nhiệm vụ”" in text
        assert "từng tổ chức cơ sở đảng" in text


def test_the_quota_base_is_those_graded_good_not_good_and_excellent() -> None:
    # 8 good and 2 excellent: 20% of the 8 good is 1.6 -> 1, so 2 break the quota. Had the
    # base been good and excellent together (10), 2 would have been allowed.
    for rules in (Q124, Q366):
        check = rules.quota({Grade.GOOD: 8, Grade.EXCELLENT: 2})
        assert (check.base, check.allowed, check.is_broken) == (8, 1, True)
        exactly = rules.quota({Grade.GOOD: 15, Grade.EXCELLENT: 3})
        assert (exactly.allowed, exactly.headroom, exactly.is_broken) == (3, 0, False)


def test_the_366_common_criteria_carry_the_regulations_titles() -> None:
    titles = [str(c.title) for c in Q366.member_criteria]
    assert "Tư duy đổi mới, chiến lược, khát vọng cống hiến, dám nghĩ, dám làm" in titles
    common = [c for c in Q366.member_criteria if c.code != "results" and c.code != "party_duties"]
    assert sum(c.max_points or D(0) for c in common) == D("30")
    assert sum(c.max_points or D(0) for c in Q366.member_criteria) - D("30") == D("70")


@pytest.mark.parametrize(
    ("score", "tasks", "grade"),
    [
        # The band's grade when every condition holds.
        ("90", TaskResults(10, 10, 10, exceeded=3), Grade.EXCELLENT),
        ("89.99", TaskResults(10, 10, 10, exceeded=10), Grade.GOOD),
        # The conditions forbid excellent and good whatever the score: one task late.
        ("100", TaskResults(10, 10, 9, exceeded=9), Grade.PASS),
        # 30% exactly is enough; 29% (of 100 tasks) is not.
        ("95", TaskResults(100, 100, 100, exceeded=30), Grade.EXCELLENT),
        ("95", TaskResults(100, 100, 100, exceeded=29), Grade.GOOD),
        # 20% behind schedule exactly is still a pass; 21% is not.
        ("69.99", TaskResults(100, 100, 80), Grade.PASS),
        ("69.99", TaskResults(100, 100, 79), Grade.FAIL),
        # An unfinished task fails whatever the score.
        ("99", TaskResults(100, 99, 99, exceeded=50), Grade.FAIL),
        ("49.99", TaskResults(10, 10, 10, exceeded=10), Grade.FAIL),
    ],
)
def test_quy_dinh_366_dieu_11_worked_cases(score: str, tasks: TaskResults, grade: Grade) -> None:
    assert Q366.grade_for_score_and_conditions(D(score), tasks) == grade


def test_a_collective_pass_allows_twenty_percent_late_and_no_unfinished_task() -> None:
    assert (
        Q366.grade_for_score_and_conditions(D("65"), TaskResults(5, 5, 4), collective=True)
        == Grade.PASS
    )
    assert (
        Q366.grade_for_score_and_conditions(D("65"), TaskResults(5, 5, 3), collective=True)
        == Grade.FAIL
    )


@pytest.mark.parametrize("rules", [Q124, Q366])
def test_the_shared_member_rules_at_their_boundaries(rules: PartyRuleSet) -> None:
    reference = date(2025, 12, 15)
    # Admitted 5 months 29 days before the reference day: not reviewed, not graded.
    assert (
        rules.member_exclusion(
            MemberFacts("probationary", admitted_on=date(2025, 6, 16)), reference_date=reference
        )
        is not None
    )
    assert (
        rules.member_exclusion(
            MemberFacts("probationary", admitted_on=date(2025, 6, 15)), reference_date=reference
        )
        is None
    )
    # Sick leave: 3 months caps below good, 2 months does not.
    three = rules.member_cap(MemberFacts("official", None, sick_leave_months=3))
    assert three is not None and three.highest_grade == Grade.PASS
    assert rules.member_cap(MemberFacts("official", None, sick_leave_months=2)) is None
    # Discipline: failing, unless self-detected and remedied (then at most good).
    failed = rules.member_cap(MemberFacts("official", None, disciplined_in_year=True))
    assert failed is not None and failed.highest_grade == Grade.FAIL
    remedied = rules.member_cap(
        MemberFacts("official", None, disciplined_in_year=True, discipline_self_remedied=True)
    )
    assert remedied is not None and remedied.highest_grade == Grade.GOOD
