"""Meeting statistics against a small tree counted by hand.

S-P (province, deadline rule: the 25th) → S-C (commune committee, rule: the 20th) → cells
S-A, S-B, S-X (merged away on 10 March); S-P → S-D (a cell directly under the province).
Today is 15 July 2025: months 1-7 are due, 1-6 are over.

Regular meetings held (period):     Jan Feb Mar Apr May Jun Jul
  S-A  (May is combined)             x   x   x   x   C   x   planned
  S-B  (Feb held on 2 March: moved)  x   x   -   x   cancelled x
  S-X  (ended 10 March)              x   x   -
  S-D                                x   x   x   x   x   x
Thematic: S-A in February, S-D in April, S-A's combined meeting in May.
Also: a flag-salute session of S-C in January and an extraordinary meeting of S-A in
March (held, but neither fills a month).
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import Any

import pytest

from chibo.meetings.models import (
    Meeting,
    MeetingDocument,
    MeetingKind,
    MeetingStatus,
    ScheduleRule,
)
from chibo.meetings.stats import meeting_stats, months_ended, months_open
from chibo.orgs.models import Family, Level, Org, OrgStatus
from chibo.orgs.services import org_create, org_end

D = datetime.date
TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = D(2025, 7, 15)
GENERATED = datetime.datetime(2024, 12, 10, 9, 0, tzinfo=TZ)


def at(year: int, month: int, day: int, hour: int = 19, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TZ)


@dataclass
class Tree:
    province: Org
    commune: Org
    a: Org
    b: Org
    x: Org
    d: Org


def meeting(
    org: Org,
    month: int,
    *,
    kind: str = MeetingKind.REGULAR,
    status: str = MeetingStatus.HELD,
    starts_at: datetime.datetime | None = None,
    scheduled_at: datetime.datetime = GENERATED,
    expected: int = 10,
    present: int = 8,
) -> Meeting:
    held = status == MeetingStatus.HELD
    return Meeting.objects.create(
        org=org,
        kind=kind,
        status=status,
        period=D(2025, month, 1),
        starts_at=starts_at or at(2025, month, 10),
        scheduled_at=scheduled_at,
        expected_count=expected if held else 0,
        present_count=present if held else 0,
    )


@pytest.fixture
def tree(db: None) -> Tree:
    def make(parent: Org | None, code: str, level: str) -> Org:
        return org_create(
            parent=parent, code=code, name=f"Tổ chức {code}", family=Family.PARTY, level=level
        )

    province = make(None, "S-P", Level.PROVINCE)
    commune = make(province, "S-C", Level.BASE)
    a = make(commune, "S-A", Level.BRANCH)
    b = make(commune, "S-B", Level.BRANCH)
    x = make(commune, "S-X", Level.BRANCH)
    d = make(province, "S-D", Level.BRANCH)
    org_end(org=x, status=OrgStatus.MERGED, on=D(2025, 3, 10), merged_into=a)
    ScheduleRule.objects.create(org=province, deadline_day=25)
    ScheduleRule.objects.create(org=commune, deadline_day=20)
    for month in (1, 2, 3, 4, 6):
        meeting(
            a,
            month,
            # April's date entered on 22 March: late under the commune's 20th, though not
            # under the province's 25th (the nearest rule applies). June's on 25 May.
            scheduled_at={4: at(2025, 3, 22), 6: at(2025, 5, 25)}.get(month, GENERATED),
            present=10 if month == 1 else 8,
        )
    meeting(a, 5, kind=MeetingKind.COMBINED, expected=10, present=9)
    meeting(a, 2, kind=MeetingKind.THEMATIC, expected=10, present=7)
    meeting(a, 7, status=MeetingStatus.PLANNED)
    meeting(
        a, 3, kind=MeetingKind.EXTRAORDINARY, scheduled_at=at(2025, 3, 15), expected=10, present=6
    )
    meeting(b, 1, expected=5, present=5)
    # February's meeting held on 2 March: it is February's, and it was moved.
    meeting(b, 2, starts_at=at(2025, 3, 2), expected=5, present=4)
    meeting(b, 4, expected=5, present=3)
    meeting(b, 5, status=MeetingStatus.CANCELLED)
    # Entered at 23:00 on the 20th, local time: on the deadline day, so not late.
    meeting(b, 6, scheduled_at=at(2025, 5, 20, 23, 0), expected=5, present=5)
    # January's date entered on 21 December: late (the deadline was 20 December).
    meeting(x, 1, scheduled_at=at(2024, 12, 21), expected=4, present=4)
    meeting(x, 2, expected=4, present=2)
    for month in range(1, 7):
        meeting(
            d,
            month,
            scheduled_at=at(2025, 2, 26) if month == 3 else GENERATED,
            expected=20,
            present=15,
        )
    meeting(d, 4, kind=MeetingKind.THEMATIC, expected=20, present=18)
    meeting(commune, 1, kind=MeetingKind.FLAG_SALUTE, expected=0, present=0)
    # Documents: one published the morning of S-A's June meeting (late), one two days
    # ahead of S-D's (in time), and a late one that was withdrawn (not counted).
    june_a = Meeting.objects.get(org=a, period=D(2025, 6, 1))
    MeetingDocument.objects.create(
        meeting=june_a, title="Nghị quyết", published_at=at(2025, 6, 10, 8)
    )
    june_d = Meeting.objects.get(org=d, period=D(2025, 6, 1), kind=MeetingKind.REGULAR)
    MeetingDocument.objects.create(meeting=june_d, title="Báo cáo", published_at=at(2025, 6, 8))
    april_a = Meeting.objects.get(org=a, period=D(2025, 4, 1))
    MeetingDocument.objects.create(
        meeting=april_a,
        title="Dự thảo",
        published_at=at(2025, 4, 10, 18),
        withdrawn_at=at(2025, 4, 10, 18, 30),
    )
    return Tree(province=province, commune=commune, a=a, b=b, x=x, d=d)


def test_months_due_and_over() -> None:
    assert (months_open(2025, TODAY), months_ended(2025, TODAY)) == (7, 6)
    assert (months_open(2024, TODAY), months_ended(2024, TODAY)) == (12, 12)
    assert (months_open(2026, TODAY), months_ended(2026, TODAY)) == (0, 0)


def test_province_figures(tree: Tree) -> None:
    stats = meeting_stats(org=tree.province, year=2025, today=TODAY)
    by_month = {m.month: m for m in stats.months}
    assert stats.units == 4
    assert [m.due for m in stats.months] == [4, 4, 4, 3, 3, 3, 3, 0, 0, 0, 0, 0]
    assert [m.held_units for m in stats.months[:7]] == [4, 4, 2, 3, 2, 3, 0]
    assert [m.missing for m in stats.months[:7]] == [0, 0, 2, 0, 1, 0, 0]
    assert (stats.held_unit_months, stats.due_unit_months) == (18, 24)
    assert stats.held_percent == 75.0
    # Every kind held: January has the flag salute, March the extraordinary meeting.
    assert [m.held for m in stats.months[:7]] == [5, 5, 3, 4, 2, 3, 0]
    assert stats.held == 22
    assert [m.thematic for m in stats.months[:6]] == [0, 1, 0, 1, 1, 0]
    assert by_month[7].planned == 1
    assert stats.cancelled == 1 and by_month[5].cancelled == 1
    assert stats.moved == 1 and by_month[2].moved == 1
    assert {m.month: m.late_schedule for m in stats.months if m.late_schedule} == {
        1: 1,
        3: 1,
        4: 1,
        6: 1,
    }
    assert stats.late_documents == 1 and by_month[6].late_documents == 1
    assert [(q.due, q.units, q.missing) for q in stats.quarters] == [
        (4, 1, 3),
        (3, 2, 1),
        (3, 0, 0),
        (0, 0, 0),
    ]
    assert stats.thematic_missing == 4
    # Present over expected of every held meeting.
    expected = 10 * 8 + 4 * 5 + 2 * 4 + 7 * 20 + 0
    present = (10 + 8 * 4 + 9 + 7 + 6) + (5 + 4 + 3 + 5) + (4 + 2) + (15 * 6 + 18)
    assert (stats.expected, stats.present) == (expected, present)
    assert stats.attendance_percent == round(100 * present / expected, 1)
    assert by_month[1].attendance_percent == round(100 * (10 + 5 + 4 + 15) / (10 + 5 + 4 + 20), 1)


def test_missed_units_list_only_active_units_with_their_months(tree: Tree) -> None:
    stats = meeting_stats(org=tree.province, year=2025, today=TODAY)
    assert stats.missed_count == 1
    [missed] = stats.missed
    assert missed.org == tree.b
    assert missed.missed_months == [3, 5]
    assert missed.held_months == [1, 2, 4, 6]


def test_children_share_the_figures(tree: Tree) -> None:
    stats = meeting_stats(
        org=tree.province, year=2025, today=TODAY, children=[tree.commune, tree.d]
    )
    commune, d = stats.children
    assert (commune.org, commune.units, commune.due_unit_months) == (tree.commune, 3, 17)
    assert commune.held_unit_months == 12
    assert commune.held == 15 and commune.thematic == 2
    assert (d.units, d.due_unit_months, d.held_unit_months, d.thematic) == (1, 7, 6, 1)
    assert d.held_percent == round(100 * 6 / 7, 1)


def test_a_cell_alone(tree: Tree) -> None:
    stats = meeting_stats(org=tree.b, year=2025, today=TODAY)
    assert stats.units == 1
    assert [m.held_units for m in stats.months[:6]] == [1, 1, 0, 1, 0, 1]
    assert stats.missed_count == 1
    assert stats.late_schedule == 0
    # The commune's figures do not include S-D, which lies beside it.
    commune = meeting_stats(org=tree.commune, year=2025, today=TODAY)
    assert commune.units == 3 and commune.held_unit_months == 12


def test_a_past_year_is_over_and_an_empty_year_is_zero(tree: Tree) -> None:
    later = meeting_stats(org=tree.province, year=2025, today=D(2026, 2, 1))
    assert later.due_unit_months == 4 * 3 + 3 * 9
    assert [m.missing for m in later.months[6:]] == [3, 3, 3, 3, 3, 3]
    assert later.missed_count == 3  # S-A, S-B, S-D: none met from July on
    empty = meeting_stats(org=tree.province, year=2024, today=TODAY)
    assert empty.held == 0 and empty.attendance_percent is None
    assert empty.held_unit_months == 0 and empty.missed_count == 4 - 1


def test_the_number_of_queries_does_not_grow(
    tree: Tree, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(10) as few:
        meeting_stats(org=tree.province, year=2025, today=TODAY, children=[tree.commune, tree.d])
    for number in range(30):
        cell = org_create(
            parent=tree.commune,
            code=f"S-N{number}",
            name=f"Chi bộ mới {number}",
            family=Family.PARTY,
            level=Level.BRANCH,
        )
        for month in range(1, 7):
            meeting(cell, month)
    with django_assert_max_num_queries(len(few.captured_queries)):
        stats = meeting_stats(
            org=tree.province, year=2025, today=TODAY, children=[tree.commune, tree.d]
        )
    assert stats.units == 34


def test_deadline_intervals_give_the_nearest_rule() -> None:
    from chibo.meetings.stats import deadline_intervals

    rules = {"0001": 25, "00010002": 20, "0001000Z": 15}
    intervals = deadline_intervals(rules)

    def day(path: str) -> int | None:
        for start, end, value in intervals:
            if start <= path and (end is None or path < end):
                return value
        return None

    assert day("00010001") == 25
    assert day("000100020003") == 20
    assert day("00010003") == 25
    assert day("0001000Z0001") == 15
    assert day("0002") is None and day("0000") is None
    assert day("00011") == 25
