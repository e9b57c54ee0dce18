"""Fixtures shared by every test.

The demo (chibo.people.demo.seed_demo) is written into the test database once per run,
so tests that use the demo personas start from the same believable province. Tests
needing a live server get it re-seeded, because transactional tests empty the tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

DEMO_PASSWORD = "chibo-demo"
PERSONAS = ("admin", "tinhuy", "danguy", "bithu1", "bithu2", "dangvien1", "chihoi1")


class Demo:
    """Handles on the demo data by the names the tests speak of."""

    def user(self, username: str) -> Any:
        from chibo.core.models import User

        return User.objects.get(username=username)

    def org(self, code: str) -> Any:
        from chibo.orgs.models import Org

        return Org.objects.get(code=code)

    def client(self, username: str) -> Client:
        client = Client()
        client.force_login(self.user(username))
        return client


def _seed_demo() -> None:
    from chibo.people.demo import seed_demo

    seed_demo()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        _seed_demo()
    yield


@pytest.fixture
def demo(db: None) -> Demo:
    return Demo()


@pytest.fixture
def demo_live(transactional_db: None) -> Demo:
    from chibo.core.models import User

    if not User.objects.filter(username="bithu1").exists():
        _seed_demo()
    return Demo()
