"""Evaluation statistics for any node of the tree, and for every node at once.

What the figures mean (docs/evaluation.md says the same for readers):

- A member evaluation counts at a node when the cell it is kept at (`MemberEvaluation.org`)
  lies in the node's subtree: the path the row's org has now. A cell merged away keeps its
  place in the tree (status merged), so last year's figures stay where they were made.
- A unit evaluation counts at a node when its org lies in the node's subtree (the node
  itself included). Party units are graded on the four grades, mass-organisation units on
  their scale (vững mạnh, khá, trung bình, yếu): the two are counted apart.
- *Listed*: every evaluation of the year's rounds; *excluded*: listed but not graded by a
  rule (exempt, suspended, admitted less than 6 months before); *graded*: a decided grade
  and not excluded; *pending*: neither yet. Shares are over those graded, two decimals.
- *Good or above* (hoàn thành tốt nhiệm vụ trở lên): excellent + good over those graded,
  the figure the seed articles end on ("đạt 96,96%").
- Only decided grades of finalised rounds are final. A year with an open round covering
  the node is *provisional*: its figures count the grades decided so far, and the page
  names the open rounds.

Every figure family is one GROUP BY: for one node, the rows of the subtree grouped by
year, round status, grade and child prefix (the node's own figures, its children's and the
years before all come from that one read); for every node at once, the year's rows summed
per org in one statement read from an index, then each org's sums added into its parent's,
deepest first (a roll-up by path prefix done in one pass over the orgs: in SQL, the join
of every cell to each of its prefixes sorted three times the rows it started from).
Nothing loops over nodes issuing queries.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.utils.translation import gettext as _

from chibo.core.audit import audit_record
from chibo.core.fields import subtree_bounds
from chibo.core.models import AuditEntry, User
from chibo.core.roles import Role
from chibo.core.scoping import require_role, scope_for
from chibo.evaluation.models import (
    Grade,
    MemberEvaluation,
    Round,
    RoundStatus,
    UnitEvaluation,
)
from chibo.orgs.models import Family, Org, OrgStatus
from chibo.orgs.selectors import org_get_for
from chibo.orgs.tree import ancestor_paths

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser

PARTY_GRADES: tuple[str, ...] = (Grade.EXCELLENT, Grade.GOOD, Grade.PASS, Grade.FAIL)
SCALE_GRADES: tuple[str, ...] = (Grade.STRONG, Grade.FAIR, Grade.AVERAGE, Grade.WEAK)
GOOD_OR_ABOVE: tuple[str, ...] = (Grade.EXCELLENT, Grade.GOOD)
# How many years before the chosen one the year-over-year table shows.
YEARS_BACK = 4
EARLIEST_YEAR = 2000


def clean_year(value: str | int | None, today: datetime.date) -> int:
    """The year asked for, or last year when none is given (the round of a year ends in
    the next one's first months); a Vietnamese error naming the field otherwise."""
    if value is None or value == "":
        return today.year - 1
    latest = today.year + 1
    try:
        year = int(str(value).strip())
    except ValueError:
        year = 0
    if not EARLIEST_YEAR <= year <= latest:
        raise ValidationError(
            {
                "year": _(
                    "Năm “%(value)s” không hợp lệ: hãy nhập một năm từ %(first)s đến %(last)s."
                )
                % {"value": str(value)[:20], "first": EARLIEST_YEAR, "last": latest}
            }
        )
    return year


def share(part: int, whole: int) -> float | None:
    """A percentage with two decimals, as the seed articles give them; None over nothing."""
    return round(100 * part / whole, 2) if whole else None


@dataclass(slots=True)
class GradeCounts:
    """Counts of one kind of evaluation (members, party units or mass units)."""

    grades: tuple[str, ...]
    listed: int = 0
    excluded: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def graded(self) -> int:
        return sum(self.counts.get(grade, 0) for grade in self.grades)

    @property
    def pending(self) -> int:
        return max(self.listed - self.excluded - self.graded, 0)

    def count(self, grade: str) -> int:
        return self.counts.get(grade, 0)

    def share(self, grade: str) -> float | None:
        return share(self.count(grade), self.graded)

    @property
    def good_or_above(self) -> int:
        return sum(self.count(grade) for grade in GOOD_OR_ABOVE if grade in self.grades)

    @property
    def good_or_above_percent(self) -> float | None:
        return share(self.good_or_above, self.graded)

    @property
    def rows(self) -> list[tuple[str, str, int, float | None]]:
        """(grade, its label, count, share) in the order of the scale."""
        return [
            (grade, str(Grade(grade).label), self.count(grade), self.share(grade))
            for grade in self.grades
        ]

    def add(self, grade: str, listed: int, excluded: int) -> None:
        self.listed += listed
        self.excluded += excluded
        if grade in self.grades:
            self.counts[grade] = self.counts.get(grade, 0) + listed - excluded

    def as_dict(self) -> dict[str, object]:
        return {
            "listed": self.listed,
            "excluded": self.excluded,
            "graded": self.graded,
            "pending": self.pending,
            "grades": [
                {"grade": grade, "label": label, "count": count, "percent": percent}
                for grade, label, count, percent in self.rows
            ],
            "good_or_above": self.good_or_above,
            "good_or_above_percent": self.good_or_above_percent,
        }


@dataclass(slots=True)
class Figures:
    """The figures of one node for one year."""

    year: int
    members: GradeCounts = field(default_factory=lambda: GradeCounts(PARTY_GRADES))
    party_units: GradeCounts = field(default_factory=lambda: GradeCounts(PARTY_GRADES))
    mass_units: GradeCounts = field(default_factory=lambda: GradeCounts(SCALE_GRADES))
    # Some of the rows come from a round still open: the figures are not final yet.
    provisional: bool = False

    @property
    def has_rows(self) -> bool:
        return bool(self.members.listed or self.party_units.listed or self.mass_units.listed)

    def add_member(self, grade: str, status: str, listed: int, excluded: int) -> None:
        self.members.add(grade, listed, excluded)
        self.provisional |= status == RoundStatus.OPEN

    def add_unit(self, family: str, grade: str, status: str, listed: int, excluded: int) -> None:
        target = self.party_units if family == Family.PARTY else self.mass_units
        target.add(grade, listed, excluded)
        self.provisional |= status == RoundStatus.OPEN

    def as_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "provisional": self.provisional,
            "members": self.members.as_dict(),
            "party_units": self.party_units.as_dict(),
            "mass_units": self.mass_units.as_dict(),
        }


