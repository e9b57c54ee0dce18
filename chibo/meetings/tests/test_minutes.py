"""Minutes: written after the roll call, signed by chair and minute-taker, locked, and
corrected by new versions; flagged when short; exported as DOCX in party format."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from chibo.core.models import AuditEntry
from chibo.meetings.attendance import RollCallEntry, roll_call_record
from chibo.meetings.minutes import (
    CHAIR,
    TAKER,
    MinutesData,
    minutes_correct,
    minutes_current,
    minutes_flags,
    minutes_header,
    minutes_save,
    minutes_sign,
    minutes_start,
    minutes_versions,
)
from chibo.meetings.minutes_docx import minutes_docx
from chibo.meetings.models import AgendaItem, Attendance, Meeting, MeetingKind, Minutes
from chibo.people.models import Membership

D = datetime.date
DAY = D(2026, 3, 10)


def at(day: D, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def held(personas: Any) -> Meeting:
    """T-A's meeting of March 2026, roll called: alice present, charlie absent excused."""
    Membership.objects.filter(org__code__startswith="T-").update(started_on=D(2020, 1, 1))
    meeting = Meeting.objects.create(
        org=personas.cell_a,
        kind=MeetingKind.REGULAR,
        period=D(2026, 3, 1),
        starts_at=at(DAY, 8),
        location="Nhà văn hóa xóm Đồng",
    )
    for order, title in enumerate(["Kiểm tra số lượng", "Thông qua chương trình", "Kết luận"], 1):
        AgendaItem.objects.create(meeting=meeting, order=order, title=title)
    roll_call_record(
        meeting=meeting,
        entries=[
            RollCallEntry(personas.alice.pk, "present"),
            RollCallEntry(personas.charlie.pk, "excused", "Đi viện"),
        ],
        today=DAY,
    )
    return meeting


def data(personas: Any, **extra: Any) -> MinutesData:
    values: dict[str, Any] = {
        "item_notes": {"1": "Có mặt 1/2 đồng chí.", "2": "Chi bộ nhất trí."},
        "conclusions": "Đồng chí Bí thư kết luận: hoàn thành thu đảng phí.",
        "resolutions": "Chi bộ quyết nghị tiếp tục vận động làm đường.",
        "started_at": at(DAY, 8),
        "ended_at": at(DAY, 9, 40),
        "chair": personas.alice,
        "minute_taker": personas.alice,
        **extra,
    }
    return MinutesData(**values)


def test_minutes_need_the_roll_call_first(personas: Any) -> None:
    meeting = Meeting.objects.create(
        org=personas.cell_a, kind="regular", period=D(2026, 3, 1), starts_at=at(DAY, 8)
    )
    with pytest.raises(ValidationError, match="Cần điểm danh trước"):
        minutes_start(meeting=meeting)


def test_write_sign_lock_and_correct(held: Meeting, personas: Any) -> None:
    alice = personas.user("alice")
    minutes = minutes_start(meeting=held, actor=alice)
    assert minutes.counts["present"] == 1 and minutes.counts["expected"] == 2
    minutes = minutes_save(minutes=minutes, data=data(personas), revision=1, actor=alice)
    assert minutes.revision == 2
    held.refresh_from_db()
    assert held.chair_id == personas.alice.pk and held.held_ended_at == at(DAY, 9, 40)

    # A stale page is refused.
    with pytest.raises(ValidationError, match="vừa được người khác sửa"):
        minutes_save(minutes=minutes, data=data(personas), revision=1)

    minutes = minutes_sign(minutes=minutes, role=CHAIR, actor=alice)
    assert not minutes.is_locked
    minutes = minutes_sign(minutes=minutes, role=TAKER, actor=alice)
    assert minutes.is_locked and minutes.taker_signed_by == alice

    with pytest.raises(ValidationError, match="đã ký và khóa"):
        minutes_save(minutes=minutes, data=data(personas), revision=minutes.revision)
    with pytest.raises(ValidationError) as error:
        minutes_correct(minutes=minutes, reason=" ")
    assert error.value.message_dict["reason"] == ["Cần ghi lý do sửa biên bản."]

    new = minutes_correct(minutes=minutes, reason="Ghi sót ý kiến", actor=alice)
    assert new.number == 2 and not new.is_locked
    assert new.conclusions == minutes.conclusions and new.correction_reason == "Ghi sót ý kiến"
    minutes.refresh_from_db()
    assert minutes.replaced_by_id == new.pk and minutes.is_locked
    assert minutes_current(meeting=held) == new
    assert [m.number for m in minutes_versions(meeting=held)] == [1, 2]
    new = minutes_save(
        minutes=new,
        data=data(personas, conclusions="Kết luận đã sửa."),
        revision=new.revision,
    )
    minutes.refresh_from_db()
    assert minutes.conclusions.startswith("Đồng chí Bí thư")  # the old version is kept
    with pytest.raises(ValidationError, match="phiên bản cũ"):
        minutes_save(minutes=minutes, data=data(personas), revision=None)
    assert AuditEntry.objects.filter(subject_type="meetings.minutes").count() == 6


