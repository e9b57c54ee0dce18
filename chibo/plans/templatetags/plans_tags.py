"""Template helpers of the study-and-follow pages."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()

# Below this share a figure is drawn in the warning colour: the seed articles hold
# units to 100 % of members committing in writing.
LOW_SHARE = 90.0


@register.simple_tag
def share_bar(percent: float, label: str = "") -> SafeString:
    """A horizontal bar of a share (0–100 %) as inline SVG; the figure is always written
    beside it in the page, so the picture adds nothing a screen reader misses."""
    value = max(0.0, min(float(percent or 0), 100.0))
    colour = "#185c2a" if value >= LOW_SHARE else "#9e1b1b"
    title = escape(label or _("%(percent)s%%") % {"percent": f"{value:g}"})
    return mark_safe(
        f'<svg class="plans-bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
        f'role="img" aria-label="{title}"><rect width="100" height="10" fill="#ece8de"/>'
        f'<rect width="{value:.1f}" height="10" fill="{colour}"/></svg>'
    )


@register.filter
def percent(value: float) -> str:
    """45.5 -> '45,5 %' the Vietnamese way (comma as the decimal mark)."""
    number = float(value or 0)
    text = f"{number:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + " %"


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key)
