"""Reminders: the member's upcoming meetings on the home page, the private iCalendar feed,
and the e-mail reminders sent by the background task (a test runs the real worker)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from chibo.core.models import AuditEntry
from chibo.meetings.ical import escape_text, fold
from chibo.meetings.models import (
    AbsenceNotice,
    CalendarFeed,
    Meeting,
    MeetingKind,
    MeetingStatus,
    ReminderSent,
)
from chibo.meetings.reminders import meeting_reminders_send, upcoming_for
from chibo.people.models import (
    Membership,
    MembershipStatus,
    Person,
    Transfer,
    TransferKind,
    TransferStatus,
)


def meeting(org: Any, *, days: float, kind: str = MeetingKind.REGULAR, **extra: Any) -> Meeting:
    starts_at = timezone.now() + datetime.timedelta(days=days)
    return Meeting.objects.create(
        org=org,
        kind=kind,
        period=timezone.localdate(starts_at).replace(day=1),
        starts_at=starts_at,
        **extra,
    )


def member_of(code: str, *, index: int = 0) -> Person:
    memberships = (
        Membership.objects.current()
        .filter(org__code=code, status=MembershipStatus.OFFICIAL, person__user__isnull=True)
        .order_by("person__sort_key", "person_id")
    )
    return memberships[index].person


# --- upcoming meetings on the home page ----------------------------------------------


def test_the_home_page_lists_the_members_next_meetings(demo: Any) -> None:
    cell = demo.org("DU-DT-CB01")
    soon = meeting(cell, days=3, location="Nhà văn hóa xóm Đồng Tiến")
    later = meeting(cell, days=20, kind=MeetingKind.THEMATIC, title="Chuyên đề quý IV")
    meeting(cell, days=-2, status=MeetingStatus.HELD)
    meeting(cell, days=5, status=MeetingStatus.CANCELLED)
    meeting(cell, days=90)  # beyond the weeks the home page looks at
    other = meeting(demo.org("DU-DT-CB02"), days=2)

    user = demo.user("dangvien1")
    assert [row.meeting for row in upcoming_for(user=user)] == [soon, later]
    page = demo.client("dangvien1").get("/").content.decode()
    assert "Lịch sinh hoạt sắp tới" in page
    assert f"/meetings/{soon.pk}/" in page and f"/meetings/{later.pk}/" in page
    assert f"/meetings/{other.pk}/" not in page
    assert "Nhà văn hóa xóm Đồng Tiến" in page
    assert page.count(">Báo vắng<") == 2

    AbsenceNotice.objects.create(meeting=soon, person=user.person, reason="Đi viện")
    page = demo.client("dangvien1").get("/").content.decode()
    assert "Đã báo vắng" in page and page.count(">Báo vắng<") == 1
    # A viewer over the province belongs to no unit: no card at all.
    assert "Lịch sinh hoạt sắp tới" not in demo.client("tinhuy").get("/").content.decode()


def test_the_home_page_costs_the_same_queries_for_few_and_many(
    demo: Any, django_assert_max_num_queries: Any
) -> None:
    cell = demo.org("DU-DT-CB01")
    client = demo.client("dangvien1")
    counts = []
    for days in (1, 2, 3, 4, 5, 6, 7, 8):
        meeting(cell, days=days)
        with django_assert_max_num_queries(40) as captured:
            client.get("/")
        counts.append(len(captured.captured_queries))
    assert len(set(counts[1:])) == 1, counts


# --- the iCalendar feed ------------------------------------------------------------------


def feed_url(page: str) -> str:
    found = re.search(r'value="(http://testserver/calendar/[^"]+\.ics)"', page)
    assert found, "the new URL is shown once"
    return found.group(1).removeprefix("http://testserver")


def unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


def test_a_private_calendar_feed_made_replaced_and_revoked(demo: Any) -> None:
    cell = demo.org("DU-DT-CB01")
    ahead = meeting(cell, days=4, location="Nhà văn hóa; xóm Đồng Tiến, Đại Từ")
    other = meeting(demo.org("DU-DT-CB02"), days=4)
    client = demo.client("dangvien1")

    page = client.get("/calendar/").content.decode()
    assert "Tạo địa chỉ lịch" in page and "calendar/" in page
    url = feed_url(client.post("/calendar/", {"action": "create"}).content.decode())
    assert url not in client.get("/calendar/").content.decode(), "shown once only"
    feed = CalendarFeed.objects.get(user=demo.user("dangvien1"))
    assert feed.token_hash not in url

    anonymous = Client()
    response = anonymous.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    lines = unfold(body)
    assert f"UID:meeting-{ahead.pk}@chibo" in lines
    assert f"UID:meeting-{other.pk}@chibo" not in lines
    start = ahead.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in lines
    assert "LOCATION:Nhà văn hóa\\; xóm Đồng Tiến\\, Đại Từ" in lines
    assert "SUMMARY:Sinh hoạt định kỳ – Chi bộ xóm Đồng Tiến" in lines

    # A new URL replaces the old one; revoking stops the feed; unknown tokens are 404.
    newer = feed_url(client.post("/calendar/", {"action": "create"}).content.decode())
    assert anonymous.get(url).status_code == 404
    assert anonymous.get(newer).status_code == 200
    assert client.post("/calendar/", {"action": "revoke"}).status_code == 302
    assert anonymous.get(newer).status_code == 404
    assert anonymous.get("/calendar/khong-co-ma-nay.ics").status_code == 404
    actions = list(
        AuditEntry.objects.filter(subject_type="meetings.calendarfeed", subject_id=feed.pk)
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == ["grant", "grant", "revoke"]


def test_the_feed_follows_the_members_scope(demo: Any) -> None:
    """A member who leaves the unit stops seeing its meetings, with the same URL."""
    from chibo.meetings.ical import calendar_feed_create

    user = demo.user("dangvien1")
    ahead = meeting(demo.org("DU-DT-CB01"), days=4)
    url = f"/calendar/{calendar_feed_create(user=user)}.ics"
    assert f"UID:meeting-{ahead.pk}@chibo" in unfold(Client().get(url).content.decode())
    Membership.objects.filter(person=user.person, ended_on__isnull=True).update(
        ended_on=timezone.localdate()
    )
    assert f"UID:meeting-{ahead.pk}@chibo" not in unfold(Client().get(url).content.decode())
    user.is_active = False
    user.save()
    assert Client().get(url).status_code == 404


def test_text_is_escaped_and_long_lines_folded_between_characters() -> None:
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    line = "SUMMARY:" + "Sinh hoạt chuyên đề: Học tập và làm theo tư tưởng Hồ Chí Minh " * 3
    folded = fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 2
    assert all(len(part.encode()) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert folded.replace("\r\n ", "") == line


# --- e-mail reminders ----------------------------------------------------------------------


def give_addresses(code: str) -> list[Person]:
    people = [member_of(code, index=i) for i in range(4)]
    for index, person in enumerate(people):
        person.email = f"dang-vien-{index}@example.vn"
        person.save(update_fields=["email"])
    return people


def test_reminders_go_once_to_members_expected_with_an_address(demo: Any, settings: Any) -> None:
    settings.CHIBO_SITE_URL = "https://chibo.example.vn"
    cell = demo.org("DU-DT-CB01")
    people = give_addresses("DU-DT-CB01")
    # One says she cannot come; one is exempt from activities: neither is reminded.
    soon = meeting(cell, days=1.5, location="Nhà văn hóa xóm Đồng Tiến")
    AbsenceNotice.objects.create(meeting=soon, person=people[1], reason="Đi viện")
    Membership.objects.filter(person=people[2], ended_on__isnull=True).update(
        status=MembershipStatus.EXEMPT
    )
    # A fifth member with an address stays at another cell for a while.
    away = member_of("DU-DT-CB01", index=4)
    away.email = "tam-thoi@example.vn"
    away.save(update_fields=["email"])
    Transfer.objects.create(
        membership=Membership.objects.get(person=away, org=cell, ended_on__isnull=True),
        person=away, org=cell, kind=TransferKind.TEMPORARY, status=TransferStatus.RECEIVED,
        target=demo.org("DU-DT-CB02"), cause_on=timezone.localdate(),
        starts_on=timezone.localdate(),
    )  # fmt: skip
    meeting(cell, days=6)  # beyond MEETING_REMINDER_DAYS (2)
    meeting(cell, days=1, status=MeetingStatus.CANCELLED)

    run = meeting_reminders_send()
    assert (run.meetings, run.sent) == (1, 2)
    assert sorted(m.to[0] for m in mail.outbox) == [people[0].email, people[3].email]
    message = mail.outbox[0]
    assert message.subject.startswith("Nhắc lịch: Sinh hoạt định kỳ, Chi bộ xóm Đồng Tiến")
    assert "Nhà văn hóa xóm Đồng Tiến" in message.body
    assert f"https://chibo.example.vn/meetings/{soon.pk}/absence/" in message.body
    assert ReminderSent.objects.filter(meeting=soon).count() == 2
    assert AuditEntry.objects.filter(subject_type="meetings.meeting", subject_id=soon.pk).exists()

    # A second run mails nobody twice; a member given an address later gets hers.
    assert meeting_reminders_send().sent == 0
    late = member_of("DU-DT-CB01", index=5)
    late.email = "muon@example.vn"
    late.save(update_fields=["email"])
    assert meeting_reminders_send().sent == 1
    assert mail.outbox[-1].to == ["muon@example.vn"]


def test_a_failed_send_writes_nothing_and_is_tried_again(demo: Any, settings: Any) -> None:
    give_addresses("DU-DT-CB01")
    soon = meeting(demo.org("DU-DT-CB01"), days=1)
    settings.EMAIL_BACKEND = "chibo.meetings.tests.failing_mail.Backend"
    with pytest.raises(ConnectionRefusedError):
        meeting_reminders_send()
    assert not ReminderSent.objects.filter(meeting=soon).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert meeting_reminders_send().sent == 4


@pytest.mark.django_db(transaction=True)
def test_the_command_queues_the_task_and_the_worker_sends(demo_live: Any, settings: Any) -> None:
    """The real backend: the task waits in the database until `chibo db_worker` runs it."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    people = give_addresses("DU-DT-CB01")
    soon = meeting(demo_live.org("DU-DT-CB01"), days=1)
    call_command("meeting_reminders")
    task = DBTaskResult.objects.get()
    assert task.status == "READY"
    assert not mail.outbox
    call_command("db_worker", "--batch", "--interval", "0")
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL", task.traceback
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert ReminderSent.objects.filter(meeting=soon).count() == 4
    # Run again by the timer: nothing more is sent.
    call_command("meeting_reminders")
    call_command("db_worker", "--batch", "--interval", "0")
    assert len(mail.outbox) == 4


