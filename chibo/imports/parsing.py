"""Reading a member sheet: .xlsx, .xls, .ods (python-calamine) or .csv, into rows of text.

What comes out is a `Table`: the header row found among the first ten, a field per
column, and the data rows below it with their row numbers as the spreadsheet shows them,
every text cell in Unicode NFC (old TCVN3 / VNI cells converted), and the rows that are
not people (blank lines, "Tổng cộng", the "(1) (2) (3)" line under the header, a lone
heading) left out.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from chibo.core.exporters import FORMULA_STARTS
from chibo.core.vntext import fold
from chibo.imports import encodings
from chibo.imports.headers import IGNORE, guess_header, match_header

FORMATS = ("xlsx", "xls", "ods", "csv")
FORMAT_LABELS = {
    "xlsx": "Excel (.xlsx)",
    "xls": "Excel 97-2003 (.xls)",
    "ods": "OpenDocument (.ods)",
    "csv": "CSV (.csv)",
}
HEADER_SEARCH_ROWS = 10
Cell = Any  # str | int | float | bool | date | datetime | time | timedelta | None
Progress = Callable[[int, int], None]


class SheetError(Exception):
    """The file cannot be read as a member sheet; the message says why, in Vietnamese."""


@dataclass
class RawSheet:
    rows: list[list[Cell]]
    first_row: int  # spreadsheet row number of rows[0]
    file_format: str
    sheet_name: str = ""
    # For text files: the encoding of the file as a whole.
    file_encoding: str = ""


@dataclass
class Row:
    number: int  # as the spreadsheet shows it (1 = first line)
    cells: list[Cell]


@dataclass
class Table:
    file_format: str
    sheet_name: str
    header_number: int  # spreadsheet row number of the header
    headers: list[str]
    mapping: list[str]  # field key per column, IGNORE when unknown or unwanted
    guessed: list[str]  # the mapping as recognised from the headers
    rows: list[Row]
    file_encoding: str = ""
    # Number of text cells found in each encoding (unicode, tcvn3, vni, cp1258).
    encodings: Counter[str] = field(default_factory=Counter)
    skipped: list[tuple[int, str]] = field(default_factory=list)

    @property
    def unknown_headers(self) -> list[str]:
        return [
            header
            for header, key in zip(self.headers, self.guessed, strict=True)
            if header and not key
        ]


def file_format(filename: str) -> str:
    suffix = Path(filename).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise SheetError(
            _("Tệp “%(name)s” không đọc được: chỉ nhận .xlsx, .xls, .ods hoặc .csv.")
            % {"name": Path(filename).name}
        )
    return suffix


def read_raw(path: Path, *, fmt: str) -> RawSheet:
    if fmt == "csv":
        return _read_csv(path.read_bytes())
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = [
            meta.name for meta in workbook.sheets_metadata if str(meta.visible).endswith("Visible")
        ] or workbook.sheet_names
        for name in names:
            sheet = workbook.get_sheet_by_name(name)
            if sheet.height == 0:
                continue
            rows = sheet.to_python(skip_empty_area=False)
            return RawSheet(rows=list(rows), first_row=1, file_format=fmt, sheet_name=name)
    except SheetError:
        raise
    except Exception as error:  # calamine raises its own error types for broken files
        raise SheetError(
            _("Tệp không mở được như một bảng tính %(format)s (%(reason)s).")
            % {"format": FORMAT_LABELS[fmt], "reason": str(error)[:200]}
        ) from None
    raise SheetError(_("Tệp không có trang tính nào có dữ liệu."))


def _read_csv(data: bytes) -> RawSheet:
    if data.startswith(b"\xef\xbb\xbf"):
        text, encoding = data[3:].decode("utf-8", "replace"), "utf-8-sig"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            # Not UTF-8: Windows Vietnamese (cp1258) or an old font encoding, told apart
            # cell by cell from the raw bytes (latin-1 keeps every byte as it is).
            text, encoding = data.decode("latin-1"), encodings.CP1258
    sample = text[:20_000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # newline="": the csv module itself tells line ends (\r\n, \n, an old Mac's \r) from
    # line breaks inside a quoted cell.
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        if "'" in text:
            rows: list[list[Cell]] = [[_unquote(cell) for cell in row] for row in reader]
        else:
            rows = [list(row) for row in reader]
    except csv.Error as error:
        raise SheetError(
            _(
                "Tệp CSV không đọc được ở dòng %(row)s (%(reason)s): hãy mở bằng Excel và lưu "
                "lại dưới dạng “CSV UTF-8”."
            )
            % {"row": reader.line_num, "reason": str(error)[:120]}
        ) from None
    return RawSheet(rows=rows, first_row=1, file_format="csv", file_encoding=encoding)


def _unquote(cell: str) -> str:
    """Our CSV export (chibo.core.exporters.CsvRenderer, OWASP's advice against formula
    injection) writes "'=x" for "=x" (and for "+x", "-x", "@x"): exactly that one
    apostrophe is taken off again, so that what is exported imports back unchanged. Any
    other apostrophe is text and stays."""
    if len(cell) > 2 and cell[0] == "'" and cell[1] in FORMULA_STARTS:
        return cell[1:]
    return cell


# --- from raw rows to a table ---------------------------------------------------------------

TOTAL_WORDS = frozenset({"tổng cộng", "cộng", "tổng số", "tổng", "tổng cộng toàn chi bộ"})
TOTAL_FOLDED = frozenset({"tong cong", "tong so"})
_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")


def _is_empty(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


class _Uncertain(str):
    """A cell that read as well as it stands as in an old encoding ("Lê Tú", "Chi bé"):
    the file decides later (`_settle_uncertain`), from the cell's own text, `original`."""

    original: str


