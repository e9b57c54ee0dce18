"""Background work of meetings, through Django's tasks API (django-tasks backport)."""

from __future__ import annotations

from django_tasks import task

from chibo.meetings.reminders import meeting_reminders_send


@task()
def send_meeting_reminders(days: int | None = None) -> dict[str, int]:
    """E-mail the members of every meeting starting within `days` days (default: the
    MEETING_REMINDER_DAYS setting). Takes no object: the meetings, their rolls and the
    members' addresses are read afresh when the worker runs it, and ReminderSent keeps a
    second run from mailing anyone twice."""
    run = meeting_reminders_send(days=days)
    return {"meetings": run.meetings, "sent": run.sent}
