"""Writes of the year-end evaluation: opening a round, the member's self-assessment, the
cell's proposal, the committee's decision, reopening, and finalising the round.

Each service is atomic, checks the user's role itself (404 outside the scope, 403 inside
but not allowed, through `require_role`), raises ValidationError({field: Vietnamese
message}) before writing anything, and leaves an audit entry. Every write of an
evaluation takes the `revision` the form was rendered with: a stale one is refused, so two
officers saving the same evaluation never overwrite each other silently. The rules
(exclusions, caps, score bands, the quota) are asked of the round's rule set, never
decided here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.audit import audit_record, snapshot
from chibo.core.models import AuditEntry
from chibo.core.roles import Role
from chibo.core.scoping import require_role, scope_for
from chibo.core.vntext import nfc
from chibo.evaluation.models import (
    Grade,
    MemberEvaluation,
    Round,
    RoundStatus,
    Step,
    UnitEvaluation,
    _Assessed,
)
from chibo.evaluation.rules import rule_set, rule_set_for_year
from chibo.evaluation.rules.base import MemberFacts, QuotaCheck, RuleApplied, RuleSet
from chibo.orgs.models import Family, Level, Org, OrgStatus
from chibo.people.models import Membership

if TYPE_CHECKING:
    from chibo.core.models import User

ROUND_FIELDS = (
    "org",
    "year",
    "rule_set",
    "status",
    "reference_date",
    "units_self_due",
    "units_decision_due",
    "members_self_due",
    "proposals_due",
    "decisions_due",
)
SELF_FIELDS = (
    "self_text",
    "strengths",
    "shortcomings",
    "score_sheet",
    "self_score",
    "self_grade",
    "self_submitted_at",
)
PROPOSAL_FIELDS = ("review_comment", "proposed_score", "proposed_grade", "cap_grade", "cap_rule")
MEMBER_FACT_FIELDS = ("sick_leave_months", "discipline")
DECISION_FIELDS = ("step", "decided_grade", "decision_note", "locked_at")
# Unit levels graded in a round: cells (chi bộ, chi hội) and grassroots organisations.
GRADED_LEVELS = (Level.BRANCH, Level.BASE)
MAX_TEXT = 5000
MAX_SICK_MONTHS = 12
# Long enough for "Khiển trách, Quyết định số 12-QĐ/ĐU ngày 5/3/2025 của Đảng ủy xã …".
MAX_DISCIPLINE = 500

_E = TypeVar("_E", MemberEvaluation, UnitEvaluation)


@dataclass(frozen=True)
class Deadlines:
    """The deadlines of a round's steps; any may be left open."""

    units_self_due: datetime.date | None = None
    units_decision_due: datetime.date | None = None
    members_self_due: datetime.date | None = None
    proposals_due: datetime.date | None = None
    decisions_due: datetime.date | None = None


@dataclass(frozen=True)
class SelfAssessment:
    """What a member (or a unit) writes about itself."""

    texts: Mapping[str, str]
    strengths: str = ""
    shortcomings: str = ""
    self_grade: str = ""
    # Points per criterion code, as typed, when the rule set scores on a sheet.
    score_sheet: Mapping[str, Any] | None = None


# --- helpers ---------------------------------------------------------------------------


def rules_of(round_: Round) -> RuleSet:
    return rule_set(round_.rule_set)


def unit_criteria(rules: RuleSet, family: str) -> tuple[Any, ...]:
    """A unit's criteria: a rule set may give mass-organisation units their own."""
    method = getattr(rules, "unit_criteria_for", None)
    if callable(method):
        return tuple(method(family=family))
    return rules.unit_criteria


def grade_label(grade: str) -> str:
    return str(Grade(grade).label) if grade in Grade.values else grade


def base_org_of(org: Org) -> Org | None:
    """The grassroots organisation (level base) an org lies in, itself included: the
    quota of excellent grades is counted within it."""
    if org.level == Level.BASE:
        return org
    paths = org.ancestor_paths()
    return Org.objects.filter(path__in=paths, level=Level.BASE).order_by("-depth").first()


def _above(grade: str, cap: str, grades: tuple[Grade, ...]) -> bool:
    """True when `grade` ranks above `cap` in a best-first list of grades."""
    if not grade or not cap or grade not in grades or cap not in grades:
        return False
    return grades.index(Grade(grade)) < grades.index(Grade(cap))


def _check_revision(evaluation: _Assessed, revision: int | None) -> None:
    if revision is not None and revision != evaluation.revision:
        raise ValidationError(
            {
                "revision": _(
                    "Phiếu đánh giá này vừa được người khác cập nhật (lần sửa %(now)s, bạn đang "
                    "xem lần %(seen)s). Hãy tải lại trang, xem nội dung mới rồi lưu lại."
                )
                % {"now": evaluation.revision, "seen": revision}
            }
        )


