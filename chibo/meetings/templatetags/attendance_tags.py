"""The roll call's and the minutes' sections of the meeting page (see `meeting_section`):
what the user may do about this meeting's attendance and minutes, in three queries."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from chibo.core.roles import Role
from chibo.core.scoping import scope_for
from chibo.meetings.attendance import absence_notice_open, meeting_roll, person_of
from chibo.meetings.minutes import minutes_current
from chibo.meetings.models import Meeting, MeetingStatus

register = template.Library()


def _role(context: template.Context, meeting: Meeting) -> Role | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    return None if user is None else scope_for(user).role_at(meeting.org.path)


@register.inclusion_tag("meetings/_attendance_block.html", takes_context=True)
def attendance_block(context: template.Context, meeting: Meeting) -> dict[str, Any]:
    request = context.get("request")
    role = _role(context, meeting)
    person = person_of(request.user) if request is not None else None
    upcoming = meeting.status == MeetingStatus.PLANNED and meeting.starts_at > timezone.now()
    on_roll = False
    notice = None
    if person is not None and upcoming:
        on_roll = any(
            line.person.pk == person.pk and not line.away for line in meeting_roll(meeting=meeting)
        )
        notice = absence_notice_open(meeting=meeting, person=person) if on_roll else None
    return {
        "meeting": meeting,
        "reads": role is not None and role >= Role.VIEWER,
        "manages": role is not None and role >= Role.OFFICER and meeting.org.is_active,
        "on_roll": on_roll,
        "notice": notice,
        "upcoming": upcoming,
    }


@register.inclusion_tag("meetings/_minutes_block.html", takes_context=True)
def minutes_block(context: template.Context, meeting: Meeting) -> dict[str, Any]:
    role = _role(context, meeting)
    reads = role is not None and role >= Role.VIEWER
    return {
        "meeting": meeting,
        "reads": reads,
        "manages": role is not None and role >= Role.OFFICER and meeting.org.is_active,
        "minutes": minutes_current(meeting=meeting) if reads else None,
    }
