"""Reads of themes, documents, plans, sessions, quizzes and commitments, through the
scoping layer.

Pages start from an org the user may open (`org_get_for` + `require_role` in the view);
rows issued for a subtree (themes, documents) are fetched among those that reach that org,
and single objects come from `get_for`, so anything outside answers 404.

Roll-ups over a subtree (compliance, quiz results, read confirmations) are one GROUP BY
over the members' org path prefix: the members on the roll on the reference day, joined
to their own row (commitment, answers, read confirmation) by person. Rows follow the
person, so a member whose cell was merged into another during the year counts, with the
commitment they wrote before, in the cell they belong to now.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import IO, TYPE_CHECKING, Any

from django.db.models import (
    Count,
    Exists,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chibo.core.roles import Role
from chibo.core.scoping import get_for, scope_for
from chibo.orgs.models import Org
from chibo.people.models import Membership, Person
from chibo.plans.files import FILE_TYPES, extension_of
from chibo.plans.models import (
    Commitment,
    CommitmentItem,
    CommitmentStatus,
    Document,
    DocumentRead,
    ItemResult,
    QuizAttempt,
    QuizQuestion,
    StudySession,
    Theme,
    UnitPlan,
)
from chibo.plans.services import TAKING_PART

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser

# How many missing names a page lists at once; the count is always exact.
MISSING_LIMIT = 200
# The newest documents a library page lists.
LIBRARY_LIMIT = 200


def reference_day(year: int, today: datetime.date | None = None) -> datetime.date:
    """The day whose roll a year's figures count: the last day of a past year, today
    for the current one (the roll of a year not yet begun is today's)."""
    today = today or timezone.localdate()
    return min(today, datetime.date(year, 12, 31)) if year <= today.year else today


def roll_on(day: datetime.date) -> QuerySet[Membership]:
    """Memberships on a roll on `day` of members who take part in the unit's life."""
    return Membership.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day),
        started_on__lte=day,
        status__in=TAKING_PART,
    )


def _child_prefix(org: Org) -> Any:
    return Substr("org__path", 1, len(org.path) + org.steplen)


def _children(org: Org) -> list[Org]:
    return list(Org.objects.filter(path__startswith=org.path, depth=org.depth + 1))


# --- themes ------------------------------------------------------------------------------------


def mark_issuers(*, user: AnyUser, rows: Sequence[Theme | Document]) -> None:
    """Set `issuer` on each row: its org when the user may open it, else None. A cell
    receives the province's themes without learning anything about the province's
    committee (the page then says "cấp trên"): one query."""
    visible = set(
        Org.objects.visible_to(user, Role.MEMBER)
        .filter(pk__in={row.org_id for row in rows})
        .values_list("pk", flat=True)
    )
    for row in rows:
        row.issuer = row.org if row.org_id in visible else None  # type: ignore[union-attr]


def themes_for_unit(*, user: AnyUser, org: Org, year: int) -> list[Theme]:
    """Themes reaching the unit that cover `year`, each with `plan` (the unit's plan for
    the year, or None) and `document_count`: three queries."""
    themes = list(
        Theme.objects.visible_to(user, Role.MEMBER)
        .reaching(org)
        .covering(year)
        .select_related("org")
        .annotate(document_count=Count("documents"))
        .order_by("-year", "kind", "title")
    )
    plans = {
        plan.theme_id: plan
        for plan in UnitPlan.objects.filter(org=org, year=year, theme__in=themes).prefetch_related(
            "items"
        )
    }
    for theme in themes:
        theme.plan = plans.get(theme.pk)  # type: ignore[attr-defined]
    mark_issuers(user=user, rows=themes)
    return themes


def theme_get_for(*, user: AnyUser, org: Org, theme_id: int) -> Theme:
    """A theme reaching the org, if the user may read it; 404 otherwise."""
    theme = get_for(
        Theme.objects.visible_to(user, Role.MEMBER).reaching(org).select_related("org"),
        pk=theme_id,
    )
    mark_issuers(user=user, rows=[theme])
    return theme


def themes_issued(*, org: Org) -> QuerySet[Theme]:
    return Theme.objects.filter(org=org).order_by("-year", "title")


@dataclass
class ChildCount:
    org: Org
    members: int
    done: int
    extra: int = 0

    @property
    def percent(self) -> float:
        return round(self.done * 100 / self.members, 1) if self.members else 0.0


