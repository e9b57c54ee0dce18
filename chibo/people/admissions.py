"""Admission into the Party, step by step, and recognition as an official member.

A candidate (quần chúng ưu tú) is put on a cell's list; studies the course on the Party
(lớp bồi dưỡng nhận thức về Đảng); gathers the dossier (forms 1-KNĐ … 9-KNĐ of Hướng dẫn
12-HD/BTCTW, 2022); the cell votes (6-KNĐ); a committee above the cell decides (9-KNĐ),
which makes the candidate a probationary member; the cell holds the admission ceremony;
twelve months after the ceremony the member may be recognised as official. Each step is a
service here, atomic and audited; the time limits come from `party_rules`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.audit import audit_person_change, audit_record, snapshot
from chibo.core.models import AuditEntry
from chibo.core.roles import Role
from chibo.core.scoping import get_for
from chibo.core.vntext import nfc
from chibo.orgs.models import Family, Org, OrgStatus
from chibo.people.lifecycle import (
    check_day,
    check_text,
    raise_if,
    require_party_org,
    vn,
)
from chibo.people.models import (
    OPTIONAL_PAPERS,
    PAPERS_BEFORE_CELL_VOTE,
    Admission,
    AdmissionPaper,
    AdmissionStage,
    Membership,
    MembershipStatus,
    PaperForm,
    Person,
)
from chibo.people.party_rules import add_months, add_working_days, birthday_at, rules_on
from chibo.people.services import (
    PersonData,
    membership_create,
    membership_update,
    person_build,
    person_create,
)

if TYPE_CHECKING:
    from chibo.core.models import User
    from chibo.core.scoping import AnyUser

ADMISSION_FIELDS = (
    "org", "stage", "listed_on", "course_completed_on", "course_certificate",
    "course_provider", "cell_resolution_on", "cell_resolution_number", "decision_on",
    "decision_number", "decided_by", "ceremony_on", "membership", "stopped_on", "stop_reason",
    "note",
)  # fmt: skip
# Papers the steps themselves produce: the cell's resolution and the committee's decision.
AUTOMATIC_PAPERS = (PaperForm.CELL_RESOLUTION, PaperForm.DECISION)
STAGE_ORDER = list(AdmissionStage.values)
# Stages of someone the cell is still considering: not yet admitted, not stopped.
CONSIDERED_STAGES = (AdmissionStage.CANDIDATE, AdmissionStage.STUDIED, AdmissionStage.PROPOSED)


def _locked(admission: Admission) -> Admission:
    """The admission re-read under a row lock, so two clicks cannot both pass a check."""
    return (
        Admission.objects.select_for_update(of=("self",))
        .select_related("person", "org")
        .get(pk=admission.pk)
    )


def _audit(
    admission: Admission,
    *,
    before: dict[str, Any] | None,
    summary: str,
    actor: User | None,
    action: str = AuditEntry.Action.UPDATE,
) -> None:
    audit_person_change(
        subject=admission,
        fields=ADMISSION_FIELDS,
        before=before,
        summary=summary,
        actor=actor,
        action=action,
    )


def _require_stage(admission: Admission, *allowed: str) -> None:
    if admission.stage not in allowed:
        raise ValidationError(
            {
                "stage": _("Hồ sơ của %(name)s đang ở bước “%(stage)s”, chưa làm được bước này.")
                % {"name": admission.person.full_name, "stage": admission.get_stage_display()}
            }
        )


def _age_check(
    errors: dict[str, str], field: str, admission: Admission, day: datetime.date | None
) -> None:
    born = admission.person.birth_date
    if field in errors or day is None or born is None:
        return
    years = rules_on(day).min_admission_age
    if day < birthday_at(born, years):
        errors[field] = _(
            "Ngày %(date)s %(name)s chưa đủ %(years)s tuổi (sinh ngày %(born)s): chi bộ chỉ xét "
            "kết nạp người từ đủ %(years)s tuổi."
        ) % {"date": vn(day), "name": admission.person.full_name, "years": years, "born": vn(born)}


def _set_paper(admission: Admission, form: str, day: datetime.date | None) -> None:
    paper, _created = AdmissionPaper.objects.get_or_create(admission=admission, form=form)
    paper.received_on = day
    paper.save(update_fields=["received_on"])


# --- steps ------------------------------------------------------------------------------


@transaction.atomic
def admission_open(
    *,
    org: Org,
    data: PersonData,
    listed_on: datetime.date | None,
    note: str = "",
    actor: User | None = None,
) -> Admission:
    """Put a new candidate on a cell's list. Every problem is reported at once."""
    errors: dict[str, str] = {}
    try:
        require_party_org(org)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    check_day(errors, "listed_on", listed_on, label=_("ngày đưa vào danh sách"))
    if data.birth_date is None:
        errors["birth_date"] = _("Cần nhập ngày sinh của quần chúng để xét tuổi vào Đảng.")
    if not data.gender:
        errors["gender"] = _("Cần chọn giới tính.")
    try:
        person_build(data)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages[0])
    raise_if(errors)
    assert listed_on is not None
    person = person_create(data=data, org_id=org.pk, actor=actor)
    admission = Admission.objects.create(
        person=person, org=org, listed_on=listed_on, note=nfc(note).strip()
    )
    _audit(
        admission,
        before=None,
        action=AuditEntry.Action.CREATE,
        actor=actor,
        summary=_("%(name)s vào danh sách quần chúng ưu tú của %(org)s")
        % {"name": person.full_name, "org": org.name},
    )
    return admission


