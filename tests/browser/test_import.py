"""A secretary imports the cell's Excel list: title block, two bad rows, a wrong guess of
a column fixed in the preview, confirmation, and the members found in the list."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from chibo.people.models import Membership
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot

pytestmark = pytest.mark.browser

HEADERS = [
    "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Ngày vào Đoàn",
    "Đảng viên từ ngày", "Ngày chính thức", "Ghi chú",
]  # fmt: skip
PEOPLE = [
    # name, birth, gender, CCCD, joined the Youth Union, joined the Party, official
    ("Khổng Thị Nhàn", "12/03/1985", "Nữ", "019185001201", None, "19/05/2010", "19/05/2011"),
    ("Mạc Văn Thuận", "02/09/1979", "Nam", "019079001202",
     "26/03/1994", "03/02/2004", "03/02/2005"),
    ("Ninh Thị Duyên", "20/10/1990", "Nữ", "019190001203",
     "26/03/2005", "02/09/2014", "02/09/2015"),
    ("Lạc Văn Quý", "01/01/1968", "Nam", "019068001204", None, "07/11/1995", "07/11/1996"),
]  # fmt: skip


def make_sheet(folder: Path) -> Path:
    """The list as a cell keeps it: a merged title block over the header, numbered rows,
    a total line; a "Ngày vào Đoàn" column the import mistakes for the admission date."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["ĐẢNG BỘ XÃ ĐẠI TỪ"])
    sheet.append(["DANH SÁCH ĐẢNG VIÊN CHI BỘ XÓM ĐỒNG TIẾN"])
    sheet.append([f"(Cập nhật đến ngày {datetime.date.today():%d/%m/%Y})"])
    sheet.append([])
    sheet.append(HEADERS)
    for number, person in enumerate(PEOPLE, start=1):
        sheet.append([number, *person[:5], person[5], person[6], ""])
    sheet.append(["Tổng cộng", f"{len(PEOPLE)} đồng chí"])
    for row in (1, 2, 3):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(HEADERS))
    path = folder / "danh-sach-chi-bo.xlsx"
    workbook.save(path)
    return path


def test_secretary_imports_a_sheet_fixing_the_mapping(new_page: Any, tmp_path: Path, settings: Any):
    settings.IMPORT_DIR = tmp_path / "private"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    path = make_sheet(tmp_path)
    page = new_page(PHONE)
    log_in(page, "bithu1")
    page.goto("/orgs/DU-DT-CB01/import/")
    screenshot(page, "import-upload-phone")
    page.get_by_label("Tệp danh sách").set_input_files(str(path))
    page.get_by_role("button", name="Tải lên và xem trước").click()
    page.wait_for_url("**/imports/*/")

    problems = page.locator(".import-problems")
    assert problems.is_visible()
    text = problems.inner_text()
    assert "Có 2 lỗi, chưa ghi gì" in text
    assert "Dòng 7, cột “Ngày vào Đoàn”: Ngày vào Đảng 26/03/1994 trước khi đủ 18 tuổi." in text
    assert "Dòng 8, cột “Ngày vào Đoàn”: Ngày vào Đảng 26/03/2005 trước khi đủ 18 tuổi." in text
    assert "“Đảng viên từ ngày”" in page.locator(".import-facts").inner_text()
    assert not Membership.objects.filter(person__citizen_id__startswith="01918500120").exists()
    screenshot(page, "import-preview-errors-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width

    # The fix: the Youth Union column is left out, the other one is the admission date.
    page.get_by_label("Ngày vào Đoàn").select_option("")
    page.get_by_label("Đảng viên từ ngày").select_option("joined_on")
    page.get_by_role("button", name="Đọc lại theo cách chọn này").click()
    page.wait_for_load_state()
    assert page.locator(".import-problems").count() == 0
    assert "4 người mới" in page.locator(".import-facts").inner_text()

    page.get_by_role("button", name="Xác nhận nhập").click()
    page.wait_for_url("**/imports/*/")
    assert page.get_by_text("Đã nhập xong: 4 người mới, 0 người được cập nhật.").is_visible()
    screenshot(page, "import-done-phone")
    page.get_by_role("link", name="Xem danh sách thành viên").click()
    page.wait_for_url("**/orgs/DU-DT-CB01/members/**")
    names = page.locator("a.member-name").all_inner_texts()
    for person in PEOPLE:
        assert person[0] in names
    membership = Membership.objects.get(person__citizen_id="019079001202", ended_on__isnull=True)
    assert membership.org.code == "DU-DT-CB01"
    assert membership.joined_on == datetime.date(2004, 2, 3)
    assert not list((tmp_path / "private").glob("*.xlsx"))

    desktop = new_page(DESKTOP)
    log_in(desktop, "bithu1")
    desktop.goto("/orgs/DU-DT-CB01/import/")
    desktop.get_by_label("Tệp danh sách").set_input_files(str(path))
    desktop.get_by_role("button", name="Tải lên và xem trước").click()
    desktop.wait_for_url("**/imports/*/")
    screenshot(desktop, "import-preview-errors-desktop")