def _check_open(evaluation: _Assessed, round_: Round) -> None:
    if round_.status != RoundStatus.OPEN:
        raise ValidationError(
            {
                "round": _("Đợt đánh giá năm %(year)s đã hoàn thành, không sửa được nữa.")
                % {"year": round_.year}
            }
        )
    if evaluation.is_locked:
        raise ValidationError(
            {"step": _("Phiếu đã được cấp ủy quyết định và khóa; muốn sửa phải mở lại có lý do.")}
        )


def _check_gradable(evaluation: _Assessed) -> None:
    if evaluation.is_excluded:
        raise ValidationError(
            {
                "step": _("Không xếp loại trường hợp này: %(rule)s.")
                % {"rule": evaluation.excluded_rule}
            }
        )


def _in_unit(user: User, role: Role) -> Callable[[_Assessed], None]:
    """The check of a write by the evaluation's own unit: `role` there (404 outside)."""

    def allowed(evaluation: _Assessed) -> None:
        require_role(user, evaluation.org.path, role)  # type: ignore[attr-defined]

    return allowed


def _locked_copy(evaluation: _E) -> _E:
    """The row re-read under a lock, so that the revision compared is the stored one."""
    model = type(evaluation)
    return model.objects.select_for_update().select_related("round", "org").get(pk=evaluation.pk)


def _clean_text(value: str, field: str, label: str, limit: int = MAX_TEXT) -> str:
    text = nfc((value or "").strip())
    if len(text) > limit:
        raise ValidationError(
            {field: _("%(label)s dài quá %(limit)s ký tự.") % {"label": label, "limit": limit}}
        )
    return text


def _member_facts(evaluation: MemberEvaluation) -> MemberFacts:
    membership = evaluation.membership
    return MemberFacts(
        membership_status=membership.status,
        admitted_on=membership.joined_on,
        sick_leave_months=evaluation.sick_leave_months,
        disciplined_in_year=bool(evaluation.discipline.strip()),
    )


def _apply_cap(evaluation: MemberEvaluation, rules: RuleSet) -> RuleApplied | None:
    cap = rules.member_cap(_member_facts(evaluation))
    evaluation.cap_grade = cap.highest_grade or "" if cap else ""
    evaluation.cap_rule = str(cap.reason)[:200] if cap else ""
    return cap


def _check_grade(
    grade: str, *, field: str, grades: tuple[Grade, ...], evaluation: _Assessed, required: bool
) -> None:
    if not grade:
        if required:
            raise ValidationError({field: _("Chưa chọn mức xếp loại.")})
        return
    if grade not in grades:
        raise ValidationError(
            {field: _("Mức “%(grade)s” không dùng cho phiếu này.") % {"grade": grade_label(grade)}}
        )
    if _above(grade, evaluation.cap_grade, grades):
        raise ValidationError(
            {
                field: _("Không được xếp loại “%(grade)s”: cao nhất là “%(cap)s” theo %(rule)s.")
                % {
                    "grade": grade_label(grade),
                    "cap": grade_label(evaluation.cap_grade),
                    "rule": evaluation.cap_rule,
                }
            }
        )


def _score_sheet(rules: RuleSet, sheet: Mapping[str, Any]) -> tuple[dict[str, str], Decimal]:
    """The sheet as stored ({code: "12.50"}) and its total; every criterion is needed."""
    stored: dict[str, str] = {}
    total = Decimal(0)
    for criterion in rules.member_criteria:
        if criterion.max_points is None:
            continue
        raw = str(sheet.get(criterion.code, "") or "").strip().replace(",", ".")
        if not raw:
            raise ValidationError(
                {
                    "score_sheet": _("Chưa chấm điểm tiêu chí “%(title)s”.")
                    % {"title": criterion.title}
                }
            )
        try:
            points = Decimal(raw)
        except InvalidOperation:
            raise ValidationError(
                {
                    "score_sheet": _("Điểm tiêu chí “%(title)s” không phải là số: “%(raw)s”.")
                    % {"title": criterion.title, "raw": raw}
                }
            ) from None
        if not points.is_finite() or points < 0 or points > criterion.max_points:
            raise ValidationError(
                {
                    "score_sheet": _(
                        "Điểm tiêu chí “%(title)s” phải từ 0 đến %(max)s, không phải %(raw)s."
                    )
                    % {"title": criterion.title, "max": criterion.max_points, "raw": raw}
                }
            )
        points = points.quantize(Decimal("0.01"))
        stored[criterion.code] = str(points)
        total += points
    return stored, total


