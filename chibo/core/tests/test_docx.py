"""The party-document toolkit: page, margins, heading and date line as Hướng dẫn
36-HD/VPTW sets them (and the state's for the mass organisations)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from chibo.core.docx import (
    add_body_paragraph,
    add_heading,
    add_line,
    cell_text,
    date_line,
    document_bytes,
    new_document,
    place_name,
)

DAY = datetime.date(2026, 3, 5)


def reopened(document: Any) -> Any:
    """Read back what a reader opens, not the object in memory."""
    return Document(io.BytesIO(document_bytes(document)))


def margins_mm(document: Any) -> tuple[int, ...]:
    section = document.sections[0]
    edges = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    return tuple(round(edge / Mm(1)) for edge in edges)


def heading_runs(document: Any) -> dict[str, Any]:
    (row,) = document.tables[0].rows
    return {
        run.text: run
        for cell in row.cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
    }


@pytest.mark.parametrize(
    ("party", "margins"), [(True, (25, 25, 35, 15)), (False, (20, 20, 30, 15))]
)
def test_a4_page_margins_and_font(party: bool, margins: tuple[int, ...]) -> None:
    document = reopened(new_document(party=party))
    section = document.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    assert margins_mm(document) == margins
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size == Pt(14)


def test_party_heading() -> None:
    document = new_document(party=True)
    add_heading(
        document,
        parent="Đảng bộ xã Đại Từ",
        unit="Chi bộ xóm Đồng Khuân",
        party=True,
        place=place_name("Xã Đại Từ"),
        day=DAY,
    )
    runs = heading_runs(reopened(document))
    left, right = reopened(document).tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == [
        "ĐẢNG BỘ XÃ ĐẠI TỪ",
        "CHI BỘ XÓM ĐỒNG KHUÂN",
        "*",
    ]
    assert not runs["ĐẢNG BỘ XÃ ĐẠI TỪ"].bold and runs["CHI BỘ XÓM ĐỒNG KHUÂN"].bold
    title = runs["ĐẢNG CỘNG SẢN VIỆT NAM"]
    assert title.bold and title.underline and title.font.size == Pt(15)
    assert title.font.name == "Times New Roman"
    dated = runs["Đại Từ, ngày 05 tháng 3 năm 2026"]
    assert dated.italic and dated.font.size == Pt(14)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in runs
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in right.paragraphs if p.text)


def test_mass_organisation_heading_is_the_national_one_without_a_parent() -> None:
    document = new_document(party=False)
    add_heading(document, parent=None, unit="Hội LHPN xã", party=False, place="", day=DAY)
    runs = heading_runs(reopened(document))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in runs
    assert runs["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"].font.size == Pt(13)
    assert runs["Độc lập - Tự do - Hạnh phúc"].underline
    # No place known: the date line starts with a capital.
    assert "Ngày 05 tháng 3 năm 2026" in runs
    assert [text for text in runs if text][:2] == ["HỘI LHPN XÃ", "*"]


def test_place_and_date_line() -> None:
    assert place_name("Xã Đại Từ") == "Đại Từ"
    assert place_name("Phường Phan Đình Phùng") == "Phan Đình Phùng"
    assert place_name("Tỉnh Thái Nguyên") == "Thái Nguyên"
    assert place_name("Thành phố Hà Nội") == "Hà Nội"
    assert place_name("Đại Từ") == "Đại Từ"
    assert date_line("Đại Từ", datetime.date(2026, 11, 1)) == "Đại Từ, ngày 01 tháng 11 năm 2026"
    assert date_line("", DAY) == "Ngày 05 tháng 3 năm 2026"


def test_lines_paragraphs_and_cells_carry_their_format() -> None:
    document = new_document(party=True)
    add_line(document, "BIÊN BẢN", bold=True, size=Pt(16))
    add_line(document, "Tổng số", align=WD_ALIGN_PARAGRAPH.LEFT)
    add_body_paragraph(document, "Nội dung buổi sinh hoạt.")
    table = document.add_table(rows=1, cols=2)
    cell_text(table.rows[0].cells[0], "1", center=True)
    cell_text(table.rows[0].cells[1], "Nguyễn Văn An", bold=True)
    back = reopened(document)
    title, total, body = back.paragraphs[:3]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].bold and title.runs[0].font.size == Pt(16)
    assert total.alignment == WD_ALIGN_PARAGRAPH.LEFT and total.runs[0].font.size == Pt(14)
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert round(body.paragraph_format.first_line_indent / Mm(1)) == 10
    number, name = back.tables[0].rows[0].cells
    assert number.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert name.paragraphs[0].runs[0].bold and name.paragraphs[0].runs[0].font.size == Pt(13)
