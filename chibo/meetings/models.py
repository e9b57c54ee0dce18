"""Cell meetings (sinh hoạt chi bộ) and branch meetings of the mass organisations.

The rules they follow: Hướng dẫn 12-HD/BTCTW (2018) on the content and agenda of a cell
meeting; Chỉ thị 50-CT/TW and Hướng dẫn 42-HD/BTCTW (2025) on its length (at least 90
minutes, 120 when regular and thematic are combined) and on documents published at least
one day ahead; Quy định 24-QĐ/TW on members who miss meetings. Nothing is deleted: a
meeting is cancelled, a topic returned, minutes corrected by a new version.
"""

from __future__ import annotations

from typing import Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.scoping import ScopedQuerySet
from chibo.orgs.models import Org
from chibo.people.models import Membership, Person
from chibo.plans.models import Theme

_Row = TypeVar("_Row", bound=models.Model)


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Sinh hoạt định kỳ")
    THEMATIC = "thematic", _("Sinh hoạt chuyên đề")
    COMBINED = "combined", _("Định kỳ kết hợp chuyên đề")
    EXTRAORDINARY = "extraordinary", _("Sinh hoạt bất thường")
    # The committee's political session after the flag salute, first Monday of the month.
    FLAG_SALUTE = "flag_salute", _("Chào cờ, sinh hoạt chính trị đầu tháng")
    BRANCH = "branch", _("Sinh hoạt chi hội, chi đoàn")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Đã lên lịch")
    HELD = "held", _("Đã họp")
    CANCELLED = "cancelled", _("Đã hủy")


class TopicStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    RETURNED = "returned", _("Trả lại")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Có mặt")
    EXCUSED = "excused", _("Vắng có lý do")
    UNEXCUSED = "unexcused", _("Vắng không lý do")
    EXEMPT = "exempt", _("Miễn sinh hoạt")
    TRANSFERRED = "transferred", _("Chuyển sinh hoạt tạm thời")


class GuestRole(models.TextChoices):
    COMMITTEE = "committee", _("Cấp ủy viên cấp trên dự")
    CROSS = "cross", _("Bí thư chi bộ khác dự (sinh hoạt chéo)")
    OBSERVER = "observer", _("Theo dõi, giám sát")
    INVITED = "invited", _("Khách mời")


