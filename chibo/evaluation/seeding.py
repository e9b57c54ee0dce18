"""What the demo round and the synthetic rounds share: the round's dates, a member's
standing on the reference date, the rule that leaves a member ungraded, and the arithmetic
of the excellent quota.

Generated rounds ask the registered rule set of the year (chibo/evaluation/rules) for the
exclusion, the score bands and the quota, so the demo follows the regulation modules.
Until a year's module is registered they fall back to the same rules written here once,
so the demo never carries its own `if year > …` beyond the code of the rule set.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from chibo.evaluation.models import Grade
from chibo.evaluation.rules import rule_set_for_year
from chibo.evaluation.rules.base import Criterion, MemberFacts, RuleSet
from chibo.people.models import MembershipStatus

# The codes the regulation modules register under; the years they govern (Quy định
# 124-QĐ/TW for rounds up to 2024, Quy định 366-QĐ/TW from the 2025 round).
FALLBACK_CODES: tuple[tuple[int, int, str, str], ...] = (
    (2023, 2024, "qd124_2023", "Quy định 124-QĐ/TW"),
    (2025, 9999, "qd366_2025", "Quy định 366-QĐ/TW"),
)
EXCELLENT_QUOTA = Decimal("0.20")
# Score bands of Quy định 366-QĐ/TW (lower bounds): HTXSNV ≥ 90, HTTNV 70–<90,
# HTNV 50–<70, KHTNV below 50.
SCORE_BANDS: tuple[tuple[Decimal, Grade], ...] = (
    (Decimal(90), Grade.EXCELLENT),
    (Decimal(70), Grade.GOOD),
    (Decimal(50), Grade.PASS),
    (Decimal(0), Grade.FAIL),
)
# Criteria of the self-assessment when no module is registered for the year: the four
# contents every member reviews (politics, ethics, discipline, tasks).
FALLBACK_CRITERIA: tuple[tuple[str, str, int], ...] = (
    ("politics", "Về tư tưởng chính trị", 20),
    ("ethics", "Về phẩm chất đạo đức, lối sống", 20),
    ("discipline", "Về tác phong, lề lối làm việc và ý thức tổ chức kỷ luật", 20),
    ("tasks", "Về kết quả thực hiện chức trách, nhiệm vụ được giao", 40),
)
GRADED_STATUSES = (MembershipStatus.OFFICIAL, MembershipStatus.PROBATIONARY)


def registered_rules(year: int) -> RuleSet | None:
    """The rule set module registered for the year, or None while there is none."""
    try:
        return rule_set_for_year(year)
    except KeyError:
        return None


def rule_set_code(year: int) -> str:
    rules = registered_rules(year)
    if rules is not None:
        return rules.code
    for first, last, code, _title in FALLBACK_CODES:
        if first <= year <= last:
            return code
    return FALLBACK_CODES[0][2]


def _regulation(year: int) -> str:
    for first, last, _code, title in FALLBACK_CODES:
        if first <= year <= last:
            return title
    return FALLBACK_CODES[0][3]


def is_scored(year: int) -> bool:
    rules = registered_rules(year)
    if rules is not None:
        return rules.scored
    return rule_set_code(year) != FALLBACK_CODES[0][2]


def criteria(year: int) -> list[tuple[str, str, Decimal | None]]:
    """(code, title, points) of the member criteria of the year's rule set."""
    rules = registered_rules(year)
    found: Sequence[Criterion] = rules.member_criteria if rules is not None else ()
    with translation.override("vi"):
        if found:
            return [(c.code, str(c.title), c.max_points) for c in found]
    scored = is_scored(year)
    return [
        (code, title, Decimal(points) if scored else None)
        for code, title, points in FALLBACK_CRITERIA
    ]


def round_dates(year: int) -> dict[str, datetime.date]:
    """The round's reference date and deadlines: units before their members, the
    committee's decision last (the usual December timetable)."""
    return {
        "reference_date": datetime.date(year, 12, 1),
        "units_self_due": datetime.date(year, 12, 5),
        "members_self_due": datetime.date(year, 12, 10),
        "proposals_due": datetime.date(year, 12, 15),
        "units_decision_due": datetime.date(year, 12, 20),
        "decisions_due": datetime.date(year, 12, 25),
    }


def status_on(
    *,
    status: str,
    joined_on: datetime.date | None,
    official_on: datetime.date | None,
    status_changed_on: datetime.date | None,
    day: datetime.date,
) -> str:
    """A party member's standing on `day`, from today's status and its dates: exempt or
    suspended from the day that was decided, probationary until the official day."""
    if status in (MembershipStatus.EXEMPT, MembershipStatus.SUSPENDED) and (
        status_changed_on is None or status_changed_on <= day
    ):
        return status
    if official_on is not None and official_on <= day:
        return MembershipStatus.OFFICIAL
    return MembershipStatus.PROBATIONARY


def six_months_before(day: datetime.date) -> datetime.date:
    month, year = day.month - 6, day.year
    if month <= 0:
        month, year = month + 12, year - 1
    for last in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, last)
        except ValueError:
            continue
    raise AssertionError(day)


