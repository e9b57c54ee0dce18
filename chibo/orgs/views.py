"""Pages that change the org tree itself: add a child org, edit an org's name and place,
move an org under another parent, merge it into another; and the list of communes of a
province for the place pickers.

They need COMMITTEE (or ADMIN) over the org and over the org it goes to; the other org
pages, which show members and officers, live in `people` (it builds on `orgs`), and so
does splitting, which moves members.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from chibo.core.models import User
from chibo.core.roles import Role
from chibo.core.scoping import forget_scope, require_role
from chibo.orgs import divisions
from chibo.orgs.forms import OrgCreateForm, OrgEditForm, OrgMergeForm, OrgMoveForm, apply_errors
from chibo.orgs.restructuring import org_merge
from chibo.orgs.selectors import (
    division_communes,
    org_ancestors_visible,
    org_child_level_default,
    org_child_levels,
    org_get_for,
    org_restructure_targets,
)
from chibo.orgs.services import org_create, org_move, org_update


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _add_errors(form: OrgMoveForm | OrgMergeForm, error: ValidationError) -> None:
    """The services name the org they refuse as `new_parent` or `target`; the form calls
    it `target`. Anything else concerns the org itself and goes above the form."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for key, found in error.message_dict.items():
        field = "target" if key in ("new_parent", "target") else None
        for message in found:
            form.add_error(field, message)


@login_required
@require_http_methods(["GET", "POST"])
def org_move_view(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.COMMITTEE)
    targets = [
        target
        for target in org_restructure_targets(user=user, org=org)
        if target.path != org.parent_path
    ]
    form = OrgMoveForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            moved = org_move(org=org, new_parent=form.target_org(), actor=_actor(request))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            forget_scope(user)
            messages.success(
                request,
                _("Đã chuyển %(org)s về trực thuộc %(parent)s.")
                % {"org": moved.name, "parent": form.target_org().name},
            )
            return redirect("org_detail", code=moved.code)
    context = {
        "org": org,
        "form": form,
        "ancestors": org_ancestors_visible(user=user, org=org),
        "action": "move",
    }
    return render(request, "orgs/restructure.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def org_merge_view(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.COMMITTEE)
    targets = org_restructure_targets(user=user, org=org)
    form = OrgMergeForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        target = form.target_org()
        try:
            org_merge(source=org, target=target, on=form.cleaned_data["on"], actor=_actor(request))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            forget_scope(user)
            messages.success(
                request,
                _("Đã hợp nhất %(source)s vào %(target)s.")
                % {"source": org.name, "target": target.name},
            )
            return redirect("org_detail", code=target.code)
    context = {
        "org": org,
        "form": form,
        "ancestors": org_ancestors_visible(user=user, org=org),
        "action": "merge",
    }
    return render(request, "orgs/restructure.html", context)


# --- adding and editing orgs ---------------------------------------------------------------

# The button that reloads a form with the communes of the province just chosen.
PICK_PROVINCE = "pick_province"


def _picking(request: HttpRequest) -> bool:
    return request.method == "POST" and PICK_PROVINCE in request.POST


def _reshown(request: HttpRequest, initial: dict[str, Any]) -> dict[str, Any]:
    """What was typed so far, to show again unbound: no errors for a form not yet sent."""
    return {**initial, **request.POST.dict()}


@login_required
@require_http_methods(["GET", "POST"])
def org_create_child(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    parent = org_get_for(user=user, code=code)
    require_role(user, parent.path, Role.COMMITTEE)
    levels = org_child_levels(user=user, parent=parent)
    default_level = org_child_level_default(parent=parent)
    initial = {
        "family": parent.family,
        "level": default_level if default_level in levels else (levels or [""])[0],
        "province_code": parent.province_code,
        "ward_code": parent.ward_code,
    }
    if _picking(request):
        form = OrgCreateForm(initial=_reshown(request, initial), levels=levels)
    else:
        form = OrgCreateForm(request.POST or None, initial=initial, levels=levels)
    if request.method == "POST" and not _picking(request) and levels and form.is_valid():
        data = form.cleaned_data
        try:
            org = org_create(
                parent=parent,
                code=data["code"],
                name=data["name"],
                short_name=data["short_name"],
                family=data["family"],
                level=data["level"],
                actor=_actor(request),
                **form.place_data(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã thêm %(org)s trực thuộc %(parent)s.")
                % {"org": org.name, "parent": parent.name},
            )
            return redirect("org_detail", code=org.code)
    context = {
        "org": parent,
        "form": form,
        "mode": "create",
        "levels": levels,
        "ancestors": org_ancestors_visible(user=user, org=parent),
    }
    return render(request, "orgs/org_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def org_edit(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.COMMITTEE)
    if _picking(request):
        form = OrgEditForm(initial=_reshown(request, {}), org=org)
    else:
        form = OrgEditForm(request.POST or None, org=org)
    if request.method == "POST" and not _picking(request) and form.is_valid():
        data = form.cleaned_data
        try:
            org_update(
                org=org,
                name=data["name"],
                short_name=data["short_name"],
                actor=_actor(request),
                **form.place_data(),
            )
        except ValidationError as error:
            apply_errors(form, error)
            org.refresh_from_db()
        else:
            messages.success(request, _("Đã lưu thông tin %(org)s.") % {"org": org.name})
            return redirect("org_detail", code=org.code)
    context = {
        "org": org,
        "form": form,
        "mode": "edit",
        "ancestors": org_ancestors_visible(user=user, org=org),
    }
    return render(request, "orgs/org_form.html", context)


@login_required
@require_GET
@cache_control(private=True, max_age=86400)
def division_communes_json(request: HttpRequest, province: int) -> JsonResponse:
    """The communes of a province for the place picker's script. The official list is the
    same for everyone, so it needs a login but no scope."""
    name = divisions.province_name(province)
    if not name:
        return JsonResponse(
            {"detail": _("Không có tỉnh, thành phố mã %(code)s.") % {"code": province}},
            status=404,
        )
    communes = division_communes(province)
    return JsonResponse(
        {
            "province": {"code": province, "name": name},
            "communes": [{"code": code, "name": label} for code, label in communes],
        }
    )
