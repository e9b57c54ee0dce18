"""Uploaded files: what is accepted, where it is kept, how it is sent back.

Every app that takes a file from a user (the plans' documents, the meetings' documents)
checks it here, so a file is judged by its extension AND by its content: a file named
.pdf holding a web page or a program is refused, with a Vietnamese message naming the
file and the problem. The size limit is one setting for every app.

Accepted files are kept outside every URL (a `PrivateStorage` has no `url()`), under a
name the server chooses, and are only sent back by a scoped download view, with the
Vietnamese file name in the `Content-Disposition` header (`content_disposition`).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

__all__ = [
    "DEFAULT_MAX_MB",
    "FILE_TYPES",
    "MAX_MB_SETTING",
    "FileType",
    "PrivateStorage",
    "accept_attribute",
    "content_disposition",
    "content_matches",
    "extension_of",
    "file_types",
    "max_upload_bytes",
    "random_stored_name",
    "upload_errors",
]

DEFAULT_MAX_MB = 20
# The setting (env DOCUMENT_MAX_MB) was named after the first app that took files; it is
# the limit of every uploaded document.
MAX_MB_SETTING = "PLANS_DOCUMENT_MAX_MB"


@dataclass(frozen=True)
class FileType:
    """One kind of file: its extension (lower case, no dot), the content type it is sent
    with, and the name a reader knows it by (PDF, Word, Excel, ...)."""

    extension: str
    content_type: str
    label: str


# Every kind of file some app accepts; each app takes the ones it needs with file_types().
FILE_TYPES: dict[str, FileType] = {
    row.extension: row
    for row in (
        FileType("pdf", "application/pdf", "PDF"),
        FileType(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word",
        ),
        FileType("doc", "application/msword", "Word"),
        FileType(
            "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"
        ),
        FileType("xls", "application/vnd.ms-excel", "Excel"),
        FileType("odt", "application/vnd.oasis.opendocument.text", "OpenDocument"),
        FileType("jpg", "image/jpeg", "JPG"),
        FileType("jpeg", "image/jpeg", "JPG"),
        FileType("png", "image/png", "PNG"),
    )
}

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
# The part every file of the kind holds, which another zip (or a renamed one) lacks.
_ZIP_MEMBERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Another spelling of an extension: not named again in "chỉ nhận tệp …".
_ALIASES = {"jpeg": "jpg"}


def file_types(*extensions: str) -> dict[str, FileType]:
    """The accepted kinds of an app, by extension, in the order given. An unknown
    extension is a programming error (KeyError), never a silently accepted file."""
    return {extension: FILE_TYPES[extension] for extension in extensions}


def accept_attribute(types: Iterable[str]) -> str:
    """The `accept` attribute of a file input: ".pdf,.docx,…" (a hint to the phone's file
    picker; the server still checks)."""
    return ",".join(f".{extension}" for extension in types)


def extension_of(name: str) -> str:
    """The extension of a file name, lower case without the dot; "" when it has none."""
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def max_upload_bytes() -> int:
    """The largest file accepted, from the settings (read at each use, so a test or a
    deployment setting it late is obeyed)."""
    return int(getattr(settings, MAX_MB_SETTING, DEFAULT_MAX_MB)) * 1024 * 1024


def _zip_is(extension: str, stream: IO[bytes]) -> bool:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if extension == "odt":
                return "mimetype" in names and archive.read("mimetype").strip() == _ODT_MIMETYPE
            return _ZIP_MEMBERS[extension] in names
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False


def content_matches(extension: str, stream: IO[bytes]) -> bool:
    """Whether the bytes are what the extension says (a renamed file is refused). The
    stream is left at its start, ready to be saved."""
    stream.seek(0)
    head = stream.read(1024)
    stream.seek(0)
    if extension == "pdf":
        # A PDF may have a few bytes of junk before the header; readers accept 1 KB of it.
        return b"%PDF-" in head
    if extension in ("doc", "xls"):
        return head.startswith(_OLE2)
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("docx", "xlsx", "odt"):
        if not head.startswith(_ZIP):
            return False
        matched = _zip_is(extension, stream)
        stream.seek(0)
        return matched
    return False


def upload_errors(
    name: str,
    size: int,
    stream: IO[bytes],
    *,
    types: Mapping[str, FileType],
    max_bytes: int | None = None,
) -> list[str]:
    """Vietnamese messages for a file that cannot be accepted; empty when it can.

    Checked in this order, and only the first problem is told: the extension is one of
    `types`, the file is not empty, not larger than `max_bytes` (by default the setting),
    and its content is what the extension says. Nothing is written."""
    extension = extension_of(name)
    allowed = ", ".join(sorted({ext.upper() for ext in types if _ALIASES.get(ext) not in types}))
    if extension not in types:
        return [
            _("Tệp “%(name)s” không nhận được: chỉ nhận tệp %(allowed)s.")
            % {"name": name, "allowed": allowed}
        ]
    if size == 0:
        return [_("Tệp “%(name)s” trống, không có nội dung.") % {"name": name}]
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if size > limit:
        return [
            _("Tệp “%(name)s” nặng %(size)s MB, quá giới hạn %(limit)s MB.")
            % {
                "name": name,
                "size": f"{size / 1024 / 1024:.1f}".replace(".", ","),
                "limit": limit // 1024 // 1024,
            }
        ]
    if not content_matches(extension, stream):
        return [
            _(
                "Nội dung tệp “%(name)s” không phải tệp %(label)s như phần đuôi .%(ext)s: tệp "
                "bị đổi tên hoặc bị hỏng."
            )
            % {"name": name, "label": types[extension].label, "ext": extension}
        ]
    return []


class PrivateStorage(FileSystemStorage):
    """A file-system storage with no URL, whose folder `directory()` is read from the
    settings at each use (so a test or a deployment setting it late is obeyed).

    A subclass says where; it must carry its own `@deconstructible` when a model field
    uses it, or its migrations would name this class instead."""

    def directory(self) -> Path:
        raise NotImplementedError

    @property
    def base_location(self) -> str:
        return str(self.directory())

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    def url(self, name: str | None) -> str:
        raise ValueError("Uploaded files are only sent by a scoped download view.")


def random_stored_name(filename: str, *, day: datetime.date) -> str:
    """A random name under the month's folder ("2026/03/<hex>.pdf"): the reader's file
    name is kept in the row, never trusted as a path."""
    extension = extension_of(filename)
    return f"{day:%Y/%m}/{uuid.uuid4().hex}" + (f".{extension}" if extension else "")


def content_disposition(name: str) -> str:
    """`attachment` with the Vietnamese name as RFC 5987 `filename*` and, for the rare
    client that ignores it, a plain ASCII `filename` (diacritics dropped, đ → d)."""
    plain = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = re.sub(r'[^\x20-\x7e]|["\\]', "_", plain) or "tai-lieu"
    return f"attachment; filename=\"{plain}\"; filename*=utf-8''{quote(name, safe='')}"
