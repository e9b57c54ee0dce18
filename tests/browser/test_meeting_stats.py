"""The committee reads its meeting statistics and the absence warnings, in a real browser,
on a 360 px phone and on a desktop, with the demo's year of meetings."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from chibo.meetings.demo import seed_meetings_demo
from chibo.meetings.stats import meeting_stats
from chibo.meetings.warnings import absence_warnings
from chibo.orgs.selectors import org_children
from tests.browser.conftest import DESKTOP, SCREENSHOTS, log_in, screenshot

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]


def test_committee_reads_statistics_and_warnings_on_a_phone(new_page: Any, demo_live: Any) -> None:
    seed_meetings_demo()
    today = timezone.localdate()
    commune = demo_live.org("DU-DT")
    danguy = demo_live.user("danguy")
    expected = meeting_stats(
        org=commune,
        year=today.year,
        today=today,
        children=list(org_children(user=danguy, org=commune)),
    )
    assert expected.held > 0

    page = new_page(SMALL_PHONE)
    log_in(page, "danguy")
    page.goto("/orgs/DU-DT/")
    block = page.locator(".stats-block")
    block.get_by_role("link", name=f"Thống kê năm {today.year}").click()
    page.wait_for_url("**/orgs/DU-DT/meetings/stats/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"Thống kê sinh hoạt năm {today.year}"
    )
    summary = page.locator(".stats-summary").inner_text()
    assert f"{expected.held_unit_months} / {expected.due_unit_months}" in summary
    assert page.locator("svg.chart").count() == 3
    assert page.get_by_role("img", name=f"Sinh hoạt định kỳ năm {today.year}").is_visible()
    _no_sideways_scroll(page)
    screenshot(page, "meeting-stats-phone")
    # The full page is long; the parts one looks at first, as a phone shows them.
    for part, selector in (("summary", ".stats-summary"), ("chart", ".chart-box")):
        page.locator(selector).first.screenshot(
            path=str(SCREENSHOTS / f"meeting-stats-{part}-phone.png")
        )

    # A cell from the table of units, then back to the whole commune for last year.
    first = expected.children[0].org
    page.locator(".stats-children").get_by_role("link", name=first.name).click()
    page.wait_for_url(f"**/orgs/{first.code}/meetings/stats/?year={today.year}")
    assert first.name in page.locator(".lead").inner_text()
    page.goto("/orgs/DU-DT/meetings/stats/")
    page.get_by_label("Năm", exact=True).select_option(str(today.year - 1))
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url(f"**/orgs/DU-DT/meetings/stats/?year={today.year - 1}")
    assert f"năm {today.year - 1}" in page.get_by_role("heading", level=1).inner_text()

    warnings = absence_warnings(org=commune, year=today.year)
    page.goto("/orgs/DU-DT/meetings/warnings/")
    text = page.locator("main").inner_text()
    assert f"{warnings.removal_count} đảng viên vắng từ 3 tháng" in text
    for flag in warnings.flags[:5]:
        assert flag.membership.person.full_name in text
    _no_sideways_scroll(page)
    screenshot(page, "meeting-warnings-phone")

    desktop = new_page(DESKTOP)
    log_in(desktop, "danguy")
    for name, url in (
        ("meeting-stats-desktop", "/orgs/DU-DT/meetings/stats/"),
        ("meeting-warnings-desktop", "/orgs/DU-DT/meetings/warnings/"),
        ("meeting-stats-org-desktop", "/orgs/DU-DT/"),
    ):
        response = desktop.goto(url)
        assert response is not None and response.status == 200
        screenshot(desktop, name)


def test_a_viewer_reads_the_province_and_a_member_is_refused(new_page: Any, demo_live: Any) -> None:
    seed_meetings_demo()
    page = new_page(SMALL_PHONE)
    log_in(page, "tinhuy")
    response = page.goto("/orgs/TU-TN/meetings/stats/")
    assert response is not None and response.status == 200
    assert page.locator(".stats-children").is_visible()
    _no_sideways_scroll(page)
    screenshot(page, "meeting-stats-province-phone")
    member = new_page(SMALL_PHONE)
    log_in(member, "dangvien1")
    refused = member.goto("/orgs/DU-DT-CB01/meetings/stats/")
    assert refused is not None and refused.status == 403
