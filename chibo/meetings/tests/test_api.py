"""The meetings API: a unit's schedule, one meeting, its roll call and minutes, absence
notices; scoped like the pages (members their own unit's schedule, readers the roll)."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chibo.core.api_auth import api_token_create
from chibo.core.models import AuditEntry
from chibo.meetings.demo import seed_meetings_demo
from chibo.meetings.models import (
    AbsenceNotice,
    Attendance,
    Meeting,
    MeetingDocument,
    MeetingKind,
    MeetingStatus,
    Minutes,
)

NOW = timezone.make_aware(datetime.datetime(2026, 11, 22, 10, 0))


@pytest.fixture
def meetings(demo: Any) -> Any:
    seed_meetings_demo(now=NOW)
    return demo


def api(demo: Any, username: str) -> Client:
    key = api_token_create(user=demo.user(username)).key
    return Client(headers={"Authorization": f"Bearer {key}"})


def held_meeting(code: str) -> Meeting:
    meeting = (
        Meeting.objects.filter(org__code=code, status=MeetingStatus.HELD, kind=MeetingKind.REGULAR)
        .order_by("-starts_at")
        .first()
    )
    assert meeting is not None
    return meeting


def test_a_member_reads_the_schedule_of_their_unit_not_its_roll(meetings: Any) -> None:
    client = api(meetings, "dangvien1")
    page = client.get("/api/v1/orgs/DU-DT-CB01/meetings", {"year": 2026, "limit": 100})
    assert page.status_code == 200, page.content
    body = page.json()
    assert body["count"] == Meeting.objects.filter(org__code="DU-DT-CB01").count()
    starts = [item["starts_at"] for item in body["items"]]
    assert starts == sorted(starts)
    thematic = [item for item in body["items"] if item["kind"] == "thematic"]
    assert thematic and all(item["topic_title"] for item in thematic)
    assert body["items"][0]["kind_label"] == "Sinh hoạt định kỳ"

    meeting = held_meeting("DU-DT-CB01")
    detail = client.get(f"/api/v1/meetings/{meeting.pk}").json()
    assert [item["order"] for item in detail["agenda"]] == list(range(1, len(detail["agenda"]) + 1))
    assert detail["chair"] == "Nguyễn Văn Bình"
    # Only published documents, each flagged late or not.
    withdrawn = MeetingDocument.objects.create(
        meeting=meeting, title="Bản nháp chưa công bố", published_at=None
    )
    titles = [d["title"] for d in client.get(f"/api/v1/meetings/{meeting.pk}").json()["documents"]]
    assert withdrawn.title not in titles

    # The roll call and the minutes are for the unit's readers: 403, the meeting is known.
    assert client.get(f"/api/v1/meetings/{meeting.pk}/attendance").status_code == 403
    assert client.get(f"/api/v1/meetings/{meeting.pk}/minutes").status_code == 403
    # Another cell's schedule and meetings do not exist for this member.
    other = held_meeting("DU-DT-CB02")
    assert client.get("/api/v1/orgs/DU-DT-CB02/meetings").status_code == 404
    assert client.get(f"/api/v1/meetings/{other.pk}").status_code == 404
    assert set(client.get(f"/api/v1/meetings/{other.pk}").json()) == {"detail"}


def test_readers_get_the_roll_call_and_every_version_of_the_minutes(meetings: Any) -> None:
    meeting = held_meeting("DU-DT-CB01")
    for username in ("bithu1", "danguy", "tinhuy"):
        sheet = api(meetings, username).get(f"/api/v1/meetings/{meeting.pk}/attendance")
        assert sheet.status_code == 200, (username, sheet.content)
        body = sheet.json()
        assert len(body["rows"]) == Attendance.objects.filter(meeting=meeting).count()
        assert body["counts"]["expected"] == meeting.expected_count
        assert body["counts"]["present"] == meeting.present_count
        names = [row["full_name"] for row in body["rows"]]
        assert "Nguyễn Văn An" in names  # dangvien1
    minutes = api(meetings, "bithu1").get(f"/api/v1/meetings/{meeting.pk}/minutes").json()
    # The demo corrects this cell's last locked minutes: the first version stays, replaced.
    first, version = minutes["versions"]
    assert not first["current"] and first["locked"] and first["number"] == 1
    stored = Minutes.objects.get(meeting=meeting, replaced_by__isnull=True)
    assert version["current"] and version["locked"] and version["number"] == 2
    assert version["correction_reason"] == stored.correction_reason != ""
    assert version["counts"]["present"] == meeting.present_count
    assert stored.ended_at and stored.started_at
    assert version["duration_minutes"] == int(
        (stored.ended_at - stored.started_at).total_seconds() // 60
    )
    # The commune committee reads its whole subtree at once; bithu2 not bithu1's cell.
    subtree = api(meetings, "danguy").get(
        "/api/v1/orgs/DU-DT/meetings", {"year": "2026", "descendants": "true", "limit": "1"}
    )
    assert (
        subtree.json()["count"]
        == Meeting.objects.filter(org__path__startswith=meetings.org("DU-DT").path).count()
    )
    assert api(meetings, "bithu2").get(f"/api/v1/meetings/{meeting.pk}/minutes").status_code == 404


def test_a_member_sends_an_absence_notice_through_the_api(demo: Any) -> None:
    cell = demo.org("DU-DT-CB01")
    starts_at = timezone.now() + datetime.timedelta(days=5)
    ahead = Meeting.objects.create(
        org=cell, kind=MeetingKind.REGULAR, period=starts_at.date().replace(day=1),
        starts_at=starts_at,
    )  # fmt: skip
    client = api(demo, "dangvien1")
    url = f"/api/v1/meetings/{ahead.pk}/absence-notices"

    empty = client.post(url, json.dumps({"reason": "  "}), content_type="application/json")
    assert empty.status_code == 422
    assert empty.json()["detail"][0]["loc"] == ["body", "reason"]
    assert "lý do" in empty.json()["detail"][0]["message"]
    assert not AbsenceNotice.objects.filter(meeting=ahead).exists()

    sent = client.post(
        url, json.dumps({"reason": "Đi khám bệnh ở huyện"}), content_type="application/json"
    )
    assert sent.status_code == 201, sent.content
    notice = AbsenceNotice.objects.get(meeting=ahead, withdrawn_at=None)
    assert notice.person.user == demo.user("dangvien1")
    assert notice.reason == "Đi khám bệnh ở huyện"
    assert AuditEntry.objects.filter(subject_type="meetings.absencenotice", subject_id=notice.pk)

    past = Meeting.objects.create(
        org=cell, kind=MeetingKind.REGULAR, status=MeetingStatus.HELD,
        period=datetime.date(2026, 1, 1), starts_at=timezone.now() - datetime.timedelta(days=3),
    )  # fmt: skip
    late = client.post(
        f"/api/v1/meetings/{past.pk}/absence-notices",
        json.dumps({"reason": "Ốm"}),
        content_type="application/json",
    )
    assert late.status_code == 422
    # Another cell's meeting: 404, nothing written.
    other = Meeting.objects.create(
        org=demo.org("DU-DT-CB02"), kind=MeetingKind.REGULAR,
        period=starts_at.date().replace(day=1), starts_at=starts_at,
    )  # fmt: skip
    outside = client.post(
        f"/api/v1/meetings/{other.pk}/absence-notices",
        json.dumps({"reason": "Ốm"}),
        content_type="application/json",
    )
    assert outside.status_code == 404
    assert not AbsenceNotice.objects.filter(meeting=other).exists()


def test_the_schedule_costs_the_same_queries_for_few_and_many(
    meetings: Any, django_assert_max_num_queries: Any
) -> None:
    client = api(meetings, "danguy")
    client.get("/api/v1/orgs/DU-DT/meetings")  # the token's first use writes its date
    for limit in (3, 200):
        with django_assert_max_num_queries(8):
            page = client.get(
                "/api/v1/orgs/DU-DT/meetings",
                {"year": "2026", "descendants": "true", "limit": str(limit)},
            )
        assert len(page.json()["items"]) == limit


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_an_officer_schedules_a_meeting_and_records_its_roll_call(demo: Any) -> None:
    from chibo.meetings.attendance import meeting_roll

    client = api(demo, "bithu1")
    starts_at = (timezone.localtime() + datetime.timedelta(days=10)).replace(
        hour=19, minute=0, second=0, microsecond=0
    )
    body = {"kind": "regular", "starts_at": starts_at.isoformat(), "location": "Nhà văn hóa"}
    made = post(client, "/api/v1/orgs/DU-DT-CB01/meetings", body)
    assert made.status_code == 201, made.content
    meeting = Meeting.objects.get(pk=made.json()["id"])
    assert meeting.org.code == "DU-DT-CB01" and meeting.starts_at == starts_at
    assert meeting.agenda_items.exists(), "the agenda is copied from the template"
    assert AuditEntry.objects.filter(subject_type="meetings.meeting", subject_id=meeting.pk)

    # A cell holds no flag-salute session of the committee: refused, with the field named.
    wrong = post(client, "/api/v1/orgs/DU-DT-CB01/meetings", {**body, "kind": "flag_salute"})
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"] == ["body", "kind"]
    # A plain member may not schedule; another cell's secretary does not see the cell.
    assert post(api(demo, "dangvien1"), "/api/v1/orgs/DU-DT-CB01/meetings", body).status_code == 403
    assert post(api(demo, "bithu2"), "/api/v1/orgs/DU-DT-CB01/meetings", body).status_code == 404
    assert Meeting.objects.filter(org__code="DU-DT-CB01").count() == 1

    # The roll call of a meeting held yesterday: every line checked before anything is kept.
    held = Meeting.objects.create(
        org=demo.org("DU-DT-CB01"), kind=MeetingKind.REGULAR,
        period=timezone.localdate().replace(day=1),
        starts_at=timezone.now() - datetime.timedelta(days=1),
    )  # fmt: skip
    roll = [line for line in meeting_roll(meeting=held) if line.suggested == "present"]
    entries = [{"person_id": line.person.pk, "status": "present"} for line in roll]
    entries[0] = {"person_id": roll[0].person.pk, "status": "excused", "reason": ""}
    url = f"/api/v1/meetings/{held.pk}/attendance"
    refused = post(client, url, {"entries": entries})
    assert refused.status_code == 422
    assert roll[0].person.full_name in refused.json()["detail"][0]["message"]
    assert not held.attendances.exists()
    entries[0]["reason"] = "Ốm"
    done = post(client, url, {"entries": entries})
    assert done.status_code == 200, done.content
    held.refresh_from_db()
    assert held.status == MeetingStatus.HELD
    assert done.json()["counts"]["present"] == held.present_count == len(roll) - 1
    assert post(api(demo, "dangvien1"), url, {"entries": entries}).status_code == 403


def test_the_api_refuses_a_roll_call_for_a_merged_cell_as_the_page_does(demo: Any) -> None:
    from chibo.meetings.attendance import meeting_roll
    from chibo.orgs.models import Org, OrgStatus

    cell = demo.org("DU-DT-CB01")
    held = Meeting.objects.create(
        org=cell, kind=MeetingKind.REGULAR,
        period=timezone.localdate().replace(day=1),
        starts_at=timezone.now() - datetime.timedelta(days=1),
    )  # fmt: skip
    entries = [
        {"person_id": line.person.pk, "status": line.suggested, "reason": "Ốm"}
        for line in meeting_roll(meeting=held)
    ]
    Org.objects.filter(pk=cell.pk).update(status=OrgStatus.MERGED)
    url = f"/api/v1/meetings/{held.pk}/attendance"
    # The commune's committee still reads and manages the cell's records.
    answer = post(api(demo, "danguy"), url, {"entries": entries})
    assert answer.status_code == 422, answer.content
    assert "không còn hoạt động" in answer.json()["detail"][0]["message"]
    assert not held.attendances.exists()
    page = Client()
    page.force_login(demo.user("danguy"))
    refused = page.post(reverse("meeting_attendance", args=[held.pk]), {})
    assert refused.status_code == 403
    assert not held.attendances.exists()


def test_the_api_lists_the_documents_the_page_shows_a_member_flagged_by_the_same_rule(
    demo: Any,
) -> None:
    from chibo.meetings.documents import PUBLISH_AHEAD, documents_for, is_published_late

    member = demo.user("dangvien1")
    starts_at = timezone.now() + datetime.timedelta(hours=12)
    meeting = Meeting.objects.create(
        org=demo.org("DU-DT-CB01"), kind=MeetingKind.REGULAR,
        period=timezone.localdate(starts_at).replace(day=1), starts_at=starts_at,
    )  # fmt: skip
    on_time = MeetingDocument.objects.create(
        meeting=meeting, title="Đúng hạn", published_at=starts_at - PUBLISH_AHEAD
    )
    # Stamped a moment ahead of this server's clock (another server, the demo's clock):
    # the page shows it, so the API does too.
    ahead = MeetingDocument.objects.create(
        meeting=meeting,
        title="Công bố muộn",
        published_at=timezone.now() + datetime.timedelta(hours=1),
    )
    MeetingDocument.objects.create(meeting=meeting, title="Bản nháp", published_at=None)
    body = api(demo, "dangvien1").get(f"/api/v1/meetings/{meeting.pk}").json()
    listed = {d["title"]: d["late"] for d in body["documents"]}
    page = {
        d.title: is_published_late(d, meeting) for d in documents_for(user=member, meeting=meeting)
    }
    assert listed == page == {on_time.title: False, ahead.title: True}
