"""Last year's finished grading rounds of the demo, and the year before for comparison.

Every grassroots party organisation of the demo province (Đảng bộ xã Đại Từ, Đảng bộ cơ
quan Hội LHPN tỉnh, and, for the year before the 2025 merger, Đảng bộ xã Hà Thượng) has a
finalised round for each of the two years before today's: the grassroots committee grades
its members and cells, as Quy định 124-QĐ/TW and 366-QĐ/TW give it to decide; the
province opens no round of its own and sees the rounds of its subtree in the statistics.
The women's union of the commune (Hội LHPN xã Đại Từ) grades its branches on the
mass-organisation scale in a round of its own. What the figures should then tell, close
to the seed articles:

- last year 96–97 % of Đại Từ's graded members good or above ("96,96%"), about 16 %
  excellent, exactly at the quota (excellent ≤ 20 % of those graded good) and never over
  it; the year before a little lower (about 94,5 %, one member failed), the agency union's
  committee 100 % good or above every year;
- members exempt from party activities (the elderly and long-ill of the demo) and those
  admitted less than 6 months before the reference date are listed with the rule that
  leaves them ungraded; one member on long sick leave is capped below good, one
  disciplined member is capped at good, each with its rule;
- cells mostly HTTNV, a few HTXSNV, one HTNV; 11 of the 13 women's branches "vững mạnh"
  (85 %), two "khá";
- bithu1 excellent last year, dangvien1 good; every decision by the secretary of the
  grassroots committee (danguy for Đại Từ), every row locked.

Written with bulk_create and no audit entries (generated data, like the rest of the demo).
Idempotent: once last year's round of the demo's commune exists nothing more is written;
`chibo demo --reset` purges the rounds with the orgs they belong to (the purge follows
every foreign key), so no reset of its own is needed.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chibo.core.models import User
from chibo.evaluation import demo_texts as texts
from chibo.evaluation.models import (
    Grade,
    MemberEvaluation,
    Round,
    RoundStatus,
    Step,
    UnitEvaluation,
)
from chibo.evaluation.seeding import (
    criteria,
    discipline_cap,
    exclusion,
    grade_for_score,
    is_scored,
    max_excellent,
    round_dates,
    rule_set_code,
    score_in_band,
    score_sheet,
    sick_leave_cap,
    status_on,
)
from chibo.orgs.models import Family, Level, Org
from chibo.orgs.tree import ancestor_paths
from chibo.people.models import Membership, Position, Title

Progress = Callable[[str], None]
SEED = 20251201
PARTY_ROOT = "TU-TN"
WOMEN_ROOTS = ("HLHPN-DT",)
COMMUNE = "DU-DT"
# Years back from today -> the share of graded members good or above (seed articles:
# "96,96%" last year; Hà Thượng's 92,92 % some years before) and how full the quota is.
GOOD_OR_ABOVE = {1: 0.9696, 2: 0.945}
QUOTA_FILL = {1: 1.0, 2: 0.85}
STRONG_SHARE = 0.85  # "tỷ lệ tổ chức đoàn thể vững mạnh đạt 85%"
EXCELLENT_PERSONA = "bithu1"
GOOD_PERSONA = "dangvien1"
UNIT_LEVELS = (Level.BRANCH, Level.GROUP)


def _quiet(_message: str) -> None:
    """Say nothing."""


def demo_years(today: datetime.date) -> tuple[int, int]:
    """(the year before last, last year): the two finished rounds of the demo."""
    return today.year - 2, today.year - 1


def seed_evaluation_demo(*, today: datetime.date | None = None, progress: Progress = _quiet) -> int:
    """Write the demo's finished rounds unless they are there; the number of evaluations."""
    today = today or timezone.localdate()
    root = Org.objects.filter(code=PARTY_ROOT).first()
    commune = Org.objects.filter(code=COMMUNE).first()
    if root is None or commune is None:
        progress(_("Chưa có dữ liệu mẫu của tỉnh, bỏ qua đánh giá, xếp loại mẫu."))
        return 0
    with transaction.atomic():
        if Round.objects.filter(org=commune, year=demo_years(today)[1]).exists():
            progress(_("Đánh giá, xếp loại mẫu đã có, không ghi thêm."))
            return 0
        women = list(Org.objects.filter(code__in=WOMEN_ROOTS))
        # Stored text is Vietnamese, whatever language the command runs in.
        with translation.override("vi"):
            builder = _Builder(today)
            count = 0
            for back, year in zip((2, 1), demo_years(today), strict=True):
                count += builder.party_year(root, year, back)
                for org in women:
                    count += builder.women_year(org, year)
    progress(_("Đánh giá, xếp loại mẫu: %(count)s lượt đánh giá.") % {"count": count})
    return count


