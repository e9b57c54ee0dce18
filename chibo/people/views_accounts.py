"""A person's login: create one with an initial password, lock it, unlock it.

Only an administrator of one of the person's units may do this (users and grants are
the ADMIN role's business); the person comes through the scoped selector, so anyone
outside gets 404 and anyone inside without the role 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chibo.core.scoping import scope_for
from chibo.people.forms import AccountCreateForm
from chibo.people.selectors import (
    person_can_admin,
    person_get_for,
    person_login,
    person_username_suggestion,
)
from chibo.people.services import user_create_for_person, user_set_active
from chibo.people.views_common import actor_of, errors_on_fields

LOCK, UNLOCK = "lock", "unlock"


@login_required
@require_http_methods(["GET", "POST"])
def person_account(request: HttpRequest, person_id: int) -> HttpResponse:
    user = request.user
    person = person_get_for(user=user, person_id=person_id)
    if not person_can_admin(user=user, person=person):
        raise PermissionDenied
    login = person_login(person=person)
    action = request.POST.get("action", "")
    if request.method == "POST" and login is not None and action in (LOCK, UNLOCK):
        try:
            user_set_active(user=login, active=action == UNLOCK, actor=actor_of(request))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            text = (
                _("Đã mở khóa tài khoản “%(username)s”.")
                if action == UNLOCK
                else _("Đã khóa tài khoản “%(username)s”: người này không đăng nhập được nữa.")
            )
            messages.success(request, text % {"username": login.get_username()})
        return redirect("person_account", person_id=person.pk)
    form = None
    if login is None:
        form = AccountCreateForm(
            request.POST if request.method == "POST" else None,
            initial={"username": person_username_suggestion(person=person)},
        )
        if request.method == "POST" and form.is_valid():
            try:
                created = user_create_for_person(
                    person=person,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password1"],
                    actor=actor_of(request),
                )
            except ValidationError as error:
                errors_on_fields(form, error, {"password": "password1"})
            else:
                messages.success(
                    request,
                    _("Đã tạo tài khoản “%(username)s” cho %(name)s.")
                    % {"username": created.get_username(), "name": person.full_name},
                )
                return redirect("person_account", person_id=person.pk)
    context = {
        "person": person,
        "login": login,
        "form": form,
        "is_self": login is not None and login.pk == getattr(user, "pk", None),
        "is_me": scope_for(user).person_id == person.pk,
    }
    return render(request, "people/person_account.html", context)
