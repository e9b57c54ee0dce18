"""Điểm danh: who is on the roll of a meeting, the roll call, absence notices, guests and the
committee members assigned to attend cells.

Who is on the roll of a meeting of unit U held on day D (decided here, used by the
statistics and warnings):

- every membership of U current on D (started on or before D, not ended before D+1), with
  the member's standing on that day (`standing_on`): probationary until the day they became
  official, exempt from the day the exemption was recorded; members suspended on D are not
  on the roll (they take no part in party life while suspended);
- a member of U temporarily transferred elsewhere on D (Transfer kind temporary, the stay
  covering D) stays on U's roll as "temporarily transferred" and is neither expected nor
  counted at U;
- a member of another unit staying temporarily at U on D (U is the transfer's target) takes
  part at U: U's roll call records them (so Quy định 24-QĐ/TW absences follow them where
  they actually attend), but they are counted apart (`hosted`, `hosted_present`) and never
  in U's expected or present totals, as temporarily transferred members do not count in the
  host's totals (Quy định 24-QĐ/TW, 2021, point 6.3 on temporary transfers; the same rule
  as `chibo.people.transfers`).

Quorum. Điều lệ Đảng (2011), Điều 10 khoản 5: a resolution of a party organisation is valid
when more than half of its members agree; Quy định 24-QĐ/TW (2021) on executing the Charter
counts the members of a party members' meeting as the official members convened, less those
temporarily transferred to another organisation, those exempt from activities who are not
present and those suspended (the same count as Quy định 45-QĐ/TW 2011, 16.3a, and Quy chế
bầu cử trong Đảng, Điều 32). A cell meeting is therefore taken as quorate when more than
half of the members expected are present; exempt members who come are counted as expected
and present. The official-members quorum (for votes) is reported beside it.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.audit import audit_record, snapshot
from chibo.core.models import AuditEntry
from chibo.core.roles import Role
from chibo.core.scoping import get_for
from chibo.core.vntext import nfc
from chibo.meetings.guards import check_meeting_org_active, check_org_active
from chibo.meetings.models import (
    AbsenceNotice,
    Attendance,
    AttendanceAssignment,
    AttendanceStatus,
    Guest,
    GuestRole,
    Meeting,
    MeetingStatus,
    Minutes,
)
from chibo.orgs.models import Family, Level, Org
from chibo.people.models import (
    Membership,
    MembershipStatus,
    Person,
    Position,
    Transfer,
    TransferKind,
    TransferStatus,
)

if TYPE_CHECKING:
    from chibo.core.models import User
    from chibo.core.scoping import AnyUser

ATTENDANCE_FIELDS = ("status", "reason", "membership_status")
GUEST_FIELDS = ("name", "role", "person", "from_org", "present")
ASSIGNMENT_FIELDS = ("org", "person", "role", "started_on", "ended_on")
REASON_MAX = 300
# Statuses of someone who was expected at the meeting (attending or not).
EXPECTED_STATUSES = (AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED)
# Stays of a temporary transfer that have begun (received) or ended (returned).
_STAY_STATUSES = (TransferStatus.RECEIVED, TransferStatus.RETURNED)


def _vn(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def meeting_day(meeting: Meeting) -> datetime.date:
    return timezone.localtime(meeting.starts_at).date()


def standing_on(membership: Membership, day: datetime.date) -> str:
    """The member's standing on `day`, from today's record: a member official today was
    probationary before their official day; an exemption counts from the day it was
    recorded. Stored at the roll call so later changes do not rewrite past counts."""
    status = membership.status
    if membership.family != Family.PARTY:
        return MembershipStatus.ACTIVE
    changed = membership.status_changed_on
    if status in (MembershipStatus.EXEMPT, MembershipStatus.SUSPENDED) and (
        changed is None or changed <= day
    ):
        return str(status)
    if membership.official_on is not None and membership.official_on <= day:
        return MembershipStatus.OFFICIAL
    if status == MembershipStatus.PROBATIONARY or membership.official_on is not None:
        return MembershipStatus.PROBATIONARY
    return MembershipStatus.OFFICIAL


def _stay_covers(transfer: Transfer, day: datetime.date) -> bool:
    start = transfer.starts_on or transfer.received_on or transfer.introduced_on
    if start is None or start > day:
        return False
    return transfer.returned_on is None or transfer.returned_on > day


# --- the roll ----------------------------------------------------------------------------


@dataclass
class RollLine:
    """One person on a meeting's roll, with what the roll call form offers for them."""

    person: Person
    membership: Membership
    standing: str
    # Away at another unit on the day (temporary transfer): listed, not expected.
    away: bool = False
    # Staying here from another unit: recorded here, counted apart.
    hosted: bool = False
    notice: AbsenceNotice | None = None
    attendance: Attendance | None = None

    @property
    def choices(self) -> list[tuple[str, str]]:
        if self.away:
            return [(AttendanceStatus.TRANSFERRED.value, str(AttendanceStatus.TRANSFERRED.label))]
        options = [AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED]
        if self.standing == MembershipStatus.EXEMPT:
            options = [AttendanceStatus.EXEMPT, AttendanceStatus.PRESENT]
        return [(option.value, str(option.label)) for option in options]

    @property
    def suggested(self) -> str:
        """What the form shows before anything is recorded."""
        if self.attendance is not None:
            return self.attendance.status
        if self.away:
            return AttendanceStatus.TRANSFERRED
        if self.standing == MembershipStatus.EXEMPT:
            return AttendanceStatus.EXEMPT
        if self.notice is not None:
            return AttendanceStatus.EXCUSED
        return AttendanceStatus.PRESENT

    @property
    def suggested_reason(self) -> str:
        if self.attendance is not None:
            return self.attendance.reason
        return self.notice.reason if self.notice is not None else ""


