"""The home page's hook: `{% upcoming_meetings %}` lists the user's next meetings.

`people` never imports `meetings`: its home page loads this library and calls the tag.
Guarded like the fee hooks: whatever goes wrong here is logged and renders nothing, so the
home page always works.
"""

from __future__ import annotations

import logging

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from chibo.core.scoping import scope_for
from chibo.meetings.reminders import upcoming_for

register = template.Library()
log = logging.getLogger(__name__)


@register.simple_tag(takes_context=True)
def upcoming_meetings(context: template.Context) -> SafeString:
    try:
        request = context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return mark_safe("")
        rows = upcoming_for(user=user)
        if not rows and not scope_for(user).member_units():
            # A viewer over a province belongs to no unit: nothing to remind them of.
            return mark_safe("")
        return mark_safe(
            render_to_string("meetings/reminders_upcoming.html", {"rows": rows}, request=request)
        )
    except Exception:  # the host page must render whatever happens here
        log.exception("upcoming_meetings failed")
        return mark_safe("")
