"""A member finds the next meetings on the home page and puts them in the phone's calendar."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from chibo.meetings.models import CalendarFeed, Meeting, MeetingKind
from tests.browser.conftest import DESKTOP, log_in, screenshot

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 780}
INLINE_TEXT = "p, dd, li .meeting-link span"


def _small_targets(page: Any) -> list[str]:
    found: list[str] = page.evaluate(
        """(inline) => [...document.querySelectorAll('main :is(a, button, input, select)')]
            .filter(el => el.offsetParent !== null)
            .filter(el => !el.closest(inline))
            .filter(el => el.type !== 'hidden')
            .filter(el => (el.closest('label') || el).getBoundingClientRect().height < 44)
            .map(el => el.outerHTML.slice(0, 80))""",
        INLINE_TEXT,
    )
    return found


def _meeting(org: Any, days: int, **extra: Any) -> Meeting:
    starts_at = (timezone.now() + datetime.timedelta(days=days)).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    return Meeting.objects.create(
        org=org,
        period=timezone.localdate(starts_at).replace(day=1),
        starts_at=starts_at,
        **extra,
    )


def test_member_sees_next_meetings_and_subscribes_the_calendar(new_page, demo_live):
    cell = demo_live.org("DU-DT-CB01")
    regular = _meeting(cell, 3, kind=MeetingKind.REGULAR, location="Nhà văn hóa xóm Đồng Tiến")
    _meeting(
        cell,
        17,
        kind=MeetingKind.THEMATIC,
        title="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    )

    page = new_page(SMALL_PHONE)
    log_in(page, "dangvien1")
    card = page.locator(".upcoming-meetings")
    text = card.inner_text()
    assert "Lịch sinh hoạt sắp tới" in text
    assert "Nhà văn hóa xóm Đồng Tiến" in text
    assert "Học tập và làm theo" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    assert _small_targets(page) == []
    screenshot(page, "meetings-home-upcoming-phone")
    assert card.get_by_role("link", name="Báo vắng").first.get_attribute("href") == (
        f"/meetings/{regular.pk}/absence/"
    )

    card.get_by_role("link", name="Đưa lịch vào điện thoại").click()
    page.wait_for_url("**/calendar/")
    page.get_by_role("button", name="Tạo địa chỉ lịch").click()
    field = page.get_by_role("textbox", name="Địa chỉ lịch")
    url = field.input_value()
    assert "/calendar/" in url and url.endswith(".ics")
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    assert _small_targets(page) == []
    screenshot(page, "meetings-calendar-feed-phone")

    # What a calendar program fetches, without the member's session.
    feed = page.context.request.get(url)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    body = feed.text()
    assert f"UID:meeting-{regular.pk}@chibo" in body

    page.goto("/calendar/")
    assert "Đồng chí đã tạo địa chỉ lịch ngày" in page.locator("main").inner_text()
    assert url not in page.content()
    page.get_by_role("button", name="Thu hồi địa chỉ lịch").click()
    page.wait_for_url("**/calendar/")
    assert page.context.request.get(url).status == 404
    assert CalendarFeed.objects.get(user=demo_live.user("dangvien1")).revoked_at is not None

    desktop = new_page(DESKTOP)
    log_in(desktop, "dangvien1")
    screenshot(desktop, "meetings-home-upcoming-desktop")
    desktop.goto("/calendar/")
    screenshot(desktop, "meetings-calendar-feed-desktop")
