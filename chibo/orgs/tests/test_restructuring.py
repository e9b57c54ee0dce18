"""Move, merge and split: history stays readable and counts stay right."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from chibo.core.models import AuditEntry
from chibo.core.roles import Role
from chibo.core.scoping import scope_for
from chibo.orgs.models import Family, Level, Org, OrgStatus
from chibo.orgs.restructuring import SplitPart, org_merge
from chibo.orgs.services import grant_create, org_create, org_move
from chibo.people.models import Membership, Position
from chibo.people.selectors import org_member_counts
from chibo.people.services import org_split_members

ON = datetime.date(2025, 7, 1)


def current_count(org) -> int:
    return Membership.objects.current().filter(org__path__startswith=org.path).count()


def test_move_subtree_keeps_members_and_scope(personas):
    other = org_create(
        parent=personas.province, code="T-C2", name="Đảng bộ xã Mới", family=Family.PARTY,
        level=Level.BASE,
    )  # fmt: skip
    org_move(org=personas.cell_a, new_parent=other)
    cell_a = Org.objects.get(code="T-A")
    assert cell_a.path.startswith(other.path)
    assert current_count(other) == 2
    assert current_count(Org.objects.get(code="T-C")) == 2  # dave and bob remain
    # The old committee no longer reaches the moved cell; the cell's secretary still does.
    assert scope_for(personas.user("dave")).role_at(cell_a.path) is None
    assert scope_for(personas.user("alice")).role_at(cell_a.path) == Role.OFFICER
    entry = AuditEntry.objects.get(subject_type="orgs.org", subject_id=cell_a.pk, action="move")
    assert entry.before == {"parent": "T-C"} and entry.after == {"parent": "T-C2"}


def test_move_into_own_subtree_refused(personas):
    with pytest.raises(ValidationError, match="chính nó"):
        org_move(org=personas.commune, new_parent=personas.cell_a)


def test_merge_moves_members_positions_children_and_keeps_history(personas):
    total_before = current_count(personas.commune)
    result = org_merge(source=personas.cell_b, target=personas.cell_a, on=ON)
    cell_b = Org.objects.get(code="T-B")
    assert cell_b.status == OrgStatus.MERGED
    assert cell_b.merged_into_id == personas.cell_a.pk
    assert cell_b.ended_on == ON
    assert result.moved["people.membership"] == 1
    # Counts: the target gained bob; the commune's total is unchanged; the merged cell is empty.
    assert current_count(personas.cell_a) == 3
    assert current_count(cell_b) == 0
    assert current_count(personas.commune) == total_before
    counts = {
        (row["family"], row["status"]): row["count"]
        for row in org_member_counts(org=personas.commune)
    }
    assert counts == {("party", "official"): total_before}
    # History: bob's old membership is closed with the reason and linked to the new one.
    old = Membership.objects.get(person=personas.bob, org=cell_b)
    new = Membership.objects.get(person=personas.bob, org=personas.cell_a)
    assert (old.ended_on, old.end_reason) == (ON, "merged")
    assert new.previous_id == old.pk and new.started_on == ON
    # bob's office moved with him; his old one ended on the merge date.
    assert Position.objects.get(person=personas.bob, org=cell_b).ended_on == ON
    assert Position.objects.current(ON).filter(person=personas.bob, org=personas.cell_a).exists()
    assert AuditEntry.objects.filter(
        subject_type="orgs.org", subject_id=cell_b.pk, action="merge"
    ).exists()


def test_merge_moves_child_orgs_and_revokes_grants_on_source(personas):
    erin = personas.erin_user
    grant = grant_create(user=erin, org=personas.cell_b, role=Role.ADMIN)
    org_merge(source=personas.commune, target=org_create(
        parent=personas.province, code="T-C3", name="Đảng bộ xã Hợp Nhất", family=Family.PARTY,
        level=Level.BASE,
    ), on=ON)  # fmt: skip
    target = Org.objects.get(code="T-C3")
    parent = Org.objects.get_parent(Org.objects.get(code="T-A"))
    assert parent is not None and parent.code == "T-C3"
    assert {o.code for o in Org.objects.get_children(target)} == {"T-A", "T-B"}
    assert current_count(target) == 4
    grant.refresh_from_db()
    assert grant.revoked_at is None  # grants on orgs that did not merge themselves stay


@pytest.mark.parametrize("case", ["self", "descendant", "family", "inactive"])
def test_merge_refusals(personas, case):
    source, target = personas.cell_a, personas.cell_b
    if case == "self":
        target = source
    elif case == "descendant":
        source, target = personas.commune, personas.cell_a
    elif case == "family":
        target = personas.women_a
    else:
        org_merge(source=personas.cell_b, target=personas.cell_a, on=ON)
        source = Org.objects.get(code="T-B")
    with pytest.raises(ValidationError):
        org_merge(source=source, target=target, on=ON)


def test_split_moves_chosen_members_and_closes_source(personas):
    parts = [
        SplitPart(code="T-A1", name="Chi bộ xóm Đồng 1", person_ids=frozenset({personas.alice.pk})),
        SplitPart(
            code="T-A2", name="Chi bộ xóm Đồng 2", person_ids=frozenset({personas.charlie.pk})
        ),
    ]
    result = org_split_members(source=personas.cell_a, parts=parts, on=ON, close_source=True)
    assert [org.code for org in result.created] == ["T-A1", "T-A2"]
    cell_a = Org.objects.get(code="T-A")
    assert cell_a.status == OrgStatus.DISSOLVED
    assert current_count(cell_a) == 0
    assert Membership.objects.current().get(person=personas.alice).org.code == "T-A1"
    assert Membership.objects.current().get(person=personas.charlie).org.code == "T-A2"
    # The new orgs are siblings under the same commune, so the commune total is unchanged.
    assert {o.code for o in Org.objects.get_children(Org.objects.get(code="T-C"))} >= {
        "T-A1",
        "T-A2",
    }
    assert current_count(Org.objects.get(code="T-C")) == 4
    # alice's office followed her to her new cell.
    assert (
        scope_for(personas.user("alice")).role_at(Org.objects.get(code="T-A1").path) == Role.OFFICER
    )


def test_split_refuses_unassigned_members_when_closing_and_writes_nothing(personas):
    parts = [SplitPart(code="T-A1", name="Chi bộ 1", person_ids=frozenset({personas.alice.pk}))]
    with pytest.raises(ValidationError, match="chưa được phân"):
        org_split_members(source=personas.cell_a, parts=parts, on=ON, close_source=True)
    assert not Org.objects.filter(code="T-A1").exists()
    assert Membership.objects.current().get(person=personas.alice).org.code == "T-A"


def test_split_refuses_strangers_and_doubles(personas):
    stranger = [SplitPart(code="T-X", name="X", person_ids=frozenset({personas.bob.pk}))]
    with pytest.raises(ValidationError, match="không thuộc"):
        org_split_members(source=personas.cell_a, parts=stranger, on=ON, close_source=False)
    twice = [
        SplitPart(code="T-X", name="X", person_ids=frozenset({personas.alice.pk})),
        SplitPart(code="T-Y", name="Y", person_ids=frozenset({personas.alice.pk})),
    ]
    with pytest.raises(ValidationError, match="hai tổ chức"):
        org_split_members(source=personas.cell_a, parts=twice, on=ON, close_source=False)


def test_split_keeping_source_leaves_the_rest(personas):
    parts = [SplitPart(code="T-A1", name="Chi bộ 1", person_ids=frozenset({personas.charlie.pk}))]
    org_split_members(source=personas.cell_a, parts=parts, on=ON, close_source=False)
    assert Org.objects.get(code="T-A").status == OrgStatus.ACTIVE
    assert current_count(Org.objects.get(code="T-A")) == 1
