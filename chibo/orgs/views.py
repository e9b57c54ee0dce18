"""Restructuring pages: move an org under another parent, merge it into another.

Both need COMMITTEE (or ADMIN) over the org and over the org it goes to; the other org
pages, which show members and officers, live in `people` (it builds on `orgs`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chibo.core.models import User
from chibo.core.roles import Role
from chibo.core.scoping import forget_scope, require_role
from chibo.orgs.forms import OrgMergeForm, OrgMoveForm
from chibo.orgs.restructuring import org_merge
from chibo.orgs.selectors import org_ancestors_visible, org_get_for, org_restructure_targets
from chibo.orgs.services import org_move


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
