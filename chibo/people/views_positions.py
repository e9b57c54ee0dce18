"""Offices (chức vụ) on the org page: give one to a member, end one.

Positions give roles by themselves (a secretary of a cell is its officer), so these two
pages are how rights follow elections. Officers of an org manage its offices; a position
is found only through the officer-scoped queryset, so anyone else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chibo.core.roles import Role
from chibo.core.scoping import require_role
from chibo.orgs.selectors import org_ancestors_visible, org_get_for
from chibo.people.forms import PositionEndForm, PositionForm
from chibo.people.models import Person, Title
from chibo.people.selectors import (
    position_candidate,
    position_candidates,
    position_get_for,
    position_titles_for,
)
from chibo.people.services import position_appoint, position_end
from chibo.people.views_common import actor_of, errors_on_fields

FIND = "find"
# A commune's committee chooses among its whole subtree: a phone shows this many at most,
# and a name typed narrows the list.
CHOICES_MAX = 300


@login_required
@require_http_methods(["GET", "POST"])
def position_create(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.OFFICER)
    finding = request.method == "POST" and FIND in request.POST
    query = (request.POST.get("q") or "").strip()[:100]
    candidates = position_candidates(user=user, org=org, query=query, limit=CHOICES_MAX)
    titles = position_titles_for(org=org)

    def lookup(person_id: int) -> Person | None:
        return position_candidate(user=user, org=org, person_id=person_id)

    initial = {"title": titles[0], "started_on": timezone.localdate()}
    if finding:
        # A search re-shows the form with what was typed, without judging it yet.
        data, initial = None, {**initial, **request.POST.dict()}
    else:
        data = request.POST if request.method == "POST" else None
    form = PositionForm(
        data, initial=initial, org=org, candidates=candidates, titles=titles, lookup=lookup
    )
    if request.method == "POST" and not finding and org.is_active and form.is_valid():
        person = form.cleaned_data["person"]
        title = form.cleaned_data["title"]
        try:
            position_appoint(
                person=person,
                org=org,
                title=title,
                started_on=form.cleaned_data["started_on"],
                actor=actor_of(request),
            )
        except ValidationError as error:
            errors_on_fields(form, error, {})
        else:
            messages.success(
                request,
                _("Đã giao chức %(title)s của %(org)s cho %(name)s.")
                % {"title": Title(title).label, "org": org.name, "name": person.full_name},
            )
            return redirect("org_detail", code=org.code)
    context = {
        "org": org,
        "form": form,
        "query": query,
        "choices_max": CHOICES_MAX,
        "ancestors": org_ancestors_visible(user=user, org=org),
    }
    return render(request, "people/position_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def position_end_view(request: HttpRequest, position_id: int) -> HttpResponse:
    user = request.user
    position = position_get_for(user=user, position_id=position_id)
    org = position.org
    today = timezone.localdate()
    ended = position.ended_on is not None and position.ended_on <= today
    form = PositionEndForm(request.POST or None, initial={"ended_on": today})
    if request.method == "POST" and not ended and form.is_valid():
        day = form.cleaned_data["ended_on"]
        try:
            position_end(position=position, on=day, actor=actor_of(request))
        except ValidationError as error:
            errors_on_fields(form, error, {})
        else:
            messages.success(
                request,
                _("Đã ghi: %(name)s thôi giữ chức %(title)s từ ngày %(date)s.")
                % {
                    "name": position.person.full_name,
                    "title": position.get_title_display(),
                    "date": day.strftime("%d/%m/%Y"),
                },
            )
            return redirect("org_detail", code=org.code)
    context = {
        "org": org,
        "position": position,
        "ended": ended,
        "form": form,
        "ancestors": org_ancestors_visible(user=user, org=org),
    }
    return render(request, "people/position_end.html", context)
