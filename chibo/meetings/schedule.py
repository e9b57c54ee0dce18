"""A unit's calendar of meetings: the year generated in one step, then adjusted; the
committee's deadline for next month's date and topic, and the entries that missed it.

What the calendar follows:
- Điều lệ Đảng and Hướng dẫn 12-HD/BTCTW (06/7/2018) on cell meetings: a cell
  meets regularly once a month; a thematic meeting (sinh hoạt chuyên đề) is held at least
  once a quarter. Hướng dẫn 42-HD/BTCTW (28/10/2025), implementing Chỉ thị 50-CT/TW
  (23/7/2025), keeps both and lets a cell hold the thematic and the regular meeting in one
  sitting (then at least 120 minutes instead of 90): a combined meeting counts as both.
  A thematic meeting never replaces the monthly one.
- The committee's political session after the flag salute on the first Monday of the month
  ("chào cờ và sinh hoạt chính trị dưới cờ vào sáng thứ hai tuần đầu tiên của tháng",
  Kế hoạch 34-KH/TU, 30/12/2016, of the Thái Nguyên Provincial Committee, and the like
  elsewhere): held by party committees (grassroots level and above), not by cells.
- Branches of the mass organisations (chi hội, chi đoàn) hold a monthly branch meeting.

Nothing is deleted: a meeting is moved (it stays the meeting of the month it was planned
for) or cancelled with a reason. Every service is atomic and leaves an audit entry.
"""

from __future__ import annotations

import calendar
import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.audit import audit_record, snapshot
from chibo.core.models import AuditEntry, User
from chibo.core.vntext import nfc
from chibo.meetings.guards import check_meeting_org_active, check_org_active
from chibo.meetings.models import (
    Meeting,
    MeetingKind,
    MeetingStatus,
    ScheduleRule,
    TopicRegistration,
    TopicStatus,
)
from chibo.meetings.selectors import meetings_visible_to
from chibo.orgs.models import Family, Level, Org, OrgStatus
from chibo.orgs.tree import ancestor_paths

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser

MEETING_AUDIT_FIELDS = (
    "org",
    "kind",
    "status",
    "period",
    "starts_at",
    "location",
    "title",
    "topic",
    "cancelled_reason",
)

# Levels whose party organisation is a committee (đảng ủy, ban thường vụ) rather than a cell.
COMMITTEE_LEVELS = (Level.CENTRAL, Level.PROVINCE, Level.DISTRICT, Level.BASE)
UNIT_LEVELS = (Level.BRANCH, Level.GROUP)
# Kinds that are a month's regular meeting; a combined meeting is both regular and thematic.
REGULAR_KINDS = (MeetingKind.REGULAR, MeetingKind.COMBINED, MeetingKind.BRANCH)
THEMATIC_KINDS = (MeetingKind.THEMATIC, MeetingKind.COMBINED)
QUARTER_ENDS = (3, 6, 9, 12)
DEADLINE_DAY_MAX = 28


class ThematicMode(enum.StrEnum):
    """How a cell plans its thematic meetings for the year."""

    SEPARATE = "separate"  # a meeting of its own, besides the regular one
    COMBINED = "combined"  # in the same sitting as the regular meeting
    NONE = "none"  # planned later, one by one


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_apart(a: datetime.date, b: datetime.date) -> int:
    """Calendar months between the months of two days (a day count would let 20/03 be
    January's meeting: 78 days, yet within "about two months")."""
    return abs((a.year * 12 + a.month) - (b.year * 12 + b.month))


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def first_monday(year: int, month: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(7 - first.weekday()) % 7)


