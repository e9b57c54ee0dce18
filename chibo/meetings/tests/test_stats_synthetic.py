"""The synthetic year of meetings (`chibo seed --meetings`) on a small synthetic province,
and the statistics of it checked against the naive per-unit loop of the benchmark."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chibo.meetings.bench import naive_stats
from chibo.meetings.models import Attendance, AttendanceStatus, Meeting, MeetingStatus
from chibo.meetings.stats import meeting_stats
from chibo.meetings.synthetic import seed_synthetic_meetings
from chibo.meetings.warnings import absence_warnings
from chibo.orgs.models import Org
from chibo.people.synthetic import ROOT_CODE, seed_synthetic

TODAY = datetime.date(2026, 1, 15)


@pytest.mark.django_db
def test_a_year_of_meetings_for_every_cell_agrees_with_the_naive_loop() -> None:
    with pytest.raises(ValueError, match="chibo seed"):
        seed_synthetic_meetings(year=2025)
    seed_synthetic(members=1_500)
    result = seed_synthetic_meetings(year=2025)
    assert result.created and result.cells > 40
    root = Org.objects.get(code=ROOT_CODE)
    meetings = Meeting.objects.filter(org__path__startswith=root.path, period__year=2025)
    assert meetings.count() == result.meetings >= result.cells * 12 * 0.95
    assert meetings.filter(status=MeetingStatus.HELD).count() > result.cells * 11
    assert Attendance.objects.filter(status=AttendanceStatus.UNEXCUSED).exists()
    stats = meeting_stats(org=root, year=2025, today=TODAY)
    naive = naive_stats(org=root, year=2025, today=TODAY)
    assert naive["units"] == stats.units == result.cells
    assert naive["held_unit_months"] == stats.held_unit_months
    assert (naive["expected"], naive["present"]) == (stats.expected, stats.present)
    assert naive["missed"] == stats.missed_count
    assert 70 < (stats.attendance_percent or 0) < 100
    assert stats.moved and stats.late_schedule and stats.late_documents
    # Every absence row is someone on the roll: the warnings find them.
    assert absence_warnings(org=root, year=2025).total >= 0
    # Again: nothing new; with reset: the same year written anew.
    assert not seed_synthetic_meetings(year=2025).created
    again = seed_synthetic_meetings(year=2025, reset=True)
    assert again.created and again.meetings == result.meetings
    assert meetings.count() == result.meetings


@pytest.mark.django_db
def test_the_seed_command_takes_the_meetings_flag() -> None:
    out = StringIO()
    call_command("seed", "--members", "1000", "--meetings", "2025", stdout=out)
    assert "Đã tạo lịch sinh hoạt năm 2025" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("seed", "--members", "0", "--meetings", stdout=out)