def _audit(
    *,
    user: User | None,
    evaluation: _Assessed,
    action: str,
    summary: str,
    before: dict[str, Any],
    fields: tuple[str, ...],
) -> None:
    person_id = getattr(evaluation, "person_id", None)
    audit_record(
        actor=user,
        action=action,
        subject=evaluation,
        org_id=evaluation.org_id,  # type: ignore[attr-defined]
        person_id=person_id,
        summary=summary,
        before=before,
        after=snapshot(evaluation, (*fields, "revision")),
    )


def _save(evaluation: _Assessed, fields: tuple[str, ...]) -> None:
    evaluation.revision += 1
    evaluation.save(update_fields=[*fields, "revision"])


def _writable_copy(
    evaluation: _E, revision: int | None, allowed: Callable[[_E], None], *, gradable: bool
) -> _E:
    """The evaluation re-read under a lock, once `allowed` let the user write it (it
    raises 404/403), the revision the form showed is still the stored one, the round is
    open and the evaluation undecided (and, with `gradable`, not excluded)."""
    current = _locked_copy(evaluation)
    allowed(current)
    _check_revision(current, revision)
    _check_open(current, current.round)
    if gradable:
        _check_gradable(current)
    return current


def _record_proposal(
    current: _Assessed,
    *,
    user: User,
    grade: str,
    before: dict[str, Any],
    fields: tuple[str, ...],
    summary: str,
) -> None:
    """Store a checked proposed grade with the `fields` set before it, and audit it;
    `summary` takes the grade as %(grade)s."""
    current.proposed_grade = grade
    current.proposed_by = user
    current.proposed_at = timezone.now()
    current.step = Step.PROPOSED
    _save(current, (*fields, "proposed_grade", "proposed_by", "proposed_at", "step"))
    _audit(
        user=user,
        evaluation=current,
        action=AuditEntry.Action.UPDATE,
        summary=summary % {"grade": grade_label(grade)},
        before=before,
        fields=tuple(before),
    )


def _record_decision(
    current: _Assessed,
    *,
    user: User,
    grade: str,
    note: str,
    summary: str,
    also: tuple[str, ...] = (),
) -> None:
    """Store a checked decision, lock the evaluation and audit it; `also` names fields set
    before (the cap) that are saved with it; `summary` takes the grade as %(grade)s."""
    before = snapshot(current, DECISION_FIELDS)
    current.decided_grade = grade
    current.decision_note = _clean_text(note, "note", _("Ghi chú"))
    current.decided_by = user
    current.decided_at = current.locked_at = timezone.now()
    current.step = Step.DECIDED
    _save(current, (*DECISION_FIELDS, "decided_by", "decided_at", *also))
    _audit(
        user=user,
        evaluation=current,
        action=AuditEntry.Action.UPDATE,
        summary=summary % {"grade": grade_label(grade)},
        before=before,
        fields=DECISION_FIELDS,
    )


# --- opening a round ------------------------------------------------------------------


