"""Biên bản: the minutes of a meeting, in versions.

A version is written while the meeting is held (text per agenda item, conclusions,
resolutions, start and end time), signed by the chair and the minute-taker, and locked by
the second signature. Its header (unit, date, place, chair, minute-taker, guests) and its
counts come from the meeting and its roll call: the counts are refreshed on every save
while the version is open, and kept as they were once it is locked. A correction of
locked minutes is a new version; the old one stays readable and points to it.

Rules:
- Hướng dẫn 12-HD/BTCTW (2018), part II: the minute-taker records the attendance with
  reasons, the guests, the discussion of every item and the conclusions of the chair, and
  the chair and minute-taker sign the minutes (ghi biên bản, chủ trì và thư ký ký).
- Chỉ thị 50-CT/TW (2025) and Hướng dẫn 42-HD/BTCTW (2025): a cell meeting lasts at least
  90 minutes, 120 when the regular and the thematic meeting are combined; shorter meetings
  are flagged here, never refused (the minutes must say what happened).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.audit import audit_record, snapshot
from chibo.core.models import AuditEntry
from chibo.core.vntext import nfc
from chibo.meetings.attendance import meeting_counts, meeting_day, meeting_guests
from chibo.meetings.guards import check_meeting_org_active
from chibo.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Guest,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
)
from chibo.people.models import Person

if TYPE_CHECKING:
    from chibo.core.models import User

MINUTES_FIELDS = (
    "number", "item_notes", "conclusions", "resolutions", "started_at", "ended_at",
    "chair_signed_by", "chair_signed_at", "taker_signed_by", "taker_signed_at", "locked_at",
    "correction_reason", "revision",
)  # fmt: skip
TEXT_MAX = 20_000
# Chỉ thị 50-CT/TW, Hướng dẫn 42-HD/BTCTW (2025): shortest meeting, in minutes.
SHORTEST = 90
SHORTEST_COMBINED = 120
CHAIR, TAKER = "chair", "taker"


def shortest_for(kind: str) -> int:
    return SHORTEST_COMBINED if kind == MeetingKind.COMBINED else SHORTEST


def duration_minutes(minutes: Minutes) -> int | None:
    if minutes.started_at is None or minutes.ended_at is None:
        return None
    return int((minutes.ended_at - minutes.started_at).total_seconds() // 60)


@dataclass(frozen=True)
class MinutesFlag:
    code: str
    text: str


def minutes_flags(*, minutes: Minutes, meeting: Meeting) -> list[MinutesFlag]:
    """What a committee reading the minutes should notice: a meeting too short, one
    without a quorum."""
    flags: list[MinutesFlag] = []
    length = duration_minutes(minutes)
    shortest = shortest_for(meeting.kind)
    if length is not None and length < shortest:
        flags.append(
            MinutesFlag(
                "short",
                _(
                    "Buổi sinh hoạt chỉ kéo dài %(length)s phút, dưới %(shortest)s phút theo "
                    "Hướng dẫn 42-HD/BTCTW."
                )
                % {"length": length, "shortest": shortest},
            )
        )
    counts = minutes.counts or {}
    if counts.get("expected") and not counts.get("quorum"):
        flags.append(
            MinutesFlag(
                "quorum",
                _("Số có mặt (%(present)s/%(expected)s) không quá một nửa số đảng viên phải dự.")
                % {"present": counts.get("present", 0), "expected": counts.get("expected", 0)},
            )
        )
    return flags


# --- reads -------------------------------------------------------------------------------


def minutes_current(*, meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting, replaced_by__isnull=True).first()


def minutes_versions(*, meeting: Meeting) -> list[Minutes]:
    return list(
        Minutes.objects.filter(meeting=meeting)
        .select_related("chair_signed_by", "taker_signed_by", "written_by")
        .order_by("number")
    )


def minutes_get(*, meeting: Meeting, minutes_id: int) -> Minutes:
    """One version of the meeting's minutes (the meeting came through the scoping layer)."""
    from django.http import Http404

    found = Minutes.objects.filter(meeting=meeting, pk=minutes_id).first()
    if found is None:
        raise Http404
    return found


@dataclass
class MinutesItem:
    order: int
    title: str
    guidance: str
    note: str


@dataclass
class MinutesHeader:
    """What the header of the minutes says, filled in from the meeting."""

    meeting: Meeting
    unit: str
    parent: str
    day: datetime.date
    starts_at: datetime.datetime
    location: str
    chair: str
    minute_taker: str
    guests: list[Guest] = field(default_factory=list)
    absent: list[Attendance] = field(default_factory=list)
    items: list[MinutesItem] = field(default_factory=list)


