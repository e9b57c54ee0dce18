"""Rows registered as following a person go where that person goes on a merger or a split."""

import datetime

import pytest
from django.core.exceptions import FieldDoesNotExist

from chibo.initiatives.models import Award, AwardForm, AwardLevel, Exemplar
from chibo.orgs.following import PersonFollowingMover
from chibo.orgs.models import Grant, Org
from chibo.orgs.restructuring import SplitPart, _movers, org_merge
from chibo.people.services import org_split_members
from chibo.plans.models import Commitment, DocumentRead, QuizAttempt

ON = datetime.date(2025, 7, 1)


def award(org: Org, person_id: int | None, number: str) -> Award:
    return Award.objects.create(
        org=org, person_id=person_id, form=AwardForm.CERTIFICATE, level=AwardLevel.BASE,
        issuer="Đảng ủy xã", decision_number=number, decided_on=datetime.date(2025, 5, 19),
        reason="Hoàn thành xuất sắc nhiệm vụ",
    )  # fmt: skip


def commitment(org: Org, person_id: int) -> Commitment:
    return Commitment.objects.create(
        person_id=person_id, org=org, family=org.family, year=2025, job_position="Nông dân"
    )


def test_plans_and_initiatives_register_their_personal_rows() -> None:
    for model in (Commitment, DocumentRead, QuizAttempt, Award, Exemplar):
        assert isinstance(_movers[model], PersonFollowingMover), model


def test_a_split_moves_each_persons_rows_to_their_new_org_and_leaves_the_units_own(personas):
    cell = personas.cell_a
    alice_award = award(cell, personas.alice.pk, "12-QĐ/ĐU")
    unit_award = award(cell, None, "13-QĐ/ĐU")
    alice_pledge = commitment(cell, personas.alice.pk)
    charlie = personas.charlie
    charlie_pledge = commitment(cell, charlie.pk)
    parts = [
        SplitPart(code="T-A1", name="Chi bộ xóm Đồng 1", person_ids=frozenset({personas.alice.pk})),
        SplitPart(code="T-A2", name="Chi bộ xóm Đồng 2", person_ids=frozenset({charlie.pk})),
    ]
    result = org_split_members(source=cell, parts=parts, on=ON, close_source=False)
    assert result.moved["initiatives.award"] == 1
    assert result.moved["plans.commitment"] == 2
    codes = {
        "alice award": Award.objects.get(pk=alice_award.pk).org.code,
        "unit award": Award.objects.get(pk=unit_award.pk).org.code,
        "alice pledge": Commitment.objects.get(pk=alice_pledge.pk).org.code,
        "charlie pledge": Commitment.objects.get(pk=charlie_pledge.pk).org.code,
    }
    assert codes == {
        "alice award": "T-A1",
        "unit award": "T-A",
        "alice pledge": "T-A1",
        "charlie pledge": "T-A2",
    }


def test_a_merger_moves_every_row_of_the_source(personas):
    unit_award = award(personas.cell_b, None, "14-QĐ/ĐU")
    bob_pledge = commitment(personas.cell_b, personas.bob.pk)
    result = org_merge(source=personas.cell_b, target=personas.cell_a, on=ON)
    assert result.moved["initiatives.award"] == 1
    assert result.moved["plans.commitment"] == 1
    assert Award.objects.get(pk=unit_award.pk).org_id == personas.cell_a.pk
    assert Commitment.objects.get(pk=bob_pledge.pk).org_id == personas.cell_a.pk


def test_a_model_without_a_person_field_is_refused_at_registration() -> None:
    with pytest.raises(FieldDoesNotExist):
        PersonFollowingMover(Grant)
