"""Hooks of the statistics and the absence warnings on other apps' pages.

`people` never imports `meetings`: its org page `{% load meeting_stats_tags %}` and calls
`meeting_stats_block`, its unit card `meeting_warning_alert`. Both are guarded: whatever
goes wrong in them is logged and renders nothing, so the host page always works.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from chibo.core.roles import Role
from chibo.core.scoping import scope_for
from chibo.meetings.schedule import UNIT_LEVELS
from chibo.meetings.warnings import absence_counts
from chibo.orgs.models import Family, Level, Org

register = template.Library()
log = logging.getLogger(__name__)

# Where a unit card shows the warnings: the cell itself, and the base committee that
# decides on removals; above that a card would count a province.
ALERT_LEVELS = (*UNIT_LEVELS, Level.BASE)


def _guarded(name: str, render: Callable[[], str]) -> SafeString:
    try:
        return mark_safe(render())
    except Exception:  # the host page must render whatever happens here
        log.exception("meeting_stats_tags.%s failed", name)
        return mark_safe("")


@register.simple_tag(takes_context=True)
def meeting_stats_block(context: template.Context, org: Org) -> SafeString:
    """On an org's page, for those who read its subtree: the way to the statistics and,
    for the party, to the absence warnings with their counts this year."""

    def render() -> str:
        request = context.get("request")
        user = getattr(request, "user", None)
        if user is None or not scope_for(user).can(org.path, Role.VIEWER):
            return ""
        year = timezone.localdate().year
        party = org.family == Family.PARTY
        counts = absence_counts(org=org, year=year) if party else None
        return render_to_string(
            "meetings/stats_block.html",
            {"org": org, "year": year, "counts": counts},
            request=request,
        )

    return _guarded("meeting_stats_block", render)


@register.simple_tag(takes_context=True)
def meeting_warning_alert(context: template.Context, org: Org) -> SafeString:
    """On the home page's card of a party cell or base committee: how many members
    missed meetings without reason this year (the cell sees both levels, the committee
    the removal cases), for those who read the unit."""

    def render() -> str:
        request = context.get("request")
        user = getattr(request, "user", None)
        if user is None or org.family != Family.PARTY or org.level not in ALERT_LEVELS:
            return ""
        if not scope_for(user).can(org.path, Role.VIEWER):
            return ""
        year = timezone.localdate().year
        warning, removal = absence_counts(org=org, year=year)
        if org.level == Level.BASE:
            warning = 0
        if not warning and not removal:
            return ""
        return render_to_string(
            "meetings/warnings_alert.html",
            {"org": org, "year": year, "warning": warning, "removal": removal},
            request=request,
        )

    return _guarded("meeting_warning_alert", render)
