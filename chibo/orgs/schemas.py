"""What the API says about an org."""

from __future__ import annotations

from typing import Any

from ninja import Schema

from chibo.orgs import divisions
from chibo.orgs.models import Family, Level, Org, OrgStatus


class OrgOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    family: Family
    family_label: str
    level: Level
    level_label: str
    status: OrgStatus
    status_label: str
    parent_code: str | None
    province_code: int | None
    province: str | None
    commune_code: int | None
    commune: str | None
    hamlet: str

    @staticmethod
    def resolve_family_label(obj: Org) -> str:
        return str(obj.get_family_display())

    @staticmethod
    def resolve_level_label(obj: Org) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_status_label(obj: Org) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_parent_code(obj: Any) -> str | None:
        # Annotated by orgs.selectors.org_list, or set by the handler for a single org.
        return getattr(obj, "parent_code", None) or None

    @staticmethod
    def resolve_province(obj: Org) -> str | None:
        return divisions.province_name(obj.province_code) or None

    @staticmethod
    def resolve_commune_code(obj: Org) -> int | None:
        code: int | None = obj.ward_code
        return code

    @staticmethod
    def resolve_commune(obj: Org) -> str | None:
        return divisions.ward_name(obj.ward_code) or None


class OrgPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[OrgOut]
