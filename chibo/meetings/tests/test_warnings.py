"""Quy định 24-QĐ/TW warnings against members counted by hand.

W-C (commune) → cells W-A and W-B; W-WA is a women's union branch. Year 2025, unexcused
absences (vắng không lý do) by the month of the meeting (its period):

  p1 W-A official      Jan, Mar                         → 2 months: warning (cell)
  p2 W-A official      Feb regular + Feb thematic, Apr  → 2 months (not 3): warning
  p3 W-A official      Jan, Feb, Mar                    → 3: removal (committee)
  p4 W-A exempt now    Jan, Feb, Mar                    → not flagged (exempt)
  p5 W-B → W-A         Jan, Feb at W-B; May at W-A      → 3, two elsewhere: removal at W-A
  p6 W-A official      Jan; Feb excused; Mar at the women's branch → 1: nothing
  p7 W-A official      Dec 2024, Jan 2025               → 1 in 2025: nothing
  p8 W-A probationary  Feb (held on 2 March), Mar       → 2: warning
  p9 W-B official      Jan, Feb, Mar, Apr               → 4: removal at W-B
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import Any

import pytest

from chibo.meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from chibo.meetings.warnings import AbsenceLevel, absence_counts, absence_warnings
from chibo.orgs.models import Family, Level, Org
from chibo.orgs.services import org_create
from chibo.people.models import EndReason, Membership, MembershipStatus, Person
from chibo.people.services import PersonData, membership_create, person_create

D = datetime.date
TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
U = AttendanceStatus.UNEXCUSED


@dataclass
class Cells:
    commune: Org
    a: Org
    b: Org
    women: Org
    people: dict[str, Person]


def held(
    org: Org, year: int, month: int, kind: str = MeetingKind.REGULAR, day: int = 10
) -> Meeting:
    meeting, _created = Meeting.objects.get_or_create(
        org=org,
        kind=kind,
        period=D(year, month, 1),
        defaults={
            "status": MeetingStatus.HELD,
            "starts_at": datetime.datetime(year, month, day, 19, tzinfo=TZ),
        },
    )
    return meeting


def absent(person: Person, meeting: Meeting, status: str = U) -> None:
    Attendance.objects.create(meeting=meeting, person=person, status=status)


@pytest.fixture
def cells(db: None) -> Cells:
    commune = org_create(
        parent=None, code="W-C", name="Đảng bộ xã Thử", family=Family.PARTY, level=Level.BASE
    )
    a = org_create(
        parent=commune, code="W-A", name="Chi bộ Đồng", family=Family.PARTY, level=Level.BRANCH
    )
    b = org_create(
        parent=commune, code="W-B", name="Chi bộ Bãi", family=Family.PARTY, level=Level.BRANCH
    )
    women = org_create(
        parent=None, code="W-WA", name="Chi hội Đồng", family=Family.WOMEN, level=Level.BRANCH
    )
    people: dict[str, Person] = {}
    names = {
        "p1": "Nguyễn Văn An", "p2": "Trần Thị Bình", "p3": "Lê Văn Cường",
        "p4": "Phạm Văn Dậu", "p5": "Hoàng Thị Én", "p6": "Vũ Thị Gấm",
        "p7": "Đỗ Văn Hải", "p8": "Bùi Văn Khang", "p9": "Ngô Văn Lâm",
    }  # fmt: skip
    for key, name in names.items():
        home = b if key in ("p5", "p9") else a
        people[key] = person = person_create(data=PersonData(full_name=name), org_id=home.pk)
        status = {"p4": MembershipStatus.EXEMPT, "p8": MembershipStatus.PROBATIONARY}.get(
            key, MembershipStatus.OFFICIAL
        )
        membership_create(
            person=person,
            org=home,
            status=status,
            joined_on=D(2010, 1, 1),
            official_on=None if key == "p8" else D(2011, 1, 1),
        )
    membership_create(
        person=people["p6"], org=women, status=MembershipStatus.ACTIVE, joined_on=D(2000, 1, 1)
    )
    p = people
    for month in (1, 3):
        absent(p["p1"], held(a, 2025, month))
    absent(p["p2"], held(a, 2025, 2))
    absent(p["p2"], held(a, 2025, 2, MeetingKind.THEMATIC))
    absent(p["p2"], held(a, 2025, 4))
    for month in (1, 2, 3):
        absent(p["p3"], held(a, 2025, month))
        absent(p["p4"], held(a, 2025, month))
    for month in (1, 2):
        absent(p["p5"], held(b, 2025, month))
    # p5 moves to W-A by an official transfer in March.
    old = Membership.objects.get(person=p["p5"], ended_on__isnull=True)
    old.ended_on, old.end_reason = D(2025, 3, 1), EndReason.TRANSFERRED
    old.save(update_fields=["ended_on", "end_reason"])
    Membership.objects.create(
        person=p["p5"], org=a, family=Family.PARTY, status=MembershipStatus.OFFICIAL,
        joined_on=D(2010, 1, 1), official_on=D(2011, 1, 1), started_on=D(2025, 3, 1),
        previous=old,
    )  # fmt: skip
    absent(p["p5"], held(a, 2025, 5))
    absent(p["p6"], held(a, 2025, 1))
    absent(p["p6"], held(a, 2025, 2), AttendanceStatus.EXCUSED)
    absent(p["p6"], held(women, 2025, 3, MeetingKind.BRANCH))
    absent(p["p7"], held(a, 2024, 12))
    absent(p["p7"], held(a, 2025, 1))
    # February's meeting held on 2 March is February's.
    absent(p["p8"], held(a, 2025, 2))
    absent(p["p8"], held(a, 2025, 3))
    Meeting.objects.filter(org=a, period=D(2025, 2, 1), kind=MeetingKind.REGULAR).update(
        starts_at=datetime.datetime(2025, 3, 2, 19, tzinfo=TZ)
    )
    for month in (1, 2, 3, 4):
        absent(p["p9"], held(b, 2025, month))
    # Everyone else present, so the present rows are there too.
    for meeting in Meeting.objects.filter(org=a):
        for person in (p["p1"], p["p3"]):
            Attendance.objects.get_or_create(
                meeting=meeting, person=person, defaults={"status": AttendanceStatus.PRESENT}
            )
    return Cells(commune=commune, a=a, b=b, women=women, people=people)


def names(flags: list[Any]) -> list[str]:
    return [flag.membership.person.full_name for flag in flags]


def test_the_cell_sees_both_levels(cells: Cells) -> None:
    result = absence_warnings(org=cells.a, year=2025)
    p = cells.people
    assert (result.warning_count, result.removal_count) == (3, 2)
    by_person = {flag.membership.person_id: flag for flag in result.flags}
    assert set(by_person) == {p[k].pk for k in ("p1", "p2", "p3", "p5", "p8")}
    assert by_person[p["p1"].pk].months == [1, 3]
    assert by_person[p["p2"].pk].months == [2, 4]
    assert by_person[p["p2"].pk].level is AbsenceLevel.WARNING
    assert by_person[p["p3"].pk].level is AbsenceLevel.REMOVAL
    assert by_person[p["p8"].pk].months == [2, 3]
    # Removal cases first, most months first, then by name.
    assert [flag.level for flag in result.flags] == [AbsenceLevel.REMOVAL] * 2 + [
        AbsenceLevel.WARNING
    ] * 3


def test_a_transferred_member_brings_the_months_missed_at_the_old_cell(cells: Cells) -> None:
    p5 = cells.people["p5"]
    flag = next(
        f for f in absence_warnings(org=cells.a, year=2025).flags if f.membership.person == p5
    )
    assert flag.months == [1, 2, 5]
    assert flag.elsewhere == [1, 2]
    assert flag.membership.org == cells.a
    # The old cell no longer lists them.
    at_b = absence_warnings(org=cells.b, year=2025)
    assert names(at_b.flags) == ["Ngô Văn Lâm"]
    assert (at_b.warning_count, at_b.removal_count) == (0, 1)
    assert at_b.flags[0].months == [1, 2, 3, 4] and at_b.flags[0].elsewhere == []


def test_exempt_excused_other_organisations_and_other_years_do_not_count(cells: Cells) -> None:
    flagged = {f.membership.person_id for f in absence_warnings(org=cells.a, year=2025).flags}
    for key in ("p4", "p6", "p7"):
        assert cells.people[key].pk not in flagged
    assert absence_warnings(org=cells.a, year=2024).total == 0


def test_the_committee_sees_its_subtree(cells: Cells) -> None:
    assert absence_counts(org=cells.commune, year=2025) == (3, 3)
    assert absence_counts(org=cells.a, year=2025) == (3, 2)
    result = absence_warnings(org=cells.commune, year=2025, limit=2)
    assert result.total == 6 and result.truncated and len(result.flags) == 2
    assert all(flag.is_removal for flag in result.flags)


def test_queries_do_not_grow_with_members(cells: Cells, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(3) as few:
        absence_warnings(org=cells.commune, year=2025)
    meeting = held(cells.a, 2025, 6)
    other = held(cells.a, 2025, 7)
    for number in range(25):
        person = person_create(data=PersonData(full_name=f"Lý Văn Số {number}"), org_id=cells.a.pk)
        membership_create(
            person=person, org=cells.a, status=MembershipStatus.OFFICIAL,
            joined_on=D(2010, 1, 1), official_on=D(2011, 1, 1),
        )  # fmt: skip
        absent(person, meeting)
        absent(person, other)
    with django_assert_max_num_queries(len(few.captured_queries)):
        result = absence_warnings(org=cells.commune, year=2025)
    assert result.warning_count == 3 + 25
