"""Reads of people and memberships, always narrowed by the scoping layer."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

from django.core import signing
from django.db import connection
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from chibo.core.fields import subtree_bounds
from chibo.core.models import AuditEntry, User
from chibo.core.roles import Role
from chibo.core.scoping import get_for, scope_for
from chibo.core.vntext import ALPHABET, collation_key, fold
from chibo.orgs.models import Family, Grant, Level, Org
from chibo.orgs.selectors import org_ancestors_visible, org_get_for
from chibo.people import trigram
from chibo.people.models import (
    EndReason,
    Membership,
    MembershipStatus,
    Person,
    Position,
    Title,
)

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
    if scope_for(user).can(org.path, Role.VIEWER):
        # A reader of the org reads its whole subtree: the scope filter would only repeat
        # the subtree filter below.
        memberships = Membership.objects.all()
    else:
        memberships = Membership.objects.visible_to(user)
    if descendants:
        memberships = memberships.filter(org__path__startswith=org.path)
    else:
        memberships = memberships.filter(org=org)
    if status:
        memberships = memberships.on_roll_or_closed_by_status().filter(status=status)
    else:
        # On the roll implies open, so the "or closed by a change of standing" of a chosen
        # status is left out: the COUNT then reads only the (org, ended_on, status) index.
        memberships = memberships.filter(ended_on__isnull=True, status__in=ON_ROLL_STATUSES)
    folded = fold(query)
    if folded:
        memberships = memberships.filter(_name_contains(folded))
    return memberships.select_related("person", "org").order_by(*MEMBER_ORDER)


# Vietnamese name order; the membership id last, so that pages never overlap.
MEMBER_ORDER = ("person__sort_key", "person_id", "pk")


def _name_contains(folded: str) -> Q:
    """Memberships of people whose folded name contains `folded`, through the trigram index
    where there is one (chibo/people/trigram.py).

    A query of one or two letters is no substring search: it matches the start of the given
    name (`given_name_prefix_ranges`), which the index on `sort_key` answers; a trigram index
    needs three letters, and two letters are inside most names anyway.

    On PostgreSQL the GIN index serves the LIKE itself. On SQLite the FTS5 table is asked
    for a phrase, which is the same substring match for a query of plain ASCII letters
    (every folded Vietnamese name); anything else keeps the LIKE."""
    if len(folded) < trigram.MIN_QUERY:
        ranges = given_name_prefix_ranges(folded)
        found = Q(pk__in=[])
        for low, high in ranges:
            found |= Q(sort_key__gte=low, sort_key__lt=high)
        # A subquery, as for the trigram table: the COUNT then starts from the people in
        # the ranges of the index, not from every membership of the subtree.
        return Q(person_id__in=Person.objects.filter(found).values("pk"))
    if (
        connection.vendor == "sqlite"
        and len(folded) >= trigram.MIN_QUERY
        and folded.isascii()
        and trigram.sqlite_ready(connection)
    ):
        matches = RawSQL(
            f"SELECT rowid FROM {trigram.TABLE} WHERE {trigram.TABLE} MATCH %s",
            (trigram.phrase(folded),),
        )
        return Q(person_id__in=matches)
    return Q(person__search_text__contains=folded)


# Letters a folded query letter stands for, in the order of the alphabet (they are next to
# each other in it, so the codes of one folded letter are consecutive).
_VARIANTS: dict[str, list[str]] = {}
for _letter in ALPHABET:
    _VARIANTS.setdefault(fold(_letter), []).append(_letter)


def collation_code(letter: str) -> str:
    """The two digits a letter of the alphabet starts a `sort_key` with."""
    return collation_key(letter)[:2]


def given_name_prefix_ranges(folded: str) -> list[tuple[str, str]]:
    """Ranges of `Person.sort_key` holding the people whose given name, folded, starts with
    `folded` (one or two letters): `sort_key` starts with the collation codes of the given
    name's letters, tones apart, so "a" is the codes of a, ă and â, one range. Anything but
    plain letters matches no one: names are made of letters."""
    if not folded or not all(char in _VARIANTS and char.isascii() for char in folded):
        return []
    heads = [""]
    for char in folded[:-1]:
        heads = [head + collation_code(letter) for head in heads for letter in _VARIANTS[char]]
    last = _VARIANTS[folded[-1]]
    low, high = collation_code(last[0]), int(collation_code(last[-1])) + 1
    return [(head + low, f"{head}{high:02d}") for head in heads]


# --- paging a member list ------------------------------------------------------------------

# What reading a page costs, counted in rows sorted (SQLite, 300,000 members): a person
# walked in name order costs about eight (5 µs against 0.6 µs), and a row skipped by an
# OFFSET after a sort about twelve (the sort keeps every skipped row in its heap).
WALK_COST = 8
SKIP_COST = 12
# Below this many rows sorting them all costs a few milliseconds: nothing else is tried.
WALK_FROM = 5_000
# A name search counts its matches up to here and then says "more than 10,000": nobody
# reads 10,000 names, and counting the 116,000 Nguyễns of a province exactly took more
# than half the time of its first page (see docs/member-lists.md, "The total").
SEARCH_COUNT_CAP = 10_000


@dataclass(frozen=True)
class _Filters:
    """What a member list asks for, to write the walk in SQL by hand: the ORM cannot make
    SQLite drive the join from `people_person` (only a CROSS JOIN fixes the order)."""

    org: Org
    status: str
    folded: str


@dataclass(frozen=True)
class _Plan:
    walk: bool  # walk people in name order, or sort the list
    backwards: bool  # from the end of the list, for its last pages
    offset: int  # rows to skip in that direction


class MemberRoll:
    """A member list for `Paginator` and the API: the exact total, then pages in name order.

    A large subtree's pages are read by walking people in name order through the index on
    `sort_key` and stopping once the page is full, instead of sorting the whole subtree
    (the whole province: 300,000 rows sorted to keep 50); the last pages by the same walk
    from the other end. When the list holds few of the people (a rare name), sorting it is
    cheaper, and only the ids are sorted. Small lists keep the plain query.

    With a `cap` (a name search), the total is counted up to `cap` only: past it, `count()`
    is `cap` and `count_is_lower_bound` is true. The first page and every page read by
    cursor or letter then walk in name order, which is cheap precisely because the list
    holds many people; a page by number further on counts exactly first (`exact_count`),
    since choosing how to read it needs the real size."""

    def __init__(
        self,
        rows: QuerySet[Membership],
        filters: _Filters | None,
        *,
        walk_from: int = WALK_FROM,
        cap: int | None = None,
    ) -> None:
        self.rows = rows
        self._filters = filters
        self._walk_from = walk_from
        self._cap = cap
        self._count: int | None = None
        self._lower_bound = False

    def count(self) -> int:
        if self._count is None:
            if self._cap is None:
                self._count = self.rows.count()
            else:
                found = self._count_upto(self._cap + 1)
                self._lower_bound = found > self._cap
                self._count = min(found, self._cap)
        return self._count

    @property
    def count_is_lower_bound(self) -> bool:
        """Whether there are more than `count()` rows (a search past its cap)."""
        self.count()
        return self._lower_bound

    def exact_count(self) -> int:
        """The exact total, even past the cap."""
        if self.count_is_lower_bound:
            self._count, self._lower_bound = self.rows.count(), False
        return self.count()

    def _count_upto(self, most: int) -> int:
        """How many rows, counting no further than `most`."""
        filters = self._filters
        if (
            filters is not None
            and connection.vendor == "sqlite"
            and len(filters.folded) >= trigram.MIN_QUERY
            and filters.folded.isascii()
            and trigram.sqlite_ready(connection)
        ):
            # Driven from the trigram table, so that the count stops after `most` matches;
            # the ORM's `person_id IN (...)` first lists every match (116,000 for "nguyen").
            where, params = self._roll_where()
            sql = (
                f"SELECT COUNT(*) FROM (SELECT 1 FROM {trigram.TABLE} "
                f"CROSS JOIN {Membership._meta.db_table} m ON m.person_id = {trigram.TABLE}.rowid "
                f"CROSS JOIN {Org._meta.db_table} o ON o.id = m.org_id "
                f"WHERE {trigram.TABLE} MATCH %s AND {' AND '.join(where)} LIMIT %s)"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [trigram.phrase(filters.folded), *params, most])
                row = cursor.fetchone()
            return int(row[0])
        return self.rows.order_by()[:most].count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Membership]:
        return iter(self.rows)

    @overload
    def __getitem__(self, index: int) -> Membership: ...

    @overload
    def __getitem__(self, index: slice) -> list[Membership]: ...

    def __getitem__(self, index: int | slice) -> Membership | list[Membership]:
        if isinstance(index, int):
            found = self[index : index + 1]
            if index < 0 or not found:
                raise IndexError(index)
            return found[0]
        if index.step is not None or (index.start or 0) < 0 or (index.stop or 0) < 0:
            raise ValueError("MemberRoll pages by forward slices only")
        start, stop = index.start or 0, index.stop
        if self._filters is None:
            return list(self.rows[start:stop])
        if (start or stop is None) and self.count_is_lower_bound:
            # Where a page far into the list is read from depends on the list's real size.
            self.exact_count()
        total = self.count()
        if stop is None:
            stop = total
        elif not self.count_is_lower_bound:
            # Past the cap there are more rows than `total`: a long first page stays whole.
            stop = min(stop, total)
        if start >= stop:
            return []
        if total < self._walk_from:
            return list(self.rows[start:stop])
        if self.count_is_lower_bound:
            # The first page of more than `cap` matches: a walk keeps at least one row in
            # every `people / cap` people it reads, so it ends soon; a sort would not.
            plan = _Plan(walk=True, backwards=False, offset=0)
        else:
            plan = self.plan(start, stop, total)
        ids: QuerySet[Membership, Any] | RawSQL
        if plan.walk:
            ids = RawSQL(*self._walk_sql(plan, limit=stop - start))
        else:
            order = [f"-{field}" for field in MEMBER_ORDER] if plan.backwards else MEMBER_ORDER
            # Only the ids are sorted; the rows of the page are read afterwards.
            ids = self.rows.order_by(*order).values("pk")[plan.offset : plan.offset + stop - start]
        page = Membership.objects.filter(pk__in=ids)
        return list(page.select_related("person", "org").order_by(*MEMBER_ORDER))

    def page(self, *, offset: int, limit: int) -> tuple[list[Membership], int]:
        """One page and the total; a short first page of a small list needs no COUNT."""
        if self._filters is not None:
            return self[offset : offset + limit], self.count()
        items = list(self.rows[offset : offset + limit])
        if (items and len(items) < limit) or (not items and offset == 0):
            return items, offset + len(items)
        return items, self.count()

    def reaches(self, offset: int, limit: int) -> bool:
        """Whether a page starting at `offset` is near enough to an end of the list to be
        read by number: at most `MAX_SKIP` rows skipped from the nearer end (any page of a
        list under `WALK_FROM` rows). Further on, `seek` with a cursor."""
        if offset and self.count_is_lower_bound:
            self.exact_count()
        total = self.count()
        if total < max(self._walk_from, MAX_SKIP):
            return True
        return min(offset, max(total - offset - limit, 0)) <= MAX_SKIP

    def plan(self, start: int, stop: int, total: int) -> _Plan:
        """Whichever reads less, in rows sorted: a walk reads `people / total` people per row
        it keeps (the others are not in the list); a sort reads the whole list, then skips."""
        people = Person.objects.aggregate(last=Max("pk"))["last"] or 0
        per_row = max(people, total) / total
        ahead, behind = start, total - stop
        walk = WALK_COST * per_row * (min(ahead, behind) + stop - start)
        sort = total + SKIP_COST * min(ahead, behind)
        return _Plan(walk=walk <= sort, backwards=behind < ahead, offset=min(ahead, behind))

    def _walk_sql(
        self, plan: _Plan, *, limit: int, key: RollKey | None = None
    ) -> tuple[str, list[Any]]:
        filters = self._filters
        assert filters is not None
        sqlite = connection.vendor == "sqlite"
        ops = connection.ops
        where, params = self._roll_where()
        if key is not None:
            # The plain `>=` lets the walk start at the key in the index; the rest breaks ties.
            more, less = ("<", "<=") if plan.backwards else (">", ">=")
            where.append(
                f"p.sort_key {less} %s AND (p.sort_key {more} %s OR (p.sort_key = %s AND "
                f"(p.id {more} %s OR (p.id = %s AND m.id {more} %s))))"
            )
            params += [key.sort_key, key.sort_key, key.sort_key]
            params += [key.person_id, key.person_id, key.membership_id]
        if filters.folded and len(filters.folded) < trigram.MIN_QUERY:
            ranges = given_name_prefix_ranges(filters.folded) or [("", "")]
            # The outer bounds first, so that the walk reads only that stretch of the index.
            where.append("p.sort_key >= %s AND p.sort_key < %s")
            params += [ranges[0][0], ranges[-1][1]]
            where.append(
                "(" + " OR ".join(["(p.sort_key >= %s AND p.sort_key < %s)"] * len(ranges)) + ")"
            )
            params += [bound for pair in ranges for bound in pair]
        elif filters.folded:
            # Django's own `contains`: the same escaping, the same LIKE.
            where.append("p.search_text LIKE %s" + (" ESCAPE '\\'" if sqlite else ""))
            params.append("%" + ops.prep_for_like_query(filters.folded) + "%")
        # SQLite keeps the order of a CROSS JOIN: people first, in index order. PostgreSQL
        # picks the order itself, and with the LIMIT it walks the index when that is cheap.
        join = "CROSS JOIN" if sqlite else "JOIN"
        way = " DESC" if plan.backwards else ""
        sql = (
            f"SELECT m.id FROM {Person._meta.db_table} p "
            f"{join} {Membership._meta.db_table} m ON m.person_id = p.id "
            f"{join} {Org._meta.db_table} o ON o.id = m.org_id "
            f"WHERE {' AND '.join(where)} "
            f"ORDER BY p.sort_key{way}, p.id{way}, m.id{way} LIMIT %s OFFSET %s"
        )
        return sql, [*params, limit, plan.offset]

    def _roll_where(self) -> tuple[list[str], list[Any]]:
        """The subtree and the standing of the hand-written SQL, on `m` (memberships) and
        `o` (orgs): what `member_list` filters, the name apart."""
        filters = self._filters
        assert filters is not None
        where: list[str] = []
        params: list[Any] = []
        if connection.vendor == "sqlite":
            where.append("o.path >= %s AND o.path < %s")
            params += subtree_bounds(filters.org.path)
        else:
            where.append("o.path LIKE %s")
            params.append(connection.ops.prep_for_like_query(filters.org.path) + "%")
        if filters.status:
            where.append("(m.ended_on IS NULL OR m.end_reason = %s) AND m.status = %s")
            params += [EndReason.STATUS.value, filters.status]
        else:
            marks = ", ".join(["%s"] * len(ON_ROLL_STATUSES))
            where.append(f"m.ended_on IS NULL AND m.status IN ({marks})")
            params += [str(value) for value in ON_ROLL_STATUSES]
        return where, params

    # --- keyset paging --------------------------------------------------------------------

    def seek(self, *, key: RollKey | None, backwards: bool, limit: int) -> RollPage:
        """The `limit` rows after `key` (before it, `backwards`), in name order: as fast in
        the middle of the province as at its start, since no row before the key is read.
        No key: the first page, or (`backwards`) the last one."""
        rows = self._seek_rows(key, backwards, limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        if not backwards:
            return RollPage(rows, has_previous=key is not None, has_next=more)
        rows.reverse()
        if key is not None and not more:
            # Back at the start of the list: the first page, full.
            return self.seek(key=None, backwards=False, limit=limit)
        return RollPage(rows, has_previous=more, has_next=key is not None)

    def _seek_rows(self, key: RollKey | None, backwards: bool, limit: int) -> list[Membership]:
        order = [f"-{field}" for field in MEMBER_ORDER] if backwards else list(MEMBER_ORDER)
        rows = self.rows if key is None else self.rows.filter(_key_q(key, backwards))
        if self._filters is None:
            return list(rows.order_by(*order)[:limit])
        total = self.count()
        if total == 0:
            return []
        if total < self._walk_from:
            return list(rows.order_by(*order)[:limit])
        if self.count_is_lower_bound:
            # More than `cap` matches: the walk reads at most `people / cap` people per row.
            walk = True
        else:
            people = Person.objects.aggregate(last=Max("pk"))["last"] or 0
            walk = WALK_COST * max(people, total) / total * limit <= total
        ids: QuerySet[Membership, Any] | RawSQL
        if walk:
            plan = _Plan(walk=True, backwards=backwards, offset=0)
            ids = RawSQL(*self._walk_sql(plan, limit=limit, key=key))
        else:
            ids = rows.order_by(*order).values("pk")[:limit]
        page = Membership.objects.filter(pk__in=ids).select_related("person", "org")
        return list(page.order_by(*order))


# How far from the nearer end of a large list a page number (an API offset) may reach: a
# walk of 5,000 rows stays well under 200 ms; further on, cursors.
MAX_SKIP = 5_000
CURSOR_SALT = "chibo.people.member-roll"


class BadCursor(ValueError):
    """A cursor that was not made by `RollPage` (mistyped, cut or altered)."""


@dataclass(frozen=True)
class RollKey:
    """A place in a member list: the row's name order, person and membership."""

    sort_key: str
    person_id: int
    membership_id: int

    @classmethod
    def of(cls, membership: Membership) -> RollKey:
        return cls(membership.person.sort_key, membership.person_id, membership.pk)