@transaction.atomic
def admission_open_for(
    *,
    org: Org,
    person: Person,
    listed_on: datetime.date | None,
    note: str = "",
    actor: User | None = None,
) -> Admission:
    """Put someone already on record (a union or association member) on a cell's list."""
    errors: dict[str, str] = {}
    try:
        require_party_org(org)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    check_day(
        errors,
        "listed_on",
        listed_on,
        label=_("ngày đưa vào danh sách"),
        not_before=(person.birth_date, _("ngày sinh")),
    )
    if person.birth_date is None:
        errors["birth_date"] = _("Cần có ngày sinh của %(name)s để xét tuổi vào Đảng.") % {
            "name": person.full_name
        }
    if Membership.objects.current().filter(person=person, family=Family.PARTY).exists():
        errors["person"] = _("%(name)s đã là đảng viên.") % {"name": person.full_name}
    elif Admission.objects.open().filter(person=person).exists():
        errors["person"] = _("%(name)s đang trong danh sách xem xét kết nạp.") % {
            "name": person.full_name
        }
    raise_if(errors)
    assert listed_on is not None
    admission = Admission.objects.create(
        person=person, org=org, listed_on=listed_on, note=nfc(note).strip()
    )
    _audit(
        admission,
        before=None,
        action=AuditEntry.Action.CREATE,
        actor=actor,
        summary=_("%(name)s vào danh sách quần chúng ưu tú của %(org)s")
        % {"name": person.full_name, "org": org.name},
    )
    return admission


@transaction.atomic
def admission_record_course(
    *,
    admission: Admission,
    completed_on: datetime.date | None,
    certificate: str,
    provider: str = "",
    actor: User | None = None,
) -> Admission:
    admission = _locked(admission)
    _require_stage(admission, AdmissionStage.CANDIDATE, AdmissionStage.STUDIED)
    errors: dict[str, str] = {}
    check_day(
        errors,
        "course_completed_on",
        completed_on,
        label=_("ngày học xong lớp bồi dưỡng"),
        not_before=(admission.person.birth_date, _("ngày sinh")),
    )
    check_text(errors, "course_certificate", certificate, label=_("số giấy chứng nhận"))
    raise_if(errors)
    before = snapshot(admission, ADMISSION_FIELDS)
    admission.course_completed_on = completed_on
    admission.course_certificate = nfc(certificate).strip()
    admission.course_provider = nfc(provider).strip()
    admission.stage = AdmissionStage.STUDIED
    admission.save()
    assert completed_on is not None
    _audit(
        admission,
        before=before,
        actor=actor,
        summary=_("%(name)s học xong lớp bồi dưỡng nhận thức về Đảng ngày %(date)s")
        % {"name": admission.person.full_name, "date": vn(completed_on)},
    )
    return admission


