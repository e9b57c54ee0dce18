from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from chibo.core.fields import TreePathField
from chibo.core.roles import Role
from chibo.core.scoping import ScopedQuerySet, scope_for
from chibo.orgs import divisions, tree

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser


class Family(models.TextChoices):
    PARTY = "party", _("Đảng")
    WOMEN = "women", _("Hội Liên hiệp Phụ nữ")
    FARMERS = "farmers", _("Hội Nông dân")
    VETERANS = "veterans", _("Hội Cựu chiến binh")
    YOUTH = "youth", _("Đoàn Thanh niên")
    FRONT = "front", _("Mặt trận Tổ quốc")
    TRADE_UNION = "trade_union", _("Công đoàn")


class Level(models.TextChoices):
    CENTRAL = "central", _("Trung ương")
    PROVINCE = "province", _("Tỉnh, thành phố")
    DISTRICT = "district", _("Huyện (trước 2025)")
    BASE = "base", _("Cơ sở")
    BRANCH = "branch", _("Chi bộ, chi hội, chi đoàn")
    GROUP = "group", _("Tổ")


class OrgStatus(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    MERGED = "merged", _("Đã hợp nhất")
    DISSOLVED = "dissolved", _("Đã giải thể")


class OrgQuerySet(MP_NodeQuerySet["Org"]):
    def visible_to(self, user: AnyUser, min_role: Role = Role.VIEWER) -> Self:
        """Orgs the user may open: readable subtrees, plus their own units as members."""
        scope = scope_for(user)
        if min_role <= Role.MEMBER:
            return self.filter(scope.units_q("path"))
        return self.filter(scope.subtree_q("path", min_role))

    def active(self) -> Self:
        return self.filter(status=OrgStatus.ACTIVE)

    def descendants_of(self, org: Org, *, include_self: bool = True) -> Self:
        query = self.filter(path__startswith=org.path)
        return query if include_self else query.exclude(pk=org.pk)


class OrgManager(MP_NodeManager["Org"]):
    def get_queryset(self) -> OrgQuerySet:
        return OrgQuerySet(self.model, using=self._db).order_by("path")

    def visible_to(self, user: AnyUser, min_role: Role = Role.VIEWER) -> OrgQuerySet:
        return self.get_queryset().visible_to(user, min_role)


class Org(MP_Node):
    """An organisation: đảng bộ, chi bộ, hội, chi hội, đoàn, chi đoàn … at any depth."""

    # Stated, not inherited, so treebeard and the path slicing of chibo.orgs.tree agree.
    steplen = tree.STEPLEN

    path = TreePathField(max_length=255, unique=True)
    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên ngắn"), max_length=80, blank=True)
    family = models.CharField(_("hệ thống"), max_length=16, choices=Family.choices)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=OrgStatus.choices, default=OrgStatus.ACTIVE
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("hợp nhất vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    ended_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    province_code = models.PositiveSmallIntegerField(_("tỉnh, thành phố"), null=True, blank=True)
    ward_code = models.PositiveIntegerField(_("xã, phường"), null=True, blank=True)
    hamlet = models.CharField(_("thôn, xóm, tổ dân phố"), max_length=120, blank=True)
    search_text = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[OrgManager] = OrgManager()

    class Meta:
        verbose_name = _("tổ chức")
        verbose_name_plural = _("tổ chức")
        indexes = [models.Index(fields=["family", "level"])]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_active(self) -> bool:
        return self.status == OrgStatus.ACTIVE

    @property
    def place(self) -> str:
        parts = [self.hamlet, divisions.ward_name(self.ward_code)]
        parts.append(divisions.province_name(self.province_code))
        return ", ".join(part for part in parts if part)

    @property
    def parent_path(self) -> str:
        return str(self.path[: -self.steplen])

    def ancestor_paths(self) -> list[str]:
        """The paths of the orgs above this one, top first."""
        return tree.ancestor_paths(self.path)


class GrantQuerySet(ScopedQuerySet["Grant"]):
    def active(self) -> Self:
        return self.filter(revoked_at__isnull=True)


class Grant(models.Model):
    """An explicit role for a user over an org's subtree, added to what positions give."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grants"
    )
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="grants")
    role = models.PositiveSmallIntegerField(_("quyền"), choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = GrantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "org", "role"],
                condition=Q(revoked_at__isnull=True),
                name="grant_unique_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.org}"

    def as_dict(self) -> dict[str, Any]:
        return {"user": self.user_id, "org": self.org_id, "role": self.role}