@dataclass
class ChildFigures:
    org: Org
    figures: Figures


@dataclass
class EvaluationStats:
    """What the statistics page, the API, the command and the summary table show."""

    org: Org
    year: int
    current: Figures
    # The years before, oldest first, then the chosen year: the year-over-year table.
    history: list[Figures]
    children: list[ChildFigures]
    # The rounds of the chosen year that cover the node (its own, those above it that
    # reach down to it, those of units below it), and those still open.
    rounds: list[Round]
    # The node's and its children's own grades as units that year: org id -> label.
    unit_grades: dict[int, str] = field(default_factory=dict)

    @property
    def open_rounds(self) -> list[Round]:
        return [item for item in self.rounds if item.status == RoundStatus.OPEN]

    @property
    def provisional(self) -> bool:
        return self.current.provisional or bool(self.open_rounds)

    @property
    def has_round(self) -> bool:
        return bool(self.rounds)

    def as_dict(self, *, user: AnyUser | None = None) -> dict[str, object]:
        """The figures as plain values: the API's answer and the command's JSON. With a
        user, a round held by an org the user does not open (the commune's round seen from
        a cell) is given without its org."""

        def ref(org: Org) -> dict[str, str]:
            return {"code": org.code, "name": org.name}

        def round_org(org: Org) -> dict[str, str] | None:
            return ref(org) if user is None or can_open(user, org) else None

        return {
            "org": ref(self.org),
            "year": self.year,
            "provisional": self.provisional,
            "rounds": [
                {
                    "id": item.pk,
                    "org": round_org(item.org),
                    "year": item.year,
                    "rule_set": item.rule_set,
                    "status": item.status,
                }
                for item in self.rounds
            ],
            **{key: value for key, value in self.current.as_dict().items() if key != "year"},
            "unit_grade": self.unit_grades.get(self.org.pk, ""),
            "history": [figures.as_dict() for figures in self.history],
            "children": [
                {
                    "org": ref(child.org),
                    "unit_grade": self.unit_grades.get(child.org.pk, ""),
                    **child.figures.as_dict(),
                }
                for child in self.children
            ],
        }