@transaction.atomic
def admission_record_papers(
    *,
    admission: Admission,
    received: Mapping[str, datetime.date | None],
    actor: User | None = None,
) -> Admission:
    """Tick the dossier: the day each form was received, or None when it is not (yet)."""
    admission = _locked(admission)
    _require_stage(
        admission, AdmissionStage.CANDIDATE, AdmissionStage.STUDIED, AdmissionStage.PROPOSED,
        AdmissionStage.ADMITTED,
    )  # fmt: skip
    errors: dict[str, str] = {}
    for form, day in received.items():
        if form not in PaperForm.values or form in AUTOMATIC_PAPERS:
            errors[form] = _("Mẫu %(form)s không ghi nhận ở đây.") % {"form": form}
            continue
        check_day(
            errors,
            form,
            day,
            label=_("ngày nhận mẫu %(form)s") % {"form": form},
            required=False,
            not_before=(admission.person.birth_date, _("ngày sinh")),
        )
    raise_if(errors)
    current = {
        paper.form: paper.received_on
        for paper in AdmissionPaper.objects.filter(admission=admission)
    }
    before = {form: day.isoformat() for form in received if (day := current.get(form)) is not None}
    for form, day in received.items():
        if current.get(form) != day:
            _set_paper(admission, form, day)
    after = {form: day.isoformat() for form, day in received.items() if day}
    if after != before:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            subject=admission,
            org_id=admission.org_id,
            person_id=admission.person_id,
            summary=_("Hồ sơ kết nạp của %(name)s: %(count)s/%(total)s giấy tờ đã có")
            % {
                "name": admission.person.full_name,
                "count": len(after) + sum(1 for form in AUTOMATIC_PAPERS if current.get(form)),
                "total": len(PaperForm.values),
            },
            before=before,
            after=after,
        )
    return admission


@transaction.atomic
def admission_record_cell_resolution(
    *,
    admission: Admission,
    on: datetime.date | None,
    number: str,
    actor: User | None = None,
) -> Admission:
    """The cell votes to propose admission (6-KNĐ): only after the course, with the dossier
    in hand, and for a candidate of at least 18."""
    admission = _locked(admission)
    if admission.stage == AdmissionStage.CANDIDATE:
        raise ValidationError(
            {
                "stage": _(
                    "%(name)s chưa học lớp bồi dưỡng nhận thức về Đảng: hãy ghi nhận giấy chứng "
                    "nhận trước khi chi bộ xét đề nghị kết nạp."
                )
                % {"name": admission.person.full_name}
            }
        )
    _require_stage(admission, AdmissionStage.STUDIED, AdmissionStage.PROPOSED)
    errors: dict[str, str] = {}
    check_day(
        errors,
        "on",
        on,
        label=_("ngày nghị quyết của chi bộ"),
        not_before=(admission.course_completed_on, _("ngày học xong lớp bồi dưỡng")),
    )
    check_text(errors, "number", number, label=_("số nghị quyết của chi bộ"))
    _age_check(errors, "on", admission, on)
    received: dict[str, datetime.date] = {
        form: day
        for form, day in AdmissionPaper.objects.filter(admission=admission).values_list(
            "form", "received_on"
        )
        if day is not None
    }
    missing = [form for form in PAPERS_BEFORE_CELL_VOTE if form not in received]
    if missing:
        errors["papers"] = _("Hồ sơ còn thiếu: %(forms)s.") % {
            "forms": "; ".join(f"{form} ({PaperForm(form).label})" for form in missing)
        }
    elif on is not None and "on" not in errors:
        late = [form for form in PAPERS_BEFORE_CELL_VOTE if received[form] > on]
        if late:
            errors["on"] = _("Ngày nghị quyết %(date)s trước ngày nhận %(forms)s.") % {
                "date": vn(on),
                "forms": ", ".join(late),
            }
    raise_if(errors)
    assert on is not None
    before = snapshot(admission, ADMISSION_FIELDS)
    admission.cell_resolution_on = on
    admission.cell_resolution_number = nfc(number).strip()
    admission.stage = AdmissionStage.PROPOSED
    admission.save()
    _set_paper(admission, PaperForm.CELL_RESOLUTION, on)
    _audit(
        admission,
        before=before,
        actor=actor,
        summary=_("Chi bộ đề nghị kết nạp %(name)s (nghị quyết %(number)s ngày %(date)s)")
        % {
            "name": admission.person.full_name,
            "number": admission.cell_resolution_number,
            "date": vn(on),
        },
    )
    return admission


