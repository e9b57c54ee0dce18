"""Pages of the import: upload, then one page per job that shows, as the job goes, the
preview (mapping, errors, questions), the progress bar, and the result.

Every job comes through `import_job_get_for` (404 outside the user's scope, 403 for
those who may open the org but are not its officers); uploads need OFFICER over the org.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chibo.core.models import User
from chibo.core.roles import Role
from chibo.core.scoping import require_role
from chibo.imports.forms import MappingForm, UploadForm
from chibo.imports.models import ImportJob, ImportStatus
from chibo.imports.parsing import FORMAT_LABELS
from chibo.imports.selectors import import_job_get_for, import_jobs_for
from chibo.imports.services import (
    Preview,
    import_job_cancel,
    import_job_confirm,
    import_job_create,
    import_job_preview,
    import_job_remap,
    read_progress,
)
from chibo.imports.validation import NEW
from chibo.orgs.selectors import org_ancestors_visible, org_get_for

SHOWN_PROBLEMS = 200
REFRESH_SECONDS = 2
STALLED_SECONDS = 60
ENCODING_LABELS = {
    "tcvn3": "TCVN3 (ABC, phông .VnTime)",
    "vni": "VNI-Windows",
    "cp1258": "Windows-1258",
}


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.OFFICER)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(
                org=org, upload=form.cleaned_data["file"], actor=_actor(request)
            )
        except ValidationError as error:
            for message in error.message_dict.get("file", error.messages):
                form.add_error("file", message)
        else:
            return redirect("import_job", job_id=job.pk)
    context = {
        "org": org,
        "form": form,
        "jobs": list(import_jobs_for(user=user, org=org)),
        "ancestors": org_ancestors_visible(user=user, org=org),
    }
    return render(request, "imports/upload.html", context)


def _decisions_from(request: HttpRequest) -> dict[str, str]:
    answers: dict[str, str] = {}
    for key in request.POST:
        value = request.POST.get(key, "")
        if key.startswith("decide_") and value:
            answers[key.removeprefix("decide_")] = value if value == NEW else str(int(value))
    return answers


@login_required
@require_http_methods(["GET", "POST"])
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    user = request.user
    job = import_job_get_for(user=user, job_id=job_id)
    if job.status != ImportStatus.UPLOADED:
        return _after_confirm(request, job)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    mapping_data = request.POST if action == "remap" else None
    preview: Preview | None = None
    try:
        if action == "cancel":
            import_job_cancel(job=job, actor=_actor(request))
            messages.success(request, _("Đã hủy lần nhập này; tệp đã được xóa."))
            return redirect("import_upload", code=job.org.code)
        if action == "remap":
            table_preview = import_job_preview(job=job, user=user)
            headers = table_preview.table.headers if table_preview.table else []
            form = MappingForm(
                mapping_data, headers=headers, mapping=job.mapping, header_row=job.header_row
            )
            if form.is_valid():
                import_job_remap(
                    job=job,
                    mapping=form.mapping(),
                    header_row=form.cleaned_data["header_row"],
                    actor=_actor(request),
                )
                messages.success(request, _("Đã đọc lại tệp theo cách chọn cột mới."))
                return redirect("import_job", job_id=job.pk)
        if action == "confirm":
            preview = import_job_confirm(
                job=job, decisions=_decisions_from(request), user=user, actor=_actor(request)
            )
            if preview.plan is not None and preview.plan.ok:
                return redirect("import_job", job_id=job.pk)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("import_job", job_id=job.pk)
    except ValueError:
        messages.error(request, _("Lựa chọn gửi lên không hợp lệ."))
        return redirect("import_job", job_id=job.pk)
    if preview is None:
        preview = import_job_preview(job=job, user=user)
    return render(request, "imports/preview.html", _preview_context(request, job, preview))


def _preview_context(request: HttpRequest, job: ImportJob, preview: Preview) -> dict[str, Any]:
    table, plan = preview.table, preview.plan
    form = None
    problems: list[Any] = []
    encodings: list[tuple[str, int]] = []
    if table is not None:
        form = MappingForm(
            request.POST if request.POST.get("action") == "remap" else None,
            headers=table.headers,
            mapping=table.mapping,
            header_row=table.header_number,
        )
        encodings = [
            (ENCODING_LABELS[key], count)
            for key, count in sorted(table.encodings.items())
            if key in ENCODING_LABELS and count
        ]
    if plan is not None:
        problems = plan.problems
    chosen = job.decisions if isinstance(job.decisions, dict) else {}
    return {
        "job": job,
        "org": job.org,
        "ancestors": org_ancestors_visible(user=request.user, org=job.org),
        "preview": preview,
        "table": table,
        "plan": plan,
        "form": form,
        "format_label": FORMAT_LABELS.get(job.file_format, job.file_format),
        "encodings": encodings,
        "problems": problems[:SHOWN_PROBLEMS],
        "problem_count": len(problems),
        "pending": plan.pending if plan is not None else [],
        "chosen": {str(key): str(value) for key, value in chosen.items()},
        "sample_headers": table.headers if table is not None else [],
    }


def _after_confirm(request: HttpRequest, job: ImportJob) -> HttpResponse:
    if request.method == "POST":
        return redirect("import_job", job_id=job.pk)
    progress = read_progress(job) if job.is_open else {}
    total = int(progress.get("total") or job.total_rows or 0)
    done = int(progress.get("done") or 0)
    stage = str(progress.get("stage") or "")
    if job.status == ImportStatus.DONE:
        done = total = job.created_count + job.updated_count
    context = {
        "job": job,
        "org": job.org,
        "ancestors": org_ancestors_visible(user=request.user, org=job.org),
        "done": done,
        "total": total,
        "percent": round(100 * done / total) if total else (100 if not job.is_open else 0),
        "stage": {
            "read": _("Đang đọc tệp"),
            "check": _("Đang kiểm tra từng dòng"),
            "write": _("Đang ghi vào danh sách"),
        }.get(stage, _("Đang chờ đến lượt")),
        "errors": job.errors[:SHOWN_PROBLEMS] if isinstance(job.errors, list) else [],
        "refresh": REFRESH_SECONDS if job.is_open else 0,
        # Queued for a minute and nothing started: no worker is running.
        "stalled": job.status == ImportStatus.QUEUED
        and not progress
        and job.queued_at is not None
        and (timezone.now() - job.queued_at).total_seconds() > STALLED_SECONDS,
    }
    response = render(request, "imports/progress.html", context)
    if job.is_open:
        # Refreshing by header needs no script, which the content security policy forbids
        # inline; the page reloads until the job is over.
        response["Refresh"] = str(REFRESH_SECONDS)
    return response
