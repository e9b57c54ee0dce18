"""What a review of the round pages found: form messages that named no field, a revision
that could go missing on "decide as proposed", a unit's decision that no page could
reopen, and the unit's evaluation read past the scoping layer."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from chibo.core.models import AuditEntry
from chibo.evaluation.models import Grade, MemberEvaluation, Round, Step, UnitEvaluation
from chibo.evaluation.selectors import unit_evaluation_for
from chibo.evaluation.services import (
    Proposal,
    SelfAssessment,
    evaluation_propose,
    evaluations_decide_as_proposed,
    unit_evaluation_decide,
    unit_evaluation_self_submit,
)
from chibo.evaluation.tests.test_views_flow import mine, text

CELL = "DU-DT-CB01"


def cell_unit(round_: Round) -> UnitEvaluation:
    return UnitEvaluation.objects.get(round=round_, org__code=CELL)


def proposed(demo: Any, round_: Round) -> MemberEvaluation:
    """dangvien1 proposed "good" by the cell, after the cell's own self-assessment."""
    unit = cell_unit(round_)
    unit_evaluation_self_submit(
        user=demo.user("bithu1"),
        evaluation=unit,
        revision=unit.revision,
        data=SelfAssessment(texts={"leadership": "Tốt"}, self_grade=Grade.GOOD),
    )
    evaluation = mine(round_)
    return evaluation_propose(
        user=demo.user("bithu1"),
        evaluation=evaluation,
        revision=evaluation.revision,
        data=Proposal(review_comment="Tốt", proposed_grade=Grade.GOOD),
    )


# --- form messages name the field ---------------------------------------------------------


def test_bad_input_on_the_cell_page_names_the_field(demo: Any, round_: Round) -> None:
    evaluation = mine(round_)
    prefix = f"m{evaluation.pk}"
    response = demo.client("bithu1").post(
        reverse("evaluation_cell", args=[round_.pk, CELL]),
        {
            "evaluation": str(evaluation.pk),
            f"{prefix}-revision": str(evaluation.revision),
            f"{prefix}-proposed_grade": Grade.GOOD,
            f"{prefix}-sick_leave_months": "13",
            f"{prefix}-discipline": "",
        },
    )
    assert response.status_code == 200
    assert "“Số tháng nghỉ ốm trong năm” phải từ 0 đến 12." in text(response)
    evaluation.refresh_from_db()
    assert evaluation.step == Step.SELF and evaluation.proposed_grade == ""


def test_bad_input_on_the_decision_page_names_the_field(demo: Any, round_: Round) -> None:
    evaluation = proposed(demo, round_)
    url = reverse("evaluation_decide", args=[round_.pk, CELL])
    d = f"d{evaluation.pk}"
    danguy = demo.client("danguy")
    empty = danguy.post(url, {"evaluation": str(evaluation.pk), f"{d}-revision": "1"})
    assert "Chưa chọn “Cấp ủy quyết định”." in text(empty)
    # A page whose hidden revision was lost is told to reload, not shown a bare "invalid".
    lost = danguy.post(url, {"evaluation": str(evaluation.pk), f"{d}-grade": Grade.GOOD})
    assert "thiếu thông tin lần sửa của phiếu; hãy tải lại trang" in text(lost)
    evaluation.refresh_from_db()
    assert not evaluation.is_locked


@pytest.mark.usefixtures("flow_rules")
def test_bad_year_when_opening_a_round_names_the_field(demo: Any) -> None:
    response = demo.client("danguy").post(
        reverse("evaluation_rounds", args=["DU-DT"]), {"year": "abc", "reference_date": ""}
    )
    page = text(response)
    assert "“Năm đánh giá” phải là một số nguyên." in page
    assert "Cần nhập “Ngày tính”." in page
    assert not Round.objects.filter(org__code="DU-DT").exists()


# --- "decide as proposed" never decides without the revision the page showed -------------


def test_decide_as_proposed_refuses_a_missing_revision(demo: Any, round_: Round) -> None:
    evaluation = proposed(demo, round_)
    with pytest.raises(ValidationError) as error:
        evaluations_decide_as_proposed(
            user=demo.user("danguy"),
            round_=round_,
            org=demo.org(CELL),
            revisions={evaluation.pk: None},
        )
    assert "hãy tải lại trang" in str(error.value)
    assert evaluation.person.full_name in str(error.value)
    evaluation.refresh_from_db()
    assert not evaluation.is_locked

    # The same through the page, with the revision mangled on the way.
    url = reverse("evaluation_decide", args=[round_.pk, CELL])
    response = demo.client("danguy").post(url, {"as_proposed": "1", f"rev-{evaluation.pk}": "abc"})
    assert response.status_code == 200 and "hãy tải lại trang" in text(response)
    evaluation.refresh_from_db()
    assert not evaluation.is_locked
    done = demo.client("danguy").post(
        url, {"as_proposed": "1", f"rev-{evaluation.pk}": str(evaluation.revision)}
    )
    assert done.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.is_locked and evaluation.decided_grade == Grade.GOOD


