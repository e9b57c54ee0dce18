"""Early warnings for members who miss party meetings without good reason.

Quy định 24-QĐ/TW (30/7/2021) on implementing the Party Charter, point 8.1 (guiding
Điều 8 of the Charter): the cell considers and proposes to the competent committee the
removal from the party roll (xóa tên) of a member who "bỏ sinh hoạt đảng hoặc không đóng
đảng phí ba tháng trong năm mà không có lý do chính đáng". Point 7.1 lets elderly or
sick members be exempted from meetings (miễn sinh hoạt), which is why exempt members
are never flagged.

Checked: the quoted words stand in point 8.1 of Quy định 29-QĐ/TW (2016), which Quy định
24-QĐ/TW replaced keeping them; "three months in the year" need not be consecutive. The
two-month level below is Chibo's own early warning: no text sets it.

So the cell must be warned early:
- 2 months of the year with an unexcused absence (vắng không lý do): flagged to the cell,
  whose officers talk to the member before it is too late;
- 3 or more: flagged to the committee above as grounds for removal.

Decisions (docs/meetings.md says the same):
- The Charter counts *months*, so two unexcused absences in the same month (the regular
  and the thematic meeting) are one month. Only held party meetings count; absences at
  a mass organisation's branch meeting do not.
- The year is the year of the meetings' `period` (the month each belongs to).
- Flagged are the members now on the unit's roll (party memberships not ended) who are
  expected to attend: probationary, official, and temporarily transferred out (their
  home cell answers for them). Exempt and suspended members are not flagged.
- Absences follow the person: a member who moved here by an official transfer brings the
  months missed at the old cell (the Charter counts a member's year, not a cell's), and
  the old cell no longer lists them. Where the old cell is outside the reader's scope its
  name is not shown, only that the month was missed elsewhere.
"""

from __future__ import annotations

import datetime
import enum
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, FilteredRelation, Q, QuerySet

from chibo.meetings.models import Attendance, AttendanceStatus, MeetingStatus
from chibo.orgs.models import Family, Org
from chibo.people.models import Membership, MembershipStatus

WARNING_MONTHS = 2
REMOVAL_MONTHS = 3
FLAGGED_STATUSES = (
    MembershipStatus.PROBATIONARY,
    MembershipStatus.OFFICIAL,
    MembershipStatus.TRANSFERRED_OUT,
)
# How many members a page lists; the counts are always complete.
LIST_LIMIT = 200


class AbsenceLevel(enum.IntEnum):
    WARNING = WARNING_MONTHS  # to the cell
    REMOVAL = REMOVAL_MONTHS  # to the committee: grounds for removal


@dataclass
class AbsenceFlag:
    membership: Membership
    # Months of the year with an unexcused absence, and those of them at another unit.
    months: list[int]
    elsewhere: list[int] = field(default_factory=list)

    @property
    def level(self) -> AbsenceLevel:
        if len(self.months) >= REMOVAL_MONTHS:
            return AbsenceLevel.REMOVAL
        return AbsenceLevel.WARNING

    @property
    def is_removal(self) -> bool:
        return self.level is AbsenceLevel.REMOVAL


@dataclass
class AbsenceWarnings:
    org: Org
    year: int
    warning_count: int = 0  # exactly two months
    removal_count: int = 0  # three months or more
    flags: list[AbsenceFlag] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.warning_count + self.removal_count

    @property
    def truncated(self) -> bool:
        return len(self.flags) < self.total

    @property
    def removal(self) -> list[AbsenceFlag]:
        return [flag for flag in self.flags if flag.is_removal]

    @property
    def warning(self) -> list[AbsenceFlag]:
        return [flag for flag in self.flags if not flag.is_removal]


def flagged_roll(*, org: Org) -> QuerySet[Membership]:
    """Party members on the roll of `org`'s subtree who are expected at meetings."""
    return Membership.objects.current().filter(
        family=Family.PARTY, status__in=FLAGGED_STATUSES, org__path__startswith=org.path
    )


def _month_counts(*, org: Org, year: int) -> QuerySet[Membership, dict[str, int]]:
    """(person, months with an unexcused absence) for the roll, two months or more:
    one GROUP BY, most months first, then in Vietnamese name order. It starts from the
    roll (the subtree's path range) and joins each member's unexcused rows through the
    (person, status) index; starting from the meetings would try every member of the roll
    against every meeting."""
    unexcused = FilteredRelation(
        "person__attendances", condition=Q(person__attendances__status=AttendanceStatus.UNEXCUSED)
    )
    months = Count(
        "unexcused__meeting__period",
        distinct=True,
        filter=Q(
            unexcused__meeting__status=MeetingStatus.HELD,
            unexcused__meeting__org__family=Family.PARTY,
            unexcused__meeting__period__gte=datetime.date(year, 1, 1),
            unexcused__meeting__period__lte=datetime.date(year, 12, 1),
        ),
    )
    return (
        flagged_roll(org=org)
        .annotate(unexcused=unexcused)
        .values("person_id", "person__sort_key")
        .annotate(months=months)
        .filter(months__gte=WARNING_MONTHS)
        .order_by("-months", "person__sort_key", "person_id")
    )


def absence_counts(*, org: Org, year: int) -> tuple[int, int]:
    """(members flagged to the cell, members flagged to the committee) of the subtree."""
    warning = removal = 0
    for row in _month_counts(org=org, year=year):
        if row["months"] >= REMOVAL_MONTHS:
            removal += 1
        else:
            warning += 1
    return warning, removal


def absence_warnings(*, org: Org, year: int, limit: int = LIST_LIMIT) -> AbsenceWarnings:
    """The members of `org`'s subtree flagged for `year`, with their months: three
    queries whatever the size of the subtree. The caller checked that the user reads
    `org`; the members listed are on its roll, so the user reads them too."""
    result = AbsenceWarnings(org=org, year=year)
    counted = list(_month_counts(org=org, year=year))
    for row in counted:
        if row["months"] >= REMOVAL_MONTHS:
            result.removal_count += 1
        else:
            result.warning_count += 1
    shown = [row["person_id"] for row in counted[:limit]]
    if not shown:
        return result
    memberships = {
        m.person_id: m
        for m in flagged_roll(org=org).filter(person_id__in=shown).select_related("person", "org")
    }
    here: dict[int, set[int]] = defaultdict(set)
    away: dict[int, set[int]] = defaultdict(set)
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 1)
    # Only the persons' own rows are read (the (person, status) index), and the meeting's
    # fields are checked here: a filter on them in SQL lets the planner start from the
    # meetings and try every listed person against each.
    for person_id, period, status, family, path in Attendance.objects.filter(
        person_id__in=shown, status=AttendanceStatus.UNEXCUSED
    ).values_list(
        "person_id", "meeting__period", "meeting__status", "meeting__org__family",
        "meeting__org__path",
    ):  # fmt: skip
        if status != MeetingStatus.HELD or family != Family.PARTY or not first <= period <= last:
            continue
        (here if path.startswith(org.path) else away)[person_id].add(period.month)
    for person_id in shown:
        membership = memberships.get(person_id)
        if membership is None:
            continue
        # A month missed both here and at the old unit counts as missed here.
        result.flags.append(
            AbsenceFlag(
                membership=membership,
                months=sorted(here[person_id] | away[person_id]),
                elsewhere=sorted(away[person_id] - here[person_id]),
            )
        )
    return result
