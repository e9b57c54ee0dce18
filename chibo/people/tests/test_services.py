import datetime
import unicodedata

import pytest
from django.core.exceptions import ValidationError

from chibo.core.models import AuditEntry
from chibo.orgs.models import Family
from chibo.people.models import EndReason, Membership, MembershipStatus, Person
from chibo.people.services import (
    PersonData,
    membership_create,
    membership_update,
    person_create,
    person_update,
)


def test_person_create_splits_cases_normalises_and_audits(personas):
    nfd = unicodedata.normalize("NFD", "  nguyễn   thị  ÁNH  tuyết ")
    person = person_create(
        data=PersonData(full_name=nfd, gender="female", birth_date=datetime.date(1990, 4, 30)),
        org_id=personas.cell_a.pk,
    )
    assert (person.family_name, person.middle_name, person.given_name) == (
        "Nguyễn",
        "Thị Ánh",
        "Tuyết",
    )
    assert person.full_name == unicodedata.normalize("NFC", "Nguyễn Thị Ánh Tuyết")
    assert person.search_text == "nguyen thi anh tuyet"
    entry = AuditEntry.objects.get(subject_type="people.person", subject_id=person.pk)
    assert entry.action == "create"
    assert entry.after["given_name"] == "Tuyết"


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        (PersonData(full_name=""), "given_name", "Cần nhập tên"),
        (PersonData(full_name="Lê An", birth_date=datetime.date(2999, 1, 1)), "birth_date",
         "tương lai"),
        (PersonData(full_name="Lê An", citizen_id="12345"), "citizen_id", "12 chữ số"),
        (PersonData(full_name="Lê An", phone="abc"), "phone", "Số điện thoại"),
        (PersonData(full_name="Lê An", gender="x"), "gender", "Nam hoặc Nữ"),
    ],
)  # fmt: skip
def test_person_create_refuses_bad_input_and_writes_nothing(personas, data, field, fragment):
    before = Person.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        person_create(data=data, org_id=None)
    assert fragment in error.value.message_dict[field][0]
    assert (Person.objects.count(), AuditEntry.objects.count()) == before


def test_citizen_id_unique(personas):
    data = PersonData(full_name="Lê Thị Hoa", gender="female", citizen_id="019185000123")
    person_create(data=data, org_id=None)
    with pytest.raises(ValidationError) as error:
        person_create(
            data=PersonData(full_name="Lê Thị Hoa", citizen_id="019185000123"), org_id=None
        )
    assert "đã có" in error.value.message_dict["citizen_id"][0]


def test_person_update_audits_before_and_after(personas):
    person = personas.charlie
    person_update(person=person, data=PersonData(full_name="Lê Văn Cường", phone="0912345678"))
    entry = AuditEntry.objects.filter(subject_type="people.person", action="update").get(
        subject_id=person.pk
    )
    assert entry.before["phone"] == ""
    assert entry.after["phone"] == "0912345678"
    assert entry.org_id == personas.cell_a.pk


def test_one_current_membership_per_family(personas):
    with pytest.raises(ValidationError, match="đang sinh hoạt"):
        membership_create(
            person=personas.charlie, org=personas.cell_b, status=MembershipStatus.OFFICIAL
        )
    # Another family is fine: a party member is usually a union member too.
    membership = membership_create(
        person=personas.alice, org=personas.women_a, status=MembershipStatus.ACTIVE
    )
    assert membership.family == Family.WOMEN


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"status": MembershipStatus.ACTIVE}, "status", "không dùng"),
        ({"joined_on": datetime.date(2999, 1, 1)}, "joined_on", "tương lai"),
        ({"joined_on": datetime.date(2005, 1, 1)}, "joined_on", "18 tuổi"),
        ({"joined_on": datetime.date(2020, 1, 1), "official_on": datetime.date(2020, 12, 31)},
         "official_on", "12 tháng"),
    ],
)  # fmt: skip
def test_membership_rules(personas, kwargs, field, fragment):
    person = person_create(
        data=PersonData(full_name="Đỗ Văn Em", birth_date=datetime.date(1990, 1, 1)), org_id=None
    )
    arguments = {"status": MembershipStatus.PROBATIONARY} | kwargs
    with pytest.raises(ValidationError) as error:
        membership_create(person=person, org=personas.cell_a, **arguments)
    assert fragment in error.value.message_dict[field][0]
    assert not Membership.objects.filter(person=person).exists()


def test_closing_status_takes_member_off_roll_but_keeps_record(personas):
    membership = Membership.objects.get(person=personas.charlie)
    membership_update(
        membership=membership,
        status=MembershipStatus.DECEASED,
        joined_on=membership.joined_on,
        official_on=membership.official_on,
        card_number="",
        on=datetime.date(2026, 1, 5),
        reason="Từ trần",
        decision_number="12-QĐ/ĐU",
    )
    membership.refresh_from_db()
    assert membership.ended_on == datetime.date(2026, 1, 5)
    assert membership.end_reason == EndReason.STATUS
    assert membership.decision_number == "12-QĐ/ĐU"
    assert not Membership.objects.current().filter(person=personas.charlie).exists()
    assert Person.objects.filter(pk=personas.charlie.pk).exists()
    assert AuditEntry.objects.filter(person_id=personas.charlie.pk, action="end").exists()
