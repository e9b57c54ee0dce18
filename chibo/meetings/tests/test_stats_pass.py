"""The one-pass statistics (stats.py) on the cases its packing and roll-ups could get wrong,
counted by hand.

S-P (province, no deadline rule) → S-C (commune, rule: the 20th) → cells S-A, S-B, S-E;
S-P → S-D (cell beside the commune, so under no rule at all). Today is 15 April 2025:
months 1-4 are due, 1-3 are over.

  S-A  two regular meetings held for January (a month counts once), a thematic meeting in
       January and another in March (one unit for the first quarter, two meetings), a
       regular meeting held for February and March; February's entered on 25 January
       (late), March's held on 31 March at 23:30 local time (still March, not moved).
  S-B  January held on 1 February at 00:30 local time (moved, still January's); nothing
       else (missed February and March).
  S-E  no meeting at all this year (missed every month; read through the LEFT JOIN).
  S-D  regular meetings for January to March, February's entered on 28 January: no rule
       reaches S-D, so it is not late. Two late documents on its March meeting count once;
       a late document on a cancelled meeting does not count.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chibo.meetings.models import (
    Meeting,
    MeetingDocument,
    MeetingKind,
    MeetingStatus,
    ScheduleRule,
)
from chibo.meetings.stats import _subtree_sql, meeting_stats
from chibo.orgs.models import Family, Level, Org
from chibo.orgs.services import org_create

D = datetime.date
TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = D(2025, 4, 15)
GENERATED = datetime.datetime(2024, 12, 10, 9, 0, tzinfo=TZ)


def at(month: int, day: int, hour: int = 19, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2025, month, day, hour, minute, tzinfo=TZ)


@dataclass
class Tree:
    province: Org
    commune: Org
    a: Org
    b: Org
    e: Org
    d: Org


def meeting(
    org: Org,
    month: int,
    *,
    kind: str = MeetingKind.REGULAR,
    status: str = MeetingStatus.HELD,
    starts_at: datetime.datetime | None = None,
    held_at: datetime.datetime | None = None,
    scheduled_at: datetime.datetime = GENERATED,
) -> Meeting:
    held = status == MeetingStatus.HELD
    return Meeting.objects.create(
        org=org,
        kind=kind,
        status=status,
        period=D(2025, month, 1),
        starts_at=starts_at or at(month, 10),
        held_started_at=held_at,
        scheduled_at=scheduled_at,
        expected_count=10 if held else 0,
        present_count=7 if held else 0,
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
    e = make(commune, "S-E", Level.BRANCH)
    d = make(province, "S-D", Level.BRANCH)
    ScheduleRule.objects.create(org=commune, deadline_day=20)
    meeting(a, 1)
    meeting(a, 1, starts_at=at(1, 25))
    meeting(a, 1, kind=MeetingKind.THEMATIC)
    meeting(a, 3, kind=MeetingKind.THEMATIC)
    meeting(a, 2, scheduled_at=at(1, 25, 9))
    meeting(a, 3, starts_at=at(3, 31, 23, 30))
    meeting(b, 1, starts_at=at(1, 31), held_at=at(2, 1, 0, 30))
    meeting(d, 1)
    meeting(d, 2, scheduled_at=at(1, 28))
    march_d = meeting(d, 3)
    for hours in (2, 5):
        MeetingDocument.objects.create(
            meeting=march_d, title="Báo cáo", published_at=at(3, 10, 19 - hours)
        )
    cancelled = meeting(d, 4, status=MeetingStatus.CANCELLED)
    MeetingDocument.objects.create(meeting=cancelled, title="Dự thảo", published_at=at(4, 10, 8))
    return Tree(province=province, commune=commune, a=a, b=b, e=e, d=d)


def test_months_count_units_once_and_moves_by_local_time(tree: Tree) -> None:
    stats = meeting_stats(org=tree.province, year=2025, today=TODAY)
    months = stats.months
    assert stats.units == 4
    # January: S-A (twice, counted once), S-B (moved into February), S-D.
    assert [m.held_units for m in months[:4]] == [3, 2, 2, 0]
    assert [m.held for m in months[:4]] == [5, 2, 3, 0]
    assert [m.thematic for m in months[:4]] == [1, 0, 1, 0]
    assert [m.moved for m in months[:4]] == [1, 0, 0, 0]
    assert [m.late_schedule for m in months[:4]] == [0, 1, 0, 0]
    assert [m.late_documents for m in months[:4]] == [0, 0, 1, 0]
    assert months[3].cancelled == 1
    assert (stats.expected, stats.present) == (10 * 10, 7 * 10)
    first = stats.quarters[0]
    assert (first.due, first.units, first.meetings, first.missing) == (4, 1, 2, 3)


def test_units_without_meetings_are_missed(tree: Tree) -> None:
    stats = meeting_stats(org=tree.province, year=2025, today=TODAY)
    assert stats.missed_count == 2
    assert [(m.org, m.held_months, m.missed_months) for m in stats.missed] == [
        (tree.e, [], [1, 2, 3]),
        (tree.b, [1], [2, 3]),
    ]
    assert stats.missing_unit_months == 3 + 2


def test_children_and_a_subtree_without_rules(tree: Tree) -> None:
    stats = meeting_stats(
        org=tree.province, year=2025, today=TODAY, children=[tree.commune, tree.d]
    )
    commune, d = stats.children
    assert (commune.units, commune.due_unit_months, commune.held_unit_months) == (3, 12, 4)
    assert (commune.held, commune.thematic) == (7, 2)
    assert (d.units, d.held_unit_months, d.held, d.thematic) == (1, 3, 3, 0)
    # S-D alone: no rule up its tree, nothing is late; its own document is.
    alone = meeting_stats(org=tree.d, year=2025, today=TODAY)
    assert alone.late_schedule == 0 and alone.late_documents == 1
    assert alone.held_unit_months == 3 and alone.missed_count == 0


def test_five_queries_one_of_them_over_the_meetings(
    tree: Tree, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(5):
        meeting_stats(org=tree.province, year=2025, today=TODAY, children=[tree.commune, tree.d])
    with CaptureQueriesContext(connection) as captured:
        meeting_stats(org=tree.province, year=2025, today=TODAY)
    reading = [q for q in captured.captured_queries if "meetings_meeting" in q["sql"]]
    assert len(reading) == 1


def test_the_meetings_are_read_from_the_covering_index(tree: Tree) -> None:
    sql, params = _subtree_sql(tree.province, 2025, TODAY, connection)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
            assert "COVERING INDEX meeting_stats_idx" in plan
            # Grouping by (org, period) follows the index: the only sorts are the roll-ups.
            assert plan.count("TEMP B-TREE") == 2
        else:
            cursor.execute("EXPLAIN " + sql, params)
            assert cursor.fetchall()
