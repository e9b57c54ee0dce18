"""Downloads of the member list: the page's list, with the page's filters, as a file.
A small list is streamed at once; a large XLSX is made by a background task and the
user is sent to its progress page."""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chibo.core.exporters import export_response
from chibo.core.models import User
from chibo.core.roles import Role
from chibo.core.scoping import require_role
from chibo.downloads.services import export_job_create, wants_background
from chibo.orgs.selectors import org_get_for
from chibo.people.exports import MemberFilters, MemberListExporter
from chibo.people.forms import MemberFilterForm


@login_required
@require_GET
def org_members_export(request: HttpRequest, code: str, fmt: str) -> HttpResponseBase:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.VIEWER)
    form = MemberFilterForm(request.GET or None, family=org.family)
    filters = MemberFilters()
    if form.is_bound:
        if not form.is_valid():
            # Never a file with filters silently dropped: back to the list, which shows
            # what is wrong with them.
            messages.error(request, _("Chưa tải được danh sách: hãy sửa bộ lọc bên dưới."))
            return redirect(f"{reverse('org_members', args=[org.code])}?{request.GET.urlencode()}")
        filters = MemberFilters(
            query=form.cleaned_data["q"],
            status=form.cleaned_data["status"],
            descendants=form.cleaned_data["descendants"],
        )
    exporter = MemberListExporter(user=user, org=org, filters=filters)
    if isinstance(user, User) and wants_background(exporter, fmt, exporter.total()):
        job = export_job_create(
            user=user,
            org=org,
            kind="members",
            fmt=fmt,
            params=dataclasses.asdict(filters),
            exporter=exporter,
            rows=exporter.total(),
        )
        return redirect("export_job", export_id=job.pk)
    return export_response(exporter, fmt)
