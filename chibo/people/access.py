"""Turns a user into a Scope: explicit grants, plus what positions and memberships give."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from chibo.core.models import User
from chibo.core.roles import Role
from chibo.core.scoping import Scope
from chibo.orgs.models import Grant, Level
from chibo.people.models import Membership, Person, Position

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser


def scope_for_user(user: AnyUser) -> Scope:
    if not isinstance(user, User):
        return Scope()
    if user.is_superuser:
        person_id = Person.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
        return Scope(everything=True, person_id=person_id)
    grants: list[tuple[str, Role]] = [
        (path, Role(role))
        for path, role in Grant.objects.active()
        .filter(user_id=user.pk)
        .values_list("org__path", "role")
    ]
    person_id = Person.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
    if person_id is not None:
        today = timezone.localdate()
        for path, level in (
            Position.objects.current(today)
            .filter(person_id=person_id, org__status="active")
            .values_list("org__path", "org__level")
        ):
            role = Role.OFFICER if level in (Level.BRANCH, Level.GROUP) else Role.COMMITTEE
            grants.append((path, role))
        for path in (
            Membership.objects.current()
            .filter(person_id=person_id)
            .values_list("org__path", flat=True)
        ):
            grants.append((path, Role.MEMBER))
    return Scope(grants=tuple(grants), person_id=person_id)
