"""A year of meetings for the synthetic province: `chibo seed --meetings`.

Every cell of the province `chibo seed` wrote (codes SYN-…) gets its regular meeting of
each month, a thematic meeting each quarter (a third of them combined with the regular
one), with the roll call's counts on the meeting row; a deadline rule on every base
committee; the absences of the roll call (excused and unexcused rows, not the present
ones: warnings read only absences, statistics only the counts); and one document per
thematic meeting. A few cells skip months, some meetings are moved to the next month,
cancelled, entered after the deadline or get their document late, so the statistics have
something to find. The current year stops at the current month (held up to the month
before, the current one planned).

Like chibo.people.synthetic it writes with plain INSERTs in one transaction and no audit
entries: the data is generated, not edited. Running it again for a year that has its
meetings does nothing unless `reset`.
"""

from __future__ import annotations

import datetime
import random
import time
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingDocument,
    MeetingKind,
    MeetingStatus,
    ScheduleRule,
)
from chibo.meetings.schedule import UNIT_LEVELS
from chibo.orgs.models import Level, Org
from chibo.people.models import Membership, MembershipStatus
from chibo.people.seeding import Progress, quiet
from chibo.people.synthetic import ROOT_CODE, _Clock, _RowWriter, synthetic_root

SEED = 24_2021
DEADLINE_DAY = 20
BATCH = 20_000
EXPECTED_STATUSES = (MembershipStatus.PROBATIONARY, MembershipStatus.OFFICIAL)
REASONS = ("Ốm", "Đi làm xa", "Việc gia đình", "Đi công tác", "Chăm người ốm")


@dataclass
class MeetingSeedResult:
    created: bool
    year: int = 0
    cells: int = 0
    meetings: int = 0
    absences: int = 0
    documents: int = 0
    seconds: float = 0.0


def _delete_year(root: Org, year: int) -> None:
    meetings = Meeting.objects.filter(org__path__startswith=root.path, period__year=year).values(
        "pk"
    )
    Attendance.objects.filter(meeting__in=meetings)._raw_delete(Attendance.objects.db)
    MeetingDocument.objects.filter(meeting__in=meetings)._raw_delete(MeetingDocument.objects.db)
    Meeting.objects.filter(org__path__startswith=root.path, period__year=year)._raw_delete(
        Meeting.objects.db
    )


def seed_synthetic_meetings(
    *, year: int | None = None, reset: bool = False, progress: Progress = quiet
) -> MeetingSeedResult:
    """Write `year`'s meetings (this year by default) for every cell of the synthetic
    province; idempotent unless `reset`."""
    started = time.perf_counter()
    today = timezone.localdate()
    year = year or today.year
    root = synthetic_root()
    if root is None:
        raise ValueError(
            _("Chưa có tỉnh tổng hợp %(code)s: chạy “chibo seed” trước.") % {"code": ROOT_CODE}
        )
    with transaction.atomic():
        existing = Meeting.objects.filter(org__path__startswith=root.path, period__year=year)
        if existing.exists():
            if not reset:
                progress(_("Năm %(year)s đã có lịch sinh hoạt, không ghi thêm.") % {"year": year})
                return MeetingSeedResult(created=False, year=year)
            progress(_("Xóa lịch sinh hoạt năm %(year)s…") % {"year": year})
            _delete_year(root, year)
        result = _Builder(root, year, today, progress, started).build()
    result.seconds = time.perf_counter() - started
    return result


