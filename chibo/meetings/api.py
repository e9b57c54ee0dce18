"""Meetings in the API: a unit's schedule, one meeting, its roll call and its minutes; an
officer schedules a meeting and records its roll call, a member sends an absence notice.

The same scoping as the pages: a plain member reads the schedule of their own unit (its
meetings, agendas and published documents) and sends absence notices for their own
meetings; the roll call and the minutes are read by those who read the unit (VIEWER and
above), so a member asking for them gets 403 (they know the meeting exists); anything
outside the user's scope is 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from chibo.core.models import User
from chibo.core.roles import Role
from chibo.core.schemas import ErrorOut, Paging, ValidationErrorOut, paginate
from chibo.core.scoping import require_role
from chibo.meetings.attendance import (
    RollCallEntry,
    absence_notice_send,
    meeting_counts,
    person_of,
    roll_call_record,
)
from chibo.meetings.documents import documents_published, is_published_late
from chibo.meetings.models import (
    AbsenceNotice,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Guest,
    GuestRole,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
)
from chibo.meetings.schedule import MeetingData, meeting_create
from chibo.meetings.selectors import meeting_get_for, meetings_visible_to
from chibo.orgs.selectors import org_get_for

router = Router(tags=["meetings"])

ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


# --- schemas ---------------------------------------------------------------------------


class MeetingOut(Schema):
    id: int
    org_code: str
    org_name: str
    kind: MeetingKind
    kind_label: str
    status: MeetingStatus
    status_label: str
    period: datetime.date = Field(description="Tháng mà buổi sinh hoạt thuộc về (ngày 1).")
    starts_at: datetime.datetime
    location: str
    title: str
    topic_title: str
    expected_count: int = Field(description="Số thành viên phải dự (sau điểm danh).")
    present_count: int = Field(description="Số thành viên có mặt (sau điểm danh).")

    @staticmethod
    def resolve_org_code(obj: Meeting) -> str:
        return obj.org.code

    @staticmethod
    def resolve_org_name(obj: Meeting) -> str:
        return obj.org.name

    @staticmethod
    def resolve_kind_label(obj: Meeting) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj: Meeting) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_topic_title(obj: Meeting) -> str:
        return obj.topic.title if obj.topic is not None else ""


class MeetingPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MeetingOut]


class AgendaItemOut(Schema):
    order: int
    title: str


class DocumentOut(Schema):
    id: int
    title: str
    published_at: datetime.datetime
    late: bool = Field(description="Công bố muộn: chưa đủ một ngày trước giờ họp.")


class MeetingDetailOut(MeetingOut):
    purpose: str
    guests_note: str
    chair: str
    minute_taker: str
    held_started_at: datetime.datetime | None
    held_ended_at: datetime.datetime | None
    cancelled_reason: str
    agenda: list[AgendaItemOut]
    documents: list[DocumentOut]

    @staticmethod
    def resolve_chair(obj: Meeting) -> str:
        return obj.chair.full_name if obj.chair else ""

    @staticmethod
    def resolve_minute_taker(obj: Meeting) -> str:
        return obj.minute_taker.full_name if obj.minute_taker else ""

    @staticmethod
    def resolve_agenda(obj: Meeting) -> list[dict[str, Any]]:
        items = AgendaItem.objects.filter(meeting=obj).order_by("order")
        return [
            {"order": order, "title": title} for order, title in items.values_list("order", "title")
        ]

    @staticmethod
    def resolve_documents(obj: Meeting) -> list[dict[str, Any]]:
        """Documents members can read, as the meeting page shows them; late by the page's
        rule (at least a day ahead, Hướng dẫn 42-HD/BTCTW)."""
        return [
            {
                "id": document.pk,
                "title": document.title,
                "published_at": document.published_at,
                "late": is_published_late(document, obj),
            }
            for document in documents_published(meeting=obj)
        ]


class AttendanceOut(Schema):
    person_id: int
    full_name: str
    status: AttendanceStatus
    status_label: str
    reason: str
    membership_status: str


class GuestOut(Schema):
    name: str
    role: GuestRole
    role_label: str
    present: bool


class NoticeOut(Schema):
    person_id: int
    full_name: str
    reason: str
    sent_at: datetime.datetime


class AttendanceSheetOut(Schema):
    meeting_id: int
    counts: dict[str, Any] = Field(
        description="Số liệu điểm danh: phải dự, có mặt, chính thức, dự bị, vắng, đủ số …"
    )
    rows: list[AttendanceOut]
    guests: list[GuestOut]
    absence_notices: list[NoticeOut]


class MinutesOut(Schema):
    id: int
    number: int
    current: bool
    locked: bool
    counts: dict[str, Any]
    item_notes: dict[str, str]
    conclusions: str
    resolutions: str
    started_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    duration_minutes: int | None
    chair_signed_at: datetime.datetime | None
    taker_signed_at: datetime.datetime | None
    locked_at: datetime.datetime | None
    correction_reason: str
    written_at: datetime.datetime


class MinutesListOut(Schema):
    meeting_id: int
    versions: list[MinutesOut]


class NoticeIn(Schema):
    reason: str = Field(max_length=300, description="Lý do vắng mặt.")


class NoticeSentOut(Schema):
    id: int
    meeting_id: int
    reason: str
    sent_at: datetime.datetime


class MeetingIn(Schema):
    kind: MeetingKind
    starts_at: datetime.datetime = Field(description="Ngày giờ họp, có múi giờ (+07:00).")
    location: str = Field("", max_length=200)
    title: str = Field("", max_length=300)
    purpose: str = ""
    guests_note: str = ""
    period: datetime.date | None = Field(
        None, description="Tháng mà buổi này là buổi sinh hoạt của; mặc định tháng họp."
    )


class RollCallLineIn(Schema):
    person_id: int
    status: AttendanceStatus
    reason: str = Field("", max_length=300)


class RollCallIn(Schema):
    entries: list[RollCallLineIn] = Field(max_length=2000)


class RollCallOut(Schema):
    meeting_id: int
    counts: dict[str, Any]


class MeetingFilters(Paging):
    year: int | None = Field(
        None, ge=2000, le=2100, description="Năm (theo tháng của buổi sinh hoạt); mặc định năm nay."
    )
    descendants: bool = Field(False, description="Gồm cả các tổ chức cấp dưới.")
    kind: MeetingKind | None = None
    status: MeetingStatus | None = None


# --- reads ---------------------------------------------------------------------------------


def _meetings(request: HttpRequest) -> QuerySet[Meeting]:
    """Meetings the user may open: their subtrees, and their own units as members."""
    return meetings_visible_to(request.user).select_related("org", "topic")


@router.get(
    "/orgs/{code}/meetings",
    response={200: MeetingPage, **ERRORS},
    summary="Lịch sinh hoạt của một tổ chức trong năm",
)
def org_meetings(request: HttpRequest, code: str, filters: Query[MeetingFilters]) -> dict[str, Any]:
    org = org_get_for(user=request.user, code=code)
    year = filters.year or timezone.localdate().year
    meetings = _meetings(request).filter(period__year=year)
    if filters.descendants:
        meetings = meetings.filter(org__path__startswith=org.path)
    else:
        meetings = meetings.filter(org=org)
    if filters.kind:
        meetings = meetings.filter(kind=filters.kind)
    if filters.status:
        meetings = meetings.filter(status=filters.status)
    return paginate(meetings.order_by("starts_at", "pk"), filters)


@router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingDetailOut, **ERRORS},
    summary="Một buổi sinh hoạt: chương trình, tài liệu đã công bố",
)
def meeting_detail(request: HttpRequest, meeting_id: int) -> Meeting:
    return meeting_get_for(user=request.user, meeting_id=meeting_id)


def _readable_meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    """The meeting, for those who read its unit: 404 outside, 403 for a plain member."""
    meeting = meeting_get_for(user=request.user, meeting_id=meeting_id)
    require_role(request.user, meeting.org.path, Role.VIEWER)
    return meeting


@router.get(
    "/meetings/{meeting_id}/attendance",
    response={200: AttendanceSheetOut, **ERRORS},
    summary="Điểm danh một buổi sinh hoạt: từng người, khách dự, báo vắng, số liệu",
)
def meeting_attendance(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    meeting = _readable_meeting(request, meeting_id)
    rows = (
        Attendance.objects.filter(meeting=meeting)
        .select_related("person")
        .order_by("person__sort_key", "person_id")
    )
    notices = (
        AbsenceNotice.objects.filter(meeting=meeting, withdrawn_at__isnull=True)
        .select_related("person")
        .order_by("sent_at", "pk")
    )
    return {
        "meeting_id": meeting.pk,
        "counts": meeting_counts(meeting=meeting),
        "rows": [
            {
                "person_id": row.person_id,
                "full_name": row.person.full_name,
                "status": row.status,
                "status_label": str(row.get_status_display()),
                "reason": row.reason,
                "membership_status": row.membership_status,
            }
            for row in rows
        ],
        # A guest is named as the meeting recorded them; the unit they came from may lie
        # outside the reader's scope, so it is not given.
        "guests": [
            {
                "name": guest.name,
                "role": guest.role,
                "role_label": str(guest.get_role_display()),
                "present": guest.present,
            }
            for guest in Guest.objects.filter(meeting=meeting).order_by("pk")
        ],
        "absence_notices": [
            {
                "person_id": notice.person_id,
                "full_name": notice.person.full_name,
                "reason": notice.reason,
                "sent_at": notice.sent_at,
            }
            for notice in notices
        ],
    }


def _duration(minutes: Minutes) -> int | None:
    if minutes.started_at is None or minutes.ended_at is None:
        return None
    return int((minutes.ended_at - minutes.started_at).total_seconds() // 60)


@router.get(
    "/meetings/{meeting_id}/minutes",
    response={200: MinutesListOut, **ERRORS},
    summary="Biên bản một buổi sinh hoạt, mọi lần (bản hiện hành và các bản đã được sửa)",
)
def meeting_minutes(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    meeting = _readable_meeting(request, meeting_id)
    versions = Minutes.objects.filter(meeting=meeting).order_by("number")
    return {
        "meeting_id": meeting.pk,
        "versions": [
            {
                "id": version.pk,
                "number": version.number,
                "current": version.replaced_by_id is None,
                "locked": version.is_locked,
                "counts": version.counts,
                "item_notes": {str(key): str(text) for key, text in version.item_notes.items()},
                "conclusions": version.conclusions,
                "resolutions": version.resolutions,
                "started_at": version.started_at,
                "ended_at": version.ended_at,
                "duration_minutes": _duration(version),
                "chair_signed_at": version.chair_signed_at,
                "taker_signed_at": version.taker_signed_at,
                "locked_at": version.locked_at,
                "correction_reason": version.correction_reason,
                "written_at": version.written_at,
            }
            for version in versions
        ],
    }


# --- writes --------------------------------------------------------------------------------


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@router.post(
    "/orgs/{code}/meetings",
    response={201: MeetingOut, **ERRORS},
    summary="Lên lịch một buổi sinh hoạt (cán bộ của đơn vị)",
)
def org_meeting_create(request: HttpRequest, code: str, payload: MeetingIn) -> Status[Meeting]:
    org = org_get_for(user=request.user, code=code)
    require_role(request.user, org.path, Role.OFFICER)
    meeting = meeting_create(
        org=org,
        kind=payload.kind,
        data=MeetingData(
            starts_at=payload.starts_at,
            location=payload.location,
            title=payload.title,
            purpose=payload.purpose,
            guests_note=payload.guests_note,
            period=payload.period,
        ),
        actor=_actor(request),
    )
    return Status(201, meeting)


@router.post(
    "/meetings/{meeting_id}/attendance",
    response={200: RollCallOut, **ERRORS},
    summary="Ghi (hoặc sửa) điểm danh một buổi sinh hoạt đã họp (cán bộ của đơn vị)",
)
def meeting_roll_call(request: HttpRequest, meeting_id: int, payload: RollCallIn) -> dict[str, Any]:
    meeting = meeting_get_for(user=request.user, meeting_id=meeting_id)
    require_role(request.user, meeting.org.path, Role.OFFICER)
    counts = roll_call_record(
        meeting=meeting,
        entries=[
            RollCallEntry(person_id=line.person_id, status=line.status, reason=line.reason)
            for line in payload.entries
        ],
        actor=_actor(request),
    )
    return {"meeting_id": meeting.pk, "counts": counts}


@router.post(
    "/meetings/{meeting_id}/absence-notices",
    response={201: NoticeSentOut, **ERRORS},
    summary="Báo vắng trước một buổi sinh hoạt của đơn vị mình",
)
def absence_notice_create(
    request: HttpRequest, meeting_id: int, payload: NoticeIn
) -> Status[dict[str, Any]]:
    meeting = meeting_get_for(user=request.user, meeting_id=meeting_id)
    person = person_of(request.user)
    if person is None:
        raise ValidationError(
            {"meeting": _("Tài khoản này không gắn với một người, không báo vắng được.")}
        )
    notice = absence_notice_send(
        meeting=meeting,
        person=person,
        reason=payload.reason,
        actor=_actor(request),
    )
    return Status(
        201,
        {
            "id": notice.pk,
            "meeting_id": meeting.pk,
            "reason": notice.reason,
            "sent_at": notice.sent_at,
        },
    )
