"""Splitting an org into new ones, taking chosen members (and their offices) along.

It lives in `people`, not next to move and merge in `orgs`, because it lists and moves
members. It needs the committee over the org's parent, where the new orgs are created.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chibo.core.roles import Role
from chibo.core.scoping import forget_scope, require_role
from chibo.orgs.models import Org
from chibo.orgs.selectors import org_ancestors_visible, org_can_split, org_get_for
from chibo.people.forms import SPLIT_ROWS_MAX, OrgSplitForm
from chibo.people.selectors import org_current_members
from chibo.people.services import org_split_apply, org_split_check
from chibo.people.views_common import actor_of, errors_on_fields, posted_int

ADD_ROW = "add_row"
_PART_KEY = re.compile(r"^parts\.(\d+)\.(code|name)$")
_PERSON_KEY = re.compile(r"^person\.(\d+)$")


def _error_fields(error: ValidationError, rows: list[int]) -> dict[str, str]:
    """Service keys (`parts.0.code`, `person.12`) to the form's fields (`code-1` when the
    first filled row is the form's second, `member-12`)."""
    mapping: dict[str, str] = {}
    for key in getattr(error, "error_dict", {}):
        part = _PART_KEY.match(key)
        person = _PERSON_KEY.match(key)
        if part and int(part.group(1)) < len(rows):
            mapping[key] = f"{part.group(2)}-{rows[int(part.group(1))]}"
        elif person:
            mapping[key] = OrgSplitForm.member_field(int(person.group(1)))
    return mapping


def _split(request: HttpRequest, org: Org, form: OrgSplitForm) -> HttpResponse | None:
    """Carry the split out, or put every problem on its row: the form's own and, as soon
    as the rows can be read, the service's, so that one round shows them all."""
    valid = form.is_valid()
    if not valid and not form.parts_readable():
        return None
    indexed = form.parts()
    rows = [row for row, _part in indexed]
    parts = [part for _row, part in indexed]
    on = form.cleaned_data.get("on") or timezone.localdate()
    close = bool(form.cleaned_data.get("close_source"))
    try:
        if not valid:
            org_split_check(source=org, parts=parts, on=on, close_source=close)
            return None
        result = org_split_apply(
            source=org, parts=parts, on=on, close_source=close, actor=actor_of(request)
        )
    except ValidationError as error:
        if "on" in form.errors and hasattr(error, "error_dict"):
            # The date typed could not be read: what was checked against today says nothing.
            error = ValidationError(
                {key: value for key, value in error.message_dict.items() if key != "on"}
            )
        errors_on_fields(form, error, _error_fields(error, rows))
        return None
    forget_scope(request.user)
    messages.success(
        request,
        _("Đã chia tách %(source)s thành %(parts)s.")
        % {"source": org.name, "parts": ", ".join(new.name for new in result.created)},
    )
    return redirect("org_detail", code=result.created[0].code)


@login_required
@require_http_methods(["GET", "POST"])
def org_split_view(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.COMMITTEE)
    if org.is_active and not org_can_split(user=user, org=org):
        raise PermissionDenied
    members = org_current_members(user=user, org=org)
    rows = posted_int(request.POST.get("rows"), default=2, low=1, high=SPLIT_ROWS_MAX)
    adding = request.method == "POST" and ADD_ROW in request.POST
    if adding:
        rows = min(rows + 1, SPLIT_ROWS_MAX)
        initial: dict[str, Any] = {**request.POST.dict(), "rows": rows}
        form = OrgSplitForm(initial=initial, source=org, members=members, rows=rows)
    elif request.method == "POST":
        form = OrgSplitForm(request.POST, source=org, members=members, rows=rows)
    else:
        initial = {"rows": rows, "on": timezone.localdate()}
        form = OrgSplitForm(initial=initial, source=org, members=members, rows=rows)
    if request.method == "POST" and not adding and org.is_active:
        done = _split(request, org, form)
        if done is not None:
            return done
    context = {
        "org": org,
        "form": form,
        "rows_max": SPLIT_ROWS_MAX,
        "ancestors": org_ancestors_visible(user=user, org=org),
    }
    return render(request, "people/org_split.html", context)
