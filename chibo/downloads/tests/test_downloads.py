"""Large XLSX exports: queued by the member list's download link, made by a background
task with the asking user's scope, shown with progress, downloaded by that user only."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command

from chibo.core.exporters import PROGRESS_EVERY
from chibo.core.models import AuditEntry
from chibo.downloads.models import ExportJob, ExportStatus
from chibo.downloads.services import export_files_purge, export_job_run
from chibo.orgs.models import Org
from chibo.people.models import Membership
from chibo.people.selectors import ON_ROLL_STATUSES

SUBTREE = "/orgs/DU-DT/members/export.xlsx?descendants=on"


@pytest.fixture(autouse=True)
def private_export_dir(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "private-exports"
    settings.EXPORT_DIR = folder
    # The demo's lists are small: anything above 20 people counts as large here.
    settings.EXPORT_BACKGROUND_ROWS = 20
    return folder


@pytest.fixture
def immediate_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def subtree_count(code: str) -> int:
    path = Org.objects.get(code=code).path
    return Membership.objects.filter(
        org__path__startswith=path, ended_on__isnull=True, status__in=ON_ROLL_STATUSES
    ).count()


def names_in(data: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row and row[0] == "STT")
    return [str(row[1]) for row in rows[header + 1 :] if row and row[1]]


def test_a_large_xlsx_is_queued_then_made_and_handed_to_its_owner(
    demo, immediate_tasks, django_capture_on_commit_callbacks, private_export_dir
):
    client = demo.client("danguy")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(SUBTREE)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/downloads/{job.pk}/"
    job.refresh_from_db()
    total = subtree_count("DU-DT")
    assert job.status == ExportStatus.DONE, job.message
    assert job.total_rows == job.processed_rows == total
    assert job.created_by == demo.user("danguy") and job.org.code == "DU-DT"
    assert job.params == {"query": "", "status": "", "descendants": True}
    stored = private_export_dir / job.stored_name
    assert stored.is_file() and job.size == stored.stat().st_size
    page = client.get(f"/downloads/{job.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and "Refresh" not in page
    assert f'href="/downloads/{job.pk}/file"' in text and "Tệp đã sẵn sàng" in text
    download = client.get(f"/downloads/{job.pk}/file")
    assert download.status_code == 200
    assert download["Cache-Control"] == "no-store, private"
    assert job.filename in download["Content-Disposition"]
    assert len(names_in(b"".join(download.streaming_content))) == total
    # One audit entry, written when the export was asked for.
    [entry] = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT)
    assert entry.after["via"] == "task" and entry.after["records"] == total
    assert entry.actor == demo.user("danguy")


def test_nobody_else_opens_the_job_or_its_file(
    demo, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        demo.client("danguy").get(SUBTREE)
    job = ExportJob.objects.get()
    # tinhuy reads DU-DT too, admin reads everything: the file is still not theirs.
    for username in ("tinhuy", "admin", "bithu1", "bithu2", "dangvien1", "chihoi1"):
        client = demo.client(username)
        assert client.get(f"/downloads/{job.pk}/").status_code == 404, username
        assert client.get(f"/downloads/{job.pk}/file").status_code == 404, username
    anonymous = demo.client("danguy")
    anonymous.logout()
    assert anonymous.get(f"/downloads/{job.pk}/file").status_code == 302


def test_small_lists_and_csv_stay_immediate(demo):
    client = demo.client("danguy")
    small = client.get("/orgs/DU-DT-CB01/members/export.xlsx")
    assert small.status_code == 200 and small.streaming
    csv = client.get("/orgs/DU-DT/members/export.csv?descendants=on")
    assert csv.status_code == 200 and csv.streaming
    assert not ExportJob.objects.exists()


def test_a_queued_job_shows_progress_and_refreshes(demo, settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    client = demo.client("danguy")
    assert client.get(SUBTREE).status_code == 302
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, processed_rows=100)
    page = client.get(f"/downloads/{job.pk}/")
    text = page.content.decode()
    assert page["Refresh"] == "2"
    assert "<progress" in text and f"100 / {job.total_rows}" in text
    assert client.get(f"/downloads/{job.pk}/file").status_code == 404


def test_the_task_rereads_the_scope_of_the_user(demo, private_export_dir):
    """A job for an org the user cannot (or can no longer) read makes no file."""
    job = ExportJob.objects.create(
        org=demo.org("DU-DT-CB02"),
        created_by=demo.user("bithu1"),
        kind="members",
        file_format="xlsx",
        total_rows=99,
    )
    assert export_job_run(job_id=job.pk) == ExportStatus.FAILED
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "không còn quyền xem" in job.message
    assert not private_export_dir.exists() or not any(private_export_dir.iterdir())
    assert demo.client("bithu1").get(f"/downloads/{job.pk}/").status_code == 404


def test_the_task_reads_only_what_the_user_sees(demo, private_export_dir):
    """bithu1 reads cell 01 only: even a job asked for the whole subtree of its own cell
    holds nobody else."""
    job = ExportJob.objects.create(
        org=demo.org("DU-DT-CB01"),
        created_by=demo.user("bithu1"),
        kind="members",
        file_format="xlsx",
        params={"descendants": True},
    )
    assert export_job_run(job_id=job.pk) == ExportStatus.DONE
    job.refresh_from_db()
    data = (private_export_dir / job.stored_name).read_bytes()
    assert len(names_in(data)) == subtree_count("DU-DT-CB01") == job.processed_rows


def test_progress_is_reported_as_rows_are_written(demo, settings, private_export_dir):
    seen: list[int] = []
    from chibo.people.exports import MemberFilters, MemberListExporter

    exporter = MemberListExporter(
        user=demo.user("admin"), org=demo.org("HLHPN-DT"), filters=MemberFilters(descendants=True)
    )
    exporter.progress = seen.append
    from chibo.core.exporters import export_to_path

    private_export_dir.mkdir()
    export_to_path(exporter, private_export_dir / "hoi.xlsx")
    total = subtree_count("HLHPN-DT")
    assert total > PROGRESS_EVERY
    assert seen == [*range(PROGRESS_EVERY, total + 1, PROGRESS_EVERY), total]


def test_the_job_page_costs_the_same_whatever_its_size(demo, django_assert_max_num_queries):
    client = demo.client("danguy")
    counts = []
    for rows in (10, 100_000):
        job = ExportJob.objects.create(
            org=demo.org("DU-DT"),
            created_by=demo.user("danguy"),
            kind="members",
            file_format="xlsx",
            total_rows=rows,
        )
        with django_assert_max_num_queries(12) as captured:
            assert client.get(f"/downloads/{job.pk}/").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.django_db(transaction=True)
def test_database_backend_and_worker_end_to_end(demo_live, settings, private_export_dir):
    """The real backend: the task waits in the database until `chibo db_worker` runs it."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    client = demo_live.client("danguy")
    response = client.get(SUBTREE)
    job = ExportJob.objects.get()
    assert response["Location"] == f"/downloads/{job.pk}/"
    job.refresh_from_db()
    assert job.status == ExportStatus.QUEUED and job.task_id
    assert DBTaskResult.objects.filter(id=job.task_id).exists()
    assert client.get(f"/downloads/{job.pk}/")["Refresh"] == "2"
    call_command("db_worker", "--batch", "--interval", "0")
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.message
    download = client.get(f"/downloads/{job.pk}/file")
    assert len(names_in(b"".join(download.streaming_content))) == subtree_count("DU-DT")
    assert demo_live.client("tinhuy").get(f"/downloads/{job.pk}/file").status_code == 404


