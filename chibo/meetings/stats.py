"""Meeting statistics for any node of the tree: one read of the subtree's meetings, five queries.

What the figures mean (docs/meetings.md says the same for readers):

- A *unit* is an org that holds the monthly meeting itself: a cell or branch (chi bộ, chi
  hội, chi đoàn) or a group (tổ), the levels `schedule.UNIT_LEVELS` plans meetings for.
  Committees' own sessions (flag salute) are counted as meetings held, never as units.
- A unit is *due* a meeting in a month when it is active, or ended (merged, dissolved) on
  or after the first day of that month. Creation dates are not used: the register keeps
  when a record was typed in, not when the cell was founded.
- A meeting is *held in month X* when its status is held and its `period` is X: the month
  it is the regular meeting of. A meeting of March held on 2 April counts for March (and
  is counted as *moved*); nothing counts twice, a month is never filled by the next
  month's meeting. Only the regular monthly kinds (regular, combined regular + thematic,
  branch meeting of a mass organisation) fill the month: a thematic meeting alone does
  not replace it (Hướng dẫn 12-HD/BTCTW, 2018, point 1: the cell meets regularly once a
  month, thematic meetings at least once a quarter).
- Months are due up to the current one; a unit *missed* a month only once the month is
  over (the current month is still open).
- The attendance rate is the sum of members present over the sum of members expected,
  read from Meeting.present_count / expected_count, which the roll call writes (exempt
  and temporarily transferred-out members are not expected).
- A meeting's date was entered *late* when `scheduled_at` (local date) is after the
  deadline day of the month before its period set by the nearest ScheduleRule up the
  tree. A document is *late* when published less than 24 hours before the meeting starts
  (Hướng dẫn 42-HD/BTCTW, 2025: documents reach members at least one day ahead).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Count,
    Q,
)
from django.db.models.functions import (
    Substr,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.fields import subtree_bounds
from chibo.meetings.models import Meeting, MeetingDocument, MeetingKind, MeetingStatus
from chibo.meetings.schedule import (
    REGULAR_KINDS,
    THEMATIC_KINDS,
    UNIT_LEVELS,
    deadline_rules_for,
)
from chibo.orgs.models import Org, OrgStatus

# Kinds that must be entered before the committee's deadline: the planned ones.
SCHEDULED_KINDS = (
    MeetingKind.REGULAR,
    MeetingKind.THEMATIC,
    MeetingKind.COMBINED,
    MeetingKind.BRANCH,
)
# How many units that missed a month a page lists; the count is always complete.
MISSED_LIST_LIMIT = 20
EARLIEST_YEAR = 2000


def unit_q(prefix: str = "") -> Q:
    """Orgs that hold monthly meetings themselves, as a Q on Org (or on `prefix`org)."""
    return Q(**{f"{prefix}level__in": UNIT_LEVELS})


def due_q(month: datetime.date, prefix: str = "") -> Q:
    """Units still due a meeting in `month`: active, or ended on or after its first day."""
    return Q(**{f"{prefix}status": OrgStatus.ACTIVE}) | Q(**{f"{prefix}ended_on__gte": month})


def months_open(year: int, today: datetime.date) -> int:
    """How many months of `year` are due so far (the current month included)."""
    if year < today.year:
        return 12
    if year > today.year:
        return 0
    return today.month


def months_ended(year: int, today: datetime.date) -> int:
    """How many months of `year` are over: only those can have been missed."""
    if year < today.year:
        return 12
    if year > today.year:
        return 0
    return today.month - 1


@dataclass
class MonthStats:
    month: int
    due: int = 0  # units due a regular meeting (0 for months not yet open)
    held_units: int = 0  # units whose regular meeting of the month was held
    held: int = 0  # meetings held, every kind
    thematic: int = 0  # thematic or combined meetings held
    planned: int = 0  # meetings planned and not yet held
    cancelled: int = 0
    moved: int = 0  # held in another month than their period
    late_schedule: int = 0  # date entered after the committee's deadline
    late_documents: int = 0  # meetings with a document published less than a day ahead
    expected: int = 0
    present: int = 0
    open: bool = False  # the month is due (the current one or before)
    ended: bool = False  # the month is over

    @property
    def missing(self) -> int:
        return max(self.due - self.held_units, 0) if self.ended else 0

    @property
    def held_percent(self) -> float | None:
        return round(100 * self.held_units / self.due, 1) if self.due else None

    @property
    def attendance_percent(self) -> float | None:
        return round(100 * self.present / self.expected, 1) if self.expected else None


@dataclass
class QuarterStats:
    quarter: int
    due: int = 0
    units: int = 0  # units that held at least one thematic meeting in the quarter
    meetings: int = 0
    open: bool = False
    ended: bool = False

    @property
    def missing(self) -> int:
        return max(self.due - self.units, 0) if self.ended else 0


@dataclass
class MissedUnit:
    org: Org
    held_months: list[int]
    missed_months: list[int]


@dataclass
class ChildStats:
    org: Org
    units: int = 0
    due_unit_months: int = 0
    held_unit_months: int = 0
    held: int = 0
    thematic: int = 0
    expected: int = 0
    present: int = 0

    @property
    def held_percent(self) -> float | None:
        if not self.due_unit_months:
            return None
        return round(100 * self.held_unit_months / self.due_unit_months, 1)

    @property
    def attendance_percent(self) -> float | None:
        return round(100 * self.present / self.expected, 1) if self.expected else None


@dataclass
class MeetingStats:
    org: Org
    year: int
    today: datetime.date
    units: int = 0  # units in the subtree due at least one month of the year
    months: list[MonthStats] = field(default_factory=list)
    quarters: list[QuarterStats] = field(default_factory=list)
    missed_count: int = 0
    missed: list[MissedUnit] = field(default_factory=list)
    children: list[ChildStats] = field(default_factory=list)

    @property
    def due_unit_months(self) -> int:
        return sum(m.due for m in self.months if m.open)

    @property
    def held_unit_months(self) -> int:
        return sum(m.held_units for m in self.months)

    @property
    def held_percent(self) -> float | None:
        due = self.due_unit_months
        return round(100 * self.held_unit_months / due, 1) if due else None

    @property
    def held(self) -> int:
        return sum(m.held for m in self.months)

    @property
    def thematic(self) -> int:
        return sum(m.thematic for m in self.months)

    @property
    def expected(self) -> int:
        return sum(m.expected for m in self.months)

    @property
    def present(self) -> int:
        return sum(m.present for m in self.months)

    @property
    def attendance_percent(self) -> float | None:
        return round(100 * self.present / self.expected, 1) if self.expected else None

    @property
    def moved(self) -> int:
        return sum(m.moved for m in self.months)

    @property
    def late_schedule(self) -> int:
        return sum(m.late_schedule for m in self.months)

    @property
    def late_documents(self) -> int:
        return sum(m.late_documents for m in self.months)

    @property
    def cancelled(self) -> int:
        return sum(m.cancelled for m in self.months)

    @property
    def missing_unit_months(self) -> int:
        return sum(m.missing for m in self.months)

    @property
    def thematic_missing(self) -> int:
        return sum(q.missing for q in self.quarters)


# --- the queries --------------------------------------------------------------------------


def due_counts(*, org: Org, year: int, today: datetime.date) -> tuple[int, list[int], list[int]]:
    """(units due in any month of the year, units due per month, per quarter): one query."""
    aggregates: dict[str, Count] = {
        "year": Count("id", filter=due_q(datetime.date(year, 1, 1))),
    }
    for month in range(1, 13):
        aggregates[f"m{month}"] = Count("id", filter=due_q(datetime.date(year, month, 1)))
    for quarter in range(1, 5):
        start = datetime.date(year, 3 * quarter - 2, 1)
        aggregates[f"q{quarter}"] = Count("id", filter=due_q(start))
    row = Org.objects.filter(unit_q(), path__startswith=org.path).aggregate(**aggregates)
    opened = months_open(year, today)
    per_month = [int(row[f"m{m}"] or 0) if m <= opened else 0 for m in range(1, 13)]
    per_quarter = [int(row[f"q{q}"] or 0) if 3 * q - 2 <= opened else 0 for q in range(1, 5)]
    return int(row["year"] or 0), per_month, per_quarter


def _local_start(year: int, month: int) -> datetime.datetime:
    """Midnight of the first day of the month, local time (where the months begin)."""
    if month == 13:
        year, month = year + 1, 1
    return timezone.make_aware(datetime.datetime(year, month, 1))


def _after(path: str) -> str | None:
    """The first path, of the same length, after every path starting with `path`; None
    when there is none (the last node of its depth)."""
    alphabet = Org.alphabet
    chars = list(path)
    for index in range(len(chars) - 1, -1, -1):
        position = alphabet.index(chars[index])
        if position + 1 < len(alphabet):
            chars[index] = alphabet[position + 1]
            return "".join(chars[: index + 1])
        chars[index] = alphabet[0]
    return None


def deadline_intervals(rules: dict[str, int]) -> list[tuple[str, str | None, int | None]]:
    """The rules' reach as ordered, disjoint path intervals [start, end) with the deadline
    day of the nearest rule (None: no rule). Subtrees are path ranges and nest, so the
    nearest rule of any path is the deepest rule whose range holds the interval's start."""
    bounds: set[str] = set()
    for path in rules:
        bounds.add(path)
        after = _after(path)
        if after is not None:
            bounds.add(after)
    ordered = sorted(bounds)
    intervals: list[tuple[str, str | None, int | None]] = []
    for index, start in enumerate(ordered):
        end = ordered[index + 1] if index + 1 < len(ordered) else None
        holders = [path for path in rules if start.startswith(path)]
        day = rules[max(holders, key=len)] if holders else None
        if intervals and intervals[-1][2] == day:
            intervals[-1] = (intervals[-1][0], end, day)
        else:
            intervals.append((start, end, day))
    return intervals


