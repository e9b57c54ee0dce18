"""Overlapping registrations between organisations are caught by the service itself, so the
API refuses what the page refuses: a model alike in name, place and period to another
unit's is saved only once the registrant confirms having seen the others."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from chibo.core.api_auth import api_token_create
from chibo.core.models import AuditEntry
from chibo.initiatives.demo import seed_initiatives_demo
from chibo.initiatives.models import Initiative
from chibo.initiatives.services import IndicatorData, InitiativeData, initiative_register

# The demo's rice jar of xóm Tân Lập's women's branch: what the registrations below repeat.
DEMO_JAR = "Hũ gạo tiết kiệm giúp đỡ hội viên nghèo xóm Tân Lập"
TITLE = "Hũ gạo tình thương"


@pytest.fixture
def seeded(demo: Any) -> Any:
    seed_initiatives_demo()
    return demo


def _data(**overrides: Any) -> InitiativeData:
    values: dict[str, Any] = {
        "kind": "model",
        "title": TITLE,
        "tasks": "Mỗi đảng viên góp 1 kg gạo mỗi tháng",
        "starts_on": datetime.date(timezone.localdate().year, 1, 5),
        "ward_code": 5830,
        "hamlet": "Xóm Tân Lập",
        "indicators": [IndicatorData(kind="tiet-kiem-gao", unit="kg", target=Decimal(100))],
    }
    values.update(overrides)
    return InitiativeData(**values)


def _registered(code: str) -> list[Initiative]:
    return list(Initiative.objects.filter(org__code=code, title=TITLE))


def test_the_service_refuses_an_overlap_until_confirmed(seeded: Any) -> None:
    cell = seeded.org("DU-DT-CB01")
    jar = Initiative.objects.get(title=DEMO_JAR)
    audits = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as error:
        initiative_register(org=cell, data=_data())

    message = " ".join(error.value.message_dict["confirm_overlap"])
    assert "mô hình tương tự ở cùng địa bàn, cùng thời gian" in message
    assert f"“{DEMO_JAR}”" in message
    assert _registered("DU-DT-CB01") == []
    assert AuditEntry.objects.count() == audits

    initiative = initiative_register(org=cell, data=_data(), confirm_overlap=True)

    entry = AuditEntry.objects.get(subject_type="initiatives.initiative", subject_id=initiative.pk)
    assert jar.pk in entry.after["overlaps_confirmed"]


def test_no_confirmation_is_asked_where_nothing_overlaps(seeded: Any) -> None:
    cell = seeded.org("DU-DT-CB01")
    # The same name in another hamlet of the commune serves other people.
    elsewhere = initiative_register(org=cell, data=_data(hamlet="Xóm Đồng Bẩm"))
    entry = AuditEntry.objects.get(subject_type="initiatives.initiative", subject_id=elsewhere.pk)
    assert "overlaps_confirmed" not in entry.after


def _api(seeded: Any, username: str) -> Client:
    key = api_token_create(user=seeded.user(username)).key
    return Client(headers={"Authorization": f"Bearer {key}"})


def _body(**overrides: Any) -> str:
    body: dict[str, Any] = {
        "kind": "model",
        "title": TITLE,
        "tasks": "Mỗi đảng viên góp 1 kg gạo mỗi tháng",
        "starts_on": f"{timezone.localdate().year}-01-05",
        "ward_code": 5830,
        "hamlet": "Xóm Tân Lập",
        "indicators": [{"kind": "tiet-kiem-gao", "unit": "kg", "target": "100"}],
    }
    body.update(overrides)
    return json.dumps(body)


def test_the_api_refuses_an_overlap_like_the_page(seeded: Any) -> None:
    api = _api(seeded, "danguy")
    url = "/api/v1/orgs/DU-DT-CB01/initiatives"

    refused = api.post(url, _body(), content_type="application/json")

    assert refused.status_code == 422
    [problem] = refused.json()["detail"]
    assert problem["loc"] == ["body", "confirm_overlap"]
    assert DEMO_JAR in problem["message"]
    assert _registered("DU-DT-CB01") == []

    saved = api.post(url, _body(confirm_overlap=True), content_type="application/json")

    assert saved.status_code == 201
    [initiative] = _registered("DU-DT-CB01")
    assert saved.json()["id"] == initiative.pk and saved.json()["org_code"] == "DU-DT-CB01"
    entry = AuditEntry.objects.get(subject_type="initiatives.initiative", subject_id=initiative.pk)
    assert entry.actor_id == seeded.user("danguy").pk and entry.after["overlaps_confirmed"]


def test_the_api_names_bad_input_and_refuses_readers(seeded: Any) -> None:
    url = "/api/v1/orgs/DU-DT-CB01/initiatives"
    bad = _api(seeded, "danguy").post(
        url, _body(title=" ", indicators=[]), content_type="application/json"
    )
    assert bad.status_code == 422
    fields = {tuple(problem["loc"]) for problem in bad.json()["detail"]}
    assert fields == {("body", "title"), ("body", "indicators")}
    member = _api(seeded, "dangvien1").post(
        url, _body(confirm_overlap=True), content_type="application/json"
    )
    assert member.status_code == 403
    assert _registered("DU-DT-CB01") == []
