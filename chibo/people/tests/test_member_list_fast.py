"""Member lists that stay fast at 300,000 members: the trigram index behind the name
search, and pages of a large subtree read by walking people in name order.

Both are checked against the plain answer: the search against folding in Python, the
walk against the sorted query `member_list` has always run."""

from __future__ import annotations

import datetime
import random
import re
from typing import Any

import pytest
from django.db import connection
from django.db.models import Max
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.core.roles import Role
from chibo.core.vntext import fold
from chibo.imports.services import import_members_file
from chibo.imports.tests.helpers import good_row, xlsx
from chibo.imports.writing import Inserter
from chibo.orgs.models import Family, Level, Org
from chibo.orgs.services import grant_create, org_create
from chibo.people import trigram
from chibo.people.models import EndReason, Membership, MembershipStatus, Person
from chibo.people.selectors import MemberRoll, _Plan, member_list, member_roll
from chibo.people.services import (
    PersonData,
    membership_create,
    membership_update,
    person_create,
    person_update,
)
from chibo.people.tests.test_api import api_client
from chibo.people.tests.test_views import client_for, names_on_page, text_of

NAMES = [
    "Nguyễn Văn An", "Nguyễn Văn Ân", "Nguyễn Văn Anh", "Nguyễn Thị Ánh", "Đặng Thị Ánh Hồng",
    "Đỗ Đức Đạt", "Đinh Văn Đông", "Lê Thị Lan Anh", "Trần Quốc Tuấn", "Phạm Thị Thu Hà",
    "Hoàng Văn Hải", "Vũ Thị Hải Yến", "Bùi Xuân Phái", "Ngô Bảo Châu", "Lương Thế Vinh",
    "Ông Ích Khiêm", "Âu Dương Thị Ngọc", "Tôn Nữ Thị Hương", "Nguyễn Thị Thuý", "Ma Văn Kháng",
    "Hứa Vĩnh Phúc", "Y Moan Ênuôl", "Lò Văn Ún", "Giàng A Pháo", "Quàng Thị Én",
]  # fmt: skip


def _add(org: Org, names: list[str], *, status: str = MembershipStatus.OFFICIAL) -> list[Person]:
    people = []
    for name in names:
        person = person_create(data=PersonData(full_name=name), org_id=org.pk)
        membership_create(person=person, org=org, status=status)
        people.append(person)
    return people


def _found(personas: Any, query: str, *, org: Org | None = None) -> list[int]:
    rows = member_list(
        user=personas.user("erin"), org=org or personas.province, query=query, descendants=True
    )
    return [m.pk for m in rows]


def _expected(personas: Any, query: str, *, org: Org | None = None) -> list[int]:
    """The same list folded and filtered in Python, in the same order."""
    root = org or personas.province
    rows = Membership.objects.filter(
        org__path__startswith=root.path, ended_on__isnull=True
    ).select_related("person")
    folded = fold(query)
    if 0 < len(folded) < trigram.MIN_QUERY:
        # One or two letters: the start of the given name, letters only.
        kept = [
            m for m in rows if folded.isalpha() and fold(m.person.given_name).startswith(folded)
        ]
    else:
        kept = [m for m in rows if folded in m.person.search_text]
    kept.sort(key=lambda m: (m.person.sort_key, m.person_id, m.pk))
    return [m.pk for m in kept]


def _uses_trigram(personas: Any, query: str) -> bool:
    with CaptureQueriesContext(connection) as captured:
        _found(personas, query)
    return any(trigram.TABLE in q["sql"] for q in captured.captured_queries)


# --- the search ---------------------------------------------------------------------------


def test_trigram_index_is_installed_and_in_step(personas):
    if connection.vendor == "sqlite":
        assert trigram.sqlite_ready(connection)
        with connection.cursor() as cursor:
            # For an external-content table this compares the index with people_person.
            cursor.execute(
                f"INSERT INTO {trigram.TABLE}({trigram.TABLE}, rank) VALUES ('integrity-check', 1)"
            )
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s", [trigram.PG_INDEX]
            )
            row = cursor.fetchone()
        assert row is not None and "gin_trgm_ops" in row[0]