def meeting_roll(*, meeting: Meeting) -> list[RollLine]:
    """Everyone on the roll of the meeting, in Vietnamese name order: the unit's members on
    the day (with those away) and members staying here for a while; five queries whatever
    the size of the unit."""
    day = meeting_day(meeting)
    memberships = list(
        Membership.objects.filter(org_id=meeting.org_id, started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .select_related("person")
    )
    lines: dict[int, RollLine] = {}
    for membership in memberships:
        standing = standing_on(membership, day)
        if standing == MembershipStatus.SUSPENDED:
            continue
        lines[membership.person_id] = RollLine(
            person=membership.person, membership=membership, standing=standing
        )
    stays = Transfer.objects.filter(kind=TransferKind.TEMPORARY, status__in=_STAY_STATUSES)
    for transfer in stays.filter(person_id__in=list(lines)):
        if _stay_covers(transfer, day):
            lines[transfer.person_id].away = True
    for transfer in stays.filter(target_id=meeting.org_id).select_related("membership", "person"):
        if transfer.person_id in lines or not _stay_covers(transfer, day):
            continue
        lines[transfer.person_id] = RollLine(
            person=transfer.person,
            membership=transfer.membership,
            standing=standing_on(transfer.membership, day),
            hosted=True,
        )
    for notice in AbsenceNotice.objects.filter(meeting=meeting, withdrawn_at__isnull=True):
        if notice.person_id in lines:
            lines[notice.person_id].notice = notice
    for attendance in Attendance.objects.filter(meeting=meeting):
        if attendance.person_id in lines:
            lines[attendance.person_id].attendance = attendance
    return sorted(lines.values(), key=lambda line: (line.person.sort_key, line.person.pk))


# --- counts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    """What the counts need of one recorded attendance."""

    status: str
    membership_status: str
    hosted: bool


def attendance_counts(rows: Iterable[AttendanceRow], *, guests_present: int = 0) -> dict[str, Any]:
    """The counts of a roll call, as the minutes print them and the statistics read them.
    Hosted members (staying here temporarily) are counted apart and in no total."""
    counts: Counter[str] = Counter()
    for row in rows:
        if row.hosted:
            counts["hosted"] += 1
            if row.status == AttendanceStatus.PRESENT:
                counts["hosted_present"] += 1
            continue
        counts["on_roll"] += 1
        counts[row.status] += 1
        expected = row.status in EXPECTED_STATUSES
        official = row.membership_status == MembershipStatus.OFFICIAL
        if expected:
            counts["expected"] += 1
            if official:
                counts["official_expected"] += 1
        if row.status == AttendanceStatus.PRESENT:
            if official:
                counts["official_present"] += 1
            elif row.membership_status == MembershipStatus.PROBATIONARY:
                counts["probationary_present"] += 1
            elif row.membership_status == MembershipStatus.EXEMPT:
                counts["exempt_present"] += 1
    keys = (
        "on_roll", "expected", "official_expected", "official_present", "probationary_present",
        "exempt_present", "hosted", "hosted_present",
    )  # fmt: skip
    result: dict[str, Any] = {key: counts[key] for key in keys}
    for status in AttendanceStatus.values:
        result[status] = counts[status]
    result["guests_present"] = guests_present
    present = counts[AttendanceStatus.PRESENT]
    result["quorum"] = counts["expected"] > 0 and present * 2 > counts["expected"]
    result["official_quorum"] = (
        counts["official_expected"] > 0
        and counts["official_present"] * 2 > counts["official_expected"]
    )
    return result


def meeting_counts(*, meeting: Meeting) -> dict[str, Any]:
    """The counts of the meeting's recorded roll call, in two queries."""
    rows = [
        AttendanceRow(status=status, membership_status=standing, hosted=home != meeting.org_id)
        for status, standing, home in Attendance.objects.filter(meeting=meeting).values_list(
            "status", "membership_status", "membership__org_id"
        )
    ]
    guests = Guest.objects.filter(meeting=meeting, present=True).count()
    return attendance_counts(rows, guests_present=guests)


# --- the roll call -----------------------------------------------------------------------


@dataclass(frozen=True)
class RollCallEntry:
    person_id: int
    status: str
    reason: str = ""


def _locked_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("org").get(pk=meeting.pk)


def roll_call_frozen(*, meeting: Meeting) -> bool:
    """Whether the current minutes are signed and locked, so the roll call waits for a
    correction of the minutes."""
    return Minutes.objects.filter(
        meeting=meeting, replaced_by__isnull=True, locked_at__isnull=False
    ).exists()


def _check_roll_call_open(meeting: Meeting, today: datetime.date) -> None:
    check_meeting_org_active(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"meeting": _("Buổi sinh hoạt này đã hủy, không điểm danh được.")})
    day = meeting_day(meeting)
    if day > today:
        raise ValidationError(
            {
                "meeting": _("Chưa đến ngày họp (%(day)s): chỉ điểm danh từ ngày họp.")
                % {"day": _vn(day)}
            }
        )
    # The signed minutes state the counts of this roll call: changing it under them would
    # leave the locked minutes and the meeting disagreeing (Hướng dẫn 12-HD/BTCTW: the
    # minutes, signed by the chair and the minute-taker, are the record of the meeting).
    if roll_call_frozen(meeting=meeting):
        raise ValidationError(
            {
                "meeting": _(
                    "Biên bản buổi sinh hoạt đã ký và khóa với kết quả điểm danh này. Muốn "
                    "sửa điểm danh, hãy sửa biên bản trước (lập phiên bản sửa đổi), rồi điểm "
                    "danh lại."
                )
            }
        )


