"""Helpers the people pages share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest

from chibo.core.models import User


def actor_of(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


def posted_int(value: str | None, *, default: int, low: int, high: int) -> int:
    """A small number from a form, kept within bounds whatever was sent."""
    try:
        number = int(value or "")
    except ValueError:
        return default
    return max(low, min(high, number))


def errors_on_fields(form: Form, error: ValidationError, mapping: dict[str, str]) -> None:
    """A service's messages on the form fields `mapping` names for its keys (a key the
    form has a field of goes there too); anything else above the form."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for key, messages in error.message_dict.items():
        field = mapping.get(key, key)
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
