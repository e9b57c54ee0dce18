"""Reads of models, results, funds, movements, exemplars and awards, always narrowed by
the scoping layer. Roll-ups over a subtree are one GROUP BY over the org path prefix."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import Substr

from chibo.core.roles import Role
from chibo.core.scoping import get_for, scope_for
from chibo.core.vntext import fold
from chibo.initiatives.measure import total_text
from chibo.initiatives.models import (
    Award,
    AwardForm,
    Exemplar,
    FundContribution,
    FundPayout,
    Indicator,
    IndicatorKind,
    Initiative,
    InitiativeStatus,
    MeasureUnit,
    Movement,
    ResultEntry,
    SavingsFund,
    Score,
    ScoreSheet,
)
from chibo.orgs.models import Org
from chibo.people.models import Membership, Person

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser

# SUM(quantity × factor) in the base unit of the dimension, computed by the database.
_BASE = ExpressionWrapper(
    F("quantity") * F("unit__factor"), output_field=DecimalField(max_digits=38, decimal_places=9)
)


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _units_by_dimension() -> dict[str, list[MeasureUnit]]:
    units: dict[str, list[MeasureUnit]] = defaultdict(list)
    for unit in MeasureUnit.objects.all():
        units[unit.dimension].append(unit)
    return units


# --- single objects ------------------------------------------------------------------------


def initiative_get_for(*, user: AnyUser, initiative_id: int) -> Initiative:
    """A model its unit's members and the readers of its subtree open; else 404."""
    return get_for(
        Initiative.objects.visible_to(user, Role.MEMBER).select_related(
            "org", "owner_person", "fund", "fund__unit", "fund__in_kind_unit"
        ),
        pk=initiative_id,
    )


def movement_get_for(*, user: AnyUser, movement_id: int) -> Movement:
    return get_for(
        Movement.objects.visible_to(user, Role.MEMBER).select_related("org"), pk=movement_id
    )


def can(user: AnyUser, org: Org, role: Role) -> bool:
    return scope_for(user).can(org.path, role)


# --- lists --------------------------------------------------------------------------------


def initiatives_for(
    *, user: AnyUser, org: Org, year: int | None = None, query: str = ""
) -> QuerySet[Initiative]:
    """The models of the org (and of its subtree, for its readers) running in `year`."""
    if can(user, org, Role.VIEWER):
        rows = Initiative.objects.filter(org__path__startswith=org.path)
    else:
        rows = Initiative.objects.visible_to(user, Role.MEMBER).filter(org=org)
    if year is not None:
        rows = rows.during(*year_bounds(year))
    folded = fold(query)
    if folded:
        rows = rows.filter(title_folded__contains=folded)
    return rows.select_related("org").order_by("org__path", "-starts_on", "pk")


# --- progress of one model -------------------------------------------------------------------


@dataclass
class IndicatorProgress:
    indicator: Indicator
    done: Decimal  # in the indicator's own unit
    base_done: Decimal

    @property
    def target(self) -> Decimal | None:
        return self.indicator.target

    @property
    def percent(self) -> int | None:
        if not self.indicator.target:
            return None
        return int(self.done * 100 / self.indicator.target)


def indicator_progress(*, initiative: Initiative) -> list[IndicatorProgress]:
    """Each indicator with its results so far against its target: one GROUP BY."""
    indicators = list(initiative.indicators.select_related("kind", "unit"))
    sums = dict(
        ResultEntry.objects.valid()
        .filter(indicator__initiative=initiative)
        .values("indicator_id")
        .annotate(total=Sum(_BASE))
        .order_by()
        .values_list("indicator_id", "total")
    )
    rows = []
    for indicator in indicators:
        base = Decimal(sums.get(indicator.pk) or 0)
        rows.append(
            IndicatorProgress(
                indicator=indicator, done=base / indicator.unit.factor, base_done=base
            )
        )
    return rows