@dataclass
class ThemeOverview:
    theme: Theme
    org: Org
    year: int
    plan: UnitPlan | None
    documents: list[Document]
    sessions: Sequence[StudySession]
    questions: list[QuizQuestion]
    my_attempt: QuizAttempt | None
    # Units under the org: whether each recorded a plan (done = 1), and quiz results.
    child_plans: list[ChildCount] = field(default_factory=list)
    quiz: list[ChildCount] = field(default_factory=list)
    quiz_total: ChildCount | None = None

    @property
    def planned_count(self) -> int:
        return sum(row.done for row in self.child_plans)


def theme_overview(
    *, user: AnyUser, org: Org, theme: Theme, year: int, today: datetime.date | None = None
) -> ThemeOverview:
    """What the unit does with the theme in `year`, and for a committee how the units
    below it follow: a fixed number of queries, whatever the size of the subtree."""
    plan = (
        UnitPlan.objects.filter(org=org, theme=theme, year=year).prefetch_related("items").first()
    )
    documents = list(Document.objects.reaching(org).filter(theme=theme).order_by("issued_on", "pk"))
    sessions = list(
        StudySession.objects.filter(org=org, theme=theme, held_on__year=year).annotate(
            attendee_count=Count("attendees")
        )
    )
    questions = list(theme.questions.prefetch_related("choices"))
    person_id = scope_for(user).person_id
    my_attempt = (
        QuizAttempt.objects.filter(theme=theme, person_id=person_id).first() if person_id else None
    )
    overview = ThemeOverview(
        theme=theme,
        org=org,
        year=year,
        plan=plan,
        documents=documents,
        sessions=sessions,
        questions=questions,
        my_attempt=my_attempt,
    )
    if scope_for(user).can(org.path, Role.VIEWER):
        children = _children(org)
        if children:
            planned = set(
                UnitPlan.objects.filter(
                    theme=theme, year=year, org__path__startswith=org.path, org__depth__gt=org.depth
                )
                .annotate(prefix=_child_prefix(org))
                .values_list("prefix", flat=True)
            )
            overview.child_plans = [
                ChildCount(org=child, members=1, done=int(child.path in planned))
                for child in children
                if child.is_active
            ]
        if questions:
            overview.quiz, overview.quiz_total = quiz_results(
                org=org, theme=theme, day=reference_day(year, today)
            )
    return overview


def quiz_results(
    *, org: Org, theme: Theme, day: datetime.date
) -> tuple[list[ChildCount], ChildCount]:
    """Per unit under `org` (or the org's own roll when it has no units below): members,
    members who took the quiz (`done`) and their right answers in total (`extra`)."""
    rows = (
        roll_on(day)
        .filter(org__path__startswith=org.path, family=org.family)
        .annotate(
            answer=FilteredRelation(
                "person__quiz_attempts", condition=Q(person__quiz_attempts__theme=theme)
            )
        )
        .annotate(prefix=_child_prefix(org))
        .values("prefix")
        .annotate(members=Count("id"), takers=Count("answer__id"), right=Sum("answer__score"))
        .order_by()
    )
    by_prefix = {row["prefix"]: row for row in rows}
    children = [c for c in _children(org) if c.is_active or c.path in by_prefix] or [org]
    result = [
        ChildCount(
            org=child,
            members=int(by_prefix.get(child.path, {}).get("members", 0)),
            done=int(by_prefix.get(child.path, {}).get("takers", 0)),
            extra=int(by_prefix.get(child.path, {}).get("right") or 0),
        )
        for child in children
    ]
    total = ChildCount(
        org=org,
        members=sum(int(row["members"]) for row in by_prefix.values()),
        done=sum(int(row["takers"]) for row in by_prefix.values()),
        extra=sum(int(row["right"] or 0) for row in by_prefix.values()),
    )
    return result, total


def quiz_get(*, theme: Theme) -> list[QuizQuestion]:
    return list(theme.questions.prefetch_related("choices"))


# --- documents ---------------------------------------------------------------------------------


def library(*, user: AnyUser, org: Org) -> list[Document]:
    """Documents reaching the unit, newest first, each with `read_by_me`: one query."""
    person_id = scope_for(user).person_id
    documents = (
        Document.objects.visible_to(user, Role.MEMBER)
        .reaching(org)
        .select_related("org", "theme")
        .annotate(
            read_by_me=Exists(
                DocumentRead.objects.filter(document=OuterRef("pk"), person_id=person_id or 0)
            )
        )
        .order_by("-issued_on", "-pk")
    )
    rows = list(documents[:LIBRARY_LIMIT])
    mark_issuers(user=user, rows=rows)
    return rows


def document_get_for(*, user: AnyUser, org: Org, document_id: int) -> Document:
    document = get_for(
        Document.objects.visible_to(user, Role.MEMBER).reaching(org).select_related("org", "theme"),
        pk=document_id,
    )
    mark_issuers(user=user, rows=[document])
    return document


