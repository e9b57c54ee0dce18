"""The pages and the API as the demo personas use them: registering with the overlap check,
results and fund entries with their messages, scoping, and bounded queries."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from chibo.core.api_auth import api_token_create
from chibo.initiatives.demo import seed_initiatives_demo
from chibo.initiatives.models import FundPayout, Initiative, ResultEntry, ScoreSheet
from chibo.initiatives.selectors import fund_view, overlaps_for


@pytest.fixture
def seeded(demo: Any) -> Any:
    seed_initiatives_demo()
    return demo


def _form(**values: Any) -> dict[str, Any]:
    today = timezone.localdate()
    base = {
        "kind": "savings",
        "title": "Hũ gạo tình thương",
        "tasks": "Mỗi hội viên góp 1 kg gạo",
        "starts_on": f"01/01/{today.year}",
        "ward_code": "5830",
        "hamlet": "Xóm Tân Lập",
        "ind0_kind": "tiet-kiem-gao",
        "ind0_target": "1.200",
        "ind0_unit": "kg",
        "fund_unit": "dong",
        "in_kind_unit": "kg",
        "in_kind_rate": "15.000",
    }
    base.update(values)
    return base


def test_registering_shows_similar_models_first_then_saves_on_confirmation(seeded):
    client = seeded.client("chihoi1")
    # Xóm Tân Lập's branch already keeps a rice jar: the check names it (by its title and
    # organisation family, chihoi1 does not read that branch) and saves nothing yet.
    page = client.post("/orgs/HLHPN-DT-CH01/initiatives/new/", _form())
    assert page.status_code == 200
    text = page.content.decode()
    assert "Mô hình tương tự đã đăng ký" in text
    assert "Hũ gạo tiết kiệm giúp đỡ hội viên nghèo xóm Tân Lập" in text
    assert "Chi hội Phụ nữ xóm Tân Lập" not in text
    assert not Initiative.objects.filter(org__code="HLHPN-DT-CH01", title="Hũ gạo tình thương")
    saved = client.post("/orgs/HLHPN-DT-CH01/initiatives/new/", _form(confirm_overlap="on"))
    initiative = Initiative.objects.get(org__code="HLHPN-DT-CH01", title="Hũ gạo tình thương")
    assert saved["Location"] == f"/initiatives/{initiative.pk}/"
    assert initiative.indicators.get().target == Decimal(1200)
    assert initiative.fund.in_kind_rate == Decimal(15_000)


def test_bad_input_names_the_field(seeded):
    client = seeded.client("chihoi1")
    page = client.post(
        "/orgs/HLHPN-DT-CH01/initiatives/new/",
        _form(ind0_unit="kwh", ind0_target="một tấn", hamlet="Xóm Khác"),
    )
    text = page.content.decode()
    assert "không phải là một số" in text
    page = client.post(
        "/orgs/HLHPN-DT-CH01/initiatives/new/", _form(ind0_unit="kwh", hamlet="Xóm Khác")
    )
    assert "không đo bằng ki-lô-oát giờ" in page.content.decode()
    assert not Initiative.objects.filter(org__code="HLHPN-DT-CH01", hamlet="Xóm Khác").exists()


def test_results_and_a_payout_larger_than_the_fund(seeded):
    client = seeded.client("chihoi1")
    piggy = Initiative.objects.get(org__code="HLHPN-DT-CH01", kind="savings")
    money = piggy.indicators.get(kind__code="tiet-kiem-tien")
    today = timezone.localdate()
    response = client.post(
        f"/initiatives/{piggy.pk}/results/new/",
        {"indicator": money.pk, "on": today.strftime("%d/%m/%Y"), "quantity": "1,5",
         "unit": "trieu-dong"},
    )  # fmt: skip
    assert response.status_code == 302
    entry = ResultEntry.objects.filter(indicator=money).latest("pk")
    assert (entry.quantity, entry.unit.code) == (Decimal("1.5"), "trieu-dong")
    balance = fund_view(fund=piggy.fund).balance
    response = client.post(
        f"/initiatives/{piggy.pk}/fund/payout/",
        {"beneficiary": "Hộ chị Hạnh", "on": today.strftime("%d/%m/%Y"),
         "amount": str(int(balance) + 1), "reason": "Ốm đau"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "lớn hơn số dư của quỹ" in response.content.decode()
    assert not FundPayout.objects.filter(fund=piggy.fund, beneficiary="Hộ chị Hạnh").exists()


def test_other_units_models_answer_404(seeded):
    women = Initiative.objects.filter(org__code="HLHPN-DT-CH02").first()
    assert women is not None
    assert seeded.client("bithu1").get(f"/initiatives/{women.pk}/").status_code == 404
    assert seeded.client("danguy").get(f"/initiatives/{women.pk}/").status_code == 200
    response = seeded.client("danguy").get(f"/initiatives/{women.pk}/results/new/")
    assert response.status_code == 403


def test_the_committee_sees_totals_and_the_overlaps_the_demo_holds(seeded):
    client = seeded.client("danguy")
    page = client.get("/orgs/HLHPN-DT/initiatives/").content.decode()
    assert "Gạo tiết kiệm" in page and "Kết quả năm" in page
    overlaps = client.get("/initiatives/overlaps/").content.decode()
    assert "Hũ gạo tình thương xóm Đồng Khuôn" in overlaps
    assert "Hũ gạo tiết kiệm giúp đỡ hội viên nghèo xóm Đồng Khuôn" in overlaps
    own = client.get("/orgs/DU-DT/initiatives/overlaps/").content.decode()
    assert "Thắp sáng đường quê xóm Hòa Bình" in own
    assert "Hũ gạo tình thương xóm Đồng Khuôn" not in own


def test_the_unit_page_runs_a_bounded_number_of_queries(seeded, django_assert_max_num_queries):
    client = seeded.client("danguy")
    client.get("/orgs/DU-DT/initiatives/")
    with django_assert_max_num_queries(30) as few:
        client.get("/orgs/DU-DT/initiatives/")
    cell = Initiative.objects.filter(org__code="DU-DT-CB05").first()
    assert cell is not None
    indicator = cell.indicators.first()
    assert indicator is not None
    ResultEntry.objects.bulk_create(
        ResultEntry(indicator=indicator, on=datetime.date(timezone.localdate().year, 1, 2),
                    quantity=Decimal(1), unit=indicator.unit)
        for _ in range(200)
    )  # fmt: skip
    Initiative.objects.bulk_create(
        Initiative(org=cell.org, kind="model", title=f"Mô hình {n}", title_folded=f"mo hinh {n}",
                   tasks="Việc", starts_on=cell.starts_on)
        for n in range(80)
    )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/orgs/DU-DT/initiatives/")


def test_scoring_sheet_on_the_page(seeded):
    from chibo.initiatives.models import Movement

    movement = Movement.objects.get(org__code="DU-DT")
    criteria = list(movement.criteria.all())
    url = f"/emulation/{movement.pk}/units/DU-DT-CB01/"
    client = seeded.client("bithu1")
    points = {f"c{c.pk}": str(c.max_points - 2) for c in criteria}
    response = client.post(url, {**points, "action": "submit"})
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(movement=movement, org__code="DU-DT-CB01")
    assert sheet.status == "submitted"
    assert client.post(url, {**points, "action": "submit"}).status_code == 403
    committee = seeded.client("danguy")
    confirm = {f"k{c.pk}": str(c.max_points - 3) for c in criteria} | {"comment": "Đạt"}
    assert committee.post(url, confirm).status_code == 302
    sheet.refresh_from_db()
    assert sheet.confirmed_total == sum(c.max_points - 3 for c in criteria)


def test_api_totals_match_the_selector(seeded):
    key = api_token_create(user=seeded.user("danguy")).key
    from django.test import Client

    api = Client(headers={"Authorization": f"Bearer {key}"})
    body = api.get("/api/v1/orgs/HLHPN-DT/initiative-totals").json()
    rice = next(k for k in body["kinds"] if k["kind"] == "tiet-kiem-gao")
    assert Decimal(rice["base_total"]) > 0 and rice["text"].endswith(("kg", "tấn"))
    assert {child["code"] for child in body["children"]} >= {"HLHPN-DT-CH02"}
    member = Client(
        headers={"Authorization": f"Bearer {api_token_create(user=seeded.user('dangvien1')).key}"}
    )
    assert member.get("/api/v1/orgs/DU-DT-CB01/initiative-totals").status_code == 403
    assert member.get("/api/v1/orgs/DU-DT/initiative-totals").status_code == 404


def test_demo_is_idempotent_and_its_funds_add_up(seeded):
    assert seed_initiatives_demo() == 0
    for initiative in Initiative.objects.filter(kind="savings").select_related("fund"):
        assert fund_view(fund=initiative.fund).balance >= 0
    year = timezone.localdate().year
    pairs = overlaps_for(user=seeded.user("danguy"), org=None, year=year)
    titles = {frozenset((p.first.org.code, p.second.org.code)) for p in pairs}
    assert frozenset(("DU-DT-CB03", "HLHPN-DT-CH03")) in titles
    assert frozenset(("DU-DT-CB12", "DU-DT-CB14")) in titles