def _entry_error(line: RollLine, entry: RollCallEntry) -> str:
    name = line.person.full_name
    allowed = [value for value, _label in line.choices]
    if entry.status not in AttendanceStatus.values:
        return _("%(name)s: cần chọn có mặt, vắng có lý do hay vắng không lý do.") % {"name": name}
    if entry.status not in allowed:
        if line.away:
            return _("%(name)s đang sinh hoạt tạm thời ở nơi khác vào ngày họp.") % {"name": name}
        if entry.status == AttendanceStatus.EXEMPT:
            return _("%(name)s không thuộc diện miễn sinh hoạt.") % {"name": name}
        if entry.status == AttendanceStatus.TRANSFERRED:
            return _("%(name)s không chuyển sinh hoạt tạm thời đi nơi khác.") % {"name": name}
        return _("%(name)s được miễn sinh hoạt: chỉ ghi miễn hoặc có mặt.") % {"name": name}
    reason = nfc(entry.reason).strip()
    if entry.status == AttendanceStatus.EXCUSED and not reason:
        return _("%(name)s vắng có lý do: cần ghi lý do.") % {"name": name}
    if len(reason) > REASON_MAX:
        return _("%(name)s: lý do dài quá %(max)s ký tự.") % {"name": name, "max": REASON_MAX}
    return ""