def _memberships_on(org: Org, day: datetime.date) -> list[Membership]:
    """Party memberships of the subtree on `day`, the latest one per person."""
    rows = (
        Membership.objects.filter(family=Family.PARTY, org__path__startswith=org.path)
        .filter(started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .select_related("org")
        .order_by("person_id", "-started_on", "-pk")
    )
    latest: dict[int, Membership] = {}
    for membership in rows:
        latest.setdefault(membership.person_id, membership)
    return list(latest.values())


def _check_not_nested(org: Org, year: int) -> None:
    """One round a year over any member: a round of the same year at an ancestor or a
    descendant of `org` would list the same members twice and count them twice in the
    statistics of every node above both. One query over the ancestor paths and the
    path prefix."""
    other = (
        Round.objects.filter(year=year)
        .filter(Q(org__path__in=org.ancestor_paths()) | Q(org__path__startswith=org.path))
        .exclude(org=org)
        .select_related("org")
        .order_by("org__depth")
        .first()
    )
    if other is None:
        return
    if org.path.startswith(other.org.path):
        message = _(
            "%(other)s đã có đợt đánh giá, xếp loại năm %(year)s bao gồm cả %(org)s; "
            "không mở thêm đợt năm %(year)s cho %(org)s."
        )
    else:
        message = _(
            "%(other)s (trực thuộc %(org)s) đã có đợt đánh giá, xếp loại năm %(year)s; "
            "không mở đợt năm %(year)s cho %(org)s vì đảng viên sẽ bị tính hai lần."
        )
    raise ValidationError(
        {"year": message % {"other": other.org.name, "org": org.name, "year": year}}
    )


@transaction.atomic
def round_open(
    *,
    user: User,
    org: Org,
    year: int,
    reference_date: datetime.date,
    rule_set_code: str = "",
    deadlines: Deadlines | None = None,
) -> Round:
    """Open the round of `year` over `org`'s subtree: a member evaluation for every party
    membership of the subtree active on the reference date (the excluded ones listed with
    the rule that excludes them) and a unit evaluation for every cell and grassroots
    organisation. A bounded number of queries, whatever the subtree's size."""
    require_role(user, org.path, Role.COMMITTEE)
    if not org.is_active:
        raise ValidationError({"org": _("%(org)s không còn hoạt động.") % {"org": org.name}})
    if org.level in (Level.BRANCH, Level.GROUP):
        raise ValidationError(
            {
                "org": _("Đợt đánh giá do cấp ủy từ cơ sở trở lên mở, không mở tại %(org)s.")
                % {"org": org.name}
            }
        )
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Năm %(year)s không hợp lệ.") % {"year": year}})
    try:
        rules = rule_set(rule_set_code) if rule_set_code else rule_set_for_year(year)
    except KeyError:
        raise ValidationError(
            {
                "rule_set": _("Chưa có quy định đánh giá, xếp loại áp dụng cho năm %(year)s.")
                % {"year": year}
            }
        ) from None
    if not (rules.first_year or 0) <= year <= (rules.last_year or 9999):
        raise ValidationError(
            {
                "rule_set": _("%(rules)s không áp dụng cho đợt đánh giá năm %(year)s.")
                % {"rules": rules.title, "year": year}
            }
        )
    if reference_date.year not in (year, year + 1):
        raise ValidationError(
            {
                "reference_date": _("Ngày tính phải thuộc năm %(year)s hoặc đầu năm sau.")
                % {"year": year}
            }
        )
    due = deadlines or Deadlines()
    for name, value in vars(due).items():
        if value is not None and value < reference_date - datetime.timedelta(days=60):
            raise ValidationError(
                {
                    name: _("Hạn %(day)s sớm hơn ngày tính quá nhiều.")
                    % {"day": value.strftime("%d/%m/%Y")}
                }
            )
    if Round.objects.filter(org=org, year=year).exists():
        raise ValidationError(
            {
                "year": _("%(org)s đã có đợt đánh giá, xếp loại năm %(year)s.")
                % {"org": org.name, "year": year}
            }
        )
    _check_not_nested(org, year)
    round_ = Round.objects.create(
        org=org,
        year=year,
        rule_set=rules.code,
        reference_date=reference_date,
        opened_by=user,
        **vars(due),
    )
    members: list[MemberEvaluation] = []
    if org.family == Family.PARTY:
        for membership in _memberships_on(org, reference_date):
            facts = MemberFacts(
                membership_status=membership.status, admitted_on=membership.joined_on
            )
            excluded = rules.member_exclusion(facts, reference_date=reference_date)
            members.append(
                MemberEvaluation(
                    round=round_,
                    person_id=membership.person_id,
                    membership=membership,
                    org_id=membership.org_id,
                    excluded_rule=str(excluded.reason)[:200] if excluded else "",
                )
            )
    MemberEvaluation.objects.bulk_create(members, batch_size=500)
    units = Org.objects.filter(
        path__startswith=org.path, level__in=GRADED_LEVELS, status=OrgStatus.ACTIVE
    ).values_list("pk", flat=True)
    UnitEvaluation.objects.bulk_create(
        [UnitEvaluation(round=round_, org_id=pk) for pk in units], batch_size=500
    )
    excluded_count = sum(1 for m in members if m.excluded_rule)
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATE,
        subject=round_,
        org_id=org.pk,
        summary=_(
            "Mở đợt đánh giá, xếp loại năm %(year)s: %(members)s đảng viên "
            "(%(excluded)s không xếp loại), %(units)s tập thể"
        )
        % {"year": year, "members": len(members), "excluded": excluded_count, "units": len(units)},
        after=snapshot(round_, ROUND_FIELDS),
    )
    return round_


# --- a member's evaluation --------------------------------------------------------------


