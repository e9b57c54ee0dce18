"""Merging and splitting orgs, with history kept.

The org tree does not know what other apps hang off an org. Each app that needs more
than "the rows follow the org" registers a mover; rows of any other model with an `org`
foreign key simply follow a merged org to its target. Nothing is deleted: the merged or
split org stays readable, with its status, end date and a pointer to where it went.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from chibo.core.audit import audit_record
from chibo.core.models import AuditEntry
from chibo.orgs.models import Grant, Org, OrgStatus
from chibo.orgs.services import grant_revoke, org_create, org_end

if TYPE_CHECKING:
    from chibo.core.models import User


class RecordMover(Protocol):
    def merge(self, *, source: Org, target: Org, on: datetime.date, actor: User | None) -> int: ...

    def split(
        self,
        *,
        source: Org,
        parts: Mapping[Org, frozenset[int]],
        on: datetime.date,
        actor: User | None,
    ) -> int: ...


_movers: dict[type[models.Model], RecordMover] = {}
# Grants are access, not records: a grant on a merged org is revoked, never carried over.
_NOT_MOVED: set[type[models.Model]] = {Grant}


def register_mover(model: type[models.Model], mover: RecordMover) -> None:
    _movers[model] = mover


class StaysWithOrg:
    """For records that are the org's own history (its evaluation in a year, the round it
    held): they stay on the merged or split org, which stays readable."""

    def merge(self, *, source: Org, target: Org, on: datetime.date, actor: User | None) -> int:
        return 0

    def split(
        self,
        *,
        source: Org,
        parts: Mapping[Org, frozenset[int]],
        on: datetime.date,
        actor: User | None,
    ) -> int:
        return 0


def register_history(*models_: type[models.Model]) -> None:
    """Register models whose rows stay with their org through mergers and splits."""
    for model in models_:
        register_mover(model, StaysWithOrg())


def _org_owned_models() -> list[type[models.Model]]:
    owned = []
    for model in apps.get_models():
        try:
            org_field = model._meta.get_field("org")
        except Exception:
            continue
        if getattr(org_field, "related_model", None) is Org and model not in _NOT_MOVED:
            owned.append(model)
    return owned


@dataclass(frozen=True)
class SplitPart:
    code: str
    name: str
    person_ids: frozenset[int]
    short_name: str = ""
    hamlet: str = ""


@dataclass
class RestructureResult:
    moved: dict[str, int] = field(default_factory=dict)
    created: list[Org] = field(default_factory=list)


@transaction.atomic
def org_merge(
    *, source: Org, target: Org, on: datetime.date, actor: User | None = None
) -> RestructureResult:
    """Merge `source` into `target`: its members, positions, records and child orgs move."""
    source.refresh_from_db()
    target.refresh_from_db()
    if source.pk == target.pk:
        raise ValidationError({"target": _("Không thể hợp nhất một tổ chức vào chính nó.")})
    if not source.is_active:
        raise ValidationError({"source": _("Tổ chức này đã kết thúc hoạt động.")})
    if not target.is_active:
        raise ValidationError({"target": _("Tổ chức nhận đã kết thúc hoạt động.")})
    if target.path.startswith(source.path):
        raise ValidationError(
            {"target": _("Không thể hợp nhất một tổ chức vào tổ chức cấp dưới của nó.")}
        )
    if source.family != target.family:
        raise ValidationError(
            {
                "target": _(
                    "Chỉ hợp nhất được các tổ chức cùng hệ thống (Đảng với Đảng, hội với hội)."
                )
            }
        )
    result = RestructureResult()
    for child in list(Org.objects.get_children(source)):
        Org.objects.move(child, target, pos="last-child")
        result.moved["orgs.org"] = result.moved.get("orgs.org", 0) + 1
    source.refresh_from_db()
    for model in _org_owned_models():
        mover = _movers.get(model)
        if mover is not None:
            count = mover.merge(source=source, target=target, on=on, actor=actor)
        else:
            count = model._default_manager.filter(org=source).update(org=target)
        if count:
            result.moved[model._meta.label_lower] = count
    for grant in Grant.objects.active().filter(org=source):
        grant_revoke(grant=grant, actor=actor)
    org_end(org=source, status=OrgStatus.MERGED, on=on, merged_into=target)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.MERGE,
        subject=source,
        org_id=source.pk,
        summary=_("Hợp nhất %(source)s vào %(target)s")
        % {"source": source.name, "target": target.name},
        before={"status": OrgStatus.ACTIVE},
        after={"status": OrgStatus.MERGED, "merged_into": target.code, "moved": result.moved},
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.MERGE,
        subject=target,
        org_id=target.pk,
        summary=_("Tiếp nhận %(source)s") % {"source": source.name},
        after={"merged_from": source.code, "moved": result.moved},
    )
    return result


@transaction.atomic
def org_split(
    *,
    source: Org,
    parts: Sequence[SplitPart],
    on: datetime.date,
    close_source: bool,
    current_member_ids: frozenset[int],
    actor: User | None = None,
) -> RestructureResult:
    """Split `source` into new sibling orgs, each taking the members chosen for it.

    With `close_source` every current member must be assigned and the source is dissolved;
    otherwise the unassigned members stay in the source, which goes on.
    """
    source.refresh_from_db()
    if not source.is_active:
        raise ValidationError({"source": _("Tổ chức này đã kết thúc hoạt động.")})
    if not parts:
        raise ValidationError({"parts": _("Cần ít nhất một tổ chức mới khi chia tách.")})
    seen: set[int] = set()
    for index, part in enumerate(parts, start=1):
        strangers = part.person_ids - current_member_ids
        if strangers:
            raise ValidationError(
                {
                    "parts": _("Tổ chức mới thứ %(n)s có người không thuộc %(org)s.")
                    % {"n": index, "org": source.name}
                }
            )
        twice = part.person_ids & seen
        if twice:
            raise ValidationError(
                {
                    "parts": _("Có %(count)s người được chọn vào hai tổ chức mới cùng lúc.")
                    % {"count": len(twice)}
                }
            )
        seen |= part.person_ids
    if close_source and seen != current_member_ids:
        raise ValidationError(
            {
                "parts": _("Còn %(count)s người chưa được phân về tổ chức mới nào.")
                % {"count": len(current_member_ids - seen)}
            }
        )
    parent = Org.objects.get_parent(source)
    result = RestructureResult()
    mapping: dict[Org, frozenset[int]] = {}
    for part in parts:
        new_org = org_create(
            parent=parent,
            code=part.code,
            name=part.name,
            short_name=part.short_name,
            family=source.family,
            level=source.level,
            province_code=source.province_code,
            ward_code=source.ward_code,
            hamlet=part.hamlet,
            actor=actor,
        )
        result.created.append(new_org)
        mapping[new_org] = part.person_ids
    source.refresh_from_db()
    for model, mover in _movers.items():
        count = mover.split(source=source, parts=mapping, on=on, actor=actor)
        if count:
            result.moved[model._meta.label_lower] = count
    if close_source:
        for grant in Grant.objects.active().filter(org=source):
            grant_revoke(grant=grant, actor=actor)
        org_end(org=source, status=OrgStatus.DISSOLVED, on=on)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.SPLIT,
        subject=source,
        org_id=source.pk,
        summary=_("Chia tách %(source)s thành %(parts)s")
        % {"source": source.name, "parts": ", ".join(org.name for org in result.created)},
        after={
            "into": [org.code for org in result.created],
            "moved": result.moved,
            "closed": close_source,
        },
    )
    return result
