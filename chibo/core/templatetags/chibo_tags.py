"""Small template helpers shared by every app's pages."""

from __future__ import annotations

import datetime

from django import template
from django.conf import settings
from django.utils import formats, translation

from chibo.core.vntext import nfc

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


@register.simple_tag
def language_choices() -> list[tuple[str, str]]:
    """(code, name) of each offered language, named in itself and in NFC.

    Django's own local names are partly decomposed Unicode; a Vietnamese name must be NFC
    to match what people type and what screen readers expect.
    """
    choices = []
    for code, _name in settings.LANGUAGES:
        local = nfc(translation.get_language_info(code)["name_local"])
        choices.append((code, local[:1].upper() + local[1:]))
    return choices


@register.filter
def thousands(value: int | None) -> str:
    """1200 -> '1.200' in Vietnamese, '1,200' in English.

    Django's Vietnamese locale sets no digit grouping, so `intcomma` would print '1200'.
    """
    if value is None:
        return ""
    separator = str(formats.get_format("THOUSAND_SEPARATOR"))
    return f"{int(value):,}".replace(",", separator)
