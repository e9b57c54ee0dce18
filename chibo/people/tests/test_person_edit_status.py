"""The plain person edit form cannot change a membership's status: expulsion, removal,
death and the rest need a date, a reason and a decision, which only the standing page
(chibo.people.statuses) asks for."""

from __future__ import annotations

from typing import cast

import pytest
from django import forms

from chibo.core.models import AuditEntry
from chibo.people.forms import MembershipEditForm
from chibo.people.models import Membership, MembershipStatus


def cell_member(demo, code: str) -> Membership:
    found = (
        Membership.objects.filter(
            org__code=code, ended_on__isnull=True, status=MembershipStatus.OFFICIAL,
            person__user__isnull=True,
        )
        .select_related("person")
        .order_by("pk")
        .first()
    )  # fmt: skip
    assert found is not None and found.joined_on is not None
    return found


@pytest.mark.parametrize(
    "status",
    [
        MembershipStatus.EXPELLED,
        MembershipStatus.REMOVED,
        MembershipStatus.DECEASED,
        MembershipStatus.LEFT,
        MembershipStatus.SUSPENDED,
        MembershipStatus.EXEMPT,
    ],
)
def test_no_status_goes_through_the_plain_form(demo, status):
    membership = cell_member(demo, "DU-DT-CB01")
    person = membership.person
    client = demo.client("bithu1")
    url = f"/people/{person.pk}/edit/"
    page = client.get(url).content.decode()
    assert 'name="m-status"' not in page
    assert f'href="/people/{person.pk}/standing/"' in page
    data = {
        "given_name": person.given_name, "family_name": person.family_name,
        "middle_name": person.middle_name, "m-status": status,
        "m-joined_on": f"{membership.joined_on:%d/%m/%Y}",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.OFFICIAL and membership.ended_on is None
    assert membership.status_changed_on is None and membership.status_reason == ""
    entries = AuditEntry.objects.filter(subject_type="people.membership", subject_id=membership.pk)
    assert all(entry.after.get("status", "official") == "official" for entry in entries)


def test_the_form_has_no_status_field_for_a_party_member(demo):
    membership = Membership.objects.filter(org__code="DU-DT-CB01", ended_on__isnull=True).first()
    assert membership is not None
    form = MembershipEditForm(membership=membership, prefix="m")
    assert "status" not in form.fields
    assert "reason" not in form.fields and "decision_number" not in form.fields


def test_an_association_member_leaves_through_the_form_with_a_reason(demo):
    membership = (
        Membership.objects.filter(
            org__code="HLHPN-DT-CH01", ended_on__isnull=True, status=MembershipStatus.ACTIVE
        )
        .select_related("person")
        .order_by("pk")
        .first()
    )
    assert membership is not None
    person = membership.person
    status_field = MembershipEditForm(membership=membership, prefix="m").fields["status"]
    assert isinstance(status_field, forms.ChoiceField)
    choices = cast(list[tuple[str, str]], status_field.choices)
    assert {value for value, _label in choices} == {"active", "left", "deceased"}
    client = demo.client("chihoi1")
    url = f"/people/{person.pk}/edit/"
    data = {
        "given_name": person.given_name, "family_name": person.family_name,
        "middle_name": person.middle_name, "m-status": "left",
        "m-joined_on": f"{membership.joined_on:%d/%m/%Y}" if membership.joined_on else "",
    }  # fmt: skip
    page = client.post(url, data)
    assert page.status_code == 200
    assert "Cần ghi lý do khi đổi tư cách." in page.content.decode()
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ACTIVE and membership.ended_on is None
    data["m-reason"] = "Chuyển đi nơi khác sinh sống"
    assert client.post(url, data).status_code == 302
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.LEFT and membership.ended_on is not None
    assert membership.status_reason == "Chuyển đi nơi khác sinh sống"


def test_the_standing_page_still_demands_date_reason_and_decision(demo):
    membership = cell_member(demo, "DU-DT-CB01")
    client = demo.client("danguy")
    url = f"/people/{membership.person_id}/standing/"
    response = client.post(url, {"action": "expelled", "on": "", "reason": ""})
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.OFFICIAL and membership.ended_on is None


def test_the_edit_service_holds_the_rules_without_the_form(demo):
    from django.core.exceptions import ValidationError

    from chibo.people.models import Transfer, TransferKind, TransferStatus
    from chibo.people.services import membership_edit

    party = cell_member(demo, "DU-DT-CB01")
    with pytest.raises(ValidationError) as refused:
        membership_edit(
            membership=party, status=MembershipStatus.DECEASED, reason="Từ trần",
            joined_on=party.joined_on, official_on=party.official_on, card_number="",
        )  # fmt: skip
    assert "Thay đổi tư cách" in refused.value.message_dict["status"][0]
    women = (
        Membership.objects.filter(
            org__code="HLHPN-DT-CH01", ended_on__isnull=True, status=MembershipStatus.ACTIVE
        )
        .select_related("person")
        .order_by("pk")
        .first()
    )
    assert women is not None
    assert women.joined_on is not None
    with pytest.raises(ValidationError) as no_reason:
        membership_edit(
            membership=women, status=MembershipStatus.LEFT,
            joined_on=women.joined_on, official_on=None, card_number="",
        )  # fmt: skip
    assert no_reason.value.message_dict == {"reason": ["Cần ghi lý do khi đổi tư cách."]}
    Transfer.objects.create(
        person=women.person, membership=women, org=women.org, kind=TransferKind.OFFICIAL,
        status=TransferStatus.REQUESTED, cause_on=women.joined_on,
    )  # fmt: skip
    with pytest.raises(ValidationError) as pending:
        membership_edit(
            membership=women, status=MembershipStatus.LEFT, reason="Đi xa",
            joined_on=women.joined_on, official_on=None, card_number="",
        )  # fmt: skip
    assert "chuyển sinh hoạt chưa xong" in pending.value.message_dict["status"][0]
    women.refresh_from_db()
    assert women.status == MembershipStatus.ACTIVE and women.ended_on is None