def can_open(user: AnyUser, org: Org) -> bool:
    """Whether the user may see the org named: it is in their scope, as a reader or as
    one of its members."""
    return scope_for(user).role_at(org.path) is not None


def round_label(user: AnyUser, round_: Round) -> str:
    """The round's org as a page names it: by name when the user opens it, otherwise as
    the committee above (a cell's reader sees the commune's round without its name)."""
    return round_.org.name if can_open(user, round_.org) else _("cấp ủy cấp trên")


# --- one node ---------------------------------------------------------------------------


def _covering_rounds(org: Org, years: Iterable[int]) -> list[Round]:
    """Rounds whose subtree holds the node, or lies inside it."""
    above = ancestor_paths(org.path, include_self=True)
    return list(
        Round.objects.filter(Q(org__path__in=above) | Q(org__path__startswith=org.path))
        .filter(year__in=list(years))
        .select_related("org")
        .order_by("year", "org__path")
    )


def evaluation_stats(
    *,
    org: Org,
    year: int,
    children: Iterable[Org] | None = None,
    round_: Round | None = None,
) -> EvaluationStats:
    """The node's figures for `year` and the years before, and its children's, in five
    queries (members, units, rounds, children, their own grades). `children` are the child
    orgs to list (those the user may open); None lists every child that has rows or is
    active.
    With `round_`, only that round's evaluations count (its summary table)."""
    if round_ is not None:
        year = round_.year
    years = list(range(year - YEARS_BACK, year + 1)) if round_ is None else [year]
    child_end = len(org.path) + Org.steplen
    by_year = {y: Figures(year=y) for y in years}
    by_child: dict[str, Figures] = {}
    excluded = Count("id", filter=~Q(excluded_rule=""))
    only = {"round": round_} if round_ is not None else {}
    members = (
        MemberEvaluation.objects.filter(
            org__path__startswith=org.path, round__year__in=years, **only
        )
        .annotate(prefix=Substr("org__path", 1, child_end))
        .values_list("round__year", "round__status", "decided_grade", "prefix")
        .annotate(listed=Count("id"), excluded=excluded)
        .order_by()
    )
    for row_year, status, grade, prefix, listed, excl in members:
        by_year[row_year].add_member(grade, status, listed, excl)
        if row_year == year and prefix != org.path:
            by_child.setdefault(prefix, Figures(year=year)).add_member(grade, status, listed, excl)
    units = (
        UnitEvaluation.objects.filter(org__path__startswith=org.path, round__year__in=years, **only)
        .annotate(prefix=Substr("org__path", 1, child_end))
        .values_list("round__year", "round__status", "org__family", "decided_grade", "prefix")
        .annotate(listed=Count("id"), excluded=excluded)
        .order_by()
    )
    for row_year, status, family, grade, prefix, listed, excl in units:
        by_year[row_year].add_unit(family, grade, status, listed, excl)
        if row_year == year and prefix != org.path:
            by_child.setdefault(prefix, Figures(year=year)).add_unit(
                family, grade, status, listed, excl
            )
    rounds = _covering_rounds(org, years) if round_ is None else [round_]
    if children is None:
        listed_children = list(
            Org.objects.filter(path__startswith=org.path, depth=org.depth + 1).filter(
                Q(status=OrgStatus.ACTIVE) | Q(path__in=list(by_child))
            )
        )
    else:
        # A cell merged or dissolved before the year has nothing to show that year.
        listed_children = [
            child
            for child in children
            if child.status == OrgStatus.ACTIVE or child.path in by_child
        ]
    for item in rounds:
        if item.status == RoundStatus.OPEN:
            by_year[item.year].provisional = True
    own = UnitEvaluation.objects.filter(
        round__year=year, org__in=[org, *listed_children], **only
    ).exclude(decided_grade="")
    unit_grades = {
        org_id: str(Grade(grade).label)
        for org_id, grade in own.values_list("org_id", "decided_grade")
    }
    return EvaluationStats(
        unit_grades=unit_grades,
        org=org,
        year=year,
        current=by_year[year],
        history=[by_year[y] for y in years],
        children=[
            ChildFigures(org=child, figures=by_child.get(child.path, Figures(year=year)))
            for child in listed_children
        ],
        rounds=[item for item in rounds if item.year == year],
    )


