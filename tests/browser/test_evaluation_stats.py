"""The grading figures in a real browser: the province's viewer reads them from the org
page on a 360 px phone; the commune's committee downloads the summary table and the
decision list from its page, on a desktop."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from chibo.evaluation.tests.stats_data import make_stats_data
from tests.browser.conftest import DESKTOP, SCREENSHOTS, log_in, screenshot

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]


def test_the_province_viewer_reads_the_figures_on_a_phone(new_page: Any, demo_live: Any) -> None:
    make_stats_data()
    page = new_page(SMALL_PHONE)
    log_in(page, "tinhuy")
    page.goto("/orgs/TU-TN/")
    page.get_by_role("link", name="Kết quả xếp loại năm").click()
    page.wait_for_url("**/orgs/TU-TN/evaluation/stats/?year=*")
    page.goto("/orgs/TU-TN/evaluation/stats/?year=2024")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Kết quả đánh giá, xếp loại năm 2024"
    )
    summary = page.locator(".evaluation-summary").inner_text()
    assert "85,71%" in summary and "21,43%" in summary
    assert page.get_by_role("img", name="Xếp loại đảng viên năm 2024").is_visible()
    _no_sideways_scroll(page)
    screenshot(page, "evaluation-stats-phone")
    page.locator(".evaluation-summary").screenshot(
        path=str(SCREENSHOTS / "evaluation-stats-summary-phone.png")
    )
    # Down to the commune from the children's table, then the year still open.
    commune = demo_live.org("DU-DT")
    page.locator(".evaluation-children").get_by_role("link", name=commune.name).click()
    page.wait_for_url("**/orgs/DU-DT/evaluation/stats/?year=2024")
    page.get_by_label("Năm", exact=True).select_option("2025")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**/orgs/DU-DT/evaluation/stats/?year=2025")
    assert "Số liệu tạm thời." in page.locator(".evaluation-provisional").inner_text()
    _no_sideways_scroll(page)
    screenshot(page, "evaluation-stats-provisional-phone")

    member = new_page(SMALL_PHONE)
    log_in(member, "dangvien1")
    refused = member.goto("/orgs/DU-DT-CB01/evaluation/stats/")
    assert refused is not None and refused.status == 403


def test_the_committee_downloads_the_round_files(new_page: Any, demo_live: Any) -> None:
    make_stats_data()
    page = new_page(DESKTOP)
    log_in(page, "danguy")
    page.goto("/orgs/DU-DT/evaluation/stats/?year=2024")
    screenshot(page, "evaluation-stats-desktop")
    downloads = page.locator(".evaluation-downloads")
    with page.expect_download() as summary:
        downloads.get_by_role("link", name="Bảng tổng hợp xếp loại (Excel)").click()
    assert summary.value.suggested_filename == "xep-loai-2024-du-dt.xlsx"
    # The browser keeps downloads under names of its own, without the extension.
    with Path(summary.value.path()).open("rb") as file:
        workbook = load_workbook(io.BytesIO(file.read()), read_only=True)
    rows = [row for row in workbook.worksheets[0].iter_rows(values_only=True) if len(row) > 14]
    workbook.close()
    total = next(row for row in rows if row[1] == demo_live.org("DU-DT").name)
    assert total[14] == 85.71
    with page.expect_download() as decision:
        downloads.get_by_role("link", name="Danh sách kèm quyết định (Word)").click()
    assert decision.value.suggested_filename == "danh-sach-xep-loai-2024-DU-DT.docx"
    document = Document(decision.value.path())
    assert "DANH SÁCH" in [p.text for p in document.paragraphs]
