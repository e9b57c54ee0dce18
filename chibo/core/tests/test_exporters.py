"""The exporter interface: rows under columns, rendered to XLSX and CSV, streamed."""

from __future__ import annotations

import csv
import datetime
import io
import tracemalloc
from collections.abc import Iterator, Sequence
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from chibo.core.exporters import (
    BaseExporter,
    CellValue,
    Column,
    CsvRenderer,
    ExportError,
    Kind,
    Renderer,
    export_response,
    export_to_path,
    formats,
    register_renderer,
    renderer_for,
)

BOM = b"\xef\xbb\xbf"


class Roll(BaseExporter):
    """A small list with every kind of cell, and rows made on demand."""

    def __init__(self, rows: Sequence[Sequence[CellValue]] = (), count: int = 0) -> None:
        self._rows = rows
        self.count = count
        self.pulled = 0

    def columns(self) -> Sequence[Column]:
        return [
            Column("STT", 6, Kind.NUMBER),
            Column("Họ và tên", 26),
            Column("Ngày sinh", 12, Kind.DATE),
            Column("Số CCCD", 15, Kind.CODE),
            Column("Nơi ở hiện nay", 30),
        ]

    def rows(self) -> Iterator[Sequence[CellValue]]:
        yield from self._rows
        for number in range(1, self.count + 1):
            self.pulled = number
            yield [number, f"Người thứ {number}", datetime.date(1980, 1, 1), f"{number:012d}", ""]

    def title_lines(self) -> Sequence[str]:
        return ["DANH SÁCH ĐẢNG VIÊN", "Chi bộ xóm Đồng Tiến", "Tính đến ngày 01/07/2025"]

    @property
    def filename_stem(self) -> str:
        return "danh-sach-thu"


ROWS: list[list[CellValue]] = [
    [1, "Đặng Thị Ánh", datetime.date(1979, 2, 28), "001179000123", 'Xóm "Gò", Đại Từ'],
    [2, "Nguyễn Văn Bình", None, "", '=HYPERLINK("http://x")'],
    [3, "Lò Văn Cường\x0b", datetime.date(2001, 12, 31), "019201000045", "dòng 1\ndòng 2"],
]


def render(renderer: Renderer, exporter: BaseExporter) -> bytes:
    out = io.BytesIO()
    renderer.write(exporter, out)
    return out.getvalue()


def xlsx_sheet(body: bytes) -> Worksheet:
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    sheet = workbook.worksheets[0]
    assert isinstance(sheet, Worksheet)
    return sheet


def test_xlsx_has_a_title_block_then_a_bold_header_and_typed_cells() -> None:
    sheet = xlsx_sheet(render(renderer_for("xlsx"), Roll(ROWS)))

    assert [sheet.cell(row, 1).value for row in (1, 2, 3)] == [
        "DANH SÁCH ĐẢNG VIÊN",
        "Chi bộ xóm Đồng Tiến",
        "Tính đến ngày 01/07/2025",
    ]
    assert {str(merged) for merged in sheet.merged_cells.ranges} == {"A1:E1", "A2:E2", "A3:E3"}
    assert sheet["A1"].font.b and sheet["A1"].font.sz == 14
    assert sheet["A1"].alignment.horizontal == "center"
    assert all(sheet.cell(4, col).value is None for col in range(1, 6))

    header = [cell.value for cell in sheet[5]]
    assert header == ["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Nơi ở hiện nay"]
    assert all(cell.font.b for cell in sheet[5])
    assert sheet.print_title_rows == "$5:$5"
    assert sheet.freeze_panes == "C6"
    assert sheet.auto_filter.ref == "A5:E8"
    assert [sheet.column_dimensions[c].width for c in "ABCDE"] == [6, 26, 12, 15, 30]
    assert sheet.page_setup.orientation == "landscape"

    first, second, third = sheet[6], sheet[7], sheet[8]
    assert first[0].value == 1 and first[0].data_type == "n"
    assert first[1].value == "Đặng Thị Ánh"
    assert first[2].value == datetime.datetime(1979, 2, 28)
    assert first[2].number_format == "DD/MM/YYYY"
    # Leading zeros kept: the CCCD is text, formatted as text for whoever edits it.
    assert first[3].value == "001179000123" and first[3].data_type == "s"
    assert first[3].number_format == "@"
    assert first[4].value == 'Xóm "Gò", Đại Từ'
    assert second[2].value is None and second[3].value is None
    # Text that looks like a formula is stored as text, never run.
    assert second[4].value == '=HYPERLINK("http://x")' and second[4].data_type == "s"
    # Control characters (not allowed in XLSX) are dropped, line breaks kept.
    assert third[1].value == "Lò Văn Cường"
    assert third[4].value == "dòng 1\ndòng 2"
    assert all(cell.border.left.style == "thin" for cell in first)
    # Rows grow to show wrapped text instead of letting lines overlap.
    assert sheet.row_dimensions[6].height is None
    assert sheet.row_dimensions[8].height == 2 * 15.75 + 2


