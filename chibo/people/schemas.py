"""What the API says about people, memberships and positions."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema

from chibo.orgs.models import Family
from chibo.orgs.schemas import OrgOut
from chibo.people.models import Gender, Membership, MembershipStatus, Person, Position, Title
from chibo.people.selectors import OrgOverview


def _gender_label(person: Person) -> str:
    return str(person.get_gender_display()) if person.gender else ""


class MemberOut(Schema):
    """One line of a member list: a membership and the person holding it."""

    membership_id: int
    person_id: int
    full_name: str
    family_name: str
    middle_name: str
    given_name: str
    gender: Gender | None
    gender_label: str
    birth_date: datetime.date | None
    org_code: str
    org_name: str
    family: Family
    status: MembershipStatus
    status_label: str
    joined_on: datetime.date | None
    official_on: datetime.date | None

    @staticmethod
    def resolve_membership_id(obj: Membership) -> int:
        return obj.pk

    @staticmethod
    def resolve_full_name(obj: Membership) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_family_name(obj: Membership) -> str:
        return obj.person.family_name

    @staticmethod
    def resolve_middle_name(obj: Membership) -> str:
        return obj.person.middle_name

    @staticmethod
    def resolve_given_name(obj: Membership) -> str:
        return obj.person.given_name

    @staticmethod
    def resolve_gender(obj: Membership) -> str | None:
        return obj.person.gender or None

    @staticmethod
    def resolve_gender_label(obj: Membership) -> str:
        return _gender_label(obj.person)

    @staticmethod
    def resolve_birth_date(obj: Membership) -> datetime.date | None:
        return obj.person.birth_date

    @staticmethod
    def resolve_org_code(obj: Membership) -> str:
        return str(obj.org.code)

    @staticmethod
    def resolve_org_name(obj: Membership) -> str:
        return str(obj.org.name)

    @staticmethod
    def resolve_status_label(obj: Membership) -> str:
        return str(obj.get_status_display())


class MemberPage(Schema):
    count: int = Field(
        description=(
            "Tổng số người của danh sách; khi `count_is_lower_bound` là true thì chỉ là số "
            "tối thiểu (có nhiều hơn)."
        )
    )
    count_is_lower_bound: bool = Field(
        False,
        description=(
            "true khi tìm theo tên khớp quá nhiều người (hơn 10.000): khi đó `count` là "
            "10.000, không đếm hết. Các trang sau vẫn lấy được bằng `next_cursor`."
        ),
    )
    limit: int
    # None for a page read by cursor or letter: its place is known by name, not by number.
    offset: int | None
    items: list[MemberOut]
    next_cursor: str | None = Field(
        None, description="Gửi lại làm `cursor` để lấy trang sau; null ở trang cuối."
    )
    previous_cursor: str | None = Field(
        None, description="Gửi lại làm `cursor` để lấy trang trước; null ở trang đầu."
    )


class MembershipOut(Schema):
    id: int
    org_code: str
    org_name: str
    family: Family
    status: MembershipStatus
    status_label: str
    joined_on: datetime.date | None
    official_on: datetime.date | None
    card_number: str
    started_on: datetime.date
    ended_on: datetime.date | None
    current: bool

    @staticmethod
    def resolve_org_code(obj: Membership) -> str:
        return str(obj.org.code)

    @staticmethod
    def resolve_org_name(obj: Membership) -> str:
        return str(obj.org.name)

    @staticmethod
    def resolve_status_label(obj: Membership) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_current(obj: Membership) -> bool:
        return obj.is_current


class PositionOut(Schema):
    id: int
    org_code: str
    org_name: str
    title: Title
    title_label: str
    started_on: datetime.date
    ended_on: datetime.date | None

    @staticmethod
    def resolve_org_code(obj: Position) -> str:
        return str(obj.org.code)

    @staticmethod
    def resolve_org_name(obj: Position) -> str:
        return str(obj.org.name)

    @staticmethod
    def resolve_title_label(obj: Position) -> str:
        return str(obj.get_title_display())


class PersonOut(Schema):
    id: int
    full_name: str
    family_name: str
    middle_name: str
    given_name: str
    gender: Gender | None
    gender_label: str
    birth_date: datetime.date | None
    memberships: list[MembershipOut]
    positions: list[PositionOut]


class OfficerOut(Schema):
    person_id: int
    full_name: str
    title: Title
    title_label: str
    started_on: datetime.date

    @staticmethod
    def resolve_full_name(obj: Position) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_title_label(obj: Position) -> str:
        return str(obj.get_title_display())


class MemberCountOut(Schema):
    family: Family
    family_label: str
    status: MembershipStatus
    status_label: str
    count: int

    @staticmethod
    def resolve_family_label(obj: dict[str, Any]) -> str:
        return str(Family(obj["family"]).label)

    @staticmethod
    def resolve_status_label(obj: dict[str, Any]) -> str:
        return str(MembershipStatus(obj["status"]).label)


class OrgDetailOut(OrgOut):
    officers: list[OfficerOut]
    member_counts: list[MemberCountOut] | None


class OrgDetail:
    """An org as OrgDetailOut reads it: the org's own fields, plus what the overview adds."""

    def __init__(self, overview: OrgOverview) -> None:
        self._org = overview.org
        self.parent_code = overview.parent.code if overview.parent else None
        self.officers = overview.officers
        self.member_counts = overview.member_counts

    def __getattr__(self, name: str) -> Any:
        return getattr(self._org, name)
