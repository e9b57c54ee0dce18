"""The demo province: its shape, its people, its logins, and that seeding it is repeatable."""

from __future__ import annotations

import datetime
import io
import unicodedata
from typing import Any, cast

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client

from chibo.core.models import AuditEntry, User
from chibo.core.roles import Role
from chibo.core.scoping import scope_for
from chibo.core.vntext import fold, join_name, name_sort_key
from chibo.orgs import divisions
from chibo.orgs.models import Family, Level, Org, OrgStatus
from chibo.people.demo import DEMO_PASSWORD, LOGINS, seed_demo
from chibo.people.models import (
    EndReason,
    Gender,
    Membership,
    MembershipStatus,
    Person,
    Position,
    Title,
)
from chibo.people.seeding import add_years
from chibo.people.validators import validate_citizen_id

PERSONAS = ("admin", "tinhuy", "danguy", "bithu1", "bithu2", "dangvien1", "chihoi1")


@pytest.fixture
def seeded(demo):
    # A transactional test elsewhere may have emptied the tables; seeding is a no-op otherwise.
    seed_demo()
    return demo


def tree_problems() -> Any:
    # treebeard is untyped: its manager methods are unknown to mypy.
    return cast(Any, Org.objects).find_problems()


def current_members(code: str) -> int:
    org = Org.objects.get(code=code)
    return Membership.objects.current().filter(org__path__startswith=org.path).count()


def counts() -> dict[str, int]:
    return {
        "orgs": Org.objects.count(),
        "persons": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "positions": Position.objects.count(),
        "users": User.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def test_party_tree_has_the_stated_orgs_and_members(seeded):
    province = Org.objects.get(code="TU-TN")
    assert (province.level, province.family, province.depth) == (Level.PROVINCE, Family.PARTY, 1)
    commune = Org.objects.get(code="DU-DT")
    assert commune.level == Level.BASE
    assert commune.parent_path == province.path
    cells = Org.objects.filter(
        path__startswith=commune.path, level=Level.BRANCH, status=OrgStatus.ACTIVE
    )
    assert sorted(cells.values_list("code", flat=True)) == [
        f"DU-DT-CB{n:02d}" for n in range(1, 19)
    ]
    assert all(cell.depth == commune.depth + 1 for cell in cells)
    rural = [cell for cell in cells if cell.name.startswith("Chi bộ xóm")]
    assert len(rural) == 13 and all(cell.hamlet.startswith("Xóm ") for cell in rural)
    assert current_members("DU-DT") == 271
    assert all(current_members(cell.code) > 0 for cell in cells)

    bloc = Org.objects.get(code="DBK-TN")
    assert (bloc.level, bloc.parent_path) == (Level.DISTRICT, province.path)
    union_committee = Org.objects.get(code="DU-HLHPN")
    assert (union_committee.level, union_committee.parent_path) == (Level.BASE, bloc.path)
    union_cells = Org.objects.filter(parent_path_q(union_committee))
    assert sorted(union_cells.values_list("code", flat=True)) == [
        f"DU-HLHPN-CB{n}" for n in range(1, 6)
    ]
    assert current_members("DU-HLHPN") == 32
    assert current_members("TU-TN") == 271 + 32


def parent_path_q(org: Org):
    from django.db.models import Q

    return Q(path__startswith=org.path, depth=org.depth + 1)


def test_womens_union_has_13_branches_of_women(seeded):
    province = Org.objects.get(code="HLHPN-TN")
    assert (province.family, province.level, province.depth) == (Family.WOMEN, Level.PROVINCE, 1)
    commune = Org.objects.get(code="HLHPN-DT")
    assert commune.parent_path == province.path
    branches = Org.objects.filter(parent_path_q(commune))
    assert sorted(branches.values_list("code", flat=True)) == [
        f"HLHPN-DT-CH{n:02d}" for n in range(1, 14)
    ]
    assert current_members("HLHPN-DT") == 1200
    women = Membership.objects.current().filter(org__path__startswith=commune.path)
    assert not women.exclude(person__gender=Gender.FEMALE).exists()
    assert set(women.values_list("status", flat=True)) == {MembershipStatus.ACTIVE}
    # Many women of the commune's party cells are also members of the women's union.
    both = Membership.objects.current().filter(
        family=Family.PARTY,
        org__path__startswith=Org.objects.get(code="DU-DT").path,
        person__in=women.values("person"),
    )
    assert both.count() >= 40


def test_places_are_the_official_divisions(seeded):
    ward = divisions.find_ward(19, "Xã Đại Từ")
    assert ward is not None
    for code in ("DU-DT", "DU-DT-CB01", "HLHPN-DT", "HLHPN-DT-CH13"):
        org = Org.objects.get(code=code)
        assert (org.province_code, org.ward_code) == (19, ward)
    demo_orgs = Org.objects.filter(code__in=["TU-TN", "HLHPN-TN"])
    assert set(demo_orgs.values_list("province_code", flat=True)) == {19}
    assert "Thái Nguyên" in Org.objects.get(code="DU-DT-CB01").place


def test_merger_of_ha_thuong_is_kept_as_history(seeded):
    old = Org.objects.get(code="DU-HT")
    commune = Org.objects.get(code="DU-DT")
    assert old.status == OrgStatus.MERGED
    assert old.merged_into_id == commune.pk
    assert old.ended_on == datetime.date(2025, 7, 1)
    assert Membership.objects.current().filter(org__path__startswith=old.path).count() == 0
    moved = Membership.objects.filter(end_reason=EndReason.MERGED, org__code__startswith="DU-HT-")
    assert moved.count() == 7
    for membership in moved:
        successor = membership.next
        assert successor.ended_on is None
        assert successor.started_on == datetime.date(2025, 7, 1)
        assert successor.org.code in ("DU-DT-CB04", "DU-DT-CB17")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.MERGE, org_id=old.pk).exists()
    # Old offices ended the day before; nobody kept a second Bí thư seat in Đại Từ.
    assert not Position.objects.current().filter(org__path__startswith=old.path).exists()
    for code in [f"DU-DT-CB{n:02d}" for n in range(1, 19)]:
        secretaries = Position.objects.current().filter(org__code=code, title=Title.SECRETARY)
        assert secretaries.count() == 1, code


