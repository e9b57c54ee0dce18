"""The round pages: who opens what (404 outside, 403 inside but not allowed), the forms
through to the services, and bounded queries on the list pages."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chibo.core.models import AuditEntry
from chibo.evaluation.models import (
    Grade,
    MemberEvaluation,
    Round,
    RoundStatus,
    Step,
    UnitEvaluation,
)
from chibo.evaluation.tests.flow_rules import FLOW_YEAR, flow_rules  # noqa: F401

SHEET = {"politics": "18", "ethics": "19", "discipline": "18,5", "tasks": "36"}


def mine(round_: Round, username: str = "dangvien1") -> MemberEvaluation:
    return MemberEvaluation.objects.get(round=round_, person__user__username=username)


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.usefixtures("flow_rules")
def test_committee_opens_a_round_from_the_org_page(demo: Any) -> None:
    url = reverse("evaluation_rounds", args=["DU-DT"])
    client = demo.client("danguy")
    assert "Mở đợt đánh giá mới" in text(client.get(url))
    response = client.post(url, {"year": "abc", "reference_date": "31/02/2099"})
    assert response.status_code == 200
    assert "Năm đánh giá" in text(response)
    assert not Round.objects.filter(org__code="DU-DT", year=FLOW_YEAR).exists()
    response = client.post(
        url,
        {"year": str(FLOW_YEAR), "reference_date": "01/12/2099", "members_self_due": "10/12/2099"},
    )
    opened = Round.objects.get(org__code="DU-DT", year=FLOW_YEAR)
    assert response.status_code == 302 and response["Location"] == reverse(
        "evaluation_round", args=[opened.pk]
    )
    assert opened.members_self_due == datetime.date(FLOW_YEAR, 12, 10)
    again = client.post(url, {"year": str(FLOW_YEAR), "reference_date": "01/12/2099"})
    assert "đã có đợt đánh giá, xếp loại năm 2099" in text(again)
    assert demo.client("tinhuy").get(url).status_code == 200
    assert demo.client("tinhuy").post(url, {"year": "2099"}).status_code == 403
    assert (
        demo.client("dangvien1").get(reverse("evaluation_rounds", args=["DU-DT-CB01"])).status_code
        == 403
    )
    assert (
        demo.client("bithu1").get(reverse("evaluation_rounds", args=["DU-DT-CB02"])).status_code
        == 404
    )


def test_member_submits_the_self_assessment(demo: Any, round_: Round) -> None:
    url = reverse("evaluation_self", args=[round_.pk])
    client = demo.client("dangvien1")
    page = text(client.get(url))
    assert "Tự đánh giá, xếp loại năm 2099" in page and "Tư tưởng chính trị" in page
    evaluation = mine(round_)
    data = {f"score_{k}": v for k, v in SHEET.items()}
    data |= {
        "revision": str(evaluation.revision),
        "text_politics": "Vững vàng",
        "strengths": "Gương mẫu",
    }
    bad = client.post(url, {**data, "score_tasks": "45"})
    assert "phải từ 0 đến 40" in text(bad)
    response = client.post(url, data)
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.self_grade == Grade.EXCELLENT and str(evaluation.self_score) == "91.50"
    # The same form sent again carries the old revision: refused, not overwritten.
    stale = client.post(url, {**data, "strengths": "Khác"})
    assert "vừa được người khác cập nhật" in text(stale)
    evaluation.refresh_from_db()
    assert evaluation.strengths == "Gương mẫu"
    # Someone without an evaluation in the round sees the page, and is told so.
    assert "không có tên trong danh sách" in text(demo.client("tinhuy").get(url))
    assert demo.client("chihoi1").get(url).status_code == 404


def test_cell_proposes_and_the_committee_decides(demo: Any, round_: Round) -> None:
    evaluation = mine(round_)
    cell_url = reverse("evaluation_cell", args=[round_.pk, "DU-DT-CB01"])
    bithu1 = demo.client("bithu1")
    page = text(bithu1.get(cell_url))
    assert "Nhận xét, đề xuất" in page and "Vắng họp không lý do" in page
    prefix = f"m{evaluation.pk}"
    data = {
        "evaluation": str(evaluation.pk),
        f"{prefix}-revision": str(evaluation.revision),
        f"{prefix}-review_comment": "Hoàn thành tốt",
        f"{prefix}-proposed_grade": Grade.EXCELLENT,
        f"{prefix}-sick_leave_months": "3",
        f"{prefix}-discipline": "",
    }
    refused = bithu1.post(cell_url, data)
    assert "Quy định thử, nghỉ ốm từ 3 tháng" in text(refused)
    response = bithu1.post(cell_url, {**data, f"{prefix}-sick_leave_months": "0"})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.step == Step.PROPOSED and evaluation.proposed_grade == Grade.EXCELLENT

    # The cell's own self-assessment comes before its members' decisions.
    UnitEvaluation.objects.filter(round=round_, org__code="DU-DT-CB01").update(
        self_grade=Grade.GOOD, self_submitted_at=evaluation.proposed_at
    )
    decide_url = reverse("evaluation_decide", args=[round_.pk, "DU-DT-CB01"])
    assert bithu1.get(decide_url).status_code == 403
    danguy = demo.client("danguy")
    page = text(danguy.get(decide_url))
    assert "Còn được xếp loại HTXSNV" in page
    d = f"d{evaluation.pk}"
    response = danguy.post(
        decide_url,
        {
            "evaluation": str(evaluation.pk),
            f"{d}-revision": str(evaluation.revision),
            f"{d}-grade": Grade.GOOD,
        },
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.is_locked and evaluation.decided_grade == Grade.GOOD

    member_url = reverse("evaluation_member", args=[evaluation.pk])
    assert "Mở lại quyết định" not in text(demo.client("bithu1").get(member_url))
    empty = danguy.post(
        member_url, {"do": "reopen", "revision": str(evaluation.revision), "reason": ""}
    )
    assert "Phải ghi lý do" in text(empty)
    assert (
        danguy.post(
            member_url, {"do": "reopen", "revision": str(evaluation.revision), "reason": "Sai sót"}
        ).status_code
        == 302
    )
    evaluation.refresh_from_db()
    assert not evaluation.is_locked
    history = text(danguy.get(member_url))
    assert "Lý do: Sai sót" in history
    assert AuditEntry.objects.filter(subject_id=evaluation.pk, summary__contains="Sai sót").exists()


def test_finalising_is_refused_with_the_reason_on_the_page(demo: Any, round_: Round) -> None:
    response = demo.client("danguy").post(
        reverse("evaluation_decide", args=[round_.pk, "DU-DT"]), {"finalise": "1"}
    )
    assert response.status_code == 200
    assert "chưa được cấp ủy quyết định xếp loại" in text(response)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN
    assert (
        demo.client("bithu1")
        .post(reverse("evaluation_round", args=[round_.pk]), {"finalise": "1"})
        .status_code
        == 403
    )


def test_access_by_role(demo: Any, round_: Round) -> None:
    evaluation = mine(round_)
    cases = [
        ("bithu1", reverse("evaluation_round", args=[round_.pk]), 200),
        ("chihoi1", reverse("evaluation_round", args=[round_.pk]), 404),
        ("dangvien1", reverse("evaluation_cell", args=[round_.pk, "DU-DT-CB01"]), 403),
        ("bithu2", reverse("evaluation_cell", args=[round_.pk, "DU-DT-CB01"]), 404),
        ("tinhuy", reverse("evaluation_cell", args=[round_.pk, "DU-DT-CB01"]), 200),
        ("tinhuy", reverse("evaluation_decide", args=[round_.pk, "DU-DT"]), 403),
        ("danguy", reverse("evaluation_decide", args=[round_.pk, "DU-HLHPN"]), 404),
        ("dangvien1", reverse("evaluation_member", args=[evaluation.pk]), 200),
        ("bithu2", reverse("evaluation_member", args=[evaluation.pk]), 404),
        ("bithu1", reverse("evaluation_unit", args=[round_.pk, "DU-DT-CB01"]), 200),
        ("bithu1", reverse("evaluation_unit", args=[round_.pk, "DU-DT-CB02"]), 404),
    ]
    for username, url, status in cases:
        assert demo.client(username).get(url).status_code == status, (username, url)
    other = (
        MemberEvaluation.objects.filter(round=round_, org__code="DU-DT-CB01")
        .exclude(pk=evaluation.pk)
        .first()
    )
    assert other is not None
    assert (
        demo.client("dangvien1").get(reverse("evaluation_member", args=[other.pk])).status_code
        == 404
    )
    home = text(demo.client("dangvien1").get(reverse("evaluation_home")))
    assert "Tự đánh giá, xếp loại năm 2099" in home


def _queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_list_pages_run_a_fixed_number_of_queries(
    demo: Any, round_: Round, django_assert_max_num_queries: Any
) -> None:
    danguy = demo.client("danguy")
    pages = [
        reverse("evaluation_decide", args=[round_.pk, "DU-DT-CB01"]),
        reverse("evaluation_cell", args=[round_.pk, "DU-DT-CB01"]),
        reverse("evaluation_round", args=[round_.pk]),
    ]
    few = [_queries(danguy, url) for url in pages]
    # Ten more members evaluated at the cell: the same number of queries.
    moved = MemberEvaluation.objects.filter(round=round_, org__code="DU-DT-CB02")[:10]
    MemberEvaluation.objects.filter(pk__in=[e.pk for e in moved]).update(org=demo.org("DU-DT-CB01"))
    many = [_queries(danguy, url) for url in pages]
    assert few == many
    with django_assert_max_num_queries(25):
        danguy.get(reverse("evaluation_decide", args=[round_.pk, "DU-DT"]))