# --- the one pass over the subtree's meetings -----------------------------------------------
#
# Every figure that reads meetings comes from one statement that reads the year's meetings
# of the subtree once. Its inner level groups them
# by (org, period) while walking the orgs in path order and each org's meetings through the
# covering index (org, period, …), so the database neither sorts the meetings nor reads the
# table rows; the per-(org, period) rows are then rolled up twice: by (child prefix, period)
# for the months and the children, and by org for the units' month masks (quarters, missed
# months). Per meeting the database evaluates three sums of packed counters, not a dozen
# filtered aggregates: on SQLite each aggregate is a call per row, which is what cost.

# Counters of one (org, period) packed in one integer, FIELD_BITS each: a unit holds far
# fewer than 4,096 meetings of one kind in a month.
FIELD_BITS = 12
FIELD_MASK = (1 << FIELD_BITS) - 1
_REGULAR_AT, _THEMATIC_AT, _HELD_AT, _PLANNED_AT, _CANCELLED_AT = (
    FIELD_BITS * index for index in range(5)
)
# Members expected and present of one (org, period), packed the same way.
_COUNT_BITS = 32
_COUNT_MASK = (1 << _COUNT_BITS) - 1
# Moved meetings, meetings entered late and meetings with a late document of one
# (org, period), 16 bits each.
_LATE_AT, _LATE_DOCUMENTS_AT = 16, 32
_SMALL_MASK = (1 << 16) - 1


