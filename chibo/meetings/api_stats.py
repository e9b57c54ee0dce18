"""`GET /api/v1/orgs/{code}/meeting-stats?year=`: the statistics page's figures as JSON.

The same selectors and scoping as the page: 404 outside the user's scope, 403 for a
plain member of the unit, 422 with a Vietnamese message for a year that is not one.
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
from chibo.meetings.stats import MeetingStats, clean_year, meeting_stats
from chibo.meetings.warnings import absence_counts
from chibo.orgs.models import Family
from chibo.orgs.selectors import org_children, org_get_for

router = Router(tags=["meetings"])


class OrgRef(Schema):
    code: str
    name: str


class MonthOut(Schema):
    month: int
    due: int = Field(description="Số đơn vị phải sinh hoạt định kỳ trong tháng.")
    held_units: int = Field(description="Số đơn vị đã sinh hoạt định kỳ của tháng.")
    missing: int = Field(description="Số đơn vị không sinh hoạt (chỉ tính tháng đã qua).")
    held: int = Field(description="Số buổi đã họp, mọi loại.")
    thematic: int
    planned: int
    cancelled: int
    moved: int = Field(description="Buổi họp vào một tháng khác tháng của nó.")
    late_schedule: int = Field(description="Buổi nhập ngày họp sau hạn của cấp ủy.")
    late_documents: int = Field(description="Buổi có tài liệu công bố chưa đủ một ngày trước.")
    expected: int
    present: int
    attendance_percent: float | None
    open: bool
    ended: bool


class QuarterOut(Schema):
    quarter: int
    due: int
    units: int
    meetings: int
    missing: int


class MissedOut(Schema):
    org: OrgRef
    missed_months: list[int]


class ChildOut(Schema):
    org: OrgRef
    units: int
    due_unit_months: int
    held_unit_months: int
    held_percent: float | None
    held: int
    thematic: int
    attendance_percent: float | None


class AbsencesOut(Schema):
    warning: int = Field(description="Đảng viên vắng không lý do 2 tháng trong năm.")
    removal: int = Field(description="Đảng viên vắng không lý do từ 3 tháng trong năm.")


class MeetingStatsOut(Schema):
    org: OrgRef
    year: int
    units: int
    due_unit_months: int
    held_unit_months: int
    held_percent: float | None
    held: int
    thematic: int
    expected: int
    present: int
    attendance_percent: float | None
    moved: int
    late_schedule: int
    late_documents: int
    cancelled: int
    missed_count: int
    thematic_missing: int
    months: list[MonthOut]
    quarters: list[QuarterOut]
    missed: list[MissedOut]
    children: list[ChildOut]
    absences: AbsencesOut | None = Field(
        description="Cảnh báo theo Quy định 24-QĐ/TW (chỉ với tổ chức đảng)."
    )


def _org(org: Any) -> dict[str, str]:
    return {"code": org.code, "name": org.name}


def stats_as_dict(stats: MeetingStats, absences: tuple[int, int] | None) -> dict[str, Any]:
    fields = (
        "year", "units", "due_unit_months", "held_unit_months", "held_percent", "held",
        "thematic", "expected", "present", "attendance_percent", "moved", "late_schedule",
        "late_documents", "cancelled", "missed_count", "thematic_missing",
    )  # fmt: skip
    data: dict[str, Any] = {name: getattr(stats, name) for name in fields}
    data["org"] = _org(stats.org)
    data["months"] = [
        {name: getattr(month, name) for name in MonthOut.model_fields} for month in stats.months
    ]
    data["quarters"] = [
        {name: getattr(quarter, name) for name in QuarterOut.model_fields}
        for quarter in stats.quarters
    ]
    data["missed"] = [
        {"org": _org(item.org), "missed_months": item.missed_months} for item in stats.missed
    ]
    data["children"] = [
        {
            "org": _org(child.org),
            **{name: getattr(child, name) for name in ChildOut.model_fields if name != "org"},
        }
        for child in stats.children
    ]
    data["absences"] = (
        {"warning": absences[0], "removal": absences[1]} if absences is not None else None
    )
    return data


@router.get(
    "/orgs/{code}/meeting-stats",
    response={
        200: MeetingStatsOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Thống kê sinh hoạt của một tổ chức và các đơn vị trực thuộc trong một năm",
)
def meeting_stats_get(
    request: HttpRequest, code: str, year: str = ""
) -> Status[dict[str, Any]] | dict[str, Any]:
    user = request.user
    org = org_get_for(user=user, code=code)
    require_role(user, org.path, Role.VIEWER)
    today = timezone.localdate()
    try:
        chosen = clean_year(year, today)
    except ValidationError as error:
        message = " ".join(error.message_dict["year"])
        problem = {"type": "value_error", "loc": ["query", "year"], "msg": message}
        return Status(422, {"detail": [{**problem, "message": message}]})
    children = list(org_children(user=user, org=org)) if org.numchild else []
    stats = meeting_stats(org=org, year=chosen, today=today, children=children)
    absences = absence_counts(org=org, year=chosen) if org.family == Family.PARTY else None
    return stats_as_dict(stats, absences)
