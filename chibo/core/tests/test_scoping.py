"""The scoping layer's own rules: a MEMBER grant covers its unit, never the unit's subtree;
get_for answers 404 for whatever cannot name an object."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.http import Http404

from chibo.core.roles import Role
from chibo.core.scoping import Scope, get_for, scope_for
from chibo.meetings.models import Meeting
from chibo.orgs.models import Org
from chibo.people.models import MembershipStatus
from chibo.people.services import PersonData, membership_create, person_create

UNIT = "00010002"
CELL = "000100020003"
ABOVE = "0001"


def test_a_member_grant_covers_its_unit_not_the_units_below() -> None:
    scope = Scope(grants=((UNIT, Role.MEMBER),))
    assert scope.role_at(UNIT) == Role.MEMBER
    assert scope.role_at(CELL) is None
    assert scope.roots(Role.MEMBER) == ()
    # subtree_q names only real subtrees: a MEMBER grant adds none (units_q adds the unit).
    assert scope.subtree_q("org__path", Role.MEMBER) == scope.subtree_q("org__path", Role.VIEWER)
    assert "startswith" not in str(scope.subtree_q("org__path", Role.MEMBER))
    assert str(scope.units_q("org__path")).count(UNIT) == 1
    assert "org__path__in" in str(scope.units_q("org__path"))


def test_a_reader_above_keeps_the_subtree_at_member_level() -> None:
    scope = Scope(grants=((ABOVE, Role.VIEWER), (UNIT, Role.MEMBER)))
    assert scope.roots(Role.MEMBER) == (ABOVE,)
    assert scope.role_at(CELL) == Role.VIEWER
    assert "org__path__startswith" in str(scope.subtree_q("org__path", Role.MEMBER))


@pytest.fixture
def gina(personas: Any) -> Any:
    """A plain member of the commune T-C, which has the cells T-A and T-B below it."""
    from chibo.core.models import User

    person = person_create(data=PersonData(full_name="Hoàng Thị Giang"), org_id=personas.commune.pk)
    membership_create(
        person=person,
        org=personas.commune,
        status=MembershipStatus.OFFICIAL,
        joined_on=datetime.date(2015, 3, 2),
    )
    person.user = User.objects.create_user("gina", password="x-unused-x")
    person.save(update_fields=["user"])
    return person.user


def _meeting(org: Org) -> Meeting:
    starts_at = datetime.datetime(2026, 3, 5, 19, 0, tzinfo=datetime.UTC)
    return Meeting.objects.create(
        org=org, kind="regular", period=starts_at.date().replace(day=1), starts_at=starts_at
    )


def test_scoped_rows_of_a_members_unit_but_not_of_the_cells_below(personas: Any, gina: Any) -> None:
    own = _meeting(personas.commune)
    cell = _meeting(personas.cell_a)
    above = _meeting(personas.province)
    visible = set(Meeting.objects.visible_to(gina, Role.MEMBER).values_list("pk", flat=True))
    assert own.pk in visible
    assert cell.pk not in visible
    assert above.pk not in visible
    # Nothing at a reader's level: a plain member reads no roll.
    assert not Meeting.objects.visible_to(gina).exists()
    # A reader of the province still reads the whole subtree at member level.
    erin = set(
        Meeting.objects.visible_to(personas.erin_user, Role.MEMBER).values_list("pk", flat=True)
    )
    assert {own.pk, cell.pk, above.pk} <= erin
    # The commune's committee (dave) reads its cells too.
    dave = personas.user("dave")
    assert {own.pk, cell.pk} <= set(
        Meeting.objects.visible_to(dave, Role.MEMBER).values_list("pk", flat=True)
    )


def test_themes_and_documents_reach_a_member_from_above_not_from_below(
    personas: Any, gina: Any
) -> None:
    from chibo.plans.models import Document, Theme

    made = {}
    for name, org in (
        ("province", personas.province),
        ("commune", personas.commune),
        ("cell", personas.cell_a),
        ("women", personas.women),
    ):
        theme = Theme.objects.create(org=org, kind="annual", title=name, year=2026, end_year=2026)
        Document.objects.create(org=org, theme=theme, kind="plan", title=name, body="Nội dung.")
        made[name] = theme
    themes = set(Theme.objects.visible_to(gina, Role.MEMBER).values_list("title", flat=True))
    documents = set(Document.objects.visible_to(gina, Role.MEMBER).values_list("title", flat=True))
    assert themes == {"province", "commune"}
    assert documents == {"province", "commune"}
    # A cell's own member still reads what its cell and everything above issued.
    charlie = personas.user("charlie")
    charlie_themes = Theme.objects.visible_to(charlie, Role.MEMBER).values_list("title", flat=True)
    assert set(charlie_themes) == {"province", "commune", "cell"}


def test_movements_reach_a_member_from_above_not_from_below(personas: Any, gina: Any) -> None:
    from chibo.initiatives.models import Movement

    day = datetime.date(2026, 1, 5)
    for name, org in (
        ("province", personas.province),
        ("commune", personas.commune),
        ("cell", personas.cell_b),
    ):
        Movement.objects.create(
            org=org, title=name, year=2026, starts_on=day, ends_on=day.replace(month=12, day=31)
        )
    titles = set(Movement.objects.visible_to(gina, Role.MEMBER).values_list("title", flat=True))
    assert titles == {"province", "commune"}
    bob = set(
        Movement.objects.visible_to(personas.user("bob"), Role.MEMBER).values_list(
            "title", flat=True
        )
    )
    assert bob == {"province", "commune", "cell"}


def test_a_scope_is_computed_for_the_member(personas: Any, gina: Any) -> None:
    scope = scope_for(gina)
    assert scope.member_units() == (personas.commune.path,)
    assert scope.role_at(personas.cell_a.path) is None


@pytest.mark.parametrize("bad", ["abc", "1.5", "", None, ["1"], "9" * 40])
def test_get_for_answers_404_for_a_value_that_names_no_object(personas: Any, bad: Any) -> None:
    with pytest.raises(Http404):
        get_for(Org.objects.all(), pk=bad)


def test_get_for_answers_404_for_a_bad_value_in_a_related_lookup(personas: Any) -> None:
    with pytest.raises(Http404):
        get_for(Meeting.objects.all(), org_id="T-A")
    with pytest.raises(Http404):
        get_for(Meeting.objects.all(), starts_at="not a date")


def test_get_for_still_finds_the_object(personas: Any) -> None:
    assert get_for(Org.objects.all(), pk=str(personas.cell_a.pk)) == personas.cell_a