@dataclass
class _Pass:
    """What the pass returns, keyed for meeting_stats."""

    months: dict[int, dict[str, int]]
    children: dict[str, dict[str, int]]
    quarter_units: list[int]
    quarter_meetings: list[int]
    # (path, org id, months held as bits 1-12) of the active units that missed a month.
    missed: list[tuple[str, int, int]]


def _in(column: str, values: tuple[str, ...]) -> str:
    # The kinds and levels are the code's own constants, never user input.
    return f"{column} IN ({', '.join(repr(str(value)) for value in values)})"


def _meeting_code() -> str:
    """The packed counters of one meeting row: regular held, thematic held, held,
    planned, cancelled."""
    kinds = []
    for kind in MeetingKind.values:
        value = (1 << _REGULAR_AT if kind in REGULAR_KINDS else 0) + (
            1 << _THEMATIC_AT if kind in THEMATIC_KINDS else 0
        )
        kinds.append(f"WHEN '{kind}' THEN {value + (1 << _HELD_AT)}")
    return (
        f"CASE m.status WHEN '{MeetingStatus.HELD}' THEN CASE m.kind {' '.join(kinds)} ELSE "
        f"{1 << _HELD_AT} END WHEN '{MeetingStatus.PLANNED}' THEN {1 << _PLANNED_AT} "
        f"WHEN '{MeetingStatus.CANCELLED}' THEN {1 << _CANCELLED_AT} ELSE 0 END"
    )


