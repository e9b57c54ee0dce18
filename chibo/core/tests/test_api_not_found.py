"""An unknown path under /api/v1/ answers the API's JSON 404 in Vietnamese, never the
site's HTML page, whatever the method and whether a token was sent or not."""

from __future__ import annotations

import pytest
from django.test import Client

from chibo.core.api_auth import api_token_create

DETAIL = "Không tìm thấy, hoặc bạn không có quyền xem nội dung này."


def assert_json_404(response) -> None:
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": DETAIL}


@pytest.mark.parametrize(
    "url", ["/api/v1/", "/api/v1/khong-co", "/api/v1/orgs/DU-DT/khong-co", "/api/v1/members/x/y"]
)
def test_unknown_paths_are_json_404(demo, url):
    assert_json_404(Client().get(url))
    token = api_token_create(user=demo.user("danguy")).key
    client = Client(headers={"Authorization": f"Bearer {token}"})
    assert_json_404(client.get(url))
    assert_json_404(client.post(url, "{}", content_type="application/json"))
    assert_json_404(client.delete(url))


def test_known_routes_still_answer(demo):
    token = api_token_create(user=demo.user("danguy")).key
    client = Client(headers={"Authorization": f"Bearer {token}"})
    assert client.get("/api/v1/orgs/DU-DT").json()["code"] == "DU-DT"
    assert client.get("/api/v1/openapi.json").status_code == 200
    # Outside the scope: the same answer as an unknown path.
    assert_json_404(client.get("/api/v1/orgs/DU-HLHPN"))


def test_pages_outside_the_api_keep_the_html_404(demo):
    response = Client().get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
