"""People in the API: an org's page with its officers and counts, its members, a person.

These routes live here, not in the orgs app, because they read people: the orgs app
builds on core only and must not import people.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status

from chibo.core.roles import Role
from chibo.core.schemas import ErrorOut, Paging, ValidationErrorOut
from chibo.core.scoping import require_role
from chibo.core.vntext import nfc
from chibo.orgs.selectors import org_get_for
from chibo.people.models import MembershipStatus
from chibo.people.schemas import MemberPage, OrgDetail, OrgDetailOut, PersonOut
from chibo.people.selectors import (
    MAX_SKIP,
    SEARCH_COUNT_CAP,
    BadCursor,
    RollPage,
    cursor_load,
    letter_key,
    member_roll,
    org_overview,
    person_get_for,
    person_memberships_for,
    person_positions_for,
)

router = Router()

ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


class MemberFilters(Paging):
    q: str = Field(
        "",
        max_length=100,
        description=(
            "Tìm theo họ tên, không phân biệt dấu. Một hoặc hai chữ cái: những người có tên "
            "(không tính họ, tên đệm) bắt đầu bằng các chữ đó."
        ),
    )
    status: MembershipStatus | None = Field(
        None, description="Chỉ những người có tư cách này (mặc định: đang sinh hoạt)."
    )
    descendants: bool = Field(False, description="Gồm cả thành viên của các tổ chức cấp dưới.")
    cursor: str = Field(
        "",
        max_length=1000,
        description=(
            "Trang tiếp theo hoặc trang trước theo con trỏ: giá trị `next_cursor` hay "
            "`previous_cursor` của câu trả lời trước, giữ nguyên các tham số lọc. Nhanh như "
            "nhau ở mọi chỗ trong danh sách; không dùng cùng `offset` hay `letter`."
        ),
    )
    letter: str = Field(
        "",
        max_length=4,
        description=(
            "Bắt đầu từ người đầu tiên có tên bắt đầu bằng chữ cái này (bảng chữ cái tiếng "
            "Việt: A Ă Â B C D Đ E Ê …); không dùng cùng `offset` hay `cursor`."
        ),
    )


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
    description=(
        "Theo thứ tự tên tiếng Việt (tên, tên đệm, họ). Hai cách chuyển trang:\n\n"
        "- `offset` và `limit`: cho danh sách nhỏ và cho những trang gần đầu hoặc cuối "
        f"danh sách (bỏ qua tối đa {MAX_SKIP:,} dòng tính từ đầu gần hơn; xa hơn: 422);\n"
        "- `cursor`: lấy `next_cursor` (trang sau) hoặc `previous_cursor` (trang trước) của "
        "câu trả lời trước và gửi lại với cùng các tham số lọc; nhanh ở mọi chỗ của danh "
        "sách, kể cả giữa danh sách 300.000 người. `letter` mở danh sách tại chữ cái đầu "
        "của tên. Con trỏ là một chuỗi có chữ ký: sửa hay cắt nó thì nhận 422.\n\n"
        "`count` là tổng số chính xác, trừ khi tìm theo tên (`q`) khớp hơn "
        f"{SEARCH_COUNT_CAP:,} người: khi đó `count` là {SEARCH_COUNT_CAP:,} và "
        "`count_is_lower_bound` là true (có nhiều hơn). Chuyển trang bằng `cursor` không "
        "cần đếm hết; `offset` lớn hơn 0 ở danh sách như vậy thì phải đếm hết nên chậm hơn. "
        "`offset` là null khi trang được lấy theo con trỏ."
    ),
)
def org_members(
    request: HttpRequest, code: str, filters: Query[MemberFilters]
) -> Status[dict[str, Any]] | dict[str, Any]:
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
    if filters.cursor or filters.letter:
        if filters.offset or (filters.cursor and filters.letter):
            return _invalid(
                "offset" if filters.offset else "letter",
                _("Chỉ dùng một cách chuyển trang: hoặc offset, hoặc cursor, hoặc letter."),
            )
        try:
            if filters.cursor:
                key, backwards = cursor_load(filters.cursor)
            else:
                key, backwards = letter_key(nfc(filters.letter).upper()), False
        except BadCursor:
            if filters.cursor:
                return _invalid(
                    "cursor",
                    _(
                        "Con trỏ (cursor) không hợp lệ: hãy dùng nguyên văn giá trị "
                        "next_cursor hoặc previous_cursor mà API đã trả về."
                    ),
                )
            return _invalid(
                "letter", _("Chữ cái (letter) phải là một chữ cái tiếng Việt, ví dụ T hay Đ.")
            )
        found = members.seek(key=key, backwards=backwards, limit=filters.limit)
        return {
            "count": members.count(),
            "count_is_lower_bound": members.count_is_lower_bound,
            "limit": filters.limit,
            "offset": None,
            "items": found.items,
            "next_cursor": found.next_cursor,
            "previous_cursor": found.previous_cursor,
        }
    if not members.reaches(filters.offset, filters.limit):
        return _invalid(
            "offset",
            _(
                "offset quá xa đầu và cuối danh sách (tối đa %(most)s dòng tính từ đầu gần "
                "hơn): hãy chuyển trang bằng cursor (next_cursor của trang trước) hoặc letter."
            )
            % {"most": MAX_SKIP},
        )
    items, count = members.page(offset=filters.offset, limit=filters.limit)
    page = RollPage(
        items,
        has_previous=filters.offset > 0,
        # Past the cap `count` is less than the list: a full page may have more after it.
        has_next=filters.offset + len(items) < count
        or (members.count_is_lower_bound and len(items) == filters.limit),
    )
    return {
        "count": count,
        "count_is_lower_bound": members.count_is_lower_bound,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": items,
        "next_cursor": page.next_cursor,
        "previous_cursor": page.previous_cursor,
    }


def _invalid(field: str, message: str) -> Status[dict[str, Any]]:
    problem = {"type": "value_error", "loc": ["query", field], "msg": message}
    return Status(422, {"detail": [{**problem, "message": message}]})


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