def recent_entries(*, initiative: Initiative, limit: int = 30) -> list[ResultEntry]:
    return list(
        ResultEntry.objects.filter(indicator__initiative=initiative)
        .select_related("indicator__kind", "unit", "recorded_by")
        .order_by("-on", "-pk")[:limit]
    )


# --- roll-ups -------------------------------------------------------------------------------


@dataclass
class KindTotal:
    kind: IndicatorKind
    base_total: Decimal
    text: str
    initiatives: int = 0


@dataclass
class ChildTotals:
    org: Org
    totals: dict[int, str] = field(default_factory=dict)  # kind id -> text
    initiatives: int = 0


@dataclass
class Rollup:
    org: Org
    year: int
    kinds: list[KindTotal]
    children: list[ChildTotals]
    initiatives: int
    # Models registered per kind (mô hình, phần việc, sáng kiến, tiết kiệm).
    by_kind: dict[str, int]


def _entries_in(org: Org, year: int) -> QuerySet[ResultEntry]:
    start, end = year_bounds(year)
    return ResultEntry.objects.valid().filter(
        indicator__initiative__org__path__startswith=org.path, on__gte=start, on__lte=end
    )


def rollup_totals(*, org: Org, year: int) -> list[KindTotal]:
    """Results of `year` over the subtree by indicator kind, converted to the kind's base
    unit inside the SUM: one query (the kinds and units are read once to name them)."""
    rows = (
        _entries_in(org, year)
        .values("indicator__kind_id")
        .annotate(total=Sum(_BASE), models=Count("indicator__initiative_id", distinct=True))
        .order_by()
    )
    return _kind_totals([(r["indicator__kind_id"], r["total"], r["models"]) for r in rows])


def _kind_totals(rows: Iterable[tuple[int, Any, int]]) -> list[KindTotal]:
    found = list(rows)
    if not found:
        return []
    kinds = {kind.pk: kind for kind in IndicatorKind.objects.filter(pk__in=[r[0] for r in found])}
    units = _units_by_dimension()
    totals = []
    for kind_id, total, models in found:
        kind = kinds[kind_id]
        base = Decimal(total or 0)
        totals.append(
            KindTotal(
                kind=kind,
                base_total=base,
                text=total_text(base, units[kind.dimension]),
                initiatives=int(models),
            )
        )
    return sorted(totals, key=lambda t: (t.kind.position, t.kind.name))


