"""Models, their results and the roll-up of a subtree in the API; registering a model.

The same selectors, services and scoping as the pages: an org or a model outside the
user's scope answers 404; totals need the reader's role over the org (403 for a plain
member); registering needs the unit's officer, and an overlap with another unit's model
is refused until confirmed, as on the page (see `initiative_register`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from chibo.core.models import User
from chibo.core.roles import Role
from chibo.core.schemas import ErrorOut, ValidationErrorOut
from chibo.core.scoping import require_role
from chibo.initiatives.selectors import (
    fund_totals,
    indicator_progress,
    initiative_get_for,
    initiatives_for,
    rollup,
)
from chibo.initiatives.services import (
    FundData,
    IndicatorData,
    InitiativeData,
    initiative_register,
)
from chibo.orgs.selectors import org_get_for

router = Router(tags=["initiatives"])

ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
LIMIT = 200


class YearQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="Năm (mặc định: năm nay).")


class KindTotalOut(Schema):
    kind: str
    name: str
    dimension: str
    base_total: Decimal = Field(description="Tổng quy về đơn vị gốc (đồng, kg, m³, kWh…).")
    text: str
    initiatives: int


class ChildTotalOut(Schema):
    code: str
    name: str
    initiatives: int
    totals: dict[str, str]


class TotalsOut(Schema):
    code: str
    year: int
    initiatives: int
    kinds: list[KindTotalOut]
    children: list[ChildTotalOut]
    fund_contributed: Decimal
    fund_paid: Decimal


class InitiativeOut(Schema):
    id: int
    org_code: str
    kind: str
    title: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    status: str
    ward_code: int | None
    hamlet: str


class IndicatorOut(Schema):
    kind: str
    label: str
    unit: str
    target: Decimal | None
    done: Decimal
    percent: int | None


class InitiativeDetailOut(InitiativeOut):
    tasks: list[str]
    beneficiaries: str
    participants: str
    indicators: list[IndicatorOut]


def _year(query: YearQuery) -> int:
    return query.year or timezone.localdate().year


@router.get(
    "/orgs/{code}/initiative-totals",
    response={200: TotalsOut, **ERRORS},
    summary="Kết quả mô hình của một đơn vị và cấp dưới, theo loại chỉ tiêu",
)
def totals(request: HttpRequest, code: str, query: Query[YearQuery]) -> dict[str, Any]:
    org = org_get_for(user=request.user, code=code)
    require_role(request.user, org.path, Role.VIEWER)
    year = _year(query)
    result = rollup(org=org, year=year)
    kinds = {total.kind.pk: total.kind.code for total in result.kinds}
    funds = fund_totals(org=org, year=year)
    return {
        "code": org.code,
        "year": year,
        "initiatives": result.initiatives,
        "kinds": [
            {
                "kind": total.kind.code,
                "name": total.kind.name,
                "dimension": total.kind.dimension,
                "base_total": total.base_total,
                "text": total.text,
                "initiatives": total.initiatives,
            }
            for total in result.kinds
        ],
        "children": [
            {
                "code": child.org.code,
                "name": child.org.name,
                "initiatives": child.initiatives,
                "totals": {kinds[pk]: text for pk, text in child.totals.items()},
            }
            for child in result.children
        ],
        "fund_contributed": funds.contributed,
        "fund_paid": funds.paid,
    }


def _out(initiative: Any) -> dict[str, Any]:
    return {
        "id": initiative.pk,
        "org_code": initiative.org.code,
        "kind": initiative.kind,
        "title": initiative.title,
        "starts_on": initiative.starts_on,
        "ends_on": initiative.ends_on,
        "status": initiative.status,
        "ward_code": initiative.ward_code,
        "hamlet": initiative.hamlet,
    }


@router.get(
    "/orgs/{code}/initiatives",
    response={200: list[InitiativeOut], **ERRORS},
    summary="Mô hình, phần việc của đơn vị (và cấp dưới, với người được xem) trong năm",
)
def initiative_list(request: HttpRequest, code: str, query: Query[YearQuery]) -> list[Any]:
    org = org_get_for(user=request.user, code=code)
    rows = initiatives_for(user=request.user, org=org, year=_year(query))[:LIMIT]
    return [_out(row) for row in rows]


@router.get(
    "/initiatives/{initiative_id}",
    response={200: InitiativeDetailOut, **ERRORS},
    summary="Một mô hình với các chỉ tiêu và kết quả đạt được",
)
def initiative_detail(request: HttpRequest, initiative_id: int) -> dict[str, Any]:
    initiative = initiative_get_for(user=request.user, initiative_id=initiative_id)
    return _out(initiative) | {
        "tasks": initiative.task_lines(),
        "beneficiaries": initiative.beneficiaries,
        "participants": initiative.participants,
        "indicators": [
            {
                "kind": row.indicator.kind.code,
                "label": str(row.indicator),
                "unit": row.indicator.unit.code,
                "target": row.target,
                "done": row.done.quantize(Decimal("0.001")),
                "percent": row.percent,
            }
            for row in indicator_progress(initiative=initiative)
        ],
    }


# --- registering ------------------------------------------------------------------------------


class IndicatorIn(Schema):
    kind: str = Field(max_length=40, description="Mã loại chỉ tiêu (danh mục loại chỉ tiêu).")
    unit: str = Field(max_length=40, description="Mã đơn vị tính (danh mục đơn vị).")
    target: Decimal | None = Field(None, description="Chỉ tiêu đăng ký, theo đơn vị trên.")
    label: str = Field("", max_length=200)


class FundIn(Schema):
    unit: str = Field("dong", max_length=40)
    in_kind_unit: str = Field("", max_length=40)
    in_kind_rate: Decimal | None = None


class InitiativeIn(Schema):
    kind: str = Field(max_length=16)
    title: str = Field(max_length=300)
    tasks: str = Field(max_length=4000, description="Nội dung công việc, mỗi dòng một việc.")
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    owner_person_id: int | None = None
    participants: str = Field("", max_length=300)
    participant_count: int | None = None
    ward_code: int | None = None
    hamlet: str = Field("", max_length=120)
    beneficiaries: str = Field("", max_length=300)
    indicators: list[IndicatorIn] = Field(default_factory=list, max_length=50)
    fund: FundIn | None = None
    confirm_overlap: bool = Field(
        False,
        description="Đã xem các mô hình tương tự của đơn vị khác ở cùng địa bàn, cùng thời "
        "gian và vẫn đăng ký (không có thì bị từ chối, như trên trang).",
    )


@router.post(
    "/orgs/{code}/initiatives",
    response={201: InitiativeOut, **ERRORS},
    summary="Đăng ký một mô hình, phần việc của đơn vị (cán bộ của đơn vị)",
)
def initiative_create(
    request: HttpRequest, code: str, payload: InitiativeIn
) -> Status[dict[str, Any]]:
    org = org_get_for(user=request.user, code=code)
    require_role(request.user, org.path, Role.OFFICER)
    data = InitiativeData(
        kind=payload.kind,
        title=payload.title,
        tasks=payload.tasks,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        owner_person_id=payload.owner_person_id,
        participants=payload.participants,
        participant_count=payload.participant_count,
        ward_code=payload.ward_code,
        hamlet=payload.hamlet,
        beneficiaries=payload.beneficiaries,
        indicators=[
            IndicatorData(kind=row.kind, unit=row.unit, target=row.target, label=row.label)
            for row in payload.indicators
        ],
        fund=(
            FundData(
                unit=payload.fund.unit,
                in_kind_unit=payload.fund.in_kind_unit,
                in_kind_rate=payload.fund.in_kind_rate,
            )
            if payload.fund
            else None
        ),
    )
    initiative = initiative_register(
        org=org,
        data=data,
        actor=request.user if isinstance(request.user, User) else None,
        confirm_overlap=payload.confirm_overlap,
    )
    return Status(201, _out(initiative))
