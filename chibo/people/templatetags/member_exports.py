"""Links to download the member list with the filters the page is showing."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.http import urlencode

register = template.Library()

# The page's filters; the page number is not one (a download holds every page).
FILTERS = ("q", "status", "descendants")


@register.simple_tag(takes_context=True)
def member_export_url(context: dict[str, Any], code: str, fmt: str) -> str:
    url = reverse("org_members_export", kwargs={"code": code, "fmt": fmt})
    request = context.get("request")
    if request is None:
        return url
    params = [(name, value) for name in FILTERS for value in request.GET.getlist(name) if value]
    return f"{url}?{urlencode(params)}" if params else url
