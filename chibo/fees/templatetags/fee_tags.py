"""Template helpers of the fee pages, and the hooks other apps' pages load.

`people` never imports `fees`: its org page and unit card `{% load fee_tags %}` and call
`fee_org_block` / `fee_unit_alert`. Both are guarded: whatever goes wrong in them is
logged and renders nothing, so the org page and the home page always work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django import template
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from chibo.core.roles import Role
from chibo.core.scoping import scope_for
from chibo.fees.ledger import Flag
from chibo.fees.models import FeeBasis
from chibo.fees.selectors import FLAG_LEVELS, fee_flags, last_ended_month
from chibo.orgs.models import Family, Org

register = template.Library()
log = logging.getLogger(__name__)


@register.filter
def dong(value: int | None) -> str:
    """12000 -> '12.000 đ' (or '12,000 đ' in English)."""
    if value is None:
        return ""
    separator = str(formats.get_format("THOUSAND_SEPARATOR"))
    return f"{int(value):,}".replace(",", separator) + " đ"


@register.filter
def basis_details(basis: FeeBasis) -> str:
    """'lương 5.000.000 đ; phụ cấp 500.000 đ; …': what a fee basis records, in words."""
    parts = []
    for amount, label in (
        (basis.salary, _("lương")),
        (basis.allowances, _("phụ cấp")),
        (basis.pension, _("lương hưu")),
        (basis.benefit, _("trợ cấp")),
    ):
        if amount:
            parts.append(f"{label} {dong(amount)}")
    if basis.area:
        parts.append(str(basis.get_area_display()))
    if basis.wage_region:
        parts.append(f"{_('lương tối thiểu')} {basis.get_wage_region_display()}")
    if basis.voluntary_amount:
        parts.append(f"{_('tự nguyện')} {dong(basis.voluntary_amount)}")
    if basis.relief_percent:
        relief = _("miễn, giảm %(percent)s%% (%(reason)s)") % {
            "percent": basis.relief_percent,
            "reason": basis.relief_reason,
        }
        if basis.relief_until:
            relief += " " + _("đến hết %(month)s") % {"month": basis.relief_until.strftime("%m/%Y")}
        parts.append(relief)
    if basis.decision_number:
        parts.append(_("quyết định %(number)s") % {"number": basis.decision_number})
    return "; ".join(parts)


def _guarded(name: str, render: Callable[[], str]) -> SafeString:
    try:
        return mark_safe(render())
    except Exception:  # the host page must render whatever happens here
        log.exception("fee_tags.%s failed", name)
        return mark_safe("")


@register.simple_tag(takes_context=True)
def fee_org_block(context: template.Context, org: Org) -> SafeString:
    """On a party unit's page, for those who read it: the way to the collection sheet,
    and the members two or three months behind this year."""

    def render() -> str:
        request = context.get("request")
        user = getattr(request, "user", None)
        if user is None or org.family != Family.PARTY:
            return ""
        role = scope_for(user).role_at(org.path)
        if role is None or role < Role.VIEWER:
            return ""
        today = timezone.localdate()
        flags = fee_flags(user=user, org=org, today=today) if org.level in FLAG_LEVELS else []
        return render_to_string(
            "fees/_org_block.html",
            {
                "org": org,
                "flags": flags,
                "removal": [f for f in flags if f.flag is Flag.REMOVAL],
                "warning": [f for f in flags if f.flag is Flag.WARNING],
                "year": last_ended_month(today).year,
                "lists": org.level in FLAG_LEVELS,
                "can_export": role >= Role.COMMITTEE,
            },
            request=request,
        )

    return _guarded("fee_org_block", render)


@register.simple_tag(takes_context=True)
def fee_unit_alert(context: template.Context, org: Org) -> SafeString:
    """On the home page's card of a party unit: how many members are behind with their
    fees (for those who read the unit), or the way to one's own fee account."""

    def render() -> str:
        request = context.get("request")
        user = getattr(request, "user", None)
        if user is None or org.family != Family.PARTY:
            return ""
        scope = scope_for(user)
        role = scope.role_at(org.path)
        if role is None:
            return ""
        today = timezone.localdate()
        reads = role >= Role.VIEWER
        flags = fee_flags(user=user, org=org, today=today) if reads else []
        return render_to_string(
            "fees/_unit_alert.html",
            {
                "org": org,
                "reads": reads,
                "person_id": scope.person_id,
                "warning": sum(1 for f in flags if f.flag is Flag.WARNING),
                "removal": sum(1 for f in flags if f.flag is Flag.REMOVAL),
                "year": last_ended_month(today).year,
            },
            request=request,
        )

    return _guarded("fee_unit_alert", render)
