"""The statistics page with the demo's logins: who sees what, figures in the Vietnamese way."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chibo.evaluation.tests.stats_data import StatsData, make_stats_data


@pytest.fixture
def data(demo: Any) -> StatsData:
    return make_stats_data()


def test_the_commune_committee_sees_its_figures(demo: Any, data: StatsData) -> None:
    response = demo.client("danguy").get("/orgs/DU-DT/evaluation/stats/?year=2024")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Kết quả đánh giá, xếp loại năm 2024" in text
    assert "85,71%" in text  # good or above, two decimals, decimal comma
    assert "21,43%" in text  # excellent
    assert "88,89%" in text  # DU-DT-CB01 in the children's table
    assert "<svg" in text and "Xếp loại đảng viên năm 2024" in text
    assert "Số liệu tạm thời" not in text
    assert f"/evaluation/rounds/{data.round_2024.pk}/summary.xlsx?org=DU-DT" in text
    assert f"/evaluation/rounds/{data.round_2024.pk}/decision.docx?org=DU-DT" in text


def test_an_open_round_is_shown_provisional(demo: Any, data: StatsData) -> None:
    text = demo.client("danguy").get("/orgs/DU-DT/evaluation/stats/?year=2025").content.decode()
    assert "Số liệu tạm thời." in text
    assert "Đợt chưa hoàn thành:" in text and demo.org("DU-DT").name in text


def test_the_province_viewer_sees_the_province(demo: Any, data: StatsData) -> None:
    response = demo.client("tinhuy").get("/orgs/TU-TN/evaluation/stats/?year=2024")
    assert response.status_code == 200
    text = response.content.decode()
    assert "85,71%" in text and demo.org("DU-DT").name in text
    # The cell's downloads name the commune's round, which covers the province's node.
    assert f"/evaluation/rounds/{data.round_2024.pk}/summary.xlsx?org=DU-DT" in text


def test_no_round_and_bad_year(demo: Any, data: StatsData) -> None:
    client = demo.client("tinhuy")
    text = client.get("/orgs/DU-HLHPN/evaluation/stats/?year=2024").content.decode()
    assert "Chưa có đợt đánh giá, xếp loại năm 2024" in text
    text = client.get("/orgs/DU-DT/evaluation/stats/?year=abc").content.decode()
    assert "Năm “abc” không hợp lệ" in text


def test_scoped(demo: Any, data: StatsData) -> None:
    assert demo.client("bithu1").get("/orgs/DU-DT/evaluation/stats/").status_code == 404
    assert demo.client("danguy").get("/orgs/DU-HLHPN/evaluation/stats/").status_code == 404
    assert demo.client("dangvien1").get("/orgs/DU-DT-CB01/evaluation/stats/").status_code == 403
    assert demo.client("bithu1").get("/orgs/DU-DT-CB01/evaluation/stats/").status_code == 200


def test_the_org_page_links_the_figures_for_readers(demo: Any, data: StatsData) -> None:
    text = demo.client("danguy").get("/orgs/DU-DT/").content.decode()
    assert "/orgs/DU-DT/evaluation/stats/" in text
    text = demo.client("dangvien1").get("/orgs/DU-DT-CB01/").content.decode()
    assert "/evaluation/stats/" not in text


def test_the_same_queries_for_a_cell_and_a_commune(demo: Any, data: StatsData) -> None:
    client = demo.client("tinhuy")
    counts = []
    for code in ("DU-DT-CB01", "DU-DT", "HLHPN-DT"):
        client.get(f"/orgs/{code}/evaluation/stats/?year=2024")  # warm the session
        with CaptureQueriesContext(connection) as context:
            assert client.get(f"/orgs/{code}/evaluation/stats/?year=2024").status_code == 200
        counts.append(len(context))
    assert max(counts) <= 14, counts
    # 18 cells with rows and 13 branches with few: the same queries.
    assert counts[1] == counts[2], counts


def test_a_cell_reader_is_not_told_the_name_of_the_commune(demo: Any, data: StatsData) -> None:
    commune = demo.org("DU-DT").name
    text = demo.client("bithu1").get("/orgs/DU-DT-CB01/evaluation/stats/?year=2025")
    body = text.content.decode()
    assert "Số liệu tạm thời." in body and "cấp ủy cấp trên" in body
    assert commune not in body
    assert f"/evaluation/rounds/{data.round_2025.pk}/summary.xlsx?org=DU-DT-CB01" in body
