"""Models and initiatives in a real browser: the head of a women's branch registers a
savings model on a 360 px phone and enters its first results and a contribution; the
commune committee sees the totals of the women's union and the overlap the demo holds on
purpose (the party cell and the women's branch of xóm Đồng Khuôn both keep a rice jar)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from chibo.initiatives.demo import seed_initiatives_demo
from chibo.initiatives.models import FundContribution, Initiative, ResultEntry
from tests.browser.conftest import DESKTOP, log_in, screenshot

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}
TITLE = "Hũ gạo tình thương giúp hội viên nghèo"


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SMALL_PHONE["width"], f"the page is {width}px wide on a 360px phone"


def test_branch_registers_a_savings_model_and_the_committee_sees_totals_and_overlaps(
    new_page, demo_live
):
    seed_initiatives_demo()
    today = timezone.localdate()

    # 1. chihoi1 registers a rice jar for her branch, on a small phone.
    head = new_page(SMALL_PHONE)
    log_in(head, "chihoi1")
    head.get_by_role("link", name="Mô hình, thi đua").click()
    head.wait_for_url("**/initiatives/")
    head.get_by_role("link", name="Chi hội Phụ nữ xóm Đồng Tiến").click()
    head.wait_for_url("**/orgs/HLHPN-DT-CH01/initiatives/")
    head.get_by_role("link", name="Đăng ký mô hình, phần việc").click()
    head.wait_for_url("**/orgs/HLHPN-DT-CH01/initiatives/new/")
    head.locator("#id_kind").select_option("savings")
    head.get_by_label("Tên mô hình, phần việc, sáng kiến").fill(TITLE)
    head.get_by_label("Nội dung công việc (rõ việc)").fill(
        "Mỗi hội viên góp 1 kg gạo mỗi năm\nTặng gạo hội viên nghèo, ốm đau"
    )
    head.get_by_label("Đối tượng, hộ được hưởng lợi").fill("Hội viên nghèo xóm Đồng Tiến")
    head.get_by_label("Chỉ tiêu 1 (rõ kết quả)").select_option("tiet-kiem-gao")
    head.get_by_label("Mức đăng ký của chỉ tiêu 1").fill("1,2")
    head.get_by_label("Đơn vị của chỉ tiêu 1").select_option("tan")
    head.get_by_label("Chỉ tiêu 2 (rõ kết quả)").select_option("ho-duoc-ho-tro")
    head.get_by_label("Mức đăng ký của chỉ tiêu 2").fill("5")
    head.get_by_label("Đơn vị của chỉ tiêu 2").select_option("ho")
    head.get_by_label("Nhận đóng góp bằng hiện vật").select_option("kg")
    head.get_by_label("Giá quy đổi một đơn vị hiện vật (đồng)").fill("15.000")
    no_sideways_scroll(head)
    screenshot(head, "initiatives-register-phone")
    head.get_by_role("button", name="Đăng ký").click()
    # Other units of the commune keep rice jars too: they are shown before saving.
    head.wait_for_url("**/orgs/HLHPN-DT-CH01/initiatives/new/")
    assert head.get_by_role("heading", name=re.compile("Mô hình tương tự")).is_visible()
    no_sideways_scroll(head)
    screenshot(head, "initiatives-similar-phone")
    assert not Initiative.objects.filter(title=TITLE).exists()
    head.get_by_label(re.compile("vẫn đăng ký mô hình này")).check()
    head.get_by_role("button", name="Đăng ký").click()
    head.wait_for_url(re.compile(r".*/initiatives/\d+/$"))
    assert "Đã đăng ký" in head.locator(".messages").inner_text()
    initiative = Initiative.objects.get(title=TITLE, org__code="HLHPN-DT-CH01")
    assert initiative.fund.in_kind_rate == 15_000

    # 2. She enters a first result in kg on the indicator kept in tonnes.
    head.get_by_role("link", name="Ghi kết quả").click()
    head.get_by_label("Chỉ tiêu").select_option(label="Gạo tiết kiệm (tấn)")
    head.get_by_label("Ngày ghi nhận").fill(today.strftime("%d/%m/%Y"))
    head.get_by_label("Kết quả đạt được").fill("450")
    head.get_by_label("Đơn vị").select_option("kg")
    no_sideways_scroll(head)
    head.get_by_role("button", name="Lưu kết quả").click()
    head.wait_for_url(f"**/initiatives/{initiative.pk}/")
    assert "Đã ghi kết quả 450 kg" in head.locator(".messages").inner_text()
    # 450 kg of 1,2 tấn: 0,45 / 1,2 tấn (37%).
    assert "0,45 tấn / 1,2 tấn (37%)" in head.locator("main").inner_text()
    assert ResultEntry.objects.filter(indicator__initiative=initiative).count() == 1

    # 3. And the whole branch's kilogram of rice, converted into money.
    head.get_by_role("link", name="Ghi đóng góp").click()
    head.get_by_label("Ghi cùng một mức cho tất cả thành viên của đơn vị").check()
    head.get_by_label("Ngày đóng góp").fill(today.strftime("%d/%m/%Y"))
    head.get_by_label("Số lượng").fill("1")
    no_sideways_scroll(head)
    head.get_by_role("button", name="Lưu đóng góp").click()
    head.wait_for_url(f"**/initiatives/{initiative.pk}/")
    given = FundContribution.objects.filter(fund=initiative.fund)
    assert given.count() >= 5 and {row.value for row in given} == {15_000}
    assert "quy ra 15.000 đ mỗi khoản" in head.locator(".messages").inner_text()
    no_sideways_scroll(head)
    screenshot(head, "initiatives-detail-phone")

    # 4. The commune committee sees the women's union totals and the overlaps.
    committee = new_page(DESKTOP)
    log_in(committee, "danguy")
    committee.goto("/orgs/HLHPN-DT/initiatives/")
    totals = committee.locator(".init-totals").inner_text()
    assert "Gạo tiết kiệm" in totals and "Hộ được hỗ trợ" in totals
    assert committee.get_by_role("link", name="Chi hội Phụ nữ xóm Đồng Tiến").is_visible()
    screenshot(committee, "initiatives-totals-desktop")
    committee.goto("/")
    committee.get_by_role("link", name="Mô hình, thi đua").click()
    committee.get_by_role("link", name="Mô hình có thể trùng lặp giữa các tổ chức").click()
    committee.wait_for_url("**/initiatives/overlaps/")
    pairs = committee.locator(".init-pairs").inner_text()
    assert "Hũ gạo tình thương xóm Đồng Khuôn" in pairs
    assert "Chi hội Phụ nữ xóm Đồng Khuôn" in pairs and "Chi bộ xóm Đồng Khuôn" in pairs
    screenshot(committee, "initiatives-overlaps-desktop")
    phone = new_page(SMALL_PHONE)
    log_in(phone, "danguy")
    phone.goto("/initiatives/overlaps/")
    no_sideways_scroll(phone)
    screenshot(phone, "initiatives-overlaps-phone")
    phone.goto("/orgs/HLHPN-DT/initiatives/")
    no_sideways_scroll(phone)
    screenshot(phone, "initiatives-totals-phone")


def test_branch_head_voids_a_result_and_the_total_drops(new_page, demo_live):
    from decimal import Decimal

    from chibo.initiatives.selectors import indicator_progress
    from chibo.initiatives.services import (
        FundData,
        IndicatorData,
        InitiativeData,
        catalogue_ensure,
        initiative_register,
        result_record,
    )

    catalogue_ensure()
    today = timezone.localdate()
    jar = initiative_register(
        org=demo_live.org("HLHPN-DT-CH01"),
        data=InitiativeData(
            kind="savings", title="Hũ gạo sửa sai", tasks="Góp gạo",
            starts_on=today.replace(month=1, day=2), ward_code=5830, hamlet="Xóm Sửa Sai",
            indicators=[IndicatorData(kind="tiet-kiem-gao", unit="kg", target=Decimal(1000))],
            fund=FundData(unit="dong", in_kind_unit="kg", in_kind_rate=Decimal(15_000)),
        ),
    )  # fmt: skip
    indicator = jar.indicators.get()
    day = today.replace(month=1, day=5)
    result_record(indicator=indicator, on=day, quantity=Decimal(300), unit="kg")
    wrong = result_record(indicator=indicator, on=day, quantity=Decimal("1.5"), unit="tan")

    head = new_page(SMALL_PHONE)
    log_in(head, "chihoi1")
    head.goto(f"/initiatives/{jar.pk}/")
    progress = head.locator(".init-progress").inner_text()
    assert "1.800 kg" in progress
    head.get_by_role("link", name="Hủy kết quả này").first.click()
    head.wait_for_url(f"**/initiatives/results/{wrong.pk}/void/")
    assert "1,5 tấn" in head.locator("main").inner_text()
    # Without a reason nothing happens, and the field says why.
    head.get_by_role("button", name="Hủy dòng này").click()
    assert "Cần nhập lý do hủy" in head.locator("main").inner_text()
    head.get_by_label("Lý do hủy").fill("Ghi nhầm tấn thay vì kg")
    no_sideways_scroll(head)
    screenshot(head, "initiatives-void-form-phone")
    head.get_by_role("button", name="Hủy dòng này").click()
    head.wait_for_url(f"**/initiatives/{jar.pk}/")
    assert "Đã hủy kết quả" in head.locator(".messages").inner_text()
    assert "300 kg" in head.locator(".init-progress").inner_text()
    voided = head.locator(".init-voided")
    assert "Ghi nhầm tấn thay vì kg" in voided.inner_text()
    assert (
        voided.locator(".init-row").evaluate("e => getComputedStyle(e).textDecorationLine")
        == "line-through"
    )
    no_sideways_scroll(head)
    screenshot(head, "initiatives-voided-phone")
    (row,) = indicator_progress(initiative=jar)
    assert row.done == Decimal(300)
    wrong.refresh_from_db()
    assert wrong.voided_at is not None