@dataclass
class _Member:
    membership_id: int
    person_id: int
    org_id: int
    path: str
    joined_on: datetime.date | None
    standing: str
    username: str | None
    officer: bool
    excluded: str = ""


@dataclass
class _Base:
    org: Org
    members: list[_Member] = field(default_factory=list)
    cells: dict[int, Org] = field(default_factory=dict)


class _Builder:
    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.rng = random.Random(SEED)
        self.now = timezone.now()

    # --- helpers --------------------------------------------------------------------------

    def _at(self, day: datetime.date, hour: int = 9) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    @staticmethod
    def _secretaries(orgs: Sequence[Org], day: datetime.date) -> dict[int, User]:
        """The user of each org's secretary (or chair) on `day`, where one has a login."""
        found: dict[int, User] = {}
        positions = (
            Position.objects.filter(
                org__in=orgs,
                title__in=(Title.SECRETARY, Title.CHAIR, Title.BRANCH_HEAD),
                person__user__isnull=False,
            )
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
            .select_related("person__user")
            .order_by("started_on")
        )
        # The secretary in office on the day; else today's, whose position the demo
        # starts at the 2025 congress while the committee existed before it.
        for position in positions:
            user = position.person.user
            if user is not None and (position.started_on <= day or position.org_id not in found):
                found[position.org_id] = user
        return found

    def _timeline(self, year: int) -> dict[str, datetime.datetime]:
        dates = round_dates(year)
        return {
            "opened": self._at(dates["reference_date"], 8),
            "self": self._at(dates["members_self_due"] - datetime.timedelta(days=2), 20),
            "proposed": self._at(dates["proposals_due"] - datetime.timedelta(days=1), 16),
            "decided": self._at(dates["decisions_due"] - datetime.timedelta(days=2), 10),
            "finalised": self._at(dates["decisions_due"], 15),
        }

    def _round(self, org: Org, year: int, decider: User | None) -> Round:
        times = self._timeline(year)
        return Round.objects.create(
            org=org,
            year=year,
            rule_set=rule_set_code(year),
            status=RoundStatus.FINALISED,
            opened_by=decider,
            opened_at=times["opened"],
            finalised_by=decider,
            finalised_at=times["finalised"],
            **round_dates(year),
        )

    def _steps(self, year: int, *, proposer: User | None, decider: User | None) -> dict[str, Any]:
        times = self._timeline(year)
        return {
            "step": Step.DECIDED,
            "self_submitted_at": times["self"],
            "proposed_by": proposer,
            "proposed_at": times["proposed"],
            "decided_by": decider,
            "decided_at": times["decided"],
            "locked_at": times["finalised"],
            "revision": 3,
        }

    # --- members --------------------------------------------------------------------------

    def _bases(self, root: Org, reference: datetime.date) -> list[_Base]:
        """The grassroots organisations with party members on the roll on `reference`."""
        orgs = {org.path: org for org in Org.objects.filter(path__startswith=root.path)}
        officers = set(
            Position.objects.filter(org__path__startswith=root.path, started_on__lte=reference)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=reference))
            .values_list("person_id", flat=True)
        )
        rows = (
            Membership.objects.filter(
                org__path__startswith=root.path,
                family=Family.PARTY,
                started_on__lte=reference,
                joined_on__lte=reference,
            )
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=reference))
            .order_by("id")
            .values_list(
                "id", "person_id", "org_id", "org__path", "status", "joined_on",
                "official_on", "status_changed_on", "person__user__username",
            )
        )  # fmt: skip
        bases: dict[str, _Base] = {}
        for mid, pid, org_id, path, status, joined, official, changed, username in rows:
            base = next(
                (
                    orgs[above]
                    for above in ancestor_paths(path, include_self=True)
                    if orgs[above].level == Level.BASE
                ),
                None,
            )
            if base is None:
                continue
            entry = bases.setdefault(base.path, _Base(base))
            if orgs[path].level in UNIT_LEVELS:
                entry.cells[org_id] = orgs[path]
            standing = status_on(
                status=status,
                joined_on=joined,
                official_on=official,
                status_changed_on=changed,
                day=reference,
            )
            entry.members.append(
                _Member(mid, pid, org_id, path, joined, standing, username, pid in officers)
            )
        return [bases[path] for path in sorted(bases)]

    def _grades(self, graded: list[_Member], year: int, back: int) -> dict[int, str]:
        """membership id -> decided grade, with the shares of the docstring."""
        rng = self.rng
        total = len(graded)
        missing = total * (1 - GOOD_OR_ABOVE.get(back, 0.97))
        # Small committees (the agency union's 30) keep everyone good or above some years.
        below = round(missing) if total >= 100 else int(missing)
        fails = 1 if below >= 10 else 0
        good_or_above = total - below
        excellent = int(max_excellent(good_or_above, year=year) * QUOTA_FILL.get(back, 0.9))
        order = sorted(
            graded,
            key=lambda m: (
                m.username == EXCELLENT_PERSONA and back == 1,
                m.officer,
                m.username != GOOD_PERSONA,
                rng.random(),
            ),
            reverse=True,
        )
        grades: dict[int, str] = {}
        for index, member in enumerate(order):
            if index < excellent and member.username != GOOD_PERSONA:
                grades[member.membership_id] = Grade.EXCELLENT
        rest = [m for m in reversed(order) if m.membership_id not in grades]
        # The weakest grades fall on plain members with no login (personas stay good).
        weak = [m for m in rest if not m.officer and m.username is None][:below]
        for index, member in enumerate(weak):
            grades[member.membership_id] = Grade.FAIL if index < fails else Grade.PASS
        for member in rest:
            grades.setdefault(member.membership_id, Grade.GOOD)
        return grades

    def party_year(self, root: Org, year: int, back: int) -> int:
        reference = round_dates(year)["reference_date"]
        bases = self._bases(root, reference)
        secretaries = self._secretaries(
            [b.org for b in bases] + [c for b in bases for c in b.cells.values()], reference
        )
        items = criteria(year)
        scored = is_scored(year)
        sick_grade, sick_rule = sick_leave_cap(year)
        discipline_grade, discipline_rule = discipline_cap(year)
        count = 0
        for base in bases:
            decider = secretaries.get(base.org.pk)
            round_ = self._round(base.org, year, decider)
            for member in base.members:
                member.excluded = exclusion(
                    year=year,
                    standing=member.standing,
                    joined_on=member.joined_on,
                    reference_date=reference,
                )
            graded = [m for m in base.members if not m.excluded]
            grades = self._grades(graded, year, back)
            passes = [m for m in graded if grades[m.membership_id] == Grade.PASS]
            fails = [m for m in graded if grades[m.membership_id] == Grade.FAIL]
            sick = passes[0].membership_id if passes else None
            # The member who failed was disciplined in the year and had not remedied it.
            disciplined = fails[0].membership_id if fails else None
            rows = []
            for member in base.members:
                proposer = secretaries.get(member.org_id)
                values = self._steps(year, proposer=proposer, decider=decider)
                if member.excluded:
                    values.update(
                        excluded_rule=member.excluded,
                        review_comment=_("Chi bộ lập danh sách, không xếp loại."),
                    )
                else:
                    grade = grades[member.membership_id]
                    values.update(self._assessment(member, grade, items, scored, year))
                    if member.membership_id == sick:
                        values.update(cap_grade=sick_grade, cap_rule=sick_rule, sick_leave_months=4)
                    if member.membership_id == disciplined:
                        values.update(
                            cap_grade=discipline_grade,
                            cap_rule=discipline_rule,
                            discipline=texts.DISCIPLINE % {"year": year},
                        )
                rows.append(
                    MemberEvaluation(
                        round=round_,
                        person_id=member.person_id,
                        membership_id=member.membership_id,
                        org_id=member.org_id,
                        **values,
                    )
                )
            MemberEvaluation.objects.bulk_create(rows, batch_size=500)
            count += len(rows)
            count += self._party_units(round_, base, secretaries, back)
        return count

    def _assessment(
        self,
        member: _Member,
        grade: str,
        items: list[tuple[str, str, Decimal | None]],
        scored: bool,
        year: int,
    ) -> dict[str, Any]:
        rng = self.rng
        job = rng.choice(texts.JOBS)
        self_text = {
            code: rng.choice(texts.SELF_TEXTS[texts.criterion_kind(title)]).format(job=job)
            for code, title, _points in items
        }
        # A good member in ten asks for excellent and is held back by the quota.
        self_grade = grade
        if grade == Grade.GOOD and rng.random() < 0.1:
            self_grade = Grade.EXCELLENT
        values: dict[str, Any] = {
            "self_text": self_text,
            "strengths": rng.choice(texts.STRENGTHS),
            "shortcomings": rng.choice(texts.SHORTCOMINGS),
            "self_grade": self_grade,
            "review_comment": rng.choice(texts.REVIEWS[grade]),
            "proposed_grade": grade,
            "decided_grade": grade,
        }
        if scored:
            proposed = score_in_band(grade, rng.random())
            own = score_in_band(self_grade, rng.random())
            if self_grade == grade:
                own = max(proposed, own) if rng.random() < 0.5 else proposed
            values.update(
                score_sheet=score_sheet(own, items),
                self_score=own,
                self_grade=grade_for_score(own, year=year),
                proposed_score=proposed,
            )
        return values

    # --- units ----------------------------------------------------------------------------

    def _party_units(
        self, round_: Round, base: _Base, secretaries: dict[int, User], back: int
    ) -> int:
        rng = self.rng
        cells = [base.cells[pk] for pk in sorted(base.cells, key=lambda pk: base.cells[pk].path)]
        below = 1 if len(cells) >= 10 else 0
        excellent = max_excellent(len(cells) - below, year=round_.year)
        shuffled = cells[:]
        rng.shuffle(shuffled)
        grades = {cell.pk: Grade.GOOD for cell in cells}
        for cell in shuffled[:excellent]:
            grades[cell.pk] = Grade.EXCELLENT
        for cell in shuffled[excellent : excellent + below]:
            grades[cell.pk] = Grade.PASS
        # The grassroots organisation itself is graded by the level above it.
        grades[base.org.pk] = Grade.EXCELLENT if back == 1 and len(cells) >= 10 else Grade.GOOD
        decider = secretaries.get(base.org.pk)
        rows = []
        for org in [*cells, base.org]:
            grade = grades[org.pk]
            values = self._steps(round_.year, proposer=secretaries.get(org.pk), decider=decider)
            rows.append(
                UnitEvaluation(
                    round=round_,
                    org=org,
                    self_text={"summary": rng.choice(texts.UNIT_TEXTS)},
                    strengths=rng.choice(texts.UNIT_TEXTS),
                    shortcomings=rng.choice(texts.UNIT_SHORTCOMINGS),
                    self_grade=grade,
                    review_comment=rng.choice(texts.UNIT_TEXTS),
                    proposed_grade=grade,
                    decided_grade=grade,
                    **values,
                )
            )
        UnitEvaluation.objects.bulk_create(rows)
        return len(rows)

    def women_year(self, root: Org, year: int) -> int:
        """The women's union grades its branches on its own scale (vững mạnh … yếu)."""
        rng = self.rng
        reference = round_dates(year)["reference_date"]
        branches = list(
            Org.objects.filter(
                path__startswith=root.path,
                level__in=UNIT_LEVELS,
                memberships__started_on__lte=reference,
            )
            .distinct()
            .order_by("path")
        )
        secretaries = self._secretaries([root, *branches], reference)
        decider = secretaries.get(root.pk)
        round_ = self._round(root, year, decider)
        strong = round(len(branches) * STRONG_SHARE)
        shuffled = branches[:]
        rng.shuffle(shuffled)
        grades = {b.pk: Grade.FAIR for b in branches}
        for branch in shuffled[:strong]:
            grades[branch.pk] = Grade.STRONG
        grades[root.pk] = Grade.STRONG
        rows = []
        for org in [*branches, root]:
            grade = grades[org.pk]
            rows.append(
                UnitEvaluation(
                    round=round_,
                    org=org,
                    self_text={"summary": rng.choice(texts.WOMEN_TEXTS)},
                    strengths=rng.choice(texts.WOMEN_TEXTS),
                    shortcomings=rng.choice(texts.UNIT_SHORTCOMINGS),
                    self_grade=grade,
                    proposed_grade=grade,
                    decided_grade=grade,
                    **self._steps(year, proposer=secretaries.get(org.pk), decider=decider),
                )
            )
        UnitEvaluation.objects.bulk_create(rows)
        return len(rows)


def member_counts(org: Org, year: int) -> dict[str, int]:
    """{grade or 'excluded': members} of a year over `org`'s subtree (for tests and the
    docs; the statistics page has its own one-query roll-up)."""
    found: dict[str, int] = defaultdict(int)
    for grade, excluded in MemberEvaluation.objects.filter(
        round__year=year, org__path__startswith=org.path
    ).values_list("decided_grade", "excluded_rule"):
        found["excluded" if excluded else grade] += 1
    return dict(found)
