"""Bearer tokens: issuing them through the login checks, and refusing bad ones."""

import datetime
import hashlib
import json

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import resolve
from django.utils import timezone

from chibo.core.api_auth import api_token_create
from chibo.core.models import ApiToken, User

TOKEN_URL = "/api/v1/auth/token"
PASSWORD = "mật-khẩu-đủ-dài-2025"


@pytest.fixture
def user(db):
    return User.objects.create_user("thuky", password=PASSWORD)


def post_json(client: Client, url: str, data, **extra):
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(url, body, content_type="application/json", **extra)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_token_issued_for_right_password_and_only_its_hash_stored(client, user, settings):
    before = timezone.now()
    response = post_json(client, TOKEN_URL, {"username": "thuky", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    key = body["token"]
    assert len(key) >= 40
    expires_at = datetime.datetime.fromisoformat(body["expires_at"])
    expected = before + datetime.timedelta(days=settings.API_TOKEN_DAYS)
    assert abs((expires_at - expected).total_seconds()) < 60

    stored = ApiToken.objects.get(user=user)
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in json.dumps(list(ApiToken.objects.values()), default=str)

    listed = client.get("/api/v1/orgs", headers=bearer(key))
    assert listed.status_code == 200
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_wrong_password_is_401_in_vietnamese_and_counted_by_axes(client, user):
    response = post_json(client, TOKEN_URL, {"username": "thuky", "password": "sai"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Tên đăng nhập hoặc mật khẩu không đúng."}
    assert AccessAttempt.objects.get(username="thuky").failures_since_start == 1
    assert not ApiToken.objects.exists()


def test_five_failures_lock_the_user_out_even_with_the_right_password(client, user):
    for _ in range(4):
        response = post_json(client, TOKEN_URL, {"username": "thuky", "password": "sai"})
        assert response.status_code == 401
    fifth = post_json(client, TOKEN_URL, {"username": "thuky", "password": "sai"})
    assert fifth.status_code == 429
    right = post_json(client, TOKEN_URL, {"username": "thuky", "password": PASSWORD})
    assert right.status_code == 429
    assert right["Content-Type"].startswith("application/json")
    assert "tạm thời bị khóa" in right.json()["detail"]
    assert not ApiToken.objects.exists()
    # Another user name from the same address is not punished for this one.
    User.objects.create_user("khac", password=PASSWORD)
    other = post_json(client, TOKEN_URL, {"username": "khac", "password": PASSWORD})
    assert other.status_code == 200


def test_inactive_user_gets_no_token(client, user):
    user.is_active = False
    user.save()
    response = post_json(client, TOKEN_URL, {"username": "thuky", "password": PASSWORD})
    assert response.status_code == 401


def test_missing_field_keeps_ninja_structure_with_vietnamese_message(client, db):
    response = post_json(client, TOKEN_URL, {"username": "thuky"})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["type"] == "missing"
    assert error["loc"][0] == "body"
    assert error["loc"][-1] == "password"
    assert error["msg"]
    assert error["message"] == "Trường “password”: bắt buộc phải có."


def test_empty_body_and_wrong_types_are_explained(client, db):
    empty = post_json(client, TOKEN_URL, "")
    assert empty.status_code == 422
    assert empty.json()["detail"][0]["message"] == "Thiếu nội dung: cần gửi một đối tượng JSON."
    wrong = post_json(client, TOKEN_URL, {"username": 5, "password": "x" * 5000})
    messages = sorted(error["message"] for error in wrong.json()["detail"])
    assert messages == [
        "Trường “password”: dài tối đa 4096 ký tự.",
        "Trường “username”: phải là một chuỗi ký tự.",
    ]


def test_body_that_is_not_json_is_named_as_such(client, db):
    response = post_json(client, TOKEN_URL, "{username: ")
    assert response.status_code == 400
    assert response.json() == {"detail": "Nội dung gửi lên không phải JSON hợp lệ."}


def test_token_route_needs_no_csrf_token(user):
    strict = Client(enforce_csrf_checks=True)
    response = post_json(strict, TOKEN_URL, {"username": "thuky", "password": PASSWORD})
    assert response.status_code == 200
    key = response.json()["token"]
    assert strict.get("/api/v1/orgs", headers=bearer(key)).status_code == 200


def test_no_header_is_401_in_vietnamese(client, db):
    response = client.get("/api/v1/orgs")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "Authorization: Bearer" in response.json()["detail"]


def test_session_login_does_not_open_the_api(client, user):
    # The API trusts bearer tokens only, which is why CSRF does not apply to it.
    client.force_login(user)
    assert client.get("/api/v1/orgs").status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-token", "Bearer ", "Token abc", "Basic dGh1a3k6eA=="],
)
def test_bad_tokens_are_401(client, user, header):
    api_token_create(user=user)
    response = client.get("/api/v1/orgs", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Cần đăng nhập")


def test_expired_token_is_401_saying_so(client, user):
    issued = api_token_create(user=user, now=timezone.now() - datetime.timedelta(days=400))
    response = client.get("/api/v1/orgs", headers=bearer(issued.key))
    assert response.status_code == 401
    assert response.json() == {"detail": "Mã truy cập đã hết hạn. Hãy đăng nhập lại để lấy mã mới."}


def test_token_of_deactivated_user_stops_working(client, user):
    issued = api_token_create(user=user)
    assert client.get("/api/v1/orgs", headers=bearer(issued.key)).status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/api/v1/orgs", headers=bearer(issued.key)).status_code == 401


def test_openapi_is_public_and_declares_bearer_auth(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert {
        "/api/v1/auth/token",
        "/api/v1/orgs",
        "/api/v1/orgs/{code}",
        "/api/v1/orgs/{code}/members",
        "/api/v1/members/{person_id}",
    } <= set(schema["paths"])
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    assert "security" not in schema["paths"]["/api/v1/auth/token"]["post"]


def test_no_docs_page_that_would_load_a_cdn(db):
    # Swagger UI pulls its scripts from a CDN; the platform serves every asset itself.
    # Unknown paths under the API resolve to its JSON 404 (chibo.api.ChiboAPI).
    assert resolve("/api/v1/docs").url_name != "openapi-view"
    response = Client().get("/api/v1/docs")
    assert response.status_code == 404 and "swagger" not in response.content.decode().lower()


def test_service_validation_errors_answer_422_naming_the_field(rf):
    from django.core.exceptions import ValidationError

    from chibo.api import api

    request = rf.post("/api/v1/anything")
    error = ValidationError({"citizen_id": ["Số CCCD đã có trong hệ thống."]})
    response = api.on_exception(request, error)
    assert response.status_code == 422
    assert json.loads(response.content) == {
        "detail": [
            {
                "type": "value_error",
                "loc": ["body", "citizen_id"],
                "msg": "Số CCCD đã có trong hệ thống.",
                "message": "Số CCCD đã có trong hệ thống.",
            }
        ]
    }
    plain = api.on_exception(request, ValidationError("Không được."))
    assert json.loads(plain.content)["detail"][0]["loc"] == ["body"]
