"""Writing audit entries. Services call `audit_record` inside their transaction."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from chibo.core.models import AuditEntry


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """JSON-safe values of `fields`; foreign keys are stored by id."""
    data: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        value = getattr(instance, attname)
        if isinstance(value, datetime.date | datetime.datetime):
            value = value.isoformat()
        elif isinstance(value, decimal.Decimal):
            value = str(value)
        data[name] = value
    return data


def audit_record(
    *,
    actor: models.Model | None,
    action: str,
    subject: models.Model,
    org_id: int | None,
    person_id: int | None = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor_id=actor.pk if actor is not None else None,
        action=action,
        subject_type=subject._meta.label_lower,
        subject_id=subject.pk,
        org_id=org_id,
        person_id=person_id,
        summary=summary[:300],
        before=before or {},
        after=after or {},
    )


def audit_person_change(
    *,
    subject: Any,
    fields: Iterable[str],
    before: dict[str, Any] | None,
    summary: str,
    actor: models.Model | None,
    action: str = AuditEntry.Action.UPDATE,
) -> AuditEntry:
    """An entry for a record that belongs to one person in one org (an admission, a
    transfer …): its values after the change are read from the record itself."""
    return audit_record(
        actor=actor,
        action=action,
        subject=subject,
        org_id=subject.org_id,
        person_id=subject.person_id,
        summary=summary,
        before=before,
        after=snapshot(subject, fields),
    )
