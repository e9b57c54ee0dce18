"""The upload check every app shares: extension AND content, size, and the private
storage and download header."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.utils.deconstruct import deconstructible

from chibo.core.tests.upload_samples import DOC, DOCX, HTML, JPG, ODT, PDF, PNG, XLS, XLSX
from chibo.core.uploads import (
    FILE_TYPES,
    PrivateStorage,
    accept_attribute,
    content_disposition,
    content_matches,
    file_types,
    random_stored_name,
    upload_errors,
)

EVERY = FILE_TYPES
SAMPLES = {
    "pdf": PDF, "docx": DOCX, "doc": DOC, "xlsx": XLSX, "xls": XLS, "odt": ODT,
    "jpg": JPG, "jpeg": JPG, "png": PNG,
}  # fmt: skip


def test_every_known_kind_has_a_sample_that_passes() -> None:
    assert set(SAMPLES) == set(FILE_TYPES)
    for extension, data in SAMPLES.items():
        name = f"Tài liệu.{extension.upper()}"
        assert upload_errors(name, len(data), io.BytesIO(data), types=EVERY) == [], name


@pytest.mark.parametrize("extension", sorted(FILE_TYPES))
def test_a_web_page_renamed_to_any_kind_is_refused(extension: str) -> None:
    name = f"Nghị quyết.{extension}"
    (problem,) = upload_errors(name, len(HTML), io.BytesIO(HTML), types=EVERY)
    assert problem.startswith(f"Nội dung tệp “{name}” không phải tệp {FILE_TYPES[extension].label}")
    assert "bị đổi tên hoặc bị hỏng" in problem


def test_an_app_accepts_only_its_own_kinds() -> None:
    pictures = file_types("jpg", "jpeg", "png")
    (problem,) = upload_errors("a.pdf", len(PDF), io.BytesIO(PDF), types=pictures)
    # jpeg is another spelling of jpg: named once.
    assert problem == "Tệp “a.pdf” không nhận được: chỉ nhận tệp JPG, PNG."
    assert accept_attribute(pictures) == ".jpg,.jpeg,.png"
    with pytest.raises(KeyError):
        file_types("exe")


def test_size_from_the_setting_or_given(settings: Any) -> None:
    data = PDF + b"0" * (1024 * 1024)
    settings.PLANS_DOCUMENT_MAX_MB = 1
    (problem,) = upload_errors("lon.pdf", len(data), io.BytesIO(data), types=EVERY)
    assert problem == "Tệp “lon.pdf” nặng 1,0 MB, quá giới hạn 1 MB."
    assert (
        upload_errors("lon.pdf", len(data), io.BytesIO(data), types=EVERY, max_bytes=2 << 20) == []
    )
    (empty,) = upload_errors("trong.pdf", 0, io.BytesIO(b""), types=EVERY)
    assert empty == "Tệp “trong.pdf” trống, không có nội dung."


def test_zip_kinds_are_told_apart_and_the_stream_is_rewound() -> None:
    for extension, wrong in (("docx", XLSX), ("xlsx", DOCX), ("odt", DOCX), ("xls", DOCX)):
        stream = io.BytesIO(wrong)
        assert not content_matches(extension, stream) and stream.tell() == 0
    stream = io.BytesIO(ODT)
    stream.read(5)
    assert content_matches("odt", stream) and stream.tell() == 0


def test_stored_names_are_random_and_keep_only_the_extension() -> None:
    day = datetime.date(2026, 3, 5)
    first = random_stored_name("../../etc/Nghị quyết.PDF", day=day)
    second = random_stored_name("../../etc/Nghị quyết.PDF", day=day)
    assert first.startswith("2026/03/") and first.endswith(".pdf") and first != second
    assert ".." not in first and "ngh" not in first.lower()
    assert "." not in random_stored_name("khong-duoi", day=day)


@deconstructible
class _Storage(PrivateStorage):
    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def directory(self) -> Path:
        return self.folder


def test_private_storage_has_no_url_and_follows_its_folder(tmp_path: Path) -> None:
    storage = _Storage(tmp_path / "a")
    name = storage.save("2026/03/x.pdf", io.BytesIO(PDF))
    assert (tmp_path / "a" / name).read_bytes() == PDF
    with pytest.raises(ValueError, match="scoped download"):
        storage.url(name)
    storage.folder = tmp_path / "b"
    assert not storage.exists(name)
    assert storage.deconstruct()[0].endswith("test_uploads._Storage")


def test_disposition_keeps_the_vietnamese_name_and_an_ascii_fallback() -> None:
    header = content_disposition("Biên bản Đảng ủy.pdf")
    assert header.startswith('attachment; filename="Bien ban Dang uy.pdf"; ')
    assert header.endswith(
        "filename*=utf-8''Bi%C3%AAn%20b%E1%BA%A3n%20%C4%90%E1%BA%A3ng%20%E1%BB%A7y.pdf"
    )
    assert content_disposition("Đồng chí").count('filename="Dong chi"') == 1