def test_reminders_follow_the_roll_on_the_meeting_day(demo: Any) -> None:
    """The roll of the meeting day, not today's records: a member of another cell staying
    here is reminded here; a member whose membership ends before the meeting is not; a
    member whose stay elsewhere, already agreed, begins after the meeting is reminded at
    home."""
    cell, other = demo.org("DU-DT-CB01"), demo.org("DU-DT-CB02")
    today = timezone.localdate()
    soon = meeting(cell, days=1.5)
    meeting_day = timezone.localtime(soon.starts_at).date()
    guest = member_of("DU-DT-CB02", index=0)
    leaving, back = member_of("DU-DT-CB01", index=0), member_of("DU-DT-CB01", index=1)
    for person, address in ((guest, "khach@example.vn"), (leaving, "di@example.vn")):
        person.email = address
        person.save(update_fields=["email"])
    back.email = "ve@example.vn"
    back.save(update_fields=["email"])
    Transfer.objects.create(
        membership=Membership.objects.get(person=guest, org=other, ended_on__isnull=True),
        person=guest, org=other, kind=TransferKind.TEMPORARY, status=TransferStatus.RECEIVED,
        target=cell, cause_on=today, starts_on=today - datetime.timedelta(days=30),
    )  # fmt: skip
    # Moves away the day of the meeting: not on the roll that day.
    Membership.objects.filter(person=leaving, org=cell, ended_on__isnull=True).update(
        ended_on=meeting_day
    )
    # Received at CB02 for a stay that begins next week: still expected at home.
    Transfer.objects.create(
        membership=Membership.objects.get(person=back, org=cell, ended_on__isnull=True),
        person=back, org=cell, kind=TransferKind.TEMPORARY, status=TransferStatus.RECEIVED,
        target=other, cause_on=today, starts_on=meeting_day + datetime.timedelta(days=5),
    )  # fmt: skip
    assert meeting_reminders_send().sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["khach@example.vn", "ve@example.vn"]
    assert set(ReminderSent.objects.filter(meeting=soon).values_list("person_id", flat=True)) == {
        guest.pk,
        back.pk,
    }
