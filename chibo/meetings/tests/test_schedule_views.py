"""The calendar, meeting, topic and committee pages through the test client, as the demo
personas: bithu1 (secretary of DU-DT-CB01), dangvien1 (a plain member there), danguy (the
commune's committee), tinhuy (a province viewer)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chibo.meetings.models import Meeting, MeetingDocument, ScheduleRule, TopicRegistration
from chibo.meetings.schedule import MeetingData, YearPlan, meeting_create, meetings_generate_year
from chibo.meetings.topics import TopicData, topic_register, topic_submit

CELL = "DU-DT-CB01"
YEAR = 2027


def test_generating_the_year_from_the_calendar_page(demo: Any) -> None:
    client = demo.client("bithu1")
    page = client.get(f"/orgs/{CELL}/meetings/?year={YEAR}")
    assert page.status_code == 200
    assert "Lập lịch cả năm" in page.content.decode()
    bad = client.post(
        f"/orgs/{CELL}/meetings/?year={YEAR}",
        {"year": YEAR, "day": "40", "at": "25:00", "thematic": "separate", "thematic_day": "20"},
    )
    text = bad.content.decode()
    assert bad.status_code == 200
    assert "Ngày phải từ 1 đến 31." in text
    assert "không đúng dạng giờ:phút" in text
    assert not Meeting.objects.filter(org__code=CELL, period__year=YEAR).exists()
    done = client.post(
        f"/orgs/{CELL}/meetings/?year={YEAR}",
        {"year": YEAR, "day": "5", "at": "19h30", "thematic": "combined", "thematic_day": "20"},
    )
    assert done.status_code == 302
    assert Meeting.objects.filter(org__code=CELL, period__year=YEAR).count() == 12
    # A plain member reads the calendar but cannot plan it.
    member = demo.client("dangvien1")
    assert member.get(f"/orgs/{CELL}/meetings/?year={YEAR}").status_code == 200
    refused = member.post(f"/orgs/{CELL}/meetings/", {"year": YEAR, "day": "5"})
    assert refused.status_code == 403
    assert demo.client("bithu2").get(f"/orgs/{CELL}/meetings/").status_code == 404


def test_the_calendar_runs_the_same_queries_for_an_empty_and_a_full_year(
    demo: Any, django_assert_max_num_queries: Any
) -> None:
    client = demo.client("bithu1")
    client.get(f"/orgs/{CELL}/meetings/?year={YEAR}")
    with django_assert_max_num_queries(14) as empty:
        client.get(f"/orgs/{CELL}/meetings/?year={YEAR}")
    meetings_generate_year(org=demo.org(CELL), plan=YearPlan(year=YEAR))
    with django_assert_max_num_queries(len(empty.captured_queries)):
        assert client.get(f"/orgs/{CELL}/meetings/?year={YEAR}").status_code == 200


def test_the_meeting_page_moves_and_cancels_and_refuses_stale_changes(demo: Any) -> None:
    meeting = meeting_create(
        org=demo.org(CELL),
        kind="regular",
        data=MeetingData(starts_at=timezone.now() + datetime.timedelta(days=10)),
    )
    client = demo.client("bithu1")
    page = client.get(f"/meetings/{meeting.pk}/")
    assert page.status_code == 200
    assert "Báo cáo số đảng viên có mặt" in page.content.decode()
    day = (timezone.localdate() + datetime.timedelta(days=12)).strftime("%d/%m/%Y")
    moved = client.post(
        f"/meetings/{meeting.pk}/",
        {"action": "move", "move-version": "1", "move-day": day, "move-at": "8:00"},
    )
    assert moved.status_code == 302
    stale = client.post(
        f"/meetings/{meeting.pk}/",
        {"action": "cancel", "cancel-version": "1", "cancel-reason": "Mưa bão"},
    )
    assert "vừa được người khác thay đổi" in stale.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "planned" and meeting.version == 2
    assert demo.client("dangvien1").get(f"/meetings/{meeting.pk}/").status_code == 200
    assert (
        demo.client("dangvien1")
        .post(f"/meetings/{meeting.pk}/", {"action": "cancel", "cancel-reason": "x"})
        .status_code
        == 403
    )


def test_documents_on_the_meeting_page(demo: Any, settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    meeting = meeting_create(
        org=demo.org(CELL),
        kind="regular",
        data=MeetingData(starts_at=timezone.now() + datetime.timedelta(hours=5)),
    )
    client = demo.client("bithu1")
    upload = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 bao cao")
    response = client.post(
        f"/meetings/{meeting.pk}/",
        {"action": "upload", "title": "Báo cáo tháng", "file": upload},
    )
    assert response.status_code == 302
    document = MeetingDocument.objects.get(meeting=meeting)
    assert document.published_at is None
    member = demo.client("dangvien1")
    assert "Báo cáo tháng" not in member.get(f"/meetings/{meeting.pk}/").content.decode()
    assert member.get(f"/meetings/documents/{document.pk}/").status_code == 404
    published = client.post(
        f"/meetings/{meeting.pk}/", {"action": "publish", "document": document.pk}, follow=True
    )
    assert "muộn" in published.content.decode()
    # An id that is no number names no document: 404, not a server error.
    for junk in ("abc", "", "1.5"):
        assert (
            client.post(f"/meetings/{meeting.pk}/", {"action": "withdraw", "document": junk})
        ).status_code == 404
    document.refresh_from_db()
    assert document.withdrawn_at is None
    assert "Công bố muộn" in member.get(f"/meetings/{meeting.pk}/").content.decode()
    download = member.get(f"/meetings/documents/{document.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 bao cao"
    bad = client.post(
        f"/meetings/{meeting.pk}/",
        {"action": "upload", "title": "", "file": SimpleUploadedFile("x.exe", b"MZ")},
    )
    assert "chỉ nhận tệp" in bad.content.decode()


def test_topics_registered_reviewed_and_scheduled_through_the_pages(demo: Any) -> None:
    secretary = demo.client("bithu1")
    bad = secretary.post(f"/orgs/{CELL}/topics/?year={YEAR}", {"year": YEAR, "month": ""})
    text = bad.content.decode()
    assert "Cần chọn tháng sinh hoạt chuyên đề." in text
    assert "Cần nhập tên chuyên đề" in text
    done = secretary.post(
        f"/orgs/{CELL}/topics/?year={YEAR}",
        {"year": YEAR, "month": "6", "title": "Chuyên đề tháng sáu", "submit_now": "on"},
    )
    assert done.status_code == 302
    topic = TopicRegistration.objects.get(org__code=CELL, title="Chuyên đề tháng sáu")
    assert topic.status == "submitted"
    # The secretary cannot approve her own topic; the commune committee can; tinhuy reads.
    assert secretary.post(f"/topics/{topic.pk}/", {"action": "approve"}).status_code == 403
    assert demo.client("tinhuy").get(f"/topics/{topic.pk}/").status_code == 200
    assert demo.client("tinhuy").get("/orgs/DU-DT/topics/review/").status_code == 403
    assert demo.client("dangvien1").get(f"/topics/{topic.pk}/").status_code == 404
    committee = demo.client("danguy")
    review = committee.get("/orgs/DU-DT/topics/review/")
    assert "Chuyên đề tháng sáu" in review.content.decode()
    returned = committee.post(f"/topics/{topic.pk}/", {"action": "return", "comment": ""})
    assert "cần ghi ý kiến" in returned.content.decode()
    approved = committee.post(f"/topics/{topic.pk}/", {"action": "approve"})
    assert approved.status_code == 302 and approved["Location"] == "/orgs/DU-DT/topics/review/"
    scheduled = secretary.post(
        f"/topics/{topic.pk}/", {"action": "schedule", "day": f"15/06/{YEAR}", "at": "20:00"}
    )
    meeting = Meeting.objects.get(topic=topic)
    assert scheduled["Location"] == f"/meetings/{meeting.pk}/"
    assert meeting.kind == "thematic"


def test_the_review_page_runs_bounded_queries(
    demo: Any, django_assert_max_num_queries: Any
) -> None:
    committee = demo.client("danguy")
    committee.get("/orgs/DU-DT/topics/review/")
    with django_assert_max_num_queries(20) as few:
        committee.get("/orgs/DU-DT/topics/review/")
    for number, code in enumerate(["DU-DT-CB01", "DU-DT-CB02", "DU-DT-CB03", "DU-DT-CB04"]):
        topic = topic_register(
            org=demo.org(code), data=TopicData(year=YEAR, month=number + 1, title=f"Đề {number}")
        )
        topic_submit(topic=topic)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = committee.get("/orgs/DU-DT/topics/review/")
    assert page.content.decode().count("Đề ") >= 4


@pytest.mark.parametrize("who", ["danguy", "tinhuy"])
def test_the_deadline_page(demo: Any, who: str) -> None:
    client = demo.client(who)
    response = client.post("/orgs/DU-DT/meetings/deadlines/", {"deadline_day": "31"})
    if who == "tinhuy":
        assert response.status_code == 403
        assert client.get("/orgs/DU-DT/meetings/deadlines/").status_code == 200
        return
    assert "Hạn đăng ký phải từ ngày 1 đến ngày 28." in response.content.decode()
    assert client.post("/orgs/DU-DT/meetings/deadlines/", {"deadline_day": "20"}).status_code == 302
    assert ScheduleRule.objects.get(org__code="DU-DT").deadline_day == 20
    page = client.get("/orgs/DU-DT/meetings/deadlines/").content.decode()
    assert "ngày 20" in page


def test_a_committee_edits_the_agenda_template_of_its_subtree(demo: Any) -> None:
    committee = demo.client("danguy")
    response = committee.post(
        "/orgs/DU-DT/meetings/agenda/",
        {
            "which": "regular",
            "regular-kind": "regular",
            "regular-name": "Mẫu của Đảng ủy xã",
            "regular-items": "Chào cờ\nBáo cáo tình hình | theo điểm danh\nThu đảng phí",
        },
    )
    assert response.status_code == 302
    meeting = meeting_create(
        org=demo.org(CELL),
        kind="regular",
        data=MeetingData(starts_at=timezone.now() + datetime.timedelta(days=3)),
    )
    assert list(meeting.agenda_items.values_list("title", flat=True)) == [
        "Chào cờ",
        "Báo cáo tình hình",
        "Thu đảng phí",
    ]
    cell_page = demo.client("bithu1").get(f"/orgs/{CELL}/meetings/agenda/")
    assert "Mẫu của" in cell_page.content.decode()
    assert (
        demo.client("bithu1")
        .post(f"/orgs/{CELL}/meetings/agenda/", {"which": "regular"})
        .status_code
        == 403
    )
