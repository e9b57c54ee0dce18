"""`GET /api/v1/orgs/{code}/evaluation-stats?year=`: the page's figures, scoped like it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chibo.core.api_auth import api_token_create
from chibo.evaluation.tests.stats_data import StatsData, make_stats_data

URL = "/api/v1/orgs/{code}/evaluation-stats"


@pytest.fixture
def data(demo: Any) -> StatsData:
    return make_stats_data()


def api(demo: Any, username: str) -> Client:
    key = api_token_create(user=demo.user(username)).key
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_the_province_viewer_reads_the_figures(demo: Any, data: StatsData) -> None:
    response = api(demo, "tinhuy").get(URL.format(code="TU-TN"), {"year": "2024"})
    assert response.status_code == 200
    body = response.json()
    assert body["org"] == {"code": "TU-TN", "name": demo.org("TU-TN").name}
    assert body["year"] == 2024 and body["provisional"] is False
    members = body["members"]
    assert (members["listed"], members["excluded"], members["graded"]) == (15, 1, 14)
    assert members["good_or_above_percent"] == 85.71
    grades = {row["grade"]: (row["count"], row["percent"]) for row in members["grades"]}
    assert grades["excellent"] == (3, 21.43) and grades["fail"] == (1, 7.14)
    assert [f["year"] for f in body["history"]] == [2020, 2021, 2022, 2023, 2024]
    assert [r["org"]["code"] for r in body["rounds"]] == ["DU-DT"]
    children = {child["org"]["code"]: child for child in body["children"]}
    assert children["DU-DT"]["members"]["listed"] == 15


def test_an_open_round_is_provisional(demo: Any, data: StatsData) -> None:
    body = api(demo, "danguy").get(URL.format(code="DU-DT"), {"year": "2025"}).json()
    assert body["provisional"] is True
    assert [(r["org"]["code"], r["status"]) for r in body["rounds"]] == [("DU-DT", "open")]
    assert body["members"]["pending"] == 4


def test_mass_organisation_scale(demo: Any, data: StatsData) -> None:
    body = api(demo, "tinhuy").get(URL.format(code="HLHPN-TN"), {"year": "2024"}).json()
    scale = {row["grade"]: row["count"] for row in body["mass_units"]["grades"]}
    assert scale == {"strong": 1, "fair": 1, "average": 0, "weak": 1}


def test_scoped_and_checked(demo: Any, data: StatsData) -> None:
    # Outside: 404; the member's own unit: 403; a bad year: 422 in Vietnamese.
    assert api(demo, "bithu1").get(URL.format(code="DU-DT")).status_code == 404
    assert api(demo, "danguy").get(URL.format(code="DU-HLHPN")).status_code == 404
    assert api(demo, "dangvien1").get(URL.format(code="DU-DT-CB01")).status_code == 403
    response = api(demo, "danguy").get(URL.format(code="DU-DT"), {"year": "abc"})
    assert response.status_code == 422
    assert "Năm “abc” không hợp lệ" in response.json()["detail"][0]["message"]
    assert Client().get(URL.format(code="DU-DT")).status_code == 401


def test_queries_do_not_grow_with_the_children(demo: Any, data: StatsData) -> None:
    client = api(demo, "tinhuy")
    counts = []
    # 18 cells with graded members, 13 branches with unit grades only.
    for code in ("DU-DT", "HLHPN-DT"):
        client.get(URL.format(code=code), {"year": "2024"})  # the token's first use is noted
        with CaptureQueriesContext(connection) as context:
            assert client.get(URL.format(code=code), {"year": "2024"}).status_code == 200
        counts.append(len(context))
    assert counts[0] == counts[1] <= 12, counts


def test_the_round_above_is_not_named_to_a_cell_reader(demo: Any, data: StatsData) -> None:
    body = api(demo, "bithu1").get(URL.format(code="DU-DT-CB01"), {"year": "2024"}).json()
    assert body["rounds"] == [
        {"id": data.round_2024.pk, "org": None, "year": 2024, "rule_set": "qd124_2023",
         "status": "finalised"}
    ]  # fmt: skip
    assert body["members"]["listed"] == 10
