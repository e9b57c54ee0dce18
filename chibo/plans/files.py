"""Files attached to documents: where they are kept, and what is accepted.

The files are kept outside every URL (settings.PLANS_DOCUMENT_DIR, by default
DATA_DIR/documents) and only ever sent by the scoped download view, so a document of one
unit's library never leaks to a reader outside the subtree it was issued for. The checks
(extension and content, size limit) and the download header are chibo.core.uploads'.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from chibo.core import uploads
from chibo.core.uploads import content_disposition, content_matches, extension_of

__all__ = [
    "ACCEPT",
    "FILE_TYPES",
    "DocumentStorage",
    "content_disposition",
    "content_matches",
    "document_dir",
    "extension_of",
    "max_bytes",
    "stored_name",
    "upload_errors",
]

# The kinds of file a committee sends down: official documents (PDF, Word, OpenDocument),
# tables (Excel) and scans of signed paper (JPG/PNG).
FILE_TYPES = uploads.file_types("pdf", "docx", "doc", "xlsx", "odt", "jpg", "jpeg", "png")
ACCEPT = uploads.accept_attribute(FILE_TYPES)


def document_dir() -> Path:
    return Path(getattr(settings, "PLANS_DOCUMENT_DIR", Path(settings.DATA_DIR) / "documents"))


def max_bytes() -> int:
    return uploads.max_upload_bytes()


# Decorated here, not only in core: the migrations name this class (and stored_name) by
# their path in this module.
@deconstructible
class DocumentStorage(uploads.PrivateStorage):
    """The documents' folder, outside every URL."""

    def directory(self) -> Path:
        return document_dir()


def stored_name(instance: Any, filename: str) -> str:
    """A random name under the month's folder: the reader's file name is kept in the row,
    never trusted as a path."""
    return uploads.random_stored_name(filename, day=timezone.localdate())


def upload_errors(name: str, size: int, stream: IO[bytes]) -> list[str]:
    """Vietnamese messages for a file that cannot be attached; empty when it can."""
    return uploads.upload_errors(name, size, stream, types=FILE_TYPES)
