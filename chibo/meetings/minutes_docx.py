"""The minutes as a Word document in the party's document format.

The format (Hướng dẫn 36-HD/VPTW: A4, margins 25/25/35/15 mm, Times New Roman, the heading
"ĐẢNG CỘNG SẢN VIỆT NAM") is drawn by chibo.core.docx, whose docstring cites it; this
module writes what a minutes holds: the document type "BIÊN BẢN" (capitals 16 pt bold),
the record of the meeting, and the signatures of the minute taker and the chair.

Branches of the mass organisations use the national heading instead of the party's, and
the state margins.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.docx import (
    NOTE_SIZE,
    TITLE_SIZE,
    add_body_paragraph,
    add_heading,
    add_line,
    document_bytes,
    new_document,
    place_name,
)
from chibo.meetings.attendance import meeting_day
from chibo.meetings.minutes import duration_minutes, minutes_header
from chibo.meetings.models import AttendanceStatus, Meeting, Minutes
from chibo.orgs import divisions
from chibo.orgs.models import Family


def _place(meeting: Meeting) -> str:
    return place_name(
        divisions.ward_name(meeting.org.ward_code)
        or divisions.province_name(meeting.org.province_code)
    )


def minutes_docx(*, meeting: Meeting, minutes: Minutes) -> bytes:
    """One version of the minutes as DOCX bytes."""
    header = minutes_header(meeting=meeting, minutes=minutes)
    counts = minutes.counts or {}
    party = meeting.org.family == Family.PARTY
    document = new_document(party=party)
    add_heading(
        document,
        parent=header.parent,
        unit=header.unit,
        party=party,
        place=_place(meeting),
        day=meeting_day(meeting),
    )
    document.add_paragraph()
    add_line(document, _("BIÊN BẢN"), bold=True, size=TITLE_SIZE)
    add_line(
        document,
        _("%(kind)s tháng %(month)s năm %(year)s")
        % {
            "kind": meeting.get_kind_display(),
            "month": meeting.period.month,
            "year": meeting.period.year,
        },
        bold=True,
    )
    if meeting.title:
        add_line(document, meeting.title, italic=True)
    if minutes.number > 1:
        add_line(
            document,
            _("(Phiên bản sửa đổi lần %(number)s: %(reason)s)")
            % {"number": minutes.number - 1, "reason": minutes.correction_reason},
            italic=True,
            size=NOTE_SIZE,
        )
    document.add_paragraph()

    start = timezone.localtime(minutes.started_at) if minutes.started_at else header.starts_at
    add_body_paragraph(
        document,
        _("Thời gian: bắt đầu lúc %(time)s, ngày %(day)s.")
        % {
            "time": _("%(hour)s giờ %(minute)s") % {"hour": f"{start:%H}", "minute": f"{start:%M}"},
            "day": f"{header.day:%d/%m/%Y}",
        },
    )
    if header.location:
        add_body_paragraph(document, _("Địa điểm: %(place)s.") % {"place": header.location})
    add_body_paragraph(document, _("Chủ trì: đồng chí %(name)s.") % {"name": header.chair or "…"})
    add_body_paragraph(
        document, _("Thư ký: đồng chí %(name)s.") % {"name": header.minute_taker or "…"}
    )
    add_body_paragraph(
        document,
        _(
            "Tổng số đảng viên của chi bộ: %(on_roll)s; phải dự: %(expected)s; có mặt: "
            "%(present)s (chính thức %(official)s, dự bị %(probationary)s); vắng có lý do: "
            "%(excused)s; vắng không lý do: %(unexcused)s; miễn sinh hoạt: %(exempt)s; "
            "chuyển sinh hoạt tạm thời: %(transferred)s."
        )
        % {
            "on_roll": counts.get("on_roll", 0),
            "expected": counts.get("expected", 0),
            "present": counts.get(AttendanceStatus.PRESENT, 0),
            "official": counts.get("official_present", 0),
            "probationary": counts.get("probationary_present", 0),
            "excused": counts.get(AttendanceStatus.EXCUSED, 0),
            "unexcused": counts.get(AttendanceStatus.UNEXCUSED, 0),
            "exempt": counts.get(AttendanceStatus.EXEMPT, 0),
            "transferred": counts.get(AttendanceStatus.TRANSFERRED, 0),
        },
    )
    if counts.get("hosted"):
        add_body_paragraph(
            document,
            _("Đảng viên sinh hoạt tạm thời tại chi bộ có mặt: %(n)s/%(total)s.")
            % {"n": counts.get("hosted_present", 0), "total": counts.get("hosted", 0)},
        )
    for row in header.absent:
        if row.status in (AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED):
            reason = f" ({row.reason})" if row.reason else ""
            add_body_paragraph(
                document,
                f"- {row.person.full_name}: {row.get_status_display().lower()}{reason}.",
            )
    if header.guests:
        names = "; ".join(
            f"{guest.name} ({guest.get_role_display().lower()})" for guest in header.guests
        )
        add_body_paragraph(document, _("Khách mời, đại biểu dự: %(names)s.") % {"names": names})

    add_body_paragraph(document, _("NỘI DUNG"), bold=True)
    for number, item in enumerate(header.items, 1):
        add_body_paragraph(document, f"{number}. {item.title}", bold=True)
        for text in (item.note or "…").splitlines():
            if text.strip():
                add_body_paragraph(document, text.strip())
    if minutes.conclusions:
        add_body_paragraph(document, _("Kết luận của chủ trì"), bold=True)
        for text in minutes.conclusions.splitlines():
            if text.strip():
                add_body_paragraph(document, text.strip())
    if minutes.resolutions:
        add_body_paragraph(document, _("Nghị quyết"), bold=True)
        for text in minutes.resolutions.splitlines():
            if text.strip():
                add_body_paragraph(document, text.strip())
    if minutes.ended_at:
        end = timezone.localtime(minutes.ended_at)
        length = duration_minutes(minutes)
        add_body_paragraph(
            document,
            _("Buổi sinh hoạt kết thúc lúc %(time)s cùng ngày (%(length)s phút).")
            % {
                "time": _("%(hour)s giờ %(minute)s") % {"hour": f"{end:%H}", "minute": f"{end:%M}"},
                "length": length,
            },
        )

    document.add_paragraph()
    signatures = document.add_table(rows=1, cols=2)
    taker, chair = signatures.rows[0].cells
    for cell, title, name, signed in (
        (taker, _("THƯ KÝ"), header.minute_taker, minutes.taker_signed_at),
        (chair, _("CHỦ TRÌ"), header.chair, minutes.chair_signed_at),
    ):
        cell.paragraphs[0].text = ""
        add_line(cell, title, bold=True)
        if signed is not None:
            add_line(
                cell,
                _("(Đã ký ngày %(day)s)") % {"day": f"{timezone.localtime(signed):%d/%m/%Y}"},
                italic=True,
                size=NOTE_SIZE,
            )
        else:
            add_line(cell, _("(Ký, ghi rõ họ tên)"), italic=True, size=NOTE_SIZE)
        cell.add_paragraph()
        add_line(cell, name, bold=True)
    return document_bytes(document)


def minutes_filename(*, meeting: Meeting, minutes: Minutes) -> str:
    day = meeting_day(meeting)
    return f"bien-ban-{meeting.org.code}-{day:%Y-%m-%d}-lan-{minutes.number}.docx"
