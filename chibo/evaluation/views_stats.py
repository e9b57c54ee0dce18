"""The statistics page and the round's two downloads (summary table, decision list).

Each view only parses its input and hands it to stats.py, exports.py and docx.py. The org
comes through `org_get_for` (404 outside the scope) and the user needs at least VIEWER on
it (403 for a plain member of the unit).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from chibo.core.exporters import export_response
from chibo.core.roles import Role
from chibo.core.scoping import require_role
from chibo.evaluation.docx import decision_docx, decision_filename
from chibo.evaluation.exports import SummaryExporter
from chibo.evaluation.stats import (
    EARLIEST_YEAR,
    clean_year,
    decision_export_audit,
    evaluation_stats,
    round_for_export,
    round_label,
)
from chibo.evaluation.stats_charts import evaluation_stats_charts
from chibo.orgs.selectors import org_ancestors_visible, org_children, org_get_for

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _year(request: HttpRequest) -> tuple[int, str]:
    today = timezone.localdate()
    try:
        return clean_year(request.GET.get("year"), today), ""
    except ValidationError as error:
        return today.year - 1, " ".join(error.message_dict["year"])


def _years() -> list[int]:
    today = timezone.localdate()
    return list(range(today.year, max(EARLIEST_YEAR, today.year - 8) - 1, -1))


@login_required
@require_GET
def stats_page(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.VIEWER)
    year, year_error = _year(request)
    children = list(org_children(user=user, org=org)) if org.numchild else []
    stats = evaluation_stats(org=org, year=year, children=children)
    # Downloads of the year's rounds: of this node when a round covers it, of the round's
    # own organisation when the round lies below it.
    downloads = [
        (
            item,
            org.code if org.path.startswith(item.org.path) else item.org.code,
            round_label(user, item),
        )
        for item in stats.rounds
    ]
    return render(
        request,
        "evaluation/stats.html",
        {
            "org": org,
            "ancestors": org_ancestors_visible(user=user, org=org),
            "stats": stats,
            "children": [
                {
                    "org": child.org,
                    "figures": child.figures,
                    "grade": stats.unit_grades.get(child.org.pk, ""),
                }
                for child in stats.children
            ],
            "charts": evaluation_stats_charts(stats),
            "downloads": downloads,
            "open_rounds": [round_label(user, item) for item in stats.open_rounds],
            "year": year,
            "years": _years(),
            "year_error": year_error,
        },
    )


@login_required
@require_GET
def summary_xlsx(request: HttpRequest, round_id: int) -> HttpResponseBase:
    user = request.user
    round_, org = round_for_export(user=user, pk=round_id, code=request.GET.get("org", ""))
    children = list(org_children(user=user, org=org)) if org.numchild else []
    stats = evaluation_stats(org=org, year=round_.year, children=children, round_=round_)
    return export_response(SummaryExporter(stats, round_, user=user), "xlsx")


@login_required
@require_GET
def decision_download(request: HttpRequest, round_id: int) -> HttpResponse:
    user = request.user
    round_, org = round_for_export(user=user, pk=round_id, code=request.GET.get("org", ""))
    body, count = decision_docx(round_=round_, org=org, day=timezone.localdate())
    filename = decision_filename(round_=round_, org=org)
    decision_export_audit(user=user, round_=round_, org=org, count=count, filename=filename)
    response = HttpResponse(body, content_type=DOCX_TYPE)
    response["Content-Disposition"] = str(
        content_disposition_header(as_attachment=True, filename=filename)
    )
    response["Cache-Control"] = "no-store, private"
    return response