# --- every node at once ---------------------------------------------------------------------

# A tally is a flat list of counts, the cheapest thing to add up node by node: members,
# party units and mass units each as (listed, excluded, one count per grade of their
# scale), then the number of rows from open rounds (provisional when above zero).
_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("members", PARTY_GRADES),
    ("party_units", PARTY_GRADES),
    ("mass_units", SCALE_GRADES),
)
_WIDTH = 2 + len(PARTY_GRADES)
_OPEN = len(_KINDS) * _WIDTH
_EMPTY = [0] * (_OPEN + 1)


def _marks(count: int) -> str:
    # `IN (NULL)` matches nothing: an empty list of ids stays valid SQL.
    return ", ".join(["%s"] * count) or "NULL"


def _per_org_sql(*, table: str, grades: tuple[str, ...], opened: int, held: int, other: int) -> str:
    """The year's rows summed per org: listed, excluded, graded per grade, and rows of
    open rounds, one row an org. Rows of the rounds held inside the root are read whole
    (what has moved out is dropped by the caller); rows of any other round only where
    they are kept at an org of the root's subtree (a cell moved in, or the root's share of
    a round held above it). Only the columns of the (round, org, decided_grade,
    excluded_rule) index are read, so PostgreSQL answers from the index alone."""
    per_grade = "".join(
        ", SUM(CASE WHEN e.decided_grade = %s AND e.excluded_rule = '' THEN 1 ELSE 0 END)"
        for _grade in grades
    )
    source = connection.ops.quote_name(table)
    rows = f"SELECT round_id, org_id, decided_grade, excluded_rule FROM {source}"
    orgs = connection.ops.quote_name(Org._meta.db_table)
    return (
        f"SELECT e.org_id, COUNT(*), SUM(CASE WHEN e.excluded_rule <> '' THEN 1 ELSE 0 END)"
        f"{per_grade}, SUM(CASE WHEN e.round_id IN ({_marks(opened)}) THEN 1 ELSE 0 END) "
        f"FROM ({rows} WHERE round_id IN ({_marks(held)}) "
        f"UNION ALL {rows} WHERE round_id IN ({_marks(other)}) "
        f"AND org_id IN (SELECT o.id FROM {orgs} o WHERE o.path >= %s AND o.path < %s)) e "
        f"GROUP BY e.org_id"
    )


def evaluation_stats_for_all(*, year: int, root: Org | None = None) -> dict[int, Figures]:
    """Figures of `year` for every org (of `root`'s subtree, or of the whole tree) that has
    evaluations under it: org id -> figures, in four queries whatever the tree's size
    (the year's rounds, the orgs, and the member and unit rows summed per org).

    Each org's tally is then added once into its parent's, deepest orgs first: the roll-up
    over every prefix of the path in one pass over the orgs. Orgs with nothing under them
    are absent."""
    rounds = Round.objects.filter(year=year).values_list("id", "status", "org__path")
    held: list[int] = []
    other: list[int] = []
    opened: list[int] = []
    for pk, status, path in rounds:
        (held if root is None or path.startswith(root.path) else other).append(pk)
        if status == RoundStatus.OPEN:
            opened.append(pk)
    if not held and not other:
        return {}
    orgs = Org.objects.filter(path__startswith=root.path) if root is not None else Org.objects
    known = {pk: (path, family) for pk, path, family in orgs.values_list("id", "path", "family")}
    ids: list[int | str] = [*opened, *held, *other]
    ids += subtree_bounds(root.path if root is not None else "")
    both = PARTY_GRADES + SCALE_GRADES
    tallies: dict[int, list[int]] = {}

    def sums(model: type[MemberEvaluation | UnitEvaluation], grades: tuple[str, ...]) -> Any:
        sql = _per_org_sql(
            table=model._meta.db_table,
            grades=grades,
            opened=len(opened),
            held=len(held),
            other=len(other),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*grades, *ids])
            return cursor.fetchall()

    for org_id, *counts, open_rows in sums(MemberEvaluation, PARTY_GRADES):
        if org_id in known:
            tallies[org_id] = [*counts, *_EMPTY[: _OPEN - _WIDTH], open_rows]
    for org_id, listed, excluded, *counts, open_rows in sums(UnitEvaluation, both):
        found = known.get(org_id)
        if found is None:
            continue
        tally = tallies.get(org_id)
        if tally is None:
            tally = tallies[org_id] = list(_EMPTY)
        if found[1] == Family.PARTY:
            start, graded = _WIDTH, counts[: len(PARTY_GRADES)]
        else:
            start, graded = 2 * _WIDTH, counts[len(PARTY_GRADES) :]
        tally[start : start + _WIDTH] = [listed, excluded, *graded]
        tally[_OPEN] += open_rows
    _roll_up(tallies, known)
    return {org_id: _figures(year, tally) for org_id, tally in tallies.items()}


