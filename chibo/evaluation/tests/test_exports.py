"""The round's downloads: the summary table (XLSX) and the decision list (DOCX); both
scoped, both leave an EXPORT entry."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from chibo.core.models import AuditEntry
from chibo.evaluation.tests.stats_data import StatsData, make_stats_data


@pytest.fixture
def data(demo: Any) -> StatsData:
    return make_stats_data()


def body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def sheet_rows(response: Any) -> list[tuple[Any, ...]]:
    workbook = load_workbook(io.BytesIO(body(response)), read_only=True)
    # Blank lines come back empty: padded to the table's width.
    rows = [
        tuple(row) + (None,) * (16 - len(row))
        for row in workbook.worksheets[0].iter_rows(values_only=True)
    ]
    workbook.close()
    return rows


def test_the_summary_has_a_line_per_unit_and_the_total(demo: Any, data: StatsData) -> None:
    url = f"/evaluation/rounds/{data.round_2024.pk}/summary.xlsx"
    response = demo.client("danguy").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('xep-loai-2024-du-dt.xlsx"')
    rows = sheet_rows(response)
    assert rows[0][0] == "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG"
    header = next(row for row in rows if row[0] == "STT")
    assert header[2] == "Tổng số đảng viên"
    assert header[6] == "Hoàn thành xuất sắc nhiệm vụ"
    by_name = {row[1]: row for row in rows if row[1]}
    cb01 = by_name[demo.org("DU-DT-CB01").name]
    # listed, graded, excluded, pending, then (count, %) per grade, good or above, own grade
    assert cb01[2:6] == (10, 9, 1, 0)
    assert cb01[6:14] == (2, 22.22, 6, 66.67, 1, 11.11, 0, 0.0)
    assert cb01[14] == 88.89 and cb01[15] == "Hoàn thành xuất sắc nhiệm vụ"
    total = by_name[demo.org("DU-DT").name]
    assert total[2:6] == (15, 14, 1, 0) and total[14] == 85.71
    assert total[15] == "Hoàn thành tốt nhiệm vụ"
    units = by_name["Tổ chức đảng"]
    assert units[2:4] == (4, 4) and units[14] == 75.0
    cells = [row for row in rows if isinstance(row[0], int)]
    assert len(cells) == 18  # every cell of the commune, those with no member graded too
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("pk")
    assert entry.actor == demo.user("danguy") and entry.after["records"] == 15


def test_a_cell_officer_takes_the_summary_of_the_cell(demo: Any, data: StatsData) -> None:
    base = f"/evaluation/rounds/{data.round_2024.pk}/summary.xlsx"
    client = demo.client("bithu1")
    # Of the commune's round the secretary reads the cell: asked for or by default.
    for query in ({"org": "DU-DT-CB01"}, {}):
        response = client.get(base, query)
        assert response.status_code == 200
        rows = sheet_rows(response)
        total = next(row for row in rows if row[1] == demo.org("DU-DT-CB01").name)
        assert total[2:6] == (10, 9, 1, 0)
    assert client.get(base, {"org": "DU-DT"}).status_code == 404
    assert client.get(base, {"org": "DU-DT-CB02"}).status_code == 404


def test_scoped_downloads(demo: Any, data: StatsData) -> None:
    for name in ("summary.xlsx", "decision.docx"):
        url = f"/evaluation/rounds/{data.round_2024.pk}/{name}"
        assert demo.client("dangvien1").get(url).status_code == 403
        assert demo.client("dangvien1").get(url, {"org": "DU-DT-CB01"}).status_code == 403
        assert demo.client("chihoi1").get(url).status_code == 404
        # A women's union branch lies outside the party round: 404 even for its reader.
        assert demo.client("danguy").get(url, {"org": "HLHPN-DT"}).status_code == 404
        assert demo.client("tinhuy").get(url).status_code == 200
        missing = f"/evaluation/rounds/{data.round_2024.pk + 999}/{name}"
        assert demo.client("tinhuy").get(missing).status_code == 404


def docx_text(response: Any) -> tuple[list[str], list[list[str]]]:
    document = Document(io.BytesIO(body(response)))
    paragraphs = [p.text for p in document.paragraphs]
    tables = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return paragraphs, tables


def test_the_decision_list_names_every_graded_member(demo: Any, data: StatsData) -> None:
    url = f"/evaluation/rounds/{data.round_2024.pk}/decision.docx"
    response = demo.client("danguy").get(url, {"org": "DU-DT"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('danh-sach-xep-loai-2024-DU-DT.docx"')
    paragraphs, rows = docx_text(response)
    section = Document(io.BytesIO(body(response))).sections[0]
    assert section.page_width is not None and round(section.page_width.mm) == 210
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins if m is not None] == [25, 25, 35, 15]
    heading = rows[0]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in heading[1]
    assert demo.org("DU-DT").name.upper() in heading[0]
    assert "DANH SÁCH" in paragraphs
    assert "DỰ THẢO" not in paragraphs
    lines = [row for row in rows if row[0].isdigit()]
    assert len(lines) == 14
    assert ["STT", "Họ và tên", "Chi bộ", "Mức xếp loại"] in rows
    grades = [row[3] for row in lines]
    assert grades[:3] == ["Hoàn thành xuất sắc nhiệm vụ"] * 3
    assert grades[-1] == "Không hoàn thành nhiệm vụ"
    names = {row[1] for row in lines}
    graded = [e for e in data.members_2024 if e.decided_grade and not e.excluded_rule]
    assert names == {e.person.full_name for e in graded}
    excluded = next(e for e in data.members_2024 if e.excluded_rule)
    assert any(excluded.person.full_name in text for text in paragraphs)
    assert any("Tổng số: 14 đồng chí" in text for text in paragraphs)
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("pk")
    assert entry.after["format"] == "docx" and entry.after["records"] == 15
    assert entry.org_id == demo.org("DU-DT").pk


def test_an_open_round_gives_a_draft(demo: Any, data: StatsData) -> None:
    url = f"/evaluation/rounds/{data.round_2025.pk}/decision.docx"
    paragraphs, rows = docx_text(demo.client("danguy").get(url))
    assert "DỰ THẢO" in paragraphs
    assert len([row for row in rows if row[0].isdigit()]) == 1
