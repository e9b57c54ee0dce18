"""Reads of people and memberships, always narrowed by the scoping layer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from chibo.core.models import AuditEntry, User
from chibo.core.roles import Role
from chibo.core.scoping import get_for, scope_for
from chibo.core.vntext import fold
from chibo.orgs.models import Family, Grant, Level, Org
from chibo.orgs.selectors import org_ancestors_visible, org_get_for
from chibo.people.models import Membership, MembershipStatus, Person, Position, Title

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser

# What a member list shows unless a status is chosen: people taking part in the unit's life.
ON_ROLL_STATUSES = (
    MembershipStatus.PROBATIONARY,
    MembershipStatus.OFFICIAL,
    MembershipStatus.EXEMPT,
    MembershipStatus.SUSPENDED,
    MembershipStatus.TRANSFERRED_OUT,
    MembershipStatus.ACTIVE,
)


def member_list(
    *,
    user: AnyUser,
    org: Org,
    query: str = "",
    status: str = "",
    descendants: bool = False,
) -> QuerySet[Membership]:
    """Memberships of `org` (or its subtree) the user may read, in Vietnamese name order."""
    memberships = Membership.objects.visible_to(user).on_roll_or_closed_by_status()
    if descendants:
        memberships = memberships.filter(org__path__startswith=org.path)
    else:
        memberships = memberships.filter(org=org)
    if status:
        memberships = memberships.filter(status=status)
    else:
        memberships = memberships.filter(ended_on__isnull=True, status__in=ON_ROLL_STATUSES)
    folded = fold(query)
    if folded:
        memberships = memberships.filter(person__search_text__contains=folded)
    return memberships.select_related("person", "org").order_by("person__sort_key", "person_id")


def person_get_for(*, user: AnyUser, person_id: int) -> Person:
    return get_for(Person.objects.visible_to(user), pk=person_id)


def person_can_edit(*, user: AnyUser, person: Person) -> bool:
    scope = scope_for(user)
    if scope.everything:
        return True
    paths = Membership.objects.current().filter(person=person).values_list("org__path", flat=True)
    return any(scope.can(path, Role.OFFICER) for path in paths)


def person_memberships(*, person: Person) -> QuerySet[Membership]:
    return person.memberships.select_related("org").order_by("-ended_on", "started_on", "pk")


def person_positions(*, person: Person) -> QuerySet[Position]:
    return person.positions.select_related("org").order_by("-started_on")


def person_history(*, person: Person, limit: int = 100) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(person_id=person.pk).select_related("actor")[:limit]


def org_officers(*, org: Org) -> QuerySet[Position]:
    return Position.objects.current().filter(org=org).select_related("person").order_by("title")


def org_member_counts(*, org: Org) -> list[dict[str, object]]:
    """Current members of the org's subtree by family and status, in one query."""
    rows = (
        Membership.objects.current()
        .filter(org__path__startswith=org.path)
        .values("family", "status")
        .annotate(count=Count("id"))
        .order_by("family", "status")
    )
    return list(rows)


def org_history(*, user: AnyUser, org: Org, limit: int = 50) -> QuerySet[AuditEntry]:
    """Audit entries of the org's subtree, for officers of it."""
    visible_orgs = Org.objects.visible_to(user, Role.OFFICER).filter(path__startswith=org.path)
    return AuditEntry.objects.filter(org_id__in=visible_orgs.values("id")).select_related("actor")[
        :limit
    ]


def _sees_whole_record(user: AnyUser, person: Person) -> bool:
    scope = scope_for(user)
    return scope.everything or (scope.person_id is not None and scope.person_id == person.pk)


def person_memberships_for(*, user: AnyUser, person: Person) -> QuerySet[Membership]:
    """The person's memberships the user may read: all of them on one's own profile,
    otherwise only those in the user's readable subtrees (a women's union head does not
    read the party records of her members)."""
    memberships = person_memberships(person=person)
    if _sees_whole_record(user, person):
        return memberships
    return memberships.filter(scope_for(user).subtree_q("org__path", Role.VIEWER))