def _record_self(
    evaluation: _Assessed,
    *,
    user: User,
    rules: RuleSet,
    data: SelfAssessment,
    criteria: tuple[Any, ...],
    grades: tuple[Grade, ...],
    scored: bool,
    summary: str,
) -> None:
    """Check and store a self-assessment (a member's or a unit's) and audit it; `summary`
    takes the self grade as %(grade)s."""
    before = snapshot(evaluation, SELF_FIELDS)
    texts: dict[str, str] = {}
    codes = {criterion.code: criterion for criterion in criteria}
    for code, text in data.texts.items():
        if code not in codes:
            raise ValidationError(
                {"self_text": _("Tiêu chí “%(code)s” không có trong quy định.") % {"code": code}}
            )
        cleaned = _clean_text(text, f"text_{code}", str(codes[code].title))
        if cleaned:
            texts[code] = cleaned
    evaluation.self_text = texts
    evaluation.strengths = _clean_text(data.strengths, "strengths", _("Ưu điểm"))
    evaluation.shortcomings = _clean_text(data.shortcomings, "shortcomings", _("Hạn chế"))
    grade = data.self_grade
    if scored:
        sheet, total = _score_sheet(rules, data.score_sheet or {})
        evaluation.score_sheet = sheet
        evaluation.self_score = total
        by_score = rules.grade_for_score(total)
        if not grade:
            grade = by_score
        elif _above(grade, by_score, grades):
            raise ValidationError(
                {
                    "self_grade": _(
                        "Tổng %(total)s điểm chỉ cho mức “%(grade)s”, không tự xếp cao hơn được."
                    )
                    % {"total": total, "grade": grade_label(by_score)}
                }
            )
    _check_grade(grade, field="self_grade", grades=grades, evaluation=evaluation, required=True)
    evaluation.self_grade = grade
    evaluation.self_submitted_at = timezone.now()
    _save(evaluation, SELF_FIELDS)
    _audit(
        user=user,
        evaluation=evaluation,
        action=AuditEntry.Action.UPDATE,
        summary=summary % {"grade": grade_label(grade)},
        before=before,
        fields=SELF_FIELDS,
    )


@transaction.atomic
def evaluation_self_submit(
    *, user: User, evaluation: MemberEvaluation, revision: int | None, data: SelfAssessment
) -> MemberEvaluation:
    """The member's own self-assessment; only the member writes it, until the decision."""

    def own(current: MemberEvaluation) -> None:
        if current.person.user_id != user.pk:
            # Others in the scope learn the evaluation exists (403); outsiders do not (404).
            require_role(user, current.org.path, Role.MEMBER)
            raise PermissionDenied

    current = _writable_copy(evaluation, revision, own, gradable=True)
    rules = rules_of(current.round)
    _record_self(
        current,
        user=user,
        rules=rules,
        data=data,
        criteria=rules.member_criteria,
        grades=rules.member_grades(),
        scored=rules.scored,
        summary=_("Tự đánh giá, tự xếp loại: %(grade)s"),
    )
    return current


@dataclass(frozen=True)
class Proposal:
    """The cell's collective comment and proposal for a member, with the facts it records."""

    review_comment: str
    proposed_grade: str
    proposed_score: str = ""
    sick_leave_months: int = 0
    discipline: str = ""


@transaction.atomic
def evaluation_propose(
    *, user: User, evaluation: MemberEvaluation, revision: int | None, data: Proposal
) -> MemberEvaluation:
    """The cell's comment and proposed grade (the cell's officers), with the sick leave and
    discipline facts that may cap the grade; a grade above the cap is refused."""
    current = _writable_copy(evaluation, revision, _in_unit(user, Role.OFFICER), gradable=True)
    rules = rules_of(current.round)
    before = snapshot(current, (*PROPOSAL_FIELDS, *MEMBER_FACT_FIELDS, "step"))
    if not 0 <= data.sick_leave_months <= MAX_SICK_MONTHS:
        raise ValidationError({"sick_leave_months": _("Số tháng nghỉ ốm phải từ 0 đến 12.")})
    current.sick_leave_months = data.sick_leave_months
    current.discipline = _clean_text(data.discipline, "discipline", _("Kỷ luật"), MAX_DISCIPLINE)
    current.review_comment = _clean_text(data.review_comment, "review_comment", _("Nhận xét"))
    _apply_cap(current, rules)
    grades = rules.member_grades()
    score: Decimal | None = None
    if rules.scored and data.proposed_score.strip():
        try:
            score = Decimal(data.proposed_score.strip().replace(",", ".")).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ValidationError({"proposed_score": _("Điểm đề xuất không phải là số.")}) from None
        if not Decimal(0) <= score <= Decimal(100):
            raise ValidationError({"proposed_score": _("Điểm đề xuất phải từ 0 đến 100.")})
    grade = data.proposed_grade
    if score is not None:
        by_score = rules.grade_for_score(score)
        grade = grade or by_score
        if _above(grade, by_score, grades):
            raise ValidationError(
                {
                    "proposed_grade": _("%(score)s điểm chỉ cho mức “%(grade)s”.")
                    % {"score": score, "grade": grade_label(by_score)}
                }
            )
    _check_grade(grade, field="proposed_grade", grades=grades, evaluation=current, required=True)
    current.proposed_score = score
    _record_proposal(
        current,
        user=user,
        grade=grade,
        before=before,
        fields=(*PROPOSAL_FIELDS, *MEMBER_FACT_FIELDS),
        summary=_("Chi bộ đề xuất: %(grade)s"),
    )
    return current


