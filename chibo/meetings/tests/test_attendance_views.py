"""The pages of the roll call, absence notices, assignments and minutes, as the demo's
personas use them: bithu1 manages DU-DT-CB01, dangvien1 is a plain member there, danguy
sits on the commune committee, bithu2 runs the neighbouring cell."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.utils import timezone

from chibo.meetings.attendance import meeting_roll
from chibo.meetings.models import (
    AbsenceNotice,
    AgendaItem,
    Attendance,
    AttendanceAssignment,
    Meeting,
    MeetingStatus,
    Minutes,
)


def make_meeting(org: Any, days: int) -> Meeting:
    starts = timezone.localtime() + datetime.timedelta(days=days)
    starts = starts.replace(hour=8, minute=0, second=0, microsecond=0)
    meeting = Meeting.objects.create(
        org=org, kind="regular", period=starts.date().replace(day=1), starts_at=starts
    )
    for order, title in enumerate(["Kiểm tra số lượng", "Kết luận"], 1):
        AgendaItem.objects.create(meeting=meeting, order=order, title=title)
    return meeting


def roll_post(meeting: Meeting, **changes: str) -> dict[str, str]:
    data = {"action": "roll"}
    for line in meeting_roll(meeting=meeting):
        data[f"status-{line.person.pk}"] = changes.get(str(line.person.pk), line.suggested)
        data[f"reason-{line.person.pk}"] = ""
    return data


def test_member_sends_and_withdraws_an_absence_notice(demo: Any) -> None:
    meeting = make_meeting(demo.org("DU-DT-CB01"), 3)
    client = demo.client("dangvien1")
    page = client.get(f"/meetings/{meeting.pk}/absence/")
    assert page.status_code == 200 and "Gửi báo vắng" in page.content.decode()
    empty = client.post(f"/meetings/{meeting.pk}/absence/", {"action": "send", "reason": " "})
    assert "Cần ghi lý do vắng mặt." in empty.content.decode()
    assert not AbsenceNotice.objects.exists()
    done = client.post(
        f"/meetings/{meeting.pk}/absence/", {"action": "send", "reason": "Đi viện"}, follow=True
    )
    assert "Đã gửi báo vắng" in done.content.decode()
    notice = AbsenceNotice.objects.get()
    assert notice.person.user_id == demo.user("dangvien1").pk
    client.post(f"/meetings/{meeting.pk}/absence/", {"action": "withdraw"})
    notice.refresh_from_db()
    assert notice.withdrawn_at is not None
    # A member of another cell does not even see the meeting.
    assert demo.client("bithu2").get(f"/meetings/{meeting.pk}/absence/").status_code == 404


def test_officer_takes_the_roll_call_member_cannot(demo: Any) -> None:
    meeting = make_meeting(demo.org("DU-DT-CB01"), -1)
    assert demo.client("dangvien1").get(f"/meetings/{meeting.pk}/attendance/").status_code == 403
    assert (
        demo.client("dangvien1")
        .post(f"/meetings/{meeting.pk}/attendance/", roll_post(meeting))
        .status_code
        == 403
    )
    client = demo.client("bithu1")
    assert client.get(f"/meetings/{meeting.pk}/attendance/").status_code == 200
    someone = next(line for line in meeting_roll(meeting=meeting) if line.suggested == "present")
    bad = client.post(
        f"/meetings/{meeting.pk}/attendance/",
        roll_post(meeting, **{str(someone.person.pk): "excused"}),
    )
    assert f"{someone.person.full_name} vắng có lý do: cần ghi lý do." in bad.content.decode()
    assert not Attendance.objects.filter(meeting=meeting).exists()
    response = client.post(f"/meetings/{meeting.pk}/attendance/", roll_post(meeting))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.present_count == meeting.expected_count > 0
    # danguy reads it from the committee above, read and write (committee covers the cell).
    assert demo.client("danguy").get(f"/meetings/{meeting.pk}/attendance/").status_code == 200
    assert demo.client("tinhuy").get(f"/meetings/{meeting.pk}/attendance/").status_code == 200
    assert demo.client("bithu2").get(f"/meetings/{meeting.pk}/attendance/").status_code == 404


def test_roll_call_page_queries_do_not_grow_with_the_cell(
    demo: Any, django_assert_max_num_queries: Any
) -> None:
    small = make_meeting(demo.org("DU-DT-CB01"), -1)
    big = make_meeting(demo.org("HLHPN-DT-CH01"), -1)
    assert len(meeting_roll(meeting=big)) > len(meeting_roll(meeting=small)) >= 5
    client = demo.client("admin")
    for meeting in (small, big):
        with django_assert_max_num_queries(22):
            assert client.get(f"/meetings/{meeting.pk}/attendance/").status_code == 200


def test_minutes_written_signed_locked_downloaded_and_corrected(demo: Any) -> None:
    from docx import Document

    meeting = make_meeting(demo.org("DU-DT-CB01"), 0)
    client = demo.client("bithu1")
    client.post(f"/meetings/{meeting.pk}/attendance/", roll_post(meeting))
    url = f"/meetings/{meeting.pk}/minutes/"
    client.post(url, {"action": "start"})
    minutes = Minutes.objects.get(meeting=meeting)
    chair = demo.user("bithu1").person
    form = {
        "action": "save",
        "revision": str(minutes.revision),
        "started_at": "08:00",
        "ended_at": "09:45",
        "chair": str(chair.pk),
        "minute_taker": str(chair.pk),
        "note-1": "Có mặt đủ.",
        "note-2": "Nhất trí.",
        "conclusions": "Chi bộ hoàn thành nhiệm vụ tháng.",
        "resolutions": "",
    }
    bad = client.post(url, {**form, "ended_at": "7h"})
    assert "Giờ kết thúc “7h” không đúng dạng giờ:phút" in bad.content.decode()
    assert client.post(url, form).status_code == 302
    minutes.refresh_from_db()
    stale = client.post(url, form)
    assert "vừa được người khác sửa" in stale.content.decode()
    client.post(url, {"action": "chair", "revision": str(minutes.revision)})
    minutes.refresh_from_db()
    client.post(url, {"action": "taker", "revision": str(minutes.revision)})
    minutes.refresh_from_db()
    assert minutes.is_locked
    download = client.get(f"/meetings/{meeting.pk}/minutes/{minutes.pk}/docx/")
    assert download.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(download.content)).paragraphs)
    assert "Chi bộ hoàn thành nhiệm vụ tháng." in text
    # Like every export (docs/exports.md): one EXPORT entry naming who, what and the file.
    from chibo.core.models import AuditEntry

    (entry,) = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT)
    assert entry.actor_id == demo.user("bithu1").pk and entry.org_id == meeting.org_id
    assert (entry.subject_type, entry.subject_id) == ("meetings.minutes", minutes.pk)
    assert "Xuất biên bản" in entry.summary and "Word" in entry.summary
    assert entry.after["format"] == "docx" and entry.after["via"] == "page"
    assert entry.after["file"] in download["Content-Disposition"]
    assert demo.client("dangvien1").get(url).status_code == 403
    # Locked minutes freeze the roll call: the page says so, and a post is refused.
    roll_url = f"/meetings/{meeting.pk}/attendance/"
    frozen = client.get(roll_url).content.decode()
    assert "Biên bản đã ký và khóa" in frozen and "Lưu điểm danh" not in frozen
    refused = client.post(roll_url, roll_post(meeting))
    assert refused.status_code == 200 and "sửa biên bản trước" in refused.content.decode()
    client.post(url, {"action": "correct", "reason": "Bổ sung ý kiến"})
    assert "Lưu điểm danh" in client.get(roll_url).content.decode()
    assert Minutes.objects.filter(meeting=meeting).count() == 2
    old = client.get(f"/meetings/{meeting.pk}/minutes/{minutes.pk}/")
    assert "Đã có bản sửa đổi" in old.content.decode()


def test_committee_assigns_a_member_to_a_cell(demo: Any) -> None:
    client = demo.client("danguy")
    danguy = demo.user("danguy").person
    page = client.get("/orgs/DU-DT/meeting-assignments/")
    assert page.status_code == 200
    response = client.post(
        "/orgs/DU-DT/meeting-assignments/",
        {"action": "create", "org": "DU-DT-CB02", "person": str(danguy.pk), "role": "committee"},
    )
    assert response.status_code == 302
    assert AttendanceAssignment.objects.get().org.code == "DU-DT-CB02"
    # A cell outside the committee's subtree is refused by name, nothing written.
    outside = client.post(
        "/orgs/DU-DT/meeting-assignments/",
        {"action": "create", "org": "DU-HLHPN-CB1", "person": str(danguy.pk), "role": "committee"},
    )
    assert "Cần chọn một chi bộ thuộc" in outside.content.decode()
    assert AttendanceAssignment.objects.count() == 1
    assert (
        demo.client("bithu1")
        .post("/orgs/DU-DT-CB01/meeting-assignments/", {"action": "create"})
        .status_code
        == 403
    )


@pytest.mark.parametrize("username", ["bithu1", "dangvien1", "danguy"])
def test_meeting_page_shows_the_sections(demo: Any, username: str) -> None:
    meeting = make_meeting(demo.org("DU-DT-CB01"), 2)
    text = demo.client(username).get(f"/meetings/{meeting.pk}/").content.decode()
    if username == "dangvien1":
        assert "Báo vắng buổi này" in text
    else:
        assert "Điểm danh, khách dự" in text
