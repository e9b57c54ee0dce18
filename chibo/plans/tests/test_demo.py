"""The demo's year of studying and committing: the seed articles' figures, idempotent."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from chibo.plans.demo import seed_plans_demo
from chibo.plans.models import Commitment, Theme, UnitPlan
from chibo.plans.selectors import Stage, commitment_compliance, quiz_results, reference_day


def test_demo_year_with_the_seed_figures(demo: Any) -> None:
    written = seed_plans_demo()
    assert written > 1_000
    assert seed_plans_demo() == 0
    year = timezone.localdate().year
    commune = demo.org("DU-DT")
    now = commitment_compliance(org=commune, year=year)
    # "100% cán bộ, đảng viên … viết bản cam kết": every member of the commune wrote one.
    assert now.total.members > 250
    assert now.total.percent(Stage.SUBMITTED) == 100.0
    assert 95.0 < now.total.percent(Stage.APPROVED) < 100.0
    last = commitment_compliance(org=commune, year=year - 1)
    assert last.total.percent(Stage.SUBMITTED) > 95.0
    assert last.total.end == last.total.approved
    # dangvien1's commitment waits for bithu1.
    mine = Commitment.objects.get(person__user__username="dangvien1", year=year)
    assert mine.status == "submitted"
    # Every cell but one has its plan for the province's theme.
    theme = Theme.objects.get(org__code="TU-TN", kind="annual", year=year)
    assert UnitPlan.objects.filter(theme=theme, org__path__startswith=commune.path).count() == 17
    women = Theme.objects.get(org__code="HLHPN-TN", year=year)
    _rows, total = quiz_results(org=demo.org("HLHPN-DT"), theme=women, day=reference_day(year))
    assert total.members > 1_000
    assert 80.0 < total.percent < 100.0
