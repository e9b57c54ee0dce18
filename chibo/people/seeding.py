"""What the demo and the synthetic province share: dates, citizen ids, and the purge
that takes generated data away again.

The purge is the one place in Chibo that hard-deletes. It exists only so that `chibo demo
--reset` and `chibo seed --reset` can rebuild generated data; it never runs on real data.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.apps import apps
from django.db import models, router
from django.db.models import Q

from chibo.core.models import AuditEntry, User
from chibo.orgs.models import Org
from chibo.people.models import Membership, Person, Position

Progress = Callable[[str], None]
_CHUNK = 2000


def quiet(_message: str) -> None:
    """A progress callback that says nothing (tests, the conftest)."""


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def add_days(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


def random_day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    """A day in [start, end]; `start` when the range is empty."""
    span = (end - start).days
    return start if span <= 0 else start + datetime.timedelta(days=rng.randint(0, span))


def birth_day(
    rng: random.Random, today: datetime.date, min_age: int, max_age: int
) -> datetime.date:
    """A birth date giving an age in [min_age, max_age] today."""
    latest = add_years(today, -min_age)
    earliest = add_days(add_years(today, -max_age - 1), 1)
    return random_day(rng, earliest, latest)


def admission_dates(
    rng: random.Random, born: datetime.date, today: datetime.date, *, probationary: bool
) -> tuple[datetime.date, datetime.date | None]:
    """(joined_on, official_on): admitted at 18 or later, official 12 months after.

    Someone too young to have finished the probation year is probationary whatever was
    asked; the caller sees it from `official_on` being None.
    """
    eighteen = add_years(born, 18)
    latest = add_days(add_years(today, -1), -45)  # so official_on is in the past
    if not probationary and eighteen <= latest:
        joined = add_days(add_years(born, 18 + int(abs(rng.gauss(0, 9)))), rng.randint(0, 364))
        if joined > latest:
            joined = random_day(rng, eighteen, latest)
        return joined, add_days(add_years(joined, 1), rng.randint(0, 40))
    return random_day(rng, max(eighteen, add_days(today, -330)), add_days(today, -20)), None


def century_gender_digit(year: int, *, female: bool) -> int:
    """Fourth digit of a CCCD: 0/1 for the 1900s, 2/3 for the 2000s, odd for women."""
    base = {1800: 8, 1900: 0, 2000: 2, 2100: 4, 2200: 6}[year // 100 * 100]
    return base + (1 if female else 0)


def citizen_id(province_code: str, birth_year: int, *, female: bool, serial: int) -> str:
    """A CCCD consistent with place of birth, year of birth and gender."""
    digit = century_gender_digit(birth_year, female=female)
    return f"{province_code}{digit}{birth_year % 100:02d}{serial % 1_000_000:06d}"


class CitizenIds:
    """Random, never repeated CCCD serials (the column is unique)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def draw(self, province_code: str, birth_year: int, *, female: bool) -> str:
        while True:
            value = citizen_id(
                province_code, birth_year, female=female, serial=self.rng.randrange(1_000_000)
            )
            if value not in self.used:
                self.used.add(value)
                return value


def _chunks(values: Iterable[int], size: int = _CHUNK) -> Iterable[list[int]]:
    batch: list[int] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _references() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    """Every foreign key and one-to-one field of every installed model."""
    found: list[tuple[type[models.Model], models.Field[Any, Any]]] = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is not None:
                found.append((model, field))
    return found