@transaction.atomic
def roll_call_record(
    *,
    meeting: Meeting,
    entries: Sequence[RollCallEntry],
    actor: User | None = None,
    today: datetime.date | None = None,
) -> dict[str, Any]:
    """Record (or correct) the roll call of a meeting held today or before: one Attendance
    per person on the roll, with the member's standing on the day; the meeting is marked
    held and keeps its expected and present counts. Every entry is checked before anything
    is written; each changed row leaves an audit entry. Returns the counts."""
    meeting = _locked_meeting(meeting)
    _check_roll_call_open(meeting, today or timezone.localdate())
    roll = {line.person.pk: line for line in meeting_roll(meeting=meeting)}
    given: dict[int, RollCallEntry] = {}
    problems: list[str] = []
    for entry in entries:
        line = roll.get(entry.person_id)
        if line is None:
            problems.append(
                _("Người có mã %(id)s không có trong danh sách của buổi sinh hoạt này.")
                % {"id": entry.person_id}
            )
            continue
        error = _entry_error(line, entry)
        if error:
            problems.append(error)
        given[entry.person_id] = entry
    missing = [line.person.full_name for pid, line in roll.items() if pid not in given]
    if missing:
        problems.append(_("Chưa điểm danh: %(names)s.") % {"names": ", ".join(missing)})
    if problems:
        raise ValidationError({"entries": problems})
    now = timezone.now()
    created: list[Attendance] = []
    for pid, entry in given.items():
        line = roll[pid]
        reason = nfc(entry.reason).strip() if entry.status != AttendanceStatus.PRESENT else ""
        row = line.attendance
        if row is None:
            row = Attendance(
                meeting=meeting,
                person_id=pid,
                membership=line.membership,
                membership_status=line.standing,
                status=entry.status,
                reason=reason,
                recorded_by=actor,
                recorded_at=now,
            )
            created.append(row)
            continue
        before = snapshot(row, ATTENDANCE_FIELDS)
        if (row.status, row.reason) == (entry.status, reason):
            continue
        row.status, row.reason, row.recorded_by, row.recorded_at = entry.status, reason, actor, now
        row.save(update_fields=["status", "reason", "recorded_by", "recorded_at"])
        _audit_attendance(row, line, before=before, actor=actor)
    Attendance.objects.bulk_create(created)
    for row in Attendance.objects.filter(
        meeting=meeting, person_id__in=[a.person_id for a in created]
    ):
        _audit_attendance(row, roll[row.person_id], before=None, actor=actor)
    counts = meeting_counts(meeting=meeting)
    before_meeting = snapshot(meeting, ("status", "expected_count", "present_count"))
    meeting.expected_count = counts["expected"]
    meeting.present_count = counts[AttendanceStatus.PRESENT]
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["expected_count", "present_count", "status"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        subject=meeting,
        org_id=meeting.org_id,
        summary=_("Điểm danh buổi sinh hoạt ngày %(day)s: có mặt %(present)s/%(expected)s")
        % {
            "day": _vn(meeting_day(meeting)),
            "present": meeting.present_count,
            "expected": meeting.expected_count,
        },
        before=before_meeting,
        after=snapshot(meeting, ("status", "expected_count", "present_count")),
    )
    return counts


def _audit_attendance(
    row: Attendance, line: RollLine, *, before: dict[str, Any] | None, actor: User | None
) -> None:
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE if before is None else AuditEntry.Action.UPDATE,
        subject=row,
        org_id=row.meeting.org_id,
        person_id=row.person_id,
        summary=_("Điểm danh %(name)s: %(status)s")
        % {"name": line.person.full_name, "status": row.get_status_display()},
        before=before,
        after=snapshot(row, ATTENDANCE_FIELDS),
    )


# --- absence notices ---------------------------------------------------------------------