def _check_unit_assessed_first(evaluation: MemberEvaluation) -> None:
    """Collectives before individuals, the order the issue asks for. No text we could read
    states it (Quy định 124-QĐ/TW, Điều 11 lays down the three steps of the method, not
    this order; Hướng dẫn 43-HD/BTCTW grades an organisation on its units' and members'
    grades): docs/evaluation.md, "Sources checked". A member's grade is decided only once
    the unit that evaluates them (their cell, or the nearest graded unit above it in the
    round) has submitted its own collective self-assessment."""
    org = evaluation.org
    unit = (
        UnitEvaluation.objects.filter(
            round_id=evaluation.round_id, org__path__in=[*org.ancestor_paths(), org.path]
        )
        .select_related("org")
        .order_by("-org__depth")
        .first()
    )
    if unit is not None and unit.self_submitted_at is None:
        raise ValidationError(
            {
                "grade": _(
                    "%(unit)s chưa gửi bản tự đánh giá, xếp loại của tập thể; theo trình tự "
                    "tập thể trước, cá nhân sau, cấp ủy chưa quyết định xếp loại đảng viên "
                    "được."
                )
                % {"unit": unit.org.name}
            }
        )


@transaction.atomic
def evaluation_decide(
    *, user: User, evaluation: MemberEvaluation, revision: int | None, grade: str, note: str = ""
) -> MemberEvaluation:
    """The committee's decision: applies the cap and locks the evaluation."""
    current = _writable_copy(evaluation, revision, _in_unit(user, Role.COMMITTEE), gradable=True)
    _check_unit_assessed_first(current)
    rules = rules_of(current.round)
    _apply_cap(current, rules)
    _check_grade(
        grade, field="grade", grades=rules.member_grades(), evaluation=current, required=True
    )
    _record_decision(
        current,
        user=user,
        grade=grade,
        note=note,
        summary=_("Cấp ủy quyết định: %(grade)s"),
        also=("cap_grade", "cap_rule"),
    )
    return current


@transaction.atomic
def evaluations_decide_as_proposed(
    *, user: User, round_: Round, org: Org, revisions: Mapping[int, int | None]
) -> int:
    """Decide, at the grade the cell proposed, every proposed and undecided evaluation of
    `org`'s subtree listed in `revisions` (each with the revision the page showed). All or
    nothing: one stale or capped evaluation refuses the lot, naming the member."""
    require_role(user, org.path, Role.COMMITTEE)
    rows = (
        MemberEvaluation.objects.filter(
            round=round_,
            org__path__startswith=org.path,
            pk__in=list(revisions),
            locked_at__isnull=True,
            excluded_rule="",
        )
        .exclude(proposed_grade="")
        .select_related("person")
        .order_by("pk")
    )
    done = 0
    for evaluation in rows:
        if revisions[evaluation.pk] is None:
            # Not "no check": a revision lost on the way would decide over a newer proposal.
            raise ValidationError(
                {
                    "round": _(
                        "%(name)s: trang không gửi kèm lần sửa của phiếu; hãy tải lại trang "
                        "rồi quyết định lại."
                    )
                    % {"name": evaluation.person.full_name}
                }
            )
        try:
            evaluation_decide(
                user=user,
                evaluation=evaluation,
                revision=revisions[evaluation.pk],
                grade=evaluation.proposed_grade,
            )
        except ValidationError as error:
            raise ValidationError(
                {
                    "round": _("%(name)s: %(problem)s")
                    % {"name": evaluation.person.full_name, "problem": " ".join(error.messages)}
                }
            ) from None
        done += 1
    return done


def _reopen(*, user: User, evaluation: _E, reason: str, revision: int | None, min_path: str) -> _E:
    current = _locked_copy(evaluation)
    require_role(user, current.org.path, Role.MEMBER)
    if not scope_for(user).can(min_path or current.org.path, Role.COMMITTEE):
        raise PermissionDenied
    _check_revision(current, revision)
    text = _clean_text(reason, "reason", _("Lý do"), 500)
    if not text:
        raise ValidationError({"reason": _("Phải ghi lý do mở lại quyết định.")})
    if not current.is_locked:
        raise ValidationError({"reason": _("Phiếu chưa được quyết định, không cần mở lại.")})
    before = snapshot(current, DECISION_FIELDS)
    current.locked_at = None
    current.decided_grade = ""
    current.step = Step.PROPOSED if current.proposed_grade else Step.SELF
    _save(current, ("locked_at", "decided_grade", "step"))
    round_ = current.round
    summary = _("Mở lại quyết định (đã xếp “%(grade)s”). Lý do: %(reason)s") % {
        "grade": grade_label(before["decided_grade"]),
        "reason": text,
    }
    if round_.status == RoundStatus.FINALISED:
        # The round's figures are no longer final while a decision is open again.
        round_.status = RoundStatus.OPEN
        round_.finalised_at = None
        round_.save(update_fields=["status", "finalised_at"])
        summary = _("%(summary)s. Đợt đánh giá trở lại trạng thái đang đánh giá.") % {
            "summary": summary
        }
    _audit(
        user=user,
        evaluation=current,
        action=AuditEntry.Action.UPDATE,
        summary=summary,
        before={**before, "reason": text},
        fields=DECISION_FIELDS,
    )
    return current