def _key_q(key: RollKey, backwards: bool) -> Q:
    more = "lt" if backwards else "gt"
    same = {"person__sort_key": key.sort_key}
    # The plain bound lets the index on `sort_key` start at the key.
    bound = Q(**{f"person__sort_key__{more}e": key.sort_key})
    return bound & (
        Q(**{f"person__sort_key__{more}": key.sort_key})
        | Q(**same, **{f"person_id__{more}": key.person_id})
        | Q(**same, person_id=key.person_id, **{f"pk__{more}": key.membership_id})
    )


def cursor_dump(*, key: RollKey | None, backwards: bool) -> str:
    """An opaque, signed token for a place in a list: base64 of the key, with a signature so
    that an altered token is refused instead of read."""
    value = [
        "b" if backwards else "a",
        *([key.sort_key, key.person_id, key.membership_id] if key else []),
    ]
    return signing.dumps(value, salt=CURSOR_SALT)


def cursor_load(token: str) -> tuple[RollKey | None, bool]:
    """(key, backwards) of a token from `cursor_dump`; `BadCursor` for anything else."""
    try:
        value = signing.loads(token, salt=CURSOR_SALT)
    except (signing.BadSignature, ValueError, UnicodeError) as error:
        raise BadCursor(token) from error
    if not isinstance(value, list) or not value or value[0] not in ("a", "b"):
        raise BadCursor(token)
    backwards = value[0] == "b"
    if len(value) == 1:
        return None, backwards
    sort_key, person_id, membership_id = value[1:] if len(value) == 4 else (None, None, None)
    if not (
        isinstance(sort_key, str) and isinstance(person_id, int) and isinstance(membership_id, int)
    ):
        raise BadCursor(token)
    return RollKey(sort_key, person_id, membership_id), backwards


