"""The roll of a meeting, the roll call and its counts, absence notices, guests and
assignments, on the `personas` tree with every edge case counted by hand.

Cell T-A on the meeting day (10/03/2026): alice and charlie (official), Phan Văn Dự
(probationary, admitted 01/06/2025), Đỗ Văn Miễn (exempt since 2024), Võ Văn Đi (away on a
temporary stay), Hồ Văn Treo (suspended: not on the roll), and Lý Thị Khách of T-B staying
at T-A for a while (recorded at T-A, counted apart).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from chibo.core.models import AuditEntry
from chibo.meetings.attendance import (
    GuestData,
    RollCallEntry,
    absence_notice_send,
    absence_notice_withdraw,
    assignment_create,
    assignment_end,
    guest_add,
    meeting_assigned,
    meeting_roll,
    roll_call_record,
    standing_on,
)
from chibo.meetings.models import (
    AbsenceNotice,
    Attendance,
    AttendanceStatus,
    GuestRole,
    Meeting,
    MeetingStatus,
)
from chibo.people.models import (
    Membership,
    MembershipStatus,
    Transfer,
    TransferKind,
    TransferStatus,
)
from chibo.people.services import PersonData, membership_create, person_create

D = datetime.date
DAY = D(2026, 3, 10)
TODAY = D(2026, 3, 12)
P, E, U = AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED


def at(day: D, hour: int = 8) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def make_meeting(org: Any, day: D = DAY, **extra: Any) -> Meeting:
    return Meeting.objects.create(
        org=org, kind="regular", period=day.replace(day=1), starts_at=at(day), **extra
    )


class Cell:
    def __init__(self, personas: Any) -> None:
        self.p = personas
        Membership.objects.filter(org__code__startswith="T-").update(started_on=D(2020, 1, 1))

        def member(name: str, org: Any, status: str, **values: Any) -> Any:
            person = person_create(data=PersonData(full_name=name), org_id=org.pk)
            membership_create(
                person=person,
                org=org,
                status=status,
                joined_on=values.pop("joined_on", D(2012, 1, 1)),
                official_on=values.pop("official_on", None),
                started_on=D(2020, 1, 1),
            )
            if values:
                Membership.objects.filter(person=person).update(**values)
            return person

        a = personas.cell_a
        self.probationary = member(
            "Phan Văn Dự", a, MembershipStatus.PROBATIONARY, joined_on=D(2025, 6, 1)
        )
        self.exempt = member("Đỗ Văn Miễn", a, MembershipStatus.OFFICIAL, official_on=D(2013, 1, 1))
        Membership.objects.filter(person=self.exempt).update(
            status=MembershipStatus.EXEMPT, status_changed_on=D(2024, 5, 1)
        )
        self.away = member("Võ Văn Đi", a, MembershipStatus.OFFICIAL, official_on=D(2013, 1, 1))
        self.suspended = member(
            "Hồ Văn Treo", a, MembershipStatus.OFFICIAL, official_on=D(2013, 1, 1)
        )
        Membership.objects.filter(person=self.suspended).update(
            status=MembershipStatus.SUSPENDED, status_changed_on=D(2026, 1, 5)
        )
        self.guest_member = member(
            "Lý Thị Khách", personas.cell_b, MembershipStatus.OFFICIAL, official_on=D(2013, 1, 1)
        )
        Transfer.objects.create(
            membership=Membership.objects.get(person=self.away),
            person=self.away,
            org=a,
            kind=TransferKind.TEMPORARY,
            status=TransferStatus.RECEIVED,
            target=personas.cell_b,
            cause_on=D(2026, 1, 2),
            starts_on=D(2026, 2, 1),
            ends_on=D(2026, 9, 1),
        )
        Transfer.objects.create(
            membership=Membership.objects.get(person=self.guest_member),
            person=self.guest_member,
            org=personas.cell_b,
            kind=TransferKind.TEMPORARY,
            status=TransferStatus.RECEIVED,
            target=a,
            cause_on=D(2026, 1, 2),
            starts_on=D(2026, 2, 1),
            ends_on=D(2026, 9, 1),
        )
        self.meeting = make_meeting(a)

    def entries(self, **overrides: tuple[str, str]) -> list[RollCallEntry]:
        """Everyone as the form suggests, with some people changed by first name key."""
        people = {
            "alice": self.p.alice, "charlie": self.p.charlie, "du": self.probationary,
            "mien": self.exempt, "di": self.away, "khach": self.guest_member,
        }  # fmt: skip
        default: dict[str, tuple[str, str]] = {
            "alice": (P, ""), "charlie": (P, ""), "du": (P, ""),
            "mien": (AttendanceStatus.EXEMPT, ""), "di": (AttendanceStatus.TRANSFERRED, ""),
            "khach": (P, ""),
        }  # fmt: skip
        default.update(overrides)
        return [
            RollCallEntry(people[k].pk, status, reason) for k, (status, reason) in default.items()
        ]


@pytest.fixture
def cell(personas: Any) -> Cell:
    return Cell(personas)


def test_the_roll_lists_the_unit_on_the_day_with_those_away_and_those_staying(cell: Cell) -> None:
    roll = {line.person.full_name: line for line in meeting_roll(meeting=cell.meeting)}
    assert set(roll) == {
        "Nguyễn Thị An", "Lê Văn Cường", "Phan Văn Dự", "Đỗ Văn Miễn", "Võ Văn Đi",
        "Lý Thị Khách",
    }  # fmt: skip
    assert roll["Võ Văn Đi"].away and roll["Võ Văn Đi"].suggested == "transferred"
    assert roll["Lý Thị Khách"].hosted and not roll["Lý Thị Khách"].away
    assert roll["Đỗ Văn Miễn"].standing == "exempt"
    assert [v for v, _l in roll["Đỗ Văn Miễn"].choices] == ["exempt", "present"]
    assert roll["Phan Văn Dự"].standing == "probationary"
    # Before the stay began, Đi is expected at home and Khách is not listed at T-A.
    early = make_meeting(cell.p.cell_a, D(2026, 1, 20))
    names = {line.person.full_name: line for line in meeting_roll(meeting=early)}
    assert not names["Võ Văn Đi"].away and "Lý Thị Khách" not in names
    # The suspension came on 05/01/2026: a meeting of December 2025 still had him.
    december = make_meeting(cell.p.cell_a, D(2025, 12, 9))
    assert "Hồ Văn Treo" in {line.person.full_name for line in meeting_roll(meeting=december)}


def test_standing_on_the_day_not_today() -> None:
    membership = Membership(
        family="party", status="official", joined_on=D(2024, 6, 1), official_on=D(2025, 6, 1)
    )
    assert standing_on(membership, D(2025, 5, 31)) == "probationary"
    assert standing_on(membership, D(2025, 6, 1)) == "official"
    women = Membership(family="women", status="active")
    assert standing_on(women, D(2025, 6, 1)) == "active"


def test_roll_call_counts_by_hand(cell: Cell) -> None:
    counts = roll_call_record(
        meeting=cell.meeting,
        entries=cell.entries(charlie=(E, "Đi viện"), du=(U, "")),
        actor=cell.p.user("alice"),
        today=TODAY,
    )
    # Home roll: alice, charlie, Dự, Miễn, Đi = 5; expected: alice, charlie, Dự = 3
    # (Miễn exempt and absent, Đi away); present: alice = 1; Khách hosted, apart.
    assert counts["on_roll"] == 5
    assert counts["expected"] == 3
    assert counts["present"] == 1
    assert counts["official_present"] == 1
    assert counts["probationary_present"] == 0
    assert (counts["excused"], counts["unexcused"]) == (1, 1)
    assert (counts["exempt"], counts["transferred"]) == (1, 1)
    assert (counts["hosted"], counts["hosted_present"]) == (1, 1)
    assert counts["quorum"] is False  # 1 of 3 is not more than half
    cell.meeting.refresh_from_db()
    assert (cell.meeting.expected_count, cell.meeting.present_count) == (3, 1)
    assert cell.meeting.status == MeetingStatus.HELD
    rows = {a.person_id: a for a in Attendance.objects.filter(meeting=cell.meeting)}
    assert len(rows) == 6
    assert rows[cell.p.charlie.pk].reason == "Đi viện"
    assert rows[cell.probationary.pk].membership_status == "probationary"
    hosted = rows[cell.guest_member.pk].membership
    assert hosted is not None and hosted.org_id == cell.p.cell_b.pk
    assert AuditEntry.objects.filter(subject_type="meetings.attendance").count() == 6


def test_exempt_member_who_comes_counts_and_makes_the_quorum(cell: Cell) -> None:
    counts = roll_call_record(
        meeting=cell.meeting,
        entries=cell.entries(mien=(P, ""), du=(U, "")),
        today=TODAY,
    )
    # Expected: alice, charlie, Dự, Miễn (present) = 4; present 3 > 2: quorate.
    assert (counts["expected"], counts["present"], counts["exempt_present"]) == (4, 3, 1)
    assert counts["quorum"] is True
    # Official members expected: alice, charlie (Miễn's standing is exempt) -> 2 of 2.
    assert counts["official_quorum"] is True


def test_correcting_the_roll_call_updates_rows_and_keeps_history(cell: Cell) -> None:
    roll_call_record(meeting=cell.meeting, entries=cell.entries(), today=TODAY)
    counts = roll_call_record(
        meeting=cell.meeting, entries=cell.entries(charlie=(U, "")), today=TODAY
    )
    assert counts["present"] == 2
    changed = AuditEntry.objects.filter(
        subject_type="meetings.attendance", action=AuditEntry.Action.UPDATE
    )
    assert changed.count() == 1
    assert changed.get().before["status"] == "present"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"charlie": (E, "  ")}, "Lê Văn Cường vắng có lý do: cần ghi lý do."),
        ({"alice": ("exempt", "")}, "Nguyễn Thị An không thuộc diện miễn sinh hoạt."),
        ({"di": (P, "")}, "Võ Văn Đi đang sinh hoạt tạm thời ở nơi khác"),
        ({"mien": (U, "")}, "Đỗ Văn Miễn được miễn sinh hoạt"),
        ({"alice": ("maybe", "")}, "Nguyễn Thị An: cần chọn"),
    ],
)
def test_bad_entries_are_named_and_nothing_is_written(
    cell: Cell, overrides: dict[str, tuple[str, str]], message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        roll_call_record(meeting=cell.meeting, entries=cell.entries(**overrides), today=TODAY)
    assert any(message in text for text in error.value.message_dict["entries"])
    assert not Attendance.objects.exists()
    cell.meeting.refresh_from_db()
    assert cell.meeting.status == MeetingStatus.PLANNED


def test_everyone_must_be_called_and_strangers_are_refused(cell: Cell) -> None:
    entries = [e for e in cell.entries() if e.person_id != cell.p.charlie.pk]
    entries.append(RollCallEntry(cell.p.bob.pk, P))
    with pytest.raises(ValidationError) as error:
        roll_call_record(meeting=cell.meeting, entries=entries, today=TODAY)
    texts = " ".join(error.value.message_dict["entries"])
    assert "Chưa điểm danh: Lê Văn Cường." in texts
    assert f"mã {cell.p.bob.pk} không có trong danh sách" in texts
    assert not Attendance.objects.exists()


def test_no_roll_call_before_the_day_or_for_a_cancelled_meeting(cell: Cell) -> None:
    with pytest.raises(ValidationError, match="Chưa đến ngày họp"):
        roll_call_record(meeting=cell.meeting, entries=cell.entries(), today=D(2026, 3, 9))
    Meeting.objects.filter(pk=cell.meeting.pk).update(status=MeetingStatus.CANCELLED)
    with pytest.raises(ValidationError, match="đã hủy"):
        roll_call_record(meeting=cell.meeting, entries=cell.entries(), today=TODAY)


def test_absence_notice_sent_replaced_withdrawn_and_suggested_at_the_roll_call(
    cell: Cell,
) -> None:
    before = at(DAY) - datetime.timedelta(days=2)
    charlie = cell.p.charlie
    first = absence_notice_send(meeting=cell.meeting, person=charlie, reason="Ốm", now=before)
    second = absence_notice_send(
        meeting=cell.meeting, person=charlie, reason="Đi công tác", now=before
    )
    first.refresh_from_db()
    assert first.withdrawn_at is not None and second.withdrawn_at is None
    line = next(x for x in meeting_roll(meeting=cell.meeting) if x.person.pk == charlie.pk)
    assert (line.suggested, line.suggested_reason) == ("excused", "Đi công tác")
    absence_notice_withdraw(notice=second, now=before)
    line = next(x for x in meeting_roll(meeting=cell.meeting) if x.person.pk == charlie.pk)
    assert line.suggested == "present"
    assert AuditEntry.objects.filter(subject_type="meetings.absencenotice").count() == 3


def test_absence_notice_refusals(cell: Cell) -> None:
    before = at(DAY) - datetime.timedelta(hours=3)
    with pytest.raises(ValidationError) as error:
        absence_notice_send(meeting=cell.meeting, person=cell.p.charlie, reason=" ", now=before)
    assert error.value.message_dict["reason"] == ["Cần ghi lý do vắng mặt."]
    with pytest.raises(ValidationError, match="trước giờ họp"):
        absence_notice_send(
            meeting=cell.meeting, person=cell.p.charlie, reason="Ốm", now=at(DAY, 9)
        )
    with pytest.raises(ValidationError, match="không có tên"):
        absence_notice_send(meeting=cell.meeting, person=cell.p.bob, reason="Ốm", now=before)
    with pytest.raises(ValidationError, match="không có tên"):
        absence_notice_send(meeting=cell.meeting, person=cell.away, reason="Ốm", now=before)
    with pytest.raises(ValidationError, match="miễn sinh hoạt"):
        absence_notice_send(meeting=cell.meeting, person=cell.exempt, reason="Ốm", now=before)
    assert not AbsenceNotice.objects.exists()


def test_guests_and_assignments(cell: Cell) -> None:
    p = cell.p
    dave = assignment_create(
        org=p.cell_a, person=p.dave, role=GuestRole.COMMITTEE, started_on=D(2026, 1, 1)
    )
    bob = assignment_create(
        org=p.cell_a, person=p.bob, role=GuestRole.CROSS, started_on=D(2026, 1, 1)
    )
    assert [a.person for a in meeting_assigned(meeting=cell.meeting)] == [p.bob, p.dave]
    with pytest.raises(ValidationError, match="không phải cấp ủy viên cấp trên"):
        assignment_create(org=p.cell_a, person=p.charlie, role=GuestRole.COMMITTEE)
    with pytest.raises(ValidationError, match="không giữ chức vụ ở một chi bộ khác"):
        assignment_create(org=p.cell_a, person=p.alice, role=GuestRole.CROSS)
    with pytest.raises(ValidationError, match="đã được phân công"):
        assignment_create(org=p.cell_a, person=p.dave, role=GuestRole.COMMITTEE)
    with pytest.raises(ValidationError, match="không phải chi bộ"):
        assignment_create(org=p.commune, person=p.dave, role=GuestRole.COMMITTEE)

    guest_add(meeting=cell.meeting, data=GuestData(role=GuestRole.COMMITTEE, person=p.dave))
    assert [a.person for a in meeting_assigned(meeting=cell.meeting)] == [p.bob]
    with pytest.raises(ValidationError, match="đã có trong danh sách khách"):
        guest_add(meeting=cell.meeting, data=GuestData(role=GuestRole.COMMITTEE, person=p.dave))
    with pytest.raises(ValidationError, match="không phải khách"):
        guest_add(meeting=cell.meeting, data=GuestData(role=GuestRole.INVITED, person=p.charlie))
    with pytest.raises(ValidationError) as error:
        guest_add(meeting=cell.meeting, data=GuestData(role=GuestRole.INVITED, name=" "))
    assert "name" in error.value.message_dict
    guest_add(meeting=cell.meeting, data=GuestData(role=GuestRole.INVITED, name="Bà Trưởng thôn"))

    counts = roll_call_record(meeting=cell.meeting, entries=cell.entries(), today=TODAY)
    assert counts["guests_present"] == 2

    assignment_end(assignment=bob, ended_on=D(2026, 3, 1))
    assert meeting_assigned(meeting=cell.meeting) == []
    with pytest.raises(ValidationError, match="đã kết thúc"):
        assignment_end(assignment=bob)
    assert dave.ended_on is None


def test_a_roll_built_before_a_notice_was_sent_still_replaces_it(cell: Cell) -> None:
    """The absence page passes the roll it built; a notice sent meanwhile from another
    device is still found under the meeting's lock and withdrawn, never left open twice."""
    meeting = make_meeting(cell.p.cell_a, D(2099, 3, 10))
    roll = meeting_roll(meeting=meeting)
    first = absence_notice_send(meeting=meeting, person=cell.p.charlie, reason="Đi viện")
    second = absence_notice_send(
        meeting=meeting, person=cell.p.charlie, reason="Đi công tác", roll=roll
    )
    first.refresh_from_db()
    assert first.withdrawn_at is not None
    open_notices = AbsenceNotice.objects.filter(meeting=meeting, withdrawn_at__isnull=True)
    assert list(open_notices) == [second]
