"""A unit's grade in a real browser: the commune committee decides a cell's grade on the
unit page, then reopens it with a reason on a 360 px phone, and the reason shows in the
page's history."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from chibo.evaluation.models import Grade, UnitEvaluation
from chibo.evaluation.services import round_open
from tests.browser.conftest import DESKTOP, log_in, screenshot

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}
YEAR = 2025
CELL = "DU-DT-CB01"


def test_committee_decides_and_reopens_a_cells_grade(new_page: Any, demo_live: Any) -> None:
    round_ = round_open(
        user=demo_live.user("danguy"),
        org=demo_live.org("DU-DT"),
        year=YEAR,
        reference_date=datetime.date(YEAR, 12, 1),
    )
    url = f"/evaluation/rounds/{round_.pk}/units/{CELL}/grade/"

    committee = new_page(DESKTOP)
    log_in(committee, "danguy")
    committee.goto(url)
    decide = committee.locator(
        "section", has=committee.get_by_role("heading", name="Quyết định xếp loại tập thể")
    )
    decide.get_by_label("Cấp ủy quyết định").select_option(Grade.GOOD)
    with committee.expect_navigation():
        decide.get_by_role("button", name="Quyết định và khóa").click()
    assert "Đã quyết định xếp loại tập thể" in committee.locator(".messages").inner_text()
    assert UnitEvaluation.objects.get(round=round_, org__code=CELL).is_locked
    screenshot(committee, "evaluation-unit-decided-desktop")

    phone = new_page(SMALL_PHONE)
    log_in(phone, "danguy")
    phone.goto(url)
    # A reason is needed: an empty one is refused, naming what is missing.
    with phone.expect_navigation():
        phone.get_by_role("button", name="Mở lại").click()
    assert "Phải ghi lý do mở lại quyết định" in phone.locator(".error-summary").inner_text()
    phone.get_by_label("Lý do mở lại").fill("Chi bộ bổ sung kết quả quý IV")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Mở lại").click()
    assert "Đã mở lại quyết định" in phone.locator(".messages").inner_text()
    assert "Chi bộ bổ sung kết quả quý IV" in phone.locator(".history").inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= SMALL_PHONE["width"], f"the page is {width}px wide on a 360px phone"
    button = phone.get_by_role("button", name="Quyết định và khóa").bounding_box()
    assert button is not None and button["height"] >= 44
    screenshot(phone, "evaluation-unit-reopened-phone")
    unit = UnitEvaluation.objects.get(round=round_, org__code=CELL)
    assert not unit.is_locked and unit.decided_grade == ""
