"""Files attached to documents: what is accepted, where it goes, who may download it."""

from __future__ import annotations

import io
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chibo.core.models import AuditEntry
from chibo.core.tests.upload_samples import DOC, DOCX, ODT, PDF, PNG, XLSX
from chibo.plans.files import content_disposition, content_matches, upload_errors
from chibo.plans.models import Document, DocumentRead, Theme
from chibo.plans.services import DocumentData, ThemeData, document_add, theme_issue

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _document_dir(settings: Any, tmp_path: Path) -> Path:
    settings.PLANS_DOCUMENT_DIR = tmp_path / "documents"
    return tmp_path / "documents"


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "data"),
    [("a.pdf", PDF), ("a.docx", DOCX), ("a.doc", DOC), ("a.xlsx", XLSX), ("a.odt", ODT),
     ("a.png", PNG), ("scan.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20)],
)  # fmt: skip
def test_each_accepted_kind_passes_by_extension_and_content(name: str, data: bytes) -> None:
    assert upload_errors(name, len(data), io.BytesIO(data)) == []


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("virus.exe", b"MZ\x90\x00", "chỉ nhận tệp"),
        ("trang.html", b"<html>", "chỉ nhận tệp"),
        ("khong-duoi", PDF, "chỉ nhận tệp"),
        ("gia.pdf", b"<html><script>", "không phải tệp PDF"),
        ("gia.docx", XLSX, "không phải tệp Word"),
        ("gia.xlsx", DOCX, "không phải tệp Excel"),
        ("gia.odt", DOCX, "không phải tệp OpenDocument"),
        ("anh.png", PDF, "không phải tệp PNG"),
        ("gia.doc", DOCX, "không phải tệp Word"),
        ("trong.pdf", b"", "trống"),
    ],
)
def test_wrong_files_are_refused_with_the_problem_named(name: str, data: bytes, words: str) -> None:
    problems = upload_errors(name, len(data), io.BytesIO(data))
    assert len(problems) == 1 and words in problems[0] and name in problems[0]


def test_size_limit_comes_from_the_settings(settings: Any) -> None:
    settings.PLANS_DOCUMENT_MAX_MB = 1
    data = PDF + b"0" * (1024 * 1024)
    (problem,) = upload_errors("lon.pdf", len(data), io.BytesIO(data))
    assert "quá giới hạn 1 MB" in problem and "1,0 MB" in problem
    settings.PLANS_DOCUMENT_MAX_MB = 2
    assert upload_errors("lon.pdf", len(data), io.BytesIO(data)) == []


def test_disposition_keeps_the_vietnamese_name_and_an_ascii_fallback() -> None:
    header = content_disposition('Đề cương "mới" 100%.pdf')
    assert header.startswith('attachment; filename="De cuong _moi_ 100%.pdf"; ')
    encoded = "%C4%90%E1%BB%81%20c%C6%B0%C6%A1ng%20%22m%E1%BB%9Bi%22%20100%25.pdf"
    assert header.endswith(f"filename*=utf-8''{encoded}")


def test_content_check_leaves_the_stream_at_its_start() -> None:
    stream = io.BytesIO(DOCX)
    assert content_matches("docx", stream) and stream.tell() == 0


def test_service_stores_the_file_outside_urls_with_a_random_name(
    demo: Any, _document_dir: Path
) -> None:
    org = demo.org("DU-DT")
    document = document_add(
        org=org,
        data=DocumentData(
            kind="resolution", title="Nghị quyết", file=_upload("Nghị quyết số 5 đảng ủy.pdf", PDF)
        ),
    )
    document.refresh_from_db()
    assert document.file_name == "Nghị quyết số 5 đảng ủy.pdf" and document.file_size == len(PDF)
    stored = _document_dir / document.file.name
    assert stored.read_bytes() == PDF
    assert stored.suffix == ".pdf" and "ngh" not in stored.name.lower()
    entries = AuditEntry.objects.filter(subject_type="plans.document")
    entry = entries.filter(subject_id=str(document.pk)).latest("pk")
    assert entry.after["file"] == "Nghị quyết số 5 đảng ủy.pdf"


