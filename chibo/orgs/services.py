"""Writes to the org tree and to grants. Every write leaves an audit entry."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.audit import audit_record, snapshot
from chibo.core.models import AuditEntry
from chibo.core.roles import Role
from chibo.core.vntext import fold, nfc
from chibo.orgs import divisions
from chibo.orgs.models import Family, Grant, Level, Org, OrgStatus

if TYPE_CHECKING:
    from chibo.core.models import User

ORG_FIELDS = (
    "code", "name", "short_name", "family", "level", "status",
    "province_code", "ward_code", "hamlet", "merged_into", "ended_on",
)  # fmt: skip
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,39}$")


def org_search_text(name: str, short_name: str, code: str) -> str:
    return fold(f"{name} {short_name} {code}")


def _clean_org_fields(
    *,
    code: str,
    name: str,
    short_name: str,
    family: str,
    level: str,
    province_code: int | None,
    ward_code: int | None,
    hamlet: str,
    instance: Org | None = None,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    code = nfc(code).upper()
    name = nfc(name)
    if not _CODE.match(code):
        errors["code"] = _(
            "Mã “%(code)s” không hợp lệ: chỉ dùng chữ không dấu, chữ số, dấu chấm, gạch ngang, "
            "tối đa 40 ký tự."
        ) % {"code": code}
    elif Org.objects.filter(code=code).exclude(pk=instance.pk if instance else 0).exists():
        errors["code"] = _("Mã “%(code)s” đã được dùng cho một tổ chức khác.") % {"code": code}
    if not name:
        errors["name"] = _("Cần nhập tên tổ chức.")
    if family not in Family.values:
        errors["family"] = _("Hệ thống tổ chức không hợp lệ.")
    if level not in Level.values:
        errors["level"] = _("Cấp tổ chức không hợp lệ.")
    if province_code is not None and not divisions.province_name(province_code):
        errors["province_code"] = _("Mã tỉnh, thành phố %(code)s không có trong danh mục.") % {
            "code": province_code
        }
    if ward_code is not None:
        ward_province = divisions.ward_province(ward_code)
        if ward_province is None:
            errors["ward_code"] = _("Mã xã, phường %(code)s không có trong danh mục.") % {
                "code": ward_code
            }
        elif province_code is None or ward_province != province_code:
            errors["ward_code"] = _("Xã, phường đã chọn không thuộc tỉnh, thành phố đã chọn.")
    if errors:
        raise ValidationError(errors)
    short_name = nfc(short_name)
    return {
        "code": code,
        "name": name,
        "short_name": short_name,
        "family": family,
        "level": level,
        "province_code": province_code,
        "ward_code": ward_code,
        "hamlet": nfc(hamlet),
        "search_text": org_search_text(name, short_name, code),
    }


@transaction.atomic
def org_create(
    *,
    parent: Org | None,
    code: str,
    name: str,
    family: str,
    level: str,
    short_name: str = "",
    province_code: int | None = None,
    ward_code: int | None = None,
    hamlet: str = "",
    actor: User | None = None,
) -> Org:
    fields = _clean_org_fields(
        code=code,
        name=name,
        short_name=short_name,
        family=family,
        level=level,
        province_code=province_code,
        ward_code=ward_code,
        hamlet=hamlet,
    )
    if parent is not None and not parent.is_active:
        raise ValidationError({"parent": _("Không thể thêm tổ chức vào một tổ chức đã kết thúc.")})
    org: Org = (
        Org.objects.add_child(parent, fields)
        if parent is not None
        else Org.objects.add_root(fields)
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        subject=org,
        org_id=org.pk,
        summary=_("Thành lập %(name)s") % {"name": org.name},
        after=snapshot(org, ORG_FIELDS),
    )
    return org


@transaction.atomic
def org_update(
    *,
    org: Org,
    name: str,
    short_name: str,
    province_code: int | None,
    ward_code: int | None,
    hamlet: str,
    actor: User | None = None,
) -> Org:
    before = snapshot(org, ORG_FIELDS)
    fields = _clean_org_fields(
        code=org.code,
        name=name,
        short_name=short_name,
        family=org.family,
        level=org.level,
        province_code=province_code,
        ward_code=ward_code,
        hamlet=hamlet,
        instance=org,
    )
    for key, value in fields.items():
        setattr(org, key, value)
    org.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        subject=org,
        org_id=org.pk,
        summary=_("Sửa thông tin %(name)s") % {"name": org.name},
        before=before,
        after=snapshot(org, ORG_FIELDS),
    )
    return org


@transaction.atomic
def org_move(*, org: Org, new_parent: Org, actor: User | None = None) -> Org:
    """Move an org and its whole subtree under another parent (e.g. a district abolished)."""
    org.refresh_from_db()
    new_parent.refresh_from_db()
    if new_parent.path.startswith(org.path):
        raise ValidationError(
            {"new_parent": _("Không thể chuyển một tổ chức vào chính nó hoặc tổ chức cấp dưới.")}
        )
    if not new_parent.is_active:
        raise ValidationError({"new_parent": _("Tổ chức cấp trên mới đã kết thúc hoạt động.")})
    old_parent = Org.objects.get_parent(org)
    Org.objects.move(org, new_parent, pos="last-child")
    org.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.MOVE,
        subject=org,
        org_id=org.pk,
        summary=_("Chuyển %(org)s từ %(old)s về %(new)s")
        % {"org": org.name, "old": old_parent.name if old_parent else "—", "new": new_parent.name},
        before={"parent": old_parent.code if old_parent else None},
        after={"parent": new_parent.code},
    )
    return org


@transaction.atomic
def grant_create(*, user: User, org: Org, role: Role, actor: User | None = None) -> Grant:
    existing: Grant | None = Grant.objects.active().filter(user=user, org=org, role=role).first()
    if existing is not None:
        return existing
    grant = Grant.objects.create(user=user, org=org, role=role, granted_by=actor)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.GRANT,
        subject=grant,
        org_id=org.pk,
        person_id=_person_id_of(user),
        summary=_("Cấp quyền %(role)s tại %(org)s cho %(user)s")
        % {"role": Role(role).label, "org": org.name, "user": user.get_username()},
        after=grant.as_dict(),
    )
    return grant


@transaction.atomic
def grant_revoke(*, grant: Grant, actor: User | None = None) -> Grant:
    if grant.revoked_at is not None:
        return grant
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor
    grant.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.REVOKE,
        subject=grant,
        org_id=grant.org_id,
        person_id=_person_id_of(grant.user),
        summary=_("Thu hồi quyền %(role)s tại %(org)s của %(user)s")
        % {
            "role": Role(grant.role).label,
            "org": grant.org.name,
            "user": grant.user.get_username(),
        },
        before=grant.as_dict(),
    )
    return grant


def _person_id_of(user: User) -> int | None:
    person = getattr(user, "person", None)
    return person.pk if person is not None else None


def org_end(*, org: Org, status: OrgStatus, on: Any, merged_into: Org | None = None) -> None:
    org.status = status
    org.ended_on = on
    org.merged_into = merged_into
    org.save(update_fields=["status", "ended_on", "merged_into"])


def org_fields_check(
    *,
    code: str,
    name: str,
    family: str,
    level: str,
    province_code: int | None = None,
    ward_code: int | None = None,
) -> str:
    """What org_create would refuse about these fields, without writing anything: a page
    that creates several orgs at once reports every row's problems in one round. Returns
    the code as it would be stored."""
    fields = _clean_org_fields(
        code=code,
        name=name,
        short_name="",
        family=family,
        level=level,
        province_code=province_code,
        ward_code=ward_code,
        hamlet="",
    )
    return str(fields["code"])