@transaction.atomic
def evaluation_reopen(
    *, user: User, evaluation: MemberEvaluation, reason: str, revision: int | None = None
) -> MemberEvaluation:
    """Unlock a decided evaluation; the reason goes into the audit entry."""
    return _reopen(user=user, evaluation=evaluation, reason=reason, revision=revision, min_path="")


# --- a unit's evaluation --------------------------------------------------------------


def _unit_grades(evaluation: UnitEvaluation, rules: RuleSet) -> tuple[Grade, ...]:
    family = "party" if evaluation.org.family == Family.PARTY else evaluation.org.family
    return rules.unit_grades(family=family)


def _deciding_path(evaluation: UnitEvaluation) -> str:
    """Units are graded by the committee above them (a cell by its grassroots committee,
    a grassroots organisation by the level above it)."""
    return evaluation.org.parent_path or evaluation.org.path


def _by_level_above(user: User, role: Role) -> Callable[[UnitEvaluation], None]:
    """The check of a unit's grading by the level above: 404 when the unit is outside the
    scope, 403 when the user may not act for the level above it."""

    def allowed(evaluation: UnitEvaluation) -> None:
        require_role(user, evaluation.org.path, Role.MEMBER)
        if not scope_for(user).can(_deciding_path(evaluation), role):
            raise PermissionDenied

    return allowed


@transaction.atomic
def unit_evaluation_self_submit(
    *, user: User, evaluation: UnitEvaluation, revision: int | None, data: SelfAssessment
) -> UnitEvaluation:
    """The unit's collective self-assessment, written by its officers."""
    current = _writable_copy(evaluation, revision, _in_unit(user, Role.OFFICER), gradable=False)
    rules = rules_of(current.round)
    _record_self(
        current,
        user=user,
        rules=rules,
        data=data,
        criteria=unit_criteria(rules, current.org.family),
        grades=_unit_grades(current, rules),
        scored=False,
        summary=_("Tập thể tự đánh giá: %(grade)s"),
    )
    return current


@transaction.atomic
def unit_evaluation_propose(
    *, user: User, evaluation: UnitEvaluation, revision: int | None, comment: str, grade: str
) -> UnitEvaluation:
    """The comment and proposed grade of the level above (its officers)."""
    current = _writable_copy(
        evaluation, revision, _by_level_above(user, Role.OFFICER), gradable=False
    )
    rules = rules_of(current.round)
    before = snapshot(current, (*PROPOSAL_FIELDS, "step"))
    current.review_comment = _clean_text(comment, "review_comment", _("Nhận xét"))
    _check_grade(
        grade,
        field="proposed_grade",
        grades=_unit_grades(current, rules),
        evaluation=current,
        required=True,
    )
    _record_proposal(
        current,
        user=user,
        grade=grade,
        before=before,
        fields=("review_comment",),
        summary=_("Đề xuất xếp loại tập thể: %(grade)s"),
    )
    return current


def _check_units_below_decided(evaluation: UnitEvaluation) -> None:
    """Lower levels before higher, the order the issue asks for (not found stated in a
    text: see _check_unit_assessed_first). A unit is graded only when every unit below it
    in the round is decided; as each of those waited for its own, this is the units
    directly below it, and also any one reopened since. One query over the path prefix."""
    waiting = list(
        UnitEvaluation.objects.filter(
            round_id=evaluation.round_id,
            org__path__startswith=evaluation.org.path,
            locked_at__isnull=True,
            excluded_rule="",
        )
        .exclude(pk=evaluation.pk)
        .order_by("org__path")
        .values_list("org__name", flat=True)[:9]
    )
    if waiting:
        names = ", ".join(waiting[:8]) + (", …" if len(waiting) > 8 else "")
        raise ValidationError(
            {
                "grade": _(
                    "Chưa xếp loại %(org)s được: theo trình tự cấp dưới trước, cấp trên sau, "
                    "còn tập thể trực thuộc chưa được quyết định xếp loại (%(names)s)."
                )
                % {"org": evaluation.org.name, "names": names}
            }
        )


@transaction.atomic
def unit_evaluation_decide(
    *, user: User, evaluation: UnitEvaluation, revision: int | None, grade: str, note: str = ""
) -> UnitEvaluation:
    """The decision on a unit by the committee above it; locks it."""
    current = _writable_copy(
        evaluation, revision, _by_level_above(user, Role.COMMITTEE), gradable=False
    )
    _check_units_below_decided(current)
    rules = rules_of(current.round)
    _check_grade(
        grade, field="grade", grades=_unit_grades(current, rules), evaluation=current, required=True
    )
    _record_decision(
        current,
        user=user,
        grade=grade,
        note=note,
        summary=_("Quyết định xếp loại tập thể: %(grade)s"),
    )
    return current