def decision_makers(*, admission: Admission) -> list[Org]:
    """Orgs above the cell that may decide the admission, nearest first."""
    paths = admission.org.ancestor_paths()
    return list(
        Org.objects.filter(path__in=paths, family=Family.PARTY, status=OrgStatus.ACTIVE).order_by(
            "-depth"
        )
    )


@transaction.atomic
def admission_record_decision(
    *,
    admission: Admission,
    on: datetime.date | None,
    number: str,
    decided_by: Org,
    actor: User | None = None,
) -> Admission:
    """The committee's decision (9-KNĐ): the candidate becomes a probationary member of the
    cell from that day, which is also the day party age will count from."""
    admission = _locked(admission)
    _require_stage(admission, AdmissionStage.PROPOSED)
    errors: dict[str, str] = {}
    check_day(
        errors,
        "on",
        on,
        label=_("ngày quyết định kết nạp"),
        not_before=(admission.cell_resolution_on, _("ngày nghị quyết của chi bộ")),
    )
    check_text(errors, "number", number, label=_("số quyết định kết nạp"))
    _age_check(errors, "on", admission, on)
    if not admission.org.path.startswith(decided_by.path) or decided_by.pk == admission.org_id:
        errors["decided_by"] = _("%(org)s không phải cấp ủy cấp trên của %(cell)s.") % {
            "org": decided_by.name,
            "cell": admission.org.name,
        }
    if Membership.objects.current().filter(person=admission.person, family=Family.PARTY).exists():
        errors["stage"] = _("%(name)s đã là đảng viên đang sinh hoạt.") % {
            "name": admission.person.full_name
        }
    raise_if(errors)
    assert on is not None
    before = snapshot(admission, ADMISSION_FIELDS)
    membership = membership_create(
        person=admission.person,
        org=admission.org,
        status=MembershipStatus.PROBATIONARY,
        joined_on=on,
        started_on=on,
        actor=actor,
    )
    admission.decision_on = on
    admission.decision_number = nfc(number).strip()
    admission.decided_by = decided_by
    admission.membership = membership
    admission.stage = AdmissionStage.ADMITTED
    admission.save()
    _set_paper(admission, PaperForm.DECISION, on)
    _audit(
        admission,
        before=before,
        actor=actor,
        summary=_("Kết nạp %(name)s vào Đảng (quyết định %(number)s ngày %(date)s)")
        % {"name": admission.person.full_name, "number": admission.decision_number, "date": vn(on)},
    )
    return admission


def ceremony_deadline(admission: Admission) -> datetime.date | None:
    if admission.decision_on is None:
        return None
    rules = rules_on(admission.decision_on)
    return add_working_days(admission.decision_on, rules.ceremony_working_days)


@transaction.atomic
def admission_record_ceremony(
    *, admission: Admission, on: datetime.date | None, actor: User | None = None
) -> Admission:
    """The cell's admission ceremony: probation runs twelve months from this day."""
    admission = _locked(admission)
    _require_stage(admission, AdmissionStage.ADMITTED)
    errors: dict[str, str] = {}
    check_day(
        errors,
        "on",
        on,
        label=_("ngày tổ chức lễ kết nạp"),
        not_before=(admission.decision_on, _("ngày quyết định kết nạp")),
    )
    raise_if(errors)
    assert on is not None
    before = snapshot(admission, ADMISSION_FIELDS)
    admission.ceremony_on = on
    admission.save(update_fields=["ceremony_on"])
    deadline = ceremony_deadline(admission)
    late = deadline is not None and on > deadline
    summary = _("Lễ kết nạp %(name)s ngày %(date)s") % {
        "name": admission.person.full_name,
        "date": vn(on),
    }
    if late and deadline is not None:
        summary += _(" (quá hạn 30 ngày làm việc, hạn là %(deadline)s)") % {
            "deadline": vn(deadline)
        }
    _audit(admission, before=before, actor=actor, summary=summary)
    return admission


