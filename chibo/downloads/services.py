"""Large exports: queued by the page, made by a background task into a private folder.

The audit entry is written when the export is asked for (as a page download writes it
when handed out), with the user, the org, the filters, the count and the format; the task
only makes the file, with the scope of the user who asked, read afresh.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.exporters import (
    BaseExporter,
    ExportError,
    Via,
    export_audit,
    export_to_path,
    job_export_builder,
    renderer_for,
)
from chibo.core.roles import Role
from chibo.core.scoping import scope_for
from chibo.downloads.models import ExportJob, ExportStatus
from chibo.orgs.models import Org

if TYPE_CHECKING:
    from chibo.core.models import User

# Above this many rows an XLSX is made in the background: rendering takes about a second
# per 10,000 rows, more than a phone's browser waits without showing anything.
DEFAULT_BACKGROUND_ROWS = 5000
# Finished files hold citizen ids and phone numbers: kept long enough to be fetched, then
# deleted (the job stays, saying so).
DEFAULT_KEEP_DAYS = 7


def background_threshold() -> int:
    return int(getattr(settings, "EXPORT_BACKGROUND_ROWS", DEFAULT_BACKGROUND_ROWS))


def export_dir() -> Path:
    """Outside every URL: files are handed out only by the download view."""
    return Path(getattr(settings, "EXPORT_DIR", Path(settings.DATA_DIR) / "exports"))


def keep_days() -> int:
    return int(getattr(settings, "EXPORT_KEEP_DAYS", DEFAULT_KEEP_DAYS))


def export_file(job: ExportJob) -> Path | None:
    if not job.stored_name:
        return None
    return export_dir() / job.stored_name


def wants_background(exporter: BaseExporter, fmt: str, rows: int) -> bool:
    """Only the XLSX is rendered whole before its first byte; a CSV streams at once."""
    return renderer_for(fmt).extension == "xlsx" and rows > background_threshold()


def export_job_create(
    *,
    user: User,
    org: Org,
    kind: str,
    fmt: str,
    params: dict[str, Any],
    exporter: BaseExporter,
    rows: int,
) -> ExportJob:
    """Queue the export (the task is enqueued when this transaction commits) and write
    its audit entry."""
    renderer_for(fmt)
    with transaction.atomic():
        job = ExportJob.objects.create(
            org=org,
            created_by=user,
            kind=kind,
            file_format=renderer_for(fmt).extension,
            params=params,
            total_rows=rows,
            filename=exporter.filename(fmt),
        )
        export_audit(exporter, fmt, via=Via.TASK)
        job_id = job.pk
        transaction.on_commit(lambda: _enqueue(job_id))
    return job


def _enqueue(job_id: int) -> None:
    from chibo.downloads.tasks import run_export

    result = run_export.enqueue(job_id)
    ExportJob.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


def export_job_run(*, job_id: int) -> str:
    """The background part: re-check the user's right to read the org, make the file
    beside its final name and rename it (complete or absent), record where it is."""
    export_files_purge()
    # Claimed by one conditional UPDATE: two workers handed the same job never both run it.
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=timezone.now()
    )
    job = ExportJob.objects.select_related("org", "created_by").get(pk=job_id)
    if not claimed:
        return str(job.status)
    user = job.created_by
    if not user.is_active or not scope_for(user).can(job.org.path, Role.VIEWER):
        return _fail(job, _("Người yêu cầu không còn quyền xem %(org)s.") % {"org": job.org.name})
    try:
        exporter = job_export_builder(job.kind)(user, job.org, dict(job.params))
        exporter.progress = lambda done: _progress(job.pk, done)
        folder = export_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stored = f"{job.pk}-{secrets.token_hex(8)}.{job.file_format}"
        export_to_path(exporter, folder / stored)
    except ExportError as error:
        return _fail(job, str(error))
    except Exception:
        _fail(job, _("Lỗi khi tạo tệp; hãy thử lại hoặc báo người quản trị."))
        raise
    size = (folder / stored).stat().st_size
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.DONE,
        finished_at=timezone.now(),
        stored_name=stored,
        size=size,
    )
    return str(ExportStatus.DONE)


def _progress(job_id: int, done: int) -> None:
    ExportJob.objects.filter(pk=job_id).update(processed_rows=done)


def _fail(job: ExportJob, message: str) -> str:
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.FAILED, finished_at=timezone.now(), message=message[:500]
    )
    return str(ExportStatus.FAILED)


def export_files_purge(*, now: datetime | None = None) -> int:
    """Delete the files of exports finished more than `keep_days()` ago; the jobs stay,
    saying the file was deleted. Returns how many files were deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=keep_days())
    expired = ExportJob.objects.filter(status=ExportStatus.DONE, finished_at__lt=cutoff).exclude(
        stored_name=""
    )
    purged = 0
    for job in expired.only("pk", "stored_name"):
        path = export_file(job)
        if path is not None:
            path.unlink(missing_ok=True)
        purged += ExportJob.objects.filter(pk=job.pk, stored_name=job.stored_name).update(
            stored_name="",
            message=_("Tệp đã được xóa sau %(days)s ngày để giữ an toàn thông tin cá nhân.")
            % {"days": keep_days()},
        )
    return purged
