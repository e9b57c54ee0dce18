"""A secretary plans next year's meetings and a thematic topic; the commune's committee
approves it; the secretary puts it on the calendar. In a real browser, on a phone."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from chibo.meetings.models import Meeting, TopicRegistration, TopicStatus
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot

pytestmark = pytest.mark.browser

CELL = "DU-DT-CB01"
TITLE = "Nêu gương của đảng viên trong xây dựng nông thôn mới kiểu mẫu"


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_year_topic_approval_and_thematic_meeting(new_page, demo_live):
    year = timezone.localdate().year + 1
    page = new_page(PHONE)
    log_in(page, "bithu1")
    page.goto(f"/orgs/{CELL}/meetings/?year={year}")
    assert (
        page.get_by_role("heading", level=1).inner_text().startswith(f"Lịch sinh hoạt năm {year}")
    )
    assert "Chưa có buổi sinh hoạt." in page.content()
    page.get_by_label("Địa điểm").fill("Nhà văn hóa xóm")
    page.get_by_role("button", name=f"Lập lịch năm {year}").click()
    page.wait_for_url(re.compile(rf".*/meetings/\?year={year}$"))
    assert "thêm 16 buổi sinh hoạt" in page.locator(".messages").inner_text()
    assert Meeting.objects.filter(org__code=CELL, period__year=year).count() == 16
    assert page.locator(".meeting-quarters .badge--official").count() == 4
    no_horizontal_scroll(page)
    screenshot(page, "meetings-calendar-phone")

    page.goto(f"/orgs/{CELL}/topics/?year={year}")
    page.get_by_label("Tháng sinh hoạt").select_option("3")
    page.get_by_label("Tên chuyên đề").fill(TITLE)
    page.get_by_role("button", name="Đăng ký chuyên đề").click()
    page.wait_for_url(re.compile(rf".*/topics/\?year={year}$"))
    assert "Chờ duyệt" in page.locator("table.topic-list").inner_text()
    no_horizontal_scroll(page)
    screenshot(page, "meetings-topics-phone")
    topic = TopicRegistration.objects.get(org__code=CELL, title=TITLE)
    assert topic.status == TopicStatus.SUBMITTED

    committee = new_page(PHONE)
    log_in(committee, "danguy")
    committee.goto("/orgs/DU-DT/topics/review/")
    card = committee.locator("li.card", has_text=TITLE)
    card.get_by_label("Ý kiến (bắt buộc khi trả lại)").fill("Đồng ý, gắn với phong trào của xóm")
    screenshot(committee, "meetings-topic-review-phone")
    card.get_by_role("button", name=re.compile(r"^Duyệt")).click()
    committee.wait_for_url("**/orgs/DU-DT/topics/review/")
    assert f"Đã duyệt chuyên đề “{TITLE}”" in committee.locator(".messages").inner_text()
    topic.refresh_from_db()
    assert topic.status == TopicStatus.APPROVED

    page.goto(f"/topics/{topic.pk}/")
    page.get_by_label("Ngày họp (để trống: giữ ngày đã lên lịch)").fill(f"18/03/{year}")
    page.get_by_role("button", name="Xếp lịch sinh hoạt chuyên đề").click()
    page.wait_for_url(re.compile(r".*/meetings/\d+/$"))
    assert TITLE in page.get_by_role("heading", level=1).inner_text()
    meeting = Meeting.objects.get(topic=topic)
    assert meeting.kind == "thematic"
    assert timezone.localtime(meeting.starts_at).strftime("%d/%m/%Y %H:%M") == f"18/03/{year} 19:30"
    assert "Trình bày chuyên đề" in page.locator(".meeting-agenda").inner_text()
    no_horizontal_scroll(page)
    screenshot(page, "meetings-meeting-phone")

    desktop = new_page(DESKTOP)
    log_in(desktop, "bithu1")
    for name, url in (
        ("meetings-calendar-desktop", f"/orgs/{CELL}/meetings/?year={year}"),
        ("meetings-meeting-desktop", f"/meetings/{meeting.pk}/"),
        ("meetings-topics-desktop", f"/orgs/{CELL}/topics/?year={year}"),
    ):
        response = desktop.goto(url)
        assert response is not None and response.status == 200
        screenshot(desktop, name)
