"""Sheets built in code for the import tests, and a way to count what the database holds."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from chibo.core.models import AuditEntry
from chibo.imports.sheets import sheet_rows, write_csv, write_ods, write_xlsx
from chibo.people.models import Membership, Person

HEADERS = (
    "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Ngày vào Đảng", "Ngày chính thức",
    "Số thẻ đảng viên", "Chi bộ", "Quê quán", "Ghi chú",
)  # fmt: skip


GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khánh", "Long", "Minh", "Nam")


def good_row(number: int = 1, **changes: Any) -> list[Any]:
    """A valid member of DU-DT-CB01; `changes` replace cells by header."""
    values: dict[str, Any] = {
        "STT": number,
        "Họ và tên": f"Phùng Văn {GIVEN[number % len(GIVEN)]}",
        "Ngày sinh": "05/11/1980",
        "Giới tính": "Nam",
        "Số CCCD": f"01908000{1000 + number:04d}",
        "Ngày vào Đảng": "03/02/2005",
        "Ngày chính thức": "03/02/2006",
        "Số thẻ đảng viên": f"7700{number:04d}",
        "Chi bộ": "DU-DT-CB01",
        "Quê quán": "Đại Từ, Thái Nguyên",
        "Ghi chú": "",
    }
    values.update(changes)
    return [values[header] for header in HEADERS]


def xlsx(
    folder: Path,
    rows: Sequence[Sequence[Any]],
    *,
    headers: Sequence[str] = HEADERS,
    name: str = "danh-sach.xlsx",
    **options: Any,
) -> Path:
    return write_xlsx(folder / name, sheet_rows(headers, rows, **options), merge_title=2)


def ods(folder: Path, rows: Sequence[Sequence[Any]], *, headers: Sequence[str] = HEADERS) -> Path:
    return write_ods(folder / "danh-sach.ods", sheet_rows(headers, rows))


def csv_file(
    folder: Path,
    rows: Sequence[Sequence[Any]],
    *,
    headers: Sequence[str] = HEADERS,
    encoding: str = "utf-8",
    name: str = "danh-sach.csv",
    delimiter: str = ",",
) -> Path:
    return write_csv(
        folder / name, sheet_rows(headers, rows), encoding=encoding, delimiter=delimiter
    )


def counts() -> tuple[int, int, int]:
    return Person.objects.count(), Membership.objects.count(), AuditEntry.objects.count()


def future(days: int = 30) -> str:
    return (datetime.date.today() + datetime.timedelta(days=days)).strftime("%d/%m/%Y")
