"""Small template helpers shared by every app's pages."""

from __future__ import annotations

import datetime

from django import template

register = template.Library()


@register.filter
def minutes(value: datetime.timedelta | None) -> int:
    """Whole minutes of a time span, rounded up (a lockout of 14 min 30 s reads '15')."""
    if not value:
        return 0
    return -(-int(value.total_seconds()) // 60)


@register.filter
def vndate(value: datetime.date | None) -> str:
    """dd/mm/yyyy whatever the language: the form every Vietnamese document uses."""
    if not value:
        return ""
    return value.strftime("%d/%m/%Y")
