"""The scope each kind of user gets, and what querysets narrowed by it return."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from chibo.core.roles import Role
from chibo.core.scoping import forget_scope, get_for, require_role, scope_for
from chibo.orgs.models import Org
from chibo.orgs.services import grant_revoke
from chibo.people.models import Membership, Person, Position
from chibo.people.services import position_end


def codes(queryset) -> set[str]:
    return set(queryset.filter(code__startswith="T-").values_list("code", flat=True))


def test_secretary_is_officer_over_own_cell_only(personas):
    alice = personas.user("alice")
    scope = scope_for(alice)
    assert scope.role_at(personas.cell_a.path) == Role.OFFICER
    assert scope.role_at(personas.cell_b.path) is None
    assert scope.role_at(personas.commune.path) is None
    assert codes(Org.objects.visible_to(alice)) == {"T-A"}


def test_commune_secretary_is_committee_over_subtree(personas):
    dave = personas.user("dave")
    assert scope_for(dave).role_at(personas.cell_b.path) == Role.COMMITTEE
    assert codes(Org.objects.visible_to(dave)) == {"T-C", "T-A", "T-B"}


def test_viewer_grant_reads_subtree_but_cannot_write(personas):
    erin = personas.erin_user
    assert codes(Org.objects.visible_to(erin)) == {"T-P", "T-C", "T-A", "T-B"}
    assert codes(Org.objects.visible_to(erin, Role.OFFICER)) == set()
    with pytest.raises(PermissionDenied):
        require_role(erin, personas.cell_a.path, Role.OFFICER)
    with pytest.raises(Http404):
        require_role(erin, personas.women.path, Role.VIEWER)


def test_plain_member_sees_own_unit_and_own_profile_only(personas):
    charlie = personas.user("charlie")
    assert codes(Org.objects.visible_to(charlie, Role.MEMBER)) == {"T-A"}
    assert codes(Org.objects.visible_to(charlie)) == set()
    people = Person.objects.visible_to(charlie)
    assert list(people.values_list("full_name", flat=True)) == ["Lê Văn Cường"]
    with pytest.raises(Http404):
        get_for(Person.objects.visible_to(charlie), pk=personas.alice.pk)


def test_people_visible_through_current_memberships(personas):
    alice = personas.user("alice")
    names = set(Person.objects.visible_to(alice).values_list("full_name", flat=True))
    assert names == {"Nguyễn Thị An", "Lê Văn Cường"}
    memberships = Membership.objects.visible_to(alice)
    assert set(memberships.values_list("org__code", flat=True)) == {"T-A"}


def test_user_without_anything_sees_nothing(personas):
    frank = personas.frank_user
    assert not Org.objects.visible_to(frank, Role.MEMBER).exists()
    assert not Person.objects.visible_to(frank).exists()
    assert not Person.objects.visible_to(AnonymousUser()).exists()


def test_superuser_sees_everything(personas):
    frank = personas.frank_user
    frank.is_superuser = True
    frank.save()
    forget_scope(frank)
    assert codes(Org.objects.visible_to(frank)) >= {"T-P", "T-W", "T-WA"}


def test_inactive_user_sees_nothing(personas):
    alice = personas.user("alice")
    alice.is_active = False
    assert not Org.objects.visible_to(alice, Role.MEMBER).exists()


def test_ended_position_no_longer_grants(personas):
    position = Position.objects.get(person=personas.alice, org=personas.cell_a)
    position_end(position=position, on=datetime.date.today() - datetime.timedelta(days=1))
    alice = personas.user("alice")
    assert scope_for(alice).role_at(personas.cell_a.path) == Role.MEMBER
    assert codes(Org.objects.visible_to(alice)) == set()


def test_revoked_grant_no_longer_grants(personas):
    grant = personas.erin_user.grants.get()
    grant_revoke(grant=grant)
    erin = personas.user("erin")
    assert not Org.objects.visible_to(erin).exists()


def test_scope_roots_are_minimal(personas):
    from chibo.core.scoping import Scope

    scope = Scope(grants=(("0001", Role.VIEWER), ("00010002", Role.OFFICER), ("0003", Role.MEMBER)))
    assert scope.roots(Role.VIEWER) == ("0001",)
    assert scope.roots(Role.OFFICER) == ("00010002",)
    assert scope.member_units() == ("0003",)
    assert scope.role_at("000100020005") == Role.OFFICER
    assert scope.role_at("00030001") is None
    assert scope.role_at("0003") == Role.MEMBER
