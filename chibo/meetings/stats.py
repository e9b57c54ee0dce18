"""Meeting statistics for any node of the tree, each figure one query over the path prefix.

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
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    F,
    Func,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import (
    Coalesce,
    Substr,
)
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.meetings.models import Meeting, MeetingDocument, MeetingKind, MeetingStatus, ScheduleRule
from chibo.meetings.schedule import REGULAR_KINDS, THEMATIC_KINDS, UNIT_LEVELS
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


def _key(year: Combinable, month: Combinable) -> Combinable:
    return year * Value(100) + month


def _period_range(year: int) -> Q:
    return Q(period__gte=datetime.date(year, 1, 1), period__lte=datetime.date(year, 12, 1))


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


def _day_expression(intervals: list[tuple[str, str | None, int | None]]) -> Case | Value:
    """The deadline day of each row's org as a balanced CASE over the interval bounds: a
    handful of comparisons per row, however many committees set a rule."""

    def build(low: int, high: int) -> Case | Value:
        if high - low == 1:
            return Value(intervals[low][2], output_field=IntegerField())
        middle = (low + high) // 2
        return Case(
            When(org__path__lt=intervals[middle][0], then=build(low, middle)),
            default=build(middle, high),
            output_field=IntegerField(),
        )

    if not intervals:
        return Value(None, output_field=IntegerField())
    return Case(
        When(org__path__lt=intervals[0][0], then=Value(None)),
        default=build(0, len(intervals)),
        output_field=IntegerField(),
    )


def _late_q(year: int, days: set[int]) -> Q:
    """Meetings entered after their deadline: for each month and deadline day, entered
    on or after midnight following that day of the month before (local time)."""
    late = Q(pk__in=[])
    for month in range(1, 13):
        before = datetime.date(year, month, 1) - datetime.timedelta(days=1)
        for day in days:
            last = before.replace(day=min(day, before.day))
            limit = timezone.make_aware(
                datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time())
            )
            late |= Q(
                period=datetime.date(year, month, 1), deadline_day=day, scheduled_at__gte=limit
            )
    return late


def _moved_q(year: int) -> Q:
    """Held meetings whose day lies outside their period's month (local time)."""
    moved = Q(pk__in=[])
    for month in range(1, 13):
        moved |= Q(period=datetime.date(year, month, 1)) & (
            Q(held_on__lt=_local_start(year, month)) | Q(held_on__gte=_local_start(year, month + 1))
        )
    return moved


def monthly_rows(*, org: Org, year: int) -> dict[int, dict[str, int]]:
    """Per month of the year: held, thematic, cancelled, moved, late and counts, in one
    GROUP BY over the subtree's meetings. Every test is a plain comparison the database
    does natively (no date functions per row): the months' bounds and the deadlines are
    computed here, at most 12 of each."""
    held = Q(status=MeetingStatus.HELD)
    rules = dict(
        ScheduleRule.objects.filter(
            Q(org__path__in=_ancestor_paths(org)) | Q(org__path__startswith=org.path)
        ).values_list("org__path", "deadline_day")
    )
    meetings = (
        Meeting.objects.filter(_period_range(year), org__path__startswith=org.path)
        .annotate(
            held_on=Coalesce("held_started_at", "starts_at", output_field=DateTimeField()),
            deadline_day=_day_expression(deadline_intervals(rules)),
        )
        .values("period")
        .annotate(
            held_units=Count(
                "org_id", distinct=True, filter=held & Q(kind__in=REGULAR_KINDS) & unit_q("org__")
            ),
            held=Count("id", filter=held),
            thematic=Count("id", filter=held & Q(kind__in=THEMATIC_KINDS)),
            planned=Count("id", filter=Q(status=MeetingStatus.PLANNED)),
            cancelled=Count("id", filter=Q(status=MeetingStatus.CANCELLED)),
            moved=Count("id", filter=held & _moved_q(year)),
            late_schedule=Count(
                "id",
                filter=~Q(status=MeetingStatus.CANCELLED)
                & Q(kind__in=SCHEDULED_KINDS)
                & _late_q(year, set(rules.values())),
            ),
            expected=Sum("expected_count", filter=held),
            present=Sum("present_count", filter=held),
        )
        .order_by("period")
    )
    rows: dict[int, dict[str, int]] = {}
    for row in meetings:
        period = row.pop("period")
        rows[period.month] = {key: int(value or 0) for key, value in row.items()}
    return rows