def _converter(codec: str) -> Callable[[Cell, Counter[str]], Cell]:
    def convert(cell: Cell, counts: Counter[str]) -> Cell:
        if not isinstance(cell, str):
            return cell
        text = cell.strip()
        if not text or text.isascii():
            return text
        reading = encodings.to_unicode(text, codec)
        if reading.certain:
            counts[reading.encoding] += 1
            return reading.text
        counts["uncertain"] += 1
        marked = _Uncertain(reading.text)
        marked.original = text
        return marked

    return convert


def _is_total(cells: Sequence[Cell]) -> bool:
    """A total line: its first text is "Tổng cộng", "Cộng" …"""
    for cell in cells:
        if isinstance(cell, str) and cell.strip():
            text = cell.strip().rstrip(":").strip().lower()
            return text in TOTAL_WORDS or (text.isascii() and fold(text) in TOTAL_FOLDED)
    return False


def _is_numbering(cells: Sequence[Cell]) -> bool:
    """The "(1) (2) (3) …" or "1 2 3 …" line many forms put under the header."""
    values = [str(c).strip() for c in cells if not _is_empty(c)]
    if len(values) < 3 or not all(_NUMBERING.match(v) or _is_int(v) for v in values):
        return False
    numbers = [int(v.strip("()").split(".")[0]) for v in values]
    return numbers == sorted(numbers) and numbers[0] <= 1 and len(set(numbers)) == len(numbers)


def _is_int(value: str) -> bool:
    return re.fullmatch(r"\d{1,2}(\.0)?", value) is not None


def build_table(
    raw: RawSheet, *, mapping: Sequence[str] | None = None, header_number: int | None = None
) -> Table:
    """Find the header, convert the text, keep the rows that are people."""
    codec = "latin-1" if raw.file_encoding == encodings.CP1258 else "cp1252"
    convert = _converter(codec)
    counts: Counter[str] = Counter()
    numbered = list(enumerate(raw.rows, start=raw.first_row))
    # The header is looked for among the first ten rows that hold anything.
    head: list[tuple[int, list[Cell]]] = []
    head_counts: Counter[str] = Counter()
    for number, cells in numbered:
        if any(not _is_empty(c) for c in cells):
            head.append((number, [convert(c, head_counts) for c in cells]))
        if len(head) == HEADER_SEARCH_ROWS:
            break
    # A header such as "Chi bé" reads as Unicode and as TCVN3 ("Chi bộ"): the title
    # lines above it tell which.
    _settle_uncertain([cells for _n, cells in head], head_counts, codec)
    if header_number is not None:
        chosen = [(n, cells) for n, cells in head if n == header_number]
        if not chosen:
            raise SheetError(_("Không tìm thấy dòng tiêu đề %(row)s.") % {"row": header_number})
        header_at, header_cells = chosen[0]
        guessed = [match_header(c) or IGNORE for c in header_cells]
    else:
        guess = guess_header([cells for _n, cells in head])
        if guess is None:
            raise SheetError(
                _(
                    "Không tìm thấy dòng tiêu đề trong %(count)s dòng đầu: cần ít nhất cột "
                    "“Họ và tên” và một cột khác như “Ngày sinh”, “Số CCCD”."
                )
                % {"count": HEADER_SEARCH_ROWS}
            )
        header_at, header_cells = head[guess.index]
        guessed = list(guess.mapping)
    width = max((len(cells) for _n, cells in numbered), default=0)
    headers = [_header_text(c) for c in header_cells] + [""] * (width - len(header_cells))
    guessed += [IGNORE] * (width - len(guessed))
    chosen_mapping = list(mapping) if mapping is not None else list(guessed)
    chosen_mapping = (chosen_mapping + [IGNORE] * width)[:width]
    name_columns = {i for i, key in enumerate(chosen_mapping) if key in NAME_KEYS}
    rows: list[Row] = []
    skipped: list[tuple[int, str]] = []
    for number, cells in numbered:
        if number <= header_at:
            continue
        # Inlined _is_empty: this loop runs over every cell of the sheet.
        filled = [
            i for i, c in enumerate(cells) if c is not None and (type(c) is not str or c.strip())
        ]
        if not filled:
            continue
        # Converted first: a total line typed in an old encoding ("Tæng céng") is
        # recognised too. The cells of the few lines skipped below count towards the
        # file's encodings like any other text of it.
        converted = [c if type(c) is not str else convert(c, counts) for c in cells]
        if _is_total(converted):
            skipped.append((number, _("dòng tổng cộng")))
            continue
        if number <= header_at + 2 and _is_numbering(cells):
            skipped.append((number, _("dòng đánh số cột")))
            continue
        if not any(i < width and chosen_mapping[i] not in ("", "stt") for i in filled):
            continue
        if len(filled) == 1 and not (set(filled) & name_columns):
            skipped.append((number, _("dòng tiêu đề nhóm")))
            continue
        if len(converted) < width:
            converted += [None] * (width - len(converted))
        rows.append(Row(number=number, cells=converted))
    _settle_uncertain([row.cells for row in rows], counts, codec)
    return Table(
        file_format=raw.file_format,
        sheet_name=raw.sheet_name,
        header_number=header_at,
        headers=headers,
        mapping=chosen_mapping,
        guessed=guessed,
        rows=rows,
        file_encoding=raw.file_encoding,
        encodings=counts,
        skipped=skipped,
    )


