"""A private iCalendar feed per user: the user's meetings in their phone's calendar.

Calendar programs cannot log in, so the feed's URL carries a long random token; only its
SHA-256 is stored (CalendarFeed), the URL is shown once when made, and a new one replaces
it (the old stops working) or the user revokes it. Each request re-reads the user's
scope: a member who leaves a unit stops seeing its meetings in the feed at once.

The feed is written by hand after RFC 5545 (lines of at most 75 octets folded with CRLF
and a space; TEXT values escaped; times in UTC, so no VTIMEZONE is needed).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.audit import audit_record
from chibo.core.models import AuditEntry, User
from chibo.core.scoping import scope_for
from chibo.meetings.models import (
    CalendarFeed,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from chibo.meetings.reminders import own_meetings_q

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser

# What the feed holds: the last quarter and the year ahead, at most this many meetings.
FEED_PAST_DAYS = 92
FEED_FUTURE_DAYS = 400
FEED_LIMIT = 500
# Expected length when the meeting has not been held: Hướng dẫn 42-HD/BTCTW (28/10/2025)
# asks at least 90 minutes, 120 when regular and thematic are combined.
PLANNED_MINUTES = {MeetingKind.COMBINED: 120, MeetingKind.FLAG_SALUTE: 60}
DEFAULT_MINUTES = 90
PRODID = "-//Chibo//Lich sinh hoat chi bo//VI"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- the private URL ---------------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(*, user: User) -> str:
    """A new private token for the user's feed (the old one, if any, stops working).
    Returns the token, which is never stored and cannot be shown again."""
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    replaced = feed is not None and feed.revoked_at is None
    if feed is None:
        feed = CalendarFeed(user=user)
    feed.token_hash = _hash(token)
    feed.created_at = timezone.now()
    feed.revoked_at = None
    feed.save()
    audit_record(
        actor=user,
        action=AuditEntry.Action.GRANT,
        subject=feed,
        org_id=None,
        person_id=scope_for(user).person_id,
        summary=_("Tạo lại địa chỉ lịch riêng (địa chỉ cũ hết hiệu lực)")
        if replaced
        else _("Tạo địa chỉ lịch riêng"),
        after={"created_at": feed.created_at.isoformat()},
    )
    return token


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> bool:
    """Stop the user's feed; False when there was none to stop."""
    feed = (
        CalendarFeed.objects.select_for_update().filter(user=user, revoked_at__isnull=True).first()
    )
    if feed is None:
        return False
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    audit_record(
        actor=user,
        action=AuditEntry.Action.REVOKE,
        subject=feed,
        org_id=None,
        person_id=scope_for(user).person_id,
        summary=_("Thu hồi địa chỉ lịch riêng"),
        before={"revoked_at": None},
        after={"revoked_at": feed.revoked_at.isoformat()},
    )
    return True


def calendar_feed_active(*, user: AnyUser) -> CalendarFeed | None:
    if not user.is_authenticated:
        return None
    return CalendarFeed.objects.filter(user_id=user.pk, revoked_at__isnull=True).first()


def calendar_feed_user(*, token: str) -> User | None:
    """The active user whose live feed this token opens, or None."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.filter(token_hash=_hash(token), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


# --- the feed ----------------------------------------------------------------------------


def feed_meetings(*, user: AnyUser, now: datetime.datetime | None = None) -> list[Meeting]:
    """The user's meetings for the feed: own units and assigned cells, in scope."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    person_id = scope_for(user).person_id
    return list(
        Meeting.objects.filter(own_meetings_q(user, person_id, today))
        .filter(
            Q(starts_at__gte=moment - datetime.timedelta(days=FEED_PAST_DAYS)),
            Q(starts_at__lte=moment + datetime.timedelta(days=FEED_FUTURE_DAYS)),
        )
        .select_related("org", "topic")
        .order_by("starts_at", "pk")[:FEED_LIMIT]
    )


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545, 3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets (RFC 5545, 3.1), never inside
    a UTF-8 character; continuation lines start with one space."""
    pieces: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, 74  # the leading space takes one octet
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(meeting: Meeting, *, stamp: datetime.datetime, base_url: str) -> list[str]:
    start = meeting.held_started_at or meeting.starts_at
    end = meeting.held_ended_at
    if end is None or end <= start:
        minutes = PLANNED_MINUTES.get(MeetingKind(meeting.kind), DEFAULT_MINUTES)
        end = start + datetime.timedelta(minutes=minutes)
    kind = str(meeting.get_kind_display())
    summary = f"{kind} – {meeting.org.short_name or meeting.org.name}"
    description = [meeting.topic.title if meeting.topic else meeting.title, meeting.purpose]
    url = base_url + reverse("meeting_detail", args=[meeting.pk]) if base_url else ""
    if url:
        description.append(url)
    lines = [
        "BEGIN:VEVENT",
        f"UID:meeting-{meeting.pk}@chibo",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(start)}",
        f"DTEND:{_utc(end)}",
        f"SEQUENCE:{meeting.version}",
        f"SUMMARY:{escape_text(summary)}",
        "STATUS:" + ("CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED"),
    ]
    if meeting.location:
        lines.append(f"LOCATION:{escape_text(meeting.location)}")
    text = "\n".join(part for part in description if part)
    if text:
        lines.append(f"DESCRIPTION:{escape_text(text)}")
    if url:
        lines.append(f"URL:{url}")
    if meeting.status == MeetingStatus.PLANNED:
        lines += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(summary)}",
            "TRIGGER:-PT2H",
            "END:VALARM",
        ]
    lines.append("END:VEVENT")
    return lines


def render_feed(
    meetings: Iterable[Meeting],
    *,
    name: str,
    base_url: str = "",
    now: datetime.datetime | None = None,
) -> str:
    """The iCalendar text of the meetings (CRLF line ends, folded lines)."""
    stamp = now or timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
        # Calendar programs ask again after this long (RFC 7986 and the older X- name).
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
        "X-PUBLISHED-TTL:PT6H",
    ]
    for meeting in meetings:
        lines += _event(meeting, stamp=stamp, base_url=base_url.rstrip("/"))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