@dataclass
class Readers:
    """Who of a unit has read a document: names for the unit's own roll, counts for
    every unit below."""

    document: Document
    org: Org
    read: list[tuple[Membership, datetime.datetime]]
    unread: list[Membership]
    children: list[ChildCount]
    total: ChildCount


def document_readers(*, document: Document, org: Org) -> Readers:
    """Who has and has not read the document, in `org` and its subtree (the caller
    checked that the user reads the org): two queries."""
    day = timezone.localdate()
    read_at = DocumentRead.objects.filter(document=document, person=OuterRef("person_id"))
    own = list(
        roll_on(day)
        .filter(org=org)
        .select_related("person")
        .annotate(read_at=Subquery(read_at.values("read_at")[:1]))
        .order_by("person__sort_key", "person_id")
    )
    rows = (
        roll_on(day)
        .filter(org__path__startswith=org.path, family=org.family)
        .annotate(
            confirmed=FilteredRelation(
                "person__document_reads", condition=Q(person__document_reads__document=document)
            )
        )
        .annotate(prefix=_child_prefix(org))
        .values("prefix")
        .annotate(members=Count("id"), readers=Count("confirmed__id"))
    )
    by_prefix = {row["prefix"]: row for row in rows}
    children = [
        ChildCount(
            org=child,
            members=int(by_prefix.get(child.path, {}).get("members", 0)),
            done=int(by_prefix.get(child.path, {}).get("readers", 0)),
        )
        for child in _children(org)
        if child.is_active or child.path in by_prefix
    ]
    total = ChildCount(
        org=org,
        members=sum(int(row["members"]) for row in by_prefix.values()),
        done=sum(int(row["readers"]) for row in by_prefix.values()),
    )
    return Readers(
        document=document,
        org=org,
        read=[(m, m.read_at) for m in own if m.read_at is not None],
        unread=[m for m in own if m.read_at is None],
        children=children,
        total=total,
    )


def my_read(*, document: Document, person_id: int | None) -> DocumentRead | None:
    if person_id is None:
        return None
    return DocumentRead.objects.filter(document=document, person_id=person_id).first()


# --- study sessions ------------------------------------------------------------------------


def sessions_for(*, org: Org, year: int) -> list[StudySession]:
    return list(
        StudySession.objects.filter(org=org, held_on__year=year)
        .select_related("theme")
        .annotate(attendee_count=Count("attendees"))
        .order_by("-held_on", "-pk")
    )


def unit_roll(*, org: Org) -> list[Membership]:
    """The unit's own members taking part today, in Vietnamese name order."""
    return list(
        roll_on(timezone.localdate())
        .filter(org=org)
        .select_related("person")
        .order_by("person__sort_key", "person_id")
    )


# --- commitments: compliance ------------------------------------------------------------


class Stage:
    SUBMITTED = "submitted"
    APPROVED = "approved"
    MID = "mid"
    END = "end"


STAGES: tuple[tuple[str, Any], ...] = (
    (Stage.SUBMITTED, _("Đã viết, gửi cam kết")),
    (Stage.APPROVED, _("Đã được duyệt")),
    (Stage.MID, _("Đã tự đánh giá 6 tháng")),
    (Stage.END, _("Đã tự đánh giá cuối năm")),
)


def _stage_q(stage: str, prefix: str = "c__") -> Q:
    if stage == Stage.SUBMITTED:
        return Q(**{f"{prefix}submitted_at__isnull": False})
    if stage == Stage.APPROVED:
        return Q(**{f"{prefix}status": CommitmentStatus.APPROVED})
    if stage == Stage.MID:
        return Q(**{f"{prefix}mid_reported_at__isnull": False})
    return Q(**{f"{prefix}end_reported_at__isnull": False})


@dataclass
class ComplianceRow:
    org: Org
    members: int = 0
    submitted: int = 0
    approved: int = 0
    mid: int = 0
    end: int = 0

    def count(self, stage: str) -> int:
        return int(getattr(self, stage))

    def percent(self, stage: str) -> float:
        return round(self.count(stage) * 100 / self.members, 2) if self.members else 0.0

    @property
    def cells(self) -> list[tuple[str, Any, int, float]]:
        """(stage, its label, members who reached it, their share in %) for each stage."""
        return [(stage, label, self.count(stage), self.percent(stage)) for stage, label in STAGES]


@dataclass
class Compliance:
    org: Org
    year: int
    day: datetime.date
    total: ComplianceRow
    children: list[ComplianceRow]
    # Members on the org's own roll (a cell's members; a committee's own seldom exist).
    own: ComplianceRow | None


