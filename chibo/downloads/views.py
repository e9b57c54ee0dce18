"""The page of a background export (progress, then the download link) and the file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chibo.core.exporters import renderer_for
from chibo.downloads.selectors import export_job_get_for
from chibo.downloads.services import export_file
from chibo.orgs.selectors import org_ancestors_visible

REFRESH_SECONDS = 2


@login_required
@require_GET
def export_job_detail(request: HttpRequest, export_id: int) -> HttpResponse:
    job = export_job_get_for(user=request.user, job_id=export_id)
    context = {
        "job": job,
        "org": job.org,
        "ancestors": org_ancestors_visible(user=request.user, org=job.org),
    }
    response = render(request, "downloads/job.html", context)
    if job.is_open:
        # A plain refresh: the page works without JavaScript on any phone.
        response["Refresh"] = str(REFRESH_SECONDS)
    return response


@login_required
@require_GET
def export_job_file(request: HttpRequest, export_id: int) -> FileResponse:
    job = export_job_get_for(user=request.user, job_id=export_id)
    path = export_file(job)
    if path is None or not path.is_file():
        raise Http404
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=renderer_for(job.file_format).content_type,
    )
    # Personal data: neither the browser nor a proxy keeps a copy.
    response["Cache-Control"] = "no-store, private"
    return response
