"""A meeting document is checked as every uploaded document is (chibo.core.uploads): by
extension AND content, within the size limit; a refused file leaves nothing behind."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chibo.core.models import AuditEntry
from chibo.core.tests.upload_samples import DOCX, HTML, PDF, XLS
from chibo.meetings.documents import document_storage, document_upload
from chibo.meetings.models import Meeting, MeetingDocument, MeetingKind
from chibo.meetings.schedule import MeetingData, meeting_create


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def _meeting(org: Any) -> Meeting:
    return meeting_create(
        org=org,
        kind=MeetingKind.REGULAR,
        data=MeetingData(starts_at=timezone.now() + datetime.timedelta(days=3)),
    )


def _files(data_dir: Path) -> list[Path]:
    folder = data_dir / "meetings"
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def _refused(meeting: Meeting, name: str, data: bytes, actor: Any) -> str:
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        document_upload(
            meeting=meeting, title="Tài liệu", upload=SimpleUploadedFile(name, data), actor=actor
        )
    assert not MeetingDocument.objects.filter(meeting=meeting).exists()
    assert AuditEntry.objects.count() == entries
    (message,) = caught.value.message_dict["file"]
    return message


def test_a_fake_pdf_is_refused_naming_the_file_and_nothing_is_written(
    personas: Any, data_dir: Path
) -> None:
    meeting = _meeting(personas.cell_a)
    message = _refused(meeting, "Nghị quyết tháng 3.pdf", HTML, personas.user("alice"))
    assert message == (
        "Nội dung tệp “Nghị quyết tháng 3.pdf” không phải tệp PDF như phần đuôi .pdf: tệp bị "
        "đổi tên hoặc bị hỏng."
    )
    # A Word file renamed .pdf, an Excel one renamed .docx: refused too.
    assert "không phải tệp PDF" in _refused(meeting, "a.pdf", DOCX, None)
    assert "không phải tệp Word" in _refused(meeting, "a.docx", XLS, None)
    assert _files(data_dir) == []


def test_an_oversize_or_empty_file_is_refused(personas: Any, data_dir: Path, settings: Any) -> None:
    meeting = _meeting(personas.cell_a)
    settings.PLANS_DOCUMENT_MAX_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    message = _refused(meeting, "Báo cáo dày.pdf", big, None)
    assert message == "Tệp “Báo cáo dày.pdf” nặng 1,0 MB, quá giới hạn 1 MB."
    assert "trống" in _refused(meeting, "rong.pdf", b"", None)
    assert "chỉ nhận tệp DOC, DOCX, JPG, ODT, PDF, PNG, XLS, XLSX" in _refused(
        meeting, "trang.html", HTML, None
    )
    assert _files(data_dir) == []
    settings.PLANS_DOCUMENT_MAX_MB = 2
    document = document_upload(
        meeting=meeting, title="", upload=SimpleUploadedFile("Báo cáo dày.pdf", big)
    )
    assert document.title == "Báo cáo dày"
    assert (data_dir / "meetings" / document.file.name).read_bytes() == big


def test_good_files_are_kept_privately(personas: Any, data_dir: Path) -> None:
    meeting = _meeting(personas.cell_a)
    alice = personas.user("alice")
    for name, data in (("Kế hoạch.pdf", PDF), ("Bảng điểm.xls", XLS), ("Dự thảo.docx", DOCX)):
        document = document_upload(
            meeting=meeting, title="", upload=SimpleUploadedFile(name, data), actor=alice
        )
        assert (data_dir / "meetings" / document.file.name).read_bytes() == data
        with pytest.raises(ValueError):
            document_storage().url(document.file.name)
    assert MeetingDocument.objects.filter(meeting=meeting).count() == 3


def test_a_download_is_named_by_the_title_and_kept_from_shared_caches(
    personas: Any, data_dir: Path
) -> None:
    meeting = _meeting(personas.cell_a)
    alice = personas.user("alice")
    document = document_upload(
        meeting=meeting,
        title="Nghị quyết tháng 3/2026",
        upload=SimpleUploadedFile("nq.PDF", PDF),
        actor=alice,
    )
    client = Client()
    client.force_login(alice)
    response = client.get(reverse("meeting_document", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Nghi quyet thang 3-2026.pdf"')
    assert "filename*=utf-8''Ngh%E1%BB%8B%20quy%E1%BA%BFt" in disposition
    assert response["Cache-Control"] == "private, no-store"


def test_the_page_shows_the_problem_and_writes_nothing(demo: Any, data_dir: Path) -> None:
    meeting = _meeting(demo.org("DU-DT-CB01"))
    client = demo.client("bithu1")
    response = client.post(
        f"/meetings/{meeting.pk}/",
        {"action": "upload", "title": "", "file": SimpleUploadedFile("Báo cáo.pdf", HTML)},
    )
    assert response.status_code == 200
    assert "Nội dung tệp “Báo cáo.pdf” không phải tệp PDF" in response.content.decode()
    assert not MeetingDocument.objects.filter(meeting=meeting).exists()
    assert _files(data_dir) == []
    done = client.post(
        f"/meetings/{meeting.pk}/",
        {"action": "upload", "title": "", "file": SimpleUploadedFile("Báo cáo.pdf", PDF)},
    )
    assert done.status_code == 302
    assert MeetingDocument.objects.get(meeting=meeting).title == "Báo cáo"
