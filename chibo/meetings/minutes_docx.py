"""The minutes as a Word document in the party's document format.

Hướng dẫn 36-HD/VPTW (03/4/2018) of the Central Party Office on the format of party
documents: A4 paper (210 x 297 mm); the text area of a front page 25 mm from the top and
bottom edges, 35 mm from the left and 15 mm from the right (a back page swaps left and
right; Chibo prints one side); Times New Roman. Sizes from its table of format elements
(Phụ lục): the heading "ĐẢNG CỘNG SẢN VIỆT NAM" capitals 15 pt bold, with a line under it
as long as the heading (drawn here as an underline); the organisation above capitals
14 pt, the issuing organisation capitals 14 pt bold, with an asterisk below; the place and
date 14 pt italic; the document type ("BIÊN BẢN") capitals 15-16 pt bold; the text
14-15 pt; signatures at the end. The 20-25 / 20-25 / 30-35 / 15-20 mm ranges often quoted
are those of state administrative documents (Nghị định 30/2020/NĐ-CP, Phụ lục I), not of
party documents.

Branches of the mass organisations use the national heading instead of the party's, and
the state margins (their own rules on documents were not checked).
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from chibo.meetings.attendance import meeting_day
from chibo.meetings.minutes import MinutesHeader, duration_minutes, minutes_header
from chibo.meetings.models import AttendanceStatus, Meeting, Minutes
from chibo.orgs import divisions
from chibo.orgs.models import Family

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
# (top, bottom, left, right) in mm: Hướng dẫn 36-HD/VPTW for party documents; the low end
# of the ranges of Nghị định 30/2020/NĐ-CP, Phụ lục I for the mass organisations' minutes.
PARTY_MARGINS_MM = (25, 25, 35, 15)
STATE_MARGINS_MM = (20, 20, 30, 15)


def _run(paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False,
         size: Pt | None = None, underline: bool = False) -> None:  # fmt: skip
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.name = FONT
    run.font.size = size or BODY_SIZE


def _line(
    target: _Cell | DocxDocument,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: Pt | None = None,
    underline: bool = False,
    align: int | None = WD_ALIGN_PARAGRAPH.CENTER,
) -> Paragraph:
    paragraph = target.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(2)
    _run(paragraph, text, bold=bold, italic=italic, size=size, underline=underline)
    return paragraph


def _place(meeting: Meeting) -> str:
    name = divisions.ward_name(meeting.org.ward_code) or divisions.province_name(
        meeting.org.province_code
    )
    for prefix in ("Xã ", "Phường ", "Đặc khu ", "Tỉnh ", "Thành phố "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _date_line(meeting: Meeting) -> str:
    day = meeting_day(meeting)
    text = _("ngày %(d)s tháng %(m)s năm %(y)s") % {
        "d": f"{day.day:02d}",
        "m": day.month,
        "y": day.year,
    }
    place = _place(meeting)
    return f"{place}, {text}" if place else text[:1].upper() + text[1:]


def _heading(document: DocxDocument, header: MinutesHeader) -> None:
    meeting = header.meeting
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.paragraphs[0].text = ""
    right.paragraphs[0].text = ""
    if header.parent:
        _line(left, header.parent.upper())
    _line(left, header.unit.upper(), bold=True)
    _line(left, "*")
    if meeting.org.family == Family.PARTY:
        _line(right, _("ĐẢNG CỘNG SẢN VIỆT NAM"), bold=True, size=Pt(15), underline=True)
    else:
        _line(right, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold=True, size=Pt(13))
        _line(right, _("Độc lập - Tự do - Hạnh phúc"), bold=True, underline=True)
    _line(right, _date_line(meeting), italic=True)


def _paragraph(document: DocxDocument, text: str, *, bold: bool = False) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(10)
    paragraph.paragraph_format.space_after = Pt(4)
    _run(paragraph, text, bold=bold)


def minutes_docx(*, meeting: Meeting, minutes: Minutes) -> bytes:
    """One version of the minutes as DOCX bytes."""
    header = minutes_header(meeting=meeting, minutes=minutes)
    counts = minutes.counts or {}
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, bottom, left, right = (
        PARTY_MARGINS_MM if meeting.org.family == Family.PARTY else STATE_MARGINS_MM
    )
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = BODY_SIZE

    _heading(document, header)
    document.add_paragraph()
    _line(document, _("BIÊN BẢN"), bold=True, size=Pt(16))
    _line(
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
        _line(document, meeting.title, italic=True)
    if minutes.number > 1:
        _line(
            document,
            _("(Phiên bản sửa đổi lần %(number)s: %(reason)s)")
            % {"number": minutes.number - 1, "reason": minutes.correction_reason},
            italic=True,
            size=Pt(12),
        )
    document.add_paragraph()

    start = timezone.localtime(minutes.started_at) if minutes.started_at else header.starts_at
    _paragraph(
        document,
        _("Thời gian: bắt đầu lúc %(time)s, ngày %(day)s.")
        % {
            "time": _("%(hour)s giờ %(minute)s") % {"hour": f"{start:%H}", "minute": f"{start:%M}"},
            "day": f"{header.day:%d/%m/%Y}",
        },
    )
    if header.location:
        _paragraph(document, _("Địa điểm: %(place)s.") % {"place": header.location})
    _paragraph(document, _("Chủ trì: đồng chí %(name)s.") % {"name": header.chair or "…"})
    _paragraph(document, _("Thư ký: đồng chí %(name)s.") % {"name": header.minute_taker or "…"})
    _paragraph(
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
        _paragraph(
            document,
            _("Đảng viên sinh hoạt tạm thời tại chi bộ có mặt: %(n)s/%(total)s.")
            % {"n": counts.get("hosted_present", 0), "total": counts.get("hosted", 0)},
        )
    for row in header.absent:
        if row.status in (AttendanceStatus.EXCUSED, AttendanceStatus.UNEXCUSED):
            reason = f" ({row.reason})" if row.reason else ""
            _paragraph(
                document,
                f"- {row.person.full_name}: {row.get_status_display().lower()}{reason}.",
            )
    if header.guests:
        names = "; ".join(
            f"{guest.name} ({guest.get_role_display().lower()})" for guest in header.guests
        )
        _paragraph(document, _("Khách mời, đại biểu dự: %(names)s.") % {"names": names})

    _paragraph(document, _("NỘI DUNG"), bold=True)
    for number, item in enumerate(header.items, 1):
        _paragraph(document, f"{number}. {item.title}", bold=True)
        for text in (item.note or "…").splitlines():
            if text.strip():
                _paragraph(document, text.strip())
    if minutes.conclusions:
        _paragraph(document, _("Kết luận của chủ trì"), bold=True)
        for text in minutes.conclusions.splitlines():
            if text.strip():
                _paragraph(document, text.strip())
    if minutes.resolutions:
        _paragraph(document, _("Nghị quyết"), bold=True)
        for text in minutes.resolutions.splitlines():
            if text.strip():
                _paragraph(document, text.strip())
    if minutes.ended_at:
        end = timezone.localtime(minutes.ended_at)
        length = duration_minutes(minutes)
        _paragraph(
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
        _line(cell, title, bold=True)
        if signed is not None:
            _line(
                cell,
                _("(Đã ký ngày %(day)s)") % {"day": f"{timezone.localtime(signed):%d/%m/%Y}"},
                italic=True,
                size=Pt(12),
            )
        else:
            _line(cell, _("(Ký, ghi rõ họ tên)"), italic=True, size=Pt(12))
        cell.add_paragraph()
        _line(cell, name, bold=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def minutes_filename(*, meeting: Meeting, minutes: Minutes) -> str:
    day = meeting_day(meeting)
    return f"bien-ban-{meeting.org.code}-{day:%Y-%m-%d}-lan-{minutes.number}.docx"