def _day_sql(intervals: list[tuple[str, str | None, int | None]]) -> tuple[str, list[Any]]:
    """The deadline day of the row's org as a balanced CASE over the interval bounds (see
    deadline_intervals): a handful of comparisons per org, however many rules there are."""
    params: list[Any] = []

    def build(low: int, high: int) -> str:
        if high - low == 1:
            day = intervals[low][2]
            return "NULL" if day is None else str(int(day))
        middle = (low + high) // 2
        params.append(intervals[middle][0])
        left = build(low, middle)
        return f"CASE WHEN path < %s THEN {left} ELSE {build(middle, high)} END"

    if not intervals:
        return "NULL", params
    params.append(intervals[0][0])
    return f"CASE WHEN path < %s THEN NULL ELSE {build(0, len(intervals))} END", params


def _late_limit(year: int, month: int, day: int) -> datetime.datetime:
    """The first moment that is late for the meeting of `month`: midnight (local time)
    after the deadline day of the month before."""
    before = datetime.date(year, month, 1) - datetime.timedelta(days=1)
    last = before.replace(day=min(day, before.day))
    return timezone.make_aware(
        datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time())
    )


def _moved_late_sql(
    year: int, days: list[int], connection: BaseDatabaseWrapper
) -> tuple[str, list[Any]]:
    """Moved + late << _LATE_AT of one meeting row, as a balanced CASE over its period whose
    leaves compare with that month's bounds and deadlines: four comparisons find the month,
    then plain comparisons of stored values (no date function per row)."""
    ops = connection.ops
    held_on = "COALESCE(m.held_started_at, m.starts_at)"
    scheduled = _in("m.kind", tuple(str(kind) for kind in SCHEDULED_KINDS))
    params: list[Any] = []

    def leaf(month: int) -> str:
        params.extend(
            [
                ops.adapt_datetimefield_value(_local_start(year, month)),
                ops.adapt_datetimefield_value(_local_start(year, month + 1)),
            ]
        )
        moved = (
            f"CASE WHEN m.status = '{MeetingStatus.HELD}' AND ({held_on} < %s OR {held_on} >= %s)"
            " THEN 1 ELSE 0 END"
        )
        if not days:
            return moved
        # Entered before the earliest deadline: on time whatever the unit's rule, which
        # spares most rows the search for their rule (the AND stops at the first false).
        params.append(ops.adapt_datetimefield_value(_late_limit(year, month, days[0])))
        limits = []
        for day in days:
            params.append(ops.adapt_datetimefield_value(_late_limit(year, month, day)))
            limits.append(f"WHEN {day} THEN m.scheduled_at >= %s")
        late = (
            f"CASE WHEN m.scheduled_at >= %s AND m.status <> '{MeetingStatus.CANCELLED}' "
            f"AND {scheduled} AND (CASE o.deadline_day {' '.join(limits)} ELSE 1 = 0 END) "
            f"THEN {1 << _LATE_AT} ELSE 0 END"
        )
        return f"{moved} + {late}"

    def build(low: int, high: int) -> str:
        if high - low == 1:
            return leaf(low)
        middle = (low + high) // 2
        params.append(ops.adapt_datefield_value(datetime.date(year, middle, 1)))
        left = build(low, middle)
        return f"CASE WHEN m.period < %s THEN {left} ELSE {build(middle, high)} END"

    return build(1, 13), params


