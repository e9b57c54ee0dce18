"""Study themes, commitment compliance and one's commitment in the API (read-only).

The same selectors and scoping as the pages: an org or a commitment outside the user's
scope answers 404.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from chibo.core.roles import Role
from chibo.core.schemas import ErrorOut, ValidationErrorOut
from chibo.core.scoping import require_role
from chibo.orgs.selectors import org_get_for
from chibo.plans.selectors import (
    Compliance,
    ComplianceRow,
    commitment_compliance,
    commitment_get_for,
    themes_for_unit,
)

router = Router(tags=["plans"])

ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class YearQuery(Schema):
    year: int | None = Field(None, ge=2016, le=2100, description="Năm (mặc định: năm nay).")


class ThemeOut(Schema):
    id: int
    kind: str
    title: str
    year: int
    end_year: int
    issued_on: datetime.date
    document_number: str
    has_plan: bool


class ComplianceRowOut(Schema):
    code: str
    name: str
    members: int
    submitted: int
    approved: int
    mid_reported: int
    end_reported: int


class ComplianceOut(Schema):
    year: int
    day: datetime.date
    total: ComplianceRowOut
    children: list[ComplianceRowOut]


class ItemOut(Schema):
    kind: str
    text: str
    mid_result: str
    end_result: str


class CommitmentOut(Schema):
    id: int
    person_id: int
    org_code: str
    year: int
    status: str
    job_position: str
    items: list[ItemOut]


def _row(row: ComplianceRow) -> dict[str, Any]:
    return {
        "code": row.org.code,
        "name": row.org.name,
        "members": row.members,
        "submitted": row.submitted,
        "approved": row.approved,
        "mid_reported": row.mid,
        "end_reported": row.end,
    }


@router.get(
    "/orgs/{code}/themes",
    response={200: list[ThemeOut], **ERRORS},
    summary="Chuyên đề học tập gửi đến một đơn vị trong năm",
)
def org_themes(request: HttpRequest, code: str, query: Query[YearQuery]) -> list[dict[str, Any]]:
    org = org_get_for(user=request.user, code=code)
    year = query.year or timezone.localdate().year
    return [
        {
            "id": theme.pk,
            "kind": theme.kind,
            "title": theme.title,
            "year": theme.year,
            "end_year": theme.end_year,
            "issued_on": theme.issued_on,
            "document_number": theme.document_number,
            "has_plan": getattr(theme, "plan", None) is not None,
        }
        for theme in themes_for_unit(user=request.user, org=org, year=year)
    ]


@router.get(
    "/orgs/{code}/commitment-compliance",
    response={200: ComplianceOut, **ERRORS},
    summary="Tỷ lệ thành viên đã viết, được duyệt, đã tự đánh giá bản cam kết",
)
def org_compliance(request: HttpRequest, code: str, query: Query[YearQuery]) -> dict[str, Any]:
    org = org_get_for(user=request.user, code=code)
    require_role(request.user, org.path, Role.VIEWER)
    result: Compliance = commitment_compliance(
        org=org, year=query.year or timezone.localdate().year
    )
    return {
        "year": result.year,
        "day": result.day,
        "total": _row(result.total),
        "children": [_row(row) for row in result.children],
    }


@router.get(
    "/commitments/{commitment_id}",
    response={200: CommitmentOut, **ERRORS},
    summary="Một bản cam kết (của mình, hoặc của đơn vị mình được xem)",
)
def commitment_detail(request: HttpRequest, commitment_id: int) -> dict[str, Any]:
    commitment = commitment_get_for(user=request.user, commitment_id=commitment_id)
    return {
        "id": commitment.pk,
        "person_id": commitment.person_id,
        "org_code": commitment.org.code,
        "year": commitment.year,
        "status": commitment.status,
        "job_position": commitment.job_position,
        "items": [
            {
                "kind": item.kind,
                "text": item.text,
                "mid_result": item.mid_result,
                "end_result": item.end_result,
            }
            for item in commitment.items.all()
        ],
    }
