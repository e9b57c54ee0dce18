"""The minutes' chair and minute-taker come from the meeting's own people: another unit's
member named in the form is refused with a message, and nothing is saved."""

from __future__ import annotations

from typing import Any

from chibo.core.models import AuditEntry
from chibo.meetings.models import Minutes
from chibo.meetings.tests.test_attendance_views import make_meeting, roll_post
from chibo.people.models import Membership


def test_a_chair_from_another_cell_is_refused(demo: Any) -> None:
    meeting = make_meeting(demo.org("DU-DT-CB01"), 0)
    client = demo.client("bithu1")
    client.post(f"/meetings/{meeting.pk}/attendance/", roll_post(meeting))
    url = f"/meetings/{meeting.pk}/minutes/"
    client.post(url, {"action": "start"})
    minutes = Minutes.objects.get(meeting=meeting)
    other = Membership.objects.filter(org__code="DU-DT-CB02", ended_on__isnull=True).first()
    assert other is not None
    before = AuditEntry.objects.count()
    form = {"action": "save", "revision": str(minutes.revision), "conclusions": "Nhất trí."}
    for field, label in (("chair", "Chủ trì"), ("minute_taker", "Thư ký")):
        for value in (str(other.person_id), "abc"):
            response = client.post(url, {**form, field: value})
            assert response.status_code == 200
            assert f"{label}: người đã chọn không có trong danh sách" in response.content.decode()
    assert AuditEntry.objects.count() == before
    minutes.refresh_from_db()
    assert minutes.conclusions == ""
    mine = demo.user("bithu1").person
    assert client.post(url, {**form, "chair": str(mine.pk)}).status_code == 302
