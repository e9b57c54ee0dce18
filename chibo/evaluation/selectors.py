"""Reads of the year-end evaluation for the round pages.

Single objects come through the scoping layer and answer 404 outside the user's scope. A
round is seen by those who read its org, and by those who read (or are members of) a unit
inside it: a cell's secretary opens the round of the commune committee to reach the cell.
Lists run a fixed number of queries however many rows they show.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import Http404
from django.utils import timezone

from chibo.core.models import AuditEntry
from chibo.core.roles import Role
from chibo.core.scoping import get_for, scope_for
from chibo.evaluation.models import (
    Grade,
    MemberEvaluation,
    Round,
    RoundStatus,
    Step,
    UnitEvaluation,
)
from chibo.evaluation.rules import rule_set
from chibo.evaluation.rules.base import QuotaCheck
from chibo.orgs.models import Family, Level, Org

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser


def _reaches(user: AnyUser, path: str) -> bool:
    """Whether the user reads or belongs to anything in the subtree at `path`."""
    scope = scope_for(user)
    if scope.everything or scope.can(path, Role.VIEWER):
        return True
    return any(p.startswith(path) for p in (*scope.roots(Role.VIEWER), *scope.member_units()))


def round_get_for(*, user: AnyUser, round_id: int) -> Round:
    """A round the user reaches (its org or a unit inside it), else 404."""
    round_ = Round.objects.select_related("org").filter(pk=round_id).first()
    if round_ is None:
        raise Http404
    if _reaches(user, round_.org.path):
        return round_
    own = scope_for(user).person_id
    if own and MemberEvaluation.objects.filter(round=round_, person_id=own).exists():
        return round_
    raise Http404


def rounds_of(*, org: Org) -> list[Round]:
    """The rounds of an org, newest first, and those of the orgs above it covering it."""
    paths = [*org.ancestor_paths(), org.path]
    return list(
        Round.objects.filter(org__path__in=paths)
        .select_related("org")
        .order_by("-year", "org__path")
    )


def round_covering(*, user: AnyUser, round_id: int, org: Org) -> Round:
    """A round the user reaches whose subtree holds `org`, else 404."""
    round_ = round_get_for(user=user, round_id=round_id)
    if not org.path.startswith(round_.org.path):
        raise Http404
    return round_


def evaluation_get_for(*, user: AnyUser, evaluation_id: int) -> MemberEvaluation:
    """A member evaluation: the member's own, or one in a subtree the user reads."""
    scope = scope_for(user)
    visible = MemberEvaluation.objects.visible_to(user)
    if scope.person_id:
        visible = MemberEvaluation.objects.filter(
            Q(pk__in=visible.values("pk")) | Q(person_id=scope.person_id)
        )
    return get_for(
        visible.select_related("round", "round__org", "org", "person", "membership"),
        pk=evaluation_id,
    )


def own_evaluation(*, user: AnyUser, round_: Round) -> MemberEvaluation | None:
    person_id = scope_for(user).person_id
    if not person_id:
        return None
    return (
        MemberEvaluation.objects.filter(round=round_, person_id=person_id)
        .select_related("round", "org", "person", "membership")
        .first()
    )


# --- progress ---------------------------------------------------------------------------


@dataclass
class UnitProgress:
    org: Org
    total: int = 0
    excluded: int = 0
    self_done: int = 0
    proposed: int = 0
    decided: int = 0
    unit: UnitEvaluation | None = None

    @property
    def gradable(self) -> int:
        return self.total - self.excluded

    @property
    def waiting(self) -> int:
        return self.gradable - self.decided


