"""Rounds and evaluations written straight into the tables, with figures counted by hand,
for the statistics, API, command and export tests (they need no service to exist).

2024, round over DU-DT, finalised (Quy định 124-QĐ/TW):
  DU-DT-CB01: 10 members: 2 excellent, 6 good, 1 pass, 1 excluded (admitted < 6 months)
  DU-DT-CB02:  5 members: 1 excellent, 3 good, 1 fail
  -> DU-DT: 15 listed, 1 excluded, 14 graded, good or above 12/14 = 85,71 %
  units: DU-DT good, DU-DT-CB01 excellent, DU-DT-CB02 good, DU-DT-CB03 pass
2025, round over DU-DT, still open: DU-DT-CB01: 5 members, 1 decided good, 4 pending.
2024, round over HLHPN-DT, finalised: units HLHPN-DT strong, -CH01 fair, -CH02 weak.
DU-HLHPN has no round at all.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from chibo.evaluation.models import (
    Grade,
    MemberEvaluation,
    Round,
    RoundStatus,
    Step,
    UnitEvaluation,
)
from chibo.orgs.models import Family, Org
from chibo.people.models import Membership

EXCLUDED = "Quy định 124-QĐ/TW: kết nạp chưa đủ 6 tháng"
CB01_GRADES: list[str] = [
    Grade.EXCELLENT, Grade.EXCELLENT, Grade.GOOD, Grade.GOOD, Grade.GOOD, Grade.GOOD,
    Grade.GOOD, Grade.GOOD, Grade.PASS, "",
]  # fmt: skip
CB02_GRADES: list[str] = [Grade.EXCELLENT, Grade.GOOD, Grade.GOOD, Grade.GOOD, Grade.FAIL]


@dataclass
class StatsData:
    round_2024: Round
    round_2025: Round
    women_2024: Round
    # Member evaluations of 2024, in the order the grades above are listed.
    members_2024: list[MemberEvaluation]


def _members(code: str, count: int) -> list[Membership]:
    found = list(
        Membership.objects.filter(org__code=code, family=Family.PARTY, ended_on__isnull=True)
        .select_related("person")
        .order_by("person__sort_key")[:count]
    )
    assert len(found) == count, code
    return found


def _evaluate(
    round_: Round, code: str, grades: Sequence[str], *, excluded_last: bool = False
) -> list[MemberEvaluation]:
    now = timezone.now()
    rows = []
    for index, (membership, grade) in enumerate(
        zip(_members(code, len(grades)), grades, strict=True)
    ):
        excluded = excluded_last and index == len(grades) - 1
        rows.append(
            MemberEvaluation.objects.create(
                round=round_,
                person=membership.person,
                membership=membership,
                org=membership.org,
                step=Step.DECIDED if grade else Step.SELF,
                excluded_rule=EXCLUDED if excluded else "",
                decided_grade=grade,
                decided_at=now if grade else None,
                locked_at=now if grade and round_.status == RoundStatus.FINALISED else None,
            )
        )
    return rows


def _unit(round_: Round, code: str, grade: str) -> UnitEvaluation:
    return UnitEvaluation.objects.create(
        round=round_,
        org=Org.objects.get(code=code),
        step=Step.DECIDED,
        decided_grade=grade,
        decided_at=timezone.now(),
    )


def make_stats_data() -> StatsData:
    du_dt = Org.objects.get(code="DU-DT")
    finalised = {"status": RoundStatus.FINALISED, "finalised_at": timezone.now()}
    round_2024 = Round.objects.create(
        org=du_dt,
        year=2024,
        rule_set="qd124_2023",
        reference_date=datetime.date(2024, 12, 1),
        **finalised,
    )
    members = _evaluate(round_2024, "DU-DT-CB01", CB01_GRADES, excluded_last=True)
    members += _evaluate(round_2024, "DU-DT-CB02", CB02_GRADES)
    for code, grade in (
        ("DU-DT", Grade.GOOD),
        ("DU-DT-CB01", Grade.EXCELLENT),
        ("DU-DT-CB02", Grade.GOOD),
        ("DU-DT-CB03", Grade.PASS),
    ):
        _unit(round_2024, code, grade)
    round_2025 = Round.objects.create(
        org=du_dt, year=2025, rule_set="qd366_2025", reference_date=datetime.date(2025, 12, 1)
    )
    _evaluate(round_2025, "DU-DT-CB01", [Grade.GOOD, "", "", "", ""])
    women = Round.objects.create(
        org=Org.objects.get(code="HLHPN-DT"),
        year=2024,
        rule_set="qd124_2023",
        reference_date=datetime.date(2024, 12, 1),
        **finalised,
    )
    for code, grade in (
        ("HLHPN-DT", Grade.STRONG),
        ("HLHPN-DT-CH01", Grade.FAIR),
        ("HLHPN-DT-CH02", Grade.WEAK),
    ):
        _unit(women, code, grade)
    return StatsData(
        round_2024=round_2024, round_2025=round_2025, women_2024=women, members_2024=members
    )
