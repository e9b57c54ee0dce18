"""Study themes pushed down the tree (chuyên đề học tập), and what units and members do with them.

A theme is issued by a committee for its whole subtree: the annual theme (chuyên đề năm) or
the term-wide one (chuyên đề toàn khóa) of a congress term. Cells also pick issued themes as
the topics of their thematic meetings (chibo.meetings builds on this app, never the reverse).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.roles import Role
from chibo.core.scoping import ScopedQuerySet, scope_for
from chibo.orgs.models import Org

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser


class ThemeKind(models.TextChoices):
    ANNUAL = "annual", _("Chuyên đề năm")
    TERM = "term", _("Chuyên đề toàn khóa")


class ThemeQuerySet(ScopedQuerySet["Theme"]):
    def reaching(self, org: Org) -> Self:
        """Themes issued by the org or any org above it: they reach every unit below."""
        ancestors = [org.path[:end] for end in range(Org.steplen, len(org.path) + 1, Org.steplen)]
        return self.filter(org__path__in=ancestors)

    def visible_to(self, user: AnyUser, min_role: Role = Role.VIEWER) -> Self:
        """Themes of the user's subtrees, and the themes that reach the user's own units."""
        scope = scope_for(user)
        if scope.everything:
            return self
        query = scope.subtree_q("org__path", min_role)
        if min_role <= Role.MEMBER:
            units = list(scope.member_units()) + list(scope.roots(Role.VIEWER))
            ancestors = {
                path[:end]
                for path in units
                for end in range(Org.steplen, len(path) + 1, Org.steplen)
            }
            query |= Q(org__path__in=sorted(ancestors))
        return self.filter(query)


class Theme(models.Model):
    """Chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="themes")
    kind = models.CharField(_("loại"), max_length=8, choices=ThemeKind.choices)
    title = models.CharField(_("tên chuyên đề"), max_length=300)
    year = models.PositiveSmallIntegerField(_("năm"))
    # A term-wide theme covers the congress term (e.g. 2025–2030); an annual one, its year.
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    summary = models.TextField(_("nội dung chính"), blank=True)
    issued_on = models.DateField(_("ngày ban hành"), default=timezone.localdate)
    document_number = models.CharField(_("số văn bản"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("chuyên đề")
        verbose_name_plural = _("chuyên đề")
        ordering = ["-year", "title"]
        indexes = [models.Index(fields=["org", "year"])]

    def __str__(self) -> str:
        return self.title

    def covers(self, year: int) -> bool:
        return self.year <= year <= self.end_year
