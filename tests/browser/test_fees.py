"""A secretary collects party fees at the cell meeting, in a real browser, on a phone."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from chibo.fees.demo import seed_fee_demo
from chibo.fees.models import FeePayment
from chibo.fees.rules.base import month_start
from chibo.fees.selectors import fee_flags, fee_sheet
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot

pytestmark = pytest.mark.browser

CELL = "DU-DT-CB01"
# Links inside sentences and lists of names are exempt from the tap-target size (WCAG).
INLINE_TEXT = "p, dd, li, .fee-formula"


def test_secretary_ticks_who_paid_and_sees_who_is_behind(new_page, demo_live):
    seed_fee_demo()
    today = timezone.localdate()
    month = month_start(today)
    admin = demo_live.user("admin")
    open_rows = fee_sheet(user=admin, org=demo_live.org(CELL), month=month, today=today).open_rows
    payers = [row.person for row in open_rows if row.rate_amount][:2]
    assert len(payers) == 2
    behind = fee_flags(user=demo_live.user("bithu1"), org=demo_live.org(CELL), today=today)
    assert behind

    page = new_page(PHONE)
    log_in(page, "bithu1")
    # The home page's unit card warns before anything is opened.
    alert = page.locator(".fee-alert")
    assert "chưa nộp từ 3 tháng trở lên" in alert.inner_text()
    screenshot(page, "fees-home-phone")
    alert.get_by_role("link", name="Sổ thu đảng phí").click()
    page.wait_for_url(f"**/orgs/{CELL}/fees/")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith(f"Sổ thu đảng phí tháng {month:%m/%Y}")
    warning = page.locator(".fee-warning").inner_text()
    assert all(item.account.person.full_name in warning for item in behind)

    for person in payers:
        page.get_by_label(f"Đã nộp: {person.full_name}").check()
    screenshot(page, "fees-sheet-ticked-phone")
    page.get_by_role("button", name="Ghi đã nộp cho người đã chọn").click()
    page.wait_for_url(re.compile(r".*/fees/\?month="))
    assert "Đã ghi 2 đảng viên nộp đảng phí tháng" in page.locator(".messages").inner_text()
    for person in payers:
        row = page.locator("tr.fee-row", has=page.get_by_role("link", name=person.full_name))
        assert "Đã nộp" in row.inner_text()
        payment = FeePayment.objects.get(person=person, month=month, voided_at__isnull=True)
        assert payment.collected_by == demo_live.user("bithu1")
        assert payment.paid_on == today
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    screenshot(page, "fees-sheet-phone")

    # The member most behind: their account, month by month.
    page.get_by_role("link", name=behind[0].account.person.full_name).first.click()
    page.wait_for_url(re.compile(r".*/people/\d+/fees/$"))
    assert "Xem xét đề nghị xóa tên" in page.content() or "Cảnh báo sớm" in page.content()
    assert page.get_by_role("heading", name="Nộp nhiều tháng (nộp trước hoặc nộp bù)").is_visible()
    screenshot(page, "fees-person-phone")

    desktop = new_page(DESKTOP)
    log_in(desktop, "bithu1")
    for name, url in (
        ("fees-sheet-desktop", f"/orgs/{CELL}/fees/"),
        ("fees-org-desktop", f"/orgs/{CELL}/"),
        ("fees-person-desktop", f"/people/{behind[0].account.person.pk}/fees/"),
    ):
        response = desktop.goto(url)
        assert response is not None and response.status == 200
        screenshot(desktop, name)


def test_committee_pages_fit_a_small_phone(new_page, demo_live):
    seed_fee_demo()
    page = new_page({"width": 360, "height": 740})
    log_in(page, "danguy")
    for name, url in (
        ("fees-committee-phone", "/orgs/DU-DT/fees/"),
        ("fees-export-phone", "/orgs/DU-DT/fees/export/"),
        ("fees-cell-phone", "/orgs/DU-DT-CB05/fees/"),
        ("fees-committee-org-phone", "/orgs/DU-DT/"),
    ):
        response = page.goto(url)
        assert response is not None and response.status == 200
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (url, width)
        small = page.evaluate(
            """(inline) => [...document.querySelectorAll('main :is(a, button, input, select)')]
                .filter(el => el.offsetParent !== null)
                .filter(el => !el.closest(inline))
                .filter(el => el.type !== 'hidden')
                .filter(el => (el.closest('label') || el).getBoundingClientRect().height < 44)
                .map(el => el.outerHTML.slice(0, 80))""",
            INLINE_TEXT,
        )
        assert small == [], (url, small)
        screenshot(page, name)
    with page.expect_download() as download:
        page.goto("/orgs/DU-DT/fees/export/")
        page.get_by_label("Kỳ báo cáo").fill(str(timezone.localdate().year))
        page.get_by_role("button", name="Tải tệp Excel").click()
    assert download.value.suggested_filename == f"dang-phi-du-dt-{timezone.localdate().year}.xlsx"
