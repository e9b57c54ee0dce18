"""A merged or dissolved unit gets nothing new written for it, whichever way the write
comes (page or API): every meeting service checks the unit itself, not only the views."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chibo.core.models import AuditEntry
from chibo.meetings.agenda import ItemText, agenda_template_save, meeting_agenda_save
from chibo.meetings.attendance import (
    GuestData,
    RollCallEntry,
    absence_notice_send,
    assignment_create,
    assignment_end,
    guest_add,
    roll_call_record,
)
from chibo.meetings.documents import document_upload
from chibo.meetings.minutes import MinutesData, minutes_save, minutes_start
from chibo.meetings.models import (
    Attendance,
    AttendanceAssignment,
    GuestRole,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Minutes,
)
from chibo.meetings.schedule import (
    MeetingData,
    meeting_cancel,
    meeting_create,
    meeting_move,
    meeting_update,
)
from chibo.meetings.topics import TopicData, topic_register, topic_submit
from chibo.orgs.models import Org, OrgStatus
from chibo.people.models import Membership

D = datetime.date
DAY = D(2026, 3, 10)


def at(day: D, hour: int = 8) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def merge(org: Org) -> None:
    Org.objects.filter(pk=org.pk).update(status=OrgStatus.MERGED)
    org.refresh_from_db()


def refused(call: Callable[[], Any]) -> str:
    with pytest.raises(ValidationError) as error:
        call()
    text = str(error.value)
    assert "không còn hoạt động" in text
    return text


def test_every_meeting_service_refuses_a_merged_unit(personas: Any) -> None:
    Membership.objects.filter(org__code__startswith="T-").update(started_on=D(2020, 1, 1))
    cell = personas.cell_a
    planned = meeting_create(
        org=cell, kind=MeetingKind.REGULAR, data=MeetingData(starts_at=at(D(2099, 3, 10)))
    )
    held = Meeting.objects.create(
        org=cell, kind=MeetingKind.REGULAR, period=D(2026, 3, 1), starts_at=at(DAY)
    )
    roll = [
        RollCallEntry(personas.alice.pk, "present"),
        RollCallEntry(personas.charlie.pk, "present"),
    ]
    roll_call_record(meeting=held, entries=roll, today=DAY)
    minutes = minutes_start(meeting=held)
    topic = topic_register(org=cell, data=TopicData(year=2099, month=3, title="Học tập Bác"))
    audits = AuditEntry.objects.count()
    merge(cell)
    planned.refresh_from_db()
    held.refresh_from_db()

    assert cell.name in refused(
        lambda: meeting_create(
            org=cell, kind=MeetingKind.REGULAR, data=MeetingData(starts_at=at(D(2099, 4, 10)))
        )
    )
    refused(lambda: meeting_move(meeting=planned, starts_at=at(D(2099, 3, 12))))
    refused(lambda: meeting_update(meeting=planned, title="x", purpose="", guests_note=""))
    refused(lambda: meeting_cancel(meeting=planned, reason="Hợp nhất"))
    refused(lambda: meeting_agenda_save(meeting=planned, items=[ItemText("Khai mạc", "")]))
    refused(
        lambda: agenda_template_save(
            org=cell, kind=MeetingKind.REGULAR, name="", items=[ItemText("Khai mạc", "")]
        )
    )
    refused(lambda: absence_notice_send(meeting=planned, person=personas.charlie, reason="Ốm"))
    refused(
        lambda: document_upload(
            meeting=planned,
            title="Nghị quyết",
            upload=SimpleUploadedFile("nq.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
        )
    )
    refused(
        lambda: roll_call_record(
            meeting=held,
            entries=[*roll[:1], RollCallEntry(personas.charlie.pk, "excused", "Ốm")],
            today=DAY,
        )
    )
    refused(lambda: guest_add(meeting=held, data=GuestData(role=GuestRole.INVITED, name="Khách")))
    refused(
        lambda: minutes_save(
            minutes=minutes, data=MinutesData(item_notes={}, conclusions="x"), revision=None
        )
    )
    refused(lambda: topic_submit(topic=topic))

    # Nothing was written: the rows are as they were, no audit entry was added.
    assert AuditEntry.objects.count() == audits
    planned.refresh_from_db()
    assert planned.status == MeetingStatus.PLANNED and planned.version == 1
    assert not Attendance.objects.filter(meeting=held, status="excused").exists()
    assert Minutes.objects.get(pk=minutes.pk).revision == minutes.revision


def test_an_assignment_to_a_merged_cell_is_not_ended(personas: Any) -> None:
    """The assignment stays as the unit's record of who attended it until the merger."""
    cell = personas.cell_a
    assignment = assignment_create(
        org=cell, person=personas.dave, role=GuestRole.COMMITTEE, started_on=D(2026, 1, 1)
    )
    audits = AuditEntry.objects.count()
    merge(cell)

    text = refused(lambda: assignment_end(assignment=assignment, ended_on=DAY))

    assert cell.name in text and "đã hợp nhất" in text
    assert AttendanceAssignment.objects.get(pk=assignment.pk).ended_on is None
    assert AuditEntry.objects.count() == audits


def test_the_assignments_page_says_why_it_cannot_end_one(demo: Any) -> None:
    cell = demo.org("DU-DT-CB02")
    assignment = assignment_create(
        org=cell, person=demo.user("danguy").person, role=GuestRole.COMMITTEE
    )
    merge(cell)

    page = demo.client("danguy").post(
        "/orgs/DU-DT/meeting-assignments/", {"action": "end", "assignment": str(assignment.pk)}
    )

    assert page.status_code == 200
    assert f"Tổ chức “{cell.name}” không còn hoạt động" in page.content.decode()
    assert AttendanceAssignment.objects.get(pk=assignment.pk).ended_on is None
