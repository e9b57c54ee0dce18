"""A commune secretary pages through the commune's members on a cheap phone: the next page,
then the jump to the given names starting with T (looking for "Thắm"), then on by cursor."""

from __future__ import annotations

import re

import pytest

from chibo.core.models import User
from chibo.orgs.models import Org
from chibo.people.selectors import letter_key, member_list
from tests.browser.conftest import DESKTOP, SCREENSHOTS, log_in, screenshot

pytestmark = pytest.mark.browser

NARROW_PHONE = {"width": 360, "height": 780}


def _fits(page: object) -> bool:
    width = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    return int(width) <= NARROW_PHONE["width"]


def test_next_page_and_letter_jump_on_a_phone(new_page):
    page = new_page(NARROW_PHONE)
    log_in(page, "danguy")
    rows = list(
        member_list(
            user=User.objects.get(username="danguy"),
            org=Org.objects.get(code="DU-DT"),
            descendants=True,
        )
    )
    names = [m.person.full_name for m in rows]
    page.goto("/orgs/DU-DT/members/?descendants=on")
    assert page.locator("a.member-name").all_inner_texts() == names[:50]
    assert _fits(page)

    page.get_by_role("link", name="Trang sau ›").click()
    page.wait_for_url(re.compile(r".*page=2"))
    assert page.locator("a.member-name").all_inner_texts() == names[50:100]
    assert "descendants=on" in page.url

    page.get_by_role("link", name="T", exact=True).click()
    page.wait_for_url(re.compile(r".*letter=T"))
    from_t = [m.person.full_name for m in rows if m.person.sort_key >= letter_key("T").sort_key]
    shown = page.locator("a.member-name").all_inner_texts()
    assert shown == from_t[:50] and shown[0].split()[-1].startswith("T")
    assert "descendants=on" in page.url
    assert _fits(page)
    screenshot(page, "member-list-letter-t-phone")
    # The full page is 15,000 px tall: what the phone shows first, and the pager at the end.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "member-list-letter-t-phone-top.png"))
    page.locator("nav.letter-jump").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "member-list-letter-t-phone-letters.png"))
    page.locator("nav.pager").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "member-list-letter-t-phone-pager.png"))

    if len(from_t) > 50:
        page.get_by_role("link", name="Trang sau ›").click()
        page.wait_for_url(re.compile(r".*cursor="))
        assert page.locator("a.member-name").all_inner_texts() == from_t[50:100]
        page.get_by_role("link", name="‹ Trang trước").click()
        page.wait_for_url(re.compile(r".*cursor="))
        assert page.locator("a.member-name").all_inner_texts() == from_t[:50]

    # A short search: given names starting with "th", on a desktop window too.
    desktop = new_page(DESKTOP)
    log_in(desktop, "danguy")
    desktop.goto("/orgs/DU-DT/members/?descendants=on&q=th")
    found = desktop.locator("a.member-name").all_inner_texts()
    assert found and all(name.split()[-1].lower().startswith("th") for name in found)
    assert desktop.get_by_text("tìm người có tên bắt đầu bằng “th”").is_visible()
    desktop.goto("/orgs/DU-DT/members/?descendants=on&letter=H")
    screenshot(desktop, "member-list-letter-h-desktop")
    desktop.screenshot(path=str(SCREENSHOTS / "member-list-letter-h-desktop-top.png"))
    desktop.goto("/orgs/DU-DT/members/?descendants=on&cursor=made-up")
    assert desktop.get_by_role("alert").inner_text().startswith("Đường dẫn chuyển trang")


def test_a_search_past_the_count_cap_says_more_than_and_pages_on(new_page, monkeypatch):
    # The cap is 10,000 in use; the demo's 1,200 women of Đại Từ stand in for a province.
    from chibo.people import selectors

    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 100)
    rows = list(
        member_list(
            user=User.objects.get(username="danguy"),
            org=Org.objects.get(code="HLHPN-DT"),
            query="thi",
            descendants=True,
        )
    )
    names = [m.person.full_name for m in rows]
    assert len(names) > 150
    page = new_page(NARROW_PHONE)
    log_in(page, "danguy")
    page.goto("/orgs/HLHPN-DT/members/?descendants=on&q=thi")
    status = page.get_by_role("status").first.inner_text()
    assert "Hơn 100 người" in status and "khớp với “thi”" in status
    assert page.get_by_text("Có hơn 100 người khớp nên không đếm hết").is_visible()
    assert page.locator("a.member-name").all_inner_texts() == names[:50]
    assert page.locator("nav.pager .pager__status").inner_text() == "Trang 1"
    assert _fits(page)
    screenshot(page, "member-list-search-capped-phone")
    page.locator("nav.pager").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "member-list-search-capped-phone-pager.png"))

    page.get_by_role("link", name="Trang sau ›").click()
    page.wait_for_url(re.compile(r".*cursor="))
    assert page.locator("a.member-name").all_inner_texts() == names[50:100]
    assert "q=thi" in page.url
    page.get_by_role("link", name="Trang cuối »").click()
    page.wait_for_url(re.compile(r".*cursor="))
    assert page.locator("a.member-name").all_inner_texts() == names[-50:]

    desktop = new_page(DESKTOP)
    log_in(desktop, "danguy")
    desktop.goto("/orgs/HLHPN-DT/members/?descendants=on&q=thi")
    assert "Hơn 100 người" in desktop.get_by_role("status").first.inner_text()
    screenshot(desktop, "member-list-search-capped-desktop")