def test_a_file_is_enough_without_body_or_link_and_a_bad_one_writes_nothing(
    demo: Any, _document_dir: Path
) -> None:
    org = demo.org("DU-DT")
    before = Document.objects.count()
    with pytest.raises(ValidationError) as caught:
        document_add(
            org=org, data=DocumentData(kind="plan", title="Kế hoạch", file=_upload("x.pdf", DOCX))
        )
    assert "không phải tệp PDF" in caught.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as caught:
        theme_issue(
            org=org,
            data=ThemeData(kind="annual", title="Chuyên đề", year=TODAY.year),
            document=DocumentData(kind="plan", title="Kế hoạch", file=_upload("x.exe", b"MZ")),
        )
    assert "chỉ nhận tệp" in caught.value.message_dict["document_file"][0]
    assert Document.objects.count() == before and not Theme.objects.filter(title="Chuyên đề")
    assert not _document_dir.exists() or not any(p.is_file() for p in _document_dir.rglob("*"))


def test_committee_uploads_and_a_cell_member_downloads(demo: Any) -> None:
    danguy = demo.client("danguy")
    response = danguy.post(
        "/orgs/DU-DT/plans/themes/new/",
        {
            "kind": "annual", "title": "Chuyên đề có tệp", "year": TODAY.year,
            "issued_on": TODAY.strftime("%d/%m/%Y"), "document_kind": "plan",
            "document_title": "Kế hoạch 12-KH/ĐU",
            "document_file": _upload("Kế hoạch học tập.pdf", PDF),
        },
    )  # fmt: skip
    assert response.status_code == 302
    document = Theme.objects.get(title="Chuyên đề có tệp").documents.get()
    page = demo.client("bithu1").get(f"/orgs/DU-DT-CB01/library/{document.pk}/")
    url = f"/orgs/DU-DT-CB01/library/{document.pk}/file/"
    assert url in page.content.decode()
    download = demo.client("dangvien1").get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="Ke hoach hoc tap.pdf"' in disposition
    assert "filename*=utf-8''" + urllib.parse.quote("Kế hoạch học tập.pdf") in disposition
    assert download["Cache-Control"] == "private, no-store"
    # Downloading is not confirming: reads stay what members confirm.
    assert not DocumentRead.objects.filter(document=document).exists()


def test_download_is_scoped(demo: Any) -> None:
    document = document_add(
        org=demo.org("DU-DT-CB01"),
        data=DocumentData(kind="plan", title="Của chi bộ 1", file=_upload("a.pdf", PDF)),
    )
    url = f"/orgs/DU-DT-CB01/library/{document.pk}/file/"
    assert demo.client("bithu1").get(url).status_code == 200
    assert demo.client("danguy").get(url).status_code == 200
    # Another cell, another tree, a unit below that the document does not reach.
    assert demo.client("bithu2").get(url).status_code == 404
    other = f"/orgs/DU-DT-CB02/library/{document.pk}/file/"
    assert demo.client("bithu2").get(other).status_code == 404
    assert demo.client("chihoi1").get(url).status_code == 404
    # No file attached: 404, not an error.
    plain = document_add(
        org=demo.org("DU-DT"), data=DocumentData(kind="plan", title="Chữ", body="Nội dung")
    )
    empty = f"/orgs/DU-DT-CB01/library/{plain.pk}/file/"
    assert demo.client("bithu1").get(empty).status_code == 404


def test_library_upload_shows_the_problem_in_vietnamese(demo: Any) -> None:
    client = demo.client("bithu1")
    response = client.post(
        "/orgs/DU-DT-CB01/library/",
        {"kind": "material", "title": "Ảnh chụp", "issued_on": TODAY.strftime("%d/%m/%Y"),
         "file": _upload("anh.png", PDF)},
    )  # fmt: skip
    assert response.status_code == 200
    assert "không phải tệp PNG" in response.content.decode()
    assert not Document.objects.filter(title="Ảnh chụp").exists()
    ok = client.post(
        "/orgs/DU-DT-CB01/library/",
        {"kind": "material", "title": "Ảnh chụp", "issued_on": TODAY.strftime("%d/%m/%Y"),
         "file": _upload("anh.png", PNG)},
    )  # fmt: skip
    assert ok.status_code == 302
    assert Document.objects.get(title="Ảnh chụp").file_name == "anh.png"
