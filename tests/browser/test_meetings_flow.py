"""Issue 4 end to end: bithu1 lays out the year and registers a thematic topic, danguy
approves it, bithu1 schedules the meeting, dangvien1 sends an absence notice from a
phone-sized window, bithu1 takes the roll call, writes, signs and locks the minutes,
downloads the DOCX, and a correction of the locked minutes makes a new version."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.utils import timezone

from chibo.meetings.models import AbsenceNotice, Attendance, Meeting, Minutes, TopicRegistration
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot

pytestmark = pytest.mark.browser

TOPIC = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về tiết kiệm"


def test_a_cell_meeting_from_the_year_plan_to_the_locked_minutes(new_page) -> None:
    from docx import Document

    today = timezone.localdate()
    year = today.year

    # bithu1 lays out the year and registers a thematic topic for this month.
    secretary = new_page(DESKTOP)
    log_in(secretary, "bithu1")
    secretary.goto(f"/orgs/DU-DT-CB01/meetings/?year={year}")
    secretary.get_by_role("button", name=f"Lập lịch năm {year}").click()
    secretary.wait_for_load_state()
    assert Meeting.objects.filter(org__code="DU-DT-CB01", period__year=year).count() >= 1
    secretary.goto(f"/orgs/DU-DT-CB01/topics/?year={year}")
    secretary.get_by_label("Tháng sinh hoạt").select_option(str(today.month))
    secretary.get_by_label("Tên chuyên đề").fill(TOPIC)
    secretary.get_by_role("button", name="Đăng ký chuyên đề").click()
    secretary.wait_for_load_state()
    topic = TopicRegistration.objects.get(org__code="DU-DT-CB01", title=TOPIC)
    assert topic.status == "submitted"

    # danguy approves it from the commune committee.
    committee = new_page(DESKTOP)
    log_in(committee, "danguy")
    committee.goto("/orgs/DU-DT/topics/review/")
    committee.locator("li", has_text=TOPIC).get_by_role("button", name="Duyệt").first.click()
    committee.wait_for_load_state()
    topic.refresh_from_db()
    assert topic.status == "approved"

    # bithu1 schedules the thematic meeting tonight with the approved topic.
    secretary.goto("/orgs/DU-DT-CB01/meetings/new/")
    secretary.get_by_label("Loại buổi sinh hoạt").select_option("thematic")
    secretary.get_by_label("Ngày họp").fill(today.strftime("%d/%m/%Y"))
    secretary.get_by_label("Giờ họp").fill("23:59")
    secretary.get_by_label("Chuyên đề đã được duyệt").select_option(str(topic.pk))
    secretary.get_by_role("button", name="Lên lịch").click()
    secretary.wait_for_url(re.compile(r".*/meetings/\d+/$"))
    meeting = Meeting.objects.get(topic=topic)
    assert meeting.kind == "thematic"

    # dangvien1 sends an absence notice from a phone.
    phone = new_page(PHONE)
    log_in(phone, "dangvien1")
    phone.goto(f"/meetings/{meeting.pk}/")
    phone.get_by_role("link", name="Báo vắng buổi này").click()
    phone.get_by_label("Lý do vắng mặt").fill("Đưa cháu đi khám bệnh ở huyện")
    screenshot(phone, "meeting-absence-phone")
    phone.get_by_role("button", name="Gửi báo vắng").click()
    assert "Đã gửi báo vắng" in phone.locator(".messages").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    member = AbsenceNotice.objects.get(meeting=meeting).person

    # bithu1 takes the roll call: the notice is already there as an excused absence.
    secretary.goto(f"/meetings/{meeting.pk}/")
    secretary.get_by_role("link", name="Điểm danh, khách dự").click()
    secretary.wait_for_url(f"**/meetings/{meeting.pk}/attendance/")
    assert secretary.locator(f"select[name=status-{member.pk}]").input_value() == "excused"
    assert (
        secretary.locator(f"input[name=reason-{member.pk}]").input_value()
        == "Đưa cháu đi khám bệnh ở huyện"
    )
    screenshot(secretary, "meeting-roll-call-desktop")
    secretary.get_by_role("button", name="Lưu điểm danh").click()
    assert "Đã điểm danh" in secretary.locator(".messages").inner_text()
    assert Attendance.objects.get(meeting=meeting, person=member).status == "excused"

    # The minutes: written, signed by chair and minute-taker, locked.
    secretary.goto(f"/meetings/{meeting.pk}/minutes/")
    secretary.get_by_role("button", name="Lập biên bản").click()
    secretary.wait_for_load_state()
    chair = secretary.locator("#m-chair option").nth(1).inner_text()
    secretary_name = chair
    secretary.get_by_label("Giờ bắt đầu").fill("19:30")
    secretary.get_by_label("Giờ kết thúc").fill("21:30")
    secretary.locator("#m-chair").select_option(label=chair)
    secretary.locator("#m-taker").select_option(label=secretary_name)
    secretary.locator("textarea[name^=note-]").first.fill("Đồng chí Bí thư báo cáo số có mặt.")
    secretary.get_by_label("Kết luận của chủ trì").fill("Chi bộ thống nhất nội dung chuyên đề.")
    secretary.get_by_role("button", name="Lưu biên bản").click()
    assert "Đã lưu biên bản" in secretary.locator(".messages").inner_text()
    secretary.get_by_role("button", name="Chủ trì ký").click()
    secretary.get_by_role("button", name="Thư ký ký").click()
    assert "đã khóa" in secretary.locator(".messages").inner_text()
    first = Minutes.objects.get(meeting=meeting)
    assert first.is_locked and first.counts["excused"] >= 1
    screenshot(secretary, "meeting-minutes-locked-desktop")

    with secretary.expect_download() as download_info:
        secretary.get_by_role("link", name="Tải biên bản (DOCX)").first.click()
    body = Path(download_info.value.path()).read_bytes()
    document = Document(io.BytesIO(body))
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in cells
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Chi bộ thống nhất nội dung chuyên đề." in text
    member_name = member.full_name
    assert member_name in text
    # Like every export, the download leaves its trace.
    from chibo.core.models import AuditEntry

    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORT, subject_type="meetings.minutes", subject_id=first.pk
    ).exists()

    # While the minutes are locked the roll call waits for their correction.
    frozen = new_page(PHONE)
    log_in(frozen, "bithu1")
    frozen.goto(f"/meetings/{meeting.pk}/attendance/")
    assert frozen.get_by_text("Biên bản đã ký và khóa").is_visible()
    assert frozen.get_by_role("button", name="Lưu điểm danh").count() == 0
    screenshot(frozen, "meeting-roll-call-frozen-phone")
    assert frozen.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Editing the locked minutes makes a new version; the old one stays readable.
    secretary.get_by_label("Lý do sửa").fill("Bổ sung ý kiến của đảng viên")
    secretary.get_by_role("button", name="Lập phiên bản sửa đổi").click()
    assert "phiên bản sửa đổi" in secretary.locator(".messages").inner_text()
    versions = list(Minutes.objects.filter(meeting=meeting).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].is_locked and versions[0].replaced_by_id == versions[1].pk
    assert not versions[1].is_locked
    secretary.get_by_role("link", name=re.compile(r"Bản số 1")).click()
    assert secretary.get_by_text("Đã có bản sửa đổi").is_visible()

    # The same pages on a phone: nothing scrolls sideways.
    small = new_page(PHONE)
    log_in(small, "bithu1")
    for name, url in (
        ("meeting-roll-call-phone", f"/meetings/{meeting.pk}/attendance/"),
        ("meeting-minutes-phone", f"/meetings/{meeting.pk}/minutes/"),
    ):
        small.goto(url)
        screenshot(small, name)
        assert small.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
