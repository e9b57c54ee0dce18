"""A cell secretary attaches the meeting's documents in a real browser: a web page
renamed .pdf is refused with the file and the problem named, a real PDF is published, and
a member downloads it from a 360 px phone."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from chibo.meetings.models import MeetingDocument, MeetingKind
from chibo.meetings.schedule import MeetingData, meeting_create
from tests.browser.conftest import DESKTOP, log_in, screenshot

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def test_a_fake_pdf_is_refused_and_a_real_one_reaches_the_members(
    new_page, demo_live, settings, tmp_path
):
    settings.DATA_DIR = tmp_path / "data"
    meeting = meeting_create(
        org=demo_live.org("DU-DT-CB01"),
        kind=MeetingKind.REGULAR,
        data=MeetingData(starts_at=timezone.now() + datetime.timedelta(days=3)),
    )
    fake = tmp_path / "Nghị quyết tháng.pdf"
    fake.write_bytes(HTML)
    real = tmp_path / "Báo cáo kiểm điểm.pdf"
    real.write_bytes(PDF)

    secretary = new_page(DESKTOP)
    log_in(secretary, "bithu1")
    secretary.goto(f"/meetings/{meeting.pk}/")
    secretary.get_by_label("Tệp (PDF, Word, Excel, ảnh; tối đa 20 MB)").set_input_files(str(fake))
    secretary.get_by_role("button", name="Thêm tài liệu").click()
    secretary.wait_for_load_state()
    alert = secretary.locator(".meeting-documents [role=alert]")
    assert "Nội dung tệp “Nghị quyết tháng.pdf” không phải tệp PDF" in alert.inner_text()
    assert not MeetingDocument.objects.filter(meeting=meeting).exists()
    assert not (tmp_path / "data" / "meetings").exists() or not any(
        path.is_file() for path in (tmp_path / "data" / "meetings").rglob("*")
    )
    secretary.locator(".meeting-documents").scroll_into_view_if_needed()
    screenshot(secretary, "meeting-document-refused-desktop")

    secretary.get_by_label("Tên tài liệu").fill("Báo cáo kiểm điểm tháng")
    secretary.get_by_label("Tệp (PDF, Word, Excel, ảnh; tối đa 20 MB)").set_input_files(str(real))
    secretary.get_by_role("button", name="Thêm tài liệu").click()
    secretary.wait_for_load_state()
    document = MeetingDocument.objects.get(meeting=meeting)
    assert document.title == "Báo cáo kiểm điểm tháng" and document.published_at is not None

    member = new_page(SMALL_PHONE)
    log_in(member, "dangvien1")
    member.goto(f"/meetings/{meeting.pk}/")
    width = member.evaluate("document.documentElement.scrollWidth")
    assert width <= SMALL_PHONE["width"], f"the page is {width}px wide on a 360px phone"
    screenshot(member, "meeting-document-phone")
    with member.expect_download() as info:
        member.get_by_role("link", name="Báo cáo kiểm điểm tháng").click()
    assert Path(info.value.path()).read_bytes() == PDF
