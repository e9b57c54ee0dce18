"""The org tree in the API: the list of orgs a user may open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router

from chibo.core.schemas import ErrorOut, Paging, paginate
from chibo.orgs.models import Family, Level
from chibo.orgs.schemas import OrgPage
from chibo.orgs.selectors import org_list

router = Router(tags=["orgs"])


class OrgFilters(Paging):
    q: str = Field("", max_length=100, description="Tìm theo tên hoặc mã, không phân biệt dấu.")
    family: Family | None = None
    level: Level | None = None


@router.get(
    "",
    response={200: OrgPage, 401: ErrorOut, 422: Any},
    summary="Các tổ chức người dùng được xem",
)
def orgs_list(request: HttpRequest, filters: Query[OrgFilters]) -> dict[str, Any]:
    orgs = org_list(
        user=request.user,
        query=filters.q,
        family=filters.family or "",
        level=filters.level or "",
    )
    return paginate(orgs, filters)
