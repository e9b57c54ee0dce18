"""Keyset paging of member lists: signed cursors in name order, the jump by the first letter
of the given name, page numbers only near the ends of a large list, in the page and the API.

Every walk is checked against `member_list`, the plain sorted query."""

from __future__ import annotations

import base64
import json
import random
import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import signing
from django.urls import reverse

from chibo.core.vntext import fold
from chibo.orgs.models import Family, Level, Org
from chibo.orgs.services import org_create
from chibo.people import selectors
from chibo.people.models import Membership, MembershipStatus
from chibo.people.selectors import (
    CURSOR_SALT,
    BadCursor,
    MemberRoll,
    RollKey,
    cursor_dump,
    cursor_load,
    letter_key,
    member_list,
    member_roll,
)
from chibo.people.tests.test_api import api_client
from chibo.people.tests.test_member_list_fast import NAMES, _add
from chibo.people.tests.test_views import client_for, names_on_page, text_of


@pytest.fixture
def roll_world(personas: Any) -> Any:
    """A commune of three cells, 96 members on the roll with many namesakes (equal sort keys),
    plus people of the women's union who sort between them but are not in the list."""
    cells = [
        org_create(
            parent=personas.commune, code=f"T-K{n}", name=f"Chi bộ phân trang {n}",
            family=Family.PARTY, level=Level.BRANCH,
        )
        for n in range(3)
    ]  # fmt: skip
    rng = random.Random(11)
    for serial in range(96):
        # Two thirds namesakes of the same 25 names: ties broken by person, then membership.
        name = rng.choice(NAMES) if serial % 3 else f"{rng.choice(NAMES)} {serial}"
        _add(cells[serial % 3], [name])
    _add(personas.women_a, [rng.choice(NAMES) for _ in range(30)], status=MembershipStatus.ACTIVE)
    return personas


def _walk(roll: MemberRoll, *, limit: int, backwards: bool) -> list[int]:
    """Every page from one end to the other, following the cursors, as membership ids."""
    seen: list[int] = []
    key: RollKey | None = None
    for _ in range(1000):
        page = roll.seek(key=key, backwards=backwards, limit=limit)
        ids = [m.pk for m in page.items]
        if backwards and seen and seen[0] in ids:
            # Back at the start, the first page comes full: it ends where the walk began.
            assert page.previous_cursor is None
            ids = ids[: ids.index(seen[0])]
        seen = ids + seen if backwards else seen + ids
        token = page.previous_cursor if backwards else page.next_cursor
        if token is None:
            return seen
        key, going_back = cursor_load(token)
        assert going_back == backwards
    raise AssertionError("the cursors never reached the end")


@pytest.mark.parametrize(
    ("query", "status"),
    [("", ""), ("nguyen", ""), ("an", ""), ("a", ""), ("", MembershipStatus.REMOVED), ("zz", "")],
)
@pytest.mark.parametrize("how", ["plain", "walk", "sort"])
def test_cursor_pages_join_into_the_whole_list(roll_world, monkeypatch, query, status, how):
    user = roll_world.user("dave")
    args: dict[str, Any] = {"org": roll_world.commune, "query": query, "status": status}
    expected = [m.pk for m in member_list(user=user, descendants=True, **args)]
    if how == "walk":
        monkeypatch.setattr(selectors, "WALK_COST", 0)
    if how == "sort":
        monkeypatch.setattr(selectors, "WALK_COST", 10**9)
    # "plain": under WALK_FROM rows, the ORM's own sorted query.
    walk_from = None if how == "plain" else 1
    roll = member_roll(user=user, descendants=True, walk_from=walk_from, **args)
    for limit in (1, 7, 50):
        forwards = _walk(roll, limit=limit, backwards=False)
        assert forwards == expected, (limit, "forwards")
        assert len(set(forwards)) == len(forwards)
        assert _walk(roll, limit=limit, backwards=True) == expected, (limit, "backwards")


def test_ties_on_equal_names_are_kept_in_order_across_pages(roll_world, monkeypatch):
    monkeypatch.setattr(selectors, "WALK_COST", 0)
    user = roll_world.user("dave")
    rows = list(member_list(user=user, org=roll_world.commune, descendants=True))
    keys = [m.person.sort_key for m in rows]
    assert len(set(keys)) < len(keys) // 2  # mostly namesakes
    roll = member_roll(user=user, org=roll_world.commune, descendants=True, walk_from=1)
    # Pages of one row: every cursor sits between two people of the same name somewhere.
    assert _walk(roll, limit=1, backwards=False) == [m.pk for m in rows]


