"""Template helpers of the evaluation statistics, and their hook on the org page.

`people` never imports `evaluation`: its org page `{% load evaluation_stats_tags %}` and
calls `evaluation_stats_block`, guarded so that the host page always renders.
"""

from __future__ import annotations

import logging

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from chibo.core.roles import Role
from chibo.core.scoping import scope_for
from chibo.evaluation.stats_charts import percent_text
from chibo.orgs.models import Org

register = template.Library()
log = logging.getLogger(__name__)


@register.filter
def percent2(value: float | None) -> str:
    """96.96 -> "96,96%" (two decimals, the language's decimal mark); "—" for none."""
    return percent_text(value)


@register.simple_tag(takes_context=True)
def evaluation_stats_block(context: template.Context, org: Org) -> SafeString:
    """On an org's page, for those who read its subtree: the way to the grading figures."""
    try:
        request = context.get("request")
        user = getattr(request, "user", None)
        if user is None or not scope_for(user).can(org.path, Role.VIEWER):
            return mark_safe("")
        return mark_safe(
            render_to_string(
                "evaluation/stats_block.html",
                {"org": org, "year": timezone.localdate().year - 1},
                request=request,
            )
        )
    except Exception:  # the host page must render whatever happens here
        log.exception("evaluation_stats_block failed")
        return mark_safe("")
