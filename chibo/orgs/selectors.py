"""Reads of the org tree, always narrowed by the scoping layer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr

from chibo.core.roles import Role
from chibo.core.scoping import get_for, scope_for
from chibo.core.vntext import collation_key, fold
from chibo.orgs import divisions
from chibo.orgs.models import Level, Org, OrgQuerySet

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser


def org_get_for(*, user: AnyUser, code: str, min_role: Role = Role.MEMBER) -> Org:
    """The org with this code if the user may open it, else 404."""
    return get_for(Org.objects.visible_to(user, min_role), code=code)


def org_roots_for(*, user: AnyUser) -> QuerySet[Org]:
    """The top orgs of the user's visible forest (where the tree browser starts)."""
    scope = scope_for(user)
    if scope.everything:
        return Org.objects.filter(depth=1)
    roots = set(scope.roots(Role.VIEWER)) | set(scope.member_units())
    minimal = [p for p in roots if not any(p != r and p.startswith(r) for r in roots)]
    return Org.objects.filter(path__in=minimal)


def org_children(*, user: AnyUser, org: Org) -> QuerySet[Org]:
    return Org.objects.visible_to(user).filter(path__startswith=org.path, depth=org.depth + 1)


def org_search(*, user: AnyUser, query: str, limit: int = 50) -> QuerySet[Org]:
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


def org_list(*, user: AnyUser, query: str = "", family: str = "", level: str = "") -> QuerySet[Org]:
    """Every org the user may open, in tree order, each with `parent_code` annotated.

    The parent's code is given only when the user may open the parent too, so a member
    of a cell does not learn the code of the committee above it.
    """
    scope = scope_for(user)
    steplen = Org.steplen
    parent = Org.objects.filter(scope.units_q("path")).filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - steplen)
    )
    orgs = Org.objects.visible_to(user, Role.MEMBER)
    folded = fold(query)
    if folded:
        orgs = orgs.filter(search_text__contains=folded)
    if family:
        orgs = orgs.filter(family=family)
    if level:
        orgs = orgs.filter(level=level)
    annotated: OrgQuerySet = orgs.annotate(parent_code=Subquery(parent.values("code")[:1]))
    return annotated.order_by("path")


def org_units_for(*, user: AnyUser) -> list[tuple[Org, Role]]:
    """The orgs the user belongs to or works for (member, officer, committee, admin), each
    with the user's role there. Read-only watch grants are not units: see org_roots_with_role."""
    scope = scope_for(user)
    paths = {path for path, role in scope.grants if role != Role.VIEWER}
    if not paths:
        return []
    units: list[tuple[Org, Role]] = []
    for org in Org.objects.filter(path__in=paths):
        role = scope.role_at(org.path)
        if role is not None:
            units.append((org, role))
    return units


def org_roots_with_role(*, user: AnyUser, min_role: Role = Role.VIEWER) -> QuerySet[Org]:
    """Tops of the subtrees the user reads as a whole (an upper level's watch list)."""
    scope = scope_for(user)
    if scope.everything:
        return Org.objects.filter(depth=1)
    return Org.objects.filter(path__in=scope.roots(min_role))


def org_merge_links(*, user: AnyUser, org: Org) -> tuple[Org | None, list[Org]]:
    """Where a merged org went and which orgs were merged into it, as far as the user sees."""
    visible = Org.objects.visible_to(user, Role.MEMBER)
    target = visible.filter(pk=org.merged_into_id).first() if org.merged_into_id else None
    return target, list(visible.filter(merged_into=org))


def org_subtree_for(*, user: AnyUser, org: Org, min_role: Role, limit: int = 500) -> list[Org]:
    """The org and its descendants where the user holds `min_role`, in tree order."""
    return list(Org.objects.visible_to(user, min_role).filter(path__startswith=org.path)[:limit])


def org_restructure_targets(
    *, user: AnyUser, org: Org, min_role: Role = Role.COMMITTEE, limit: int = 500
) -> list[Org]:
    """Active orgs of the same family, outside `org`'s own subtree, where the user holds
    `min_role`: where the org may be moved under, or merged into."""
    return list(
        Org.objects.visible_to(user, min_role)
        .active()
        .filter(family=org.family)
        .exclude(path__startswith=org.path)[:limit]
    )


# --- places and new orgs -------------------------------------------------------------------

# Division names may start with their kind ("Thành phố Hà Nội", "Xã Đại Từ"); people look
# a place up by the name after it.
_DIVISION_KINDS = ("Thành phố ", "Đặc khu ", "Phường ", "Xã ")


def _division_key(name: str) -> str:
    for kind in _DIVISION_KINDS:
        if name.startswith(kind):
            return collation_key(name[len(kind) :]) + collation_key(kind)
    return collation_key(name)


def division_provinces() -> list[tuple[int, str]]:
    """The provinces after the 2025 reform, in Vietnamese alphabetical order (Hà Nội under H)."""
    return sorted(divisions.province_choices(), key=lambda choice: _division_key(choice[1]))


def division_communes(province_code: int | None) -> list[tuple[int, str]]:
    """The communes and wards of a province, by their proper name (Đại Từ under Đ,
    whether it is a xã or a phường); empty for an unknown province."""
    if province_code is None or not divisions.province_name(province_code):
        return []
    return sorted(
        divisions.ward_choices(province_code), key=lambda choice: _division_key(choice[1])
    )


# Levels from the top of the tree down; districts were abolished in 2025, so the level
# offered first below a province is the grassroots one.
LEVEL_ORDER: tuple[str, ...] = (
    Level.CENTRAL,
    Level.PROVINCE,
    Level.DISTRICT,
    Level.BASE,
    Level.BRANCH,
    Level.GROUP,
)
_NEXT_LEVEL = {
    Level.CENTRAL: Level.PROVINCE,
    Level.PROVINCE: Level.BASE,
    Level.DISTRICT: Level.BASE,
    Level.BASE: Level.BRANCH,
    Level.BRANCH: Level.GROUP,
    Level.GROUP: Level.GROUP,
}


def org_child_level_default(*, parent: Org) -> str:
    return str(_NEXT_LEVEL.get(Level(parent.level), Level.GROUP))


def org_child_levels(*, user: AnyUser, parent: Org) -> list[str]:
    """Levels the user may give a new child of `parent`: any for an administrator of the
    parent, only those below the parent's own level for its committee, none otherwise."""
    role = scope_for(user).role_at(parent.path)
    if role is None or role < Role.COMMITTEE:
        return []
    if role >= Role.ADMIN:
        return list(LEVEL_ORDER)
    below = LEVEL_ORDER.index(parent.level) + 1 if parent.level in LEVEL_ORDER else 0
    return list(LEVEL_ORDER[below:])


def org_can_split(*, user: AnyUser, org: Org) -> bool:
    """Splitting creates siblings of the org: it needs the committee over its parent too,
    or the new orgs would land outside the user's own subtree."""
    return org.is_active and scope_for(user).can(org.parent_path, Role.COMMITTEE)
