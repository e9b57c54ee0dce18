"""A small rule set of the workflow tests' own, so that they test the workflow and not a
regulation (the regulation modules have their own tests): excluded when exempt, suspended
or admitted less than 6 months before the round; sick leave of 3 months caps at pass,
discipline at good; 90/70/50 points; 20% of those good or above may be excellent."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from decimal import ROUND_FLOOR, Decimal

import pytest

from chibo.evaluation.models import Grade
from chibo.evaluation.rules import _REGISTRY, register
from chibo.evaluation.rules.base import Criterion, MemberFacts, QuotaCheck, RuleApplied, RuleSet

FLOW_YEAR = 2099


class FlowRules(RuleSet):
    code = "flow_test"
    title = "Quy định thử nghiệm"
    first_year = FLOW_YEAR
    last_year = FLOW_YEAR
    member_criteria = (
        Criterion("politics", "Tư tưởng chính trị", Decimal(20)),
        Criterion("ethics", "Đạo đức, lối sống", Decimal(20)),
        Criterion("discipline", "Ý thức tổ chức kỷ luật", Decimal(20)),
        Criterion("tasks", "Kết quả thực hiện nhiệm vụ", Decimal(40)),
    )
    unit_criteria = (Criterion("leadership", "Lãnh đạo thực hiện nhiệm vụ"),)
    scored = True
    quota_base_grades = (Grade.EXCELLENT, Grade.GOOD)

    def member_exclusion(
        self, facts: MemberFacts, *, reference_date: datetime.date
    ) -> RuleApplied | None:
        if facts.membership_status in ("exempt", "suspended"):
            return RuleApplied("status", "Quy định thử, miễn hoặc đình chỉ sinh hoạt")
        if facts.admitted_on and facts.admitted_on > _months_before(reference_date, 6):
            return RuleApplied("new", "Quy định thử, vào Đảng chưa đủ 6 tháng")
        return None

    def member_cap(self, facts: MemberFacts) -> RuleApplied | None:
        if facts.sick_leave_months >= 3:
            return RuleApplied("sick", "Quy định thử, nghỉ ốm từ 3 tháng", Grade.PASS)
        if facts.disciplined_in_year:
            return RuleApplied("discipline", "Quy định thử, bị kỷ luật trong năm", Grade.GOOD)
        return None

    def grade_for_score(self, score: Decimal) -> Grade:
        if score >= 90:
            return Grade.EXCELLENT
        if score >= 70:
            return Grade.GOOD
        if score >= 50:
            return Grade.PASS
        return Grade.FAIL

    def quota(self, counts: Mapping[str, int]) -> QuotaCheck:
        excellent = counts.get(Grade.EXCELLENT, 0)
        base = sum(counts.get(grade, 0) for grade in self.quota_base_grades)
        allowed = int((Decimal(base) * self.excellent_quota).to_integral_value(ROUND_FLOOR))
        return QuotaCheck(base=base, allowed=allowed, excellent=excellent)


def _months_before(day: datetime.date, months: int) -> datetime.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return day.replace(year=year, month=month)


@pytest.fixture
def flow_rules() -> Iterator[FlowRules]:
    rules = FlowRules()
    register(rules)
    yield rules
    _REGISTRY.pop(rules.code, None)
