"""A committee downloads its whole commune as Excel: too large to make while it waits,
the file is made in the background, the page shows progress, then the download link."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command

from chibo.downloads.models import ExportJob, ExportStatus
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def big_exports(settings: Any, tmp_path: Path) -> Path:
    settings.EXPORT_DIR = tmp_path / "private-exports"
    # The demo's commune has about 271 members: large enough for the test.
    settings.EXPORT_BACKGROUND_ROWS = 20
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    return settings.EXPORT_DIR


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_large_list_is_made_in_the_background_then_downloaded(
    new_page, big_exports: Path, tmp_path: Path, viewport: dict[str, int]
):
    device = "phone" if viewport is PHONE else "desktop"
    page = new_page(viewport)
    log_in(page, "danguy")
    page.goto("/orgs/DU-DT/members/?descendants=on")
    page.get_by_role("link", name="Tải về Excel").click()
    page.wait_for_url(re.compile(r".*/downloads/\d+/$"))
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.QUEUED
    assert page.locator("progress").is_visible()
    assert page.get_by_text(f"0 / {job.total_rows} người").is_visible()
    screenshot(page, f"big-export-progress-{device}")
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    call_command("db_worker", "--batch", "--interval", "0")
    # The page refreshes by itself and offers the file.
    link = page.get_by_role("link", name="Tải tệp Excel")
    link.wait_for(timeout=15_000)
    screenshot(page, f"big-export-ready-{device}")
    box = link.bounding_box()
    assert box is not None and box["height"] >= 44
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert re.fullmatch(r"danh-sach-dang-vien-DU-DT-\d{8}\.xlsx", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(openpyxl.load_workbook(saved).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "DANH SÁCH ĐẢNG VIÊN"
    job.refresh_from_db()
    assert len([row for row in rows[5:] if row[1]]) == job.total_rows == job.processed_rows