def _check_notice_open(meeting: Meeting, now: datetime.datetime) -> None:
    check_meeting_org_active(meeting)
    if meeting.status != MeetingStatus.PLANNED or meeting.starts_at <= now:
        raise ValidationError(
            {"meeting": _("Chỉ báo vắng được trước giờ họp của một buổi sinh hoạt sắp tới.")}
        )


@transaction.atomic
def absence_notice_send(
    *,
    meeting: Meeting,
    person: Person,
    reason: str,
    actor: User | None = None,
    now: datetime.datetime | None = None,
    roll: Sequence[RollLine] | None = None,
) -> AbsenceNotice:
    """A member tells the cell beforehand that they cannot come, and why. A second notice
    replaces the first (which stays, withdrawn). A page that has just built the meeting's
    roll passes it, so it is not built twice."""
    meeting = _locked_meeting(meeting)
    moment = now or timezone.now()
    _check_notice_open(meeting, moment)
    lines = roll if roll is not None else meeting_roll(meeting=meeting)
    line = next((line for line in lines if line.person.pk == person.pk), None)
    if line is None or line.away:
        raise ValidationError(
            {"meeting": _("Đồng chí không có tên trong danh sách của buổi sinh hoạt này.")}
        )
    if line.standing == MembershipStatus.EXEMPT:
        raise ValidationError({"meeting": _("Đồng chí được miễn sinh hoạt, không cần báo vắng.")})
    text = nfc(reason or "").strip()
    if not text:
        raise ValidationError({"reason": _("Cần ghi lý do vắng mặt.")})
    if len(text) > REASON_MAX:
        raise ValidationError({"reason": _("Lý do dài quá %(max)s ký tự.") % {"max": REASON_MAX}})
    # Read again under the meeting's lock: a roll built before it may miss a notice sent
    # meanwhile from another device.
    previous = absence_notice_open(meeting=meeting, person=person)
    if previous is not None:
        previous.withdrawn_at = moment
        previous.save(update_fields=["withdrawn_at"])
    notice = AbsenceNotice.objects.create(
        meeting=meeting, person=person, reason=text, sent_at=moment
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=notice,
        org_id=meeting.org_id,
        person_id=person.pk,
        summary=_("%(name)s báo vắng buổi sinh hoạt ngày %(day)s")
        % {"name": person.full_name, "day": _vn(meeting_day(meeting))},
        after=snapshot(notice, ("reason", "sent_at")),
    )
    return notice


@transaction.atomic
def absence_notice_withdraw(
    *, notice: AbsenceNotice, actor: User | None = None, now: datetime.datetime | None = None
) -> AbsenceNotice:
    """The member will come after all: the notice is withdrawn (kept, dated)."""
    notice = (
        AbsenceNotice.objects.select_for_update(of=("self",))
        .select_related("meeting", "meeting__org", "person")
        .get(pk=notice.pk)
    )
    moment = now or timezone.now()
    if notice.withdrawn_at is not None:
        raise ValidationError({"notice": _("Thông báo vắng này đã được rút lại.")})
    _check_notice_open(notice.meeting, moment)
    notice.withdrawn_at = moment
    notice.save(update_fields=["withdrawn_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.END,
        subject=notice,
        org_id=notice.meeting.org_id,
        person_id=notice.person_id,
        summary=_("%(name)s rút lại báo vắng buổi sinh hoạt ngày %(day)s")
        % {"name": notice.person.full_name, "day": _vn(meeting_day(notice.meeting))},
        before={"withdrawn_at": None},
        after=snapshot(notice, ("withdrawn_at",)),
    )
    return notice


def absence_notice_open(*, meeting: Meeting, person: Person) -> AbsenceNotice | None:
    return AbsenceNotice.objects.filter(
        meeting=meeting, person=person, withdrawn_at__isnull=True
    ).first()


# --- guests ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GuestData:
    role: str
    name: str = ""
    person: Person | None = None
    from_org: Org | None = None
    present: bool = True


@transaction.atomic
def guest_add(*, meeting: Meeting, data: GuestData, actor: User | None = None) -> Guest:
    """Someone attending who is not on the roll: an assigned committee member, a secretary
    of another cell (sinh hoạt chéo), an observer or an invited guest."""
    meeting = _locked_meeting(meeting)
    check_meeting_org_active(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"meeting": _("Buổi sinh hoạt này đã hủy.")})
    errors: dict[str, str] = {}
    if data.role not in GuestRole.values:
        errors["role"] = _("Cần chọn tư cách dự họp của khách.")
    name = nfc(data.person.full_name if data.person is not None else data.name).strip()
    if not name:
        errors["name"] = _("Cần nhập họ và tên khách dự họp.")
    elif len(name) > 200:
        errors["name"] = _("Họ và tên dài quá 200 ký tự.")
    if data.person is not None:
        if Guest.objects.filter(meeting=meeting, person=data.person).exists():
            errors["person"] = _("%(name)s đã có trong danh sách khách dự họp.") % {"name": name}
        elif any(line.person.pk == data.person.pk for line in meeting_roll(meeting=meeting)):
            errors["person"] = _(
                "%(name)s có tên trong danh sách đảng viên của chi bộ, không phải khách."
            ) % {"name": name}
    if errors:
        raise ValidationError(errors)
    guest = Guest.objects.create(
        meeting=meeting,
        person=data.person,
        name=name,
        role=data.role,
        from_org=data.from_org,
        present=data.present,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=guest,
        org_id=meeting.org_id,
        person_id=data.person.pk if data.person is not None else None,
        summary=_("Khách dự buổi sinh hoạt ngày %(day)s: %(name)s (%(role)s)")
        % {"day": _vn(meeting_day(meeting)), "name": name, "role": guest.get_role_display()},
        after=snapshot(guest, GUEST_FIELDS),
    )
    return guest