def commitment_compliance(*, org: Org, year: int, today: datetime.date | None = None) -> Compliance:
    """Share of the subtree's members who wrote, had approved, and reported on their
    commitment of `year`, for the org and each unit directly under it: one GROUP BY query
    over the path prefix (and one for the names of the units)."""
    day = reference_day(year, today)
    members = roll_on(day).filter(org__path__startswith=org.path, family=org.family)
    rows = (
        members.annotate(
            c=FilteredRelation(
                "person__commitments",
                condition=Q(person__commitments__year=year, person__commitments__family=org.family),
            )
        )
        .annotate(prefix=_child_prefix(org))
        .values("prefix")
        .annotate(
            members=Count("id"),
            submitted=Count("id", filter=_stage_q(Stage.SUBMITTED)),
            approved=Count("id", filter=_stage_q(Stage.APPROVED)),
            mid=Count("id", filter=_stage_q(Stage.MID)),
            end=Count("id", filter=_stage_q(Stage.END)),
        )
        .order_by()
    )
    by_prefix: dict[str, ComplianceRow] = {}
    total = ComplianceRow(org=org)
    for row in rows:
        counts = {key: int(row[key]) for key in ("members", "submitted", "approved", "mid", "end")}
        by_prefix[row["prefix"]] = ComplianceRow(org=org, **counts)
        for key, value in counts.items():
            setattr(total, key, getattr(total, key) + value)
    children = [
        replace(by_prefix[child.path], org=child)
        if child.path in by_prefix
        else ComplianceRow(org=child)
        for child in _children(org)
        # A unit merged or dissolved before the reference day has nobody left to count.
        if child.is_active or child.path in by_prefix
    ]
    own = by_prefix.get(org.path)
    return Compliance(org=org, year=year, day=day, total=total, children=children, own=own)


@dataclass
class Missing:
    stage: str
    count: int
    memberships: Sequence[Membership]


def compliance_missing(
    *, org: Org, year: int, stage: str, today: datetime.date | None = None
) -> Missing:
    """Members of the subtree who have not reached `stage` for `year`: the exact count
    and the first names in Vietnamese order, with their unit (two queries)."""
    day = reference_day(year, today)
    members = roll_on(day).filter(org__path__startswith=org.path, family=org.family)
    lacking = members.annotate(
        c=FilteredRelation(
            "person__commitments",
            condition=Q(person__commitments__year=year, person__commitments__family=org.family),
        )
    ).exclude(_stage_q(stage))
    # A missing commitment gives NULL columns; exclude() treats NULL as "not reached".
    names = list(
        lacking.select_related("person", "org").order_by("person__sort_key", "person_id")[
            :MISSING_LIMIT
        ]
    )
    return Missing(stage=stage, count=lacking.count(), memberships=names)


# --- commitments: results for the evaluation ----------------------------------------------


class Outcome:
    COMPLETED = "completed"
    MOSTLY = "mostly"
    NOT_COMPLETED = "not_completed"
    NOT_REPORTED = "not_reported"
    NOT_APPROVED = "not_approved"
    MISSING = "missing"


OUTCOME_LABELS: dict[str, Any] = {
    Outcome.COMPLETED: _("Thực hiện đầy đủ cam kết"),
    Outcome.MOSTLY: _("Thực hiện phần lớn cam kết"),
    Outcome.NOT_COMPLETED: _("Không thực hiện được phần lớn cam kết"),
    Outcome.NOT_REPORTED: _("Chưa tự đánh giá cuối năm"),
    Outcome.NOT_APPROVED: _("Bản cam kết chưa được duyệt"),
    Outcome.MISSING: _("Không có bản cam kết"),
}


@dataclass(frozen=True)
class CommitmentResult:
    """The year-end result of one member's commitment, as the evaluation reads it."""

    person_id: int
    commitment_id: int | None
    status: str
    items: int = 0
    done: int = 0
    partly: int = 0
    not_done: int = 0
    comment: str = ""

    @property
    def share_done(self) -> float:
        """Items done, counting a partly done one as half: 0.0 to 1.0."""
        return (self.done + self.partly / 2) / self.items if self.items else 0.0

    @property
    def outcome(self) -> str:
        """Our summary of the self-report (the evaluation decides the grade): every item
        done; at least half (a partly done item counting half); less than half."""
        if self.commitment_id is None:
            return Outcome.MISSING
        if self.status != CommitmentStatus.APPROVED:
            return Outcome.NOT_APPROVED
        if self.done + self.partly + self.not_done < self.items or not self.items:
            return Outcome.NOT_REPORTED
        if self.done == self.items:
            return Outcome.COMPLETED
        return Outcome.MOSTLY if self.share_done >= 0.5 else Outcome.NOT_COMPLETED

    @property
    def outcome_label(self) -> Any:
        return OUTCOME_LABELS[self.outcome]