# The letters a given name starts with, for the jump buttons (f j w z only in foreign names).
JUMP_LETTERS = [letter.upper() for letter in ALPHABET if letter not in "fjwz"]


def letter_key(letter: str) -> RollKey:
    """The place just before the first given name starting with `letter` (Ă apart from A,
    Đ from D: the Vietnamese alphabet); `BadCursor` if it is not one of `JUMP_LETTERS`."""
    if letter not in JUMP_LETTERS:
        raise BadCursor(letter)
    return RollKey(collation_code(letter.lower()), 0, 0)


@dataclass(frozen=True)
class RollPage:
    """One page of a list read by `MemberRoll.seek`, with cursors to its neighbours."""

    items: list[Membership]
    has_previous: bool
    has_next: bool

    @property
    def next_cursor(self) -> str | None:
        if not (self.has_next and self.items):
            return None
        return cursor_dump(key=RollKey.of(self.items[-1]), backwards=False)

    @property
    def previous_cursor(self) -> str | None:
        if not (self.has_previous and self.items):
            return None
        return cursor_dump(key=RollKey.of(self.items[0]), backwards=True)


def member_roll(
    *,
    user: AnyUser,
    org: Org,
    query: str = "",
    status: str = "",
    descendants: bool = False,
    walk_from: int | None = None,
    exact: bool = False,
) -> MemberRoll:
    """`member_list` ready to page, fast whatever the size of the subtree. A name search
    counts its matches up to `SEARCH_COUNT_CAP` (`MemberRoll.count_is_lower_bound` past it)
    unless `exact`; the roll itself, without a search, is always counted exactly: it is the
    unit's membership, and the index on (org, ended_on, status) counts it cheaply."""
    rows = member_list(user=user, org=org, query=query, status=status, descendants=descendants)
    # Only a subtree can be large, and only a reader of all of it gets the hand-written
    # walk, which has no scope filter to write.
    walkable = descendants and org.numchild > 0 and scope_for(user).can(org.path, Role.VIEWER)
    filters = _Filters(org=org, status=status, folded=fold(query)) if walkable else None
    return MemberRoll(
        rows,
        filters,
        walk_from=WALK_FROM if walk_from is None else walk_from,
        cap=SEARCH_COUNT_CAP if fold(query) and not exact else None,
    )


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
