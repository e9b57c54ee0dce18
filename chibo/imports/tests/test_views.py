"""The web flow: upload, preview, mapping, namesakes, confirm, background task, result."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from chibo.core.models import AuditEntry
from chibo.imports.models import ImportJob, ImportStatus
from chibo.imports.tests.helpers import HEADERS, counts, good_row, xlsx
from chibo.people.models import Membership, Person


def upload(client: Any, path: Path, code: str = "DU-DT-CB01") -> Any:
    with path.open("rb") as handle:
        return client.post(f"/orgs/{code}/import/", {"file": handle})


def sheet(tmp_path: Path, rows: list[list[Any]] | None = None, **options: Any) -> Path:
    return xlsx(tmp_path, rows or [good_row(1), good_row(2), good_row(3)], **options)


def test_upload_stores_the_file_privately_and_previews(demo, tmp_path, private_import_dir):
    client = demo.client("bithu1")
    headers = (*HEADERS, "Màu áo")
    rows = [[*good_row(n), "xanh"] for n in (1, 2)]
    response = upload(client, sheet(tmp_path, rows, headers=headers))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    stored = private_import_dir / job.stored_name
    assert stored.is_file()
    static_root = Path(django_settings.BASE_DIR) / "chibo"
    assert static_root not in stored.parents
    assert job.header_row == 4 and job.total_rows == 2
    assert AuditEntry.objects.filter(subject_type="imports.importjob", subject_id=job.pk).exists()
    page = client.get(f"/imports/{job.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Phùng Văn Bình" in text
    assert "“Màu áo”" in text
    assert 'name="col_1"' in text


def test_upload_refuses_other_files(demo, tmp_path):
    client = demo.client("bithu1")
    path = tmp_path / "danh-sach.pdf"
    path.write_bytes(b"%PDF-1.4")
    response = upload(client, path)
    assert response.status_code == 200
    assert "chỉ nhận .xlsx, .xls, .ods hoặc .csv" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_scoping_of_upload_and_jobs(demo, tmp_path):
    bithu1 = demo.client("bithu1")
    upload(bithu1, sheet(tmp_path))
    job = ImportJob.objects.get()
    assert demo.client("bithu2").get("/orgs/DU-DT-CB01/import/").status_code == 404
    assert demo.client("bithu2").get(f"/imports/{job.pk}/").status_code == 404
    assert demo.client("chihoi1").get(f"/imports/{job.pk}/").status_code == 404
    assert demo.client("dangvien1").get("/orgs/DU-DT-CB01/import/").status_code == 403
    assert demo.client("dangvien1").get(f"/imports/{job.pk}/").status_code == 403
    assert demo.client("danguy").get(f"/imports/{job.pk}/").status_code == 200
    before = counts()
    response = demo.client("bithu2").post(f"/imports/{job.pk}/", {"action": "confirm"})
    assert response.status_code == 404
    assert counts() == before


def test_remap_columns(demo, tmp_path):
    client = demo.client("bithu1")
    upload(client, sheet(tmp_path))
    job = ImportJob.objects.get()
    mapping = list(job.mapping)
    data = {f"col_{i}": key for i, key in enumerate(mapping)}
    data.update({"action": "remap", "header_row": "4", "col_9": ""})  # leave out Quê quán
    response = client.post(f"/imports/{job.pk}/", data)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.mapping[9] == "" and job.mapping[1] == "full_name"


def test_confirm_with_errors_writes_nothing(demo, tmp_path, immediate_tasks):
    client = demo.client("bithu1")
    upload(client, sheet(tmp_path, [good_row(1), good_row(2, **{"Ngày sinh": "31/02/1980"})]))
    job = ImportJob.objects.get()
    before = counts()
    response = client.post(f"/imports/{job.pk}/", {"action": "confirm"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Dòng 7, cột “Ngày sinh”: “31/02/1980” không có trong lịch" in text
    job.refresh_from_db()
    assert job.status == ImportStatus.UPLOADED
    assert counts()[:2] == before[:2]


def test_confirm_runs_the_task_and_deletes_the_file(
    demo, tmp_path, immediate_tasks, private_import_dir, django_capture_on_commit_callbacks
):
    client = demo.client("bithu1")
    upload(client, sheet(tmp_path))
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/imports/{job.pk}/", {"action": "confirm"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, (job.message, job.errors)
    assert (job.created_count, job.updated_count) == (3, 0)
    assert not (private_import_dir / job.stored_name).exists()
    assert (
        Membership.objects.filter(card_number__in=["77000001", "77000002", "77000003"]).count() == 3
    )
    page = client.get(f"/imports/{job.pk}/")
    text = page.content.decode()
    assert "Đã nhập xong: 3 người mới" in text
    assert "/orgs/DU-DT-CB01/members/" in text


def test_cancel_deletes_the_file(demo, tmp_path, private_import_dir):
    client = demo.client("bithu1")
    upload(client, sheet(tmp_path))
    job = ImportJob.objects.get()
    response = client.post(f"/imports/{job.pk}/", {"action": "cancel"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.CANCELLED
    assert not (private_import_dir / job.stored_name).exists()


def test_namesake_question_in_the_preview(
    demo, tmp_path, immediate_tasks, django_capture_on_commit_callbacks
):
    other = (
        Membership.objects.current()
        .filter(org__code="DU-DT-CB01", person__birth_date__isnull=False)
        .select_related("person")
        .first()
    )
    assert other is not None and other.person.birth_date is not None
    person = other.person
    row = good_row(
        1,
        **{
            "Họ và tên": person.full_name,
            "Ngày sinh": f"{person.birth_date:%d/%m/%Y}",
            "Giới tính": "",
            "Số CCCD": "",
            "Ngày vào Đảng": "",
            "Ngày chính thức": "",
            "Số thẻ đảng viên": "",
            "Chi bộ": "",
        },
    )
    client = demo.client("bithu1")
    upload(client, sheet(tmp_path, [row]))
    job = ImportJob.objects.get()
    text = client.get(f"/imports/{job.pk}/").content.decode()
    assert 'name="decide_6"' in text and "cập nhật người đã có" in text
    before = Person.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{job.pk}/", {"action": "confirm", "decide_6": str(person.pk)})
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.updated_count == 1
    assert Person.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_database_task_backend_and_worker_end_to_end(
    demo_live, tmp_path, settings, private_import_dir
):
    """The real backend: the task waits in the database until `chibo db_worker` runs it."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    client = demo_live.client("bithu1")
    upload(client, sheet(tmp_path))
    job = ImportJob.objects.get()
    response = client.post(f"/imports/{job.pk}/", {"action": "confirm"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED and job.task_id
    assert DBTaskResult.objects.filter(id=job.task_id).exists()
    page = client.get(f"/imports/{job.pk}/")
    assert page.status_code == 200 and page["Refresh"] == "2"
    assert "<progress" in page.content.decode()
    assert "chibo db_worker" not in page.content.decode()
    # A minute later with no worker running, the page says so.
    ImportJob.objects.filter(pk=job.pk).update(queued_at=timezone.now() - timedelta(minutes=2))
    assert "chibo db_worker" in client.get(f"/imports/{job.pk}/").content.decode()
    call_command("db_worker", "--batch", "--interval", "0")
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, (job.message, job.errors)
    assert job.created_count == 3
    assert Person.objects.filter(citizen_id="019080001002").exists()
    assert not (private_import_dir / job.stored_name).exists()