def test_a_previous_page_near_the_start_is_the_full_first_page(roll_world):
    user = roll_world.user("dave")
    roll = member_roll(user=user, org=roll_world.commune, descendants=True, walk_from=1)
    rows = list(member_list(user=user, org=roll_world.commune, descendants=True))
    # Back from the third row: only two rows before it, so the first page, full and in order.
    page = roll.seek(key=RollKey.of(rows[2]), backwards=True, limit=10)
    assert [m.pk for m in page.items] == [m.pk for m in rows[:10]]
    assert not page.has_previous and page.has_next
    last = roll.seek(key=None, backwards=True, limit=10)
    assert [m.pk for m in last.items] == [m.pk for m in rows[-10:]]
    assert last.has_previous and not last.has_next and last.next_cursor is None


# --- cursors ------------------------------------------------------------------------------


def _forged(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


BAD_CURSORS = [
    "abc",
    "",
    "%%%",
    "a" * 400,
    _forged(["a", "1234", 1, 1]),  # base64 of a key without the signature
    signing.dumps(["a", "1234", 1, 1], salt="another.purpose"),
    signing.dumps(["x", "1234", 1, 1], salt=CURSOR_SALT),
    signing.dumps(["a", 1234, "1", 1], salt=CURSOR_SALT),
    signing.dumps(["a", "1234", 1], salt=CURSOR_SALT),
    signing.dumps({"a": 1}, salt=CURSOR_SALT),
    signing.dumps([], salt=CURSOR_SALT),
]


def test_a_cursor_is_opaque_and_refused_when_altered():
    token = cursor_dump(key=RollKey("10270000", 5, 9), backwards=False)
    assert cursor_load(token) == (RollKey("10270000", 5, 9), False)
    assert cursor_load(cursor_dump(key=None, backwards=True)) == (None, True)
    signature = token.rsplit(":", 1)[1]
    # The same place one person later, with the old signature: refused.
    altered = signing.b64_encode(json.dumps(["a", "10270000", 6, 9]).encode()).decode()
    for bad in [*BAD_CURSORS[:4], f"{altered}:{signature}", token[:-2], token + "x"]:
        if bad == "":
            continue
        with pytest.raises(BadCursor):
            cursor_load(bad)
    for bad in BAD_CURSORS[4:]:
        with pytest.raises(BadCursor):
            cursor_load(bad)


def test_letters_follow_the_vietnamese_alphabet():
    order = [letter_key(letter).sort_key for letter in ("A", "Ă", "Â", "B", "D", "Đ", "E", "Ê")]
    assert order == sorted(order) and len(set(order)) == len(order)
    for bad in ("F", "1", "AB", "", "a"):
        with pytest.raises(BadCursor):
            letter_key(bad)


# --- the page -----------------------------------------------------------------------------


def _link(response: Any, rel: str) -> str:
    found = re.search(rf'href="([^"]+)" rel="{rel}"', response.content.decode())
    assert found, rel
    return found.group(1).replace("&amp;", "&")


def _query(link: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(link).query)


def test_the_page_walks_by_cursor_and_keeps_the_filters(roll_world, settings, monkeypatch):
    # A "large" list in miniature: page numbers only for the first two pages from each end.
    monkeypatch.setattr(selectors, "WALK_FROM", 1)
    monkeypatch.setattr(selectors, "MAX_SKIP", 5)
    settings.PAGE_SIZE = 5
    client = client_for(roll_world, "dave")
    url = reverse("org_members", args=["T-C"])
    expected = [
        m.person.full_name
        for m in member_list(
            user=roll_world.user("dave"), org=roll_world.commune, query="thi", descendants=True
        )
    ]
    assert len(expected) > 25
    response = client.get(url, {"descendants": "on", "q": "thi"})
    seen = names_on_page(response)
    numbered = 1
    for _ in range(100):
        if 'rel="next"' not in response.content.decode():
            break
        link = _link(response, "next")
        params = _query(link)
        assert params["q"] == ["thi"] and params["descendants"] == ["on"]
        if "page" in params:
            numbered += 1
        response = client.get(url + link)
        assert response.status_code == 200
        seen += names_on_page(response)
    assert seen == expected
    # Pages 1 and 2 by number (5 rows skipped at most), the rest by cursor.
    assert numbered == 2
    assert "cursor" in _query(_link(response, "prev"))
    # Back by cursor from the last page to the first.
    back: list[str] = names_on_page(response)
    for _ in range(100):
        if 'rel="prev"' not in response.content.decode():
            break
        response = client.get(url + _link(response, "prev"))
        back = names_on_page(response) + back
    assert back == expected


def test_a_page_number_far_from_both_ends_is_refused_plainly(roll_world, settings, monkeypatch):
    monkeypatch.setattr(selectors, "WALK_FROM", 1)
    monkeypatch.setattr(selectors, "MAX_SKIP", 10)
    settings.PAGE_SIZE = 5
    client = client_for(roll_world, "dave")
    url = reverse("org_members", args=["T-C"])
    first = names_on_page(client.get(url, {"descendants": "on"}))
    response = client.get(url, {"descendants": "on", "page": "10"})
    assert response.status_code == 200
    assert "Trang 10 ở quá xa đầu và cuối danh sách" in text_of(response)
    assert names_on_page(response) == first
    # The last page is near its end: read by number.
    total = member_roll(
        user=roll_world.user("dave"), org=roll_world.commune, descendants=True
    ).count()
    last = client.get(url, {"descendants": "on", "page": str(-(-total // 5))})
    assert "quá xa" not in text_of(last) and 'rel="next"' not in last.content.decode()


# Named by position: a signed cursor carries the time it was made, which differs between
# the test workers that collect it.
@pytest.mark.parametrize(
    "bad",
    BAD_CURSORS[:1] + BAD_CURSORS[2:],
    ids=[f"bad{number}" for number in range(len(BAD_CURSORS) - 1)],
)
def test_a_bad_cursor_on_the_page_says_so_and_shows_the_first_page(roll_world, bad):
    client = client_for(roll_world, "dave")
    url = reverse("org_members", args=["T-C"])
    first = names_on_page(client.get(url, {"descendants": "on"}))
    response = client.get(url, {"descendants": "on", "cursor": bad})
    assert response.status_code == 200
    assert "Đường dẫn chuyển trang (cursor) không hợp lệ" in text_of(response)
    assert names_on_page(response) == first


def test_the_letter_jump_opens_the_list_at_a_given_name(roll_world, settings):
    settings.PAGE_SIZE = 5
    client = client_for(roll_world, "dave")
    url = reverse("org_members", args=["T-C"])
    page = client.get(url, {"descendants": "on", "q": "thi"})
    letters = re.findall(r'class="letter-jump__key" href="([^"]+)"', page.content.decode())
    assert len(letters) == 29  # the Vietnamese alphabet
    t_link = next(link.replace("&amp;", "&") for link in letters if "letter=T&" in link + "&")
    assert _query(t_link)["q"] == ["thi"]
    rows = member_list(
        user=roll_world.user("dave"), org=roll_world.commune, query="thi", descendants=True
    )
    from_t = [m.person.full_name for m in rows if m.person.sort_key >= letter_key("T").sort_key]
    response = client.get(url + t_link)
    assert names_on_page(response) == from_t[:5]
    assert all(fold(name.split()[-1]).startswith("t") for name in names_on_page(response)[:1])
    assert 'aria-current="true">T<' in response.content.decode()
    # Đ is its own letter, after D.
    dd = client.get(url, {"descendants": "on", "letter": "Đ"})
    assert names_on_page(dd)[0].split()[-1].startswith("Đ")
    bad = client.get(url, {"descendants": "on", "letter": "F"})
    assert "Chữ cái “F” không có trong bảng chữ cái" in text_of(bad)


def test_a_short_search_finds_given_names_and_says_how(roll_world):
    client = client_for(roll_world, "dave")
    url = reverse("org_members", args=["T-C"])
    response = client.get(url, {"descendants": "on", "q": "th"})
    names = names_on_page(response)
    assert names and all(fold(name.split()[-1]).startswith("th") for name in names)
    assert "tìm người có tên bắt đầu bằng “th”" in text_of(response)


def test_page_queries_stay_bounded_whatever_the_size(
    roll_world, settings, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(selectors, "WALK_FROM", 1)
    settings.PAGE_SIZE = 5
    client = client_for(roll_world, "dave")
    url = reverse("org_members", args=["T-C"])
    token = client.get(url, {"descendants": "on"})
    after = _link(token, "next")
    client.get(url + after)  # warm the session
    with django_assert_max_num_queries(14):
        assert client.get(url + after).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(url, {"descendants": "on", "letter": "T"}).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(url, {"descendants": "on", "q": "a"}).status_code == 200
    # Many more rows: the same bound.
    _add(roll_world.cell_a, [NAMES[n % len(NAMES)] for n in range(200)])
    with django_assert_max_num_queries(14):
        assert client.get(url + after).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(url, {"descendants": "on", "letter": "T"}).status_code == 200


# --- the API ------------------------------------------------------------------------------


def test_api_cursor_pages_join_into_the_whole_list(roll_world, monkeypatch):
    monkeypatch.setattr(selectors, "WALK_FROM", 1)
    client = api_client(roll_world.user("dave"))
    url = "/api/v1/orgs/T-C/members"
    everyone = client.get(url, {"descendants": "true", "limit": "500"}).json()
    assert everyone["next_cursor"] is None and everyone["previous_cursor"] is None
    expected = [item["membership_id"] for item in everyone["items"]]
    body = client.get(url, {"descendants": "true", "limit": "7"}).json()
    seen = [item["membership_id"] for item in body["items"]]
    assert body["offset"] == 0 and body["previous_cursor"] is None
    while body["next_cursor"]:
        body = client.get(
            url, {"descendants": "true", "limit": "7", "cursor": body["next_cursor"]}
        ).json()
        assert body["count"] == everyone["count"] and body["offset"] is None
        seen += [item["membership_id"] for item in body["items"]]
    assert seen == expected
    back = [item["membership_id"] for item in body["items"]]
    while body["previous_cursor"]:
        body = client.get(
            url, {"descendants": "true", "limit": "7", "cursor": body["previous_cursor"]}
        ).json()
        back = [item["membership_id"] for item in body["items"]] + back
    assert back == expected
    # An offset page hands over a cursor for the page after it.
    middle = client.get(url, {"descendants": "true", "limit": "7", "offset": "14"}).json()
    following = client.get(
        url, {"descendants": "true", "limit": "7", "cursor": middle["next_cursor"]}
    ).json()
    assert [item["membership_id"] for item in following["items"]] == expected[21:28]


def test_api_letter_and_errors(roll_world, monkeypatch):
    monkeypatch.setattr(selectors, "WALK_FROM", 1)
    monkeypatch.setattr(selectors, "MAX_SKIP", 10)
    client = api_client(roll_world.user("dave"))
    url = "/api/v1/orgs/T-C/members"
    rows = list(member_list(user=roll_world.user("dave"), org=roll_world.commune, descendants=True))
    from_h = [m.pk for m in rows if m.person.sort_key >= letter_key("H").sort_key]
    body = client.get(url, {"descendants": "true", "limit": "5", "letter": "h"}).json()
    assert [item["membership_id"] for item in body["items"]] == from_h[:5]

    def problem(params: dict[str, str]) -> dict[str, Any]:
        response = client.get(url, {"descendants": "true", "limit": "5", **params})
        assert response.status_code == 422, params
        detail: dict[str, Any] = response.json()["detail"][0]
        return detail

    for bad in BAD_CURSORS[:1] + BAD_CURSORS[2:]:
        found = problem({"cursor": bad})
        assert found["loc"] == ["query", "cursor"] and "cursor" in found["message"]
    assert problem({"letter": "F"})["loc"] == ["query", "letter"]
    token = body["next_cursor"]
    assert problem({"cursor": token, "offset": "5"})["loc"] == ["query", "offset"]
    far = problem({"offset": "40"})
    assert far["loc"] == ["query", "offset"] and "cursor" in far["message"]
    # Near the end is fine again.
    near_end = {"descendants": "true", "limit": "5", "offset": str(body["count"] - 5)}
    assert client.get(url, near_end).status_code == 200


def test_api_queries_stay_bounded(roll_world, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(selectors, "WALK_FROM", 1)
    client = api_client(roll_world.user("dave"))
    url = "/api/v1/orgs/T-C/members"
    token = client.get(url, {"descendants": "true", "limit": "5"}).json()["next_cursor"]
    for _ in range(2):
        with django_assert_max_num_queries(10):
            by_cursor = client.get(url, {"descendants": "true", "limit": "5", "cursor": token})
            assert by_cursor.status_code == 200
        with django_assert_max_num_queries(10):
            by_letter = client.get(url, {"descendants": "true", "limit": "5", "letter": "T"})
            assert by_letter.status_code == 200
        _add(roll_world.cell_b, [NAMES[n % len(NAMES)] for n in range(150)])


def test_outsiders_get_no_rows_by_cursor(roll_world):
    # A cursor is a place, not a permission: bob reads his own cell only.
    token = cursor_dump(key=None, backwards=True)
    client = client_for(roll_world, "bob")
    response = client.get(reverse("org_members", args=["T-C"]), {"cursor": token})
    assert response.status_code == 404
    own = client.get(reverse("org_members", args=["T-B"]), {"cursor": token})
    assert own.status_code == 200
    cell_b = Org.objects.get(code="T-B")
    assert set(names_on_page(own)) <= {
        m.person.full_name for m in Membership.objects.filter(org=cell_b)
    }


def test_a_letter_with_no_one_from_it_on_says_so_and_leads_back(roll_world, settings):
    settings.PAGE_SIZE = 5
    client = client_for(roll_world, "dave")
    url = reverse("org_members", args=["T-C"])
    # Given names starting with "an" (An, Ân, Anh, Ánh): none at B or after.
    rows = member_list(
        user=roll_world.user("dave"), org=roll_world.commune, query="an", descendants=True
    )
    expected = [m.person.full_name for m in rows]
    assert len(expected) > 5
    response = client.get(url, {"descendants": "on", "q": "an", "letter": "B"})
    assert names_on_page(response) == []
    assert "Không còn ai ở chỗ này của danh sách" in text_of(response)
    back = client.get(url + _link(response, "prev"))
    assert names_on_page(back) == expected[-5:]