@transaction.atomic
def unit_evaluation_reopen(
    *, user: User, evaluation: UnitEvaluation, reason: str, revision: int | None = None
) -> UnitEvaluation:
    return _reopen(
        user=user,
        evaluation=evaluation,
        reason=reason,
        revision=revision,
        min_path=_deciding_path(evaluation),
    )


# --- finalising -------------------------------------------------------------------------


def quota_by_base(round_: Round, *, with_proposed: bool) -> list[tuple[Org, QuotaCheck]]:
    """The quota check of every grassroots organisation of the round, from one GROUP BY
    over the round's member evaluations (decided grades, or else proposed ones)."""
    rules = rules_of(round_)
    bases = list(
        Org.objects.filter(path__startswith=round_.org.path, level=Level.BASE).order_by("path")
    )
    grade: Any = F("decided_grade")
    if with_proposed:
        grade = Coalesce(NullIf(F("decided_grade"), Value("")), F("proposed_grade"))
    counted = (
        MemberEvaluation.objects.filter(round=round_, excluded_rule="")
        .annotate(g=grade)
        .values("org__path", "g")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict[str, int]] = {base.pk: {} for base in bases}
    by_length = sorted(bases, key=lambda b: -len(b.path))
    for row in counted:
        base = next((b for b in by_length if row["org__path"].startswith(b.path)), None)
        if base is None or not row["g"]:
            continue
        counts[base.pk][row["g"]] = counts[base.pk].get(row["g"], 0) + row["n"]
    return [(base, rules.quota(counts[base.pk])) for base in bases]


def quota_message(org: Org, check: QuotaCheck, rules: RuleSet) -> str:
    return _(
        "%(org)s: %(excellent)s đảng viên xếp loại Hoàn thành xuất sắc nhiệm vụ, vượt mức "
        "tối đa %(allowed)s (%(percent)s%% của %(base)s đảng viên làm cơ sở tính tỷ lệ)."
    ) % {
        "org": org.name,
        "excellent": check.excellent,
        "allowed": check.allowed,
        "base": check.base,
        "percent": f"{rules.excellent_quota * 100:.0f}",
    }


@transaction.atomic
def round_finalise(*, user: User, round: Round) -> Round:
    """Close the round: refused while evaluations are undecided (how many, where) or a
    grassroots organisation has more excellent grades than its quota allows."""
    current = Round.objects.select_for_update().select_related("org").get(pk=round.pk)
    require_role(user, current.org.path, Role.COMMITTEE)
    if current.status == RoundStatus.FINALISED:
        raise ValidationError({"round": _("Đợt đánh giá này đã hoàn thành.")})
    waiting = list(
        MemberEvaluation.objects.filter(round=current, excluded_rule="", locked_at__isnull=True)
        .values("org__name")
        .annotate(n=Count("pk"))
        .order_by("org__path")
    )
    units_waiting = list(
        UnitEvaluation.objects.filter(round=current, locked_at__isnull=True)
        .exclude(org=current.org)
        .values_list("org__name", flat=True)
        .order_by("org__path")
    )
    if waiting or units_waiting:
        total = sum(row["n"] for row in waiting)
        places = "; ".join(f"{row['org__name']}: {row['n']}" for row in waiting[:8])
        if len(waiting) > 8:
            places += "; …"
        message = (
            _("Còn %(count)s đảng viên chưa được cấp ủy quyết định xếp loại (%(places)s).")
            % {"count": total, "places": places}
            if waiting
            else ""
        )
        if units_waiting:
            message = (message + " " if message else "") + _(
                "Còn %(count)s tập thể chưa được xếp loại (%(names)s)."
            ) % {"count": len(units_waiting), "names": ", ".join(units_waiting[:8])}
        raise ValidationError({"round": message})
    broken = [
        quota_message(org, check, rules_of(current))
        for org, check in quota_by_base(current, with_proposed=False)
        if check.is_broken
    ]
    if broken:
        raise ValidationError({"round": " ".join(broken)})
    before = snapshot(current, ("status",))
    current.status = RoundStatus.FINALISED
    current.finalised_by = user
    current.finalised_at = timezone.now()
    current.save(update_fields=["status", "finalised_by", "finalised_at"])
    audit_record(
        actor=user,
        action=AuditEntry.Action.UPDATE,
        subject=current,
        org_id=current.org_id,
        summary=_("Hoàn thành đợt đánh giá, xếp loại năm %(year)s") % {"year": current.year},
        before=before,
        after=snapshot(current, ("status", "finalised_at")),
    )
    return current