def _roll_up(tallies: dict[int, list[int]], known: dict[int, tuple[str, str]]) -> None:
    """Add every org's tally into its parent's, deepest first, so that each holds its
    whole subtree. The root's parent is outside `known` and receives nothing."""
    by_path = {path: pk for pk, (path, _family) in known.items()}
    for org_id in sorted(known, key=lambda pk: len(known[pk][0]), reverse=True):
        tally = tallies.get(org_id)
        if tally is None:
            continue
        parent = by_path.get(known[org_id][0][: -Org.steplen])
        if parent is None:
            continue
        above = tallies.get(parent)
        if above is None:
            tallies[parent] = list(tally)
        else:
            above[:] = map(operator.add, above, tally)


def _counts(grades: tuple[str, ...], tally: list[int], start: int) -> GradeCounts:
    listed = tally[start]
    if not listed:
        return GradeCounts(grades)
    graded = dict(zip(grades, tally[start + 2 : start + _WIDTH], strict=True))
    return GradeCounts(grades, listed, tally[start + 1], graded)


def _figures(year: int, tally: list[int]) -> Figures:
    members, party_units, mass_units = (
        _counts(grades, tally, index * _WIDTH) for index, (_name, grades) in enumerate(_KINDS)
    )
    return Figures(year, members, party_units, mass_units, tally[_OPEN] > 0)


# --- the round's downloads -------------------------------------------------------------------


def round_for_export(*, user: AnyUser, pk: int, code: str = "") -> tuple[Round, Org]:
    """The round and the organisation whose summary or decision list is asked for: `code`,
    which must lie in the round's subtree; without it the round's own organisation, or,
    for a reader of only part of the round (a cell's secretary in the commune's round),
    the first subtree of the round the user reads. 404 when the round does not exist or
    the user opens nothing of it; 403 when the user opens it only as a plain member."""
    round_ = Round.objects.select_related("org").filter(pk=pk).first()
    org = org_get_for(user=user, code=code) if code else None
    if round_ is None:
        raise Http404
    base = round_.org.path
    if org is not None:
        if not org.path.startswith(base):
            raise Http404
        require_role(user, org.path, Role.VIEWER)
        return round_, org
    scope = scope_for(user)
    if scope.can(base, Role.VIEWER):
        return round_, round_.org
    inside = [path for path in scope.roots(Role.VIEWER) if path.startswith(base)]
    if inside:
        return round_, Org.objects.get(path=inside[0])
    if any(path.startswith(base) for path in scope.member_units()):
        raise PermissionDenied
    raise Http404


def decision_export_audit(
    *, user: AnyUser, round_: Round, org: Org, count: int, filename: str
) -> AuditEntry:
    """The EXPORT entry of a decision list, like the exporters' own (chibo.core.exporters)."""
    actor = user if isinstance(user, User) else None
    return audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        subject=org,
        org_id=org.pk,
        summary=_("Xuất danh sách xếp loại đảng viên năm %(year)s của %(org)s: %(count)s người")
        % {"year": round_.year, "org": org.name, "count": count},
        after={
            "what": "danh sách kèm theo quyết định xếp loại",
            "format": "docx",
            "records": count,
            "filters": {"round": round_.pk, "year": round_.year},
            "via": "page",
            "file": filename,
        },
    )