def commitment_results(
    *, org: Org, year: int, today: datetime.date | None = None
) -> dict[int, CommitmentResult]:
    """Year-end results of `year`'s commitments for every member on the roll of the org's
    subtree (on the reference day of the year), by person id; a member without a
    commitment gets outcome MISSING. Two queries. The caller checked the user's scope."""
    day = reference_day(year, today)
    roll = roll_on(day).filter(org__path__startswith=org.path, family=org.family)
    results = {
        pid: CommitmentResult(person_id=pid, commitment_id=None, status="")
        for pid in roll.values_list("person_id", flat=True)
    }
    commitments = (
        Commitment.objects.filter(
            year=year, family=org.family, person_id__in=roll.values("person_id")
        )
        .annotate(
            n_items=Count("items"),
            n_done=Count("items", filter=Q(items__end_result=ItemResult.DONE)),
            n_partly=Count("items", filter=Q(items__end_result=ItemResult.PARTLY)),
            n_not=Count("items", filter=Q(items__end_result=ItemResult.NOT_DONE)),
        )
        .values_list(
            "pk",
            "person_id",
            "status",
            "n_items",
            "n_done",
            "n_partly",
            "n_not",
            "end_comment",
            "end_reported_at",
        )
    )
    for pk, pid, status, items, done, partly, not_done, comment, reported in commitments:
        if reported is None:
            done = partly = not_done = 0
        results[pid] = CommitmentResult(
            person_id=pid,
            commitment_id=pk,
            status=status,
            items=items,
            done=done,
            partly=partly,
            not_done=not_done,
            comment=comment,
        )
    return results


# --- commitments: single ones and lists ------------------------------------------------------


def commitment_get_for(*, user: AnyUser, commitment_id: int) -> Commitment:
    """A commitment the user may read (their own, or one in a readable subtree); 404."""
    return get_for(
        Commitment.objects.visible_to(user, Role.MEMBER)
        .select_related("person", "org", "reviewed_by")
        .prefetch_related(
            Prefetch("items", queryset=CommitmentItem.objects.order_by("kind", "order", "pk"))
        )
        .filter(pk=commitment_id),
        pk=commitment_id,
    )


def commitments_for_unit(*, org: Org, year: int) -> list[Commitment]:
    """The unit's commitments of `year` (those waiting for approval first), with their
    items counted: one query."""
    waiting = {CommitmentStatus.SUBMITTED: 0, CommitmentStatus.RETURNED: 1}
    rows = list(
        Commitment.objects.filter(org=org, year=year)
        .select_related("person")
        .annotate(item_count=Count("items"))
        .order_by("person__sort_key", "person_id")
    )
    return sorted(rows, key=lambda c: waiting.get(c.status, 2))  # type: ignore[call-overload]


@dataclass
class MyCommitment:
    membership: Membership
    commitment: Commitment | None


def my_commitments(*, person: Person, year: int) -> list[MyCommitment]:
    """For each unit the person takes part in, their commitment of `year` (or None)."""
    memberships = list(
        Membership.objects.current()
        .filter(person=person, status__in=TAKING_PART)
        .select_related("org")
        .order_by("family")
    )
    commitments = {
        c.family: c
        for c in Commitment.objects.filter(person=person, year=year).annotate(
            item_count=Count("items")
        )
    }
    return [MyCommitment(m, commitments.get(m.family)) for m in memberships]


def membership_for(*, person: Person, org: Org) -> Membership | None:
    return (
        Membership.objects.current()
        .filter(person=person, org=org, status__in=TAKING_PART)
        .select_related("org")
        .first()
    )


# --- attached files ---------------------------------------------------------------------------


def document_file_open(*, document: Document) -> IO[bytes] | None:
    """The attached file opened for reading, or None when there is none (or it is missing
    on disk: the download then answers 404 rather than failing)."""
    if not document.file:
        return None
    try:
        handle: IO[bytes] = document.file.storage.open(document.file.name, "rb")
    except (FileNotFoundError, OSError):
        return None
    return handle


def document_content_type(*, document: Document) -> str:
    """The type the extension was checked against when uploaded."""
    found = FILE_TYPES.get(extension_of(document.file.name or ""))
    return found.content_type if found else "application/octet-stream"
