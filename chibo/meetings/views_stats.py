"""Pages of meeting statistics and of the Quy định 24-QĐ/TW absence warnings.

Both read a subtree: the org comes through `org_get_for` (404 outside the scope) and the
user needs at least VIEWER on it (403 for a plain member of the unit). The views only
parse the year and hand it to the selectors in stats.py and warnings.py.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from chibo.core.roles import Role
from chibo.core.scoping import require_role
from chibo.meetings.charts import meeting_stats_charts
from chibo.meetings.stats import EARLIEST_YEAR, clean_year, meeting_stats
from chibo.meetings.warnings import absence_counts, absence_warnings
from chibo.orgs.models import Family
from chibo.orgs.selectors import org_ancestors_visible, org_children, org_get_for


def _year(request: HttpRequest) -> tuple[int, str]:
    today = timezone.localdate()
    try:
        return clean_year(request.GET.get("year"), today), ""
    except ValidationError as error:
        return today.year, " ".join(error.message_dict["year"])


def _years() -> list[int]:
    today = timezone.localdate()
    return list(range(today.year + 1, max(EARLIEST_YEAR, today.year - 6) - 1, -1))


@login_required
@require_GET
def stats_page(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.VIEWER)
    year, year_error = _year(request)
    today = timezone.localdate()
    children = list(org_children(user=user, org=org)) if org.numchild else []
    stats = meeting_stats(org=org, year=year, today=today, children=children)
    counts = absence_counts(org=org, year=year) if org.family == Family.PARTY else None
    return render(
        request,
        "meetings/stats.html",
        {
            "org": org,
            "ancestors": org_ancestors_visible(user=user, org=org),
            "stats": stats,
            "charts": meeting_stats_charts(stats),
            "year": year,
            "years": _years(),
            "year_error": year_error,
            "absence_counts": counts,
        },
    )


@login_required
@require_GET
def warnings_page(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.VIEWER)
    year, year_error = _year(request)
    party = org.family == Family.PARTY
    return render(
        request,
        "meetings/warnings.html",
        {
            "org": org,
            "ancestors": org_ancestors_visible(user=user, org=org),
            "warnings": absence_warnings(org=org, year=year) if party else None,
            "year": year,
            "years": _years(),
            "year_error": year_error,
        },
    )
