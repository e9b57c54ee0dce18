"""The probation reminder on the home page's unit cards, for the unit's officers."""

from __future__ import annotations

from typing import Any

from django import template

from chibo.core.roles import Role
from chibo.core.scoping import scope_for
from chibo.orgs.models import Family, Org
from chibo.people.admissions import probation_due_list

register = template.Library()


@register.inclusion_tag("people/lifecycle/_unit_alert.html", takes_context=True)
def party_unit_alert(context: dict[str, Any], org: Org) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if (
        user is None
        or org.family != Family.PARTY
        or not scope_for(user).can(org.path, Role.OFFICER)
    ):
        return {"rows": [], "org": org}
    return {"rows": probation_due_list(user=user, orgs=[org], limit=5), "org": org}