def test_search_gives_the_same_people_as_folding_in_python(personas):
    _add(personas.cell_a, NAMES[:13])
    _add(personas.cell_b, NAMES[13:])
    rng = random.Random(2)
    queries = [
        "nguyen van an", "NGUYỄN VĂN AN", "nguyễn văn ân", "Nguyen Van A", "van an", "an",
        "a", "đ", "Đ", "d", "đức đạt", "duc dat", "dat", "ánh", "ANH", "nh", "hai", "hải yến",
        "thi", "thị thu", "  thu   ha  ", "y moan", "enuol", "un", "a phao", "ich khiem",
        "au duong", "huong", "thuy", "thuý", "xyz", "nguyenvan", "an.", "an%", "%", "_", "a_h",
        '"', 'an"', "\\", "n*", "an OR binh", "NEAR(an)", "ngô bảo châu", "châu", "q",
    ]  # fmt: skip
    for name in NAMES:
        folded = fold(name)
        for _ in range(4):
            start = rng.randrange(len(folded))
            queries.append(folded[start : start + rng.randint(1, 9)])
    for query in queries:
        assert _found(personas, query) == _expected(personas, query), query
    assert _found(personas, "nguyen van an") != []


def test_searches_of_three_letters_use_the_trigram_index(personas):
    if connection.vendor == "sqlite":
        assert _uses_trigram(personas, "ngu")
        assert _uses_trigram(personas, "nguyễn văn an")
        assert not _uses_trigram(personas, "ng")
        assert not _uses_trigram(personas, "a")
        return
    # The selector's LIKE, as Django writes it (`search_text::text LIKE '%…%'`).
    rows = Person.objects.filter(search_text__contains="nguyen van").order_by().values("pk")
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        # A table this small is read whole unless the planner is told not to.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert trigram.PG_INDEX in plan, plan


def test_people_created_renamed_and_removed_are_found_or_not(personas):
    (person,) = _add(personas.cell_a, ["Khúc Thừa Dụ"])
    found = Membership.objects.filter(pk__in=_found(personas, "khuc thua"))
    assert [m.person_id for m in found] == [person.pk]
    person_update(
        person=person,
        data=PersonData(full_name="Khúc Hạo", birth_date=datetime.date(1970, 1, 2)),
    )
    assert _found(personas, "khuc thua") == []
    assert len(_found(personas, "khuc hao")) == 1
    membership = Membership.objects.get(person=person)
    membership.delete()
    person.delete()
    assert _found(personas, "khuc hao") == []
    assert _found(personas, "khuc") == []


def test_people_written_in_bulk_are_found(personas):
    """The import and the seeding write people with plain INSERTs: the index follows."""
    people = Inserter(Person)
    memberships = Inserter(Membership)
    for serial in range(3):
        person_id = people.add(
            {
                "full_name": f"Kiều Công Hãn {serial}",
                "family_name": "Kiều",
                "middle_name": "Công",
                "given_name": f"Hãn {serial}",
                "sort_key": f"9{serial}",
                "search_text": f"kieu cong han {serial}",
            }
        )
        memberships.add(
            {
                "person_id": person_id,
                "org_id": personas.cell_b.pk,
                "family": Family.PARTY,
                "status": MembershipStatus.OFFICIAL,
            }
        )
    people.finish()
    memberships.finish()
    assert len(_found(personas, "cong han")) == 3
    assert _found(personas, "cong han 1") == _expected(personas, "cong han 1") != []


def test_people_imported_from_a_sheet_are_found(demo, tmp_path, settings):
    settings.IMPORT_DIR = tmp_path / "imports"
    org = Org.objects.get(code="DU-DT")
    rows = [good_row(1, **{"Họ và tên": "Khương Thị Nhập Khẩu"})]
    outcome = import_members_file(path=xlsx(tmp_path, rows), org=org)
    assert outcome.problems == []
    found = member_list(user=demo.user("danguy"), org=org, query="nhap khau", descendants=True)
    assert [m.person.full_name for m in found] == ["Khương Thị Nhập Khẩu"]


