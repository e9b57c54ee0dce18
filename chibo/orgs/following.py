"""Rows that follow a person when their org is merged or split.

Most org-owned rows simply follow the org (what `org_merge` does by default, and a split
leaves them with the source). Rows about one member — a commitment, a quiz answer, an
award — belong where that member goes: to the target of a merger, and to the new org a
split puts the member in; rows of the same model without a person (about the unit
itself) stay with the source on a split. Apps register such models from their
`AppConfig.ready()` with `register_person_following`, so the movers stay written once.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import models

from chibo.orgs.models import Org
from chibo.orgs.restructuring import register_mover

if TYPE_CHECKING:
    from chibo.core.models import User


class PersonFollowingMover:
    """Moves the rows of `model` whose `org` is the restructured org, by their person."""

    def __init__(self, model: type[models.Model], *, person_field: str = "person") -> None:
        # Fail at start-up, not in the middle of a merger, when a model is registered wrongly.
        model._meta.get_field("org")
        model._meta.get_field(person_field)
        self.model = model
        self.person_lookup = f"{person_field}_id__in"

    def merge(self, *, source: Org, target: Org, on: datetime.date, actor: User | None) -> int:
        return int(self.model._default_manager.filter(org=source).update(org=target))

    def split(
        self,
        *,
        source: Org,
        parts: Mapping[Org, frozenset[int]],
        on: datetime.date,
        actor: User | None,
    ) -> int:
        count = 0
        for new_org, person_ids in parts.items():
            count += int(
                self.model._default_manager.filter(
                    org=source, **{self.person_lookup: person_ids}
                ).update(org=new_org)
            )
        return count


def register_person_following(*models_: type[models.Model], person_field: str = "person") -> None:
    """Register models whose rows follow their person through mergers and splits."""
    for model in models_:
        register_mover(model, PersonFollowingMover(model, person_field=person_field))
