"""Importing member sheets: upload, preview, confirm, run; and the command-line import.

All or nothing: the sheet is read and every row checked first; with any problem nothing
is written. Then everything is written in one transaction with batched inserts and
updates and one audit entry per person (bulk-created), plus one for the import itself.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import json
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.audit import audit_record, snapshot
from chibo.core.models import AuditEntry
from chibo.core.roles import Role
from chibo.core.scoping import scope_for
from chibo.imports.headers import FIELDS_BY_KEY, IGNORE
from chibo.imports.models import ImportJob, ImportStatus
from chibo.imports.parsing import (
    FORMAT_LABELS,
    SheetError,
    Table,
    build_table,
    file_format,
    iter_chunks,
    read_raw,
)
from chibo.imports.validation import NEW, Plan, PlannedRow, Problem, check_table
from chibo.imports.writing import Inserter, json_safe, tune_sqlite
from chibo.orgs.models import Org
from chibo.people.models import Membership, MembershipStatus, Person
from chibo.people.services import PERSON_FIELDS

if TYPE_CHECKING:
    from chibo.core.models import User
    from chibo.core.scoping import AnyUser

BATCH = 2_000
KEPT_ERRORS = 500
Progress = Callable[[str, int, int], None]


def _quiet(stage: str, done: int, total: int) -> None:
    return None


@contextlib.contextmanager
def bulk_work() -> Iterator[None]:
    """No cyclic garbage collection while a sheet is read, checked and written: the
    collector would walk the million cells again and again (a fifth of the time of a
    100,000-row import) to find no cycles; it runs once at the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def import_dir() -> Path:
    """Where uploaded sheets wait: a private folder, never served under a URL."""
    path = Path(settings.IMPORT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def job_file(job: ImportJob) -> Path:
    return import_dir() / job.stored_name


# --- progress, readable by other processes while the import's transaction is open ------


def progress_file(job_id: int) -> Path:
    return import_dir() / f"job-{job_id}.progress.json"


def _progress_writer(job_id: int) -> Progress:
    """Progress goes to a small file: the import writes in one transaction, so a progress
    column in the database would stay invisible to the status page until the end."""
    last = [0.0]

    def report(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < 0.3 and done < total:
            return
        last[0] = now
        target = progress_file(job_id)
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps({"stage": stage, "done": done, "total": total}))
        temporary.replace(target)

    return report


def read_progress(job: ImportJob) -> dict[str, Any]:
    try:
        data = json.loads(progress_file(job.pk).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


# --- reading and checking ---------------------------------------------------------------


def read_table(
    path: Path,
    *,
    filename: str,
    mapping: Sequence[str] | None = None,
    header_row: int | None = None,
) -> Table:
    fmt = file_format(filename)
    raw = read_raw(path, fmt=fmt)
    return build_table(raw, mapping=mapping, header_number=header_row)


@dataclass
class Preview:
    table: Table | None
    plan: Plan | None
    error: str = ""
    sample: list[list[str]] = field(default_factory=list)


def _sample(table: Table, count: int = 10) -> list[list[str]]:
    rows = []
    for row in table.rows[:count]:
        cells = [str(row.number)]
        for cell in row.cells[: len(table.headers)]:
            if isinstance(cell, datetime.datetime | datetime.date):
                cells.append(cell.strftime("%d/%m/%Y"))
            elif isinstance(cell, float) and cell.is_integer():
                cells.append(str(int(cell)))
            else:
                cells.append("" if cell is None else str(cell))
        rows.append(cells)
    return rows


def import_job_preview(*, job: ImportJob, user: AnyUser) -> Preview:
    """The sheet as read with the job's mapping, and every problem the rows have."""
    try:
        table = read_table(
            job_file(job),
            filename=job.filename,
            mapping=job.mapping or None,
            header_row=job.header_row,
        )
    except (SheetError, OSError) as error:
        return Preview(table=None, plan=None, error=_describe(error))
    plan = check_table(table, org=job.org, user=user, decisions=_decisions(job.decisions))
    return Preview(table=table, plan=plan, sample=_sample(table))


def _describe(error: Exception) -> str:
    if isinstance(error, SheetError):
        return str(error)
    return _("Tệp đã tải lên không còn đọc được; hãy tải lên lại.")


def _decisions(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    return {str(key): str(value) for key, value in raw.items()}


# --- the web flow -------------------------------------------------------------------------

MAX_UPLOAD_BYTES_DEFAULT = 50 * 1024 * 1024


@transaction.atomic
def import_job_create(*, org: Org, upload: UploadedFile, actor: User | None) -> ImportJob:
    """Keep an uploaded sheet privately and open an import job for it."""
    name = Path(upload.name or "").name
    try:
        fmt = file_format(name)
    except SheetError as error:
        raise ValidationError({"file": str(error)}) from None
    limit = int(getattr(settings, "IMPORT_MAX_BYTES", MAX_UPLOAD_BYTES_DEFAULT))
    if upload.size and upload.size > limit:
        raise ValidationError(
            {
                "file": _("Tệp lớn quá %(mb)s MB; hãy chia nhỏ danh sách.")
                % {"mb": limit // (1024 * 1024)}
            }
        )
    if not upload.size:
        raise ValidationError({"file": _("Tệp rỗng, không có dữ liệu.")})
    if not org.is_active:
        raise ValidationError(
            {"file": _("%(org)s đã kết thúc hoạt động, không nhập thêm được.") % {"org": org.name}}
        )
    stored = f"{uuid.uuid4().hex}.{fmt}"
    target = import_dir() / stored
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    job = ImportJob.objects.create(
        org=org,
        created_by=actor,
        filename=name[:255],
        stored_name=stored,
        size=upload.size or 0,
        file_format=fmt,
    )
    try:
        table = read_table(target, filename=name)
    except SheetError as error:
        target.unlink(missing_ok=True)
        raise ValidationError({"file": str(error)}) from None
    job.header_row = table.header_number
    job.mapping = table.mapping
    job.total_rows = len(table.rows)
    job.save(update_fields=["header_row", "mapping", "total_rows"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=job,
        org_id=org.pk,
        summary=_("Tải lên tệp “%(name)s” để nhập vào %(org)s (%(rows)s dòng)")
        % {"name": job.filename, "org": org.name, "rows": job.total_rows},
    )
    return job


def _require_open(job: ImportJob) -> None:
    if job.status != ImportStatus.UPLOADED:
        raise ValidationError(
            {"mapping": _("Lần nhập này đã %(status)s.") % {"status": job.get_status_display()}}
        )


@transaction.atomic
def import_job_remap(
    *, job: ImportJob, mapping: Sequence[str], header_row: int | None, actor: User | None
) -> ImportJob:
    """The user's choice of field per column (and of the header row)."""
    _require_open(job)
    cleaned = [key if key in FIELDS_BY_KEY else IGNORE for key in mapping]
    before = {"mapping": job.mapping, "header_row": job.header_row}
    if header_row is not None and header_row != job.header_row:
        # Another header row: its own headers are recognised afresh.
        table = read_table(job_file(job), filename=job.filename, header_row=header_row)
        job.header_row, job.mapping = header_row, table.mapping
    else:
        job.mapping = cleaned
    job.decisions = {}
    job.save(update_fields=["mapping", "header_row", "decisions"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        subject=job,
        org_id=job.org_id,
        summary=_("Sửa cách đọc cột của tệp “%(name)s”") % {"name": job.filename},
        before=before,
        after={"mapping": job.mapping, "header_row": job.header_row},
    )
    return job


def import_job_confirm(
    *, job: ImportJob, decisions: dict[str, str], user: AnyUser, actor: User | None
) -> Preview:
    """Check the sheet once more with the user's answers; with no problem left, queue the
    import (the task is enqueued when this transaction commits)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        _require_open(job)
        job.decisions = decisions
        job.save(update_fields=["decisions"])
        preview = import_job_preview(job=job, user=user)
        if preview.plan is None or not preview.plan.ok:
            return preview
        job.status = ImportStatus.QUEUED
        job.queued_at = timezone.now()
        job.total_rows = len(preview.plan.rows)
        job.save(update_fields=["status", "queued_at", "total_rows"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            subject=job,
            org_id=job.org_id,
            summary=_("Xác nhận nhập tệp “%(name)s”: %(new)s người mới, %(old)s cập nhật")
            % {"name": job.filename, "new": preview.plan.creates, "old": preview.plan.updates},
            after={"status": job.status, "decisions": decisions},
        )
        job_id = job.pk
        transaction.on_commit(lambda: _enqueue(job_id))
    return preview


def _enqueue(job_id: int) -> None:
    from chibo.imports.tasks import run_import

    result = run_import.enqueue(job_id)
    ImportJob.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


@transaction.atomic
def import_job_cancel(*, job: ImportJob, actor: User | None) -> ImportJob:
    _require_open(job)
    job.status = ImportStatus.CANCELLED
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at"])
    _discard_files(job)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.END,
        subject=job,
        org_id=job.org_id,
        summary=_("Hủy nhập tệp “%(name)s”") % {"name": job.filename},
    )
    return job


def _discard_files(job: ImportJob) -> None:
    if job.stored_name:
        job_file(job).unlink(missing_ok=True)
    progress_file(job.pk).unlink(missing_ok=True)


def import_job_run(*, job_id: int) -> str:
    """The background part: re-check the user's right over the org, read and check the
    sheet again, write everything or nothing, then delete the file."""
    job = ImportJob.objects.select_related("org", "created_by").get(pk=job_id)
    if job.status != ImportStatus.QUEUED:
        return str(job.status)
    user = job.created_by
    if user is None or not user.is_active or not scope_for(user).can(job.org.path, Role.OFFICER):
        return _fail(
            job, _("Người tải tệp lên không còn quyền nhập vào %(org)s.") % {"org": job.org.name}
        )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    job.status = ImportStatus.RUNNING
    progress = _progress_writer(job.pk)
    try:
        with bulk_work():
            return _run_job(job, user, progress)
    except (SheetError, OSError) as error:
        return _fail(job, _describe(error))
    except Exception:
        _fail(job, _("Có lỗi khi ghi dữ liệu, chưa ghi gì; hãy thử lại hoặc báo quản trị."))
        raise


def _run_job(job: ImportJob, user: User, progress: Progress) -> str:
    progress("read", 0, job.total_rows)
    table = read_table(
        job_file(job), filename=job.filename, mapping=job.mapping, header_row=job.header_row
    )
    plan = check_table(
        table,
        org=job.org,
        user=user,
        decisions=_decisions(job.decisions),
        progress=lambda done, total: progress("check", done, total),
    )
    if not plan.ok:
        return _fail(job, _("Tệp có lỗi, chưa ghi gì."), plan=plan)
    result = write_plan(plan, actor=user, source=job.filename, job=job, progress=progress)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.DONE,
        finished_at=timezone.now(),
        processed_rows=result.created + result.updated,
        total_rows=result.created + result.updated,
        created_count=result.created,
        updated_count=result.updated,
        error_count=0,
        errors=[],
    )
    job.refresh_from_db()
    _discard_files(job)
    return str(ImportStatus.DONE)


def _fail(job: ImportJob, message: str, *, plan: Plan | None = None) -> str:
    problems = plan_problems(plan) if plan is not None else []
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED,
        finished_at=timezone.now(),
        message=message[:500],
        error_count=len(problems),
        errors=[p.as_dict() for p in problems[:KEPT_ERRORS]],
    )
    _discard_files(job)
    return str(ImportStatus.FAILED)


def plan_problems(plan: Plan) -> list[Problem]:
    """Problems, plus the namesake rows still waiting for an answer."""
    waiting = [
        Problem(
            row.number,
            "",
            _(
                "có người cùng họ tên và ngày sinh trong hệ thống; cần chọn “cập nhật người đã "
                "có” hoặc “thêm người mới”."
            ),
        )
        for row in plan.pending
    ]
    return sorted([*plan.problems, *waiting], key=lambda p: (p.row, p.column))


# --- writing --------------------------------------------------------------------------------


@dataclass
class WriteResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


_STORED_FIELDS = (*PERSON_FIELDS, "full_name", "sort_key", "search_text")


class _Words:
    """The sentences of the audit summaries, translated once per import, not per row."""

    def __init__(self, source: str) -> None:
        self.created = _("Nhập từ tệp “%(file)s”: %(name)s vào %(org)s (%(facts)s)")
        self.updated = _("Cập nhật từ tệp “%(file)s”: %(name)s, %(org)s (%(facts)s)")
        self.joined = _("vào %(date)s")
        self.card = _("thẻ %(card)s")
        self.status = {str(s.value): str(s.label) for s in MembershipStatus}
        self.source = source

    def summary(self, template: str, row: PlannedRow, name: str) -> str:
        facts = [self.status.get(row.status, row.status)]
        if row.joined_on:
            facts.append(self.joined % {"date": row.joined_on.strftime("%d/%m/%Y")})
        if row.card_number:
            facts.append(self.card % {"card": row.card_number})
        text = template % {
            "file": self.source,
            "name": name,
            "org": row.unit.name,
            "facts": ", ".join(facts),
        }
        return text[:300]


def write_plan(
    plan: Plan,
    *,
    actor: User | None,
    source: str,
    job: ImportJob | None = None,
    progress: Progress = _quiet,
) -> WriteResult:
    """Write a checked plan: everything in one transaction, new rows with batched plain
    INSERTs, changed rows with batched updates, one audit entry per person."""
    if not plan.ok:
        raise ValidationError(_("Tệp còn lỗi, không ghi được."))
    now = timezone.now()
    today = timezone.localdate()
    rows = plan.rows
    total = len(rows)
    result = WriteResult()
    family = plan.org.family
    actor_id = actor.pk if actor is not None else None
    person_label = Person._meta.label_lower
    words = _Words(source)
    tune_sqlite(connection)
    with transaction.atomic():
        people = Inserter(Person, batch=BATCH)
        memberships = Inserter(Membership, batch=BATCH)
        audit = Inserter(AuditEntry, batch=BATCH)
        existing = _in_bulk(Person, [r.person_id for r in rows if r.person_id])
        current = _in_bulk(Membership, [r.membership_id for r in rows if r.membership_id])
        changed_people: list[Person] = []
        changed_fields: set[str] = set()
        changed_memberships: list[Membership] = []
        for done, row in enumerate(rows, start=1):
            if row.person_id is None:
                person_id = people.add({**row.values, "created_at": now, "updated_at": now})
                name = str(row.values["full_name"])
                audit.add(
                    {
                        "at": now,
                        "actor_id": actor_id,
                        "action": AuditEntry.Action.CREATE,
                        "subject_type": person_label,
                        "subject_id": person_id,
                        "org_id": row.unit.pk,
                        "person_id": person_id,
                        "summary": words.summary(words.created, row, name),
                        "before": {},
                        "after": json_safe(row.values, PERSON_FIELDS),
                    }
                )
                result.created += 1
            else:
                person = existing[row.person_id]
                person_id = person.pk
                before = snapshot(person, PERSON_FIELDS)
                for key in _STORED_FIELDS:
                    value = row.values.get(key)
                    if getattr(person, key) != value:
                        setattr(person, key, value)
                        changed_fields.add(key)
                after = snapshot(person, PERSON_FIELDS)
                if after != before:
                    person.updated_at = now
                    changed_people.append(person)
                membership = current.get(row.membership_id or 0)
                membership_changed = membership is not None and _merge_membership(
                    membership, row, today
                )
                if membership is not None and membership_changed:
                    changed_memberships.append(membership)
                if after == before and not membership_changed and membership is not None:
                    result.unchanged += 1
                else:
                    result.updated += 1
                    audit.add(
                        {
                            "at": now,
                            "actor_id": actor_id,
                            "action": AuditEntry.Action.UPDATE,
                            "subject_type": person_label,
                            "subject_id": person_id,
                            "org_id": row.unit.pk,
                            "person_id": person_id,
                            "summary": words.summary(words.updated, row, person.full_name),
                            "before": before if after != before else {},
                            "after": after if after != before else {},
                        }
                    )
                if membership is not None:
                    continue
            memberships.add(
                {
                    "person_id": person_id,
                    "org_id": row.unit.pk,
                    "family": family,
                    "status": row.status,
                    "joined_on": row.joined_on,
                    "official_on": row.official_on,
                    "card_number": row.card_number,
                    "note": row.note,
                    "started_on": today,
                }
            )
            if done % BATCH == 0:
                progress("write", done, total)
        for inserter in (people, memberships, audit):
            inserter.finish()
        for batch in iter_chunks(changed_people, BATCH):
            Person.objects.bulk_update(batch, [*sorted(changed_fields), "updated_at"])
        for batch in iter_chunks(changed_memberships, BATCH):
            Membership.objects.bulk_update(
                batch,
                [
                    "status",
                    "joined_on",
                    "official_on",
                    "card_number",
                    "note",
                    "status_changed_on",
                ],
            )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            subject=job if job is not None else plan.org,
            org_id=plan.org.pk,
            summary=_(
                "Nhập danh sách từ tệp “%(file)s” vào %(org)s: %(new)s người mới, "
                "%(old)s cập nhật, %(same)s không đổi"
            )
            % {
                "file": source,
                "org": plan.org.name,
                "new": result.created,
                "old": result.updated,
                "same": result.unchanged,
            },
        )
        progress("write", total, total)
    return result


def _in_bulk(model: Any, ids: Sequence[int | None]) -> dict[int, Any]:
    found: dict[int, Any] = {}
    for chunk in iter_chunks(sorted({i for i in ids if i}), 500):
        found.update(model.objects.in_bulk(list(chunk)))
    return found


def _merge_membership(membership: Membership, row: PlannedRow, today: datetime.date) -> bool:
    changed = False
    values = {
        "status": row.status,
        "joined_on": row.joined_on or membership.joined_on,
        "official_on": row.official_on or membership.official_on,
        "card_number": row.card_number or membership.card_number,
        "note": row.note or membership.note,
    }
    for key, value in values.items():
        if getattr(membership, key) != value:
            if key == "status":
                membership.status_changed_on = today
            setattr(membership, key, value)
            changed = True
    return changed


# --- the command line -------------------------------------------------------------------


@dataclass
class FileImport:
    table: Table | None
    plan: Plan | None
    problems: list[Problem]
    written: WriteResult | None = None


def import_members_file(
    *,
    path: Path,
    org: Org,
    dry_run: bool = False,
    namesakes: str = "",
    actor: User | None = None,
    progress: Progress = _quiet,
) -> FileImport:
    """`chibo import members`: read, check and (unless `dry_run` or on any problem) write.

    `namesakes` answers for every row whose name and birth date match someone already
    in the registry: "update" or "new"; left empty, such rows are problems to resolve.
    """
    with bulk_work():
        return _import_file(
            path=path,
            org=org,
            dry_run=dry_run,
            namesakes=namesakes,
            actor=actor,
            progress=progress,
        )


def _import_file(
    *,
    path: Path,
    org: Org,
    dry_run: bool,
    namesakes: str,
    actor: User | None,
    progress: Progress,
) -> FileImport:
    try:
        table = read_table(path, filename=path.name)
    except (SheetError, OSError) as error:
        message = (
            str(error)
            if isinstance(error, SheetError)
            else _("Không đọc được tệp %(path)s (%(reason)s).")
            % {"path": path, "reason": getattr(error, "strerror", "") or error}
        )
        return FileImport(table=None, plan=None, problems=[Problem(0, "", message)])
    progress("check", 0, len(table.rows))
    plan = check_table(
        table,
        org=org,
        user=actor,
        progress=lambda done, total: progress("check", done, total),
    )
    if namesakes and plan.pending:
        answers = {
            str(row.number): str(row.candidates[0].person_id) if namesakes == "update" else NEW
            for row in plan.pending
            if namesakes == "new" or len(row.candidates) == 1
        }
        plan = check_table(table, org=org, user=actor, decisions=answers)
    problems = plan_problems(plan)
    if problems or dry_run:
        return FileImport(table=table, plan=plan, problems=problems)
    written = write_plan(plan, actor=actor, source=path.name, progress=progress)
    return FileImport(table=table, plan=plan, problems=[], written=written)


def describe_format(table: Table) -> str:
    label = FORMAT_LABELS.get(table.file_format, table.file_format)
    if table.file_encoding:
        label += f", {table.file_encoding}"
    return label
