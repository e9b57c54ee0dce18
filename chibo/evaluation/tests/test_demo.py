"""The demo's finished rounds tell what the seed articles tell, within the rules."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.core.management import call_command

from chibo.evaluation.demo import member_counts, seed_evaluation_demo
from chibo.evaluation.models import (
    Grade,
    MemberEvaluation,
    Round,
    RoundStatus,
    Step,
    UnitEvaluation,
)
from chibo.evaluation.rules import rule_set
from chibo.evaluation.seeding import exclusion, six_months_before
from chibo.people.models import MembershipStatus

TODAY = datetime.date(2026, 11, 22)
GOOD_OR_ABOVE = (Grade.EXCELLENT, Grade.GOOD)


def _share(counts: dict[str, int]) -> float:
    graded = sum(n for grade, n in counts.items() if grade != "excluded")
    return 100 * sum(counts.get(grade, 0) for grade in GOOD_OR_ABOVE) / graded


def test_last_years_round_is_finished_with_the_seed_articles_shares(demo: Any) -> None:
    written = seed_evaluation_demo(today=TODAY)
    assert written > 600
    assert seed_evaluation_demo(today=TODAY) == 0, "a second run writes nothing"

    rounds = {(r.org.code, r.year): r for r in Round.objects.select_related("org")}
    assert set(rounds) == {
        (code, year) for code in ("DU-DT", "DU-HLHPN", "HLHPN-DT") for year in (2024, 2025)
    }
    assert rounds[("DU-DT", 2025)].rule_set == "qd366_2025"
    assert rounds[("DU-DT", 2024)].rule_set == "qd124_2023"
    assert all(r.status == RoundStatus.FINALISED for r in rounds.values())
    danguy = demo.user("danguy")
    assert rounds[("DU-DT", 2025)].finalised_by == danguy

    commune = demo.org("DU-DT")
    last, before = member_counts(commune, 2025), member_counts(commune, 2024)
    assert 95 <= _share(last) <= 98
    assert 93 <= _share(before) < _share(last)
    assert last.get(Grade.FAIL, 0) == 0 and before[Grade.FAIL] == 1
    graded = sum(n for grade, n in last.items() if grade != "excluded")
    assert 0.15 <= last[Grade.EXCELLENT] / graded <= 0.20
    assert _share(member_counts(demo.org("DU-HLHPN"), 2025)) == 100

    # Every member row decided by the committee's secretary, locked, at the last step.
    members = MemberEvaluation.objects.filter(round__org=commune)
    assert not members.exclude(step=Step.DECIDED).exists()
    assert not members.filter(locked_at__isnull=True).exists()
    assert set(members.values_list("decided_by", flat=True)) == {danguy.pk}
    assert (
        MemberEvaluation.objects.get(
            round__year=2025, person__user__username="bithu1"
        ).decided_grade
        == Grade.EXCELLENT
    )
    mine = MemberEvaluation.objects.get(round__year=2025, person__user__username="dangvien1")
    assert mine.decided_grade == Grade.GOOD
    # Quy định 366: the self-assessment is a score sheet that adds up to the score.
    assert mine.self_score is not None and mine.proposed_score is not None
    rules = rule_set("qd366_2025")
    assert rules.grade_for_score(mine.proposed_score) == Grade.GOOD
    assert sum(float(v) for v in mine.score_sheet.values()) == float(mine.self_score)
    assert set(mine.self_text) == {c.code for c in rules.member_criteria}
    assert all(len(text) > 40 for text in mine.self_text.values())


def test_the_quota_holds_and_every_exclusion_and_cap_names_its_rule(demo: Any) -> None:
    seed_evaluation_demo(today=TODAY)
    for round_ in Round.objects.exclude(org__code="HLHPN-DT"):
        rules = rule_set(round_.rule_set)
        counts = Counter(
            MemberEvaluation.objects.filter(round=round_).values_list("decided_grade", flat=True)
        )
        quota = rules.quota(dict(counts))
        assert not quota.is_broken, (round_, quota)
        units = Counter(
            UnitEvaluation.objects.filter(round=round_, org__level="branch").values_list(
                "decided_grade", flat=True
            )
        )
        assert not rules.quota(dict(units)).is_broken
        assert units[Grade.GOOD] > units[Grade.EXCELLENT] > 0 or round_.org.code == "DU-HLHPN"

    excluded = MemberEvaluation.objects.exclude(excluded_rule="").select_related(
        "membership", "round"
    )
    assert excluded.count() >= 10
    kinds: set[str] = set()
    for row in excluded:
        assert row.decided_grade == "" and row.proposed_grade == ""
        membership = row.membership
        reference = row.round.reference_date
        if membership.status == MembershipStatus.EXEMPT:
            kinds.add("exempt")
            assert "miễn" in row.excluded_rule
        else:
            kinds.add("new")
            assert membership.joined_on is not None
            assert membership.joined_on > six_months_before(reference)
            assert "6 tháng" in row.excluded_rule
        standing = (
            MembershipStatus.EXEMPT
            if membership.status == MembershipStatus.EXEMPT
            else MembershipStatus.PROBATIONARY
        )
        assert row.excluded_rule == exclusion(
            year=row.round.year,
            standing=standing,
            joined_on=membership.joined_on,
            reference_date=reference,
        )
    assert kinds == {"exempt", "new"}
    # Nobody on the roll on the reference date is missing, nobody admitted after it listed.
    assert not MemberEvaluation.objects.filter(
        membership__joined_on__gt=datetime.date(2025, 12, 1), round__year=2025
    ).exists()

    capped = MemberEvaluation.objects.exclude(cap_rule="")
    assert capped.filter(round__year=2025).count() == 1
    rules = rule_set("qd124_2023")
    for row in capped:
        grades = rules.member_grades()
        assert grades.index(Grade(row.decided_grade)) >= grades.index(Grade(row.cap_grade))
        assert "Hướng dẫn" in row.cap_rule or "Quy định" in row.cap_rule

    women = Counter(
        UnitEvaluation.objects.filter(round__org__code="HLHPN-DT", round__year=2025)
        .exclude(org__code="HLHPN-DT")
        .values_list("decided_grade", flat=True)
    )
    assert women == {Grade.STRONG: 11, Grade.FAIR: 2}


def test_demo_command_twice_and_with_reset(demo: Any) -> None:
    call_command("demo", stdout=_Sink())
    first = MemberEvaluation.objects.count()
    assert first > 500
    call_command("demo", stdout=_Sink())
    assert MemberEvaluation.objects.count() == first
    call_command("demo", "--reset", stdout=_Sink())
    assert MemberEvaluation.objects.count() == first
    assert Round.objects.count() == 6


class _Sink:
    def write(self, _text: str) -> None:
        """Discard."""

    def flush(self) -> None:
        """Nothing buffered."""