@transaction.atomic
def admission_stop(
    *,
    admission: Admission,
    on: datetime.date | None,
    reason: str,
    actor: User | None = None,
) -> Admission:
    """The cell stops considering a candidate; the record stays."""
    admission = _locked(admission)
    _require_stage(
        admission, AdmissionStage.CANDIDATE, AdmissionStage.STUDIED, AdmissionStage.PROPOSED
    )
    errors: dict[str, str] = {}
    check_day(
        errors,
        "on",
        on,
        label=_("ngày dừng"),
        not_before=(admission.listed_on, _("ngày vào danh sách")),
    )
    check_text(errors, "reason", reason, label=_("lý do dừng xem xét"))
    raise_if(errors)
    before = snapshot(admission, ADMISSION_FIELDS)
    admission.stopped_on = on
    admission.stop_reason = nfc(reason).strip()
    admission.stage = AdmissionStage.STOPPED
    admission.save()
    _audit(
        admission,
        before=before,
        actor=actor,
        action=AuditEntry.Action.END,
        summary=_("Dừng xem xét kết nạp %(name)s") % {"name": admission.person.full_name},
    )
    return admission


# --- probation and official recognition ----------------------------------------------------


def probation_start(membership: Membership) -> datetime.date | None:
    """The day probation began: the admission ceremony when it is on record, otherwise the
    admission date (a member imported without their dossier)."""
    if membership.joined_on is None:
        return None
    ceremony = (
        Admission.objects.filter(
            person_id=membership.person_id,
            decision_on=membership.joined_on,
            ceremony_on__isnull=False,
        )
        .values_list("ceremony_on", flat=True)
        .first()
    )
    return ceremony or membership.joined_on


def probation_end(membership: Membership) -> datetime.date | None:
    start = probation_start(membership)
    if start is None:
        return None
    return add_months(start, rules_on(start).probation_months)


@transaction.atomic
def membership_recognise_official(
    *,
    membership: Membership,
    decision_number: str,
    official_on: datetime.date | None = None,
    actor: User | None = None,
) -> Membership:
    """Recognise a probationary member as official, never before twelve months of probation.

    A member recognised late is still official from the day probation ended (24-QĐ/TW 4.2.2),
    so that day is the default.
    """
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("person", "org")
        .get(pk=membership.pk)
    )
    name = membership.person.full_name
    if not membership.is_current or membership.family != Family.PARTY:
        raise ValidationError(
            {"status": _("%(name)s không còn sinh hoạt đảng ở đây.") % {"name": name}}
        )
    if membership.status != MembershipStatus.PROBATIONARY:
        raise ValidationError(
            {
                "status": _("%(name)s không phải đảng viên dự bị (tư cách hiện nay: %(status)s).")
                % {"name": name, "status": membership.get_status_display()}
            }
        )
    end = probation_end(membership)
    if end is None:
        raise ValidationError(
            {
                "official_on": _("Chưa có ngày vào Đảng của %(name)s để tính thời gian dự bị.")
                % {"name": name}
            }
        )
    today = timezone.localdate()
    if today < end:
        raise ValidationError(
            {
                "official_on": _(
                    "%(name)s chưa đủ 12 tháng dự bị: thời gian dự bị hết ngày %(end)s, chỉ xét "
                    "công nhận chính thức từ ngày đó."
                )
                % {"name": name, "end": vn(end)}
            }
        )
    day = official_on or end
    errors: dict[str, str] = {}
    check_day(errors, "official_on", day, label=_("ngày chính thức"))
    if "official_on" not in errors and day < end:
        errors["official_on"] = _(
            "Ngày chính thức %(date)s chưa đủ 12 tháng dự bị (hết ngày %(end)s)."
        ) % {"date": vn(day), "end": vn(end)}
    check_text(errors, "decision_number", decision_number, label=_("số quyết định công nhận"))
    raise_if(errors)
    updated = membership_update(
        membership=membership,
        status=MembershipStatus.OFFICIAL,
        joined_on=membership.joined_on,
        official_on=day,
        card_number=membership.card_number,
        on=day,
        reason=_("Công nhận đảng viên chính thức"),
        decision_number=decision_number,
        actor=actor,
    )
    admission = (
        Admission.objects.select_for_update()
        .filter(person_id=membership.person_id, stage=AdmissionStage.ADMITTED)
        .first()
    )
    if admission is not None:
        before = snapshot(admission, ADMISSION_FIELDS)
        admission.stage = AdmissionStage.OFFICIAL
        admission.save(update_fields=["stage"])
        _audit(
            admission,
            before=before,
            actor=actor,
            summary=_("%(name)s là đảng viên chính thức từ ngày %(date)s")
            % {"name": name, "date": vn(day)},
        )
    return updated


# --- reads --------------------------------------------------------------------------------


