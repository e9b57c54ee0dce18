"""The one place that slices org paths, and the one queryset of rows that reach a subtree."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import models

from chibo.core.models import User
from chibo.core.roles import Role
from chibo.orgs.models import Org
from chibo.orgs.tree import STEPLEN, ReachingQuerySet, ancestor_paths


def test_ancestor_paths_are_the_prefixes_top_first() -> None:
    assert ancestor_paths("0001") == []
    assert ancestor_paths("0001", include_self=True) == ["0001"]
    assert ancestor_paths("000100020003") == ["0001", "00010002"]
    assert ancestor_paths("000100020003", include_self=True) == [
        "0001",
        "00010002",
        "000100020003",
    ]


def test_ancestor_paths_follow_the_tree_as_built(personas: Any) -> None:
    p = personas
    assert Org.steplen == STEPLEN
    assert p.cell_a.ancestor_paths() == [p.province.path, p.commune.path]
    assert ancestor_paths(p.cell_b.path, include_self=True) == [
        p.province.path,
        p.commune.path,
        p.cell_b.path,
    ]
    assert p.women_a.ancestor_paths() == [p.women.path]
    assert p.province.ancestor_paths() == []
    for org in Org.objects.all():
        assert org.ancestor_paths() == ancestor_paths(org.path)
        assert len(org.ancestor_paths()) == org.depth - 1


def _movement(org: Org) -> models.Model:
    from chibo.initiatives.models import Movement

    day = datetime.date(2026, 1, 1)
    return Movement.objects.create(
        org=org, title=f"Thi đua {org.code}", year=2026, starts_on=day, ends_on=day
    )


def _theme(org: Org) -> models.Model:
    from chibo.plans.models import Theme

    return Theme.objects.create(
        org=org, kind="annual", title=f"Chuyên đề {org.code}", year=2026, end_year=2026
    )


@pytest.mark.parametrize("make", [_movement, _theme], ids=["movement", "theme"])
def test_rows_reach_the_subtree_of_the_org_that_issued_them(personas: Any, make: Any) -> None:
    """Movements and themes read the same way: a unit sees what its org and the orgs above
    it issued; a reader of a subtree sees all of it and what reached its top."""
    p = personas
    rows = {org.code: make(org) for org in (p.province, p.commune, p.cell_a, p.cell_b, p.women)}
    model = type(rows["T-P"])
    assert isinstance(model._default_manager.all(), ReachingQuerySet)
    User.objects.create_superuser("root", password="x-unused-x")

    def codes(query: Any) -> set[str]:
        return {
            code for code, row in rows.items() if row.pk in set(query.values_list("pk", flat=True))
        }

    objects = model._default_manager
    assert codes(objects.reaching(p.cell_a)) == {"T-P", "T-C", "T-A"}
    assert codes(objects.reaching(p.commune)) == {"T-P", "T-C"}
    assert codes(objects.reaching(p.women)) == {"T-W"}

    def seen(username: str, role: Role = Role.MEMBER) -> set[str]:
        return codes(objects.visible_to(p.user(username), role))

    # A plain member: what reaches the own cell, nothing of the sibling cell.
    assert seen("charlie") == {"T-P", "T-C", "T-A"}
    assert seen("charlie", Role.VIEWER) == set()
    # The commune's secretary: the commune's subtree and what reached the commune.
    assert seen("dave") == {"T-P", "T-C", "T-A", "T-B"}
    assert seen("dave", Role.COMMITTEE) == {"T-C", "T-A", "T-B"}
    assert seen("erin", Role.VIEWER) == {"T-P", "T-C", "T-A", "T-B"}
    assert seen("frank") == set()
    assert seen("root") == set(rows)