def _ancestor_paths(org: Org) -> list[str]:
    return [org.path[:end] for end in range(Org.steplen, len(org.path) + 1, Org.steplen)]


class _PublishedLate(Func):
    """published_at later than one day before the meeting's start. On SQLite through
    julianday(), which the database computes itself, instead of Django's date arithmetic
    in a Python function called for every row."""

    output_field = BooleanField()

    def __init__(self) -> None:
        super().__init__(F("published_at"), F("meeting__starts_at"))

    def as_postgresql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        **extra: Any,
    ) -> tuple[str, list[Any]]:
        published, starts = (compiler.compile(e) for e in self.get_source_expressions())
        sql = f"{published[0]} > ({starts[0]} - INTERVAL '1 day')"
        return sql, [*published[1], *starts[1]]

    def as_sqlite(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        **extra: Any,
    ) -> tuple[str, list[Any]]:
        published, starts = (compiler.compile(e) for e in self.get_source_expressions())
        sql = f"julianday({published[0]}) > julianday({starts[0]}) - 1"
        return sql, [*published[1], *starts[1]]


def late_document_rows(*, org: Org, year: int) -> dict[int, int]:
    """Per month: meetings of the subtree with a document published less than a day
    before the meeting started (Hướng dẫn 42-HD/BTCTW 2025), one GROUP BY."""
    rows = (
        MeetingDocument.objects.filter(
            meeting__org__path__startswith=org.path,
            meeting__period__gte=datetime.date(year, 1, 1),
            meeting__period__lte=datetime.date(year, 12, 1),
            withdrawn_at__isnull=True,
            published_at__isnull=False,
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .filter(_PublishedLate())
        .values("meeting__period")
        .annotate(meetings=Count("meeting_id", distinct=True))
        .order_by()
    )
    return {row["meeting__period"].month: int(row["meetings"]) for row in rows}


def _quarter_of_period(year: int) -> Case:
    return Case(
        *[
            When(period__lt=datetime.date(year, 3 * quarter + 1, 1), then=Value(quarter))
            for quarter in range(1, 4)
        ],
        default=Value(4),
        output_field=IntegerField(),
    )


def quarter_rows(*, org: Org, year: int) -> dict[int, tuple[int, int]]:
    """Per quarter: (units that held a thematic meeting, thematic meetings held)."""
    rows = (
        Meeting.objects.filter(
            _period_range(year),
            unit_q("org__"),
            org__path__startswith=org.path,
            status=MeetingStatus.HELD,
            kind__in=THEMATIC_KINDS,
        )
        .annotate(quarter=_quarter_of_period(year))
        .values("quarter")
        .annotate(units=Count("org_id", distinct=True), meetings=Count("id"))
        .order_by()
    )
    return {int(row["quarter"]): (int(row["units"]), int(row["meetings"])) for row in rows}


def missed_units(
    *, org: Org, year: int, today: datetime.date, limit: int = MISSED_LIST_LIMIT
) -> tuple[int, list[MissedUnit]]:
    """Active units of the subtree that held fewer regular meetings than months ended:
    how many, and the first `limit` (fewest months held first) with the months they
    missed. One GROUP BY that returns only the units that missed a month, then two small
    reads for the ones listed."""
    ended = months_ended(year, today)
    if ended == 0:
        return 0, []
    first, last = datetime.date(year, 1, 1), datetime.date(year, ended, 1)
    held_months = Count(
        "meetings__period",
        distinct=True,
        filter=Q(
            meetings__status=MeetingStatus.HELD,
            meetings__kind__in=REGULAR_KINDS,
            meetings__period__gte=first,
            meetings__period__lte=last,
        ),
    )
    found = list(
        Org.objects.filter(unit_q(), path__startswith=org.path, status=OrgStatus.ACTIVE)
        .annotate(held_months=held_months)
        .filter(held_months__lt=ended)
        .order_by()
        .values_list("pk", "held_months", "path")
    )
    if not found:
        return 0, []
    found.sort(key=lambda row: (row[1], row[2]))
    shown = [pk for pk, _months, _path in found[:limit]]
    orgs = Org.objects.in_bulk(shown)
    held: dict[int, set[int]] = {pk: set() for pk in shown}
    for org_id, period in Meeting.objects.filter(
        org_id__in=shown,
        status=MeetingStatus.HELD,
        kind__in=REGULAR_KINDS,
        period__gte=first,
        period__lte=last,
    ).values_list("org_id", "period"):
        held[org_id].add(period.month)
    return len(found), [
        MissedUnit(
            org=orgs[pk],
            held_months=sorted(held[pk]),
            missed_months=[m for m in range(1, ended + 1) if m not in held[pk]],
        )
        for pk in shown
    ]


def child_rows(
    *, children: list[Org], org: Org, year: int, today: datetime.date
) -> list[ChildStats]:
    """Each child's share of the subtree's figures: two GROUP BYs over the path prefix
    cut at the child's depth, one over units and one over meetings by month (so that a
    unit with two regular meetings in a month counts once)."""
    if not children:
        return []
    width = len(org.path) + Org.steplen
    opened = months_open(year, today)
    unit_aggregates: dict[str, Count] = {
        "units": Count("id", filter=due_q(datetime.date(year, 1, 1)))
    }
    for month in range(1, opened + 1):
        unit_aggregates[f"m{month}"] = Count("id", filter=due_q(datetime.date(year, month, 1)))
    units = {
        row["prefix"]: row
        for row in Org.objects.filter(unit_q(), path__startswith=org.path, depth__gt=org.depth)
        .annotate(prefix=Substr("path", 1, width))
        .values("prefix")
        .annotate(**unit_aggregates)
        .order_by()
    }
    held = Q(status=MeetingStatus.HELD)
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        Meeting.objects.filter(
            _period_range(year), org__path__startswith=org.path, org__depth__gt=org.depth
        )
        .annotate(prefix=Substr("org__path", 1, width))
        .values("prefix", "period")
        .annotate(
            held_units=Count(
                "org_id",
                distinct=True,
                filter=held & Q(kind__in=REGULAR_KINDS) & unit_q("org__"),
            ),
            held=Count("id", filter=held),
            thematic=Count("id", filter=held & Q(kind__in=THEMATIC_KINDS)),
            expected=Sum("expected_count", filter=held),
            present=Sum("present_count", filter=held),
        )
        .order_by()
    ):
        total = totals[row["prefix"]]
        for key in ("held_units", "held", "thematic", "expected", "present"):
            total[key] += int(row[key] or 0)
    result = []
    for child in children:
        # A child that is itself a unit has no rows below it: its own row counts.
        unit_row = units.get(child.path, {})
        total = totals.get(child.path, {})
        result.append(
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
    return result


def meeting_stats(
    *, org: Org, year: int, today: datetime.date, children: list[Org] | None = None
) -> MeetingStats:
    """Everything the statistics page and the API show for `org`'s subtree and `year`.
    The caller has checked that the user reads `org` (VIEWER) and passes the children
    the user may open; about eight queries whatever the size of the subtree."""
    units, due_months, due_quarters = due_counts(org=org, year=year, today=today)
    opened, ended = months_open(year, today), months_ended(year, today)
    monthly = monthly_rows(org=org, year=year)
    late_docs = late_document_rows(org=org, year=year)
    months = []
    for month in range(1, 13):
        row = monthly.get(month, {})
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
                late_documents=late_docs.get(month, 0),
                expected=row.get("expected", 0),
                present=row.get("present", 0),
                open=month <= opened,
                ended=month <= ended,
            )
        )
    thematic = quarter_rows(org=org, year=year)
    quarters = [
        QuarterStats(
            quarter=quarter,
            due=due_quarters[quarter - 1],
            units=thematic.get(quarter, (0, 0))[0],
            meetings=thematic.get(quarter, (0, 0))[1],
            open=3 * quarter - 2 <= opened,
            ended=3 * quarter <= ended,
        )
        for quarter in range(1, 5)
    ]
    missed_count, missed = missed_units(org=org, year=year, today=today)
    return MeetingStats(
        org=org,
        year=year,
        today=today,
        units=units,
        months=months,
        quarters=quarters,
        missed_count=missed_count,
        missed=missed,
        children=child_rows(children=children or [], org=org, year=year, today=today),
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
