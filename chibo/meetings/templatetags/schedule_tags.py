"""Template hooks of the calendar part of meetings.

`meeting_section` is how the meeting page takes the sections other parts of the app write
(roll call, minutes, reminders): it renders `meetings/<name>_section.html` with the page's
context when that template exists, and nothing when it does not yet. `meeting_unit_links`
(the home page's unit card) and `meeting_org_block` (the org page) are how `people`
pages show the calendar without `people` importing `meetings`. All are guarded: an error
in them is logged and renders nothing, so the host page always works.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django import template
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from chibo.core.roles import Role
from chibo.core.scoping import scope_for
from chibo.meetings.models import MeetingStatus
from chibo.meetings.schedule import COMMITTEE_LEVELS, UNIT_LEVELS
from chibo.meetings.selectors import meetings_visible_to
from chibo.orgs.models import Org

register = template.Library()
log = logging.getLogger(__name__)


def _guarded(name: str, render: Callable[[], str]) -> SafeString:
    try:
        return mark_safe(render())
    except Exception:  # the host page must render whatever happens here
        log.exception("schedule_tags.%s failed", name)
        return mark_safe("")


@register.simple_tag(takes_context=True)
def meeting_section(context: template.Context, name: str) -> SafeString:
    """Render `meetings/<name>_section.html` with the meeting page's context, if present."""

    def render() -> str:
        try:
            section = get_template(f"meetings/{name}_section.html")
        except TemplateDoesNotExist:
            return ""
        values: dict[str, Any] = {str(key): value for key, value in context.flatten().items()}
        return section.render(values, context.get("request"))

    return _guarded(f"meeting_section:{name}", render)


@register.simple_tag(takes_context=True)
def meeting_unit_links(context: template.Context, org: Org) -> SafeString:
    """On a unit card: the unit's next meeting and the way to its calendar."""

    def render() -> str:
        request = context.get("request")
        user = getattr(request, "user", None)
        if user is None or scope_for(user).role_at(org.path) is None:
            return ""
        upcoming = (
            meetings_visible_to(user)
            .filter(org=org, status=MeetingStatus.PLANNED, starts_at__gte=timezone.now())
            .order_by("starts_at")
            .first()
        )
        return render_to_string(
            "meetings/_unit_links.html", {"org": org, "upcoming": upcoming}, request=request
        )

    return _guarded("meeting_unit_links", render)


@register.simple_tag(takes_context=True)
def meeting_org_block(context: template.Context, org: Org) -> SafeString:
    """On an org's page: its calendar, topics, and for a committee the review of topics,
    deadlines and agenda templates."""

    def render() -> str:
        request = context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return ""
        role = scope_for(user).role_at(org.path)
        if role is None:
            return ""
        return render_to_string(
            "meetings/_org_block.html",
            {
                "org": org,
                "reads": role >= Role.VIEWER,
                "is_unit": org.level in UNIT_LEVELS,
                "is_committee": org.level in COMMITTEE_LEVELS,
                "reviews": role >= Role.COMMITTEE and org.level in COMMITTEE_LEVELS,
            },
            request=request,
        )

    return _guarded("meeting_org_block", render)
