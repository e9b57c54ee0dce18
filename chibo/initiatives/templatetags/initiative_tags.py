"""Template helpers of the models pages, and the hooks the org and person pages load.

`people` never imports `initiatives`: its org page and person page `{% load
initiative_tags %}` and call `initiative_org_block` / `person_honours`. Both are guarded:
whatever goes wrong in them is logged and renders nothing, so the host page always works.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from chibo.core.roles import Role
from chibo.core.scoping import scope_for
from chibo.initiatives.measure import number_text, quantity_text
from chibo.initiatives.models import Exemplar, Initiative, MeasureUnit
from chibo.initiatives.selectors import (
    award_counts,
    org_awards,
    person_awards,
    rollup_totals,
)
from chibo.orgs.models import Org
from chibo.people.models import Person

register = template.Library()
log = logging.getLogger(__name__)


@register.filter
def qty(value: Decimal | int | None, unit: MeasureUnit) -> str:
    """450 kg, 1,5 tấn, 3.500.000 đ."""
    if value is None:
        return "—"
    return quantity_text(value, unit)


@register.filter
def get_item(mapping: dict[object, object], key: object) -> object:
    return mapping.get(key)


@register.filter
def num(value: Decimal | int | None) -> str:
    return "—" if value is None else number_text(value)


@register.simple_tag
def progress_bar(percent: int | None) -> SafeString:
    """A bar of the share done, drawn as inline SVG (100% and more: full, green)."""
    if percent is None:
        return mark_safe("")
    shown = max(0, min(percent, 100))
    colour = "#1b6e3a" if percent >= 100 else "#0b5cad"
    label = escape(_("Đạt %(n)s%% chỉ tiêu") % {"n": percent})
    return mark_safe(
        f'<svg class="init-bar" viewBox="0 0 100 8" preserveAspectRatio="none" role="img" '
        f'aria-label="{label}" xmlns="http://www.w3.org/2000/svg">'
        f'<rect width="100" height="8" rx="2" fill="#e3e7ec"/>'
        f'<rect width="{shown}" height="8" rx="2" fill="{colour}"/></svg>'
    )


def _guarded(name: str, render: Callable[[], str]) -> SafeString:
    try:
        return mark_safe(render())
    except Exception:  # the host page must render whatever happens here
        log.exception("initiative_tags.%s failed", name)
        return mark_safe("")


@register.simple_tag(takes_context=True)
def initiative_org_block(context: template.Context, org: Org) -> SafeString:
    """On a unit's page: its models of the year and, for readers of the subtree, the
    totals by indicator kind and the awards; awards to the unit itself for everyone who
    opens the page."""

    def render() -> str:
        request = context.get("request")
        if request is None:
            return ""
        scope = scope_for(request.user)
        role = scope.role_at(org.path)
        if role is None:
            return ""
        year = timezone.localdate().year
        reader = role >= Role.VIEWER
        return render_to_string(
            "initiatives/_org_block.html",
            {
                "org": org,
                "year": year,
                "reader": reader,
                "totals": rollup_totals(org=org, year=year) if reader else [],
                "counts": award_counts(org=org, year=year) if reader else None,
                "own_awards": org_awards(org=org)[:10],
                "models": Initiative.objects.filter(org=org).count(),
            },
            request=request,
        )

    return _guarded("initiative_org_block", render)


@register.simple_tag(takes_context=True)
def person_honours(context: template.Context, person: Person) -> SafeString:
    """On a person's page: their awards and exemplars the viewer may read."""

    def render() -> str:
        request = context.get("request")
        if request is None:
            return ""
        awards = person_awards(user=request.user, person=person)
        scope = scope_for(request.user)
        exemplars = Exemplar.objects.filter(person=person)
        if not (scope.everything or scope.person_id == person.pk):
            exemplars = exemplars.filter(scope.units_q("org__path"))
        found = list(exemplars.order_by("-year", "pk")[:20])
        if not awards and not found:
            return ""
        return render_to_string(
            "initiatives/_person_block.html",
            {"awards": awards, "exemplars": found},
            request=request,
        )

    return _guarded("person_honours", render)