def rollup(*, org: Org, year: int) -> Rollup:
    """The org's totals of `year`, and each unit directly under it: one GROUP BY over
    the path prefix and the kind for the results, one for the number of models."""
    prefix = Substr("indicator__initiative__org__path", 1, len(org.path) + org.steplen)
    rows = list(
        _entries_in(org, year)
        .annotate(prefix=prefix)
        .values("prefix", "indicator__kind_id")
        .annotate(total=Sum(_BASE), models=Count("indicator__initiative_id", distinct=True))
        .order_by()
    )
    start, end = year_bounds(year)
    counted = (
        Initiative.objects.filter(org__path__startswith=org.path)
        .during(start, end)
        .annotate(prefix=Substr("org__path", 1, len(org.path) + org.steplen))
        .values("prefix", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_kind: dict[str, int] = defaultdict(int)
    per_child: dict[str, int] = defaultdict(int)
    for row in counted:
        by_kind[row["kind"]] += row["n"]
        per_child[row["prefix"]] += row["n"]
    merged: dict[int, list[Any]] = {}
    for row in rows:
        kind_id = row["indicator__kind_id"]
        entry = merged.setdefault(kind_id, [kind_id, Decimal(0), 0])
        entry[1] += Decimal(row["total"] or 0)
        entry[2] += row["models"]
    kinds = _kind_totals([(kind_id, total, n) for kind_id, total, n in merged.values()])
    units = _units_by_dimension()
    kind_by_id = {total.kind.pk: total.kind for total in kinds}
    children = []
    for child in Org.objects.filter(path__startswith=org.path, depth=org.depth + 1):
        item = ChildTotals(org=child, initiatives=per_child.get(child.path, 0))
        for row in rows:
            if row["prefix"] == child.path:
                kind = kind_by_id[row["indicator__kind_id"]]
                item.totals[kind.pk] = total_text(Decimal(row["total"] or 0), units[kind.dimension])
        if child.is_active or item.initiatives or item.totals:
            children.append(item)
    return Rollup(
        org=org,
        year=year,
        kinds=kinds,
        children=children,
        initiatives=sum(by_kind.values()),
        by_kind=dict(by_kind),
    )


@dataclass
class FundTotals:
    funds: int
    contributed: Decimal
    paid: Decimal
    payouts: int

    @property
    def balance(self) -> Decimal:
        return self.contributed - self.paid


def fund_totals(*, org: Org, year: int) -> FundTotals:
    """Money into and out of the subtree's savings funds in `year`, in đồng: two queries
    (funds kept in another unit of money are converted by its factor)."""
    start, end = year_bounds(year)
    given = (
        FundContribution.objects.valid()
        .filter(
            fund__initiative__org__path__startswith=org.path,
            fund__unit__dimension="money",
            on__gte=start,
            on__lte=end,
        )
        .aggregate(
            total=Sum(
                ExpressionWrapper(
                    F("value") * F("fund__unit__factor"),
                    output_field=DecimalField(max_digits=38, decimal_places=9),
                )
            ),
            funds=Count("fund_id", distinct=True),
        )
    )
    paid = (
        FundPayout.objects.valid()
        .filter(
            fund__initiative__org__path__startswith=org.path,
            fund__unit__dimension="money",
            on__gte=start,
            on__lte=end,
        )
        .aggregate(
            total=Sum(
                ExpressionWrapper(
                    F("amount") * F("fund__unit__factor"),
                    output_field=DecimalField(max_digits=38, decimal_places=9),
                )
            ),
            n=Count("id"),
        )
    )
    return FundTotals(
        funds=int(given["funds"] or 0),
        contributed=Decimal(given["total"] or 0),
        paid=Decimal(paid["total"] or 0),
        payouts=int(paid["n"] or 0),
    )


# --- one fund --------------------------------------------------------------------------------


@dataclass
class FundView:
    fund: SavingsFund
    contributed: Decimal
    paid: Decimal
    contributors: int
    contributions: list[FundContribution]
    payouts: list[FundPayout]

    @property
    def balance(self) -> Decimal:
        return self.contributed - self.paid


def fund_view(*, fund: SavingsFund, limit: int = 50) -> FundView:
    """The fund's balance (two sums) and its latest contributions and payouts."""
    given = (
        FundContribution.objects.valid()
        .filter(fund=fund)
        .aggregate(s=Sum("value"), people=Count("person_id", distinct=True))
    )
    paid = FundPayout.objects.valid().filter(fund=fund).aggregate(s=Sum("amount"))
    return FundView(
        fund=fund,
        contributed=Decimal(given["s"] or 0),
        paid=Decimal(paid["s"] or 0),
        contributors=int(given["people"] or 0),
        contributions=list(
            FundContribution.objects.filter(fund=fund)
            .select_related("person", "unit")
            .order_by("-on", "-pk")[:limit]
        ),
        payouts=list(FundPayout.objects.filter(fund=fund).order_by("-on", "-pk")[:limit]),
    )


def unit_roll(*, org: Org) -> list[Person]:
    """The people on the roll of the org's subtree, in Vietnamese name order (for the
    owner and contributor choices of a form)."""
    ids = (
        Membership.objects.current()
        .filter(org__path__startswith=org.path)
        .values_list("person_id", flat=True)
    )
    return list(Person.objects.filter(pk__in=ids).order_by("sort_key", "pk"))


# --- overlaps --------------------------------------------------------------------------------

# Words every model's name is full of: they say nothing about what it does.
_COMMON_WORDS = (
    "mo hinh phan viec sang kien xom thon to ban tdp cua va cho giup cac nhung tai o voi "
    "de trong nguoi hoi vien phu nu chi bo doan tiet kiem thuc hien lam theo bac ho tam "
    "guong xay dung"
)
_COMMON = frozenset(_COMMON_WORDS.split())
_WORD = re.compile(r"[a-z0-9]+")
# A pair scoring this much (see `similarity`) is listed as a likely overlap.
THRESHOLD = 0.45


def _words(folded: str) -> set[str]:
    return {word for word in _WORD.findall(folded) if word not in _COMMON}


def _trigrams(words: Iterable[str]) -> set[str]:
    grams: set[str] = set()
    for word in words:
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str, b: str, *, hamlet_a: str = "", hamlet_b: str = "") -> float:
    """How alike two model names are, diacritics and case left out (fold), from 0 to 1.1.

    The larger of the trigram Jaccard index of their meaningful words (the measure of
    PostgreSQL's pg_trgm) and 0.8 × the share of the shorter name's meaningful words the
    other one has ("Hũ gạo tình thương" and "Hũ gạo tiết kiệm giúp hội viên nghèo" share
    "hũ gạo": 0.4); 0.1 more when both are in the same hamlet. Words of the hamlets'
    names are left out ("… xóm Đồng Khuôn" says where, not what).
    """
    place = _words(fold(hamlet_a)) | _words(fold(hamlet_b))
    words_a, words_b = _words(fold(a)) - place, _words(fold(b)) - place
    if not words_a or not words_b:
        return 0.0
    grams_a, grams_b = _trigrams(words_a), _trigrams(words_b)
    jaccard = len(grams_a & grams_b) / len(grams_a | grams_b)
    overlap = len(words_a & words_b) / min(len(words_a), len(words_b))
    same_hamlet = bool(fold(hamlet_a)) and fold(hamlet_a) == fold(hamlet_b)
    return round(max(jaccard, 0.8 * overlap) + (0.1 if same_hamlet else 0.0), 3)


@dataclass(frozen=True)
class Match:
    initiative: Initiative
    score: float
    visible: bool  # the user may open it (else only its name and family are shown)


def overlapping_initiatives(
    *,
    org: Org,
    title: str,
    ward_code: int | None,
    hamlet: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    limit: int = 10,
) -> list[tuple[Initiative, float]]:
    """Models other units registered in the same commune (the same hamlet, or for the
    whole commune) for an overlapping period whose names are alike, best first, each with
    its score (Đức Thuận: "tránh được tình trạng trùng lắp, chồng chéo … giữa các mô hình,
    các tổ chức … trong đăng ký các phần việc, mô hình cụ thể").

    Not narrowed to a reader's scope: an overlap with a unit of another family is exactly
    what this looks for. Callers show an unreadable match by its name and family only."""
    if ward_code is None:
        return []
    candidates = Initiative.objects.filter(ward_code=ward_code)
    if fold(hamlet):
        # Same hamlet, or commune-wide: the same name in another hamlet serves other people.
        candidates = candidates.filter(Q(hamlet_folded=fold(hamlet)) | Q(hamlet_folded=""))
    candidates = (
        candidates.exclude(org=org)
        .exclude(status=InitiativeStatus.STOPPED)
        .during(starts_on, ends_on or datetime.date(starts_on.year + 50, 12, 31))
        .select_related("org")[:2000]
    )
    found = []
    for other in candidates:
        score = similarity(title, other.title, hamlet_a=hamlet, hamlet_b=other.hamlet)
        if score >= THRESHOLD:
            found.append((other, score))
    found.sort(key=lambda pair: (-pair[1], pair[0].pk))
    return found[:limit]


def similar_initiatives(
    *,
    user: AnyUser,
    org: Org,
    title: str,
    ward_code: int | None,
    hamlet: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    limit: int = 10,
) -> list[Match]:
    """`overlapping_initiatives`, each marked with whether the user may open it."""
    scope = scope_for(user)
    return [
        Match(initiative=other, score=score, visible=scope.role_at(other.org.path) is not None)
        for other, score in overlapping_initiatives(
            org=org,
            title=title,
            ward_code=ward_code,
            hamlet=hamlet,
            starts_on=starts_on,
            ends_on=ends_on,
            limit=limit,
        )
    ]


def _apart(first: Initiative, second: Initiative) -> bool:
    """Two models in different hamlets of the commune serve different people."""
    return bool(first.hamlet_folded and second.hamlet_folded) and (
        first.hamlet_folded != second.hamlet_folded
    )


@dataclass(frozen=True)
class OverlapPair:
    first: Initiative
    second: Initiative
    score: float


def overlaps_for(
    *, user: AnyUser, org: Org | None, year: int, limit: int = 200
) -> list[OverlapPair]:
    """Likely overlaps among the models running in `year` that the user reads: in `org`'s
    subtree, or (no org) in every subtree the user reads, which lets a commune committee
    watching the women's union see a cell and a branch doing the same thing. Pairs are
    of different units, in the same commune and hamlet (or one of them for the whole
    commune), with alike names (see `similarity`)."""
    start, end = year_bounds(year)
    rows = (
        Initiative.objects.visible_to(user, Role.VIEWER)
        .during(start, end)
        .exclude(status=InitiativeStatus.STOPPED)
        .filter(ward_code__isnull=False)
    )
    if org is not None:
        rows = rows.filter(org__path__startswith=org.path)
    by_place: dict[int, list[Initiative]] = defaultdict(list)
    for initiative in rows.select_related("org").order_by("ward_code", "pk")[:5000]:
        assert initiative.ward_code is not None
        by_place[initiative.ward_code].append(initiative)
    pairs = []
    for group in by_place.values():
        for index, first in enumerate(group):
            for second in group[index + 1 :]:
                if first.org_id == second.org_id or _apart(first, second):
                    continue
                score = similarity(
                    first.title, second.title, hamlet_a=first.hamlet, hamlet_b=second.hamlet
                )
                if score >= THRESHOLD:
                    pairs.append(OverlapPair(first=first, second=second, score=score))
    pairs.sort(key=lambda p: (-p.score, p.first.pk, p.second.pk))
    return pairs[:limit]


# --- movements ------------------------------------------------------------------------------


def movements_for_unit(*, user: AnyUser, org: Org) -> list[Movement]:
    """Movements reaching the org (launched by it or above it) and, for its readers,
    those launched under it."""
    reaching = Movement.objects.visible_to(user, Role.MEMBER).reaching(org)
    rows = list(reaching.select_related("org"))
    if can(user, org, Role.VIEWER):
        below = (
            Movement.objects.filter(org__path__startswith=org.path)
            .exclude(org=org)
            .select_related("org")
        )
        rows += list(below)
    return sorted(rows, key=lambda m: (-m.year, m.title, m.pk))


@dataclass
class SheetRow:
    org: Org
    sheet: ScoreSheet | None


def movement_sheets(*, user: AnyUser, movement: Movement) -> list[ScoreSheet]:
    """Score sheets of the units the user reads, best confirmed total first."""
    sheets = ScoreSheet.objects.filter(movement=movement).filter(
        scope_for(user).subtree_q("org__path", Role.VIEWER)
    )
    return list(
        sheets.select_related("org").order_by(
            F("confirmed_total").desc(nulls_last=True), "-self_total", "org__path"
        )
    )


def sheet_for(*, movement: Movement, org: Org) -> tuple[ScoreSheet | None, list[Score]]:
    sheet = ScoreSheet.objects.filter(movement=movement, org=org).first()
    scores = list(sheet.scores.select_related("criterion")) if sheet else []
    return sheet, scores


def sheet_counts(*, movement: Movement) -> dict[str, int]:
    return dict(
        ScoreSheet.objects.filter(movement=movement)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("status", "n")
    )


# --- exemplars and awards -------------------------------------------------------------------


def exemplars_for(*, user: AnyUser, org: Org, year: int | None = None) -> QuerySet[Exemplar]:
    if can(user, org, Role.VIEWER):
        rows = Exemplar.objects.filter(org__path__startswith=org.path)
    else:
        rows = Exemplar.objects.visible_to(user, Role.MEMBER).filter(org=org)
    if year is not None:
        rows = rows.filter(year=year)
    return rows.select_related("org", "person").order_by("-year", "org__path", "pk")


def awards_for(*, user: AnyUser, org: Org, year: int | None = None) -> QuerySet[Award]:
    if can(user, org, Role.VIEWER):
        rows = Award.objects.filter(org__path__startswith=org.path)
    else:
        rows = Award.objects.visible_to(user, Role.MEMBER).filter(org=org)
    if year is not None:
        start, end = year_bounds(year)
        rows = rows.filter(decided_on__gte=start, decided_on__lte=end)
    return rows.select_related("org", "person").order_by("-decided_on", "pk")


def person_awards(*, user: AnyUser, person: Person) -> list[Award]:
    """Awards and exemplars of a person as the user may read them: all on one's own
    profile, otherwise those recorded in the user's units and subtrees."""
    scope = scope_for(user)
    rows = Award.objects.filter(person=person)
    if not (scope.everything or scope.person_id == person.pk):
        rows = rows.filter(scope.units_q("org__path"))
    return list(rows.order_by("-decided_on", "pk"))


def org_awards(*, org: Org) -> list[Award]:
    """Awards to the unit itself (not to its members)."""
    return list(Award.objects.filter(org=org, person__isnull=True).order_by("-decided_on", "pk"))


@dataclass
class AwardCounts:
    by_form: list[tuple[str, int]]
    people: int
    units: int
    exemplars: int

    @property
    def total(self) -> int:
        return self.people + self.units


def award_counts(*, org: Org, year: int) -> AwardCounts:
    """Awards decided in `year` over the subtree, by form and by kind of awardee (one
    GROUP BY), and the exemplars recorded (one COUNT)."""
    start, end = year_bounds(year)
    rows = (
        Award.objects.filter(org__path__startswith=org.path)
        .filter(decided_on__gte=start, decided_on__lte=end)
        .values("form")
        .annotate(
            people=Count("id", filter=Q(person__isnull=False)),
            units=Count("id", filter=Q(person__isnull=True)),
        )
        .order_by()
    )
    labels = dict(AwardForm.choices)
    by_form: list[tuple[str, int]] = []
    people = units = 0
    for row in rows:
        by_form.append((str(labels.get(row["form"], row["form"])), row["people"] + row["units"]))
        people += row["people"]
        units += row["units"]
    exemplars = Exemplar.objects.filter(org__path__startswith=org.path, year=year).count()
    return AwardCounts(by_form=sorted(by_form), people=people, units=units, exemplars=exemplars)


# --- rows corrected by the officers ----------------------------------------------------------


def result_entry_get_for(*, user: AnyUser, entry_id: int) -> ResultEntry:
    """A result of a model the user opens; else 404."""
    return get_for(
        ResultEntry.objects.filter(
            indicator__initiative__in=Initiative.objects.visible_to(user, Role.MEMBER)
        ).select_related(
            "indicator__initiative__org", "indicator__kind", "indicator__unit", "unit"
        ),
        pk=entry_id,
    )


def contribution_get_for(*, user: AnyUser, contribution_id: int) -> FundContribution:
    return get_for(
        FundContribution.objects.filter(
            fund__initiative__in=Initiative.objects.visible_to(user, Role.MEMBER)
        ).select_related("fund__initiative__org", "fund__unit", "person", "unit"),
        pk=contribution_id,
    )


def payout_get_for(*, user: AnyUser, payout_id: int) -> FundPayout:
    return get_for(
        FundPayout.objects.filter(
            fund__initiative__in=Initiative.objects.visible_to(user, Role.MEMBER)
        ).select_related("fund__initiative__org", "fund__unit"),
        pk=payout_id,
    )
