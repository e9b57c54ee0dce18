"""Finished grading rounds for the synthetic province (the one `chibo seed` writes).

For each year asked (by default the two years before today's, so one round under Quy định
124-QĐ/TW and one under 366-QĐ/TW), every grassroots organisation (level base) of the
province gets a finalised round; every party membership on the roll on the round's
reference date gets its evaluation at its cell, listed without a grade when the year's
rule set excludes it (exempt, suspended, admitted less than 6 months before); every cell
and grassroots organisation gets its unit evaluation. Shares vary by organisation around
the seed articles' figures (about 96–97 % good or above, the excellent quota filled to
60–100 %, never broken).

Like chibo.people.synthetic and chibo.meetings.synthetic it writes the big table with
plain INSERTs in one transaction, no audit entries, from a fixed seed (the same rows on
every run). Running it again for a year that has its rounds does nothing unless `reset`.
"""

from __future__ import annotations

import datetime
import json
import random
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chibo.evaluation.models import (
    Grade,
    MemberEvaluation,
    Round,
    RoundStatus,
    Step,
    UnitEvaluation,
)
from chibo.evaluation.seeding import (
    exclusion,
    max_excellent,
    round_dates,
    rule_set_code,
    six_months_before,
    status_on,
)
from chibo.orgs.models import Family, Level, Org
from chibo.orgs.tree import ancestor_paths
from chibo.people.models import Membership, MembershipStatus
from chibo.people.seeding import Progress, quiet
from chibo.people.synthetic import ROOT_CODE, _Clock, _RowWriter, synthetic_root

SEED = 366_2025
BATCH = 20_000
UNIT_LEVELS = (Level.BRANCH, Level.GROUP)
EMPTY_JSON = json.dumps({})


@dataclass
class EvaluationSeedResult:
    created: bool
    years: tuple[int, ...] = ()
    rounds: int = 0
    members: int = 0
    excluded: int = 0
    units: int = 0
    seconds: float = 0.0


def default_years(today: datetime.date) -> tuple[int, int]:
    return today.year - 2, today.year - 1


def _delete_years(root: Org, years: Sequence[int]) -> None:
    rounds = Round.objects.filter(org__path__startswith=root.path, year__in=years)
    ids = list(rounds.values_list("pk", flat=True))
    MemberEvaluation.objects.filter(round_id__in=ids)._raw_delete(MemberEvaluation.objects.db)
    UnitEvaluation.objects.filter(round_id__in=ids)._raw_delete(UnitEvaluation.objects.db)
    Round.objects.filter(pk__in=ids)._raw_delete(Round.objects.db)


def seed_synthetic_evaluation(
    *, years: Sequence[int] | None = None, reset: bool = False, progress: Progress = quiet
) -> EvaluationSeedResult:
    """Write the finished rounds of `years` for the synthetic province; idempotent unless
    `reset`. Raises ValueError when there is no synthetic province."""
    started = time.perf_counter()
    today = timezone.localdate()
    chosen = tuple(sorted(years or default_years(today)))
    root = synthetic_root()
    if root is None:
        raise ValueError(
            _("Chưa có tỉnh tổng hợp %(code)s: chạy “chibo seed” trước.") % {"code": ROOT_CODE}
        )
    with transaction.atomic():
        existing = Round.objects.filter(org__path__startswith=root.path, year__in=chosen)
        if existing.exists():
            if not reset:
                progress(_("Tỉnh tổng hợp đã có đợt đánh giá các năm này, không ghi thêm."))
                return EvaluationSeedResult(created=False, years=chosen)
            progress(_("Xóa các đợt đánh giá cũ của tỉnh tổng hợp…"))
            _delete_years(root, chosen)
        with translation.override("vi"):
            result = _Builder(root, progress, started).build(chosen)
    result.seconds = time.perf_counter() - started
    return result