def minutes_header(*, meeting: Meeting, minutes: Minutes | None) -> MinutesHeader:
    """Header, guests, absentees with reasons and agenda items with their text, in four
    queries."""
    from chibo.orgs.models import Org

    parent = Org.objects.filter(path=meeting.org.parent_path).values_list("name", flat=True).first()
    notes = (minutes.item_notes if minutes is not None else {}) or {}
    items = [
        MinutesItem(
            order=item.order,
            title=item.title,
            guidance=item.guidance,
            note=str(notes.get(str(item.order), "")),
        )
        for item in AgendaItem.objects.filter(meeting=meeting).order_by("order")
    ]
    absent = list(
        Attendance.objects.filter(meeting=meeting)
        .exclude(status=AttendanceStatus.PRESENT)
        .select_related("person")
        .order_by("person__sort_key", "pk")
    )
    return MinutesHeader(
        meeting=meeting,
        unit=meeting.org.name,
        parent=parent or "",
        day=meeting_day(meeting),
        starts_at=timezone.localtime(meeting.starts_at),
        location=meeting.location,
        chair=meeting.chair.full_name if meeting.chair else "",
        minute_taker=meeting.minute_taker.full_name if meeting.minute_taker else "",
        guests=[guest for guest in meeting_guests(meeting=meeting) if guest.present],
        absent=absent,
        items=items,
    )


def minutes_people(*, meeting: Meeting) -> list[Person]:
    """Who may chair or take the minutes: members present at the roll call and guests
    present who have a record, in Vietnamese name order."""
    present = Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.PRESENT).values(
        "person_id"
    )
    guests = Guest.objects.filter(meeting=meeting, present=True, person__isnull=False).values(
        "person_id"
    )
    return list(Person.objects.filter(Q(pk__in=present) | Q(pk__in=guests)))


# --- writes ------------------------------------------------------------------------------


def _audit(
    minutes: Minutes,
    *,
    before: dict[str, Any] | None,
    summary: str,
    actor: User | None,
    action: str = AuditEntry.Action.UPDATE,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        subject=minutes,
        org_id=minutes.meeting.org_id,
        summary=summary,
        before=before,
        after=snapshot(minutes, MINUTES_FIELDS),
    )


def _day_text(meeting: Meeting) -> str:
    return meeting_day(meeting).strftime("%d/%m/%Y")


