"""Reminders: a member's upcoming meetings, and e-mails sent a few days before each one.

Whose meetings: those of the units the user is on the roll of (MEMBER role), and of the
cells the user is assigned to attend as a committee member (AttendanceAssignment), always
within the user's scope. E-mails go to the members on a meeting's roll who have an
address, are expected at the meeting (not exempt from activities or suspended) and have
not already said they cannot come; each (meeting, person) is mailed once, whatever the
number of runs (ReminderSent).

Settings: MEETING_REMINDER_DAYS (default 2): how many days ahead a reminder goes out;
CHIBO_SITE_URL (e.g. "https://chibo.example.vn"): the address links in e-mails start
with (without it the e-mail carries no link).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from chibo.core.audit import audit_record
from chibo.core.models import AuditEntry
from chibo.core.scoping import scope_for
from chibo.meetings.attendance import meeting_roll
from chibo.meetings.models import (
    AbsenceNotice,
    AttendanceAssignment,
    Meeting,
    MeetingStatus,
    ReminderSent,
)
from chibo.meetings.selectors import meeting_scope_q
from chibo.people.models import MembershipStatus, Person

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser

DEFAULT_REMINDER_DAYS = 2
# How far ahead the home page looks, and how many meetings it lists.
UPCOMING_DAYS = 45
UPCOMING_LIMIT = 5
# Standings of members expected at a meeting (Attendance: exempt and suspended are not).
EXPECTED_STANDINGS = (
    MembershipStatus.OFFICIAL,
    MembershipStatus.PROBATIONARY,
    MembershipStatus.ACTIVE,
)


def reminder_days() -> int:
    days = getattr(settings, "MEETING_REMINDER_DAYS", DEFAULT_REMINDER_DAYS)
    return max(int(days), 0)


# --- a member's upcoming meetings --------------------------------------------------------


@dataclass(frozen=True)
class Upcoming:
    meeting: Meeting
    # The member's open absence notice for it, if any.
    notice: AbsenceNotice | None
    # Attending as a committee member assigned to the cell, not as one of its members.
    as_guest: bool


def own_meetings_q(user: AnyUser, person_id: int | None, today: datetime.date) -> Q:
    """Meetings of the user's own units and of the cells they are assigned to attend,
    always inside the user's scope."""
    scope = scope_for(user)
    units = scope.member_units()
    query = Q(org__path__in=units) if units else Q(pk__in=[])
    if person_id is not None:
        assigned = AttendanceAssignment.objects.filter(person_id=person_id, started_on__lte=today)
        assigned = assigned.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        query |= Q(org__in=assigned.values("org"))
    return query & meeting_scope_q(user)


def upcoming_for(
    *, user: AnyUser, now: datetime.datetime | None = None, limit: int = UPCOMING_LIMIT
) -> list[Upcoming]:
    """The user's next meetings (planned, not yet begun), soonest first: three queries
    at most beside the user's scope, whatever the number of units."""
    if not user.is_authenticated:
        return []
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    person_id = scope_for(user).person_id
    meetings = list(
        Meeting.objects.filter(own_meetings_q(user, person_id, today))
        .filter(
            status=MeetingStatus.PLANNED,
            starts_at__gte=moment,
            starts_at__lt=moment + datetime.timedelta(days=UPCOMING_DAYS),
        )
        .select_related("org", "topic")
        .order_by("starts_at", "pk")[:limit]
    )
    if not meetings:
        return []
    notices: dict[int, AbsenceNotice] = {}
    if person_id is not None:
        notices = {
            notice.meeting_id: notice
            for notice in AbsenceNotice.objects.filter(
                meeting__in=meetings, person_id=person_id, withdrawn_at__isnull=True
            )
        }
    units = set(scope_for(user).member_units())
    return [
        Upcoming(
            meeting=meeting,
            notice=notices.get(meeting.pk),
            as_guest=meeting.org.path not in units,
        )
        for meeting in meetings
    ]


# --- e-mail reminders --------------------------------------------------------------------


@dataclass
class ReminderRun:
    meetings: int = 0
    sent: int = 0


def meetings_to_remind(*, now: datetime.datetime, days: int) -> list[int]:
    """Ids of planned meetings starting within `days` days, soonest first."""
    return list(
        Meeting.objects.filter(
            status=MeetingStatus.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + datetime.timedelta(days=days),
        )
        .order_by("starts_at", "pk")
        .values_list("pk", flat=True)
    )


