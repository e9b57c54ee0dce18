"""What every rule set (one module per regulation) provides to the evaluation.

A round names its rule set by code; services, pages, statistics and tests ask the rule set
and never test the year or the regulation themselves. Adding a regulation means adding a
module with a `RuleSet` subclass, registering it in `chibo/evaluation/rules/__init__.py`,
and its tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext

from chibo.evaluation.models import Grade

# The text a page shows for a rule, e.g. "Quy định 366-QĐ/TW, Điều 4, khoản 2": a
# (lazy) translated string.
Citation = str | Promise


@dataclass(frozen=True)
class Criterion:
    """One criterion of the self-assessment (and, when the rule set scores, of the sheet)."""

    code: str
    title: Citation
    # Points available on the score sheet; None when the rule set does not score.
    max_points: Decimal | None = None
    guidance: Citation = ""


@dataclass(frozen=True)
class MemberFacts:
    """What the rules need to know about a member for a round.

    `membership_status` is a `chibo.people.models.MembershipStatus` value on the round's
    reference date; the other facts are recorded on the evaluation by the cell.
    """

    membership_status: str
    admitted_on: date | None
    sick_leave_months: int = 0
    disciplined_in_year: bool = False
    # The exception Quy định 124-QĐ/TW, Điều 12 makes for discipline (carried over under
    # 366, whose wording was not found): the member found the violation themselves and has
    # fully remedied its consequences ("tự phát hiện và khắc phục xong hậu quả"); then the
    # discipline caps the grade at good (this project's cap) instead of failing it.
    discipline_self_remedied: bool = False


@dataclass(frozen=True)
class TaskResults:
    """The tasks behind a score, for the conditions a scored regulation sets beside the
    points (Quy định 366-QĐ/TW, Điều 11): how many tasks were assigned in the year, how many
    were completed, completed on time with the quality required, and completed beyond the
    requirement. Counts, not shares, so "100%" and "at least 30%" are exact.
    """

    assigned: int
    completed: int
    on_time: int
    exceeded: int = 0
    # Every shortcoming pointed out before has been remedied.
    shortcomings_remedied: bool = True
    # Collectives only: a unit under it, or a member of its leading collective, was
    # disciplined in the year.
    member_disciplined: bool = False

    def __post_init__(self) -> None:
        errors: dict[str, str] = {}
        for name in ("assigned", "completed", "on_time", "exceeded"):
            if getattr(self, name) < 0:
                errors[name] = gettext("Số nhiệm vụ không được âm.")
        if not errors:
            if self.completed > self.assigned:
                errors["completed"] = gettext(
                    "Số nhiệm vụ hoàn thành không được nhiều hơn số nhiệm vụ được giao."
                )
            elif self.on_time > self.completed:
                errors["on_time"] = gettext(
                    "Số nhiệm vụ hoàn thành đúng hạn không được nhiều hơn số nhiệm vụ hoàn thành."
                )
            elif self.exceeded > self.on_time:
                errors["exceeded"] = gettext(
                    "Số nhiệm vụ vượt mức không được nhiều hơn số nhiệm vụ hoàn thành đúng hạn."
                )
        if errors:
            raise ValidationError(errors)


@dataclass(frozen=True)
class RuleApplied:
    """A rule that excluded or capped an evaluation, with the text that says so."""

    code: str
    reason: Citation
    # For a cap: the highest grade allowed. None for an exclusion.
    highest_grade: Grade | None = None


@dataclass(frozen=True)
class QuotaCheck:
    """The excellent quota within one grassroots organisation."""

    # How many are counted as the base of the quota (e.g. those graded good or above).
    base: int
    # How many may be excellent, and how many are.
    allowed: int
    excellent: int

    @property
    def headroom(self) -> int:
        return self.allowed - self.excellent

    @property
    def is_broken(self) -> bool:
        return self.excellent > self.allowed


class RuleSet:
    """A regulation's rules for grading party members and units. Subclasses fill in the
    class attributes and override the methods; the base methods are the shared arithmetic.
    """

    code: str = ""
    title: Citation = ""
    # The rounds (years) the regulation governs, inclusive; None = open-ended.
    first_year: int | None = None
    last_year: int | None = None
    member_criteria: tuple[Criterion, ...] = ()
    unit_criteria: tuple[Criterion, ...] = ()
    # True when members are scored on a points sheet (Quy định 366-QĐ/TW: 100 points).
    scored: bool = False
    # Share of the quota base that may be graded excellent, and which grades form the base.
    excellent_quota: Decimal = Decimal("0.20")
    quota_base_grades: tuple[Grade, ...] = (Grade.GOOD,)

    def member_grades(self) -> tuple[Grade, ...]:
        return (Grade.EXCELLENT, Grade.GOOD, Grade.PASS, Grade.FAIL)

    def unit_grades(self, *, family: str) -> tuple[Grade, ...]:
        """Party units take the four grades; mass-organisation units their own scale."""
        if family == "party":
            return self.member_grades()
        return (Grade.STRONG, Grade.FAIR, Grade.AVERAGE, Grade.WEAK)

    def member_exclusion(self, facts: MemberFacts, *, reference_date: date) -> RuleApplied | None:
        """Why the member is listed but not graded, or None when they are graded."""
        raise NotImplementedError

    def member_cap(self, facts: MemberFacts) -> RuleApplied | None:
        """The highest grade the member may get and why, or None when uncapped."""
        raise NotImplementedError

    def grade_for_score(self, score: Decimal) -> Grade:
        """The grade a score sheet total gives (only for scored rule sets)."""
        raise NotImplementedError

    def quota(self, counts: Mapping[str, int]) -> QuotaCheck:
        """The excellent quota for one grassroots organisation, from its decided (or
        proposed) grades counted as {grade: members}."""
        raise NotImplementedError
