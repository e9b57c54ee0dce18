"""The materialized path of the org tree, for code that walks it without loading orgs.

Every org's path is its parent's path plus one step of STEPLEN characters (treebeard's
MP_Node), so the paths above an org are the prefixes of its path at every step. This
module is the one place that slices paths into their ancestors; `Org.steplen` is set from
STEPLEN so the two cannot drift apart.

Rows an org issues for its whole subtree (study themes, documents, emulation movements)
read through `ReachingQuerySet`: a unit sees what its own org and every org above it
issued, whichever app owns the rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Self, TypeVar

from django.db import models
from django.db.models import Q

from chibo.core.roles import Role
from chibo.core.scoping import ScopedQuerySet, scope_for

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser
    from chibo.orgs.models import Org

# treebeard's default step; a path of depth d holds d * STEPLEN characters.
STEPLEN: Final = 4

_Row = TypeVar("_Row", bound=models.Model)


def ancestor_paths(path: str, *, include_self: bool = False) -> list[str]:
    """The paths of the orgs above the org at `path`, top first, and with `include_self`
    the org's own path last."""
    end = len(path) if include_self else len(path) - STEPLEN
    return [path[:stop] for stop in range(STEPLEN, end + 1, STEPLEN)]


class ReachingQuerySet(ScopedQuerySet[_Row]):
    """Rows issued by an org for its whole subtree: a unit reads what its own org and
    every org above it issued, as well as everything inside the subtrees it may read."""

    def reaching(self, org: Org) -> Self:
        """Rows issued by the org or any org above it: they reach every unit below."""
        field = f"{self.scope_path_field}__in"
        return self.filter(**{field: ancestor_paths(org.path, include_self=True)})

    def visible_to(self, user: AnyUser, min_role: Role = Role.VIEWER) -> Self:
        """Rows of the user's subtrees of at least `min_role`; at MEMBER, also the rows that
        reach the user's own units and the tops of the subtrees the user may read."""
        scope = scope_for(user)
        if scope.everything:
            return self
        query = scope.subtree_q(self.scope_path_field, min_role)
        if min_role <= Role.MEMBER:
            units = [*scope.member_units(), *scope.roots(Role.VIEWER)]
            above = {
                ancestor for path in units for ancestor in ancestor_paths(path, include_self=True)
            }
            query |= Q(**{f"{self.scope_path_field}__in": sorted(above)})
        return self.filter(query)
