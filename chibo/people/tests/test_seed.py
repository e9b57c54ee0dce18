"""The synthetic province of `chibo seed`: a valid tree, believable rows, repeatable."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any, cast

import pytest
from django.core.management import CommandError, call_command
from django.db.models import QuerySet

from chibo.core.vntext import fold, name_sort_key
from chibo.orgs.models import Family, Level, Org
from chibo.orgs.services import org_create
from chibo.people.demo import seed_demo
from chibo.people.models import Membership, MembershipStatus, Person, Position, Title
from chibo.people.services import PersonData, membership_create, person_create
from chibo.people.synthetic import ROOT_CODE, province_plan, seed_synthetic
from chibo.people.validators import validate_citizen_id

pytestmark = pytest.mark.django_db

NO_PROBLEMS: tuple[list[int], ...] = ([], [], [], [], [])


def tree_problems(parent: Org | None = None) -> Any:
    # treebeard is untyped: its manager methods are unknown to mypy.
    return cast(Any, Org.objects).find_problems(parent=parent)


def synthetic_orgs() -> QuerySet[Org]:
    root = Org.objects.get(code=ROOT_CODE)
    return Org.objects.filter(path__startswith=root.path)


def synthetic_memberships() -> QuerySet[Membership]:
    return Membership.objects.filter(org__in=synthetic_orgs())


def demo_counts() -> tuple[int, int, int]:
    commune = Org.objects.get(code="DU-DT")
    return (
        Org.objects.filter(code__in=["TU-TN", "HLHPN-TN"]).count(),
        Membership.objects.current().filter(org__path__startswith=commune.path).count(),
        Person.objects.exclude(memberships__org__code__startswith="SYN-").count(),
    )


@pytest.fixture
def small(demo):
    seed_demo()  # the synthetic province lives next to the demo
    result = seed_synthetic(members=2_000)
    assert result.created
    return result


def test_counts(small):
    assert small.members == 2_000
    assert synthetic_memberships().count() == 2_000
    assert synthetic_memberships().filter(ended_on__isnull=True).count() == 2_000
    people = Person.objects.filter(memberships__in=synthetic_memberships())
    assert people.distinct().count() == 2_000
    orgs = synthetic_orgs()
    assert orgs.count() == small.orgs
    cells = orgs.filter(level=Level.BRANCH)
    assert cells.count() == small.cells
    assert 70 <= small.cells <= 90  # about 25 members each
    assert orgs.filter(level=Level.BASE).count() == 1
    assert orgs.filter(level=Level.PROVINCE).get().depth == 1
    sizes: Counter[str] = Counter(synthetic_memberships().values_list("org__code", flat=True))
    assert set(sizes) == set(cells.values_list("code", flat=True))
    assert min(sizes.values()) >= 3


def test_codes_are_prefixed_and_the_tree_is_valid(small):
    assert all(code.startswith("SYN-") for code in synthetic_orgs().values_list("code", flat=True))
    assert tree_problems() == NO_PROBLEMS
    root = Org.objects.get(code=ROOT_CODE)
    assert tree_problems(root) == NO_PROBLEMS
    for org in synthetic_orgs():
        children = Org.objects.filter(path__startswith=org.path, depth=org.depth + 1).count()
        assert org.numchild == children
    # The tree keeps working with treebeard after our hand-computed paths.
    base = synthetic_orgs().get(level=Level.BASE)
    added = org_create(
        parent=base, code="SYN-NEW", name="Chi bộ mới", family=Family.PARTY, level=Level.BRANCH
    )
    assert added.depth == base.depth + 1
    assert tree_problems() == NO_PROBLEMS


def test_people_have_vietnamese_keys_and_valid_papers(small):
    people = list(Person.objects.filter(memberships__in=synthetic_memberships()))
    for person in people:
        assert person.full_name == f"{person.family_name} {person.middle_name} {person.given_name}"
        assert person.sort_key == name_sort_key(
            person.family_name, person.middle_name, person.given_name
        )
        assert person.search_text == fold(person.full_name)
        assert person.citizen_id is not None
        validate_citizen_id(person.citizen_id, birth_date=person.birth_date, gender=person.gender)
    assert len({person.citizen_id for person in people}) == len(people)
    ordered = list(
        Person.objects.filter(pk__in=[p.pk for p in people[:300]])
        .order_by("sort_key", "pk")
        .values_list("given_name", flat=True)
    )
    # Ordered by given name first, in the Vietnamese alphabet (Anh before Ánh before Bảo …).
    assert ordered[0].startswith(("A", "Á", "Ă", "Â"))
    keys = [name_sort_key("", "", given) for given in ordered]
    assert keys == sorted(keys)


def test_statuses_dates_and_secretaries(small):
    memberships = list(synthetic_memberships().select_related("person"))
    statuses = Counter(m.status for m in memberships)
    assert statuses[MembershipStatus.OFFICIAL] > 1_700
    assert statuses[MembershipStatus.PROBATIONARY] > 0
    assert set(statuses) <= {
        MembershipStatus.OFFICIAL,
        MembershipStatus.PROBATIONARY,
        MembershipStatus.EXEMPT,
        MembershipStatus.SUSPENDED,
    }
    for membership in memberships:
        assert membership.family == Family.PARTY
        born, joined = membership.person.birth_date, membership.joined_on
        assert born is not None and joined is not None
        assert joined.year - born.year >= 18
        if membership.official_on:
            assert (membership.official_on - joined).days >= 365
    cells = synthetic_orgs().filter(level=Level.BRANCH)
    secretaries = Position.objects.filter(org__in=cells, title=Title.SECRETARY)
    assert secretaries.count() == cells.count()
    assert secretaries.values("org").distinct().count() == cells.count()
    for position in secretaries.select_related("org")[:50]:
        assert (
            Membership.objects.current()
            .filter(person_id=position.person_id, org=position.org)
            .exists()
        )
    base = synthetic_orgs().get(level=Level.BASE)
    assert Position.objects.filter(org=base, title=Title.SECRETARY).count() == 1


def test_new_rows_after_the_seed_get_fresh_ids(small):
    # The seed chose ids itself; the sequences must have moved past them (PostgreSQL).
    person = person_create(data=PersonData(full_name="Trần Thị Mới"), org_id=None)
    cell = synthetic_orgs().filter(level=Level.BRANCH).first()
    assert cell is not None
    membership = membership_create(person=person, org=cell, status=MembershipStatus.OFFICIAL)
    assert person.pk > max(Person.objects.exclude(pk=person.pk).values_list("pk", flat=True))
    assert membership.pk > 0


def test_seeding_again_keeps_the_province(small):
    before = (synthetic_orgs().count(), synthetic_memberships().count(), Person.objects.count())
    again = seed_synthetic(members=5_000)
    assert not again.created
    assert (synthetic_orgs().count(), synthetic_memberships().count(), Person.objects.count()) == (
        before
    )


def test_reset_rebuilds_at_the_new_size_and_leaves_the_demo_alone(small):
    demo_before = demo_counts()
    result = seed_synthetic(members=1_000, reset=True)
    assert result.created and result.members == 1_000
    assert synthetic_memberships().count() == 1_000
    assert Person.objects.filter(memberships__org__code__startswith="SYN-").count() == 1_000
    assert tree_problems() == NO_PROBLEMS
    assert demo_counts() == demo_before


def test_demo_reset_leaves_the_synthetic_province_alone(small):
    before = synthetic_memberships().count()
    seed_demo(reset=True)
    assert synthetic_memberships().count() == before
    assert tree_problems() == NO_PROBLEMS


def test_province_scale_plan():
    # Planning only (no rows): 300,000 members make ~120 base committees and ~12,000 cells,
    # agencies under district-level groupings, every member in exactly one cell.
    root, bases = province_plan(300_000)
    assert len(bases) == 120
    agencies = [base for base in bases if base.kind == "agency"]
    assert len(agencies) == 17
    blocs = [child for child in root.children if child.level == Level.DISTRICT]
    assert {child.code for child in blocs} == {"SYN-K1", "SYN-K2"}
    assert sum(len(bloc.children) for bloc in blocs) == 17
    cells = [cell for base in bases for cell in base.children]
    assert 11_500 <= len(cells) <= 12_500
    assert sum(cell.size for cell in cells) == 300_000
    assert len({cell.code for cell in cells}) == len(cells)
    assert max(len(cell.code) for cell in cells) <= 40
    assert sum(1 for base in bases if base.ward_code) == len(bases) - len(agencies)


def test_seed_command(demo):
    out = io.StringIO()
    call_command("seed", "--members", "300", stdout=out)
    assert "Đã tạo tỉnh tổng hợp SYN-TINH: 300 đảng viên" in out.getvalue()
    out = io.StringIO()
    call_command("seed", "--members", "300", stdout=out)
    assert "đã có" in out.getvalue()
    with pytest.raises(CommandError, match="--members phải là số nguyên dương"):
        call_command("seed", "--members", "0")