def test_locked_minutes_freeze_the_roll_call_until_they_are_corrected(
    held: Meeting, personas: Any
) -> None:
    """Signed minutes and the meeting must say the same: the roll call is refused while the
    current version is locked, and taken again once a correction is opened."""
    minutes = minutes_start(meeting=held)
    minutes = minutes_save(minutes=minutes, data=data(personas), revision=None)
    minutes = minutes_sign(minutes=minutes, role=CHAIR)
    minutes = minutes_sign(minutes=minutes, role=TAKER)
    both_present = [
        RollCallEntry(personas.alice.pk, "present"),
        RollCallEntry(personas.charlie.pk, "present"),
    ]
    with pytest.raises(ValidationError) as error:
        roll_call_record(meeting=held, entries=both_present, today=DAY)
    assert "Biên bản buổi sinh hoạt đã ký và khóa" in str(error.value)
    assert "sửa biên bản trước" in str(error.value)
    held.refresh_from_db()
    assert held.present_count == 1
    assert Attendance.objects.get(meeting=held, person=personas.charlie).status == "excused"
    minutes.refresh_from_db()
    assert minutes.counts["present"] == 1
    new = minutes_correct(minutes=minutes, reason="Điểm danh lại")
    roll_call_record(meeting=held, entries=both_present, today=DAY)
    new = minutes_save(minutes=new, data=data(personas), revision=new.revision)
    assert new.counts["present"] == 2
    minutes.refresh_from_db()
    assert minutes.counts["present"] == 1


def test_signing_needs_times_chair_taker_and_conclusions(held: Meeting, personas: Any) -> None:
    minutes = minutes_start(meeting=held)
    with pytest.raises(ValidationError) as error:
        minutes_sign(minutes=minutes, role=CHAIR)
    text = " ".join(error.value.messages)
    for part in ("giờ bắt đầu", "người chủ trì", "thư ký", "kết luận"):
        assert part in text
    minutes.refresh_from_db()
    assert minutes.chair_signed_at is None


def test_an_edit_after_one_signature_clears_it(held: Meeting, personas: Any) -> None:
    minutes = minutes_save(minutes=minutes_start(meeting=held), data=data(personas), revision=1)
    minutes = minutes_sign(minutes=minutes, role=CHAIR)
    minutes = minutes_save(minutes=minutes, data=data(personas), revision=minutes.revision)
    assert minutes.chair_signed_at is None


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"ended_at": at(DAY, 7)}, "ended_at", "Giờ kết thúc phải sau giờ bắt đầu."),
        ({"started_at": at(DAY + datetime.timedelta(days=1), 8)}, "started_at", "trong ngày họp"),
        ({"started_at": None}, "started_at", "Cần nhập giờ bắt đầu"),
        ({"item_notes": {"9": "?"}}, "item_notes", "Mục 9 không có trong chương trình"),
        ({"minute_taker": "charlie"}, "minute_taker", "Lê Văn Cường vắng"),
    ],
)
def test_bad_minutes_are_refused_by_field(
    held: Meeting, personas: Any, extra: dict[str, Any], field: str, message: str
) -> None:
    if extra.get("minute_taker") == "charlie":
        extra["minute_taker"] = personas.charlie
    minutes = minutes_start(meeting=held)
    with pytest.raises(ValidationError) as error:
        minutes_save(minutes=minutes, data=data(personas, **extra), revision=1)
    assert message in error.value.message_dict[field][0]
    minutes.refresh_from_db()
    assert minutes.revision == 1 and minutes.conclusions == ""


def test_short_meetings_and_no_quorum_are_flagged(held: Meeting, personas: Any) -> None:
    minutes = minutes_save(
        minutes=minutes_start(meeting=held),
        data=data(personas, ended_at=at(DAY, 9, 29)),
        revision=1,
    )
    codes = [flag.code for flag in minutes_flags(minutes=minutes, meeting=held)]
    # 89 minutes < 90; 1 present of 2 expected is not more than half.
    assert codes == ["short", "quorum"]
    minutes = minutes_save(minutes=minutes, data=data(personas), revision=minutes.revision)
    assert [f.code for f in minutes_flags(minutes=minutes, meeting=held)] == ["quorum"]
    Meeting.objects.filter(pk=held.pk).update(kind=MeetingKind.COMBINED)
    held.refresh_from_db()
    # 100 minutes are too short for a combined meeting (120).
    assert "short" in [f.code for f in minutes_flags(minutes=minutes, meeting=held)]


def test_header_and_docx_in_party_format(held: Meeting, personas: Any) -> None:
    from docx import Document
    from docx.shared import Mm

    minutes = minutes_save(minutes=minutes_start(meeting=held), data=data(personas), revision=1)
    header = minutes_header(meeting=held, minutes=minutes)
    assert header.parent == "Đảng bộ xã Thử"
    assert [a.person.full_name for a in header.absent] == ["Lê Văn Cường"]
    assert [item.note for item in header.items][:2] == ["Có mặt 1/2 đồng chí.", "Chi bộ nhất trí."]

    body = minutes_docx(meeting=held, minutes=minutes)
    document = Document(io.BytesIO(body))
    section = document.sections[0]
    width, height = section.page_width, section.page_height
    assert width is not None and height is not None
    assert abs(width - Mm(210)) < Mm(1) and abs(height - Mm(297)) < Mm(1)
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in cells
    assert "ĐẢNG BỘ XÃ THỬ" in cells and "CHI BỘ XÓM ĐỒNG" in cells
    assert "BIÊN BẢN" in text
    assert "Lê Văn Cường" in text and "Đi viện" in text
    assert "Chi bộ quyết nghị tiếp tục vận động làm đường." in text
    assert "bắt đầu lúc 08 giờ 00, ngày 10/03/2026" in text
    assert "kết thúc lúc 09 giờ 40 cùng ngày (100 phút)" in text
    assert "CHỦ TRÌ" in cells and "THƯ KÝ" in cells
    assert Minutes.objects.count() == 1