def test_a_job_already_claimed_is_not_run_again(
    demo, immediate_tasks, django_capture_on_commit_callbacks, private_export_dir
):
    with django_capture_on_commit_callbacks(execute=True):
        demo.client("danguy").get(SUBTREE)
    job = ExportJob.objects.get()
    made = sorted(private_export_dir.iterdir())
    # A second worker handed the same id: the status is no longer queued, nothing is made.
    assert export_job_run(job_id=job.pk) == ExportStatus.DONE
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING)
    assert export_job_run(job_id=job.pk) == ExportStatus.RUNNING
    assert sorted(private_export_dir.iterdir()) == made


def test_finished_files_are_deleted_after_the_keeping_days(
    demo, immediate_tasks, django_capture_on_commit_callbacks, private_export_dir, settings
):
    settings.EXPORT_KEEP_DAYS = 7
    with django_capture_on_commit_callbacks(execute=True):
        demo.client("danguy").get(SUBTREE)
    job = ExportJob.objects.get()
    stored = private_export_dir / job.stored_name
    assert job.finished_at is not None and stored.is_file()
    assert export_files_purge(now=job.finished_at + timedelta(days=6)) == 0
    assert stored.is_file()
    assert export_files_purge(now=job.finished_at + timedelta(days=8)) == 1
    job.refresh_from_db()
    assert not stored.exists() and job.stored_name == "" and job.status == ExportStatus.DONE
    client = demo.client("danguy")
    assert client.get(f"/downloads/{job.pk}/file").status_code == 404
    page = client.get(f"/downloads/{job.pk}/").content.decode()
    assert "Tệp không còn" in page and "sau 7 ngày" in page
