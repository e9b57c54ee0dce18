"""The one exporter interface: an exporter says what (columns, rows, a title block), a
renderer says how (XLSX, CSV; DOCX and PDF plug in the same way).

Exports can be province-sized (300,000 members), so nothing here holds a whole list:
rows are pulled from an iterator, the XLSX renderer uses openpyxl's write-only mode
(rows go to a temporary file as they come) and the CSV renderer yields bytes as it goes.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import enum
import getpass
import io
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, ClassVar

from django.db import models
from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from chibo.core.audit import audit_record
from chibo.core.models import AuditEntry

if TYPE_CHECKING:
    from django.core.management.base import CommandParser

# openpyxl's stubs know neither the row dimensions nor the merged cells of write-only
# sheets, which have both.
WriteOnlySheet = Any

CellValue = str | int | float | datetime.date | None

# How dates read in every Vietnamese document, and in the CSV where a date is text.
DATE_FORMAT = "%d/%m/%Y"
XLSX_DATE_FORMAT = "DD/MM/YYYY"
# Official documents are set in Times New Roman (Nghị định 30/2020/NĐ-CP); Excel users
# expect the same font in lists they print and sign.
FONT_NAME = "Times New Roman"
# A spreadsheet program runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_BYTES = 64 * 1024
PROGRESS_EVERY = 1000
# Characters of 12-point Times New Roman per unit of column width (a unit is one "0" of
# the default font), and the height of one line of it, in points; a cautious estimate.
CHARS_PER_WIDTH = 1.05
LINE_POINTS = 15.75


class Kind(enum.Enum):
    TEXT = "text"
    # Identifiers made of digits (CCCD, phone, card numbers): text, so that leading zeros
    # survive, and marked as text so that Excel keeps them so when a cell is edited.
    CODE = "code"
    DATE = "date"
    NUMBER = "number"


@dataclass(frozen=True)
class Column:
    header: str | Promise
    width: float = 14
    kind: Kind = Kind.TEXT


class ExportError(ValueError):
    """A request for an export that cannot be made, with a message for the user."""


class Via(enum.StrEnum):
    """The ways an export leaves the platform, as its audit entry names them."""

    PAGE = "page"
    COMMAND = "command"
    TASK = "task"


@dataclass(frozen=True)
class ExportAudit:
    """What the audit entry of an export says besides its format: who takes which org's
    data, filtered how, and how many records (people, not spreadsheet rows)."""

    actor: models.Model | None
    org: models.Model
    # "danh sách đảng viên", "báo cáo thu đảng phí" …: the start of the entry's summary.
    what: str
    records: int
    # Machine-readable, for whoever reads the entry later; `notes` say the same in words.
    filters: dict[str, Any]
    notes: Sequence[str] = ()


class BaseExporter(ABC):
    """Rows under named columns, with a title block above them.

    Subclasses give `columns()` and `rows()` (an iterator: rows are never all in memory),
    `title_lines()` (the first line is the title) and `filename_stem`.
    """

    sheet_name: ClassVar[str | Promise] = "Danh sách"
    # The language the file is written in, whatever the page's; None: the active one.
    language: ClassVar[str | None] = None
    # Told the number of rows written so far, every PROGRESS_EVERY rows (background
    # exports show a progress bar with it).
    progress: Callable[[int], None] | None = None

    @abstractmethod
    def columns(self) -> Sequence[Column]: ...

    @abstractmethod
    def rows(self) -> Iterator[Sequence[CellValue]]: ...

    @abstractmethod
    def title_lines(self) -> Sequence[str]: ...

    @property
    @abstractmethod
    def filename_stem(self) -> str: ...

    def headers(self) -> list[str]:
        return [str(column.header) for column in self.columns()]

    def tracked_rows(self) -> Iterator[Sequence[CellValue]]:
        """`rows()`, reporting progress on the way: what renderers iterate."""
        report = self.progress
        if report is None:
            yield from self.rows()
            return
        written = 0
        for row in self.rows():
            yield row
            written += 1
            if written % PROGRESS_EVERY == 0:
                report(written)
        report(written)

    def filename(self, fmt: str) -> str:
        return f"{self.filename_stem}.{renderer_for(fmt).extension}"

    def audit(self) -> ExportAudit | None:
        """Who exports what, for the one audit entry every export writes (page, command
        line, background task). An exporter of an org's data must say it; None is only
        for files that carry no one's data (the tests' own lists)."""
        return None


class Renderer(ABC):
    extension: ClassVar[str]
    content_type: ClassVar[str]
    label: ClassVar[str | Promise]

    @abstractmethod
    def render(self, exporter: BaseExporter, out: IO[bytes]) -> None:
        """Render the whole export into a binary file."""

    def write(self, exporter: BaseExporter, out: IO[bytes]) -> None:
        with _language(exporter):
            self.render(exporter, out)

    def chunks(self, exporter: BaseExporter) -> Iterator[bytes]:
        """The export as a stream of bytes; by default rendered into a temporary file
        on disk (not in memory) and read back in chunks."""
        with tempfile.TemporaryFile() as spool:
            self.write(exporter, spool)
            spool.seek(0)
            while chunk := spool.read(CHUNK_BYTES):
                yield chunk


def _language(exporter: BaseExporter) -> contextlib.AbstractContextManager[None]:
    if exporter.language is None:
        return contextlib.nullcontext()
    return translation.override(exporter.language)


def _clean_text(value: str) -> str:
    # Control characters (from old files typed in legacy encodings) are not allowed in XLSX.
    return ILLEGAL_CHARACTERS_RE.sub("", value)


class XlsxRenderer(Renderer):
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    label = "Excel"

    thin = Side(style="thin", color="000000")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)

    def render(self, exporter: BaseExporter, out: IO[bytes]) -> None:
        columns = list(exporter.columns())
        workbook = Workbook(write_only=True)
        workbook.properties.creator = "Chibo"
        title_lines = list(exporter.title_lines())
        workbook.properties.title = title_lines[0] if title_lines else ""
        sheet = workbook.create_sheet(str(exporter.sheet_name)[:31])
        last_column = get_column_letter(len(columns))
        # Widths, frozen panes and print settings must be set before the first row.
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        header_row = len(title_lines) + 2 if title_lines else 1
        sheet.freeze_panes = f"C{header_row + 1}" if len(columns) > 2 else f"A{header_row + 1}"
        sheet.print_title_rows = f"{header_row}:{header_row}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True

        self._title_block(sheet, title_lines, len(columns))
        sheet.row_dimensions[header_row].height = 33
        sheet.append([self._header_cell(sheet, str(column.header)) for column in columns])

        prototypes = [self._data_prototype(sheet, column) for column in columns]
        last_row = header_row
        for row in exporter.tracked_rows():
            last_row += 1
            height = self._row_height(columns, row)
            if height:
                sheet.row_dimensions[last_row].height = height
            sheet.append(
                [
                    self._data_cell(sheet, column, prototype, value)
                    for column, prototype, value in zip(columns, prototypes, row, strict=True)
                ]
            )
            # Written: its height need not be kept (memory stays flat).
            sheet.row_dimensions.pop(last_row, None)
        # The filter covers the header and every data row; it is written after the rows.
        sheet.auto_filter.ref = f"A{header_row}:{last_column}{max(last_row, header_row)}"
        workbook.save(out)

    @staticmethod
    def _row_height(columns: Sequence[Column], row: Sequence[CellValue]) -> float | None:
        """Points for a row whose wrapped text takes several lines. Spreadsheet programs
        do not grow rows by themselves when opening a file, and overlapping lines
        cannot be read or printed."""
        lines = 1
        for column, value in zip(columns, row, strict=False):
            if column.kind is Kind.TEXT and isinstance(value, str) and value:
                per_line = max(int(column.width * CHARS_PER_WIDTH), 1)
                needed = sum(-(-max(len(part), 1) // per_line) for part in value.split("\n"))
                lines = max(lines, needed)
        return lines * LINE_POINTS + 2 if lines > 1 else None

    def _title_block(self, sheet: WriteOnlySheet, lines: list[str], width: int) -> None:
        last_column = get_column_letter(width)
        for number, line in enumerate(lines, start=1):
            cell = WriteOnlyCell(sheet, value=_clean_text(line))
            cell.data_type = "s"
            first = number == 1
            cell.font = Font(
                name=FONT_NAME, bold=number <= 2, italic=number > 2, size=14 if first else 12
            )
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            sheet.row_dimensions[number].height = 24 if first else 19
            sheet.merged_cells.add(f"A{number}:{last_column}{number}")
            sheet.append([cell])
        if lines:
            sheet.append([])

    def _header_cell(self, sheet: WriteOnlySheet, text: str) -> Cell:
        cell = WriteOnlyCell(sheet, value=_clean_text(text))
        cell.data_type = "s"
        cell.font = Font(name=FONT_NAME, bold=True, size=12)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="E7E6E6")
        cell.border = self.grid
        return cell

    def _data_prototype(self, sheet: WriteOnlySheet, column: Column) -> Cell:
        cell = WriteOnlyCell(sheet)
        cell.font = Font(name=FONT_NAME, size=12)
        cell.border = self.grid
        cell.alignment = Alignment(vertical="top", wrap_text=column.kind is Kind.TEXT)
        if column.kind is Kind.DATE:
            cell.number_format = XLSX_DATE_FORMAT
            cell.alignment = Alignment(horizontal="center", vertical="top")
        elif column.kind is Kind.CODE:
            cell.number_format = "@"
        elif column.kind is Kind.NUMBER:
            cell.alignment = Alignment(horizontal="center", vertical="top")
        return cell

    def _data_cell(
        self, sheet: WriteOnlySheet, column: Column, prototype: Cell, value: CellValue
    ) -> Cell:
        if isinstance(value, str):
            value = _clean_text(value)
        stored: Any = value if value != "" else None
        cell = WriteOnlyCell(sheet, value=stored)
        if isinstance(value, str):
            # Text stays text: a value starting with "=" is never turned into a formula.
            cell.data_type = "s"
        # Sharing the column's style record costs a fraction of setting each style anew,
        # which matters at 300,000 rows.
        cell._style = prototype._style  # type: ignore[attr-defined]
        return cell


class CsvRenderer(Renderer):
    """RFC 4180 CSV in UTF-8 with a byte order mark, so that Excel shows the diacritics.

    A CSV has no place for a title block: it starts with the header row, which every
    program (and our own import) reads as such. Dates are dd/mm/yyyy text.
    """

    extension = "csv"
    content_type = "text/csv; charset=utf-8"
    label = "CSV"
    rows_per_chunk = 500

    def render(self, exporter: BaseExporter, out: IO[bytes]) -> None:
        for chunk in self._chunks(exporter):
            out.write(chunk)

    def chunks(self, exporter: BaseExporter) -> Iterator[bytes]:
        # Streamed straight to the client: no temporary file, a few hundred rows at a time.
        with _language(exporter):
            yield from self._chunks(exporter)

    def _chunks(self, exporter: BaseExporter) -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(exporter.headers())
        yield b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
        pending = 0
        buffer.seek(0)
        buffer.truncate()
        for row in exporter.tracked_rows():
            writer.writerow([self._text(value) for value in row])
            pending += 1
            if pending >= self.rows_per_chunk:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
                pending = 0
        if pending:
            yield buffer.getvalue().encode("utf-8")

    @staticmethod
    def _text(value: CellValue) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime.date):
            return value.strftime(DATE_FORMAT)
        if isinstance(value, str):
            # OWASP's defence against formula injection: a leading apostrophe makes a
            # spreadsheet show the text instead of running it.
            if len(value) > 1 and value.startswith(FORMULA_STARTS):
                return "'" + value
            return value
        return str(value)


_RENDERERS: dict[str, Renderer] = {}


def register_renderer(renderer: Renderer) -> None:
    """Plug in a format (DOCX, PDF …) under its file extension."""
    _RENDERERS[renderer.extension] = renderer


register_renderer(XlsxRenderer())
register_renderer(CsvRenderer())


def formats() -> list[str]:
    return list(_RENDERERS)


def renderer_for(fmt: str) -> Renderer:
    renderer = _RENDERERS.get(fmt.lower().lstrip("."))
    if renderer is None:
        raise ExportError(
            _("Không xuất được định dạng “%(fmt)s”; chỉ xuất được: %(known)s.")
            % {"fmt": fmt, "known": ", ".join(f".{name}" for name in _RENDERERS)}
        )
    return renderer


def export_to_path(exporter: BaseExporter, path: Path) -> Renderer:
    """Write the export to `path`, in the format its extension names. The file appears
    complete or not at all: it is written beside the target and renamed over it."""
    renderer = renderer_for(path.suffix)
    if not path.parent.is_dir():
        raise ExportError(_("Thư mục “%(folder)s” không tồn tại.") % {"folder": str(path.parent)})
    with tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False
    ) as partial:
        partial_path = Path(partial.name)
        try:
            renderer.write(exporter, partial)
        except BaseException:
            partial.close()
            partial_path.unlink(missing_ok=True)
            raise
    partial_path.replace(path)
    return renderer


def export_audit(exporter: BaseExporter, fmt: str, *, via: Via) -> AuditEntry | None:
    """The audit entry of one export: who, which org, which filters, how many records, in
    which format and by which way. Written when the export is handed out, so an aborted
    download still leaves its trace."""
    details = exporter.audit()
    if details is None:
        return None
    renderer = renderer_for(fmt)
    # The command line's operator is no saved user: the entry names the server account.
    actor = details.actor if details.actor is not None and details.actor.pk else None
    after: dict[str, Any] = {
        "what": details.what,
        "format": renderer.extension,
        "records": details.records,
        "filters": details.filters,
        "via": str(via),
        "file": exporter.filename(fmt),
    }
    if actor is None and via is Via.COMMAND:
        after["server_account"] = _server_account()
    summary = _("Xuất %(what)s của %(org)s: %(count)s người, tệp %(format)s") % {
        "what": details.what,
        "org": str(details.org),
        "count": details.records,
        "format": str(renderer.label),
    }
    if details.notes:
        summary += " (" + "; ".join(details.notes) + ")"
    if via is Via.COMMAND:
        summary += " — " + _("bằng dòng lệnh trên máy chủ")
    return audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        subject=details.org,
        org_id=details.org.pk,
        summary=summary,
        after=after,
    )


def _server_account() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        # A container may run under an id with no name.
        return ""


def export_response(exporter: BaseExporter, fmt: str) -> StreamingHttpResponse:
    """A download of the export, streamed as it is rendered; its audit entry is written
    first."""
    renderer = renderer_for(fmt)
    export_audit(exporter, fmt, via=Via.PAGE)
    response = StreamingHttpResponse(renderer.chunks(exporter), content_type=renderer.content_type)
    response["Content-Disposition"] = str(
        content_disposition_header(as_attachment=True, filename=exporter.filename(fmt))
    )
    # Personal data: neither the browser nor a proxy keeps a copy.
    response["Cache-Control"] = "no-store, private"
    return response


def date_text(value: datetime.date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


# --- `chibo export KIND …`: each app registers what it can export from the command line


@dataclass(frozen=True)
class CliExport:
    name: str
    help: str | Promise
    add_arguments: Callable[[CommandParser], None]
    # Options of the command line -> an exporter; raises ExportError on bad options.
    build: Callable[[dict[str, Any]], BaseExporter]
    # What was written, for the command's last line.
    summary: Callable[[BaseExporter], str]


_CLI_EXPORTS: dict[str, CliExport] = {}


def register_cli_export(
    name: str,
    *,
    help: str | Promise,
    add_arguments: Callable[[CommandParser], None],
    build: Callable[[dict[str, Any]], BaseExporter],
    summary: Callable[[BaseExporter], str],
) -> None:
    """Called by an app's `exports` module, which `chibo export` imports at start."""
    _CLI_EXPORTS[name] = CliExport(name, help, add_arguments, build, summary)


def cli_exports() -> list[CliExport]:
    return sorted(_CLI_EXPORTS.values(), key=lambda export: export.name)


# --- exports made in the background: each app registers how to rebuild its exporter


# (user, org, filters as stored on the job) -> the exporter, read with that user's scope.
JobExportBuilder = Callable[[Any, Any, dict[str, Any]], BaseExporter]

_JOB_EXPORTS: dict[str, JobExportBuilder] = {}


def register_job_export(kind: str, build: JobExportBuilder) -> None:
    """Called by an app's `exports` module: how a background task rebuilds an export
    from the ids and plain values it was given."""
    _JOB_EXPORTS[kind] = build


def job_export_builder(kind: str) -> JobExportBuilder:
    if kind not in _JOB_EXPORTS:
        autodiscover_modules("exports")
    try:
        return _JOB_EXPORTS[kind]
    except KeyError:
        raise ExportError(_("Không có loại dữ liệu xuất “%(kind)s”.") % {"kind": kind}) from None