NAME_KEYS = frozenset({"full_name", "family_middle", "family_name", "given_name"})


def _header_text(cell: Cell) -> str:
    if _is_empty(cell):
        return ""
    return re.sub(r"\s+", " ", str(cell)).strip()


def _settle_uncertain(rows: list[list[Cell]], counts: Counter[str], codec: str) -> None:
    """Cells that read equally well as they stand and in an old encoding ("Thò", "Lê Tú")
    follow the file: converted only when the file's other cells are all in that one
    legacy encoding, never when the file also holds real Unicode text. Only those cells
    are read again: a cell already converted would not survive a second conversion."""
    if counts["uncertain"] == 0:
        return
    legacy = [enc for enc in (encodings.TCVN3, encodings.VNI) if counts[enc]]
    encoding = legacy[0] if len(legacy) == 1 and not counts[encodings.UNICODE] else ""
    for cells in rows:
        for index, cell in enumerate(cells):
            if type(cell) is not _Uncertain:
                continue
            text = str(cell)
            if encoding:
                converted = encodings.reread(cell.original, encoding, codec)
                if converted is not None and converted != cell.original:
                    text = converted
                    counts[encoding] += 1
                    counts["uncertain"] -= 1
            cells[index] = text


def iter_chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- dates --------------------------------------------------------------------------------

EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_YEAR = re.compile(r"^(\d{4})(?:\.0)?$")
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")


class DateProblem(ValueError):
    """The cell is not a date; the message (Vietnamese) says what was expected."""


def parse_date(
    value: Cell, *, allow_year: bool = False, today: datetime.date
) -> tuple[datetime.date | None, bool]:
    """A date from a cell: a real date cell, dd/mm/yyyy, d/m/yy, yyyy-mm-dd, an Excel serial
    number or (for birth) a bare year. Returns (date, year_only)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, False
    if isinstance(value, datetime.datetime):
        return value.date(), False
    if isinstance(value, datetime.date):
        return value, False
    if isinstance(value, bool):
        raise DateProblem(_("không phải ngày"))
    if isinstance(value, int | float):
        number = float(value)
        if number.is_integer() and 1900 <= number <= 2100:
            # Four digits are a year (serials that small fall before 1928).
            return _year(str(int(number)), allow_year=allow_year, today=today), True
        return _serial(number), False
    text = str(value).strip()
    match = _DMY.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) == 2:
            year += 2000 if 2000 + year <= today.year else 1900
        return _make(year, month, day, text), False
    match = _YMD.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return _make(year, month, day, text), False
    match = _YEAR.match(text)
    if match:
        return _year(match.group(1), allow_year=allow_year, today=today), True
    if _SERIAL.match(text):
        return _serial(float(text)), False
    raise DateProblem(
        _("“%(value)s” không phải ngày hợp lệ (ghi dạng ngày/tháng/năm, ví dụ 25/03/1980)")
        % {"value": text}
    )


def _year(text: str, *, allow_year: bool, today: datetime.date) -> datetime.date:
    """A bare year: 1 January of it for a birth (the year is what the CCCD and the age
    rules look at), an error where a full date is needed."""
    if not allow_year:
        raise DateProblem(_("“%(value)s” chỉ có năm, cần đủ ngày/tháng/năm") % {"value": text})
    year = int(text)
    if year < 1900 or year > today.year:
        raise DateProblem(_("năm “%(value)s” không hợp lệ") % {"value": text})
    return datetime.date(year, 1, 1)


def _make(year: int, month: int, day: int, text: str) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise DateProblem(
            _("“%(value)s” không có trong lịch (ngày hoặc tháng sai)") % {"value": text}
        ) from None


def _serial(number: float) -> datetime.date:
    # Serials 1..60 fall on Excel's imaginary 29/02/1900; no member was born that early.
    if not 61 <= number < 2_958_466:
        raise DateProblem(_("số “%(value)s” không phải ngày") % {"value": f"{number:g}"})
    return EXCEL_EPOCH + datetime.timedelta(days=int(number))