# --- a unit's decision is reopened on its page --------------------------------------------


def test_the_committee_reopens_a_units_decision_with_a_reason(demo: Any, round_: Round) -> None:
    unit = cell_unit(round_)
    unit = unit_evaluation_decide(
        user=demo.user("danguy"), evaluation=unit, revision=unit.revision, grade=Grade.GOOD
    )
    url = reverse("evaluation_unit", args=[round_.pk, CELL])
    danguy = demo.client("danguy")
    assert "Mở lại quyết định" in text(danguy.get(url))
    # The cell's secretary reads the page but does not decide for the level above.
    bithu1 = demo.client("bithu1")
    assert "Mở lại quyết định" not in text(bithu1.get(url))
    reopen = {"do": "reopen", "revision": str(unit.revision), "reason": "Sai sót"}
    assert bithu1.post(url, reopen).status_code == 403
    assert danguy.post(url, {**reopen, "do": "nonsense"}).status_code == 404
    empty = danguy.post(url, {**reopen, "reason": " "})
    assert "Phải ghi lý do" in text(empty)
    stale = danguy.post(url, {**reopen, "revision": str(unit.revision - 1)})
    assert "vừa được người khác cập nhật" in text(stale)
    unit.refresh_from_db()
    assert unit.is_locked
    assert danguy.post(url, reopen).status_code == 302
    unit.refresh_from_db()
    assert not unit.is_locked and unit.decided_grade == ""
    assert AuditEntry.objects.filter(
        subject_type="evaluation.unitevaluation", subject_id=unit.pk, summary__contains="Sai sót"
    ).exists()
    assert "Lý do: Sai sót" in text(danguy.get(url))


def test_a_stale_unit_proposal_is_refused_on_the_page(demo: Any, round_: Round) -> None:
    unit = cell_unit(round_)
    url = reverse("evaluation_unit", args=[round_.pk, CELL])
    data = {
        "do": "propose",
        "revision": str(unit.revision),
        "review_comment": "Khá",
        "proposed_grade": Grade.GOOD,
    }
    danguy = demo.client("danguy")
    assert danguy.post(url, data).status_code == 302
    again = danguy.post(url, {**data, "review_comment": "Khác"})
    assert "vừa được người khác cập nhật" in text(again)
    unit.refresh_from_db()
    assert unit.review_comment == "Khá" and unit.step == Step.PROPOSED


# --- the unit's evaluation comes through the scoping layer --------------------------------


def test_a_units_evaluation_is_read_through_the_scope(demo: Any, round_: Round) -> None:
    cell = demo.org(CELL)
    found = unit_evaluation_for(user=demo.user("bithu1"), round_=round_, org=cell)
    assert found is not None and found.org_id == cell.pk
    assert unit_evaluation_for(user=demo.user("bithu2"), round_=round_, org=cell) is None
    assert unit_evaluation_for(user=demo.user("chihoi1"), round_=round_, org=cell) is None
    assert (
        demo.client("bithu2").get(reverse("evaluation_unit", args=[round_.pk, CELL])).status_code
        == 404
    )


# --- the quota is for readers of the grassroots organisation ------------------------------


def test_a_committee_of_one_cell_decides_without_the_organisations_quota(
    demo: Any, round_: Round
) -> None:
    from chibo.core.models import User
    from chibo.core.roles import Role
    from chibo.orgs.models import Org
    from chibo.orgs.services import grant_create

    commune = Org.objects.get(code="DU-DT")
    cell_only = User.objects.create_user(username="chiuy-cb01", password="x")
    grant_create(user=cell_only, org=Org.objects.get(code=CELL), role=Role.COMMITTEE)
    client = demo.client("danguy")
    url = reverse("evaluation_decide", args=[round_.pk, CELL])
    page = text(client.get(url))
    assert "Còn được xếp loại HTXSNV" in page and commune.name in page
    client.force_login(cell_only)
    response = client.get(url)
    assert response.status_code == 200
    page = text(response)
    assert "Còn được xếp loại HTXSNV" not in page
    assert commune.name not in page