# --- pages of a large subtree ------------------------------------------------------------


@pytest.fixture
def big(personas: Any) -> Any:
    """A commune of three cells with 90 members on the roll, some of them namesakes, some
    taken off the roll, and people outside the commune who sort between them."""
    cells = [
        org_create(
            parent=personas.commune, code=f"T-X{n}", name=f"Chi bộ thử {n}", family=Family.PARTY,
            level=Level.BRANCH,
        )
        for n in range(3)
    ]  # fmt: skip
    rng = random.Random(5)
    for serial in range(90):
        name = rng.choice(NAMES) if serial % 3 else f"{rng.choice(NAMES)} {serial}"
        _add(cells[serial % 3], [name])
    outside = personas.women_a
    _add(outside, [rng.choice(NAMES) for _ in range(40)], status=MembershipStatus.ACTIVE)
    for membership in Membership.objects.filter(org=cells[0]).order_by("pk")[:4]:
        membership_update(
            membership=membership,
            status=MembershipStatus.REMOVED,
            joined_on=membership.joined_on,
            official_on=membership.official_on,
            card_number=membership.card_number,
            on=datetime.date(2024, 1, 1),
            reason="Thử",
        )
    return personas


@pytest.mark.parametrize(
    ("query", "status"),
    [("", ""), ("nguyen", ""), ("an", ""), ("", MembershipStatus.REMOVED), ("zz", "")],
)
def test_every_plan_reads_the_same_pages(big, monkeypatch, query, status):
    user = big.user("dave")
    args: dict[str, Any] = {"org": big.commune, "query": query, "status": status}
    expected = list(member_list(user=user, descendants=True, **args))
    if status == MembershipStatus.REMOVED:
        assert expected and all(m.end_reason == EndReason.STATUS for m in expected)
    total = len(expected)
    ends = {0, 1, 2, total // 2, total - 2, total - 1} - {-1, -2}
    slices = [(start, start + 1) for start in sorted(ends)]
    for size in (7, 50):
        slices += [(start, start + size) for start in range(0, total + size, size)]
    for walk in (True, False):
        for backwards in (False, True):

            def plan(
                self: MemberRoll,
                start: int,
                stop: int,
                total: int,
                *,
                walk: bool = walk,
                backwards: bool = backwards,
            ) -> _Plan:
                return _Plan(walk, backwards, total - stop if backwards else start)

            monkeypatch.setattr(MemberRoll, "plan", plan)
            roll = member_roll(user=user, descendants=True, walk_from=1, **args)
            assert roll.count() == total
            for start, stop in slices:
                assert roll[start:stop] == expected[start:stop], (walk, backwards, start, stop)


def test_the_cheaper_plan_is_chosen(big):
    roll = member_roll(user=big.user("dave"), org=big.commune, descendants=True, walk_from=1)
    people = Person.objects.aggregate(last=Max("pk"))["last"]
    # A list holding (nearly) every person: a walk from the nearer end.
    assert roll.plan(0, 1, people) == _Plan(walk=True, backwards=False, offset=0)
    assert roll.plan(people - 1, people, people) == _Plan(walk=True, backwards=True, offset=0)
    assert roll.plan(people - 3, people - 2, people) == _Plan(walk=True, backwards=True, offset=2)
    middle = people // 2
    assert roll.plan(middle, middle + 1, people).walk
    # A list holding one person in a hundred is sorted, from the nearer end too.
    rare = people // 100
    assert roll.plan(0, 1, rare) == _Plan(walk=False, backwards=False, offset=0)
    assert roll.plan(rare - 1, rare, rare) == _Plan(walk=False, backwards=True, offset=0)


def test_only_a_reader_of_the_whole_subtree_gets_the_walk(big):
    walkable = member_roll(user=big.user("dave"), org=big.commune, descendants=True)
    assert walkable._filters is not None
    cell = member_roll(user=big.user("alice"), org=big.cell_a, descendants=True)
    assert cell._filters is None  # a cell has no units below it
    one_org = member_roll(user=big.user("dave"), org=big.commune)
    assert one_org._filters is None
    # A viewer of one cell who asks for the commune's list gets only what the scope allows.
    grant_create(user=big.user("frank"), org=big.cell_a, role=Role.VIEWER)
    outsider = member_roll(user=big.user("frank"), org=big.commune, descendants=True)
    assert outsider._filters is None
    assert {m.org_id for m in outsider[0:500]} == {big.cell_a.pk}


def test_page_of_a_large_subtree_pages_and_counts_right(big, settings, monkeypatch):
    monkeypatch.setattr("chibo.people.selectors.WALK_FROM", 1)
    settings.PAGE_SIZE = 10
    client = client_for(big, "dave")
    url = reverse("org_members", args=["T-C"])
    expected = [
        m.person.full_name
        for m in member_list(user=big.user("dave"), org=big.commune, descendants=True)
    ]
    pages = -(-len(expected) // 10)
    seen: list[str] = []
    for number in range(1, pages + 1):
        response = client.get(url, {"descendants": "on", "page": str(number)})
        assert f"Trang {number}/{pages}" in text_of(response)
        assert f"{len(expected)} người" in text_of(response)
        seen += names_on_page(response)
    assert seen == expected
    last = client.get(url, {"descendants": "on", "page": str(pages)})
    assert names_on_page(last) == expected[(pages - 1) * 10 :]
    assert 'rel="prev"' in last.content.decode() and 'rel="next"' not in last.content.decode()


def test_api_of_a_large_subtree_pages_and_counts_right(big, monkeypatch):
    monkeypatch.setattr("chibo.people.selectors.WALK_FROM", 1)
    client = api_client(big.user("dave"))
    url = "/api/v1/orgs/T-C/members"
    everyone = client.get(url, {"descendants": "true", "limit": "500"}).json()
    total = everyone["count"]
    assert total == len(everyone["items"]) == 90
    for offset in (0, 13, total - 5, total, total + 10):
        body = client.get(
            "/api/v1/orgs/T-C/members", {"descendants": "true", "limit": 10, "offset": offset}
        ).json()
        assert body["count"] == total
        assert body["items"] == everyone["items"][offset : offset + 10]


def test_large_subtree_lists_cost_the_same_for_few_and_many(
    big, settings, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr("chibo.people.selectors.WALK_FROM", 1)
    settings.PAGE_SIZE = 10
    page = client_for(big, "dave")
    api = api_client(big.user("dave"))
    api.get("/api/v1/orgs")  # the token's first use writes its date once
    url = reverse("org_members", args=["T-C"])

    api_url = "/api/v1/orgs/T-C/members"
    requests: list[tuple[Client, str, dict[str, str]]] = [
        (page, url, {"descendants": "on"}),
        (page, url, {"descendants": "on", "page": "2", "q": "nguyen"}),
        (api, api_url, {"descendants": "true"}),
        (api, api_url, {"descendants": "true", "q": "van an"}),
    ]

    def costs() -> list[int]:
        counts = []
        for client, address, params in requests:
            with django_assert_max_num_queries(14) as captured:
                assert client.get(address, params).status_code == 200
            counts.append(len(captured.captured_queries))
        return counts

    few = costs()
    cell = Org.objects.get(code="T-X1")
    _add(cell, [f"Nguyễn Văn An {n}" for n in range(60)])
    assert costs() == few


def test_large_list_in_a_client_reads_every_member_once(big, monkeypatch):
    """Walking both ways and sorting, page after page, nobody is shown twice or missed."""
    monkeypatch.setattr("chibo.people.selectors.WALK_FROM", 1)
    client = Client()
    client.force_login(big.user("erin"))
    url = reverse("org_members", args=["T-P"])
    ids: list[str] = []
    number = 1
    while True:
        response = client.get(url, {"descendants": "on", "page": str(number)})
        ids += re.findall(r'class="member-name" href="([^"]+)"', response.content.decode())
        if 'rel="next"' not in response.content.decode():
            break
        number += 1
    on_roll = Membership.objects.current().filter(org__path__startswith=big.province.path)
    assert len(ids) == len(set(ids)) == on_roll.count()