def _late_document_sql(connection: BaseDatabaseWrapper) -> str:
    """1 << _LATE_DOCUMENTS_AT for a meeting (not cancelled) with a document still
    published that was published less than a day before the meeting started (Hướng dẫn
    42-HD/BTCTW, 2025: documents reach members at least one day ahead). A probe of the
    documents' index per meeting; julianday() on SQLite is the database's own function."""
    document = connection.ops.quote_name(MeetingDocument._meta.db_table)
    if connection.vendor == "postgresql":
        late = "d.published_at > m.starts_at - INTERVAL '1 day'"
    else:
        late = "julianday(d.published_at) > julianday(m.starts_at) - 1"
    return (
        f"CASE WHEN m.status <> '{MeetingStatus.CANCELLED}' AND EXISTS (SELECT 1 FROM "
        f"{document} d WHERE d.meeting_id = m.id AND d.withdrawn_at IS NULL AND "
        f"d.published_at IS NOT NULL AND {late}) THEN {1 << _LATE_DOCUMENTS_AT} ELSE 0 END"
    )


def _month_sql(column: str, connection: BaseDatabaseWrapper) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(MONTH FROM {column}) AS INTEGER)"
    # SQLite keeps dates as 'YYYY-MM-DD': the month is two characters, no date function.
    return f"CAST(SUBSTR({column}, 6, 2) AS INTEGER)"


def _subtree_sql(
    org: Org, year: int, today: datetime.date, connection: BaseDatabaseWrapper
) -> tuple[str, list[Any]]:
    ops = connection.ops
    rules = deadline_rules_for(org)
    day_sql, day_params = _day_sql(deadline_intervals(rules))
    moved_late_sql, moved_late_params = _moved_late_sql(
        year, sorted(set(rules.values())), connection
    )
    if connection.vendor == "sqlite":
        low, high = subtree_bounds(org.path)
        subtree, subtree_params = "path >= %s AND path < %s", [low, high]
    else:
        subtree, subtree_params = "path LIKE %s", [org.path + "%"]
    width = len(org.path) + Org.steplen
    ended = months_ended(year, today)
    ended_mask = (1 << (ended + 1)) - 2
    regular_bit = f"(CASE WHEN (k & {FIELD_MASK}) > 0 THEN 1 ELSE 0 END)"
    thematic = f"((k >> {_THEMATIC_AT}) & {FIELD_MASK})"
    bit = f"(1 << {_month_sql('period', connection)})"
    meeting = ops.quote_name(Meeting._meta.db_table)
    orgs = ops.quote_name(Org._meta.db_table)
    quarters = ", ".join(
        f"SUM(CASE WHEN (thems & {7 << (3 * quarter - 2)}) > 0 THEN 1 ELSE 0 END)"
        for quarter in range(1, 5)
    )
    sql = f"""
WITH l1 AS MATERIALIZED (
  SELECT o.id AS org_id, o.path AS path, SUBSTR(o.path, 1, {width}) AS prefix,
    o.is_unit AS is_unit, o.active AS active, m.period AS period,
    CAST(SUM({_meeting_code()}) AS BIGINT) AS k,
    CAST(SUM(CASE WHEN m.status = '{MeetingStatus.HELD}'
      THEN m.expected_count * {1 << _COUNT_BITS} + m.present_count ELSE 0 END) AS BIGINT) AS e,
    CAST(SUM({moved_late_sql}) + SUM({_late_document_sql(connection)}) AS BIGINT) AS x
  FROM (
    SELECT id, path,
      CASE WHEN {_in("level", tuple(str(level) for level in UNIT_LEVELS))} THEN 1 ELSE 0 END
        AS is_unit,
      CASE WHEN status = '{OrgStatus.ACTIVE}' THEN 1 ELSE 0 END AS active,
      {day_sql} AS deadline_day
    FROM {orgs} WHERE {subtree}
  ) o
  LEFT JOIN {meeting} m ON m.org_id = o.id AND m.period >= %s AND m.period <= %s
  GROUP BY o.path, o.id, o.is_unit, o.active, m.period
),
per_unit AS MATERIALIZED (
  SELECT path, org_id, active,
    SUM(CASE WHEN period IS NOT NULL THEN {regular_bit} * {bit} ELSE 0 END) AS regs,
    SUM(CASE WHEN period IS NOT NULL AND {thematic} > 0 THEN {bit} ELSE 0 END) AS thems
  FROM l1 WHERE is_unit = 1 GROUP BY path, org_id, active
)
SELECT 0, prefix, {_month_sql("period", connection)},
  SUM(is_unit * {regular_bit}), SUM({thematic}), SUM(is_unit * {thematic}),
  SUM((k >> {_HELD_AT}) & {FIELD_MASK}), SUM((k >> {_PLANNED_AT}) & {FIELD_MASK}),
  SUM((k >> {_CANCELLED_AT}) & {FIELD_MASK}), SUM(e >> {_COUNT_BITS}), SUM(e & {_COUNT_MASK}),
  SUM(x & {_SMALL_MASK}), SUM((x >> {_LATE_AT}) & {_SMALL_MASK}), SUM(x >> {_LATE_DOCUMENTS_AT})
FROM l1 WHERE period IS NOT NULL GROUP BY prefix, period
UNION ALL
SELECT 1, path, org_id, regs, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
FROM per_unit WHERE active = 1 AND (regs & {ended_mask}) <> {ended_mask}
UNION ALL
SELECT 2, NULL, 0, {quarters}, 0, 0, 0, 0, 0, 0, 0 FROM per_unit
"""
    params = [
        *moved_late_params,
        *day_params,
        *subtree_params,
        ops.adapt_datefield_value(datetime.date(year, 1, 1)),
        ops.adapt_datefield_value(datetime.date(year, 12, 1)),
    ]
    return sql, params