def admission_list(*, user: AnyUser, org: Org, include_closed: bool = False) -> QuerySet[Admission]:
    """Candidates the org's subtree is considering (or, with `include_closed`, every
    admission it keeps), that the user reads: furthest along first, then by name."""
    admissions = (
        Admission.objects.visible_to(user)
        .filter(org__path__startswith=org.path)
        .select_related("person", "org")
    )
    if not include_closed:
        admissions = admissions.filter(stage__in=CONSIDERED_STAGES)
    progress = Case(
        *(When(stage=stage, then=Value(rank)) for rank, stage in enumerate(STAGE_ORDER)),
        default=Value(len(STAGE_ORDER)),
    )
    return admissions.annotate(progress=progress).order_by("-progress", "person__sort_key", "pk")


def admission_get_for(
    *, user: AnyUser, admission_id: int, min_role: Role = Role.VIEWER
) -> Admission:
    return get_for(
        Admission.objects.visible_to(user, min_role).select_related("person", "org", "decided_by"),
        pk=admission_id,
    )


@dataclass(frozen=True)
class PaperRow:
    form: str
    label: str
    received_on: datetime.date | None
    optional: bool
    automatic: bool


def admission_papers(*, admission: Admission) -> list[PaperRow]:
    """The whole dossier in form order, received or not."""
    received = dict(
        AdmissionPaper.objects.filter(admission=admission).values_list("form", "received_on")
    )
    return [
        PaperRow(
            form=form,
            label=str(label),
            received_on=received.get(form),
            optional=form in OPTIONAL_PAPERS,
            automatic=form in AUTOMATIC_PAPERS,
        )
        for form, label in PaperForm.choices
    ]


@dataclass(frozen=True)
class DueRow:
    membership: Membership
    start: datetime.date
    due_on: datetime.date
    review_by: datetime.date
    state: str  # "soon", "due" or "overdue"

    @property
    def days_left(self) -> int:
        return (self.due_on - timezone.localdate()).days


def probation_due_list(
    *,
    user: AnyUser,
    orgs: list[Org],
    today: datetime.date | None = None,
    limit: int = 200,
) -> list[DueRow]:
    """Probationary members of the orgs' subtrees whose twelve months end within a month,
    have ended, or ended more than 30 working days ago without a decision (overdue). One
    query whatever the number of members; ordered by the day probation ends."""
    day = today or timezone.localdate()
    if not orgs:
        return []
    rules = rules_on(day)
    ceremony = Admission.objects.filter(
        person_id=OuterRef("person_id"),
        decision_on=OuterRef("joined_on"),
        ceremony_on__isnull=False,
    ).values("ceremony_on")[:1]
    horizon = add_months(day + datetime.timedelta(days=rules.official_reminder_days), -12)
    in_orgs = Q(pk__in=[])
    for org in orgs:
        in_orgs |= Q(org__path__startswith=org.path)
    rows = (
        Membership.objects.visible_to(user)
        .current()
        .filter(in_orgs)
        .filter(status=MembershipStatus.PROBATIONARY, joined_on__isnull=False)
        .annotate(start=Coalesce(Subquery(ceremony), F("joined_on")))
        .filter(start__lte=horizon)
        .select_related("person", "org")
        .order_by("start", "person__sort_key")[:limit]
    )
    result = []
    for membership in rows:
        start: datetime.date = membership.start  # type: ignore[attr-defined]
        rules_then = rules_on(start)
        due = add_months(start, rules_then.probation_months)
        review_by = add_working_days(due, rules_then.official_review_working_days)
        state = "soon" if day < due else "due" if day <= review_by else "overdue"
        result.append(
            DueRow(membership=membership, start=start, due_on=due, review_by=review_by, state=state)
        )
    return result


class AdmissionMover:
    """Candidates follow their cell into a merger, and a member's admission record follows
    them into the part of a split they go to."""

    def merge(self, *, source: Org, target: Org, on: datetime.date, actor: User | None) -> int:
        return Admission.objects.filter(org=source).update(org=target)

    def split(
        self,
        *,
        source: Org,
        parts: Mapping[Org, frozenset[int]],
        on: datetime.date,
        actor: User | None,
    ) -> int:
        return sum(
            Admission.objects.filter(org=source, person_id__in=person_ids).update(org=new_org)
            for new_org, person_ids in parts.items()
        )
