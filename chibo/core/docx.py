"""Word documents in the format of party documents, shared by every DOCX writer.

Hướng dẫn 36-HD/VPTW (03/4/2018) of the Central Party Office on the format of party
documents: A4 paper (210 x 297 mm); the text area of a front page 25 mm from the top and
bottom edges, 35 mm from the left and 15 mm from the right (a back page swaps left and
right; Chibo prints one side); Times New Roman. Sizes from its table of format elements
(Phụ lục): the heading "ĐẢNG CỘNG SẢN VIỆT NAM" capitals 15 pt bold, with a line under it
as long as the heading (drawn here as an underline); the organisation above capitals
14 pt, the issuing organisation capitals 14 pt bold, with an asterisk below; the place and
date 14 pt italic; the document's name capitals 15-16 pt bold; the text 14-15 pt;
signatures at the end. The 20-25 / 20-25 / 30-35 / 15-20 mm ranges often quoted are those
of state administrative documents (Nghị định 30/2020/NĐ-CP, Phụ lục I), not of party
documents.

The mass organisations' documents take the national heading ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA
VIỆT NAM", "Độc lập - Tự do - Hạnh phúc") and the low end of the state margins (their own
rules on documents were not checked).

This module knows nothing of orgs or meetings: callers pass the names, the place and the
day, and say whether the document is a party one.
"""

from __future__ import annotations

import datetime
import io

from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

__all__ = [
    "BODY_SIZE",
    "CELL_SIZE",
    "FONT",
    "NOTE_SIZE",
    "PARTY_MARGINS_MM",
    "STATE_MARGINS_MM",
    "TITLE_SIZE",
    "add_body_paragraph",
    "add_heading",
    "add_line",
    "add_run",
    "cell_text",
    "date_line",
    "document_bytes",
    "new_document",
    "place_name",
]

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
# The document's name ("BIÊN BẢN", "DANH SÁCH"): the top of the 15-16 pt range.
TITLE_SIZE = Pt(16)
# Notes in brackets under a title or a signature ("(Ký, ghi rõ họ tên)").
NOTE_SIZE = Pt(12)
# Text in the cells of a table: one size below the body so four columns fit the width.
CELL_SIZE = Pt(13)
# (top, bottom, left, right) in mm: Hướng dẫn 36-HD/VPTW for party documents; the low end
# of the ranges of Nghị định 30/2020/NĐ-CP, Phụ lục I for the mass organisations.
PARTY_MARGINS_MM = (25, 25, 35, 15)
STATE_MARGINS_MM = (20, 20, 30, 15)

# Administrative words dropped before the place name of the date line: a document is
# dated "Đại Từ, ngày …", not "Xã Đại Từ, ngày …".
_PLACE_PREFIXES = ("Xã ", "Phường ", "Đặc khu ", "Tỉnh ", "Thành phố ")


def new_document(*, party: bool) -> DocxDocument:
    """An empty A4 document with the margins of its document system (party or state) and
    Times New Roman 14 pt as the Normal style."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, bottom, left, right = PARTY_MARGINS_MM if party else STATE_MARGINS_MM
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = BODY_SIZE
    return document


def add_run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: Pt | None = None,
    underline: bool = False,
) -> None:
    """Append text in Times New Roman (body size unless told), set on the run itself so a
    reader's default style cannot change it."""
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.name = FONT
    run.font.size = size or BODY_SIZE


def add_line(
    target: _Cell | DocxDocument,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    size: Pt | None = None,
    underline: bool = False,
    align: int | None = WD_ALIGN_PARAGRAPH.CENTER,
) -> Paragraph:
    """A new paragraph of one run, centred unless told, with a small space after: the
    lines of a heading, a title or a signature block."""
    paragraph = target.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(2)
    add_run(paragraph, text, bold=bold, italic=italic, size=size, underline=underline)
    return paragraph


def add_body_paragraph(document: DocxDocument, text: str, *, bold: bool = False) -> None:
    """A paragraph of the text: justified, its first line indented 10 mm."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(10)
    paragraph.paragraph_format.space_after = Pt(4)
    add_run(paragraph, text, bold=bold)


def cell_text(
    cell: _Cell, text: str, *, bold: bool = False, center: bool = False, size: Pt = CELL_SIZE
) -> None:
    """Write into the first paragraph of a table cell (left, or centred for numbers and
    column titles)."""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    add_run(paragraph, text, bold=bold, size=size)


def place_name(name: str) -> str:
    """The place of the date line from the name of a commune or province: "Xã Đại Từ" ->
    "Đại Từ", "Tỉnh Thái Nguyên" -> "Thái Nguyên"."""
    for prefix in _PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def date_line(place: str, day: datetime.date) -> str:
    """ "Đại Từ, ngày 05 tháng 3 năm 2026" (the day in two digits, the month without a
    leading zero); without a place, "Ngày 05 tháng 3 năm 2026"."""
    text = _("ngày %(d)s tháng %(m)s năm %(y)s") % {
        "d": f"{day.day:02d}",
        "m": day.month,
        "y": day.year,
    }
    return f"{place}, {text}" if place else text[:1].upper() + text[1:]


def add_heading(
    document: DocxDocument,
    *,
    parent: str | None,
    unit: str,
    party: bool,
    place: str,
    day: datetime.date,
) -> None:
    """The two-column heading of the first page: on the left the organisation above
    (capitals), the issuing organisation (bold capitals) and an asterisk; on the right
    "ĐẢNG CỘNG SẢN VIỆT NAM" 15 pt bold underlined (or the national heading for a mass
    organisation) and the place and date in italics."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.paragraphs[0].text = ""
    right.paragraphs[0].text = ""
    if parent:
        add_line(left, parent.upper())
    add_line(left, unit.upper(), bold=True)
    add_line(left, "*")
    if party:
        add_line(right, _("ĐẢNG CỘNG SẢN VIỆT NAM"), bold=True, size=Pt(15), underline=True)
    else:
        add_line(right, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold=True, size=Pt(13))
        add_line(right, _("Độc lập - Tự do - Hạnh phúc"), bold=True, underline=True)
    add_line(right, date_line(place, day), italic=True)


def document_bytes(document: DocxDocument) -> bytes:
    """The finished document as the bytes of a .docx file."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