def test_people_are_believable_and_consistent(seeded):
    today = datetime.date.today()
    persons = list(Person.objects.all())
    assert len(persons) > 1400
    for person in persons:
        assert person.full_name == join_name(
            person.family_name, person.middle_name, person.given_name
        )
        assert unicodedata.is_normalized("NFC", person.full_name)
        assert person.sort_key == name_sort_key(
            person.family_name, person.middle_name, person.given_name
        )
        assert person.search_text == fold(person.full_name)
        assert person.gender in (Gender.MALE, Gender.FEMALE)
        assert person.birth_date is not None
        if person.citizen_id:
            validate_citizen_id(
                person.citizen_id, birth_date=person.birth_date, gender=person.gender
            )
    with_id = [p.citizen_id for p in persons if p.citizen_id]
    assert len(with_id) > 0.9 * len(persons)
    assert sum(value.startswith("019") for value in with_id) > 0.7 * len(with_id)
    family_names = [p.family_name for p in persons]
    assert family_names.count("Nguyễn") > family_names.count("Trần") > 0
    assert {"Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"} <= set(family_names)
    ethnicities = {p.ethnicity for p in persons}
    assert {"Kinh", "Tày", "Nùng", "Sán Dìu"} <= ethnicities
    occupations = {p.occupation for p in persons}
    assert {"Nông dân", "Hưu trí", "Giáo viên", "Công chức"} <= occupations
    assert all(len(p.phone) == 10 and p.phone.startswith("0") for p in persons if p.phone)
    assert any(p.address.startswith("Xóm ") for p in persons)
    assert today.year - max(p.birth_date.year for p in persons if p.birth_date) >= 18