def purge(
    *, org_roots: Sequence[Org], usernames: Sequence[str] = (), progress: Progress = quiet
) -> int:
    """Hard-delete generated data: the subtrees of `org_roots`, the people on their rolls,
    the given logins, and every row that points at them. Returns the number of rows.

    Rows of any app that reference a deleted row through a non-null foreign key are
    deleted too (so an app added later needs no change here: there is no list of apps to
    keep up, a new app's demo rows go with the orgs and people they hang off); nullable
    references from rows that stay are set to null, those of rows that go are left as
    they are. The caller holds the transaction; foreign keys are deferred on SQLite and
    PostgreSQL, so the order of the deletes does not matter.
    """
    doomed: dict[type[models.Model], set[int]] = {}
    if org_roots:
        in_trees = Q()
        for root in org_roots:
            in_trees |= Q(path__startswith=root.path)
        doomed[Org] = set(Org.objects.filter(in_trees).values_list("pk", flat=True))
    user_ids = set(User.objects.filter(username__in=usernames).values_list("pk", flat=True))
    person_ids = set(Person.objects.filter(user_id__in=user_ids).values_list("pk", flat=True))
    for batch in _chunks(doomed.get(Org, set())):
        person_ids.update(
            Membership.objects.filter(org_id__in=batch).values_list("person_id", flat=True)
        )
        person_ids.update(
            Position.objects.filter(org_id__in=batch).values_list("person_id", flat=True)
        )
    for batch in _chunks(list(person_ids)):
        user_ids.update(
            Person.objects.filter(pk__in=batch, user__isnull=False).values_list(
                "user_id", flat=True
            )
        )
    doomed[Person] = person_ids
    doomed[User] = user_ids

    strong = [ref for ref in _references() if not ref[1].null]
    weak = [ref for ref in _references() if ref[1].null]
    # Until nothing new turns up, look for rows pointing at rows to delete; each relation
    # is asked only about the targets it has not been asked about yet.
    asked: dict[tuple[type[models.Model], str], set[int]] = {}
    changed = True
    while changed:
        changed = False
        for model, field in strong:
            done = asked.setdefault((model, field.name), set())
            targets = doomed.get(field.related_model, set()) - done  # type: ignore[arg-type]
            if not targets:
                continue
            done |= targets
            found = doomed.setdefault(model, set())
            before = len(found)
            for batch in _chunks(targets):
                rows = model._base_manager.filter(**{f"{field.name}__in": batch}).order_by()
                found.update(rows.values_list("pk", flat=True))
            changed = changed or len(found) != before
    # A row that stays keeps no pointer to a deleted one. Rows about to go keep theirs:
    # the foreign keys are deferred, and nulling them could break a constraint on the
    # nullable column itself (one current version of a meeting's minutes is the one whose
    # `replaced_by` is null, so nulling it on a corrected version makes two).
    for model, field in weak:
        going = doomed.get(model, set())
        for batch in _chunks(doomed.get(field.related_model, set())):  # type: ignore[arg-type]
            pointing = model._base_manager.filter(**{f"{field.name}__in": batch}).order_by()
            if not going:
                pointing.update(**{field.name: None})
                continue
            staying = set(pointing.values_list("pk", flat=True)) - going
            for keep in _chunks(staying):
                model._base_manager.filter(pk__in=keep).update(**{field.name: None})

    audit_ids: set[int] = set()
    for batch in _chunks(doomed.get(Org, set())):
        audit_ids.update(AuditEntry.objects.filter(org_id__in=batch).values_list("pk", flat=True))
    for batch in _chunks(person_ids):
        audit_ids.update(
            AuditEntry.objects.filter(person_id__in=batch).values_list("pk", flat=True)
        )
    doomed.setdefault(AuditEntry, set()).update(audit_ids)

    parents = [root.parent_path for root in org_roots if root.depth > 1]
    total = 0
    for model, pks in doomed.items():
        using = router.db_for_write(model)
        for batch in _chunks(pks):
            total += model._base_manager.filter(pk__in=batch)._raw_delete(using)
        if pks:
            progress(f"  − {model._meta.label_lower}: {len(pks)}")
    for path in parents:
        parent = Org.objects.filter(path=path).first()
        if parent is not None:
            parent.numchild = Org.objects.filter(
                path__startswith=path, depth=parent.depth + 1
            ).count()
            parent.save(update_fields=["numchild"])
    return total
