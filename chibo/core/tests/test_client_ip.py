"""Login rate limiting behind nginx: django-axes counts failures per client address,
which comes from X-Real-IP / X-Forwarded-For only when BEHIND_PROXY says nginx is there."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from chibo.core.client_ip import client_ip

PASSWORD = "mat-khau-dung-2025"
NGINX = "127.0.0.1"


@pytest.fixture
def user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("canbo.kiemtra", password=PASSWORD)


def wrong(client: Client, **headers: Any) -> int:
    response = client.post(
        reverse("login"),
        {"username": "canbo.kiemtra", "password": "sai-mat-khau"},
        REMOTE_ADDR=NGINX,
        **headers,
    )
    return response.status_code


def request(**meta: str) -> Any:
    made = RequestFactory().get("/")
    made.META.update(meta)
    return made


def test_without_a_proxy_only_the_socket_address_counts(settings: Any) -> None:
    settings.BEHIND_PROXY = False
    forged = {"HTTP_X_REAL_IP": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    assert client_ip(request(REMOTE_ADDR="192.0.2.5", **forged)) == "192.0.2.5"


def test_behind_the_proxy_its_headers_name_the_client(settings: Any) -> None:
    settings.BEHIND_PROXY = True
    assert client_ip(request(REMOTE_ADDR=NGINX, HTTP_X_REAL_IP="203.0.113.9")) == "203.0.113.9"
    # Without X-Real-IP, the last X-Forwarded-For entry (the one nginx appended) counts,
    # not what the client wrote before it.
    forwarded = {"HTTP_X_FORWARDED_FOR": "10.0.0.1, 198.51.100.7"}
    assert client_ip(request(REMOTE_ADDR=NGINX, **forwarded)) == "198.51.100.7"
    # Garbage in the headers falls back to the socket.
    junk = {"HTTP_X_REAL_IP": "không phải IP", "HTTP_X_FORWARDED_FOR": "abc"}
    assert client_ip(request(REMOTE_ADDR=NGINX, **junk)) == NGINX


@pytest.mark.django_db
def test_behind_the_proxy_one_client_is_locked_out_not_everyone(settings: Any, user: Any) -> None:
    settings.BEHIND_PROXY = True
    settings.AXES_FAILURE_LIMIT = 3
    attacker, neighbour = Client(), Client()
    codes = [wrong(attacker, HTTP_X_REAL_IP="203.0.113.9") for _ in range(4)]
    assert codes == [200, 200, 429, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    # The same user name from another address behind the same nginx still gets in.
    response = neighbour.post(
        reverse("login"),
        {"username": "canbo.kiemtra", "password": PASSWORD},
        REMOTE_ADDR=NGINX,
        HTTP_X_REAL_IP="198.51.100.20",
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_without_a_proxy_forged_headers_do_not_dodge_the_lock(settings: Any, user: Any) -> None:
    settings.BEHIND_PROXY = False
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    codes = [wrong(client, HTTP_X_REAL_IP=f"203.0.113.{n}") for n in range(1, 5)]
    assert codes == [200, 200, 429, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {NGINX}
