"""Template context every page needs: who is signed in, and where their own profile is."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from chibo.core.scoping import scope_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_person_id": None}
    # Lazy: the scope is computed once per request and most views need it anyway,
    # so the header link costs no query of its own.
    return {"my_person_id": SimpleLazyObject(lambda: scope_for(user).person_id)}