class _Builder:
    def __init__(
        self,
        root: Org,
        year: int,
        today: datetime.date,
        progress: Progress,
        started: float,
    ) -> None:
        self.root = root
        self.year = year
        self.today = today
        self.progress = progress
        self.started = started
        self.rng = random.Random(SEED + year)
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.now = timezone.now()
        self.clock = _Clock()

    def _say(self, message: str) -> None:
        self.progress(f"[{time.perf_counter() - self.started:6.1f} s] {message}")

    def _at(self, day: datetime.date, hour: int) -> datetime.datetime:
        return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=self.tz)

    def _months(self) -> tuple[int, int]:
        """(months to hold, months to plan): the past in full, this year up to now."""
        if self.year < self.today.year:
            return 12, 12
        if self.year > self.today.year:
            return 0, 12
        return self.today.month - 1, self.today.month

    def _rules(self) -> None:
        bases = Org.objects.filter(path__startswith=self.root.path, level=Level.BASE).exclude(
            schedule_rule__isnull=False
        )
        ScheduleRule.objects.bulk_create(
            [ScheduleRule(org=base, deadline_day=DEADLINE_DAY) for base in bases],
            batch_size=1_000,
        )

    def build(self) -> MeetingSeedResult:
        rng = self.rng
        self._rules()
        cells = list(
            Org.objects.filter(
                path__startswith=self.root.path, level__in=UNIT_LEVELS, status="active"
            ).values_list("pk", flat=True)
        )
        rolls: dict[int, list[int]] = defaultdict(list)
        for org_id, person_id in (
            Membership.objects.current()
            .filter(org__path__startswith=self.root.path, status__in=EXPECTED_STATUSES)
            .values_list("org_id", "person_id")
        ):
            rolls[org_id].append(person_id)
        self._say(_("%(cells)s chi bộ, %(members)s đảng viên phải dự") % {
            "cells": len(cells), "members": sum(len(r) for r in rolls.values()),
        })  # fmt: skip
        held_months, planned_months = self._months()
        meetings = _RowWriter(Meeting, self.clock)
        absences = _RowWriter(Attendance, self.clock)
        documents = _RowWriter(MeetingDocument, self.clock)
        meeting_id = meetings.reserve_ids()
        absence_id = absences.reserve_ids()
        document_id = documents.reserve_ids()
        generated = self._at(datetime.date(self.year - 1, 12, 10), 9)
        counts = {"meetings": 0, "absences": 0, "documents": 0}

        def add_meeting(org_id: int, kind: str, month: int, roll: list[int], rate: float) -> None:
            nonlocal meeting_id, absence_id, document_id
            period = datetime.date(self.year, month, 1)
            day = datetime.date(self.year, month, rng.randint(5, 25))
            status = MeetingStatus.HELD if month <= held_months else MeetingStatus.PLANNED
            if status == MeetingStatus.HELD and rng.random() < 0.01:
                status = MeetingStatus.CANCELLED
            if status == MeetingStatus.HELD and month < 12 and rng.random() < 0.03:
                # Moved into the first days of the next month; still this month's meeting.
                day = datetime.date(self.year, month + 1, rng.randint(1, 5))
            starts = self._at(day, 19)
            scheduled = generated
            if rng.random() < 0.05:
                before = datetime.date(self.year, month, 1) - datetime.timedelta(days=1)
                late_day = rng.randint(DEADLINE_DAY + 1, before.day)
                scheduled = self._at(before.replace(day=late_day), 8)
            held = status == MeetingStatus.HELD
            expected = len(roll) if held else 0
            present = 0
            if held:
                present = min(expected, max(0, round(expected * rng.gauss(rate, 0.05))))
            meetings.add(
                {
                    "id": meeting_id, "org_id": org_id, "kind": kind, "status": status,
                    "period": period, "starts_at": starts, "scheduled_at": scheduled,
                    "held_started_at": starts if held else None,
                    "held_ended_at": starts + datetime.timedelta(minutes=100) if held else None,
                    "expected_count": expected, "present_count": present,
                    "created_at": self.now,
                }
            )  # fmt: skip
            counts["meetings"] += 1
            if held:
                for person_id in rng.sample(roll, expected - present):
                    excused = rng.random() < 0.7
                    absences.add(
                        {
                            "id": absence_id, "meeting_id": meeting_id, "person_id": person_id,
                            "status": AttendanceStatus.EXCUSED if excused
                            else AttendanceStatus.UNEXCUSED,
                            "reason": rng.choice(REASONS) if excused else "",
                            "membership_status": MembershipStatus.OFFICIAL,
                            "recorded_at": starts,
                        }
                    )  # fmt: skip
                    absence_id += 1
                    counts["absences"] += 1
            if kind != MeetingKind.REGULAR and status != MeetingStatus.CANCELLED:
                ahead = datetime.timedelta(hours=6 if rng.random() < 0.1 else 72)
                documents.add(
                    {
                        "id": document_id, "meeting_id": meeting_id,
                        "title": "Tài liệu sinh hoạt chuyên đề", "file": "",
                        "published_at": starts - ahead, "uploaded_at": starts - ahead,
                    }
                )  # fmt: skip
                document_id += 1
                counts["documents"] += 1
            meeting_id += 1

        for number, org_id in enumerate(cells, start=1):
            roll = rolls.get(org_id, [])
            rate = rng.uniform(0.78, 0.97)
            # One cell in fifty lets a month or two slip.
            skipped = (
                set(rng.sample(range(1, 13), rng.randint(1, 2))) if rng.random() < 0.02 else set()
            )
            thematic = {q: rng.randint(3 * q - 2, 3 * q) for q in range(1, 5)}
            combined = rng.random() < 0.33
            for month in range(1, planned_months + 1):
                if month in skipped:
                    continue
                is_thematic = thematic[(month - 1) // 3 + 1] == month and rng.random() < 0.9
                if is_thematic and combined:
                    add_meeting(org_id, MeetingKind.COMBINED, month, roll, rate)
                    continue
                add_meeting(org_id, MeetingKind.REGULAR, month, roll, rate)
                if is_thematic:
                    add_meeting(org_id, MeetingKind.THEMATIC, month, roll, rate)
            if len(meetings.rows) >= BATCH:
                meetings.flush()
                absences.flush()
                documents.flush()
                self._say(_("%(cells)s chi bộ, %(meetings)s buổi") % {
                    "cells": number, "meetings": counts["meetings"],
                })  # fmt: skip
        for writer in (meetings, absences, documents):
            writer.flush()
            writer.finish()
        self._say(
            _("%(meetings)s buổi sinh hoạt, %(absences)s lượt vắng, %(documents)s tài liệu")
            % counts
        )
        return MeetingSeedResult(
            created=True,
            year=self.year,
            cells=len(cells),
            meetings=counts["meetings"],
            absences=counts["absences"],
            documents=counts["documents"],
        )
