"""Reads of the org tree, always narrowed by the scoping layer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chibo.core.roles import Role
from chibo.core.scoping import get_for, scope_for
from chibo.core.vntext import fold
from chibo.orgs.models import Org, OrgQuerySet

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser


def org_get_for(*, user: AnyUser, code: str, min_role: Role = Role.MEMBER) -> Org:
    """The org with this code if the user may open it, else 404."""
    return get_for(Org.objects.visible_to(user, min_role), code=code)


def org_roots_for(*, user: AnyUser) -> OrgQuerySet:
    """The top orgs of the user's visible forest (where the tree browser starts)."""
    scope = scope_for(user)
    if scope.everything:
        return Org.objects.filter(depth=1)
    roots = set(scope.roots(Role.VIEWER)) | set(scope.member_units())
    minimal = [p for p in roots if not any(p != r and p.startswith(r) for r in roots)]
    return Org.objects.filter(path__in=minimal)


def org_children(*, user: AnyUser, org: Org) -> OrgQuerySet:
    return Org.objects.visible_to(user).filter(
        path__startswith=org.path, depth=org.depth + 1
    )


def org_search(*, user: AnyUser, query: str, limit: int = 50) -> OrgQuerySet:
    folded = fold(query)
    orgs = Org.objects.visible_to(user, Role.MEMBER)
    if folded:
        orgs = orgs.filter(search_text__contains=folded)
    return orgs[:limit]


def org_ancestors_visible(*, user: AnyUser, org: Org) -> list[Org]:
    """Breadcrumb: the org's ancestors the user may open, top first."""
    paths = org.ancestor_paths()
    if not paths:
        return []
    return list(Org.objects.visible_to(user, Role.MEMBER).filter(path__in=paths))
