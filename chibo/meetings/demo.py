"""A year of believable meetings for the demo's party cells and women's union branches.

For the current year, month by month up to the month after next, every party cell of
Đảng bộ xã Đại Từ (DU-DT, 18 cells) and of Đảng bộ cơ quan Hội LHPN tỉnh (DU-HLHPN, 5)
holds its regular monthly meeting, and in the last month of each quarter a thematic
meeting on a topic the committee approved (the agency cells combine the two); the 13
women's union branches of Hội LHPN xã Đại Từ hold a branch meeting each month, and the
commune committee holds its flag-salute political session on the first Monday. What the
statistics page should then tell:

- attendance of 85–95 % (women's branches a little lower), absences mostly excused;
  three members reach two unexcused absences in the year and one reaches three (Quy định
  24-QĐ/TW: two are flagged to the cell, three to the committee);
- Chi bộ xóm Cây Thị (DU-DT-CB09) missed a month; Chi bộ DU-DT-CB06 held October's
  meeting on 2 November (a meeting moved across months); DU-DT-CB11 cancelled one for a
  storm and met a week later; DU-DT-CB03 held one extraordinary meeting;
- two topics registered after the committee's deadline (the 20th of the month before),
  one topic returned with a comment, and bithu1's topic for the year's last quarter still
  waiting for danguy's approval; two meetings scheduled late, and one meeting whose
  document was published only hours before it (Hướng dẫn 42-HD/BTCTW: one day ahead);
- minutes of held meetings signed and locked (the last week's still drafts); two meetings
  shorter than 90 minutes. bithu1 corrected the locked minutes of DU-DT-CB01's last locked
  regular meeting: version 2 is signed and locked, version 1 stays readable and points to
  it (`chibo demo --reset` purges such a chain too);
- bithu1's and dangvien1's cell (DU-DT-CB01) has meetings ahead in the coming weeks.

Idempotent: once the demo's units have meetings, nothing more is written. Fast: every
table is written with bulk_create, without audit entries (generated data, like the rest
of the demo). Dates follow today, so past meetings are held and the next ones planned.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chibo.core.models import User
from chibo.meetings.agenda import DEFAULT_ITEMS
from chibo.meetings.attendance import AttendanceRow, attendance_counts, standing_on
from chibo.meetings.models import (
    AbsenceNotice,
    AgendaItem,
    Attendance,
    AttendanceAssignment,
    AttendanceStatus,
    Guest,
    GuestRole,
    Meeting,
    MeetingDocument,
    MeetingKind,
    MeetingStatus,
    Minutes,
    ScheduleRule,
    TopicRegistration,
    TopicStatus,
)
from chibo.orgs.models import Family, Level, Org, OrgStatus
from chibo.people.models import Membership, MembershipStatus, Person, Position, Title, Transfer
from chibo.plans.models import Theme, ThemeKind

Progress = Callable[[str], None]
SEED = 20260105
PARTY_COMMITTEES = ("DU-DT", "DU-HLHPN")
WOMEN_COMMITTEE = "HLHPN-DT"
# Cells that hold the thematic meeting together with the regular one (the agency cells,
# whose members meet in working hours and keep it to one longer session).
COMBINED_CELLS = ("DU-DT-CB14", "DU-DT-CB15", "DU-DT-CB16")
QUARTER_MONTHS = (3, 6, 9, 12)
DEADLINE_DAY = 20
WOMEN_DEADLINE_DAY = 25
# (cell, position in the cell's roll, unexcused absences in the year)
UNEXCUSED: tuple[tuple[str, int, int], ...] = (
    ("DU-DT-CB01", 4, 2),
    ("DU-DT-CB01", 7, 3),
    ("DU-DT-CB02", 5, 2),
    ("DU-DT-CB05", 3, 2),
)
MISSED = ("DU-DT-CB09", 8)  # (cell, month without a meeting)
MOVED = ("DU-DT-CB06", 10)  # October's meeting held on 2 November
CANCELLED = ("DU-DT-CB11", 9)
EXTRAORDINARY = ("DU-DT-CB03", 7)
LATE_SCHEDULE = (("DU-DT-CB12", 5), ("DU-DT-CB13", 10))
LATE_TOPICS = (("DU-DT-CB07", 6), ("DU-DT-CB10", 9))
RETURNED_TOPIC = ("DU-DT-CB02", 9)
PENDING_TOPIC = ("DU-DT-CB01", 12)
LATE_DOCUMENT = ("DU-DT-CB05", 6)
SHORT_MEETINGS = (("DU-DT-CB08", 4), ("DU-DT-CB13", 7))
CORRECTED_CELL = "DU-DT-CB01"
CORRECTION_REASON = "Bổ sung số liệu thu hoạch chè còn thiếu trong mục kết quả tháng trước"
CORRECTION_NOTE = "Bổ sung: sản lượng chè búp tươi của xóm đạt 42 tấn, bằng 105% kế hoạch."

TOPICS = (
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về ý thức tôn trọng "
    "Nhân dân, phát huy dân chủ",
    "Nâng cao vai trò nêu gương của đảng viên trong xây dựng nông thôn mới kiểu mẫu",
    "Đảng viên tham gia phát triển kinh tế hộ gia đình gắn với vùng chè Đại Từ",
    "Phòng, chống suy thoái tư tưởng chính trị, đạo đức, lối sống trong đảng viên",
    "Giữ gìn an ninh trật tự, xây dựng xóm văn hóa, gia đình văn hóa",
    "Vai trò của chi bộ trong chuyển đổi số ở khu dân cư",
    "Bảo vệ nền tảng tư tưởng của Đảng trên không gian mạng",
    "Thực hiện dân chủ ở cơ sở theo Luật Thực hiện dân chủ ở cơ sở",
)
TASKS = (
    "Đôn đốc các hộ hoàn thành thu hoạch chè vụ {month}, chăm sóc vườn chè",
    "Vận động nhân dân vệ sinh môi trường, làm đường giao thông nội đồng",
    "Tuyên truyền phòng, chống dịch bệnh trên gia súc, gia cầm",
    "Rà soát hộ nghèo, hộ cận nghèo; thăm hỏi gia đình chính sách",
    "Đôn đốc thu đảng phí, các loại quỹ; chuẩn bị cho đánh giá cuối năm",
)
EXCUSES = (
    "Ốm, đã báo chi ủy",
    "Đi làm xa",
    "Gia đình có việc hiếu",
    "Đi công tác theo phân công của cơ quan",
    "Chăm người nhà nằm viện",
)
# The item of DEFAULT_ITEMS an extraordinary meeting's own business replaces.
EXTRAORDINARY_BUSINESS = "Nội dung cần giải quyết"
WOMEN_EXCUSES = ("Bận việc gia đình", "Đi làm công ty", "Con nhỏ ốm", "Đi chợ phiên")
DOCUMENTS = (
    "Dự thảo nghị quyết tháng {month}",
    "Báo cáo kết quả thực hiện nhiệm vụ tháng {previous}",
)


def _quiet(_message: str) -> None:
    """No progress messages (tests)."""


@dataclass
class _Seat:
    membership: Membership
    person: Person
    exempt: bool
    unexcused_left: int = 0


@dataclass
class _Unit:
    org: Org
    seats: list[_Seat]
    chair: Person | None
    taker: Person | None
    signer: User | None
    women: bool
    base_rate: float
    away: dict[int, tuple[datetime.date, datetime.date | None]] = field(default_factory=dict)


@dataclass
class _Plan:
    """One meeting to write, with what hangs off it."""

    meeting: Meeting
    unit: _Unit
    documents_published: datetime.timedelta | None = None
    minutes_minutes: int = 110
    extra_items: list[str] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)
    notices: list[AbsenceNotice] = field(default_factory=list)


def seed_meetings_demo(*, now: datetime.datetime | None = None, progress: Progress = _quiet) -> int:
    """Write the demo's meetings unless they are there; the number of meetings written.
    `now` (default: the clock) decides which meetings are held and which lie ahead."""
    now = now or timezone.now()
    committees = {org.code: org for org in Org.objects.filter(code__in=PARTY_COMMITTEES)}
    women = Org.objects.filter(code=WOMEN_COMMITTEE).first()
    if len(committees) != len(PARTY_COMMITTEES) or women is None:
        progress(_("Chưa có dữ liệu mẫu của tỉnh, bỏ qua lịch sinh hoạt mẫu."))
        return 0
    roots = [*committees.values(), women]
    with transaction.atomic():
        if Meeting.objects.filter(org__path__startswith=committees["DU-DT"].path).exists():
            progress(_("Lịch sinh hoạt mẫu đã có, không ghi thêm."))
            return 0
        # Stored text is Vietnamese, whatever language the command runs in.
        with translation.override("vi"):
            count = _Builder(now, committees, women).build(roots)
    progress(_("Lịch sinh hoạt mẫu: %(count)s buổi sinh hoạt.") % {"count": count})
    return count


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _add_months(first: datetime.date, months: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _first_monday(month: datetime.date) -> datetime.date:
    return month + datetime.timedelta(days=(7 - month.weekday()) % 7)


class _Builder:
    def __init__(self, now: datetime.datetime, committees: dict[str, Org], women: Org) -> None:
        self.now = now
        self.today = today = timezone.localdate(now)
        self.rng = random.Random(SEED)
        self.year = today.year
        self.committees = committees
        self.women = women
        self.commune = committees["DU-DT"]
        # Every month of the year, and always the next one, so a member has a meeting
        # ahead on any day the demo is written.
        last = max(datetime.date(self.year, 12, 1), _add_months(today.replace(day=1), 1))
        self.months: list[datetime.date] = []
        month = datetime.date(self.year, 1, 1)
        while month <= last:
            self.months.append(month)
            month = _add_months(month, 1)
        self.secretary_user = self._user_of_secretary(self.commune)
        self.plans: list[_Plan] = []
        self.topics: dict[tuple[str, int], TopicRegistration] = {}

    # --- who ------------------------------------------------------------------------------

    def _user_of_secretary(self, org: Org) -> User | None:
        position = (
            Position.objects.current(self.today)
            .filter(org=org, title=Title.SECRETARY)
            .select_related("person__user")
            .first()
        )
        return position.person.user if position else None

    def _units(self, roots: Iterable[Org]) -> list[_Unit]:
        orgs = [
            org
            for root in roots
            for org in Org.objects.filter(
                path__startswith=root.path, level=Level.BRANCH, status=OrgStatus.ACTIVE
            ).order_by("path")
        ]
        by_org: dict[int, list[Membership]] = {}
        for membership in (
            Membership.objects.current()
            .filter(org__in=orgs)
            .exclude(status=MembershipStatus.SUSPENDED)
            .select_related("person")
            .order_by("person__sort_key", "person_id")
        ):
            by_org.setdefault(membership.org_id, []).append(membership)
        officers: dict[int, dict[str, Person]] = {}
        for position in (
            Position.objects.current(self.today)
            .filter(org__in=orgs)
            .select_related("person__user")
            .order_by("started_on")
        ):
            officers.setdefault(position.org_id, {})[position.title] = position.person
        away: dict[int, dict[int, tuple[datetime.date, datetime.date | None]]] = {}
        for transfer in Transfer.objects.hosted().filter(org__in=orgs):
            start = transfer.starts_on or transfer.received_on or transfer.cause_on
            away.setdefault(transfer.org_id, {})[transfer.person_id] = (start, transfer.ends_on)
        unexcused = {(code, index): count for code, index, count in UNEXCUSED}
        units = []
        for org in orgs:
            memberships = by_org.get(org.pk, [])
            seats = []
            for index, membership in enumerate(memberships, start=1):
                seat = _Seat(
                    membership=membership,
                    person=membership.person,
                    exempt=membership.status == MembershipStatus.EXEMPT,
                )
                if membership.person.user_id is None:
                    seat.unexcused_left = unexcused.get((org.code, index), 0)
                seats.append(seat)
            titles = officers.get(org.pk, {})
            chair = titles.get(Title.SECRETARY) or titles.get(Title.BRANCH_HEAD)
            takers = [
                titles.get(title)
                for title in (Title.DEPUTY_SECRETARY, Title.COMMITTEE_MEMBER, Title.BRANCH_DEPUTY)
            ]
            taker = next((person for person in takers if person is not None), None)
            if taker is None:
                taker = next((s.person for s in seats if s.person != chair and not s.exempt), None)
            women = org.family == Family.WOMEN
            units.append(
                _Unit(
                    org=org,
                    seats=seats,
                    chair=chair,
                    taker=taker,
                    signer=chair.user if chair is not None else None,
                    women=women,
                    base_rate=self.rng.uniform(0.78, 0.88)
                    if women
                    else self.rng.uniform(0.86, 0.95),
                    away=away.get(org.pk, {}),
                )
            )
        return units

    # --- what -----------------------------------------------------------------------------

    def build(self, roots: list[Org]) -> int:
        units = self._units(roots)
        self._rules()
        theme = self._theme()
        party = [unit for unit in units if not unit.women]
        self._topics(party, theme)
        for unit in units:
            self._plan_unit(unit)
        self._plan_flag_salutes()
        return self._write()

    def _rules(self) -> None:
        for org, day in (
            (self.commune, DEADLINE_DAY),
            (self.committees["DU-HLHPN"], DEADLINE_DAY),
            (self.women, WOMEN_DEADLINE_DAY),
        ):
            ScheduleRule.objects.get_or_create(
                org=org,
                defaults={
                    "deadline_day": day,
                    "set_by": self._user_of_secretary(org),
                    "set_at": _at(datetime.date(self.year, 1, 5), 8),
                },
            )

    def _theme(self) -> Theme:
        """The province's annual study theme, which cells pick as a topic."""
        province = Org.objects.get(path=self.commune.parent_path)
        theme, _created = Theme.objects.get_or_create(
            org=province,
            kind=ThemeKind.ANNUAL,
            year=self.year,
            defaults={
                "title": TOPICS[0],
                "end_year": self.year,
                "summary": "Chuyên đề năm của Tỉnh ủy, các chi bộ sinh hoạt ít nhất một kỳ.",
                "issued_on": datetime.date(self.year, 1, 10),
                "document_number": f"{self.rng.randint(120, 180)}-HD/TU",
            },
        )
        return theme

    def _topics(self, units: list[_Unit], theme: Theme) -> None:
        reviewer = {code: self._user_of_secretary(org) for code, org in self.committees.items()}
        rows: list[TopicRegistration] = []
        for unit in units:
            committee = "DU-HLHPN" if unit.org.code.startswith("DU-HLHPN") else "DU-DT"
            shift = self.rng.randrange(len(TOPICS))
            preparers: list[Person | None] = [s.person for s in unit.seats if not s.exempt]
            preparers = preparers or [None]
            for quarter, month in enumerate(QUARTER_MONTHS):
                key = (unit.org.code, month)
                registered = _at(datetime.date(self.year, 1, self.rng.randint(6, 18)), 9)
                title = TOPICS[(shift + quarter) % len(TOPICS)]
                topic = TopicRegistration(
                    org=unit.org,
                    year=self.year,
                    month=month,
                    title=title,
                    content=_topic_content(title),
                    theme=theme if title == theme.title else None,
                    preparer=preparers[(quarter * 3) % len(preparers)],
                    status=TopicStatus.APPROVED,
                    submitted_at=registered,
                    reviewed_by=reviewer[committee],
                    reviewed_at=registered + datetime.timedelta(days=4),
                    created_by=unit.signer,
                    created_at=registered - datetime.timedelta(days=1),
                )
                if key in LATE_TOPICS:
                    # Entered after the 20th of the month before: late for the committee.
                    late = _at(_add_months(datetime.date(self.year, month, 1), -1), 9)
                    topic.submitted_at = late.replace(day=DEADLINE_DAY + 3)
                    topic.created_at = topic.submitted_at
                    topic.reviewed_at = topic.submitted_at + datetime.timedelta(days=2)
                if key == PENDING_TOPIC:
                    topic.status = TopicStatus.SUBMITTED
                    topic.submitted_at = _at(self.today - datetime.timedelta(days=3), 20)
                    topic.created_at = topic.submitted_at
                    topic.reviewed_by = None
                    topic.reviewed_at = None
                if key == RETURNED_TOPIC:
                    returned = TopicRegistration(
                        org=unit.org,
                        year=self.year,
                        month=month,
                        title="Sinh hoạt chung về tình hình thời sự",
                        content="Đọc báo, trao đổi tình hình thời sự trong nước.",
                        status=TopicStatus.RETURNED,
                        submitted_at=registered,
                        reviewed_by=reviewer[committee],
                        reviewed_at=registered + datetime.timedelta(days=3),
                        review_comment=(
                            "Chủ đề chung chung, chưa gắn với nhiệm vụ của chi bộ. Đề nghị chọn "
                            "một nội dung cụ thể, có người chuẩn bị và liên hệ thực tế ở xóm."
                        ),
                        created_by=unit.signer,
                        created_at=registered - datetime.timedelta(days=1),
                    )
                    rows.append(returned)
                    topic.submitted_at = registered + datetime.timedelta(days=8)
                    topic.reviewed_at = registered + datetime.timedelta(days=10)
                rows.append(topic)
                if topic.status == TopicStatus.APPROVED:
                    self.topics[key] = topic
        TopicRegistration.objects.bulk_create(rows)

    def _plan_unit(self, unit: _Unit) -> None:
        code = unit.org.code
        regular_day = self.rng.randint(3, 10)
        hour = 14 if code in COMBINED_CELLS or code.startswith("DU-HLHPN") else 19
        for month in self.months:
            key = (code, month.month if month.year == self.year else 0)
            if key == MISSED:
                continue
            day = min(regular_day + self.rng.randint(-1, 1), 12)
            when = month.replace(day=max(day, 1))
            if key == MOVED:
                when = _add_months(month, 1).replace(day=2)
            combined = not unit.women and month.month in QUARTER_MONTHS and key in self.topics
            if unit.women:
                kind = MeetingKind.BRANCH
            elif combined and code in COMBINED_CELLS:
                kind = MeetingKind.COMBINED
            else:
                kind = MeetingKind.REGULAR
            plan = self._plan(unit, month, _at(when, hour), kind)
            if kind == MeetingKind.COMBINED:
                plan.meeting.topic = self.topics[key]
                plan.meeting.title = self.topics[key].title
                plan.minutes_minutes = self.rng.randint(125, 150)
            if key in SHORT_MEETINGS:
                plan.minutes_minutes = self.rng.randint(60, 80)
            if key == CANCELLED:
                plan.meeting.status = MeetingStatus.CANCELLED
                plan.meeting.cancelled_reason = "Bão số 3 gây mưa lớn, đường vào xóm bị ngập"
                self._plan(unit, month, _at(when + datetime.timedelta(days=7), hour), kind)
            if key in LATE_SCHEDULE:
                plan.meeting.scheduled_at = _at(
                    _add_months(month, -1).replace(day=DEADLINE_DAY + 4), 21
                )
            if key == LATE_DOCUMENT:
                plan.documents_published = datetime.timedelta(hours=3)
            if combined and code not in COMBINED_CELLS:
                topic = self.topics[key]
                thematic_day = month.replace(day=self.rng.randint(15, 24))
                thematic = self._plan(unit, month, _at(thematic_day, hour), MeetingKind.THEMATIC)
                thematic.meeting.topic = topic
                thematic.meeting.title = topic.title
                thematic.minutes_minutes = self.rng.randint(95, 120)
                if key == LATE_DOCUMENT:
                    thematic.documents_published = datetime.timedelta(hours=3)
            if key == EXTRAORDINARY:
                extra = self._plan(
                    unit,
                    month,
                    _at(month.replace(day=27), 19, 30),
                    MeetingKind.EXTRAORDINARY,
                )
                extra.meeting.title = "Họp bất thường: khắc phục sạt lở taluy đường liên xóm"
                extra.meeting.purpose = (
                    "Thống nhất phân công đảng viên vận động các hộ hiến đất, góp ngày công "
                    "khắc phục đoạn taluy sạt lở sau mưa lớn."
                )
                extra.minutes_minutes = 95
                extra.extra_items = ["Phân công đảng viên phụ trách từng cụm hộ"]

    def _plan(
        self, unit: _Unit, period: datetime.date, starts_at: datetime.datetime, kind: str
    ) -> _Plan:
        scheduled = _at(
            _add_months(period, -1).replace(day=self.rng.randint(8, DEADLINE_DAY - 1)), 20
        )
        meeting = Meeting(
            org=unit.org,
            kind=kind,
            status=MeetingStatus.HELD if starts_at < self.now else MeetingStatus.PLANNED,
            period=period,
            starts_at=starts_at,
            location=_location(unit.org),
            purpose=_purpose(kind, period),
            guests_note="",
            chair=unit.chair,
            minute_taker=unit.taker,
            scheduled_at=min(scheduled, self.now),
            created_by=unit.signer,
            created_at=min(scheduled, self.now),
        )
        plan = _Plan(meeting=meeting, unit=unit, minutes_minutes=self.rng.randint(92, 125))
        if self.rng.random() < 0.25 and not unit.women:
            plan.documents_published = datetime.timedelta(days=self.rng.randint(2, 4))
        self.plans.append(plan)
        return plan

    def _plan_flag_salutes(self) -> None:
        for month in self.months:
            day = _first_monday(month)
            starts_at = _at(day, 7, 30)
            self.plans.append(
                _Plan(
                    meeting=Meeting(
                        org=self.commune,
                        kind=MeetingKind.FLAG_SALUTE,
                        status=(
                            MeetingStatus.HELD if starts_at < self.now else MeetingStatus.PLANNED
                        ),
                        period=month,
                        starts_at=starts_at,
                        location="Sân trụ sở Đảng ủy – UBND xã Đại Từ",
                        title="Chào cờ, sinh hoạt chính trị đầu tháng",
                        purpose=(
                            "Chào cờ; thông tin thời sự, quán triệt văn bản mới của cấp trên; "
                            "triển khai nhiệm vụ trọng tâm trong tháng."
                        ),
                        scheduled_at=_at(_add_months(month, -1).replace(day=25), 8),
                        created_by=self.secretary_user,
                        created_at=_at(_add_months(month, -1).replace(day=25), 8),
                    ),
                    unit=_Unit(
                        org=self.commune,
                        seats=[],
                        chair=None,
                        taker=None,
                        signer=self.secretary_user,
                        women=False,
                        base_rate=1.0,
                    ),
                    minutes_minutes=60,
                )
            )

    # --- writing --------------------------------------------------------------------------

    def _write(self) -> int:
        meetings = [plan.meeting for plan in self.plans]
        for plan in self.plans:
            if plan.meeting.status == MeetingStatus.HELD:
                self._roll_call(plan)
        Meeting.objects.bulk_create(meetings, batch_size=500)
        attendance: list[Attendance] = []
        notices: list[AbsenceNotice] = []
        items: list[AgendaItem] = []
        documents: list[MeetingDocument] = []
        minutes: list[Minutes] = []
        for plan in self.plans:
            items += self._agenda(plan)
            documents += self._documents(plan)
            if plan.meeting.status == MeetingStatus.HELD:
                attendance += plan.attendance
                notices += plan.notices
                if plan.meeting.kind != MeetingKind.FLAG_SALUTE:
                    minutes += self._minutes(plan)
        notices += self._notices_ahead()
        Attendance.objects.bulk_create(attendance, batch_size=2000)
        AbsenceNotice.objects.bulk_create(notices, batch_size=1000)
        AgendaItem.objects.bulk_create(items, batch_size=2000)
        MeetingDocument.objects.bulk_create(documents, batch_size=1000)
        Minutes.objects.bulk_create(minutes, batch_size=1000)
        self._guests()
        self._correct_minutes()
        return len(meetings)

    def _correct_minutes(self) -> None:
        """bithu1 found a figure missing from the minutes of the cell's last locked regular
        meeting: a second version, the same text plus the figure, signed and locked three
        days later; the first stays readable and points to it. Written as minutes_correct,
        minutes_save and minutes_sign would leave it, without their audit entries (like
        the rest of the demo)."""
        signer = next(
            (p.unit.signer for p in self.plans if p.unit.org.code == CORRECTED_CELL), None
        )
        old = (
            Minutes.objects.filter(
                meeting__org__code=CORRECTED_CELL,
                meeting__kind=MeetingKind.REGULAR,
                locked_at__isnull=False,
                replaced_by__isnull=True,
            )
            .order_by("-meeting__starts_at")
            .first()
        )
        if old is None or old.locked_at is None:
            return
        signed_at = min(old.locked_at + datetime.timedelta(days=3), self.now)
        notes = dict(old.item_notes)
        notes["6"] = f"{notes.get('6', '')} {CORRECTION_NOTE}".strip()
        # One current version per meeting is a constraint: the old version points at
        # itself while the new one is inserted, as minutes_correct does.
        old.replaced_by_id = old.pk
        old.save(update_fields=["replaced_by"])
        new = Minutes.objects.create(
            meeting_id=old.meeting_id,
            number=old.number + 1,
            counts=old.counts,
            item_notes=notes,
            conclusions=old.conclusions,
            resolutions=old.resolutions,
            started_at=old.started_at,
            ended_at=old.ended_at,
            chair_signed_by=signer,
            chair_signed_at=signed_at,
            taker_signed_by=signer,
            taker_signed_at=signed_at,
            locked_at=signed_at,
            correction_reason=CORRECTION_REASON,
            written_by=signer,
            written_at=signed_at - datetime.timedelta(hours=1),
        )
        old.replaced_by = new
        old.save(update_fields=["replaced_by"])

    def _roll_call(self, plan: _Plan) -> None:
        """Attendance rows for a held meeting, and the counts the statistics read."""
        meeting, unit = plan.meeting, plan.unit
        day = meeting.starts_at.date()
        rows: list[Attendance] = []
        notices: list[AbsenceNotice] = []
        expected = present = 0
        for seat in unit.seats:
            status, reason = AttendanceStatus.PRESENT, ""
            window = unit.away.get(seat.person.pk)
            if seat.exempt:
                status = AttendanceStatus.EXEMPT
            elif window and window[0] <= day and (window[1] is None or day <= window[1]):
                status = AttendanceStatus.TRANSFERRED
            elif seat.unexcused_left and meeting.kind == MeetingKind.REGULAR and self._due(day):
                seat.unexcused_left -= 1
                status = AttendanceStatus.UNEXCUSED
            elif self.rng.random() > unit.base_rate and seat.person.user_id is None:
                status = AttendanceStatus.EXCUSED
                reason = self.rng.choice(WOMEN_EXCUSES if unit.women else EXCUSES)
                if self.rng.random() < 0.4:
                    notices.append(
                        AbsenceNotice(
                            meeting=meeting,
                            person=seat.person,
                            reason=reason,
                            sent_at=meeting.starts_at - datetime.timedelta(hours=26),
                        )
                    )
            if status not in (AttendanceStatus.EXEMPT, AttendanceStatus.TRANSFERRED):
                expected += 1
                present += status == AttendanceStatus.PRESENT
            rows.append(
                Attendance(
                    meeting=meeting,
                    person=seat.person,
                    membership=seat.membership,
                    membership_status=standing_on(seat.membership, day),
                    status=status,
                    reason=reason,
                    recorded_by=unit.signer,
                    recorded_at=meeting.starts_at + datetime.timedelta(minutes=10),
                )
            )
        meeting.expected_count = expected
        meeting.present_count = present
        meeting.held_started_at = meeting.starts_at
        meeting.held_ended_at = meeting.starts_at + datetime.timedelta(minutes=plan.minutes_minutes)
        plan.attendance = rows
        plan.notices = notices

    def _due(self, day: datetime.date) -> bool:
        """Spread a member's unexcused absences over the year: every other month."""
        return day.month % 2 == 0

    def _agenda(self, plan: _Plan) -> list[AgendaItem]:
        """The built-in agenda of the kind (Hướng dẫn 12-HD/BTCTW), as meeting_create
        copies it; an extraordinary meeting names its business."""
        meeting = plan.meeting
        titles = [str(item.title) for item in DEFAULT_ITEMS[meeting.kind]]
        guidance = [str(item.guidance) for item in DEFAULT_ITEMS[meeting.kind]]
        if plan.extra_items and EXTRAORDINARY_BUSINESS in titles:
            titles[titles.index(EXTRAORDINARY_BUSINESS)] = plan.extra_items[0]
        return [
            AgendaItem(meeting=meeting, order=order, title=title, guidance=text)
            for order, (title, text) in enumerate(zip(titles, guidance, strict=True), start=1)
        ]

    def _documents(self, plan: _Plan) -> list[MeetingDocument]:
        meeting = plan.meeting
        if plan.documents_published is None:
            return []
        published = meeting.starts_at - plan.documents_published
        if published > self.now:
            return []
        month = meeting.period.month
        previous = _add_months(meeting.period, -1).month
        titles = [title.format(month=month, previous=previous) for title in DOCUMENTS]
        if meeting.topic is not None:
            titles = [f"Tài liệu chuyên đề: {meeting.topic.title}"]
        return [
            MeetingDocument(
                meeting=meeting,
                title=title,
                published_at=published,
                uploaded_by=plan.unit.signer,
                uploaded_at=published - datetime.timedelta(minutes=30),
            )
            for title in titles
        ]

    def _minutes(self, plan: _Plan) -> list[Minutes]:
        meeting = plan.meeting
        counts = _counts(plan.attendance)
        ended = meeting.held_ended_at
        assert ended is not None
        month = meeting.period.month
        # Keys are the agenda's item numbers (DEFAULT_ITEMS of chibo.meetings.agenda).
        notes = {
            "1": f"Đồng chí Bí thư nêu mục đích buổi sinh hoạt tháng {month}.",
            "3": f"Có mặt {counts['present']}/{counts['expected']} đảng viên phải dự.",
        }
        if meeting.kind in (MeetingKind.REGULAR, MeetingKind.COMBINED):
            notes["6"] = "Các chỉ tiêu tháng trước cơ bản hoàn thành; còn chậm thu quỹ."
            notes["7"] = self.rng.choice(TASKS).format(month=month)
        if plan.unit.women:
            notes = {"2": f"Có mặt {counts['present']}/{counts['expected']} hội viên."}
        locked = ended < self.now - datetime.timedelta(days=7)
        signed_at = ended + datetime.timedelta(hours=1) if locked else None
        version = Minutes(
            meeting=meeting,
            number=1,
            counts=counts,
            item_notes=notes,
            conclusions=(
                "Chi bộ thống nhất các nhiệm vụ tháng tới; giao chi ủy đôn đốc thực hiện."
                if not plan.unit.women
                else "Chi hội thống nhất nhiệm vụ tháng tới."
            ),
            resolutions=self.rng.choice(TASKS).format(month=month) if not plan.unit.women else "",
            started_at=meeting.held_started_at,
            ended_at=ended,
            chair_signed_by=plan.unit.signer if locked else None,
            chair_signed_at=signed_at,
            taker_signed_by=None,
            taker_signed_at=signed_at,
            locked_at=signed_at,
            written_by=plan.unit.signer,
            written_at=ended + datetime.timedelta(minutes=20),
        )
        return [version]

    def _notices_ahead(self) -> list[AbsenceNotice]:
        """A member of bithu1's cell told the cell she cannot come to the next meeting."""
        ahead = [
            p
            for p in self.plans
            if p.unit.org.code == "DU-DT-CB01" and p.meeting.status == MeetingStatus.PLANNED
        ]
        if not ahead:
            return []
        plan = min(ahead, key=lambda p: p.meeting.starts_at)
        seats = [s for s in plan.unit.seats if not s.exempt and s.person.user_id is None]
        if len(seats) < 3:
            return []
        return [
            AbsenceNotice(
                meeting=plan.meeting,
                person=seats[2].person,
                reason="Đi khám bệnh định kỳ ở Bệnh viện C Thái Nguyên",
                sent_at=self.now - datetime.timedelta(hours=5),
            )
        ]

    def _guests(self) -> None:
        """Committee members assigned to follow cells attend some of their meetings, and
        two secretaries attend each other's cells (sinh hoạt chéo)."""
        committee = list(
            Position.objects.current(self.today)
            .filter(org=self.commune)
            .select_related("person")
            .order_by("title", "pk")
        )
        cells = list(
            Org.objects.filter(
                path__startswith=self.commune.path, level=Level.BRANCH, status=OrgStatus.ACTIVE
            ).order_by("path")
        )
        if not committee or not cells:
            return
        assignments = [
            AttendanceAssignment(
                org=cell,
                person=committee[index % len(committee)].person,
                started_on=datetime.date(self.year, 1, 1),
                assigned_by=self.secretary_user,
            )
            for index, cell in enumerate(cells)
        ]
        AttendanceAssignment.objects.bulk_create(assignments)
        follower = {a.org_id: a.person for a in assignments}
        guests: list[Guest] = []
        held = [
            p
            for p in self.plans
            if p.meeting.status == MeetingStatus.HELD and p.meeting.org_id in follower
        ]
        for plan in held:
            if plan.meeting.kind in (MeetingKind.THEMATIC, MeetingKind.COMBINED) or (
                self.rng.random() < 0.3
            ):
                person = follower[plan.meeting.org_id]
                guests.append(
                    Guest(
                        meeting=plan.meeting,
                        person=person,
                        name=person.full_name,
                        role=GuestRole.COMMITTEE,
                        from_org=self.commune,
                    )
                )
        secretaries = {
            p.org.code: p.person
            for p in Position.objects.current(self.today)
            .filter(org__code__in=("DU-DT-CB01", "DU-DT-CB02"), title=Title.SECRETARY)
            .select_related("person", "org")
        }
        if len(secretaries) == 2:
            for host, visitor in (("DU-DT-CB01", "DU-DT-CB02"), ("DU-DT-CB02", "DU-DT-CB01")):
                visits = [
                    p
                    for p in held
                    if p.unit.org.code == host
                    and p.meeting.kind == MeetingKind.REGULAR
                    and p.meeting.period.month in (4, 10)
                ]
                guests += [
                    Guest(
                        meeting=p.meeting,
                        person=secretaries[visitor],
                        name=secretaries[visitor].full_name,
                        role=GuestRole.CROSS,
                        from_org=_org_by_code(cells, visitor),
                    )
                    for p in visits
                ]
        Guest.objects.bulk_create(guests, batch_size=1000)


