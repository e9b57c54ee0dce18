"""The API's commitment routes, and the benchmark's hand-written SQL against the selector."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone

from chibo.core.api_auth import api_token_create
from chibo.plans.bench import _bound, _naive
from chibo.plans.demo import seed_plans_demo
from chibo.plans.models import Commitment
from chibo.plans.selectors import commitment_compliance, reference_day


def _api(demo: Any, username: str) -> Client:
    key = api_token_create(user=demo.user(username)).key
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_api_compliance_and_commitment(demo: Any) -> None:
    seed_plans_demo()
    year = timezone.localdate().year
    response = _api(demo, "danguy").get(
        f"/api/v1/plans/orgs/DU-DT/commitment-compliance?year={year}"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["total"]["members"] == body["total"]["submitted"] > 250
    assert {row["code"] for row in body["children"]} >= {"DU-DT-CB01", "DU-DT-CB18"}
    mine = Commitment.objects.get(person__user__username="dangvien1", year=year)
    assert _api(demo, "dangvien1").get(f"/api/v1/plans/commitments/{mine.pk}").status_code == 200
    assert _api(demo, "bithu2").get(f"/api/v1/plans/commitments/{mine.pk}").status_code == 404
    # A plain member opens the unit but reads no one's compliance.
    refused = _api(demo, "dangvien1").get("/api/v1/plans/orgs/DU-DT-CB01/commitment-compliance")
    assert refused.status_code == 403
    themes = _api(demo, "dangvien1").get(f"/api/v1/plans/orgs/DU-DT-CB01/themes?year={year}")
    assert any(theme["has_plan"] for theme in themes.json())


def test_bench_bound_and_naive_agree_with_the_selector(demo: Any) -> None:
    seed_plans_demo()
    year = timezone.localdate().year
    commune = demo.org("DU-DT")
    ours = commitment_compliance(org=commune, year=year)
    bound = {row[0]: row[1:] for row in _bound(commune, year, reference_day(year))}
    for child in ours.children:
        if child.members:
            assert tuple(int(v) for v in bound[child.org.path]) == (
                child.members, child.submitted, child.approved, child.mid, child.end,
            )  # fmt: skip
    naive = {code: rest for code, *rest in _naive(commune, year, reference_day(year))}
    for child in ours.children:
        assert naive[child.org.code] == [child.members, child.submitted, child.approved]