class ScheduleRule(models.Model):
    """A committee's deadline for its subtree: next month's date and topic are due by this
    day of the month before (the nearest rule up the tree applies)."""

    org = models.OneToOneField(Org, on_delete=models.PROTECT, related_name="schedule_rule")
    deadline_day = models.PositiveSmallIntegerField(_("hạn đăng ký lịch (ngày của tháng trước)"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet["ScheduleRule"].as_manager()

    class Meta:
        verbose_name = _("hạn đăng ký lịch sinh hoạt")

    def __str__(self) -> str:
        return f"{self.org_id}: {self.deadline_day}"


class TopicRegistrationQuerySet(ScopedQuerySet["TopicRegistration"]):
    def approved(self) -> Self:
        return self.filter(status=TopicStatus.APPROVED)


class TopicRegistration(models.Model):
    """Đăng ký chuyên đề: a cell's thematic topic for a month of the year, approved above."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="topic_registrations")
    year = models.PositiveSmallIntegerField(_("năm"))
    month = models.PositiveSmallIntegerField(_("tháng"))
    title = models.CharField(_("tên chuyên đề"), max_length=300)
    content = models.TextField(_("nội dung"), blank=True)
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("chuyên đề cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="topic_registrations",
    )
    preparer = models.ForeignKey(
        Person,
        verbose_name=_("người chuẩn bị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=TopicStatus.choices, default=TopicStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("ý kiến của cấp trên"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TopicRegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("đăng ký chuyên đề")
        verbose_name_plural = _("đăng ký chuyên đề")
        ordering = ["year", "month", "pk"]
        indexes = [models.Index(fields=["org", "year", "status"])]

    def __str__(self) -> str:
        return self.title


class AgendaTemplate(models.Model):
    """The agenda a level uses (Hướng dẫn 12-HD/BTCTW); one without an org is the default,
    a committee's own template applies to its subtree."""

    org = models.ForeignKey(
        Org, null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_templates"
    )
    kind = models.CharField(_("loại buổi sinh hoạt"), max_length=16, choices=MeetingKind.choices)
    name = models.CharField(_("tên mẫu"), max_length=200)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet["AgendaTemplate"].as_manager()

    class Meta:
        verbose_name = _("mẫu chương trình")
        constraints = [
            models.UniqueConstraint(fields=["org", "kind"], name="agenda_template_one_per_kind")
        ]

    def __str__(self) -> str:
        return self.name


class AgendaTemplateItem(models.Model):
    template = models.ForeignKey(AgendaTemplate, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(_("nội dung"), max_length=300)
    guidance = models.TextField(_("hướng dẫn"), blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class MeetingQuerySet(ScopedQuerySet["Meeting"]):
    def held(self) -> Self:
        return self.filter(status=MeetingStatus.HELD)

    def not_cancelled(self) -> Self:
        return self.exclude(status=MeetingStatus.CANCELLED)


class Meeting(models.Model):
    """Buổi sinh hoạt: planned for a month, held (or cancelled) on a date."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("loại"), max_length=16, choices=MeetingKind.choices)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    # The month the meeting is the regular meeting of (first day of that month); a meeting
    # moved into the next month still belongs to the month it was planned for, and the
    # statistics say so rather than count a month twice.
    period = models.DateField(_("sinh hoạt của tháng"))
    starts_at = models.DateTimeField(_("thời gian dự kiến"))
    location = models.CharField(_("địa điểm"), max_length=200, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=300, blank=True)
    topic = models.ForeignKey(
        TopicRegistration,
        verbose_name=_("chuyên đề"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    purpose = models.TextField(_("mục đích, yêu cầu"), blank=True)
    guests_note = models.TextField(_("thành phần mời"), blank=True)
    chair = models.ForeignKey(
        Person,
        verbose_name=_("chủ trì"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    minute_taker = models.ForeignKey(
        Person,
        verbose_name=_("thư ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # When the date (and topic) were entered: compared with the committee's deadline.
    scheduled_at = models.DateTimeField(default=timezone.now)
    held_started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    held_ended_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    cancelled_reason = models.CharField(_("lý do hủy"), max_length=300, blank=True)
    # Written by the roll call, so statistics over a province read one row per meeting
    # instead of one per member and meeting: members expected (on the roll, not exempt,
    # not temporarily transferred out) and members present.
    expected_count = models.PositiveIntegerField(default=0)
    present_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Optimistic lock for concurrent edits by two officers.
    version = models.PositiveIntegerField(default=1)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("buổi sinh hoạt")
        verbose_name_plural = _("buổi sinh hoạt")
        ordering = ["starts_at", "pk"]
        indexes = [
            # Covers every column the statistics read (stats.py), so a province's year is
            # read from the index alone, in (org, period) order; it also serves the
            # lookups of a unit's meetings by month.
            models.Index(
                fields=[
                    "org",
                    "period",
                    "status",
                    "kind",
                    "expected_count",
                    "present_count",
                    "held_started_at",
                    "starts_at",
                    "scheduled_at",
                ],
                name="meeting_stats_idx",
            ),
            models.Index(fields=["period", "status"]),
            models.Index(fields=["starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%d/%m/%Y}"


class MeetingRowQuerySet(ScopedQuerySet[_Row]):
    """Rows that belong to a meeting are scoped by the meeting's org."""

    scope_path_field = "meeting__org__path"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(_("nội dung"), max_length=300)
    guidance = models.TextField(_("hướng dẫn"), blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class MeetingDocument(models.Model):
    """A document for the meeting, published to the members at least one day ahead
    (Hướng dẫn 42-HD/BTCTW 2025)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("tên tài liệu"), max_length=300)
    file = models.FileField(_("tệp"), upload_to="meetings/%Y/%m/", blank=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = MeetingRowQuerySet["MeetingDocument"].as_manager()

    class Meta:
        verbose_name = _("tài liệu sinh hoạt")
        indexes = [
            # The statistics ask, for each meeting of a province, whether a document still
            # published was published late: answered from the index alone.
            models.Index(
                fields=["meeting", "withdrawn_at", "published_at"], name="meeting_doc_late_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """Điểm danh: one member's presence at one meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Copied from the membership at the roll call: the counts of official and probationary
    # members present must not change when a member later becomes official.
    membership_status = models.CharField(max_length=16, blank=True)
    status = models.CharField(_("điểm danh"), max_length=12, choices=AttendanceStatus.choices)
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = MeetingRowQuerySet["Attendance"].as_manager()

    class Meta:
        verbose_name = _("điểm danh")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_one_per_person")
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.meeting_id} · {self.person_id} · {self.status}"


class AbsenceNotice(models.Model):
    """Báo vắng: a member tells the cell beforehand, from their phone, why they cannot come."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="absence_notices")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="absence_notices")
    reason = models.CharField(_("lý do"), max_length=300)
    sent_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = MeetingRowQuerySet["AbsenceNotice"].as_manager()

    class Meta:
        verbose_name = _("báo vắng")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(withdrawn_at__isnull=True),
                name="absence_notice_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} · {self.person_id}"


class Guest(models.Model):
    """Someone attending who is not on the cell's roll: a committee member assigned to the
    cell, a secretary of another cell (sinh hoạt chéo), an observer or an invited guest."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="guests")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("họ và tên"), max_length=200)
    role = models.CharField(_("tư cách dự"), max_length=12, choices=GuestRole.choices)
    from_org = models.ForeignKey(
        Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    present = models.BooleanField(_("có mặt"), default=True)

    objects = MeetingRowQuerySet["Guest"].as_manager()

    def __str__(self) -> str:
        return self.name


class AttendanceAssignment(models.Model):
    """Phân công cấp ủy viên dự sinh hoạt chi bộ: a committee member follows a cell."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="attendance_assignments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, choices=GuestRole.choices, default=GuestRole.COMMITTEE)
    started_on = models.DateField(default=timezone.localdate)
    ended_on = models.DateField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet["AttendanceAssignment"].as_manager()

    def __str__(self) -> str:
        return f"{self.person_id} → {self.org_id}"


class Minutes(models.Model):
    """Biên bản: one version of a meeting's minutes. Signing by the chair and the minute-taker
    locks a version; a correction is a new version and the old one stays readable."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes")
    number = models.PositiveSmallIntegerField(_("lần"), default=1)
    # Counts filled in from the roll call when the version is created, kept as they were.
    counts = models.JSONField(default=dict, blank=True)
    # Free text per agenda item: {"<agenda item order>": "text"}.
    item_notes = models.JSONField(default=dict, blank=True)
    conclusions = models.TextField(_("kết luận"), blank=True)
    resolutions = models.TextField(_("nghị quyết"), blank=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    ended_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    chair_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chair_signed_at = models.DateTimeField(null=True, blank=True)
    taker_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    taker_signed_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    correction_reason = models.CharField(_("lý do sửa"), max_length=300, blank=True)
    replaced_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces"
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)
    # Optimistic lock: a save of stale text is refused.
    revision = models.PositiveIntegerField(default=1)

    objects = MeetingRowQuerySet["Minutes"].as_manager()

    class Meta:
        verbose_name = _("biên bản")
        verbose_name_plural = _("biên bản")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutes_number_unique"),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(replaced_by__isnull=True),
                name="minutes_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} #{self.number}"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class ReminderSent(models.Model):
    """One e-mail reminder sent, so the task never sends the same one twice."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id} · {self.person_id}"


class CalendarFeed(models.Model):
    """A private iCalendar feed URL per user; only the token's SHA-256 is stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id}"