def _org_by_code(orgs: list[Org], code: str) -> Org | None:
    return next((org for org in orgs if org.code == code), None)


def _counts(rows: list[Attendance]) -> dict[str, Any]:
    """The roll call's counts as the minutes' header shows them."""
    return attendance_counts(
        AttendanceRow(status=row.status, membership_status=row.membership_status, hosted=False)
        for row in rows
    )


def _location(org: Org) -> str:
    if org.hamlet:
        return f"Nhà văn hóa {org.hamlet[:1].lower()}{org.hamlet[1:]}"
    return f"Phòng họp {org.name.removeprefix('Chi bộ ')}"


def _purpose(kind: str, period: datetime.date) -> str:
    if kind == MeetingKind.BRANCH:
        return f"Sinh hoạt chi hội tháng {period.month}/{period.year}."
    if kind == MeetingKind.THEMATIC:
        return "Nâng cao nhận thức của đảng viên về chuyên đề; liên hệ thực tế ở chi bộ."
    return (
        f"Đánh giá kết quả tháng {_add_months(period, -1).month}, "
        f"đề ra nhiệm vụ tháng {period.month}/{period.year}."
    )


def _topic_content(title: str) -> str:
    return (
        f"Quán triệt nội dung “{title}”; mỗi đảng viên liên hệ bản thân, đăng ký việc làm "
        "cụ thể; chi bộ giao chi ủy theo dõi, đánh giá vào cuối quý."
    )
