"""Files attached to documents: where they are kept, and what is accepted.

The files are kept outside every URL (settings.PLANS_DOCUMENT_DIR, by default
DATA_DIR/documents) and only ever sent by the scoped download view, so a document of one
unit's library never leaks to a reader outside the subtree it was issued for.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

DEFAULT_MAX_MB = 20
HEAD_BYTES = 8


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    label: str


# The kinds of file a committee sends down: official documents (PDF, Word, OpenDocument),
# tables (Excel) and scans of signed paper (JPG/PNG).
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
        FileType("odt", "application/vnd.oasis.opendocument.text", "OpenDocument"),
        FileType("jpg", "image/jpeg", "JPG"),
        FileType("jpeg", "image/jpeg", "JPG"),
        FileType("png", "image/png", "PNG"),
    )
}
ACCEPT = ",".join(f".{ext}" for ext in FILE_TYPES)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
# The part every file of the kind holds, which another zip (or a renamed one) lacks.
_ZIP_MEMBERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def document_dir() -> Path:
    return Path(getattr(settings, "PLANS_DOCUMENT_DIR", Path(settings.DATA_DIR) / "documents"))


def max_bytes() -> int:
    return int(getattr(settings, "PLANS_DOCUMENT_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024


@deconstructible
class DocumentStorage(FileSystemStorage):
    """A file-system storage whose folder is read from the settings at each use (so a test
    or a deployment setting it late is obeyed) and which has no URL."""

    @property
    def base_location(self) -> str:
        return str(document_dir())

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    def url(self, name: str | None) -> str:
        raise ValueError("Document files are only sent by the scoped download view.")


def stored_name(instance: Any, filename: str) -> str:
    """A random name under the month's folder: the reader's file name is kept in the row,
    never trusted as a path."""
    extension = filename.rsplit(".", 1)[-1].lower()
    today = timezone.localdate()
    return f"{today:%Y/%m}/{uuid.uuid4().hex}.{extension}"


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


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
    """Whether the bytes are what the extension says (a renamed file is refused)."""
    stream.seek(0)
    head = stream.read(1024)
    stream.seek(0)
    if extension == "pdf":
        # A PDF may have a few bytes of junk before the header; readers accept 1 KB of it.
        return b"%PDF-" in head
    if extension == "doc":
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


def upload_errors(name: str, size: int, stream: IO[bytes]) -> list[str]:
    """Vietnamese messages for a file that cannot be attached; empty when it can."""
    extension = extension_of(name)
    allowed = ", ".join(sorted({ext.upper() for ext in FILE_TYPES if ext != "jpeg"}))
    if extension not in FILE_TYPES:
        return [
            _("Tệp “%(name)s” không nhận được: chỉ nhận tệp %(allowed)s.")
            % {"name": name, "allowed": allowed}
        ]
    if size == 0:
        return [_("Tệp “%(name)s” trống, không có nội dung.") % {"name": name}]
    limit = max_bytes()
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
            % {"name": name, "label": FILE_TYPES[extension].label, "ext": extension}
        ]
    return []


def content_disposition(name: str) -> str:
    """`attachment` with the Vietnamese name as RFC 5987 `filename*` and, for the rare
    client that ignores it, a plain ASCII `filename` (diacritics dropped, đ → d)."""
    plain = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = re.sub(r'[^\x20-\x7e]|["\\]', "_", plain) or "tai-lieu"
    return f"attachment; filename=\"{plain}\"; filename*=utf-8''{quote(name, safe='')}"
