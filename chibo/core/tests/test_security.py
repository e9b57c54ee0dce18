"""Security headers, CSRF on the login form and login rate limiting, through real requests."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

PASSWORD = "mat-khau-dung-2025"


@pytest.fixture
def user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("canbo.kiemtra", password=PASSWORD)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def attempt(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_url_is_the_login_page() -> None:
    assert reverse("login") == "/login/"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/login/", "/khong-co-trang-nay/", "/api/v1/openapi.json"])
def test_security_headers_on_every_kind_of_response(client: Client, url: str) -> None:
    response = client.get(url)
    csp = response.headers["Content-Security-Policy"]
    # Every asset is served by Chibo itself: nothing from elsewhere, no inline script.
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_login_page_is_vietnamese_with_a_csrf_token(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="vi"' in body
    assert 'name="csrfmiddlewaretoken"' in body


@pytest.mark.django_db
def test_login_without_csrf_token_is_refused(user: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = attempt(client, user.username, PASSWORD)
    assert response.status_code == 403
    assert not logged_in(client)


@pytest.mark.django_db
def test_login_with_a_forged_csrf_token_is_refused(user: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": "x" * 64},
    )
    assert response.status_code == 403
    assert not logged_in(client)


@pytest.mark.django_db
def test_login_with_the_csrf_token_works_and_sets_a_safe_session_cookie(user: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert logged_in(client)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_out(client: Client, user: Any) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = attempt(client, user.username, "sai-mat-khau")
        assert response.status_code == 200  # the form again, with an error
        assert not logged_in(client)
    locked = attempt(client, user.username, "sai-mat-khau")
    assert locked.status_code == 429
    assert "Tài khoản tạm khóa" in locked.content.decode()

    # Even the right password is refused while the lock lasts.
    response = attempt(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)


@pytest.mark.django_db
def test_the_lock_is_per_user_name_and_address(
    client: Client, user: Any, django_user_model: Any
) -> None:
    other = django_user_model.objects.create_user("canbo.khac", password=PASSWORD)
    for _ in range(5):
        attempt(client, user.username, "sai-mat-khau")
    assert attempt(client, user.username, PASSWORD).status_code == 429

    # Someone else at the same address, and the same name from another machine, still get
    # in: guessing one account must not lock a whole commune office out.
    assert attempt(client, other.username, PASSWORD).status_code == 302
    elsewhere = Client(REMOTE_ADDR="10.0.0.8")
    assert attempt(elsewhere, user.username, PASSWORD).status_code == 302
    assert logged_in(elsewhere)


@pytest.mark.django_db
def test_a_successful_login_resets_the_count(client: Client, user: Any) -> None:
    for _ in range(4):
        attempt(client, user.username, "sai-mat-khau")
    assert attempt(client, user.username, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert attempt(client, user.username, "sai-mat-khau").status_code == 200
    assert attempt(client, user.username, PASSWORD).status_code == 302