def person_positions_for(*, user: AnyUser, person: Person) -> QuerySet[Position]:
    """The person's positions the user may read, by the same rule as memberships."""
    positions = person_positions(person=person)
    if _sees_whole_record(user, person):
        return positions
    return positions.filter(scope_for(user).subtree_q("org__path", Role.VIEWER))


@dataclass(frozen=True)
class OrgOverview:
    org: Org
    parent: Org | None
    officers: list[Position]
    # None when the user may open the org only as one of its members.
    member_counts: list[dict[str, object]] | None


def org_overview(*, user: AnyUser, code: str) -> OrgOverview:
    """An org with its visible parent, current officers and, for readers of its subtree,
    member counts by family and status; 404 outside the user's scope."""
    org = org_get_for(user=user, code=code)
    ancestors = org_ancestors_visible(user=user, org=org)
    parent = ancestors[-1] if ancestors and ancestors[-1].depth == org.depth - 1 else None
    counts = org_member_counts(org=org) if scope_for(user).can(org.path, Role.VIEWER) else None
    # By rank, the order Title declares the offices in (Bí thư first), then by name.
    rank = {title: index for index, title in enumerate(Title.values)}
    officers = sorted(
        org_officers(org=org), key=lambda p: (rank.get(p.title, len(rank)), p.person.sort_key)
    )
    return OrgOverview(org=org, parent=parent, officers=officers, member_counts=counts)


def org_member_totals(*, orgs: Sequence[Org]) -> dict[int, int]:
    """Current members of each org's subtree, for a handful of orgs, in one query."""
    if not orgs:
        return {}
    prefixes = Q(pk__in=[])
    counts: dict[str, Count] = {}
    for org in orgs:
        prefixes |= Q(org__path__startswith=org.path)
        counts[f"org_{org.pk}"] = Count("id", filter=Q(org__path__startswith=org.path))
    row = Membership.objects.current().filter(prefixes).aggregate(**counts)
    return {org.pk: int(row[f"org_{org.pk}"] or 0) for org in orgs}


def person_editable_memberships(*, user: AnyUser, person: Person) -> list[Membership]:
    """The person's current memberships in units where the user is an officer or above."""
    scope = scope_for(user)
    memberships = Membership.objects.current().filter(person=person).select_related("org")
    return [m for m in memberships.order_by("pk") if scope.can(m.org.path, Role.OFFICER)]


def grant_list_for(*, user: AnyUser, org: Org) -> QuerySet[Grant]:
    """Active grants in the org's subtree, for its administrators."""
    return (
        Grant.objects.visible_to(user, Role.ADMIN)
        .active()
        .filter(org__path__startswith=org.path)
        .select_related("user", "org", "granted_by")
        .order_by("org__path", "-role", "user__username")
    )


def grant_get_for(*, user: AnyUser, org: Org, grant_id: int) -> Grant:
    return get_for(grant_list_for(user=user, org=org), pk=grant_id)


def _subtree_users(org: Org) -> QuerySet[User]:
    on_roll = Membership.objects.current().filter(
        person__user=OuterRef("pk"), org__path__startswith=org.path
    )
    return User.objects.filter(is_active=True).filter(Exists(on_roll))


def grant_user_candidates(*, org: Org, limit: int = 300) -> list[tuple[str, str]]:
    """(username, full name) of people on the subtree's rolls who have a login."""
    rows = (
        _subtree_users(org)
        .order_by("person__sort_key", "username")
        .values_list("username", "person__full_name")[:limit]
    )
    return [(username, name or "") for username, name in rows]


def grant_user_lookup(*, org: Org, username: str) -> User | None:
    """The login called `username`, if it belongs to someone on the subtree's rolls."""
    return _subtree_users(org).filter(username=username.strip()).first()


