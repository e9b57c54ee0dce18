"""Rules that Quy định 124-QĐ/TW and Quy định 366-QĐ/TW (and the Ban Tổ chức Trung ương's
guidance under them) share: who is listed but not graded, which facts cap a member's
grade, the excellent quota, and the month arithmetic they need.

Each regulation module subclasses `PartyRuleSet` and only sets its own citations, criteria
and, for a scored regulation, its score bands; so a future regulation that changes one of
these rules overrides one method and keeps the rest.

Where each shared rule comes from (the pages and the quoted sentences are in
docs/evaluation.md, "Sources checked"):

- Exempt, suspended and newly admitted members: Quy định 124-QĐ/TW (04/10/2023), Điều 5,
  khoản 2 — the individuals reviewed are "Đảng viên trong toàn Đảng (trừ đảng viên được
  miễn công tác và sinh hoạt đảng; đảng viên bị đình chỉ sinh hoạt đảng; đảng viên mới kết
  nạp chưa đủ 6 tháng)". Not graded either: Hướng dẫn 21-HD/BTCTW (2019), mục II.6, "Tập
  thể, cá nhân phải hoàn thành việc kiểm điểm mới được đánh giá, xếp loại chất lượng". The
  matching clause of Quy định 366-QĐ/TW and Hướng dẫn 43-HD/BTCTW was not found.
- Sick leave of 3 months or more: not found in any party text. The same rule is Nghị định
  90/2020/NĐ-CP, Điều 2, khoản 3 for civil servants ("nghỉ không tham gia công tác ... trong
  năm từ 03 tháng đến dưới 06 tháng thì vẫn thực hiện đánh giá nhưng không xếp loại chất
  lượng ở mức hoàn thành tốt nhiệm vụ trở lên"); the issue asks it of members, so it is this
  project's rule.
- Discipline in the year: Hướng dẫn 21-HD/BTCTW (2019), mục II, the standard of "Không hoàn
  thành nhiệm vụ" for members ("Đảng viên bị thi hành kỷ luật trong năm (một vi phạm bị xử
  lý kỷ luật chỉ tính một lần khi xếp loại)") and Quy định 124-QĐ/TW, Điều 12
  ("Bị xử lý kỷ luật ... trong năm (trừ trường hợp tự phát hiện và khắc phục xong hậu
  quả)" → "Không hoàn thành nhiệm vụ"). The cap at good in the excepted case is this
  project's.
- The excellent quota: Hướng dẫn 21-HD/BTCTW (2019), điểm 2.3 a ("không vượt quá
  20% số đảng viên được xếp loại “Hoàn thành tốt nhiệm vụ” trong từng tổ chức cơ sở
  đảng"). Not found in the text of Quy định 124 or 366 nor in Hướng dẫn 25 or 43.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from chibo.evaluation.models import Grade
from chibo.evaluation.rules.base import (
    Citation,
    Criterion,
    MemberFacts,
    QuotaCheck,
    RuleApplied,
    RuleSet,
)
from chibo.evaluation.rules.units import MASS_ORG_CRITERIA, is_party

# Statuses (chibo.people.models.MembershipStatus values) under which a member takes part in
# party life and is graded. Spelled out rather than imported: the rules stay pure Python
# and a round's facts are plain strings.
GRADED_STATUSES = frozenset({"official", "probationary"})
EXEMPT = "exempt"
SUSPENDED = "suspended"

# Codes of the rules, stored on an evaluation (excluded_rule / cap_rule) together with the
# citation, and tested by statistics ("excluded because exempt" …).
EXCLUDED_EXEMPT = "exempt"
EXCLUDED_SUSPENDED = "suspended"
EXCLUDED_NEW_MEMBER = "new_member"
EXCLUDED_NOT_ACTIVE = "not_active"
CAP_SICK_LEAVE = "sick_leave"
CAP_DISCIPLINE = "discipline"
CAP_DISCIPLINE_REMEDIED = "discipline_remedied"

NEW_MEMBER_MONTHS = 6
SICK_LEAVE_MONTHS = 3


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the last day of a shorter month:
    31 August + 6 months is 28 (or 29) February, not 3 March."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def has_full_months(start: date, end: date, months: int) -> bool:
    """True when `months` whole months have passed from `start` to `end`: counted forward
    from the start, as a member's months are counted from the day they were admitted (the
    member admitted on 31 May has six months on 30 November)."""
    return add_months(start, months) <= end


def excellent_allowed(base: int, share: Decimal) -> int:
    """How many may be excellent when at most `share` of `base` may: "không vượt quá 20% số
    đảng viên được xếp loại “Hoàn thành tốt nhiệm vụ”" (Hướng dẫn 21-HD/BTCTW, 2019, điểm
    2.3 a) means excellent ≤ 20% × base, and for a whole number of people that is
    the floor (7 good → 1.4 → 1; 10 good → 2 exactly)."""
    return int((Decimal(base) * share).to_integral_value(rounding=ROUND_FLOOR))


class PartyRuleSet(RuleSet):
    """The member rules both regulations share; subclasses set the citations."""

    # Citations shown beside an exclusion or cap; each subclass points them at its text.
    exempt_citation: Citation = ""
    suspended_citation: Citation = ""
    new_member_citation: Citation = ""
    not_active_citation: Citation = ""
    sick_leave_citation: Citation = ""
    discipline_citation: Citation = ""
    discipline_remedied_citation: Citation = ""
    quota_citation: Citation = ""

    def member_exclusion(self, facts: MemberFacts, *, reference_date: date) -> RuleApplied | None:
        """Members exempt from work and party activities, members suspended from party
        activities, and members admitted less than 6 months before the round are listed but
        not graded: Quy định 124-QĐ/TW, Điều 5, khoản 2 leaves all three out of the review
        ("trừ đảng viên được miễn công tác và sinh hoạt đảng; đảng viên bị đình chỉ sinh
        hoạt đảng; đảng viên mới kết nạp chưa đủ 6 tháng"), and a member who is not
        reviewed is not graded (Hướng dẫn 21-HD/BTCTW, 2019, mục II.6). The text does not
        say on which day the 6 months are counted: this project counts them to the round's
        reference date, forward from the admission day (`has_full_months`). A membership
        that is not active on the reference date (transferred, removed, deceased …) is not
        graded either (this project's rule): the round should not have listed it, and
        saying why is safer than grading it."""
        status = facts.membership_status
        if status == EXEMPT:
            return RuleApplied(EXCLUDED_EXEMPT, self.exempt_citation)
        if status == SUSPENDED:
            return RuleApplied(EXCLUDED_SUSPENDED, self.suspended_citation)
        if status not in GRADED_STATUSES:
            return RuleApplied(EXCLUDED_NOT_ACTIVE, self.not_active_citation)
        if facts.admitted_on is not None and not has_full_months(
            facts.admitted_on, reference_date, NEW_MEMBER_MONTHS
        ):
            return RuleApplied(EXCLUDED_NEW_MEMBER, self.new_member_citation)
        return None

    def member_cap(self, facts: MemberFacts) -> RuleApplied | None:
        """The lowest cap that applies, so a member both on long sick leave and disciplined
        gets the stricter one:

        - discipline in the year, not self-detected and remedied → "Không hoàn thành nhiệm
          vụ" (Quy định 124-QĐ/TW, Điều 12; Hướng dẫn 21-HD/BTCTW, 2019, mục II);
        - sick leave of 3 months or more in the year → at most "Hoàn thành nhiệm vụ": this
          project's rule, after Nghị định 90/2020/NĐ-CP, Điều 2, khoản 3 for civil servants
          (no party text found);
        - discipline self-detected and remedied → at most "Hoàn thành tốt nhiệm vụ": the
          texts only lift the failing grade; the cap is this project's reading of the
          issue ("cannot be excellent")."""
        if facts.disciplined_in_year and not facts.discipline_self_remedied:
            return RuleApplied(CAP_DISCIPLINE, self.discipline_citation, Grade.FAIL)
        if facts.sick_leave_months >= SICK_LEAVE_MONTHS:
            return RuleApplied(CAP_SICK_LEAVE, self.sick_leave_citation, Grade.PASS)
        if facts.disciplined_in_year:
            return RuleApplied(
                CAP_DISCIPLINE_REMEDIED, self.discipline_remedied_citation, Grade.GOOD
            )
        return None

    def grade_allowed(self, grade: str, cap: RuleApplied | None) -> bool:
        """Whether `grade` is at or below the cap (any member grade when uncapped)."""
        grades = self.member_grades()
        if grade not in grades:
            return False
        if cap is None or cap.highest_grade is None:
            return True
        return grades.index(Grade(grade)) >= grades.index(cap.highest_grade)

    def score_sheet_total(
        self, sheet: Mapping[str, object], *, criteria: tuple[Criterion, ...] | None = None
    ) -> Decimal:
        """The total of a score sheet {criterion code: points}, after checking every
        criterion of the sheet (the member criteria unless `criteria` is given) has a number
        from 0 to its maximum with at most two decimals. Raises ValidationError keyed by
        criterion code, with a message naming the criterion."""
        criteria = self.member_criteria if criteria is None else criteria
        errors: dict[str, str] = {}
        total = Decimal(0)
        known = {criterion.code for criterion in criteria}
        for code in sheet:
            if code not in known:
                errors[code] = gettext("Tiêu chí “%(code)s” không có trong phiếu chấm điểm.") % {
                    "code": code
                }
        for criterion in criteria:
            if criterion.max_points is None:
                continue
            raw = sheet.get(criterion.code)
            title = str(criterion.title)
            if raw is None or raw == "":
                errors[criterion.code] = gettext("Chưa chấm điểm tiêu chí “%(title)s”.") % {
                    "title": title
                }
                continue
            try:
                points = Decimal(str(raw).strip().replace(",", "."))
            except InvalidOperation:
                points = Decimal("NaN")
            if not points.is_finite():
                errors[criterion.code] = gettext(
                    "Điểm của tiêu chí “%(title)s” phải là một số."
                ) % {"title": title}
            elif points < 0 or points > criterion.max_points:
                errors[criterion.code] = gettext(
                    "Điểm của tiêu chí “%(title)s” phải từ 0 đến %(max)s."
                ) % {"title": title, "max": criterion.max_points}
            elif points != points.quantize(Decimal("0.01")):
                errors[criterion.code] = gettext(
                    "Điểm của tiêu chí “%(title)s” chỉ được có tối đa hai chữ số thập phân."
                ) % {"title": title}
            else:
                total += points
        if errors:
            raise ValidationError(errors)
        return total

    def unit_criteria_for(self, *, family: str) -> tuple[Criterion, ...]:
        """The criteria a unit of `family` (chibo.orgs.models.Family value) assesses itself
        on: the regulation's collective criteria for party units, the mass-organisation
        criteria otherwise."""
        return self.unit_criteria if is_party(family) else MASS_ORG_CRITERIA

    def unit_grade_allowed(self, grade: str, *, family: str) -> bool:
        return grade in self.unit_grades(family=family)

    def quota(self, counts: Mapping[str, int]) -> QuotaCheck:
        """At most `excellent_quota` (20%) of those graded in `quota_base_grades` (good)
        within one grassroots organisation may be graded excellent: Hướng dẫn 21-HD/BTCTW
        (2019), điểm 2.3 a, "không vượt quá 20% số đảng viên được xếp loại “Hoàn
        thành tốt nhiệm vụ” trong từng tổ chức cơ sở đảng" — the base is those graded good,
        not good and excellent together. See `excellent_allowed` for the rounding."""
        base = sum(counts.get(grade, 0) for grade in self.quota_base_grades)
        return QuotaCheck(
            base=base,
            allowed=excellent_allowed(base, self.excellent_quota),
            excellent=counts.get(Grade.EXCELLENT, 0),
        )
