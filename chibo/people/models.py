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
        """People with a current membership in a readable subtree, and the user's own record."""
        scope = scope_for(user)
        if scope.everything:
            return self.all()
        in_scope = Membership.objects.filter(person=OuterRef("pk"), ended_on__isnull=True).filter(
            scope.subtree_q("org__path", min_role)
        )
        own = Q(pk=scope.person_id) if scope.person_id else Q(pk__in=[])
        return self.filter(own | Exists(in_scope))


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
    MembershipStatus.DECEASED,
    MembershipStatus.LEFT,
)
ASSOCIATION_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.LEFT, MembershipStatus.DECEASED)
# Statuses that close a membership: the person is no longer on the unit's roll.
CLOSING_STATUSES = (
    MembershipStatus.REMOVED,
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