def round_progress(*, user: AnyUser, round_: Round) -> list[UnitProgress]:
    """Per unit of the round the user reads: members by step (one GROUP BY) and the
    unit's own evaluation. Three queries."""
    scope = scope_for(user)
    path_q = scope.subtree_q("org__path")
    counts = (
        MemberEvaluation.objects.filter(round=round_)
        .filter(path_q)
        .values("org_id")
        .annotate(
            total=Count("pk"),
            excluded=Count("pk", filter=~Q(excluded_rule="")),
            self_done=Count("pk", filter=Q(excluded_rule="", self_submitted_at__isnull=False)),
            proposed=Count("pk", filter=Q(excluded_rule="", step=Step.PROPOSED)),
            decided=Count("pk", filter=Q(excluded_rule="", step=Step.DECIDED)),
        )
    )
    by_org = {row["org_id"]: row for row in counts}
    units = {
        u.org_id: u
        for u in UnitEvaluation.objects.filter(round=round_).filter(path_q).select_related("org")
    }
    orgs = {u.org_id: u.org for u in units.values()}
    missing = set(by_org) - set(orgs)
    if missing:
        orgs.update({o.pk: o for o in Org.objects.filter(pk__in=missing)})
    rows = []
    for pk, org in sorted(orgs.items(), key=lambda item: item[1].path):
        row = by_org.get(pk, {})
        rows.append(
            UnitProgress(
                org=org,
                total=row.get("total", 0),
                excluded=row.get("excluded", 0),
                self_done=row.get("self_done", 0),
                proposed=row.get("proposed", 0),
                decided=row.get("decided", 0),
                unit=units.get(pk),
            )
        )
    return rows


# --- evidence ---------------------------------------------------------------------------


@dataclass
class Evidence:
    """What the registry says of a member's year, shown beside the forms."""

    absences: int | None = None
    unpaid_months: int | None = None
    commitment: Any = None


def evidence_for(
    *, org: Org, year: int, person_ids: Iterable[int], today: datetime.date | None = None
) -> dict[int, Evidence]:
    """Unexcused absences (months with one), fee months unpaid without a good reason and
    the commitment result for the year, by person: a fixed number of queries for the
    whole list. The caller checked the user's scope over `org`."""
    ids = sorted(set(person_ids))
    found = {pid: Evidence() for pid in ids}
    if not ids:
        return found
    day = today or timezone.localdate()
    try:
        from chibo.meetings.models import Attendance, AttendanceStatus, MeetingStatus
    except ImportError:  # pragma: no cover - meetings is installed in this project
        pass
    else:
        rows = (
            Attendance.objects.filter(
                person_id__in=ids,
                status=AttendanceStatus.UNEXCUSED,
                meeting__status=MeetingStatus.HELD,
                meeting__org__family=Family.PARTY,
                meeting__period__gte=datetime.date(year, 1, 1),
                meeting__period__lte=datetime.date(year, 12, 1),
            )
            .values("person_id")
            .annotate(n=Count("meeting__period", distinct=True))
        )
        for pid in ids:
            found[pid].absences = 0
        for row in rows:
            found[row["person_id"]].absences = row["n"]
    try:
        from chibo.fees.ledger import load_accounts
    except ImportError:  # pragma: no cover
        pass
    else:
        for pid, account in load_accounts(ids).items():
            found[pid].unpaid_months = len(account.year(year, day).without_reason)
    try:
        from chibo.plans.selectors import commitment_results
    except ImportError:  # pragma: no cover
        pass
    else:
        results = commitment_results(org=org, year=year, today=day)
        for pid in ids:
            found[pid].commitment = results.get(pid)
    return found


# --- rows of the cell and decision pages --------------------------------------------------


@dataclass
class MemberRow:
    evaluation: MemberEvaluation
    evidence: Evidence = field(default_factory=Evidence)


def member_rows(
    *, round_: Round, org: Org, exact: bool = False, with_evidence: bool = True
) -> list[MemberRow]:
    """The member evaluations of a unit (or its subtree), in Vietnamese name order."""
    rows = MemberEvaluation.objects.filter(round=round_).select_related(
        "person", "org", "membership", "round"
    )
    rows = rows.filter(org=org) if exact else rows.filter(org__path__startswith=org.path)
    evaluations = list(rows.order_by("org__path", "person__sort_key", "pk"))
    evidence: dict[int, Evidence] = {}
    if with_evidence and evaluations:
        evidence = evidence_for(
            org=org, year=round_.year, person_ids=[e.person_id for e in evaluations]
        )
    return [MemberRow(e, evidence.get(e.person_id, Evidence())) for e in evaluations]


def base_of(org: Org) -> Org | None:
    if org.level == Level.BASE:
        return org
    return (
        Org.objects.filter(path__in=org.ancestor_paths(), level=Level.BASE)
        .order_by("-depth")
        .first()
    )