@transaction.atomic
def guest_set_present(*, guest: Guest, present: bool, actor: User | None = None) -> Guest:
    """A guest invited did (not) come; guests are never deleted."""
    guest = (
        Guest.objects.select_for_update(of=("self",))
        .select_related("meeting", "meeting__org")
        .get(pk=guest.pk)
    )
    check_meeting_org_active(guest.meeting)
    if guest.present == present:
        return guest
    before = snapshot(guest, GUEST_FIELDS)
    guest.present = present
    guest.save(update_fields=["present"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        subject=guest,
        org_id=guest.meeting.org_id,
        person_id=guest.person_id,
        summary=_("Khách %(name)s: %(state)s")
        % {"name": guest.name, "state": _("có mặt") if present else _("vắng mặt")},
        before=before,
        after=snapshot(guest, GUEST_FIELDS),
    )
    return guest


def meeting_guests(*, meeting: Meeting) -> list[Guest]:
    return list(Guest.objects.filter(meeting=meeting).select_related("from_org").order_by("pk"))


# --- assignments -------------------------------------------------------------------------


def _holds_office_in(person: Person, path: str, day: datetime.date) -> QuerySet[Position]:
    return Position.objects.current(day).filter(person=person, org__path__startswith=path)


@transaction.atomic
def assignment_create(
    *,
    org: Org,
    person: Person,
    role: str,
    started_on: datetime.date | None = None,
    actor: User | None = None,
) -> AttendanceAssignment:
    """The committee above assigns one of its members to attend a cell's meetings
    (cấp ủy viên phụ trách chi bộ), or a secretary to attend another cell's (sinh hoạt
    chéo). The caller has checked the user sits on a committee over the cell."""
    start = started_on or timezone.localdate()
    errors: dict[str, str] = {}
    if org.level not in (Level.BRANCH, Level.GROUP) or not org.is_active:
        errors["org"] = _("%(org)s không phải chi bộ, chi hội đang hoạt động.") % {"org": org.name}
    if role not in (GuestRole.COMMITTEE, GuestRole.CROSS, GuestRole.OBSERVER):
        errors["role"] = _("Cần chọn cấp ủy viên dự, sinh hoạt chéo hay theo dõi, giám sát.")
    parent = org.parent_path or org.path
    if "org" not in errors and role == GuestRole.COMMITTEE:
        above = Position.objects.current(start).filter(
            person=person, org__path__in=org.ancestor_paths()
        )
        if not above.exists():
            errors["person"] = _("%(name)s không phải cấp ủy viên cấp trên của %(org)s.") % {
                "name": person.full_name,
                "org": org.name,
            }
    elif "org" not in errors and role == GuestRole.CROSS:
        other = (
            _holds_office_in(person, parent, start)
            .exclude(org=org)
            .filter(org__level__in=[Level.BRANCH, Level.GROUP])
        )
        if not other.exists():
            errors["person"] = _(
                "%(name)s không giữ chức vụ ở một chi bộ khác cùng cấp trên với %(org)s."
            ) % {"name": person.full_name, "org": org.name}
    if (
        "person" not in errors
        and AttendanceAssignment.objects.filter(
            org=org, person=person, ended_on__isnull=True
        ).exists()
    ):
        errors["person"] = _("%(name)s đã được phân công dự sinh hoạt ở %(org)s.") % {
            "name": person.full_name,
            "org": org.name,
        }
    if errors:
        raise ValidationError(errors)
    assignment = AttendanceAssignment.objects.create(
        org=org, person=person, role=role, started_on=start, assigned_by=actor
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=assignment,
        org_id=org.pk,
        person_id=person.pk,
        summary=_("Phân công %(name)s dự sinh hoạt %(org)s (%(role)s)")
        % {"name": person.full_name, "org": org.name, "role": assignment.get_role_display()},
        after=snapshot(assignment, ASSIGNMENT_FIELDS),
    )
    return assignment


@transaction.atomic
def assignment_end(
    *,
    assignment: AttendanceAssignment,
    ended_on: datetime.date | None = None,
    actor: User | None = None,
) -> AttendanceAssignment:
    assignment = (
        AttendanceAssignment.objects.select_for_update(of=("self",))
        .select_related("person", "org")
        .get(pk=assignment.pk)
    )
    check_org_active(assignment.org)
    end = ended_on or timezone.localdate()
    if assignment.ended_on is not None:
        raise ValidationError({"ended_on": _("Phân công này đã kết thúc.")})
    if end < assignment.started_on:
        raise ValidationError(
            {
                "ended_on": _("Ngày kết thúc %(end)s trước ngày bắt đầu phân công %(start)s.")
                % {"end": _vn(end), "start": _vn(assignment.started_on)}
            }
        )
    before = snapshot(assignment, ASSIGNMENT_FIELDS)
    assignment.ended_on = end
    assignment.save(update_fields=["ended_on"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.END,
        subject=assignment,
        org_id=assignment.org_id,
        person_id=assignment.person_id,
        summary=_("Kết thúc phân công %(name)s dự sinh hoạt %(org)s")
        % {"name": assignment.person.full_name, "org": assignment.org.name},
        before=before,
        after=snapshot(assignment, ASSIGNMENT_FIELDS),
    )
    return assignment


def meeting_assigned(*, meeting: Meeting) -> list[AttendanceAssignment]:
    """Who is assigned to attend this meeting (assignments covering its day) and is not yet
    among its guests: what the roll call page offers to add in one tap."""
    day = meeting_day(meeting)
    taken = Guest.objects.filter(meeting=meeting, person__isnull=False).values("person_id")
    return list(
        AttendanceAssignment.objects.filter(org_id=meeting.org_id, started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .exclude(person_id__in=taken)
        .select_related("person")
        .order_by("person__sort_key", "pk")
    )


def assignment_list(*, user: AnyUser, org: Org) -> list[AttendanceAssignment]:
    """Current assignments to the cells of the org's subtree the user reads."""
    return list(
        AttendanceAssignment.objects.visible_to(user)
        .filter(org__path__startswith=org.path, ended_on__isnull=True)
        .select_related("person", "org")
        .order_by("org__path", "person__sort_key", "pk")
    )


def assignment_get_for(
    *, user: AnyUser, assignment_id: int, min_role: Role = Role.COMMITTEE
) -> AttendanceAssignment:
    return get_for(
        AttendanceAssignment.objects.visible_to(user, min_role).select_related("person", "org"),
        pk=assignment_id,
    )


# --- reads -------------------------------------------------------------------------------


def person_of(user: AnyUser) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user_id=user.pk).first()