def person_history_for(*, user: AnyUser, person: Person, limit: int = 100) -> QuerySet[AuditEntry]:
    """The person's history the user may read: changes to the personal record itself, and
    changes to memberships, positions and grants in orgs the user reads (a women's union
    head does not read the party cell's entries, card numbers included)."""
    entries = AuditEntry.objects.filter(person_id=person.pk).select_related("actor")
    if not _sees_whole_record(user, person):
        readable = Org.objects.visible_to(user, Role.VIEWER).order_by().values("id")
        entries = entries.filter(Q(subject_type=Person._meta.label_lower) | Q(org_id__in=readable))
    return entries[:limit]


# --- management pages ---------------------------------------------------------------------


def org_current_members(*, user: AnyUser, org: Org) -> list[Membership]:
    """Everyone on the org's own roll today, as far as the user reads, in Vietnamese order."""
    return list(
        Membership.objects.visible_to(user)
        .current()
        .filter(org=org)
        .select_related("person")
        .order_by("person__sort_key", "person_id")
    )


def _position_pool(*, user: AnyUser, org: Org) -> QuerySet[Membership]:
    # A cell's officers come from its own roll; a grassroots committee and those above it
    # are elected from the members of the cells below.
    memberships = Membership.objects.visible_to(user, Role.OFFICER).current()
    if org.level in (Level.BRANCH, Level.GROUP):
        return memberships.filter(org=org)
    return memberships.filter(org__path__startswith=org.path)


def position_candidates(
    *, user: AnyUser, org: Org, query: str = "", limit: int = 300
) -> list[Membership]:
    """Who may be given an office in `org`, in Vietnamese name order; a name typed without
    diacritics narrows a long list."""
    memberships = _position_pool(user=user, org=org)
    folded = fold(query)
    if folded:
        memberships = memberships.filter(person__search_text__contains=folded)
    return list(
        memberships.select_related("person", "org").order_by("person__sort_key", "person_id")[
            :limit
        ]
    )


def position_candidate(*, user: AnyUser, org: Org, person_id: int) -> Person | None:
    membership = (
        _position_pool(user=user, org=org)
        .filter(person_id=person_id)
        .select_related("person")
        .first()
    )
    return membership.person if membership else None


def position_get_for(*, user: AnyUser, position_id: int) -> Position:
    """A position the user may change (officer of its org or above), else 404."""
    return get_for(
        Position.objects.visible_to(user, Role.OFFICER).select_related("person", "org"),
        pk=position_id,
    )


def position_titles_for(*, org: Org) -> list[str]:
    """The offices a unit of this family and level has, in rank order."""
    if org.level == Level.GROUP:
        return [Title.GROUP_HEAD]
    if org.family in (Family.PARTY, Family.YOUTH):
        if org.level == Level.BRANCH:
            return [Title.SECRETARY, Title.DEPUTY_SECRETARY, Title.COMMITTEE_MEMBER]
        return [
            Title.SECRETARY,
            Title.DEPUTY_SECRETARY,
            Title.STANDING_MEMBER,
            Title.COMMITTEE_MEMBER,
        ]
    if org.level == Level.BRANCH:
        return [Title.BRANCH_HEAD, Title.BRANCH_DEPUTY]
    return [Title.CHAIR, Title.VICE_CHAIR, Title.STANDING_MEMBER, Title.COMMITTEE_MEMBER]


def person_can_admin(*, user: AnyUser, person: Person) -> bool:
    """Whether the user administers one of the units the person is on the roll of."""
    scope = scope_for(user)
    if scope.everything:
        return True
    paths = Membership.objects.current().filter(person=person).values_list("org__path", flat=True)
    return any(scope.can(path, Role.ADMIN) for path in paths)


def person_login(*, person: Person) -> User | None:
    return User.objects.filter(pk=person.user_id).first() if person.user_id else None


def person_username_suggestion(*, person: Person) -> str:
    """A free login name from the person's name without diacritics: 'nguyenvanan', or
    'nguyenvanan2' when that one is taken."""
    base = "".join(ch for ch in fold(person.full_name) if ch.isalnum())[:26] or "nguoidung"
    taken = {
        name.lower()
        for name in User.objects.filter(username__istartswith=base).values_list(
            "username", flat=True
        )
    }
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"