@transaction.atomic
def minutes_start(*, meeting: Meeting, actor: User | None = None) -> Minutes:
    """The first version of the minutes, once the roll call is taken."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("org").get(pk=meeting.pk)
    )
    check_meeting_org_active(meeting)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(
            {"meeting": _("Cần điểm danh trước khi ghi biên bản buổi sinh hoạt.")}
        )
    if Minutes.objects.filter(meeting=meeting).exists():
        raise ValidationError({"meeting": _("Buổi sinh hoạt này đã có biên bản.")})
    minutes = Minutes.objects.create(
        meeting=meeting,
        number=1,
        counts=meeting_counts(meeting=meeting),
        written_by=actor,
        started_at=meeting.held_started_at,
        ended_at=meeting.held_ended_at,
    )
    _audit(
        minutes,
        before=None,
        action=AuditEntry.Action.CREATE,
        actor=actor,
        summary=_("Lập biên bản buổi sinh hoạt ngày %(day)s") % {"day": _day_text(meeting)},
    )
    return minutes


@dataclass(frozen=True)
class MinutesData:
    """What the minute-taker writes."""

    item_notes: Mapping[str, str]
    conclusions: str = ""
    resolutions: str = ""
    started_at: datetime.datetime | None = None
    ended_at: datetime.datetime | None = None
    chair: Person | None = None
    minute_taker: Person | None = None


def _locked_minutes(minutes: Minutes) -> Minutes:
    return (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("meeting", "meeting__org")
        .get(pk=minutes.pk)
    )


def _check_open(minutes: Minutes, revision: int | None) -> None:
    check_meeting_org_active(minutes.meeting)
    if minutes.replaced_by_id is not None:
        raise ValidationError(
            {"__all__": _("Đây là phiên bản cũ của biên bản; chỉ sửa được phiên bản hiện hành.")}
        )
    if minutes.is_locked:
        raise ValidationError(
            {
                "__all__": _(
                    "Biên bản đã ký và khóa. Muốn sửa, hãy lập một phiên bản sửa đổi (bản cũ "
                    "vẫn được giữ)."
                )
            }
        )
    if revision is not None and revision != minutes.revision:
        raise ValidationError(
            {
                "__all__": _(
                    "Biên bản vừa được người khác sửa. Hãy tải lại trang để xem bản mới rồi "
                    "sửa tiếp."
                )
            }
        )


def _clean(data: MinutesData, meeting: Meeting) -> tuple[dict[str, str], dict[str, str]]:
    errors: dict[str, str] = {}
    orders = {
        str(order)
        for order in AgendaItem.objects.filter(meeting=meeting).values_list("order", flat=True)
    }
    notes: dict[str, str] = {}
    for key, text in data.item_notes.items():
        clean = nfc(text or "").strip()
        if orders and str(key) not in orders:
            errors["item_notes"] = _("Mục %(key)s không có trong chương trình buổi họp.") % {
                "key": key
            }
            continue
        if len(clean) > TEXT_MAX:
            errors[f"item_{key}"] = _("Nội dung mục %(key)s dài quá %(max)s ký tự.") % {
                "key": key,
                "max": TEXT_MAX,
            }
        if clean:
            notes[str(key)] = clean
    for name, value in (("conclusions", data.conclusions), ("resolutions", data.resolutions)):
        if len(nfc(value or "").strip()) > TEXT_MAX:
            errors[name] = _("Nội dung dài quá %(max)s ký tự.") % {"max": TEXT_MAX}
    start, end = data.started_at, data.ended_at
    day = meeting_day(meeting)
    if start is not None and timezone.localtime(start).date() != day:
        errors["started_at"] = _("Giờ bắt đầu phải trong ngày họp %(day)s.") % {
            "day": day.strftime("%d/%m/%Y")
        }
    if start is not None and end is not None:
        if end <= start:
            errors["ended_at"] = _("Giờ kết thúc phải sau giờ bắt đầu.")
        elif end - start > datetime.timedelta(hours=12):
            errors["ended_at"] = _(
                "Buổi sinh hoạt không kéo dài quá 12 giờ: hãy xem lại giờ kết thúc."
            )
    elif end is not None and start is None:
        errors["started_at"] = _("Cần nhập giờ bắt đầu trước giờ kết thúc.")
    allowed = {person.pk for person in minutes_people(meeting=meeting)}
    for name, person, label in (
        ("chair", data.chair, _("Người chủ trì")),
        ("minute_taker", data.minute_taker, _("Thư ký")),
    ):
        if person is not None and person.pk not in allowed:
            errors[name] = _(
                "%(label)s phải là người có mặt tại buổi sinh hoạt (%(name)s vắng)."
            ) % {
                "label": label,
                "name": person.full_name,
            }
    return notes, errors


@transaction.atomic
def minutes_save(
    *,
    minutes: Minutes,
    data: MinutesData,
    revision: int | None,
    actor: User | None = None,
) -> Minutes:
    """Save the text of an open version. A save of a stale page is refused (two officers
    writing at once); a save after one signature clears it, since the text it signed
    changed. The counts are taken again from the roll call."""
    minutes = _locked_minutes(minutes)
    _check_open(minutes, revision)
    meeting = minutes.meeting
    notes, errors = _clean(data, meeting)
    if errors:
        raise ValidationError(errors)
    before = snapshot(minutes, MINUTES_FIELDS)
    minutes.item_notes = notes
    minutes.conclusions = nfc(data.conclusions or "").strip()
    minutes.resolutions = nfc(data.resolutions or "").strip()
    minutes.started_at = data.started_at
    minutes.ended_at = data.ended_at
    minutes.counts = meeting_counts(meeting=meeting)
    minutes.chair_signed_by = minutes.taker_signed_by = None
    minutes.chair_signed_at = minutes.taker_signed_at = None
    minutes.written_by = actor
    minutes.written_at = timezone.now()
    minutes.revision += 1
    minutes.save()
    meeting_fields = []
    if data.chair is not None and meeting.chair_id != data.chair.pk:
        meeting.chair = data.chair
        meeting_fields.append("chair")
    if data.minute_taker is not None and meeting.minute_taker_id != data.minute_taker.pk:
        meeting.minute_taker = data.minute_taker
        meeting_fields.append("minute_taker")
    if (meeting.held_started_at, meeting.held_ended_at) != (data.started_at, data.ended_at):
        meeting.held_started_at, meeting.held_ended_at = data.started_at, data.ended_at
        meeting_fields += ["held_started_at", "held_ended_at"]
    if meeting_fields:
        meeting.save(update_fields=meeting_fields)
    _audit(
        minutes,
        before=before,
        actor=actor,
        summary=_("Ghi biên bản buổi sinh hoạt ngày %(day)s (lần %(number)s)")
        % {"day": _day_text(meeting), "number": minutes.number},
    )
    return minutes


def _sign_problems(minutes: Minutes, meeting: Meeting) -> list[str]:
    problems = []
    if minutes.started_at is None or minutes.ended_at is None:
        problems.append(_("Cần ghi giờ bắt đầu và giờ kết thúc."))
    if meeting.chair_id is None:
        problems.append(_("Cần chọn người chủ trì."))
    if meeting.minute_taker_id is None:
        problems.append(_("Cần chọn thư ký."))
    if not minutes.conclusions:
        problems.append(_("Cần ghi kết luận của chủ trì."))
    return problems


@transaction.atomic
def minutes_sign(
    *, minutes: Minutes, role: str, revision: int | None = None, actor: User | None = None
) -> Minutes:
    """The chair or the minute-taker signs (an officer confirms the paper signature). The
    second signature locks the version, with the counts of the roll call as they stand."""
    minutes = _locked_minutes(minutes)
    _check_open(minutes, revision)
    meeting = Meeting.objects.select_related("chair", "minute_taker").get(pk=minutes.meeting_id)
    if role not in (CHAIR, TAKER):
        raise ValidationError({"role": _("Cần chọn ký với tư cách chủ trì hay thư ký.")})
    problems = _sign_problems(minutes, meeting)
    if problems:
        raise ValidationError({"__all__": [_("Chưa ký được biên bản:"), *problems]})
    before = snapshot(minutes, MINUTES_FIELDS)
    now = timezone.now()
    if role == CHAIR:
        minutes.chair_signed_by, minutes.chair_signed_at = actor, now
        who = meeting.chair.full_name if meeting.chair else ""
    else:
        minutes.taker_signed_by, minutes.taker_signed_at = actor, now
        who = meeting.minute_taker.full_name if meeting.minute_taker else ""
    summary = _("%(name)s ký biên bản (%(role)s)") % {
        "name": who,
        "role": _("chủ trì") if role == CHAIR else _("thư ký"),
    }
    if minutes.chair_signed_at is not None and minutes.taker_signed_at is not None:
        minutes.counts = meeting_counts(meeting=meeting)
        minutes.locked_at = now
        summary += _("; biên bản đã khóa")
    minutes.revision += 1
    minutes.save()
    _audit(minutes, before=before, actor=actor, summary=summary)
    return minutes


@transaction.atomic
def minutes_correct(*, minutes: Minutes, reason: str, actor: User | None = None) -> Minutes:
    """Correct locked minutes: a new open version with the same text and the counts of the
    roll call as it stands; the locked one stays readable and points to it."""
    minutes = _locked_minutes(minutes)
    check_meeting_org_active(minutes.meeting)
    if minutes.replaced_by_id is not None:
        raise ValidationError({"__all__": _("Phiên bản này đã có bản sửa đổi.")})
    if not minutes.is_locked:
        raise ValidationError(
            {"__all__": _("Biên bản chưa khóa: sửa trực tiếp, không cần lập phiên bản mới.")}
        )
    text = nfc(reason or "").strip()
    if not text:
        raise ValidationError({"reason": _("Cần ghi lý do sửa biên bản.")})
    if len(text) > 300:
        raise ValidationError({"reason": _("Lý do sửa dài quá 300 ký tự.")})
    before = snapshot(minutes, MINUTES_FIELDS)
    # One current version per meeting is a database constraint: the old version points at
    # itself for the instant the new one is inserted, then at the new one.
    minutes.replaced_by_id = minutes.pk
    minutes.save(update_fields=["replaced_by"])
    new = Minutes.objects.create(
        meeting=minutes.meeting,
        number=minutes.number + 1,
        counts=meeting_counts(meeting=minutes.meeting),
        item_notes=dict(minutes.item_notes),
        conclusions=minutes.conclusions,
        resolutions=minutes.resolutions,
        started_at=minutes.started_at,
        ended_at=minutes.ended_at,
        correction_reason=text,
        written_by=actor,
    )
    minutes.replaced_by = new
    minutes.save(update_fields=["replaced_by"])
    _audit(
        new,
        before=before,
        action=AuditEntry.Action.CREATE,
        actor=actor,
        summary=_("Sửa biên bản buổi sinh hoạt ngày %(day)s: lập phiên bản %(number)s (%(reason)s)")
        % {"day": _day_text(minutes.meeting), "number": new.number, "reason": text},
    )
    return new


def minutes_export_audit(*, minutes: Minutes, filename: str, actor: User | None) -> AuditEntry:
    """The EXPORT entry of a DOCX of the minutes, as every export writes one (docs/exports.md,
    chibo.core.exporters): written when the file is handed out."""
    meeting = minutes.meeting
    return audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        subject=minutes,
        org_id=meeting.org_id,
        summary=_(
            "Xuất biên bản buổi sinh hoạt ngày %(day)s của %(org)s (lần %(number)s), tệp Word"
        )
        % {"day": _day_text(meeting), "org": meeting.org.name, "number": minutes.number},
        after={
            "what": "biên bản buổi sinh hoạt",
            "format": "docx",
            "records": 1,
            "filters": {"meeting": meeting.pk, "version": minutes.number},
            "via": "page",
            "file": filename,
        },
    )
