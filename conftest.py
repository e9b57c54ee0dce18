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


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Hashing passwords the production way costs a third of a second each; tests need none of it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


class Personas:
    """A small tree of its own, for tests that should not depend on the demo's shape.

    T-P (province) → T-C (commune) → T-A, T-B (cells); T-W (women's union) → T-WA (branch).
    alice: Bí thư of T-A · bob: Bí thư of T-B · charlie: member of T-A · dave: Bí thư of T-C ·
    erin: viewer grant on T-P · frank: no person, no grant.
    """

    def __init__(self) -> None:
        import datetime

        from chibo.core.models import User
        from chibo.core.roles import Role
        from chibo.orgs.models import Family, Level
        from chibo.orgs.services import grant_create, org_create
        from chibo.people.models import MembershipStatus, Title
        from chibo.people.services import (
            PersonData,
            membership_create,
            person_create,
            position_assign,
        )

        self.province = org_create(
            parent=None, code="T-P", name="Đảng bộ tỉnh Thử", family=Family.PARTY,
            level=Level.PROVINCE,
        )  # fmt: skip
        self.commune = org_create(
            parent=self.province, code="T-C", name="Đảng bộ xã Thử", family=Family.PARTY,
            level=Level.BASE,
        )  # fmt: skip
        self.cell_a = org_create(
            parent=self.commune, code="T-A", name="Chi bộ xóm Đồng", family=Family.PARTY,
            level=Level.BRANCH,
        )  # fmt: skip
        self.cell_b = org_create(
            parent=self.commune, code="T-B", name="Chi bộ xóm Bãi", family=Family.PARTY,
            level=Level.BRANCH,
        )  # fmt: skip
        self.women = org_create(
            parent=None, code="T-W", name="Hội LHPN xã Thử", family=Family.WOMEN, level=Level.BASE
        )
        self.women_a = org_create(
            parent=self.women, code="T-WA", name="Chi hội phụ nữ xóm Đồng", family=Family.WOMEN,
            level=Level.BRANCH,
        )  # fmt: skip
        joined = datetime.date(2010, 5, 19)

        def member(name: str, org: Any, username: str | None = None) -> Any:
            person = person_create(data=PersonData(full_name=name), org_id=org.pk)
            membership_create(
                person=person, org=org, status=MembershipStatus.OFFICIAL, joined_on=joined
            )
            if username:
                person.user = User.objects.create_user(username, password="x-unused-x")
                person.save(update_fields=["user"])
            return person

        self.alice = member("Nguyễn Thị An", self.cell_a, "alice")
        self.bob = member("Trần Văn Bình", self.cell_b, "bob")
        self.charlie = member("Lê Văn Cường", self.cell_a, "charlie")
        self.dave = member("Phạm Văn Dũng", self.commune, "dave")
        position_assign(
            person=self.alice, org=self.cell_a, title=Title.SECRETARY, started_on=joined
        )
        position_assign(person=self.bob, org=self.cell_b, title=Title.SECRETARY, started_on=joined)
        position_assign(
            person=self.dave, org=self.commune, title=Title.SECRETARY, started_on=joined
        )
        self.erin_user = User.objects.create_user("erin", password="x-unused-x")
        grant_create(user=self.erin_user, org=self.province, role=Role.VIEWER)
        self.frank_user = User.objects.create_user("frank", password="x-unused-x")

    def user(self, username: str) -> Any:
        from chibo.core.models import User

        return User.objects.get(username=username)


@pytest.fixture
def personas(db: None) -> Personas:
    return Personas()
