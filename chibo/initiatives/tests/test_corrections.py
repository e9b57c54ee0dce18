"""Corrections: a model's status changed with its reason, a result, a contribution or a
payout entered by mistake voided with its reason — services, pages and their scoping."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from chibo.core.models import AuditEntry
from chibo.initiatives.models import (
    FundContribution,
    FundPayout,
    Initiative,
    InitiativeStatus,
    ResultEntry,
)
from chibo.initiatives.selectors import fund_view, indicator_progress, rollup_totals
from chibo.initiatives.services import (
    FundData,
    IndicatorData,
    InitiativeData,
    catalogue_ensure,
    contribution_void,
    fund_contribute,
    fund_payout,
    initiative_register,
    initiative_status_change,
    payout_void,
    result_entry_void,
    result_record,
)
from chibo.people.models import Membership

TODAY = timezone.localdate()
START = datetime.date(TODAY.year, 1, 5)


@pytest.fixture
def jar(demo: Any) -> Initiative:
    catalogue_ensure()
    return initiative_register(
        org=demo.org("HLHPN-DT-CH01"),
        data=InitiativeData(
            kind="savings",
            title="Hũ gạo sửa sai",
            tasks="Mỗi hội viên góp 1 kg gạo",
            starts_on=START,
            ward_code=5830,
            hamlet="Xóm Sửa Sai",
            indicators=[IndicatorData(kind="tiet-kiem-gao", unit="kg", target=Decimal(100))],
            fund=FundData(unit="dong", in_kind_unit="kg", in_kind_rate=Decimal(15_000)),
        ),
    )


@pytest.fixture
def members(jar: Initiative) -> list[int]:
    return list(
        Membership.objects.current().filter(org=jar.org).values_list("person_id", flat=True)[:3]
    )


def _rice(org: Any) -> Decimal:
    totals = {t.kind.code: t.base_total for t in rollup_totals(org=org, year=TODAY.year)}
    return Decimal(totals.get("tiet-kiem-gao", 0))


def _entries(jar: Initiative) -> tuple[ResultEntry, ResultEntry]:
    indicator = jar.indicators.get()
    one = result_record(indicator=indicator, on=START, quantity=Decimal("1.5"), unit="tan")
    two = result_record(indicator=indicator, on=START, quantity=Decimal(300), unit="kg")
    return one, two


# --- services --------------------------------------------------------------------------


def test_status_change_needs_a_reason_and_a_new_status(jar: Initiative) -> None:
    with pytest.raises(ValidationError) as caught:
        initiative_status_change(initiative=jar, status="stopped", reason="  ")
    assert "Cần ghi lý do đổi tình trạng" in caught.value.message_dict["reason"][0]
    with pytest.raises(ValidationError) as caught:
        initiative_status_change(initiative=jar, status="running", reason="Vẫn chạy")
    assert "đã ở tình trạng" in caught.value.message_dict["status"][0]
    with pytest.raises(ValidationError) as caught:
        initiative_status_change(initiative=jar, status="paused", reason="x")
    assert "status" in caught.value.message_dict
    jar.refresh_from_db()
    assert jar.status == "running" and jar.status_reason == ""
    changed = initiative_status_change(initiative=jar, status="stopped", reason="Thiếu kinh phí")
    assert changed.status == InitiativeStatus.STOPPED and changed.status_reason == "Thiếu kinh phí"
    entry = AuditEntry.objects.filter(subject_type="initiatives.initiative").latest("pk")
    assert entry.before["status"] == "running" and entry.after["status_reason"] == "Thiếu kinh phí"


def test_a_voided_result_leaves_the_totals_and_stays_visible(demo: Any, jar: Initiative) -> None:
    one, _two = _entries(jar)
    assert _rice(jar.org) == Decimal(1800)
    with pytest.raises(ValidationError) as caught:
        result_entry_void(entry=one, reason="")
    assert "Cần ghi lý do hủy kết quả" in caught.value.message_dict["reason"][0]
    assert ResultEntry.objects.valid().filter(pk=one.pk).exists()
    result_entry_void(entry=one, reason="Ghi nhầm tấn thay vì kg")
    one.refresh_from_db()
    assert one.voided_at is not None and one.void_reason == "Ghi nhầm tấn thay vì kg"
    # The commune, the women's union and the branch all drop the 1,5 tấn.
    assert _rice(jar.org) == Decimal(300)
    assert _rice(demo.org("HLHPN-DT")) >= Decimal(300)
    (progress,) = indicator_progress(initiative=jar)
    assert progress.done == Decimal(300)
    with pytest.raises(ValidationError) as caught:
        result_entry_void(entry=one, reason="Lần nữa")
    assert "đã được hủy" in caught.value.messages[0]
    entry = AuditEntry.objects.filter(subject_type="initiatives.resultentry").latest("pk")
    assert entry.after["void_reason"] == "Ghi nhầm tấn thay vì kg" and "1,5 tấn" in entry.summary


def test_voiding_fund_rows_keeps_the_balance_right(jar: Initiative, members: list[int]) -> None:
    fund = jar.fund
    rows = fund_contribute(
        fund=fund, person_ids=members[:2], on=START, quantity=Decimal(20), unit="kg"
    )
    payout = fund_payout(
        fund=fund, beneficiary="Hộ bà Lụa", on=TODAY, amount=Decimal(450_000), reason="Ốm đau"
    )
    assert fund_view(fund=fund).balance == 150_000
    # Taking back a 300.000 đ gift would leave less than was paid out: refused, unchanged.
    with pytest.raises(ValidationError) as caught:
        contribution_void(contribution=rows[0], reason="Ghi trùng")
    assert "Không hủy được" in caught.value.messages[0]
    assert FundContribution.objects.valid().filter(fund=fund).count() == 2
    with pytest.raises(ValidationError) as caught:
        payout_void(payout=payout, reason="")
    assert "Cần ghi lý do hủy khoản hỗ trợ" in caught.value.message_dict["reason"][0]
    payout_void(payout=payout, reason="Hộ đã nhận từ quỹ khác")
    assert fund_view(fund=fund).balance == 600_000
    contribution_void(contribution=rows[0], reason="Ghi trùng")
    view = fund_view(fund=fund)
    assert [view.contributed, view.paid, view.balance] == [300_000, 0, 300_000]
    payout.refresh_from_db()
    assert payout.void_reason == "Hộ đã nhận từ quỹ khác"
    with pytest.raises(ValidationError):
        payout_void(payout=payout, reason="Lần nữa")
    with pytest.raises(ValidationError):
        contribution_void(contribution=rows[0], reason="Lần nữa")
    assert AuditEntry.objects.filter(subject_type="initiatives.fundpayout", action="end").count()


# --- pages ------------------------------------------------------------------------------


def test_branch_officer_voids_a_result_on_the_page(demo: Any, jar: Initiative) -> None:
    one, _two = _entries(jar)
    client = demo.client("chihoi1")
    detail = client.get(f"/initiatives/{jar.pk}/").content.decode()
    assert f"/initiatives/results/{one.pk}/void/" in detail
    url = f"/initiatives/results/{one.pk}/void/"
    page = client.get(url)
    assert page.status_code == 200 and "1,5 tấn" in page.content.decode()
    bad = client.post(url, {"reason": ""})
    assert bad.status_code == 200 and "Cần nhập lý do hủy" in bad.content.decode()
    assert ResultEntry.objects.valid().filter(pk=one.pk).exists()
    done = client.post(url, {"reason": "Ghi nhầm đơn vị"})
    assert done.status_code == 302 and done["Location"] == f"/initiatives/{jar.pk}/"
    text = client.get(f"/initiatives/{jar.pk}/").content.decode()
    assert "init-voided" in text and "Ghi nhầm đơn vị" in text
    assert _rice(jar.org) == Decimal(300)
    # Voided once: the page says so and a second post changes nothing.
    again = client.post(url, {"reason": "Lần nữa"})
    assert again.status_code == 200 and "đã được hủy" in again.content.decode()


def test_status_and_fund_pages(demo: Any, jar: Initiative, members: list[int]) -> None:
    client = demo.client("chihoi1")
    status_url = f"/initiatives/{jar.pk}/status/"
    assert client.get(status_url).status_code == 200
    missing = client.post(status_url, {"status": "done", "reason": ""})
    assert "Cần nhập lý do" in missing.content.decode()
    done = client.post(status_url, {"status": "done", "reason": "Đã đạt mục tiêu năm"})
    assert done.status_code == 302
    jar.refresh_from_db()
    assert (
        jar.status == "done"
        and "Đã đạt mục tiêu năm" in client.get(f"/initiatives/{jar.pk}/").content.decode()
    )
    (row,) = fund_contribute(
        fund=jar.fund, person_ids=members[:1], on=START, quantity=Decimal(10), unit="kg"
    )
    payout = fund_payout(
        fund=jar.fund, beneficiary="Hộ ông Sinh", on=TODAY, amount=Decimal(100_000), reason="Ốm"
    )
    response = client.post(f"/initiatives/payouts/{payout.pk}/void/", {"reason": "Ghi nhầm"})
    assert response.status_code == 302
    response = client.post(f"/initiatives/contributions/{row.pk}/void/", {"reason": "Ghi trùng"})
    assert response.status_code == 302
    assert fund_view(fund=jar.fund).balance == 0
    assert FundPayout.objects.get(pk=payout.pk).voided_at is not None


def test_who_may_correct(demo: Any, jar: Initiative, members: list[int]) -> None:
    one, _two = _entries(jar)
    (row,) = fund_contribute(
        fund=jar.fund, person_ids=members[:1], on=START, quantity=Decimal(10), unit="kg"
    )
    payout = fund_payout(
        fund=jar.fund, beneficiary="Hộ ông Sinh", on=TODAY, amount=Decimal(1000), reason="Ốm"
    )
    urls = [
        f"/initiatives/{jar.pk}/status/",
        f"/initiatives/results/{one.pk}/void/",
        f"/initiatives/contributions/{row.pk}/void/",
        f"/initiatives/payouts/{payout.pk}/void/",
    ]
    for url in urls:
        # Outside the scope: 404, whether party committee or a cell secretary.
        assert demo.client("bithu1").get(url).status_code == 404, url
        assert demo.client("bithu1").post(url, {"reason": "x", "status": "done"}).status_code == 404
        # tinhuy reads the women's union (a viewer): inside, but may not correct.
        assert demo.client("tinhuy").get(url).status_code == 403, url
        assert demo.client("tinhuy").post(url, {"reason": "x", "status": "done"}).status_code == 403
    assert ResultEntry.objects.valid().filter(pk=one.pk).exists()
    assert FundContribution.objects.valid().filter(pk=row.pk).exists()
    assert FundPayout.objects.valid().filter(pk=payout.pk).exists()
    jar.refresh_from_db()
    assert jar.status == "running"
    # danguy reads HLHPN-DT through a VIEWER grant only: 403, never a write.
    assert demo.client("danguy").get(urls[1]).status_code == 403
    # A plain member of the branch sees the model but no correction link.
    member = (
        Membership.objects.current()
        .filter(org=jar.org)
        .exclude(person__user__username="chihoi1")
        .exclude(person__user__isnull=True)
        .first()
    )
    if member is not None and member.person.user is not None:
        client = demo.client(member.person.user.username)
        assert "/void/" not in client.get(f"/initiatives/{jar.pk}/").content.decode()
