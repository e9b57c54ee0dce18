"""The one scoping layer: who may see and change what, by position in the org tree.

A user's Scope is a set of (org path, role) pairs. A role at an org covers the org's
whole subtree (materialized paths make that a prefix test), except MEMBER, which covers
the unit itself. Every page, API endpoint, export and task narrows its querysets with
`visible_to(user)` and fetches single objects with `get_for(...)`, which answers 404 for
anything outside the scope: it never tells an outsider that an object exists.

Core knows nothing of persons or positions: the app that does registers the resolver
that turns a user into a Scope. Without a resolver every user sees nothing (fails closed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self, TypeAlias, TypeVar

from django.core.exceptions import (
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import models
from django.db.models import Q
from django.http import Http404

from chibo.core.roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from chibo.core.models import User

    AnyUser: TypeAlias = User | AnonymousUser


@dataclass(frozen=True)
class Scope:
    grants: tuple[tuple[str, Role], ...] = ()
    everything: bool = False
    person_id: int | None = None
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def roots(self, min_role: Role = Role.VIEWER) -> tuple[str, ...]:
        """Subtree roots where the user holds at least `min_role`, none inside another.

        A MEMBER grant roots no subtree (it covers its unit alone, see `role_at`), so asking
        for MEMBER gives the roots of VIEWER: the member's units come from `member_units`.
        """
        min_role = max(min_role, Role.VIEWER)
        key = f"roots:{min_role}"
        if key not in self._cache:
            paths = sorted({path for path, role in self.grants if role >= min_role})
            minimal: list[str] = []
            for path in paths:
                if not any(path.startswith(root) for root in minimal):
                    minimal.append(path)
            self._cache[key] = tuple(minimal)
        return self._cache[key]  # type: ignore[no-any-return]

    def member_units(self) -> tuple[str, ...]:
        return tuple(sorted({path for path, role in self.grants if role == Role.MEMBER}))

    def role_at(self, path: str) -> Role | None:
        """The strongest role the user holds over the org at `path`."""
        if self.everything:
            return Role.ADMIN
        best: Role | None = None
        for grant_path, role in self.grants:
            covers = grant_path == path if role == Role.MEMBER else path.startswith(grant_path)
            if covers and (best is None or role > best):
                best = role
        return best

    def can(self, path: str, min_role: Role) -> bool:
        role = self.role_at(path)
        return role is not None and role >= min_role

    def subtree_q(self, path_field: str, min_role: Role = Role.VIEWER) -> Q:
        """Q matching rows whose org path lies in a subtree where the user has `min_role`.

        Never wider than VIEWER's subtrees, even for `min_role=MEMBER`: a member of a unit
        with units below it must not read theirs. Rows of the member's own units need
        `units_q`, which `ScopedQuerySet.visible_to` uses for MEMBER.
        """
        if self.everything:
            return Q()
        query = Q(pk__in=[])
        for root in self.roots(min_role):
            query |= Q(**{f"{path_field}__startswith": root})
        return query

    def units_q(self, path_field: str) -> Q:
        """Q matching the user's own units (MEMBER role) and every subtree they can read."""
        query = self.subtree_q(path_field, Role.VIEWER)
        units = self.member_units()
        if units and not self.everything:
            query |= Q(**{f"{path_field}__in": units})
        return query


EMPTY_SCOPE = Scope()
ScopeResolver = Callable[["AnyUser"], Scope]
_resolver: list[ScopeResolver] = []


def register_scope_resolver(resolver: ScopeResolver) -> None:
    _resolver[:] = [resolver]


def scope_for(user: AnyUser) -> Scope:
    """The user's scope, computed once per user object (so once per request)."""
    if not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    cached: Scope | None = getattr(user, "_chibo_scope", None)
    if cached is None:
        cached = _resolver[0](user) if _resolver else EMPTY_SCOPE
        setattr(user, "_chibo_scope", cached)  # noqa: B010 - a per-request cache, not a field
    return cached


def forget_scope(user: AnyUser) -> None:
    """Drop the cached scope after the user's grants or positions changed."""
    if hasattr(user, "_chibo_scope"):
        delattr(user, "_chibo_scope")


_Row = TypeVar("_Row", bound=models.Model)


class ScopedQuerySet(models.QuerySet[_Row, _Row]):
    """A queryset that knows the path of the org owning each row."""

    scope_path_field = "org__path"

    def visible_to(self, user: AnyUser, min_role: Role = Role.VIEWER) -> Self:
        """Rows in the user's subtrees of at least `min_role`; at MEMBER, also the rows of
        the user's own units, but not of the units below them (see `Scope.role_at`)."""
        scope = scope_for(user)
        if min_role <= Role.MEMBER:
            return self.filter(scope.units_q(self.scope_path_field))
        return self.filter(scope.subtree_q(self.scope_path_field, min_role))


M = TypeVar("M", bound=models.Model)


def get_for(queryset: models.QuerySet[M], **lookup: Any) -> M:
    """One object from an already scoped queryset, or 404.

    A value that cannot name an object at all (`document=abc` posted by hand, a list, an
    id too large for the column) is answered like an unknown one: 404, not a server error.
    """
    try:
        return queryset.get(**lookup)
    except (
        ObjectDoesNotExist,
        MultipleObjectsReturned,
        ValueError,
        TypeError,
        OverflowError,
        ValidationError,
    ):
        raise Http404 from None


def require_role(user: AnyUser, path: str, min_role: Role) -> None:
    """404 when the org is outside the user's scope, 403 when visible but not allowed."""
    scope = scope_for(user)
    role = scope.role_at(path)
    if role is None:
        raise Http404
    if role < min_role:
        raise PermissionDenied


def paths_within(paths: Iterable[str], scope: Scope, min_role: Role = Role.VIEWER) -> list[str]:
    return [path for path in paths if scope.can(path, min_role)]
