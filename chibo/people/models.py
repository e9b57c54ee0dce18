from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.roles import Role
from chibo.core.scoping import ScopedQuerySet, scope_for
from chibo.core.vntext import join_name
from chibo.orgs.models import Family, Level, Org

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: AnyUser, min_role: Role = Role.VIEWER) -> Self:
        """People on a roll in a readable subtree (or taken off it there by a change of
        standing: removed, expelled, deceased… the record stays readable), candidates for
        admission tracked by a readable cell, and the user's own record."""
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        in_scope = (
            Membership.objects.filter(person=OuterRef("pk"))
            .filter(Q(ended_on__isnull=True) | Q(end_reason=EndReason.STATUS))
            .filter(scope.subtree_q("org__path", min_role))
        )
        # A candidate (quần chúng ưu tú) is on no roll yet, but the cell tracking them
        # must open their record.
        candidate = Admission.objects.filter(person=OuterRef("pk")).filter(
            scope.subtree_q("org__path", min_role)
        )
        own = Q(pk=scope.person_id) if scope.person_id else Q(pk__in=[])
        return self.filter(own | Exists(in_scope) | Exists(candidate))


class Person(models.Model):
    """A human being; memberships, positions and a login hang off it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="person",
    )
    family_name = models.CharField(_("họ"), max_length=60, blank=True)
    middle_name = models.CharField(_("tên đệm"), max_length=80, blank=True)
    given_name = models.CharField(_("tên"), max_length=60)
    full_name = models.CharField(_("họ và tên"), max_length=200, editable=False)
    sort_key = models.CharField(max_length=600, editable=False, db_index=True)
    search_text = models.CharField(max_length=200, editable=False, db_index=True)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    citizen_id = models.CharField(_("số CCCD"), max_length=12, null=True, blank=True, unique=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=40, blank=True)
    religion = models.CharField(_("tôn giáo"), max_length=40, blank=True)
    hometown = models.CharField(_("quê quán"), max_length=200, blank=True)
    address = models.CharField(_("nơi ở hiện nay"), max_length=200, blank=True)
    occupation = models.CharField(_("nghề nghiệp"), max_length=120, blank=True)
    job_position = models.CharField(_("vị trí việc làm"), max_length=160, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("người")
        verbose_name_plural = _("người")
        ordering = ["sort_key", "id"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def composed_name(self) -> str:
        return join_name(self.family_name, self.middle_name, self.given_name)


class MembershipStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Dự bị")
    OFFICIAL = "official", _("Chính thức")
    EXEMPT = "exempt", _("Miễn sinh hoạt")
    SUSPENDED = "suspended", _("Đình chỉ sinh hoạt")
    TRANSFERRED_OUT = "transferred_out", _("Đã chuyển đi")
    REMOVED = "removed", _("Xóa tên")
    EXPELLED = "expelled", _("Khai trừ")
    DECEASED = "deceased", _("Từ trần")
    LEFT = "left", _("Ra khỏi tổ chức")
    ACTIVE = "active", _("Đang sinh hoạt")


PARTY_STATUSES = (
    MembershipStatus.PROBATIONARY,
    MembershipStatus.OFFICIAL,
    MembershipStatus.EXEMPT,
    MembershipStatus.SUSPENDED,
    MembershipStatus.TRANSFERRED_OUT,
    MembershipStatus.REMOVED,
    MembershipStatus.EXPELLED,
    MembershipStatus.DECEASED,
    MembershipStatus.LEFT,
)
ASSOCIATION_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.LEFT, MembershipStatus.DECEASED)
# Statuses that close a membership: the person is no longer on the unit's roll.
CLOSING_STATUSES = (
    MembershipStatus.REMOVED,
    MembershipStatus.EXPELLED,
    MembershipStatus.DECEASED,
    MembershipStatus.LEFT,
)


class EndReason(models.TextChoices):
    STATUS = "status", _("Thay đổi tư cách")
    MERGED = "merged", _("Tổ chức hợp nhất")
    SPLIT = "split", _("Tổ chức chia tách")
    TRANSFERRED = "transferred", _("Chuyển sinh hoạt")


class MembershipQuerySet(ScopedQuerySet["Membership"]):
    def current(self) -> Self:
        return self.filter(ended_on__isnull=True)

    def on_roll_or_closed_by_status(self) -> Self:
        """What a unit's member list can show: its roll, plus members it removed or lost,
        but not the records that moved to another unit with a restructuring or transfer."""
        return self.filter(Q(ended_on__isnull=True) | Q(end_reason=EndReason.STATUS))


class Membership(models.Model):
    """Đảng viên / hội viên / đoàn viên: a person on an org's roll, one per family at once."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="memberships")
    family = models.CharField(_("hệ thống"), max_length=16, choices=Family.choices)
    status = models.CharField(_("tư cách"), max_length=16, choices=MembershipStatus.choices)
    joined_on = models.DateField(_("ngày vào Đảng / vào hội"), null=True, blank=True)
    official_on = models.DateField(_("ngày chính thức"), null=True, blank=True)
    card_number = models.CharField(_("số thẻ"), max_length=20, blank=True)
    started_on = models.DateField(_("sinh hoạt tại đơn vị từ"), default=datetime.date.today)
    ended_on = models.DateField(_("kết thúc"), null=True, blank=True)
    end_reason = models.CharField(max_length=16, choices=EndReason.choices, blank=True)
    status_changed_on = models.DateField(_("ngày thay đổi tư cách"), null=True, blank=True)
    status_reason = models.CharField(_("lý do"), max_length=300, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=40, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next"
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("tư cách thành viên")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "family"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_current_per_family",
            )
        ]
        indexes = [models.Index(fields=["org", "ended_on", "status"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.org}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class Title(models.TextChoices):
    SECRETARY = "secretary", _("Bí thư")
    DEPUTY_SECRETARY = "deputy_secretary", _("Phó Bí thư")
    STANDING_MEMBER = "standing_member", _("Ủy viên Ban Thường vụ")
    COMMITTEE_MEMBER = "committee_member", _("Cấp ủy viên")
    CHAIR = "chair", _("Chủ tịch")
    VICE_CHAIR = "vice_chair", _("Phó Chủ tịch")
    BRANCH_HEAD = "branch_head", _("Chi hội trưởng")
    BRANCH_DEPUTY = "branch_deputy", _("Chi hội phó")
    GROUP_HEAD = "group_head", _("Tổ trưởng")


class PositionQuerySet(ScopedQuerySet["Position"]):
    def current(self, on: datetime.date | None = None) -> Self:
        day = on or timezone.localdate()
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )


class Position(models.Model):
    """Chức vụ: a person's office in an org, for a period."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="positions")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="positions")
    title = models.CharField(_("chức vụ"), max_length=24, choices=Title.choices)
    started_on = models.DateField(_("từ ngày"), default=datetime.date.today)
    ended_on = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("chức vụ")
        ordering = ["org__path", "title", "started_on"]

    def __str__(self) -> str:
        return f"{self.get_title_display()} {self.org}"

    @property
    def grant_role(self) -> Role:
        """Officers of a unit at the bottom of the tree; committees above it."""
        if self.org.level in (Level.BRANCH, Level.GROUP):
            return Role.OFFICER
        return Role.COMMITTEE


# --- a member's party life: admission, transfers ------------------------------------------


class AdmissionStage(models.TextChoices):
    """Where a candidate stands on the way into the Party (Điều lệ Đảng, Điều 4 and 5)."""

    CANDIDATE = "candidate", _("Quần chúng ưu tú")
    STUDIED = "studied", _("Đã học lớp bồi dưỡng nhận thức về Đảng")
    PROPOSED = "proposed", _("Chi bộ đề nghị kết nạp")
    ADMITTED = "admitted", _("Đã có quyết định kết nạp (dự bị)")
    OFFICIAL = "official", _("Đã là đảng viên chính thức")
    STOPPED = "stopped", _("Dừng xem xét")


# Stages after which nothing more happens to an admission.
ADMISSION_CLOSED_STAGES = (AdmissionStage.OFFICIAL, AdmissionStage.STOPPED)


class PaperForm(models.TextChoices):
    """The admission dossier, numbered as the forms of the Central Organisation Commission's
    guidance on party member work (Hướng dẫn 12-HD/BTCTW, 18/01/2022)."""

    APPLICATION = "1-KNĐ", _("Đơn xin vào Đảng")
    BIOGRAPHY = "2-KNĐ", _("Lý lịch của người xin vào Đảng")
    INTRODUCTION = "3-KNĐ", _("Giấy giới thiệu người vào Đảng")
    UNION_RESOLUTION = (
        "4-KNĐ",
        _("Nghị quyết giới thiệu đoàn viên ưu tú vào Đảng (của Đoàn; công đoàn dùng mẫu 4A-KNĐ)"),
    )
    OPINIONS = (
        "5-KNĐ",
        _(
            "Tổng hợp ý kiến nhận xét của tổ chức đoàn thể chính trị - xã hội nơi làm việc "
            "và chi ủy nơi cư trú"
        ),
    )
    CELL_RESOLUTION = "6-KNĐ", _("Nghị quyết đề nghị kết nạp đảng viên của chi bộ")
    SECTION_REPORT = (
        "7-KNĐ",
        _("Báo cáo thẩm định của đảng ủy bộ phận về nghị quyết đề nghị kết nạp của chi bộ"),
    )
    BASE_RESOLUTION = "8-KNĐ", _("Nghị quyết đề nghị kết nạp đảng viên của đảng ủy cơ sở")
    DECISION = "9-KNĐ", _("Quyết định kết nạp đảng viên")


# Papers a dossier may lack: 4-KNĐ only when the candidate is introduced by the Youth Union
# (or the trade union), 7-KNĐ only where a đảng ủy bộ phận stands between cell and base.
OPTIONAL_PAPERS = (PaperForm.UNION_RESOLUTION, PaperForm.SECTION_REPORT)
# Papers the candidate and the cell gather before the cell votes.
PAPERS_BEFORE_CELL_VOTE = (
    PaperForm.APPLICATION,
    PaperForm.BIOGRAPHY,
    PaperForm.INTRODUCTION,
    PaperForm.OPINIONS,
)


class AdmissionQuerySet(ScopedQuerySet["Admission"]):
    def open(self) -> Self:
        return self.exclude(stage__in=ADMISSION_CLOSED_STAGES)


class Admission(models.Model):
    """One candidate's way into the Party, tracked by the cell that proposes them."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="admissions")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="admissions")
    stage = models.CharField(
        _("giai đoạn"), max_length=16, choices=AdmissionStage.choices, default="candidate"
    )
    listed_on = models.DateField(_("ngày đưa vào danh sách quần chúng ưu tú"))
    course_completed_on = models.DateField(
        _("ngày hoàn thành lớp bồi dưỡng nhận thức về Đảng"), null=True, blank=True
    )
    course_certificate = models.CharField(_("số giấy chứng nhận"), max_length=40, blank=True)
    course_provider = models.CharField(_("nơi cấp giấy chứng nhận"), max_length=160, blank=True)
    cell_resolution_on = models.DateField(_("ngày nghị quyết của chi bộ"), null=True, blank=True)
    cell_resolution_number = models.CharField(
        _("số nghị quyết của chi bộ"), max_length=40, blank=True
    )
    decision_on = models.DateField(_("ngày quyết định kết nạp"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định kết nạp"), max_length=40, blank=True)
    decided_by = models.ForeignKey(
        Org,
        verbose_name=_("cấp ủy quyết định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ceremony_on = models.DateField(_("ngày tổ chức lễ kết nạp"), null=True, blank=True)
    membership = models.OneToOneField(
        "Membership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="admission",
    )
    stopped_on = models.DateField(_("ngày dừng xem xét"), null=True, blank=True)
    stop_reason = models.CharField(_("lý do dừng"), max_length=300, blank=True)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AdmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ kết nạp")
        verbose_name_plural = _("hồ sơ kết nạp")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=~Q(stage__in=["official", "stopped"]),
                name="admission_one_open_per_person",
            )
        ]
        indexes = [models.Index(fields=["org", "stage"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_stage_display()}"

    @property
    def is_open(self) -> bool:
        return self.stage not in ADMISSION_CLOSED_STAGES


class AdmissionPaper(models.Model):
    """One form of the admission dossier and the day the cell received it."""

    admission = models.ForeignKey(Admission, on_delete=models.PROTECT, related_name="papers")
    form = models.CharField(_("mẫu"), max_length=8, choices=PaperForm.choices)
    received_on = models.DateField(_("ngày nhận"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("giấy tờ hồ sơ kết nạp")
        constraints = [
            models.UniqueConstraint(fields=["admission", "form"], name="admission_paper_once")
        ]

    def __str__(self) -> str:
        return f"{self.form} · {self.admission_id}"


class TransferKind(models.TextChoices):
    OFFICIAL = "official", _("Chuyển sinh hoạt đảng chính thức")
    TEMPORARY = "temporary", _("Chuyển sinh hoạt đảng tạm thời")


class TemporaryPurpose(models.TextChoices):
    """Why a member goes elsewhere for a while; it bounds how long the stay may last."""

    WORK = "work", _("Thay đổi nơi công tác, nơi cư trú")
    STUDY = "study", _("Đi học tập trung trong nước")


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Chờ làm thủ tục giới thiệu")
    INTRODUCED = "introduced", _("Đã giới thiệu, chờ nơi đến tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    RETURNED = "returned", _("Đã trở về sinh hoạt tại đơn vị cũ")
    # Official transfer to a party organisation outside the system: the unit's part is done
    # when the letter is issued.
    DEPARTED = "departed", _("Đã chuyển đi ngoài hệ thống")
    CANCELLED = "cancelled", _("Đã hủy")


# Transfers still waiting for someone to act.
TRANSFER_PENDING_STATUSES = (TransferStatus.REQUESTED, TransferStatus.INTRODUCED)


class TransferQuerySet(ScopedQuerySet["Transfer"]):
    def visible_to(self, user: AnyUser, min_role: Role = Role.VIEWER) -> Self:
        """Transfers out of a readable subtree, and transfers into one."""
        scope = scope_for(user)
        return self.filter(
            scope.subtree_q("org__path", min_role) | scope.subtree_q("target__path", min_role)
        )

    def pending(self) -> Self:
        return self.filter(status__in=TRANSFER_PENDING_STATUSES)

    def hosted(self) -> Self:
        """Temporary stays under way: the member takes part at the host, counted at home."""
        return self.filter(kind=TransferKind.TEMPORARY, status=TransferStatus.RECEIVED)


class Transfer(models.Model):
    """Chuyển sinh hoạt đảng: a party member leaving their unit for another, for good or
    for a while. `org` is the unit they leave (their home while away on a temporary stay)."""

    membership = models.ForeignKey("Membership", on_delete=models.PROTECT, related_name="transfers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="transfers")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="transfers_out")
    kind = models.CharField(_("loại"), max_length=16, choices=TransferKind.choices)
    purpose = models.CharField(
        _("lý do tạm thời"), max_length=8, choices=TemporaryPurpose.choices, blank=True
    )
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=TransferStatus.choices, default="requested"
    )
    target = models.ForeignKey(
        Org,
        verbose_name=_("nơi đến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    # A destination outside the system: the party organisation named on the letter.
    target_text = models.CharField(_("nơi đến (ngoài hệ thống)"), max_length=200, blank=True)
    cause_on = models.DateField(_("ngày có quyết định hoặc thay đổi nơi ở"))
    reason = models.CharField(_("lý do"), max_length=300, blank=True)
    introduced_on = models.DateField(_("ngày giới thiệu"), null=True, blank=True)
    letter_number = models.CharField(_("số giấy giới thiệu"), max_length=40, blank=True)
    received_on = models.DateField(_("ngày nơi đến tiếp nhận"), null=True, blank=True)
    starts_on = models.DateField(_("sinh hoạt tạm thời từ"), null=True, blank=True)
    ends_on = models.DateField(_("sinh hoạt tạm thời đến"), null=True, blank=True)
    returned_on = models.DateField(_("ngày trở về"), null=True, blank=True)
    cancelled_on = models.DateField(_("ngày hủy"), null=True, blank=True)
    cancel_reason = models.CharField(_("lý do hủy"), max_length=300, blank=True)
    arrived = models.OneToOneField(
        "Membership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="arrived_by",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("chuyển sinh hoạt đảng")
        verbose_name_plural = _("chuyển sinh hoạt đảng")
        indexes = [
            models.Index(fields=["org", "status"]),
            models.Index(fields=["target", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()}"

    @property
    def destination(self) -> str:
        return self.target.name if self.target_id and self.target else self.target_text