def _recipients(meeting: Meeting) -> list[Person]:
    """Who is expected at the meeting on its day, from the roll of that day
    (attendance.meeting_roll): members of the unit then, and members of other units staying
    here for a while, less those away on a stay elsewhere, exempt, or who sent an absence
    notice; only those with an e-mail address not yet reminded. Today's records would miss
    a stay that begins or ends before the meeting."""
    reminded = set(ReminderSent.objects.filter(meeting=meeting).values_list("person_id", flat=True))
    return [
        line.person
        for line in meeting_roll(meeting=meeting)
        if not line.away
        and line.standing in EXPECTED_STANDINGS
        and line.notice is None
        and line.person.email
        and line.person.pk not in reminded
    ]


def _when(meeting: Meeting) -> str:
    local = timezone.localtime(meeting.starts_at)
    return _("%(time)s ngày %(date)s") % {
        "time": local.strftime("%H:%M"),
        "date": formats.date_format(local.date(), "d/m/Y"),
    }


def _message(meeting: Meeting, person: Person) -> EmailMessage:
    site = str(getattr(settings, "CHIBO_SITE_URL", "")).rstrip("/")
    kind = str(meeting.get_kind_display())
    subject = _("Nhắc lịch: %(kind)s, %(org)s, %(when)s") % {
        "kind": kind,
        "org": meeting.org.name,
        "when": _when(meeting),
    }
    lines = [
        _("Kính gửi đồng chí %(name)s,") % {"name": person.full_name},
        "",
        _("%(org)s sinh hoạt (%(kind)s) vào lúc %(when)s.")
        % {"org": meeting.org.name, "kind": kind.lower(), "when": _when(meeting)},
    ]
    if meeting.location:
        lines.append(_("Địa điểm: %(place)s.") % {"place": meeting.location})
    topic = meeting.topic.title if meeting.topic_id and meeting.topic else meeting.title
    if topic:
        lines.append(_("Nội dung: %(topic)s.") % {"topic": topic})
    if site:
        lines += [
            "",
            _("Xem chương trình và tài liệu: %(url)s")
            % {"url": site + reverse("meeting_detail", args=[meeting.pk])},
            _("Nếu không dự được, đồng chí báo vắng tại: %(url)s")
            % {"url": site + reverse("meeting_absence", args=[meeting.pk])},
        ]
    lines += ["", _("Thư này do Chibo gửi tự động, xin đừng trả lời.")]
    return EmailMessage(subject=subject, body="\n".join(lines), to=[person.email])


def meeting_remind(*, meeting_id: int, now: datetime.datetime | None = None) -> int:
    """Send the reminders still due for one meeting; the number of e-mails sent.

    Atomic: the meeting row is locked, so two workers never mail the same people; the
    e-mails go out before the ReminderSent rows are committed, and a failed send rolls
    them back, so the next run tries again (a member may then, rarely, get two)."""
    moment = now or timezone.now()
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("org", "topic")
            .filter(pk=meeting_id)
            .first()
        )
        if meeting is None or meeting.status != MeetingStatus.PLANNED:
            return 0
        if meeting.starts_at <= moment:
            return 0
        people = _recipients(meeting)
        if not people:
            return 0
        connection = get_connection()
        sent = connection.send_messages([_message(meeting, person) for person in people]) or 0
        ReminderSent.objects.bulk_create(
            [ReminderSent(meeting=meeting, person=person, sent_at=moment) for person in people]
        )
        audit_record(
            actor=None,
            action=AuditEntry.Action.CREATE,
            subject=meeting,
            org_id=meeting.org_id,
            summary=_("Gửi thư nhắc lịch sinh hoạt ngày %(day)s cho %(count)s người")
            % {
                "day": formats.date_format(timezone.localtime(meeting.starts_at).date(), "d/m/Y"),
                "count": len(people),
            },
            after={"reminded": [person.pk for person in people]},
        )
        return int(sent)


def meeting_reminders_send(
    *, now: datetime.datetime | None = None, days: int | None = None
) -> ReminderRun:
    """Reminders for every meeting starting within `days` days (MEETING_REMINDER_DAYS),
    one meeting per transaction: a failure on one leaves the others sent."""
    moment = now or timezone.now()
    run = ReminderRun()
    for meeting_id in meetings_to_remind(
        now=moment, days=reminder_days() if days is None else days
    ):
        run.meetings += 1
        run.sent += meeting_remind(meeting_id=meeting_id, now=moment)
    return run