def quota_check(*, round_: Round, base: Org) -> QuotaCheck:
    """The quota of a grassroots organisation over its decided grades, or the proposed
    grade where none is decided yet: one GROUP BY."""
    grade = Coalesce(NullIf(F("decided_grade"), Value("")), F("proposed_grade"))
    counts: dict[str, int] = {}
    rows = (
        MemberEvaluation.objects.filter(
            round=round_, excluded_rule="", org__path__startswith=base.path
        )
        .annotate(g=grade)
        .values("g")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        if row["g"]:
            counts[row["g"]] = row["n"]
    return rule_set(round_.rule_set).quota(counts)


def grade_choices(round_: Round, *, family: str = Family.PARTY, unit: bool = False) -> list[Any]:
    rules = rule_set(round_.rule_set)
    grades = (
        rules.unit_grades(family="party" if family == Family.PARTY else family)
        if unit
        else (rules.member_grades())
    )
    return [(g.value, g.label) for g in grades]


def history(*, subject: MemberEvaluation | UnitEvaluation) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        subject_type=subject._meta.label_lower, subject_id=subject.pk
    ).order_by("-at", "-pk")


# --- the entry page -------------------------------------------------------------------------


@dataclass
class Home:
    own: list[MemberEvaluation]
    units: list[tuple[Round, Org]]
    rounds: list[Round]
    committees: list[Org]


def evaluation_home(*, user: AnyUser) -> Home:
    """What the user does in evaluation: their own open self-assessments, the units they
    run in open rounds, the rounds they read and the orgs where they may open one."""
    scope = scope_for(user)
    own: list[MemberEvaluation] = []
    if scope.person_id:
        own = list(
            MemberEvaluation.objects.filter(
                person_id=scope.person_id, round__status=RoundStatus.OPEN
            ).select_related("round", "round__org", "org")
        )
    rounds = list(
        Round.objects.filter(scope.subtree_q("org__path"))
        .select_related("org")
        .order_by("-year", "org__path")[:50]
    )
    officer_units = list(
        UnitEvaluation.objects.filter(round__status=RoundStatus.OPEN)
        .filter(scope.subtree_q("org__path", Role.OFFICER))
        .exclude(round__in=[r.pk for r in rounds if scope.can(r.org.path, Role.COMMITTEE)])
        .select_related("round", "round__org", "org")
        .order_by("-round__year", "org__path")[:30]
    )
    committees = list(
        Org.objects.visible_to(user, Role.COMMITTEE)
        .filter(family=Family.PARTY, level__in=(Level.BASE, Level.DISTRICT, Level.PROVINCE))
        .order_by("path")[:20]
    )
    return Home(
        own=own,
        units=[(u.round, u.org) for u in officer_units],
        rounds=rounds,
        committees=committees,
    )


GRADE_SHORT = {
    Grade.EXCELLENT: "HTXSNV",
    Grade.GOOD: "HTTNV",
    Grade.PASS: "HTNV",
    Grade.FAIL: "KHTNV",
}


# --- what the round pages show and allow --------------------------------------------------


def unit_evaluation_for(*, user: AnyUser, round_: Round, org: Org) -> UnitEvaluation | None:
    """The unit's own evaluation in the round, through the scoping layer: None for a user
    who does not read the unit."""
    return (
        UnitEvaluation.objects.visible_to(user)
        .filter(round=round_, org=org)
        .select_related("round", "org")
        .first()
    )


def evaluation_writable(evaluation: MemberEvaluation | UnitEvaluation) -> bool:
    """Whether the evaluation may still be written: its round open, it undecided."""
    return evaluation.round.status == RoundStatus.OPEN and not evaluation.is_locked


def round_can_open(*, user: AnyUser, org: Org) -> bool:
    """Whether the page offers to open a round at `org`: the committee of an active org
    from the grassroots level up (`round_open` refuses the rest with the reason)."""
    return (
        scope_for(user).can(org.path, Role.COMMITTEE)
        and org.is_active
        and org.level not in (Level.BRANCH, Level.GROUP)
    )


def progress_totals(progress: Iterable[UnitProgress]) -> dict[str, int]:
    """The round's figures over the units listed (those the user reads)."""
    rows = list(progress)
    return {
        name: sum(getattr(p, name) for p in rows)
        for name in ("total", "excluded", "self_done", "proposed", "decided")
    }


def awaiting_decision(rows: Iterable[MemberRow]) -> list[MemberEvaluation]:
    """The evaluations the cell proposed a grade for and the committee has not decided:
    those "decide as proposed" would decide."""
    return [
        r.evaluation
        for r in rows
        if r.evaluation.proposed_grade
        and not r.evaluation.is_locked
        and not r.evaluation.is_excluded
    ]
