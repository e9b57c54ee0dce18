"""The year of meetings, moving and cancelling, and the committee's deadline, on the
small `personas` tree (conftest): T-A and T-B are cells of the commune T-C, T-WA a women's
branch. Dates are fixed so every count below is counted by hand."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from chibo.core.models import AuditEntry
from chibo.meetings.models import AgendaItem, Meeting, MeetingKind, MeetingStatus
from chibo.meetings.schedule import (
    MeetingData,
    ThematicMode,
    YearPlan,
    first_monday,
    late_entries,
    local_datetime,
    meeting_cancel,
    meeting_create,
    meeting_move,
    meetings_generate_year,
    quarter_checks,
    schedule_rule_set,
)

D = datetime.date
T = datetime.time


def at(day: datetime.date, hour: int = 19) -> datetime.datetime:
    return local_datetime(day, T(hour, 30))


def test_a_cells_year_has_twelve_regular_and_a_thematic_meeting_each_quarter(
    personas: Any,
) -> None:
    alice = personas.user("alice")
    created = meetings_generate_year(
        org=personas.cell_a, plan=YearPlan(year=2026, day=5, location="Nhà văn hóa"), actor=alice
    )
    kinds = [m.kind for m in created]
    assert kinds.count(MeetingKind.REGULAR) == 12
    assert kinds.count(MeetingKind.THEMATIC) == 4
    thematic = [m for m in created if m.kind == MeetingKind.THEMATIC]
    assert [m.period.month for m in thematic] == [3, 6, 9, 12]
    assert [timezone.localtime(m.starts_at).day for m in thematic] == [20, 20, 20, 20]
    february = next(m for m in created if m.period == D(2026, 2, 1))
    assert timezone.localtime(february.starts_at) == at(D(2026, 2, 5))
    assert february.location == "Nhà văn hóa"
    assert [q.thematic for q in quarter_checks(created)] == [1, 1, 1, 1]
    # The agenda of each meeting was copied from the built-in template (12-HD/BTCTW).
    titles = list(AgendaItem.objects.filter(meeting=february).values_list("title", flat=True))
    assert titles[1] == "Cử thư ký ghi biên bản"
    assert "Thu đảng phí" in titles
    assert AuditEntry.objects.filter(
        subject_type="orgs.org", subject_id=personas.cell_a.pk
    ).exists()

    # Running it again fills only the gaps: a cancelled month gets a new meeting.
    meeting_cancel(meeting=february, reason="Bão lũ", actor=alice)
    again = meetings_generate_year(org=personas.cell_a, plan=YearPlan(year=2026), actor=alice)
    assert [(m.kind, m.period) for m in again] == [(MeetingKind.REGULAR, D(2026, 2, 1))]


def test_combined_meetings_count_as_regular_and_thematic(personas: Any) -> None:
    created = meetings_generate_year(
        org=personas.cell_b,
        plan=YearPlan(year=2026, day=31, thematic=ThematicMode.COMBINED),
    )
    assert len(created) == 12
    assert [m.period.month for m in created if m.kind == MeetingKind.COMBINED] == [3, 6, 9, 12]
    # The 31st falls back to the month's last day.
    april = next(m for m in created if m.period.month == 4)
    assert timezone.localtime(april.starts_at).date() == D(2026, 4, 30)
    assert [q.thematic for q in quarter_checks(created)] == [1, 1, 1, 1]
    # A thematic month already has its combined meeting: nothing more to add.
    assert meetings_generate_year(org=personas.cell_b, plan=YearPlan(year=2026)) == []


def test_a_quarter_without_a_thematic_month_is_refused(personas: Any) -> None:
    with pytest.raises(ValidationError) as error:
        meetings_generate_year(
            org=personas.cell_a, plan=YearPlan(year=2026, thematic_months=(3, 6, 9))
        )
    assert "Mỗi quý cần ít nhất một buổi sinh hoạt chuyên đề" in str(error.value)
    assert not Meeting.objects.filter(org=personas.cell_a).exists()


def test_committees_salute_the_flag_on_first_mondays_and_branches_hold_branch_meetings(
    personas: Any,
) -> None:
    salutes = meetings_generate_year(org=personas.commune, plan=YearPlan(year=2026))
    assert {m.kind for m in salutes} == {MeetingKind.FLAG_SALUTE}
    days = [timezone.localtime(m.starts_at).date() for m in salutes]
    assert days[:3] == [D(2026, 1, 5), D(2026, 2, 2), D(2026, 3, 2)]
    assert all(day.weekday() == 0 and day.day <= 7 for day in days)
    assert first_monday(2026, 6) == D(2026, 6, 1)

    branch = meetings_generate_year(org=personas.women_a, plan=YearPlan(year=2026))
    assert [m.kind for m in branch] == [MeetingKind.BRANCH] * 12
    # The women's union's own base is no cell and no party committee: nothing to plan.
    with pytest.raises(ValidationError) as error:
        meetings_generate_year(org=personas.women, plan=YearPlan(year=2026))
    assert "không có lịch sinh hoạt định kỳ" in str(error.value)


def test_a_moved_meeting_stays_the_meeting_of_its_month(personas: Any) -> None:
    meeting = meeting_create(
        org=personas.cell_a,
        kind=MeetingKind.REGULAR,
        data=MeetingData(starts_at=at(D(2026, 3, 28)), location="Hội trường"),
    )
    moved = meeting_move(
        meeting=meeting, starts_at=at(D(2026, 4, 2)), reason="Trùng lịch", expected_version=1
    )
    assert moved.period == D(2026, 3, 1)
    assert timezone.localtime(moved.starts_at).date() == D(2026, 4, 2)
    assert moved.version == 2
    # A second officer holding the old page is refused, not overwritten.
    with pytest.raises(ValidationError) as error:
        meeting_move(meeting=moved, starts_at=at(D(2026, 4, 3)), expected_version=1)
    assert "vừa được người khác thay đổi" in str(error.value)
    with pytest.raises(ValidationError) as error:
        meeting_move(meeting=moved, starts_at=at(D(2026, 6, 3)))
    assert "chỉ được dời trong khoảng một tháng" in str(error.value)
    entry = AuditEntry.objects.filter(subject_type="meetings.meeting", subject_id=meeting.pk)
    assert entry.filter(summary__contains="Dời buổi sinh hoạt").exists()


def test_cancel_needs_a_reason_and_a_cancelled_meeting_stays_as_it_was(personas: Any) -> None:
    meeting = meeting_create(
        org=personas.cell_a, kind=MeetingKind.REGULAR, data=MeetingData(starts_at=at(D(2026, 3, 5)))
    )
    with pytest.raises(ValidationError) as error:
        meeting_cancel(meeting=meeting, reason="  ")
    assert "lý do hủy" in str(error.value)
    meeting_cancel(meeting=meeting, reason="Mưa bão")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    with pytest.raises(ValidationError):
        meeting_move(meeting=meeting, starts_at=at(D(2026, 3, 6)))


def test_kinds_a_unit_does_not_hold_are_refused(personas: Any) -> None:
    with pytest.raises(ValidationError) as error:
        meeting_create(
            org=personas.cell_a,
            kind=MeetingKind.FLAG_SALUTE,
            data=MeetingData(starts_at=at(D(2026, 3, 2))),
        )
    assert "kind" in error.value.message_dict
    extraordinary = meeting_create(
        org=personas.cell_a,
        kind=MeetingKind.EXTRAORDINARY,
        data=MeetingData(starts_at=at(D(2026, 3, 12)), title="Phòng chống bão số 3"),
    )
    assert extraordinary.period == D(2026, 3, 1)
    assert extraordinary.agenda_items.count() >= 3


def entered(meeting: Meeting, day: datetime.date) -> Meeting:
    """When the officer typed the meeting in: fixed, for the deadline checks."""
    Meeting.objects.filter(pk=meeting.pk).update(scheduled_at=at(day, 9))
    meeting.refresh_from_db()
    return meeting


def test_the_committee_sees_late_and_missing_entries(personas: Any) -> None:
    dave = personas.user("dave")
    with pytest.raises(ValidationError) as error:
        schedule_rule_set(org=personas.commune, deadline_day=30)
    assert "từ 1 đến 28" in str(error.value)
    with pytest.raises(ValidationError):
        schedule_rule_set(org=personas.cell_a, deadline_day=20)
    schedule_rule_set(org=personas.commune, deadline_day=20, actor=dave)
    regular = MeetingKind.REGULAR
    on_time = entered(
        meeting_create(
            org=personas.cell_a, kind=regular, data=MeetingData(starts_at=at(D(2026, 4, 5)))
        ),
        D(2026, 3, 20),
    )
    late = entered(
        meeting_create(
            org=personas.cell_b, kind=regular, data=MeetingData(starts_at=at(D(2026, 4, 6)))
        ),
        D(2026, 3, 21),
    )
    report = late_entries(
        user=dave, org=personas.commune, period=D(2026, 4, 1), today=D(2026, 3, 24)
    )
    assert report.deadline_day == 20
    assert [(e.org.code, e.meeting) for e in report.late] == [("T-B", late)]
    assert report.late[0].deadline == D(2026, 3, 20)
    assert report.missing == []
    # Nobody entered May: after 20 April both cells are missing, not before.
    before = late_entries(
        user=dave, org=personas.commune, period=D(2026, 5, 1), today=D(2026, 4, 20)
    )
    assert before.missing == []
    may = late_entries(user=dave, org=personas.commune, period=D(2026, 5, 1), today=D(2026, 4, 21))
    assert [e.org.code for e in may.missing] == ["T-A", "T-B"]
    # Moving April's meeting after the deadline is a late entry too.
    entered(meeting_move(meeting=on_time, starts_at=at(D(2026, 4, 9))), D(2026, 4, 1))
    april = late_entries(user=dave, org=personas.commune, period=D(2026, 4, 1))
    assert {e.org.code for e in april.late} == {"T-A", "T-B"}
    # A lower unit's officer sees only its own.
    bobs = late_entries(user=personas.user("bob"), org=personas.commune, period=D(2026, 4, 1))
    assert [e.org.code for e in bobs.late] == ["T-B"]


def test_a_meeting_belongs_to_its_month_or_the_one_next_to_it_never_two_away(
    personas: Any,
) -> None:
    """By calendar months, not days: 20/03 is 78 days from 01/01 but only 2 months away,
    and 31/03 is 61 days from 30/01's month start yet still 2 months away."""
    for day, period in ((D(2026, 3, 20), D(2026, 1, 1)), (D(2026, 3, 1), D(2026, 1, 1))):
        with pytest.raises(ValidationError) as error:
            meeting_create(
                org=personas.cell_a,
                kind=MeetingKind.REGULAR,
                data=MeetingData(starts_at=at(day), period=period),
            )
        assert "tối đa một tháng" in str(error.value)
    assert not Meeting.objects.filter(org=personas.cell_a, period=D(2026, 1, 1)).exists()
    # A month early or late is allowed, even across a year's end.
    early = meeting_create(
        org=personas.cell_a,
        kind=MeetingKind.REGULAR,
        data=MeetingData(starts_at=at(D(2025, 12, 30)), period=D(2026, 1, 1)),
    )
    assert early.period == D(2026, 1, 1)
    meeting = meeting_create(
        org=personas.cell_a,
        kind=MeetingKind.REGULAR,
        data=MeetingData(starts_at=at(D(2026, 5, 4))),
    )
    # 01/05 → 01/03 is 61 days, two months back: refused.
    with pytest.raises(ValidationError) as error:
        meeting_move(meeting=meeting, starts_at=at(D(2026, 3, 2)))
    assert "chỉ được dời trong khoảng một tháng" in str(error.value)
    moved = meeting_move(meeting=meeting, starts_at=at(D(2026, 6, 30)))
    assert moved.period == D(2026, 5, 1)