def test_party_memberships_have_valid_dates_and_statuses(seeded):
    today = datetime.date.today()
    party = Membership.objects.filter(family=Family.PARTY).select_related("person")
    statuses = dict.fromkeys(MembershipStatus.values, 0)
    for membership in party:
        statuses[membership.status] += 1
        born, joined = membership.person.birth_date, membership.joined_on
        assert born is not None and joined is not None
        age = today.year - born.year
        assert 18 <= age <= 95
        assert add_years(born, 18) <= joined <= today
        assert membership.started_on >= joined
        if membership.status == MembershipStatus.PROBATIONARY:
            assert membership.official_on is None
            assert joined > today - datetime.timedelta(days=366)
            assert membership.card_number == ""
        else:
            assert membership.official_on is not None
            assert add_years(joined, 1) <= membership.official_on <= today
            assert len(membership.card_number) == 8
    current = party.filter(ended_on__isnull=True)
    assert current.count() == 303
    assert statuses[MembershipStatus.OFFICIAL] > 250
    assert statuses[MembershipStatus.PROBATIONARY] >= 3
    assert statuses[MembershipStatus.EXEMPT] >= 3
    assert statuses[MembershipStatus.DECEASED] == 2
    exempt = party.filter(status=MembershipStatus.EXEMPT)
    assert all(m.status_reason and m.status_changed_on for m in exempt)


def test_every_unit_has_its_officers(seeded):
    current = Position.objects.current()
    commune = Org.objects.get(code="DU-DT")
    titles = set(current.filter(org=commune).values_list("title", flat=True))
    assert {Title.SECRETARY, Title.DEPUTY_SECRETARY, Title.COMMITTEE_MEMBER} <= titles
    deputies = current.filter(org__code__startswith="DU-DT-CB", title=Title.DEPUTY_SECRETARY)
    assert deputies.count() >= 15
    for code in [f"DU-HLHPN-CB{n}" for n in range(1, 6)]:
        assert current.filter(org__code=code, title=Title.SECRETARY).count() == 1
    for code in [f"HLHPN-DT-CH{n:02d}" for n in range(1, 14)]:
        assert current.filter(org__code=code, title=Title.BRANCH_HEAD).count() == 1
    assert current.filter(org__code="HLHPN-DT", title=Title.CHAIR).count() == 1
    # Every office holder is on the roll of the unit (or of a unit below it).
    for position in current.select_related("org"):
        assert (
            Membership.objects.current()
            .filter(person_id=position.person_id, org__path__startswith=position.org.path)
            .exists()
        )


def test_tree_is_valid(seeded):
    assert tree_problems() == ([], [], [], [], [])


def test_all_personas_log_in_with_the_demo_password(seeded):
    assert [login.username for login in LOGINS] == list(PERSONAS)
    for username in PERSONAS:
        client = Client()
        assert client.login(request=HttpRequest(), username=username, password=DEMO_PASSWORD)
        assert not Client().login(request=HttpRequest(), username=username, password="sai-mat-khau")
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.filter(username__in=PERSONAS[1:], is_superuser=True).exists()


def test_persona_persons_match_their_logins(seeded):
    for login in LOGINS:
        user = User.objects.get(username=login.username)
        person = Person.objects.filter(user=user).first()
        if login.full_name:
            assert person is not None and person.full_name == login.full_name
        else:
            assert person is None
    # The persona names are not given to anybody else, so tests can look people up by name.
    names = [login.full_name for login in LOGINS if login.full_name]
    assert Person.objects.filter(full_name__in=names).count() == len(names)