def test_xlsx_of_no_rows_still_has_its_header_and_filter() -> None:
    sheet = xlsx_sheet(render(renderer_for("xlsx"), Roll()))
    assert [cell.value for cell in sheet[5]][:2] == ["STT", "Họ và tên"]
    assert sheet.auto_filter.ref == "A5:E5"
    assert sheet.max_row == 5


def test_csv_is_utf8_with_bom_header_first_dates_as_text_and_formulas_defused() -> None:
    body = render(renderer_for("csv"), Roll(ROWS))
    assert body.startswith(BOM)
    text = body[len(BOM) :].decode("utf-8")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["STT", "Họ và tên", "Ngày sinh", "Số CCCD", "Nơi ở hiện nay"]
    assert rows[1] == ["1", "Đặng Thị Ánh", "28/02/1979", "001179000123", 'Xóm "Gò", Đại Từ']
    assert rows[2] == ["2", "Nguyễn Văn Bình", "", "", '\'=HYPERLINK("http://x")']
    assert rows[3][2] == "31/12/2001"
    assert rows[3][4] == "dòng 1\ndòng 2"
    assert len(rows) == 4


def test_csv_escapes_every_formula_start_but_leaves_lone_signs_and_numbers() -> None:
    assert [CsvRenderer._text(v) for v in ("+84 912", "-x", "@SUM(A1)", "=1", "-", "0912")] == [
        "'+84 912",
        "'-x",
        "'@SUM(A1)",
        "'=1",
        "-",
        "0912",
    ]
    assert CsvRenderer._text(None) == ""
    assert CsvRenderer._text(12) == "12"


def test_csv_streams_rows_as_they_come() -> None:
    exporter = Roll(count=2000)
    chunks = renderer_for("csv").chunks(exporter)
    header = next(chunks)
    assert header.startswith(BOM) and exporter.pulled == 0
    first = next(chunks)
    # A few hundred rows per chunk: the first chunk leaves without the rest being read.
    assert 0 < exporter.pulled < 2000
    assert first.count(b"\r\n") == CsvRenderer.rows_per_chunk
    rest = b"".join(chunks)
    assert exporter.pulled == 2000
    assert (header + first + rest).count(b"\r\n") == 2001


def _peak_bytes(rows: int) -> int:
    tracemalloc.start()
    try:
        render(renderer_for("xlsx"), Roll(count=rows))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_xlsx_memory_does_not_grow_with_the_rows() -> None:
    """Write-only mode sends rows to a temporary file: ten times the rows, not ten times
    the memory (a list held in memory would be)."""
    small, large = _peak_bytes(500), _peak_bytes(5000)
    assert large < small * 2, (small, large)


def test_export_response_streams_an_attachment_and_keeps_no_copy() -> None:
    response = export_response(Roll(ROWS), "csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="danh-sach-thu.csv"'
    assert "no-store" in response["Cache-Control"]
    assert response.getvalue().startswith(BOM + b"STT")

    xlsx = export_response(Roll(ROWS), "xlsx")
    assert xlsx["Content-Type"].endswith("spreadsheetml.sheet")
    body = xlsx.getvalue()
    assert xlsx_sheet(body)["B6"].value == "Đặng Thị Ánh"


def test_unknown_format_is_refused_in_vietnamese() -> None:
    with pytest.raises(ExportError, match=r"Không xuất được định dạng “\.pdf”.*\.xlsx, \.csv"):
        renderer_for(".pdf")
    assert renderer_for(".XLSX").extension == "xlsx"


def test_export_to_path_writes_by_extension_and_leaves_nothing_half_written(
    tmp_path: Path,
) -> None:
    target = tmp_path / "ds.csv"
    renderer = export_to_path(Roll(ROWS), target)
    assert renderer.extension == "csv"
    assert target.read_bytes().startswith(BOM)

    class Broken(Roll):
        def rows(self) -> Iterator[Sequence[CellValue]]:
            yield ROWS[0]
            raise RuntimeError("database went away")

    old = target.read_bytes()
    with pytest.raises(RuntimeError):
        export_to_path(Broken(), target)
    assert target.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ds.csv"]

    with pytest.raises(ExportError, match="Thư mục"):
        export_to_path(Roll(ROWS), tmp_path / "missing" / "ds.xlsx")
    with pytest.raises(ExportError, match="định dạng"):
        export_to_path(Roll(ROWS), tmp_path / "ds.txt")


def test_a_new_format_plugs_in_under_its_extension() -> None:
    class Tsv(Renderer):
        extension = "tsv"
        content_type = "text/tab-separated-values"
        label = "TSV"

        def render(self, exporter: BaseExporter, out: io.BytesIO) -> None:  # type: ignore[override]
            for row in exporter.rows():
                out.write("\t".join(str(v) for v in row).encode() + b"\n")

    register_renderer(Tsv())
    try:
        assert "tsv" in formats()
        assert render(renderer_for("tsv"), Roll(ROWS[:1])).startswith(b"1\t")
        assert Roll().filename("tsv") == "danh-sach-thu.tsv"
    finally:
        from chibo.core import exporters

        del exporters._RENDERERS["tsv"]
