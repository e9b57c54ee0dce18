"""The demo's year of meetings tells the story its docstring promises."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from chibo.meetings.demo import seed_meetings_demo
from chibo.meetings.models import (
    AbsenceNotice,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingDocument,
    MeetingKind,
    MeetingStatus,
    Minutes,
    TopicRegistration,
    TopicStatus,
)

NOW = timezone.make_aware(datetime.datetime(2026, 11, 22, 10, 0))


def test_a_year_of_meetings_with_a_story(demo: Any) -> None:
    written = seed_meetings_demo(now=NOW)
    assert written > 450
    assert seed_meetings_demo(now=NOW) == 0, "a second run writes nothing"
    assert Meeting.objects.count() == written

    now = NOW
    meetings = Meeting.objects.filter(starts_at__lt=now)
    # Every regular month of every cell and branch, but the one missed month.
    cell = demo.org("DU-DT-CB01")
    months = set(
        Meeting.objects.filter(org=cell).not_cancelled().values_list("period__month", flat=True)
    )
    assert months == set(range(1, 13))
    missed = Meeting.objects.filter(org__code="DU-DT-CB09").values_list("period__month", flat=True)
    assert 8 not in set(missed) and 7 in set(missed)
    moved = Meeting.objects.get(org__code="DU-DT-CB06", period=datetime.date(2026, 10, 1))
    assert moved.starts_at.date() == datetime.date(2026, 11, 2)
    assert Meeting.objects.filter(status=MeetingStatus.CANCELLED).count() == 1
    assert Meeting.objects.filter(kind=MeetingKind.EXTRAORDINARY).count() == 1
    flag = Meeting.objects.filter(kind=MeetingKind.FLAG_SALUTE, org__code="DU-DT")
    assert all(m.starts_at.astimezone().weekday() == 0 for m in flag)
    assert all(m.starts_at.astimezone().day <= 7 for m in flag)

    # Thematic meetings only on approved topics; at least one per quarter in each cell.
    thematic = Meeting.objects.filter(kind__in=[MeetingKind.THEMATIC, MeetingKind.COMBINED])
    assert not thematic.exclude(topic__status=TopicStatus.APPROVED).exists()
    per_quarter = (
        thematic.filter(org=cell).values_list("period__month", flat=True).order_by("period")
    )
    assert list(per_quarter) == [3, 6, 9]
    assert TopicRegistration.objects.filter(status=TopicStatus.SUBMITTED, org=cell).exists()
    assert (
        TopicRegistration.objects.filter(status=TopicStatus.RETURNED)
        .exclude(review_comment="")
        .exists()
    )
    late_topics = [
        topic
        for topic in TopicRegistration.objects.exclude(submitted_at=None)
        if topic.submitted_at is not None
        and timezone.localdate(topic.submitted_at) > _deadline(topic.year, topic.month)
    ]
    assert len(late_topics) >= 2

    # Attendance: counts written on the meeting agree with the roll call, 85–95 % in cells.
    held = meetings.filter(status=MeetingStatus.HELD)
    rolled = (
        Attendance.objects.filter(meeting__in=held)
        .values("meeting")
        .annotate(
            present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
            expected=Count(
                "id",
                filter=~Q(status__in=[AttendanceStatus.EXEMPT, AttendanceStatus.TRANSFERRED]),
            ),
        )
    )
    counts = {row["meeting"]: (row["expected"], row["present"]) for row in rolled}
    for meeting in held.exclude(kind=MeetingKind.FLAG_SALUTE):
        assert counts[meeting.pk] == (meeting.expected_count, meeting.present_count)
    cells = held.filter(org__family="party").aggregate(
        e=Sum("expected_count"), p=Sum("present_count")
    )
    assert 0.85 <= cells["p"] / cells["e"] <= 0.95
    unexcused = dict(
        Attendance.objects.filter(status=AttendanceStatus.UNEXCUSED)
        .values_list("person")
        .annotate(n=Count("id"))
        .values_list("person", "n")
    )
    assert sorted(unexcused.values()) == [2, 2, 2, 3]
    assert Attendance.objects.filter(status=AttendanceStatus.EXEMPT).exists()

    # Minutes: one locked version per held meeting, counts in the header.
    assert not held.exclude(kind=MeetingKind.FLAG_SALUTE).filter(minutes=None).exists()
    minutes = Minutes.objects.filter(meeting__starts_at__lt=now - datetime.timedelta(days=8))
    assert minutes.exists() and not minutes.filter(locked_at=None).exists()
    short = Minutes.objects.filter(ended_at__lt=F("started_at") + datetime.timedelta(minutes=90))
    assert short.exclude(meeting__kind=MeetingKind.FLAG_SALUTE).count() == 2

    # Documents published a day ahead, but one.
    late = MeetingDocument.objects.filter(
        published_at__gt=F("meeting__starts_at") - datetime.timedelta(days=1)
    )
    assert late.exists() and MeetingDocument.objects.count() > late.count()

    # bithu1's and dangvien1's cell has a meeting ahead in the coming weeks, and a member
    # already said she cannot come.
    ahead = Meeting.objects.filter(
        org=cell, status=MeetingStatus.PLANNED, starts_at__gte=now
    ).order_by("starts_at")
    assert ahead.exists()
    assert AbsenceNotice.objects.filter(meeting=ahead[0]).exists()


def _deadline(year: int, month: int) -> datetime.date:
    """The 20th of the month before (the commune committee's rule in the demo)."""
    before = datetime.date(year, month, 1) - datetime.timedelta(days=1)
    return before.replace(day=20)