_MONTH_KEYS = (
    "held_units",
    "thematic",
    "thematic_units",
    "held",
    "planned",
    "cancelled",
    "expected",
    "present",
    "moved",
    "late_schedule",
    "late_documents",
)


def _subtree_pass(*, org: Org, year: int, today: datetime.date) -> _Pass:
    """The months, the children's shares, the thematic units per quarter and the units that
    missed a month, from one read of the subtree's meetings of the year."""
    connection = connections[Meeting.objects.db]
    sql, params = _subtree_sql(org, year, today, connection)
    result = _Pass(
        months={},
        children=defaultdict(lambda: dict.fromkeys(_MONTH_KEYS, 0)),
        quarter_units=[0, 0, 0, 0],
        quarter_meetings=[0, 0, 0, 0],
        missed=[],
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for part, key, number, *values in rows:
        if part == 0:
            figures = dict(zip(_MONTH_KEYS, (int(value or 0) for value in values), strict=True))
            totals = result.months.setdefault(int(number), dict.fromkeys(_MONTH_KEYS, 0))
            child = result.children[str(key)]
            for name, value in figures.items():
                totals[name] += value
                child[name] += value
        elif part == 1:
            result.missed.append((str(key), int(number), int(values[0] or 0)))
        else:
            result.quarter_units = [int(value or 0) for value in values[:4]]
    for number, totals in result.months.items():
        result.quarter_meetings[(number - 1) // 3] += totals["thematic_units"]
    return result


def _missed_units(
    found: list[tuple[str, int, int]], ended: int, limit: int = MISSED_LIST_LIMIT
) -> list[MissedUnit]:
    """The first `limit` units that missed a month, fewest months held first, then in
    tree order; one query for their orgs."""
    months = range(1, ended + 1)
    ordered = sorted(found, key=lambda row: (sum(1 for m in months if row[2] & (1 << m)), row[0]))[
        :limit
    ]
    orgs = Org.objects.in_bulk([org_id for _path, org_id, _bits in ordered])
    return [
        MissedUnit(
            org=orgs[org_id],
            held_months=[m for m in months if bits & (1 << m)],
            missed_months=[m for m in months if not bits & (1 << m)],
        )
        for _path, org_id, bits in ordered
    ]


def _child_units(
    *, children: list[Org], org: Org, year: int, today: datetime.date
) -> dict[str, dict[str, int]]:
    """Units of each child due in the year and unit-months due so far: one GROUP BY over
    the path cut at the children's depth."""
    if not children:
        return {}
    width = len(org.path) + Org.steplen
    opened = months_open(year, today)
    aggregates: dict[str, Count] = {"units": Count("id", filter=due_q(datetime.date(year, 1, 1)))}
    for month in range(1, opened + 1):
        aggregates[f"m{month}"] = Count("id", filter=due_q(datetime.date(year, month, 1)))
    return {
        row["prefix"]: row
        for row in Org.objects.filter(unit_q(), path__startswith=org.path, depth__gt=org.depth)
        .annotate(prefix=Substr("path", 1, width))
        .values("prefix")
        .annotate(**aggregates)
        .order_by()
    }


def meeting_stats(
    *, org: Org, year: int, today: datetime.date, children: list[Org] | None = None
) -> MeetingStats:
    """Everything the statistics page and the API show for `org`'s subtree and `year`.
    The caller has checked that the user reads `org` (VIEWER) and passes the children
    the user may open; five queries whatever the size of the subtree."""
    units, due_months, due_quarters = due_counts(org=org, year=year, today=today)
    opened, ended = months_open(year, today), months_ended(year, today)
    found = _subtree_pass(org=org, year=year, today=today)
    months = []
    for month in range(1, 13):
        row = found.months.get(month, {})
        months.append(
            MonthStats(
                month=month,
                due=due_months[month - 1],
                held_units=row.get("held_units", 0),
                held=row.get("held", 0),
                thematic=row.get("thematic", 0),
                planned=row.get("planned", 0),
                cancelled=row.get("cancelled", 0),
                moved=row.get("moved", 0),
                late_schedule=row.get("late_schedule", 0),
                late_documents=row.get("late_documents", 0),
                expected=row.get("expected", 0),
                present=row.get("present", 0),
                open=month <= opened,
                ended=month <= ended,
            )
        )
    quarters = [
        QuarterStats(
            quarter=quarter,
            due=due_quarters[quarter - 1],
            units=found.quarter_units[quarter - 1],
            meetings=found.quarter_meetings[quarter - 1],
            open=3 * quarter - 2 <= opened,
            ended=3 * quarter <= ended,
        )
        for quarter in range(1, 5)
    ]
    unit_rows = _child_units(children=children or [], org=org, year=year, today=today)
    shares = []
    for child in children or []:
        # A child that is itself a unit has no rows below it: its own row counts.
        unit_row = unit_rows.get(child.path, {})
        total = found.children.get(child.path, {})
        shares.append(
            ChildStats(
                org=child,
                units=int(unit_row.get("units") or 0),
                due_unit_months=sum(int(unit_row.get(f"m{m}") or 0) for m in range(1, opened + 1)),
                held_unit_months=total.get("held_units", 0),
                held=total.get("held", 0),
                thematic=total.get("thematic", 0),
                expected=total.get("expected", 0),
                present=total.get("present", 0),
            )
        )
    return MeetingStats(
        org=org,
        year=year,
        today=today,
        units=units,
        months=months,
        quarters=quarters,
        missed_count=len(found.missed),
        missed=_missed_units(found.missed, ended),
        children=shares,
    )


def clean_year(value: str | int | None, today: datetime.date) -> int:
    """The year asked for, or the current one when none is given; a Vietnamese error
    naming the field otherwise."""
    if value is None or value == "":
        return today.year
    latest = today.year + 1
    try:
        year = int(str(value).strip())
    except ValueError:
        year = 0
    if not EARLIEST_YEAR <= year <= latest:
        raise ValidationError(
            {
                "year": _(
                    "Năm “%(value)s” không hợp lệ: hãy nhập một năm từ %(first)s đến %(last)s."
                )
                % {"value": str(value)[:20], "first": EARLIEST_YEAR, "last": latest}
            }
        )
    return year
