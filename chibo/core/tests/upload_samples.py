"""Small but real files of each accepted kind, for the upload tests of every app."""

from __future__ import annotations

import io
import zipfile

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 20
# Word 97-2003 and Excel 97-2003 files are both OLE2 compound files.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
DOC = OLE2
XLS = OLE2
# A web page, what a renamed "PDF" most often holds.
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zip_of({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})
XLSX = zip_of({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"})
ODT = zip_of({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<o/>"})
