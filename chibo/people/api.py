"""People in the API: an org's page with its officers and counts, its members, a person.

These routes live here, not in the orgs app, because they read people: the orgs app
builds on core only and must not import people.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router

from chibo.core.roles import Role
from chibo.core.schemas import ErrorOut, Paging, ValidationErrorOut
from chibo.core.scoping import require_role
from chibo.orgs.selectors import org_get_for
from chibo.people.models import MembershipStatus
from chibo.people.schemas import MemberPage, OrgDetail, OrgDetailOut, PersonOut
from chibo.people.selectors import (
    member_roll,
    org_overview,
    person_get_for,
    person_memberships_for,
    person_positions_for,
)

router = Router()

ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class MemberFilters(Paging):
    q: str = Field("", max_length=100, description="Tìm theo họ tên, không phân biệt dấu.")
    status: MembershipStatus | None = Field(
        None, description="Chỉ những người có tư cách này (mặc định: đang sinh hoạt)."
    )
    descendants: bool = Field(False, description="Gồm cả thành viên của các tổ chức cấp dưới.")


@router.get(
    "/orgs/{code}",
    response={200: OrgDetailOut, **ERRORS},
    tags=["orgs"],
    summary="Một tổ chức: cán bộ và số thành viên",
)
def org_detail(request: HttpRequest, code: str) -> OrgDetail:
    return OrgDetail(org_overview(user=request.user, code=code))


@router.get(
    "/orgs/{code}/members",
    response={200: MemberPage, **ERRORS},
    tags=["members"],
    summary="Danh sách thành viên của một tổ chức",
)
def org_members(request: HttpRequest, code: str, filters: Query[MemberFilters]) -> dict[str, Any]:
    org = org_get_for(user=request.user, code=code)
    # A plain member may open their unit but not read its roll: 403, not 404, since
    # they already know the unit exists.
    require_role(request.user, org.path, Role.VIEWER)
    members = member_roll(
        user=request.user,
        org=org,
        query=filters.q,
        status=filters.status or "",
        descendants=filters.descendants,
    )
    items, count = members.page(offset=filters.offset, limit=filters.limit)
    return {"count": count, "limit": filters.limit, "offset": filters.offset, "items": items}


@router.get(
    "/members/{person_id}",
    response={200: PersonOut, **ERRORS},
    tags=["members"],
    summary="Một người: họ tên, tư cách thành viên, chức vụ",
)
def member_detail(request: HttpRequest, person_id: int) -> dict[str, Any]:
    person = person_get_for(user=request.user, person_id=person_id)
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "family_name": person.family_name,
        "middle_name": person.middle_name,
        "given_name": person.given_name,
        "gender": person.gender or None,
        "gender_label": person.get_gender_display() if person.gender else "",
        "birth_date": person.birth_date,
        "memberships": list(person_memberships_for(user=request.user, person=person)),
        "positions": list(person_positions_for(user=request.user, person=person)),
    }
