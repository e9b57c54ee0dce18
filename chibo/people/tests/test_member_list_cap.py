"""A name search counts its matches up to a cap and then says "more than": the first page
and every page by cursor or letter stay right and complete without the exact count; a page
by number further on counts exactly. The roll itself is always counted exactly.

The cap is made small here (it is 10,000 in use) so that a few dozen people exceed it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from chibo.people import selectors
from chibo.people.selectors import member_list, member_roll
from chibo.people.tests.test_api import api_client
from chibo.people.tests.test_member_list_fast import NAMES, _add
from chibo.people.tests.test_member_list_paging import _link, _query, _walk, roll_world
from chibo.people.tests.test_views import client_for, names_on_page, text_of

__all__ = ["roll_world"]

CAP = 10
URL = "/api/v1/orgs/T-C/members"


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", CAP)
    return CAP


def _expected(world: Any, query: str, **args: Any) -> list[int]:
    rows = member_list(user=world.user("dave"), org=world.commune, query=query, **args)
    return [m.pk for m in rows]


# "thi": the trigram table on SQLite (or the GIN index); "a": the start of the given name.
@pytest.mark.parametrize("query", ["thi", "a", "nguyen"])
@pytest.mark.parametrize("walk_from", [None, 1])
def test_past_the_cap_the_count_is_a_lower_bound_and_the_pages_are_whole(
    roll_world, small_cap, query, walk_from
):
    expected = _expected(roll_world, query, descendants=True)
    assert len(expected) > small_cap
    roll = member_roll(
        user=roll_world.user("dave"),
        org=roll_world.commune,
        query=query,
        descendants=True,
        walk_from=walk_from,
    )
    assert roll.count() == small_cap and roll.count_is_lower_bound
    # The first page by number, then the cursors: all of it, in order, without the count.
    assert [m.pk for m in roll[0:7]] == expected[:7]
    # A first page longer than the cap is not cut to it.
    assert [m.pk for m in roll[0 : small_cap * 3]] == expected[: small_cap * 3]
    assert roll.count_is_lower_bound
    for limit in (3, 50):
        assert _walk(roll, limit=limit, backwards=False) == expected, limit
        assert _walk(roll, limit=limit, backwards=True) == expected, limit
    assert roll.count_is_lower_bound
    # A page by number further on needs the real size: counted exactly, then read.
    assert [m.pk for m in roll[7:14]] == expected[7:14]
    assert roll.count() == len(expected) and not roll.count_is_lower_bound
    assert roll.exact_count() == len(expected)


def test_under_the_cap_and_without_a_search_the_count_is_exact(roll_world, small_cap):
    user, org = roll_world.user("dave"), roll_world.commune
    few = member_roll(user=user, org=org, query="quang thi en", descendants=True)
    assert few.count() == len(_expected(roll_world, "quang thi en", descendants=True))
    assert few.count() <= small_cap and not few.count_is_lower_bound
    # The roll is the unit's membership: never "more than".
    everyone = member_roll(user=user, org=org, descendants=True)
    assert everyone.count() == len(_expected(roll_world, "", descendants=True)) > small_cap
    assert not everyone.count_is_lower_bound
    exact = member_roll(user=user, org=org, query="thi", descendants=True, exact=True)
    assert exact.count() == len(_expected(roll_world, "thi", descendants=True))
    assert not exact.count_is_lower_bound


def test_the_cap_holds_for_a_reader_of_part_of_the_subtree(roll_world, small_cap):
    # bob reads his own cell only: the ORM's count, capped, without the hand-written SQL.
    _add(roll_world.cell_b, [NAMES[n % 5] for n in range(15)])
    bob = roll_world.user("bob")
    cell = roll_world.cell_b
    roll = member_roll(user=bob, org=cell, query="nguyen")
    rows = [m.pk for m in member_list(user=bob, org=cell, query="nguyen")]
    assert len(rows) > small_cap
    assert roll.count() == small_cap and roll.count_is_lower_bound
    assert _walk(roll, limit=4, backwards=False) == rows
    assert roll.exact_count() == len(rows)


# --- the page -----------------------------------------------------------------------------


def test_the_page_says_more_than_and_walks_on_by_cursor(roll_world, small_cap, settings):
    settings.PAGE_SIZE = 5
    client = client_for(roll_world, "dave")
    url = reverse("org_members", args=["T-C"])
    response = client.get(url, {"descendants": "on", "q": "thi"})
    text = text_of(response)
    assert f"Hơn {small_cap} người · khớp với “thi”" in text
    assert "Có hơn 10 người khớp nên không đếm hết" in text
    assert re.search(r"Trang 1\s*<", response.content.decode())  # no "/N": N is not known
    assert "Trang 1/" not in text
    rows = member_list(
        user=roll_world.user("dave"), org=roll_world.commune, query="thi", descendants=True
    )
    expected = [m.person.full_name for m in rows]
    seen = names_on_page(response)
    assert seen == expected[:5]
    last_link = re.findall(r'href="([^"]+)">Trang cuối', response.content.decode())[0]
    last = client.get(url + last_link.replace("&amp;", "&"))
    assert names_on_page(last) == expected[-5:]
    for _ in range(100):
        if 'rel="next"' not in response.content.decode():
            break
        link = _link(response, "next")
        params = _query(link)
        # Past the first page, by cursor: a page number would need the exact count.
        assert "cursor" in params and "page" not in params
        assert params["q"] == ["thi"]
        response = client.get(url + link)
        assert "Hơn 10 người ·" in text_of(response)
        seen += names_on_page(response)
    assert seen == expected


def test_a_typed_page_number_counts_exactly(roll_world, small_cap, settings):
    settings.PAGE_SIZE = 5
    client = client_for(roll_world, "dave")
    url = reverse("org_members", args=["T-C"])
    expected = [
        m.person.full_name
        for m in member_list(
            user=roll_world.user("dave"), org=roll_world.commune, query="thi", descendants=True
        )
    ]
    response = client.get(url, {"descendants": "on", "q": "thi", "page": "2"})
    text = text_of(response)
    assert f"{len(expected)} người · khớp với “thi”" in text and "hơn" not in text
    assert f"Trang 2/{-(-len(expected) // 5)}" in text
    assert names_on_page(response) == expected[5:10]


def test_capped_pages_run_few_queries_whatever_the_matches(
    roll_world, small_cap, settings, django_assert_max_num_queries
):
    settings.PAGE_SIZE = 5
    client = client_for(roll_world, "dave")
    url = reverse("org_members", args=["T-C"])
    api = api_client(roll_world.user("dave"))
    client.get(url, {"descendants": "on", "q": "thi"})  # warm the session
    for _ in range(2):
        with django_assert_max_num_queries(12):
            assert client.get(url, {"descendants": "on", "q": "thi"}).status_code == 200
        with django_assert_max_num_queries(10):
            body = api.get(URL, {"descendants": "true", "q": "thi", "limit": "5"}).json()
        with django_assert_max_num_queries(10):
            following = {"descendants": "true", "q": "thi", "cursor": body["next_cursor"]}
            assert api.get(URL, following).status_code == 200
        _add(roll_world.cell_a, [f"Nguyễn Thị {NAMES[n % 25].split()[-1]}" for n in range(60)])


# --- the API ------------------------------------------------------------------------------


def test_api_says_the_count_is_a_lower_bound(roll_world, small_cap):
    client = api_client(roll_world.user("dave"))
    expected = _expected(roll_world, "thi", descendants=True)
    body = client.get(URL, {"descendants": "true", "q": "thi", "limit": "4"}).json()
    assert body["count"] == small_cap and body["count_is_lower_bound"] is True
    seen = [item["membership_id"] for item in body["items"]]
    while body["next_cursor"]:
        body = client.get(
            URL, {"descendants": "true", "q": "thi", "limit": "4", "cursor": body["next_cursor"]}
        ).json()
        assert body["count"] == small_cap and body["count_is_lower_bound"] is True
        seen += [item["membership_id"] for item in body["items"]]
    assert seen == expected
    long_page = client.get(URL, {"descendants": "true", "q": "thi", "limit": "500"}).json()
    assert [item["membership_id"] for item in long_page["items"]] == expected
    assert long_page["count_is_lower_bound"] is True and long_page["next_cursor"] is None
    # A full page longer than the cap: more may follow, so a cursor to them.
    full = {"descendants": "true", "q": "thi", "limit": str(small_cap * 2)}
    first_part = client.get(URL, full).json()
    rest = client.get(URL, {**full, "cursor": first_part["next_cursor"]}).json()
    assert [item["membership_id"] for item in rest["items"]] == expected[small_cap * 2 :][
        : small_cap * 2
    ]
    # An offset past the first page: the exact count, said as such.
    later = client.get(URL, {"descendants": "true", "q": "thi", "limit": "4", "offset": "4"})
    later_body = later.json()
    assert later_body["count"] == len(expected) and later_body["count_is_lower_bound"] is False
    assert [item["membership_id"] for item in later_body["items"]] == expected[4:8]
    # Under the cap: exact, and said so.
    few = client.get(URL, {"descendants": "true", "q": "quang thi en"}).json()
    assert few["count_is_lower_bound"] is False
    everyone = client.get(URL, {"descendants": "true"}).json()
    assert everyone["count"] > small_cap and everyone["count_is_lower_bound"] is False


def test_openapi_documents_the_lower_bound(roll_world):
    schema = api_client(roll_world.user("dave")).get("/api/v1/openapi.json").json()
    page = schema["components"]["schemas"]["MemberPage"]["properties"]
    assert page["count_is_lower_bound"]["type"] == "boolean"
    assert "10.000" in page["count_is_lower_bound"]["description"]
    route = schema["paths"]["/api/v1/orgs/{code}/members"]["get"]
    assert "count_is_lower_bound" in route["description"]
