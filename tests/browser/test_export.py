"""A secretary filters the member list and downloads it as Excel, then as CSV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import openpyxl
import pytest

from chibo.core.vntext import fold
from chibo.people.models import Membership
from chibo.people.selectors import ON_ROLL_STATUSES
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot

pytestmark = pytest.mark.browser

HEADER_ROW = 5


def cell_names(code: str) -> list[str]:
    memberships = Membership.objects.filter(
        org__code=code, ended_on__isnull=True, status__in=ON_ROLL_STATUSES
    ).select_related("person")
    people = sorted((m.person for m in memberships), key=lambda p: (p.sort_key, p.pk))
    return [p.full_name for p in people]


def test_secretary_downloads_the_filtered_list_as_excel_and_csv(new_page, tmp_path: Path):
    page = new_page(PHONE)
    log_in(page, "bithu1")
    page.goto("/orgs/DU-DT-CB01/members/")
    excel = page.get_by_role("link", name="Tải về Excel")
    assert excel.is_visible()
    screenshot(page, "member-export-phone")

    # The whole cell first, in the order the page shows it.
    with page.expect_download() as info:
        excel.click()
    download = info.value
    assert re.fullmatch(r"danh-sach-dang-vien-DU-DT-CB01-\d{8}\.xlsx", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(openpyxl.load_workbook(saved).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "DANH SÁCH ĐẢNG VIÊN"
    assert rows[HEADER_ROW - 1][:3] == ("STT", "Họ và tên", "Ngày sinh")
    names = [row[1] for row in rows[HEADER_ROW:]]
    assert names == cell_names("DU-DT-CB01")
    assert names == page.locator("a.member-name").all_inner_texts()

    # Then what a search without diacritics leaves on the page, and only that.
    typed = "thi"
    page.get_by_label("Tìm theo tên").fill(typed)
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url(re.compile(r".*\?.*q=thi"))
    shown = page.locator("a.member-name").all_inner_texts()
    assert shown and len(shown) < len(names)
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải CSV").click()
    saved = tmp_path / "loc.csv"
    info.value.save_as(saved)
    data = saved.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert table[0][:2] == ["STT", "Họ và tên"]
    assert [row[1] for row in table[1:]] == shown
    assert all(typed in fold(row[1]) for row in table[1:])

    desktop = new_page(DESKTOP)
    log_in(desktop, "bithu1")
    desktop.goto("/orgs/DU-DT-CB01/members/?q=thi")
    assert desktop.get_by_role("link", name="Tải về Excel").is_visible()
    screenshot(desktop, "member-export-desktop")


def test_another_cells_download_is_not_found(page):
    log_in(page, "bithu1")
    response = page.request.get("/orgs/DU-DT-CB02/members/export.xlsx")
    assert response.status == 404