def clamped_day(year: int, month: int, day: int) -> datetime.date:
    """The `day` of the month, or the month's last day when it is shorter."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def local_datetime(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, at))


def holds_cell_meetings(org: Org) -> bool:
    return org.level in UNIT_LEVELS


def holds_flag_salute(org: Org) -> bool:
    return org.family == Family.PARTY and org.level in COMMITTEE_LEVELS


def allowed_kinds(org: Org) -> list[str]:
    """Kinds of meeting an org holds: cells the party kinds, mass-organisation branches
    their branch meeting, committees the flag-salute session; any may meet extraordinarily."""
    if org.family != Family.PARTY:
        if holds_cell_meetings(org):
            return [MeetingKind.BRANCH, MeetingKind.THEMATIC, MeetingKind.EXTRAORDINARY]
        return [MeetingKind.EXTRAORDINARY]
    if holds_cell_meetings(org):
        return [
            MeetingKind.REGULAR,
            MeetingKind.THEMATIC,
            MeetingKind.COMBINED,
            MeetingKind.EXTRAORDINARY,
        ]
    return [MeetingKind.FLAG_SALUTE, MeetingKind.EXTRAORDINARY]


def _actor_id(actor: User | None) -> int | None:
    return actor.pk if actor is not None else None


def _check_org(org: Org) -> None:
    check_org_active(org)


def _check_topic(topic: TopicRegistration | None, org: Org, kind: str) -> None:
    """Only topics the committee above approved, of the same unit, become thematic meetings."""
    if topic is None:
        return
    if kind not in THEMATIC_KINDS:
        raise ValidationError(
            {"topic": _("Chỉ buổi sinh hoạt chuyên đề (hoặc kết hợp) mới gắn với chuyên đề.")}
        )
    if topic.org_id != org.pk:
        raise ValidationError({"topic": _("Chuyên đề này không phải của đơn vị.")})
    if topic.status != TopicStatus.APPROVED:
        raise ValidationError(
            {
                "topic": _(
                    "Chuyên đề “%(title)s” chưa được cấp ủy cấp trên duyệt (đang ở trạng thái "
                    "“%(status)s”): chỉ chuyên đề đã duyệt mới được xếp lịch."
                )
                % {"title": topic.title, "status": topic.get_status_display()}
            }
        )


@dataclass(frozen=True)
class MeetingData:
    """What an officer types for a meeting; the kind and org come separately."""

    starts_at: datetime.datetime
    location: str = ""
    title: str = ""
    purpose: str = ""
    guests_note: str = ""
    # The month the meeting is the meeting of; by default the month it is held in.
    period: datetime.date | None = None


def _clean_text(value: str, field: str, max_length: int, label: str) -> str:
    text = nfc(value or "").strip()
    if len(text) > max_length:
        raise ValidationError(
            {field: _("%(label)s dài quá %(max)s ký tự.") % {"label": label, "max": max_length}}
        )
    return text


@transaction.atomic
def meeting_create(
    *,
    org: Org,
    kind: str,
    data: MeetingData,
    topic: TopicRegistration | None = None,
    actor: User | None = None,
    copy_agenda: bool = True,
) -> Meeting:
    """Schedule one meeting of a unit. The agenda is copied from the nearest template
    (chibo.meetings.agenda) so the minutes have the items of Hướng dẫn 12-HD/BTCTW."""
    _check_org(org)
    if kind not in allowed_kinds(org):
        raise ValidationError(
            {
                "kind": _("%(org)s không tổ chức loại buổi “%(kind)s”.")
                % {"org": org.name, "kind": MeetingKind(kind).label}
            }
        )
    _check_topic(topic, org, kind)
    if data.starts_at is None or timezone.is_naive(data.starts_at):
        raise ValidationError({"starts_at": _("Cần nhập ngày giờ họp.")})
    local = timezone.localtime(data.starts_at)
    meeting = Meeting(
        org=org,
        kind=kind,
        period=month_start(data.period or local.date()),
        starts_at=data.starts_at,
        location=_clean_text(data.location, "location", 200, _("Địa điểm")),
        title=_clean_text(data.title or (topic.title if topic else ""), "title", 300, _("Tiêu đề")),
        purpose=nfc(data.purpose or "").strip(),
        guests_note=nfc(data.guests_note or "").strip(),
        topic=topic,
        created_by=actor,
        scheduled_at=timezone.now(),
    )
    if months_apart(meeting.period, local.date()) > 1:
        raise ValidationError(
            {
                "period": _(
                    "Buổi họp ngày %(day)s không thể là buổi sinh hoạt của tháng %(month)s: "
                    "chỉ được lùi, sớm tối đa một tháng."
                )
                % {"day": f"{local:%d/%m/%Y}", "month": f"{meeting.period:%m/%Y}"}
            }
        )
    meeting.save()
    if copy_agenda:
        from chibo.meetings.agenda import agenda_copy_for

        agenda_copy_for(meeting=meeting)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=meeting,
        org_id=org.pk,
        summary=_("Lên lịch %(kind)s ngày %(day)s")
        % {"kind": meeting.get_kind_display(), "day": f"{local:%d/%m/%Y %H:%M}"},
        after=snapshot(meeting, MEETING_AUDIT_FIELDS),
    )
    return meeting


@dataclass(frozen=True)
class YearPlan:
    """How a unit's year is laid out: the day of the month of the regular meeting, its
    hour, and how thematic meetings are held."""

    year: int
    day: int = 5
    at: datetime.time = datetime.time(19, 30)
    location: str = ""
    thematic: ThematicMode = ThematicMode.SEPARATE
    # Separate thematic meetings fall on this day of the last month of each quarter.
    thematic_day: int = 20
    thematic_months: tuple[int, ...] = QUARTER_ENDS


def _plan_rows(org: Org, plan: YearPlan) -> list[tuple[str, datetime.date, datetime.time]]:
    """(kind, day, hour) of every meeting the year needs at this unit."""
    rows: list[tuple[str, datetime.date, datetime.time]] = []
    if holds_flag_salute(org):
        # Chào cờ is at the start of the working day.
        for month in range(1, 13):
            rows.append((MeetingKind.FLAG_SALUTE, first_monday(plan.year, month), datetime.time(7)))
        return rows
    if not holds_cell_meetings(org):
        return rows
    party = org.family == Family.PARTY
    for month in range(1, 13):
        day = clamped_day(plan.year, month, plan.day)
        if not party:
            rows.append((MeetingKind.BRANCH, day, plan.at))
            continue
        combined = plan.thematic == ThematicMode.COMBINED and month in plan.thematic_months
        rows.append((MeetingKind.COMBINED if combined else MeetingKind.REGULAR, day, plan.at))
        if plan.thematic == ThematicMode.SEPARATE and month in plan.thematic_months:
            rows.append(
                (MeetingKind.THEMATIC, clamped_day(plan.year, month, plan.thematic_day), plan.at)
            )
    return rows


def _clean_plan(plan: YearPlan) -> None:
    errors: dict[str, str] = {}
    if not 2000 <= plan.year <= 2100:
        errors["year"] = _("Năm %(year)s không hợp lệ.") % {"year": plan.year}
    if not 1 <= plan.day <= 31:
        errors["day"] = _("Ngày họp hằng tháng phải từ 1 đến 31.")
    if not 1 <= plan.thematic_day <= 31:
        errors["thematic_day"] = _("Ngày sinh hoạt chuyên đề phải từ 1 đến 31.")
    months = set(plan.thematic_months)
    if plan.thematic != ThematicMode.NONE:
        if not months or not months <= set(range(1, 13)):
            errors["thematic_months"] = _("Tháng sinh hoạt chuyên đề phải từ 1 đến 12.")
        elif {(m - 1) // 3 for m in months} != {0, 1, 2, 3}:
            errors["thematic_months"] = _(
                "Mỗi quý cần ít nhất một buổi sinh hoạt chuyên đề (Hướng dẫn 12-HD/BTCTW): "
                "hãy chọn ít nhất một tháng trong mỗi quý."
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meetings_generate_year(*, org: Org, plan: YearPlan, actor: User | None = None) -> list[Meeting]:
    """Plan a unit's year in one step. Months that already have a meeting of the kind
    (not cancelled) are left alone, so running it again only fills the gaps."""
    _check_org(org)
    _clean_plan(plan)
    rows = _plan_rows(org, plan)
    if not rows:
        raise ValidationError(
            {
                "org": _(
                    "%(org)s không có lịch sinh hoạt định kỳ: lịch năm chỉ lập cho chi bộ, "
                    "chi hội, chi đoàn và cho đảng ủy (chào cờ đầu tháng)."
                )
                % {"org": org.name}
            }
        )
    # A regular, branch or combined meeting fills the month's regular slot; a combined
    # one also fills its thematic slot.
    existing = set(
        Meeting.objects.filter(org=org, period__year=plan.year)
        .not_cancelled()
        .values_list("kind", "period")
    )
    regular_months = {p for k, p in existing if k in REGULAR_KINDS}
    thematic_months = {p for k, p in existing if k in THEMATIC_KINDS}
    flag_months = {p for k, p in existing if k == MeetingKind.FLAG_SALUTE}
    location = _clean_text(plan.location, "location", 200, _("Địa điểm"))
    created: list[Meeting] = []
    for kind, day, at in rows:
        period = month_start(day)
        if kind == MeetingKind.FLAG_SALUTE and period in flag_months:
            continue
        if kind in REGULAR_KINDS and period in regular_months:
            continue
        if kind == MeetingKind.THEMATIC and period in thematic_months:
            continue
        meeting = meeting_create(
            org=org,
            kind=kind,
            data=MeetingData(starts_at=local_datetime(day, at), location=location, period=period),
            actor=actor,
        )
        created.append(meeting)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=org,
        org_id=org.pk,
        summary=_("Lập lịch sinh hoạt năm %(year)s: %(count)s buổi")
        % {"year": plan.year, "count": len(created)},
        after={"year": plan.year, "meetings": [m.pk for m in created]},
    )
    return created


def _check_changeable(meeting: Meeting, expected_version: int | None) -> None:
    check_meeting_org_active(meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(
            {
                "__all__": _("Buổi sinh hoạt này %(status)s, không thể thay đổi lịch.")
                % {"status": meeting.get_status_display().lower()}
            }
        )
    if expected_version is not None and expected_version != meeting.version:
        raise ValidationError(
            {
                "__all__": _(
                    "Lịch buổi sinh hoạt vừa được người khác thay đổi. Hãy tải lại trang và "
                    "làm lại."
                )
            }
        )


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("org").get(pk=meeting.pk)


@transaction.atomic
def meeting_move(
    *,
    meeting: Meeting,
    starts_at: datetime.datetime,
    location: str | None = None,
    reason: str = "",
    expected_version: int | None = None,
    actor: User | None = None,
) -> Meeting:
    """Move a planned meeting to another date and time. It remains the meeting of the
    month it was planned for (statistics count that month, not the month it lands in);
    the change is a new entry against the committee's deadline."""
    meeting = _locked(meeting)
    _check_changeable(meeting, expected_version)
    if starts_at is None or timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": _("Cần nhập ngày giờ họp mới.")})
    new_month = month_start(timezone.localtime(starts_at).date())
    if months_apart(new_month, meeting.period) > 1:
        raise ValidationError(
            {
                "starts_at": _(
                    "Buổi sinh hoạt tháng %(month)s chỉ được dời trong khoảng một tháng trước "
                    "hoặc sau; hãy hủy và lên lịch buổi khác."
                )
                % {"month": f"{meeting.period:%m/%Y}"}
            }
        )
    before = snapshot(meeting, MEETING_AUDIT_FIELDS)
    meeting.starts_at = starts_at
    if location is not None:
        meeting.location = _clean_text(location, "location", 200, _("Địa điểm"))
    meeting.scheduled_at = timezone.now()
    meeting.version += 1
    meeting.save(update_fields=["starts_at", "location", "scheduled_at", "version"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        subject=meeting,
        org_id=meeting.org_id,
        summary=_("Dời buổi sinh hoạt sang %(day)s. %(reason)s")
        % {"day": f"{timezone.localtime(starts_at):%d/%m/%Y %H:%M}", "reason": nfc(reason)},
        before=before,
        after=snapshot(meeting, MEETING_AUDIT_FIELDS),
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    title: str,
    purpose: str,
    guests_note: str,
    expected_version: int | None = None,
    actor: User | None = None,
) -> Meeting:
    """The meeting's title, purpose and guests (Hướng dẫn 12-HD/BTCTW: the opening states
    the purpose and introduces the guests)."""
    meeting = _locked(meeting)
    _check_changeable(meeting, expected_version)
    before = snapshot(meeting, (*MEETING_AUDIT_FIELDS, "purpose", "guests_note"))
    meeting.title = _clean_text(title, "title", 300, _("Tiêu đề"))
    meeting.purpose = nfc(purpose or "").strip()
    meeting.guests_note = nfc(guests_note or "").strip()
    meeting.version += 1
    meeting.save(update_fields=["title", "purpose", "guests_note", "version"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        subject=meeting,
        org_id=meeting.org_id,
        summary=_("Sửa mục đích, thành phần buổi sinh hoạt"),
        before=before,
        after=snapshot(meeting, (*MEETING_AUDIT_FIELDS, "purpose", "guests_note")),
    )
    return meeting


@transaction.atomic
def meeting_cancel(
    *,
    meeting: Meeting,
    reason: str,
    expected_version: int | None = None,
    actor: User | None = None,
) -> Meeting:
    """Cancel a planned meeting; the row stays, with the reason."""
    meeting = _locked(meeting)
    _check_changeable(meeting, expected_version)
    text = _clean_text(reason, "reason", 300, _("Lý do hủy"))
    if not text:
        raise ValidationError({"reason": _("Cần nhập lý do hủy buổi sinh hoạt.")})
    before = snapshot(meeting, MEETING_AUDIT_FIELDS)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = text
    meeting.version += 1
    meeting.save(update_fields=["status", "cancelled_reason", "version"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        subject=meeting,
        org_id=meeting.org_id,
        summary=_("Hủy buổi sinh hoạt ngày %(day)s: %(reason)s")
        % {"day": f"{timezone.localtime(meeting.starts_at):%d/%m/%Y}", "reason": text},
        before=before,
        after=snapshot(meeting, MEETING_AUDIT_FIELDS),
    )
    return meeting


@transaction.atomic
def meeting_set_topic(
    *,
    meeting: Meeting,
    topic: TopicRegistration,
    expected_version: int | None = None,
    actor: User | None = None,
) -> Meeting:
    """Put an approved topic on a planned thematic (or combined) meeting."""
    meeting = _locked(meeting)
    _check_changeable(meeting, expected_version)
    _check_topic(topic, meeting.org, meeting.kind)
    before = snapshot(meeting, MEETING_AUDIT_FIELDS)
    meeting.topic = topic
    meeting.title = topic.title[:300]
    meeting.scheduled_at = timezone.now()
    meeting.version += 1
    meeting.save(update_fields=["topic", "title", "scheduled_at", "version"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        subject=meeting,
        org_id=meeting.org_id,
        summary=_("Xếp chuyên đề “%(title)s” vào buổi sinh hoạt") % {"title": topic.title},
        before=before,
        after=snapshot(meeting, MEETING_AUDIT_FIELDS),
    )
    return meeting


# --- the committee's deadline ------------------------------------------------------------


@transaction.atomic
def schedule_rule_set(*, org: Org, deadline_day: int, actor: User | None = None) -> ScheduleRule:
    """The committee's deadline: next month's meeting date and topic are due by this day
    of the month before; it applies to the whole subtree unless a lower committee sets
    its own. Days 1–28, so that every month has the day."""
    _check_org(org)
    if org.level not in COMMITTEE_LEVELS:
        raise ValidationError(
            {"org": _("Chỉ cấp ủy cấp trên (đảng ủy, hội cấp xã trở lên) đặt hạn đăng ký lịch.")}
        )
    if not isinstance(deadline_day, int) or not 1 <= deadline_day <= DEADLINE_DAY_MAX:
        raise ValidationError(
            {
                "deadline_day": _("Hạn đăng ký phải là một ngày từ 1 đến %(max)s của tháng trước.")
                % {"max": DEADLINE_DAY_MAX}
            }
        )
    rule = ScheduleRule.objects.select_for_update().filter(org=org).first()
    before = {"deadline_day": rule.deadline_day} if rule else {}
    if rule is None:
        rule = ScheduleRule(org=org, deadline_day=deadline_day)
    rule.deadline_day = deadline_day
    rule.set_by = actor
    rule.set_at = timezone.now()
    rule.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
        subject=rule,
        org_id=org.pk,
        summary=_("Hạn đăng ký lịch, chuyên đề tháng sau: ngày %(day)s hằng tháng")
        % {"day": deadline_day},
        before=before,
        after={"deadline_day": deadline_day},
    )
    return rule


def deadline_rules_for(org: Org) -> dict[str, int]:
    """{org path: deadline day} of the rules on the org's ancestors and in its subtree."""
    rows = ScheduleRule.objects.filter(
        Q(org__path__in=ancestor_paths(org.path)) | Q(org__path__startswith=org.path)
    ).values_list("org__path", "deadline_day")
    return dict(rows)


def nearest_deadline_day(path: str, rules: dict[str, int]) -> int | None:
    """The deadline day of the nearest rule at or above `path`."""
    for ancestor in reversed(ancestor_paths(path, include_self=True)):
        day = rules.get(ancestor)
        if day is not None:
            return day
    return None


def deadline_for(period: datetime.date, deadline_day: int) -> datetime.date:
    """The last day to enter the meeting of `period`: that day of the month before."""
    before = add_months(period, -1)
    return clamped_day(before.year, before.month, deadline_day)


def is_late(meeting: Meeting, deadline_day: int | None) -> bool:
    if deadline_day is None:
        return False
    entered = timezone.localtime(meeting.scheduled_at).date()
    return entered > deadline_for(meeting.period, deadline_day)


@dataclass
class LateEntry:
    org: Org
    meeting: Meeting | None
    deadline: datetime.date

    @property
    def missing(self) -> bool:
        return self.meeting is None


@dataclass
class LateReport:
    period: datetime.date
    deadline_day: int | None
    late: list[LateEntry]
    missing: list[LateEntry]


def late_entries(
    *, user: AnyUser, org: Org, period: datetime.date, today: datetime.date | None = None
) -> LateReport:
    """For a committee: the units of its subtree whose meetings of `period` were entered
    after the deadline (or moved after it), and those with no regular meeting for the
    month once the deadline has passed. Two queries, whatever the size of the subtree;
    the rules (a handful of rows) are matched to each unit in memory."""
    period = month_start(period)
    rules = deadline_rules_for(org)
    units = list(
        Org.objects.visible_to(user)
        .filter(path__startswith=org.path, level__in=UNIT_LEVELS, status=OrgStatus.ACTIVE)
        .order_by("path")
    )
    meetings = list(
        Meeting.objects.visible_to(user)
        .filter(org__path__startswith=org.path, period=period)
        .not_cancelled()
        .exclude(kind__in=[MeetingKind.EXTRAORDINARY, MeetingKind.FLAG_SALUTE])
        .select_related("org", "topic")
        .order_by("org__path", "starts_at")
    )
    today = today or timezone.localdate()
    late: list[LateEntry] = []
    has_regular: set[int] = set()
    for meeting in meetings:
        if meeting.kind in REGULAR_KINDS:
            has_regular.add(meeting.org_id)
        day = nearest_deadline_day(meeting.org.path, rules)
        if day is not None and is_late(meeting, day):
            late.append(LateEntry(meeting.org, meeting, deadline_for(period, day)))
    missing: list[LateEntry] = []
    for unit in units:
        day = nearest_deadline_day(unit.path, rules)
        if day is None or unit.pk in has_regular:
            continue
        deadline = deadline_for(period, day)
        if today > deadline:
            missing.append(LateEntry(unit, None, deadline))
    return LateReport(
        period=period,
        deadline_day=nearest_deadline_day(org.path, rules),
        late=late,
        missing=missing,
    )


# --- reads for the pages ----------------------------------------------------------------


def unit_meetings(*, user: AnyUser, org: Org, year: int) -> QuerySet[Meeting]:
    """A unit's meetings of the year (by the month they belong to), in date order.
    Plain members read their own unit's schedule too (MEMBER role)."""
    return (
        meetings_visible_to(user)
        .filter(org=org, period__year=year)
        .select_related("topic")
        .order_by("starts_at", "pk")
    )


@dataclass
class MonthRow:
    period: datetime.date
    meetings: list[Meeting]

    @property
    def has_regular(self) -> bool:
        return any(
            m.kind in REGULAR_KINDS and m.status != MeetingStatus.CANCELLED for m in self.meetings
        )


@dataclass
class QuarterCheck:
    quarter: int
    thematic: int


def calendar_months(meetings: Iterable[Meeting], year: int) -> list[MonthRow]:
    by_month: dict[datetime.date, list[Meeting]] = {
        datetime.date(year, m, 1): [] for m in range(1, 13)
    }
    for meeting in meetings:
        by_month.setdefault(meeting.period, []).append(meeting)
    return [MonthRow(period, rows) for period, rows in sorted(by_month.items())]


def quarter_checks(meetings: Iterable[Meeting]) -> list[QuarterCheck]:
    """Thematic meetings per quarter (combined ones count), cancelled ones not."""
    counts = dict.fromkeys(range(1, 5), 0)
    for meeting in meetings:
        if meeting.kind in THEMATIC_KINDS and meeting.status != MeetingStatus.CANCELLED:
            counts[quarter_of(meeting.period)] += 1
    return [QuarterCheck(q, n) for q, n in counts.items()]