def exclusion(
    *, year: int, standing: str, joined_on: datetime.date | None, reference_date: datetime.date
) -> str:
    """The rule that lists the member without grading them, as stored text; '' if graded."""
    rules = registered_rules(year)
    with translation.override("vi"):
        if rules is not None:
            applied = rules.member_exclusion(
                MemberFacts(membership_status=standing, admitted_on=joined_on),
                reference_date=reference_date,
            )
            return str(applied.reason)[:200] if applied is not None else ""
        regulation = _regulation(year)
        if standing == MembershipStatus.EXEMPT:
            return _("%(rule)s: đảng viên được miễn công tác và sinh hoạt đảng, không xếp loại") % {
                "rule": regulation
            }
        if standing == MembershipStatus.SUSPENDED:
            return _("%(rule)s: đảng viên đang bị đình chỉ sinh hoạt đảng, không xếp loại") % {
                "rule": regulation
            }
        if joined_on is not None and joined_on > six_months_before(reference_date):
            return _(
                "%(rule)s: đảng viên mới kết nạp chưa đủ 6 tháng tính đến ngày đánh giá, "
                "không xếp loại"
            ) % {"rule": regulation}
        return ""


def sick_leave_cap(year: int) -> tuple[str, str]:
    """(highest grade, rule) for a member on sick leave for 3 months or more."""
    rules = registered_rules(year)
    with translation.override("vi"):
        if rules is not None:
            applied = rules.member_cap(
                MemberFacts(
                    membership_status=MembershipStatus.OFFICIAL,
                    admitted_on=None,
                    sick_leave_months=4,
                )
            )
            if applied is not None and applied.highest_grade is not None:
                return str(applied.highest_grade), str(applied.reason)[:200]
        return Grade.PASS, _(
            "%(rule)s: nghỉ ốm từ 3 tháng trở lên trong năm, không xếp loại từ hoàn thành tốt "
            "nhiệm vụ trở lên"
        ) % {"rule": _regulation(year)}


def discipline_cap(year: int) -> tuple[str, str]:
    """(highest grade, rule) for a member disciplined in the year."""
    rules = registered_rules(year)
    with translation.override("vi"):
        if rules is not None:
            applied = rules.member_cap(
                MemberFacts(
                    membership_status=MembershipStatus.OFFICIAL,
                    admitted_on=None,
                    disciplined_in_year=True,
                )
            )
            if applied is not None and applied.highest_grade is not None:
                return str(applied.highest_grade), str(applied.reason)[:200]
        return Grade.GOOD, _(
            "%(rule)s: bị kỷ luật trong năm, không xếp loại hoàn thành xuất sắc nhiệm vụ"
        ) % {"rule": _regulation(year)}


def max_excellent(good_or_above: int, *, year: int) -> int:
    """The most members of `good_or_above` that may be excellent in one grassroots
    organisation: excellent ≤ 20% of those graded good (the rest of the group)."""
    rules = registered_rules(year)
    excellent = good_or_above // 5
    while excellent > 0:
        counts = {Grade.EXCELLENT: excellent, Grade.GOOD: good_or_above - excellent}
        if rules is not None:
            if not rules.quota({str(k): v for k, v in counts.items()}).is_broken:
                return excellent
        elif excellent <= math.floor(EXCELLENT_QUOTA * (good_or_above - excellent)):
            return excellent
        excellent -= 1
    return 0


def grade_for_score(score: Decimal, *, year: int) -> str:
    rules = registered_rules(year)
    if rules is not None and rules.scored:
        return str(rules.grade_for_score(score))
    for bound, grade in SCORE_BANDS:
        if score >= bound:
            return grade
    return Grade.FAIL


def score_in_band(grade: str, fraction: float) -> Decimal:
    """A total in the grade's band of 366 at `fraction` (0..1) of the way up, to 0.5."""
    low, high = {
        Grade.EXCELLENT: (90.0, 98.0),
        Grade.GOOD: (72.0, 89.5),
        Grade.PASS: (55.0, 69.5),
        Grade.FAIL: (38.0, 49.5),
    }[Grade(grade)]
    raw = low + (high - low) * fraction
    return (Decimal(str(raw)) * 2).quantize(Decimal(1), ROUND_HALF_UP) / 2


def score_sheet(total: Decimal, items: Sequence[tuple[str, str, Decimal | None]]) -> dict[str, Any]:
    """Split a total over the criteria in proportion to their points (to 0.5), the last
    criterion taking the remainder so the sheet adds up."""
    points = [(code, p) for code, _t, p in items if p is not None]
    available = sum((p for _c, p in points), Decimal(0))
    if not points or available <= 0:
        return {}
    sheet: dict[str, Any] = {}
    given = Decimal(0)
    for code, maximum in points[:-1]:
        share = (total * maximum / available * 2).quantize(Decimal(1), ROUND_HALF_UP) / 2
        sheet[code] = str(min(share, maximum))
        given += min(share, maximum)
    last_code, last_max = points[-1]
    sheet[last_code] = str(min(total - given, last_max))
    return sheet