class _Builder:
    def __init__(self, root: Org, progress: Progress, started: float) -> None:
        self.root = root
        self.progress = progress
        self.started = started
        self.clock = _Clock()
        orgs = Org.objects.filter(path__startswith=root.path).values_list("pk", "path", "level")
        by_path = {path: (pk, level) for pk, path, level in orgs}
        self.levels = dict(by_path.values())
        # Each org's grassroots organisation: the nearest ancestor (or itself) at level base.
        self.base_of: dict[int, int] = {}
        for path, (pk, _level) in by_path.items():
            for above in reversed(ancestor_paths(path, include_self=True)):
                ancestor = by_path.get(above)
                if ancestor is not None and ancestor[1] == Level.BASE:
                    self.base_of[pk] = ancestor[0]
                    break

    def _say(self, message: str) -> None:
        self.progress(f"[{time.perf_counter() - self.started:6.1f} s] {message}")

    def build(self, years: Sequence[int]) -> EvaluationSeedResult:
        result = EvaluationSeedResult(created=True, years=tuple(years))
        for year in years:
            self._year(year, result)
        return result

    def _year(self, year: int, result: EvaluationSeedResult) -> None:
        rng = random.Random(SEED + year)
        dates = round_dates(year)
        reference = dates["reference_date"]
        recent = six_months_before(reference) - datetime.timedelta(days=31)
        decided_at = timezone.make_aware(
            datetime.datetime.combine(dates["decisions_due"], datetime.time(10))
        )
        code = rule_set_code(year)
        rows = (
            Membership.objects.filter(
                org__path__startswith=self.root.path,
                family=Family.PARTY,
                # The synthetic province keeps no earlier units' rolls: whoever had joined
                # by the reference date is counted at their present cell.
                joined_on__lte=reference,
            )
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=reference))
            .order_by("id")
            .values_list(
                "id", "person_id", "org_id", "status", "joined_on", "official_on",
                "status_changed_on",
            )
        )  # fmt: skip
        members: dict[int, list[tuple[int, int, int, str]]] = defaultdict(list)
        cells: dict[int, set[int]] = defaultdict(set)
        for mid, pid, org_id, status, joined, official, changed in rows.iterator(10_000):
            base = self.base_of.get(org_id)
            if base is None:
                continue
            standing = status_on(
                status=status,
                joined_on=joined,
                official_on=official,
                status_changed_on=changed,
                day=reference,
            )
            rule = ""
            # Only the few near the 6-month line or not active are asked of the rules.
            if standing not in (MembershipStatus.OFFICIAL, MembershipStatus.PROBATIONARY) or (
                joined is not None and joined > recent
            ):
                rule = exclusion(
                    year=year, standing=standing, joined_on=joined, reference_date=reference
                )
            members[base].append((mid, pid, org_id, rule))
            if self.levels.get(org_id) in UNIT_LEVELS:
                cells[base].add(org_id)
        self._say(
            _("Năm %(year)s: %(members)s đảng viên trong %(bases)s đảng bộ cơ sở")
            % {"year": year, "members": sum(map(len, members.values())), "bases": len(members)}
        )
        bases = sorted(members)
        rounds = Round.objects.bulk_create(
            [
                Round(
                    org_id=base,
                    year=year,
                    rule_set=code,
                    status=RoundStatus.FINALISED,
                    opened_at=decided_at,
                    finalised_at=decided_at,
                    **dates,
                )
                for base in bases
            ]
        )
        round_of = {r.org_id: r.pk for r in rounds}
        result.rounds += len(rounds)
        writer = _RowWriter(MemberEvaluation, self.clock)
        # Ids chosen here: the plain INSERTs name every column, and PostgreSQL fills no
        # explicit NULL id from its sequence (`finish` moves the sequence past them).
        next_id = writer.reserve_ids()
        common = {
            "step": Step.DECIDED,
            "self_text": EMPTY_JSON,
            "score_sheet": EMPTY_JSON,
            "decided_at": decided_at,
            "locked_at": decided_at,
            "revision": 3,
        }
        unit_rows: list[UnitEvaluation] = []
        for base in bases:
            roll = members[base]
            graded = [m for m in roll if not m[3]]
            grades = self._grades(rng, len(graded), year, fill=rng.uniform(0.6, 1.0))
            rng.shuffle(grades)
            given = iter(grades)
            for mid, pid, org_id, rule in roll:
                grade = "" if rule else next(given)
                writer.add(
                    {
                        **common,
                        "id": next_id,
                        "round_id": round_of[base],
                        "person_id": pid,
                        "membership_id": mid,
                        "org_id": org_id,
                        "excluded_rule": rule,
                        "self_grade": grade,
                        "proposed_grade": grade,
                        "decided_grade": grade,
                    }
                )
                next_id += 1
                result.members += 1
                result.excluded += bool(rule)
            if len(writer.rows) >= BATCH:
                writer.flush()
            unit_ids = sorted(cells[base])
            unit_grades = self._unit_grades(rng, len(unit_ids), year)
            for org_id, grade in zip([*unit_ids, base], [*unit_grades, Grade.GOOD], strict=True):
                unit_rows.append(
                    UnitEvaluation(
                        round_id=round_of[base],
                        org_id=org_id,
                        step=Step.DECIDED,
                        self_grade=grade,
                        proposed_grade=grade,
                        decided_grade=grade,
                        decided_at=decided_at,
                        locked_at=decided_at,
                        revision=3,
                    )
                )
        writer.flush()
        writer.finish()
        UnitEvaluation.objects.bulk_create(unit_rows, batch_size=2_000)
        result.units += len(unit_rows)
        self._say(
            _("Năm %(year)s: %(rounds)s đợt, %(units)s tập thể")
            % {"year": year, "rounds": len(rounds), "units": len(unit_rows)}
        )

    @staticmethod
    def _grades(rng: random.Random, graded: int, year: int, *, fill: float) -> list[str]:
        """The grades of one grassroots organisation's graded members, in no order."""
        share = min(0.995, max(0.9, rng.gauss(0.965, 0.012)))
        below = round(graded * (1 - share))
        fails = sum(1 for _ in range(below) if rng.random() < 0.1)
        excellent = int(max_excellent(graded - below, year=year) * fill)
        good = graded - below - excellent
        grades: list[str] = (
            [Grade.EXCELLENT.value] * excellent
            + [Grade.GOOD.value] * good
            + [Grade.PASS.value] * (below - fails)
            + [Grade.FAIL.value] * fails
        )
        return grades

    @staticmethod
    def _unit_grades(rng: random.Random, count: int, year: int) -> list[str]:
        below = sum(1 for _ in range(count) if rng.random() < 0.05)
        excellent = int(max_excellent(count - below, year=year) * rng.uniform(0.5, 1.0))
        grades: list[str] = (
            [Grade.EXCELLENT.value] * excellent
            + [Grade.GOOD.value] * (count - below - excellent)
            + [Grade.PASS.value] * below
        )
        rng.shuffle(grades)
        return grades
