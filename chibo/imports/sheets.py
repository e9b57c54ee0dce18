"""Writing member sheets the way committees keep them: for tests, the benchmark and the docs.

A title block over merged cells, the header, the "(1) (2) (3)" line, numbered rows and a
total line, as .xlsx (openpyxl), .ods (a minimal OpenDocument package written here) or
.csv in any encoding.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

Value = str | int | float | datetime.date | None

TITLE = ("ĐẢNG BỘ XÃ ĐẠI TỪ", "DANH SÁCH ĐẢNG VIÊN CHI BỘ")


def sheet_rows(
    headers: Sequence[str],
    rows: Sequence[Sequence[Value]],
    *,
    title: Sequence[str] = TITLE,
    numbering: bool = True,
    total: bool = True,
) -> list[list[Value]]:
    """Title lines, a blank line, the header, the column numbers, the rows, a total."""
    width = len(headers)
    out: list[list[Value]] = [[line, *[None] * (width - 1)] for line in title]
    if title:
        out.append([None] * width)
    out.append(list(headers))
    if numbering:
        out.append([f"({index})" for index in range(1, width + 1)])
    out += [list(row) for row in rows]
    if total:
        out.append(["Tổng cộng", f"{len(rows)} đồng chí", *[None] * (width - 2)])
    return out


def write_xlsx(path: Path, table: Sequence[Sequence[Value]], *, merge_title: int = 0) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Danh sách"
    for row in table:
        sheet.append(list(row))
    width = max(len(row) for row in table)
    for index in range(1, merge_title + 1):
        sheet.merge_cells(start_row=index, start_column=1, end_row=index, end_column=width)
    workbook.save(path)
    return path


def write_csv(
    path: Path, table: Sequence[Sequence[Value]], *, encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in table:
        writer.writerow(
            [
                value.strftime("%d/%m/%Y") if isinstance(value, datetime.date) else value
                for value in row
            ]
        )
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_ods(path: Path, table: Sequence[Sequence[Value]]) -> Path:
    """The smallest OpenDocument spreadsheet calamine and LibreOffice open."""
    body: list[str] = []
    for row in table:
        cells = []
        for value in row:
            if value is None or value == "":
                cells.append("<table:table-cell/>")
            elif isinstance(value, datetime.date):
                cells.append(
                    f'<table:table-cell office:value-type="date" office:date-value="'
                    f'{value.isoformat()}"><text:p>{value:%d/%m/%Y}</text:p></table:table-cell>'
                )
            elif isinstance(value, int | float):
                cells.append(
                    f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>"
                )
            else:
                cells.append(
                    f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
                    "</text:p></table:table-cell>"
                )
        body.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Danh sach">'
        + "".join(body)
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path
