"""Evaluation routes of the JSON API.

`GET /api/v1/orgs/{code}/evaluation-stats?year=`: the statistics page's figures. The same
selectors and scoping as the page: 404 outside the user's scope, 403 for a plain member of
the unit, 422 with a Vietnamese message for a year that is not one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from chibo.core.roles import Role
from chibo.core.schemas import ErrorOut, ValidationErrorOut
from chibo.core.scoping import require_role
from chibo.evaluation.stats import clean_year, evaluation_stats
from chibo.orgs.selectors import org_children, org_get_for

router = Router(tags=["evaluation"])


class OrgRef(Schema):
    code: str
    name: str


class GradeOut(Schema):
    grade: str = Field(description="Mã mức xếp loại (excellent, good, pass, fail; strong …).")
    label: str
    count: int
    percent: float | None = Field(description="Tỷ lệ trên số được xếp loại, hai chữ số thập phân.")


class CountsOut(Schema):
    listed: int = Field(description="Số có tên trong đợt đánh giá.")
    excluded: int = Field(description="Số không xếp loại theo quy định (miễn, đình chỉ …).")
    graded: int = Field(description="Số đã có mức xếp loại của cấp ủy.")
    pending: int = Field(description="Số chưa có mức xếp loại.")
    grades: list[GradeOut]
    good_or_above: int = Field(description="Hoàn thành tốt nhiệm vụ trở lên.")
    good_or_above_percent: float | None


class FiguresOut(Schema):
    year: int
    provisional: bool = Field(description="Có đợt đánh giá chưa hoàn thành: số liệu tạm thời.")
    members: CountsOut
    party_units: CountsOut
    mass_units: CountsOut = Field(description="Tổ chức hội, đoàn: vững mạnh, khá, trung bình, yếu.")


class ChildOut(FiguresOut):
    org: OrgRef
    unit_grade: str = Field(description="Mức xếp loại của chính đơn vị năm đó, nếu đã có.")


class RoundOut(Schema):
    id: int
    org: OrgRef | None = Field(
        description="Tổ chức mở đợt; null khi người dùng không được xem tổ chức đó (cấp trên)."
    )
    year: int
    rule_set: str
    status: str


class EvaluationStatsOut(Schema):
    org: OrgRef
    year: int
    provisional: bool
    rounds: list[RoundOut]
    unit_grade: str = Field(description="Mức xếp loại của chính tổ chức năm đó, nếu đã có.")
    members: CountsOut
    party_units: CountsOut
    mass_units: CountsOut
    history: list[FiguresOut] = Field(description="Các năm trước và năm được hỏi, cũ trước.")
    children: list[ChildOut]


@router.get(
    "/orgs/{code}/evaluation-stats",
    response={
        200: EvaluationStatsOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Thống kê đánh giá, xếp loại của một tổ chức và các đơn vị trực thuộc trong một năm",
)
def evaluation_stats_get(
    request: HttpRequest, code: str, year: str = ""
) -> Status[dict[str, Any]] | dict[str, Any]:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.VIEWER)
    try:
        chosen = clean_year(year, timezone.localdate())
    except ValidationError as error:
        message = " ".join(error.message_dict["year"])
        problem = {"type": "value_error", "loc": ["query", "year"], "msg": message}
        return Status(422, {"detail": [{**problem, "message": message}]})
    children = list(org_children(user=user, org=org)) if org.numchild else []
    return evaluation_stats(org=org, year=chosen, children=children).as_dict(user=user)