def test_positions_and_grants_give_the_expected_roles(seeded):
    org = {code: Org.objects.get(code=code) for code in (
        "TU-TN", "DU-DT", "DU-DT-CB01", "DU-DT-CB02", "DU-DT-CB14", "DU-HLHPN", "DU-HLHPN-CB1",
        "HLHPN-TN", "HLHPN-DT", "HLHPN-DT-CH01", "HLHPN-DT-CH02",
    )}  # fmt: skip
    scope = {username: scope_for(User.objects.get(username=username)) for username in PERSONAS}

    assert scope["admin"].can(org["DU-HLHPN-CB1"].path, Role.ADMIN)

    bithu1 = scope["bithu1"]
    assert bithu1.can(org["DU-DT-CB01"].path, Role.OFFICER)
    assert not bithu1.can(org["DU-DT-CB01"].path, Role.COMMITTEE)
    assert bithu1.role_at(org["DU-DT-CB02"].path) is None
    assert bithu1.role_at(org["DU-DT"].path) is None
    assert bithu1.role_at(org["HLHPN-DT-CH01"].path) is None

    bithu2 = scope["bithu2"]
    assert bithu2.can(org["DU-DT-CB02"].path, Role.OFFICER)
    assert bithu2.role_at(org["DU-DT-CB01"].path) is None

    dangvien1 = scope["dangvien1"]
    assert dangvien1.role_at(org["DU-DT-CB01"].path) == Role.MEMBER
    assert dangvien1.role_at(org["DU-DT-CB02"].path) is None

    danguy = scope["danguy"]
    assert danguy.can(org["DU-DT"].path, Role.COMMITTEE)
    assert danguy.can(org["DU-DT-CB02"].path, Role.COMMITTEE)
    assert danguy.role_at(org["HLHPN-DT-CH02"].path) == Role.VIEWER
    assert danguy.role_at(org["TU-TN"].path) is None
    assert danguy.role_at(org["DU-HLHPN"].path) is None
    assert danguy.role_at(org["HLHPN-TN"].path) is None

    tinhuy = scope["tinhuy"]
    for code in ("TU-TN", "DU-DT-CB01", "DU-HLHPN-CB1", "HLHPN-TN", "HLHPN-DT-CH02"):
        assert tinhuy.role_at(org[code].path) == Role.VIEWER, code

    chihoi1 = scope["chihoi1"]
    assert chihoi1.can(org["HLHPN-DT-CH01"].path, Role.OFFICER)
    assert chihoi1.role_at(org["HLHPN-DT-CH02"].path) is None
    assert chihoi1.role_at(org["DU-DT-CB01"].path) is None


def test_seeding_twice_changes_nothing(seeded):
    before = counts()
    seed_demo()
    assert counts() == before


def test_reset_rebuilds_the_same_demo(seeded):
    def roll(code: str) -> list[str]:
        return sorted(
            Membership.objects.current()
            .filter(org__code=code)
            .values_list("person__full_name", flat=True)
        )

    before = counts()
    cell_before = roll("DU-DT-CB05")
    old_ids = set(Person.objects.values_list("pk", flat=True))
    seed_demo(reset=True)
    assert counts() == before
    assert roll("DU-DT-CB05") == cell_before
    assert not old_ids & set(Person.objects.values_list("pk", flat=True))
    assert tree_problems() == ([], [], [], [], [])
    assert Client().login(request=HttpRequest(), username="bithu1", password=DEMO_PASSWORD)


def test_reset_mends_a_partial_demo(seeded):
    before = counts()
    User.objects.filter(username="bithu2").update(is_active=False, username="bithu2-cu")
    seed_demo()
    assert current_members("DU-DT") == 271
    assert User.objects.filter(username="bithu2", is_active=True).exists()
    assert counts()["persons"] == before["persons"]


def test_demo_command_prints_the_logins(seeded):
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert "Dữ liệu mẫu đã có" in text
    for login in LOGINS:
        assert login.username in text
        assert str(login.what) in text
    assert text.count(DEMO_PASSWORD) == len(LOGINS)


def test_demo_command_reset(seeded):
    before = counts()
    out = io.StringIO()
    call_command("demo", "--reset", stdout=out)
    assert "Xóa dữ liệu mẫu cũ" in out.getvalue()
    assert counts() == before
