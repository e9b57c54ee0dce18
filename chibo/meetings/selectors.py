"""Which meetings a user may open: the one scope condition every page, API route, feed and
reminder of the meetings app goes through.

A plain member (MEMBER role, their own unit only) reads their unit's meetings; readers
(VIEWER and above) every meeting of their subtrees. Writes ask for a stronger role, which
is the subtree condition of ScopedQuerySet.visible_to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from chibo.core.roles import Role
from chibo.core.scoping import get_for, scope_for
from chibo.meetings.models import Meeting

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser


def meeting_scope_q(
    user: AnyUser, min_role: Role = Role.MEMBER, path_field: str = "org__path"
) -> Q:
    """Q over meetings (or rows reaching a meeting's org through `path_field`) the user
    may open with at least `min_role`."""
    scope = scope_for(user)
    if min_role <= Role.MEMBER:
        return scope.units_q(path_field)
    return scope.subtree_q(path_field, min_role)


def meetings_visible_to(user: AnyUser, min_role: Role = Role.MEMBER) -> QuerySet[Meeting]:
    if min_role > Role.MEMBER:
        return Meeting.objects.visible_to(user, min_role)
    return Meeting.objects.filter(meeting_scope_q(user))


def meeting_get_for(*, user: AnyUser, meeting_id: int, min_role: Role = Role.MEMBER) -> Meeting:
    """The meeting if the user may open it, with what its pages and the API show of it;
    anything else is 404."""
    return get_for(
        meetings_visible_to(user, min_role).select_related(
            "org", "chair", "minute_taker", "topic", "topic__theme"
        ),
        pk=meeting_id,
    )
