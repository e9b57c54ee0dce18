"""Year-end evaluation in a real browser: the commune committee opens the 2025 round
(Quy định 366-QĐ/TW), a member assesses themself on a 360 px phone with the score sheet's
live total, the cell secretary proposes, the committee decides, sees the excellent
quota's headroom, is refused when finalising over it, fixes it and finalises, downloads
the two exports; the province's viewer sees the figures."""

from __future__ import annotations

import io
import re
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import pytest
from django.utils import timezone

from chibo.evaluation.models import (
    Grade,
    MemberEvaluation,
    Round,
    RoundStatus,
    Step,
    UnitEvaluation,
)
from tests.browser.conftest import DESKTOP, log_in, screenshot

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}
YEAR = 2025
# Points per criterion of the 366 sheet (10, 10, 10, 50, 20): 91.50 in all, excellent.
POINTS = ["9", "9", "9,5", "46", "18"]


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SMALL_PHONE["width"], f"the page is {width}px wide on a 360px phone"


def allowed(base: int) -> int:
    return int((Decimal(base) * Decimal("0.20")).to_integral_value(rounding=ROUND_FLOOR))


def decide_the_rest(round_: Round) -> int:
    """The other cells' members and every unit decided already (as the committee would
    have done over the weeks), with as many excellent as leave no headroom for one more:
    returns how many excellent were set."""
    now = timezone.now()
    gradable = MemberEvaluation.objects.filter(round=round_, excluded_rule="")
    others = gradable.exclude(org__code="DU-DT-CB01").order_by("pk")
    cell = gradable.filter(org__code="DU-DT-CB01").exclude(person__user__username="dangvien1")
    others.update(decided_grade=Grade.GOOD, step=Step.DECIDED, locked_at=now, decided_at=now)
    cell.update(proposed_grade=Grade.GOOD, step=Step.PROPOSED)
    total = gradable.count()
    # k excellent elsewhere, and dangvien1 excellent too, must break the quota; with
    # dangvien1 good instead it must hold.
    k = next(k for k in range(total) if k + 1 > allowed(total - 1 - k) and k <= allowed(total - k))
    chosen = list(others.values_list("pk", flat=True)[:k])
    MemberEvaluation.objects.filter(pk__in=chosen).update(decided_grade=Grade.EXCELLENT)
    # Each cell assessed itself before its members were decided.
    UnitEvaluation.objects.filter(round=round_).exclude(org=round_.org).update(
        self_grade=Grade.GOOD,
        self_submitted_at=now,
        decided_grade=Grade.GOOD,
        step=Step.DECIDED,
        locked_at=now,
    )
    return k


def test_self_assessment_to_finalised_round(new_page: Any, demo_live: Any) -> None:
    # 1. The commune committee opens the 2025 round.
    committee = new_page(DESKTOP)
    log_in(committee, "danguy")
    committee.get_by_role("link", name="Đánh giá, xếp loại").first.click()
    committee.wait_for_url("**/evaluation/")
    committee.get_by_role("link", name="Đảng bộ xã Đại Từ").click()
    committee.wait_for_url("**/orgs/DU-DT/evaluation/")
    committee.get_by_label("Năm đánh giá").fill(str(YEAR))
    committee.get_by_label("Ngày tính").fill(f"01/12/{YEAR}")
    committee.get_by_label("Hạn đảng viên tự đánh giá").fill(f"10/12/{YEAR}")
    screenshot(committee, "evaluation-open-desktop")
    committee.get_by_role("button", name="Mở đợt đánh giá").click()
    committee.wait_for_url(re.compile(r".*/evaluation/rounds/\d+/$"))
    assert "Đã mở đợt đánh giá" in committee.locator(".messages").inner_text()
    round_ = Round.objects.get(org__code="DU-DT", year=YEAR)
    assert round_.rule_set == "qd366_2025"
    screenshot(committee, "evaluation-round-desktop")
    excellent_elsewhere = decide_the_rest(round_)

    # 2. A member assesses themself on a 360 px phone; the total adds up as they type.
    member = new_page(SMALL_PHONE)
    log_in(member, "dangvien1")
    member.goto("/evaluation/")
    member.get_by_role("link", name=f"Tự đánh giá, xếp loại năm {YEAR}").click()
    member.wait_for_url(f"**/evaluation/rounds/{round_.pk}/self/")
    member.get_by_label("Kết quả thực hiện nhiệm vụ được giao").fill(
        "Hoàn thành các việc chi bộ giao; vận động 12 hộ làm đường bê tông"
    )
    scores = member.locator("input.ev-score")
    assert scores.count() == len(POINTS)
    for index, points in enumerate(POINTS):
        scores.nth(index).fill(points)
    assert member.locator("[data-ev-total]").inner_text() == "91,50"
    member.get_by_label("Ưu điểm").fill("Gương mẫu, nhiệt tình")
    member.get_by_label("Hạn chế, khuyết điểm và nguyên nhân").fill("Còn ngại phát biểu")
    no_sideways_scroll(member)
    screenshot(member, "evaluation-self-phone")
    with member.expect_navigation():
        member.get_by_role("button", name="Gửi bản tự đánh giá").click()
    assert "Đã gửi bản tự đánh giá" in member.locator(".messages").inner_text()
    own = MemberEvaluation.objects.get(round=round_, person__user__username="dangvien1")
    assert own.self_grade == Grade.EXCELLENT and str(own.self_score) == "91.50"

    # 3. The cell secretary proposes the member's grade, on a phone.
    secretary = new_page(SMALL_PHONE)
    log_in(secretary, "bithu1")
    secretary.goto("/evaluation/")
    secretary.get_by_role("link", name=re.compile("Chi bộ xóm Đồng Tiến")).first.click()
    secretary.wait_for_url(f"**/evaluation/rounds/{round_.pk}/units/DU-DT-CB01/")
    card = secretary.locator(f"#m{own.pk}")
    assert "Vắng họp không lý do" in card.inner_text()
    card.get_by_text("Nhận xét, đề xuất").click()
    card.get_by_label("Nhận xét của chi bộ").fill("Gương mẫu, hoàn thành xuất sắc việc được giao")
    card.get_by_label("Chi bộ đề xuất xếp loại").select_option(Grade.EXCELLENT)
    no_sideways_scroll(secretary)
    screenshot(secretary, "evaluation-cell-phone")
    card.get_by_role("button", name="Lưu đề xuất").click()
    secretary.wait_for_url(re.compile(r".*/units/DU-DT-CB01/(#m\d+)?$"))
    assert "Đã lưu nhận xét, đề xuất" in secretary.locator(".messages").inner_text()
    own.refresh_from_db()
    assert own.proposed_grade == Grade.EXCELLENT

    # 4. The committee decides the cell as proposed, sees no headroom left, is refused
    # at finalising, decides the member good instead and finalises.
    committee.goto(f"/evaluation/rounds/{round_.pk}/decide/DU-DT-CB01/")
    assert committee.locator("[data-ev-headroom]").inner_text() == "-1"
    with committee.expect_navigation():
        committee.get_by_role("button", name="Quyết định tất cả theo đề xuất").click()
    assert "theo đề xuất của chi bộ" in committee.locator(".messages").inner_text()
    with committee.expect_navigation():
        committee.get_by_role("button", name="Hoàn thành đợt đánh giá").click()
    refusal = committee.locator(".ev-refusal")
    total = MemberEvaluation.objects.filter(round=round_, excluded_rule="").count()
    good = total - excellent_elsewhere - 1
    assert "Đảng bộ xã Đại Từ" in refusal.inner_text()
    assert f"{excellent_elsewhere + 1} đảng viên xếp loại Hoàn thành xuất sắc nhiệm vụ" in (
        refusal.inner_text()
    )
    assert f"tối đa {allowed(good)} (20% của {good} đảng viên" in refusal.inner_text()
    screenshot(committee, "evaluation-decide-refused-desktop")
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.OPEN

    committee.goto(f"/evaluation/members/{own.pk}/")
    committee.get_by_label("Lý do mở lại").fill("Vượt tỷ lệ 20% của đảng bộ, xét lại")
    with committee.expect_navigation():
        committee.get_by_role("button", name="Mở lại").click()
    assert "Đã mở lại quyết định" in committee.locator(".messages").inner_text()
    assert "Vượt tỷ lệ 20% của đảng bộ, xét lại" in committee.locator(".history").inner_text()
    committee.goto(f"/evaluation/rounds/{round_.pk}/decide/DU-DT-CB01/")
    row = committee.locator(f"#d{own.pk}")
    row.locator("select").select_option(Grade.GOOD)
    # The headroom follows the choice before it is saved.
    assert committee.locator("[data-ev-headroom]").inner_text() != "-1"
    with committee.expect_navigation():
        row.get_by_role("button", name="Quyết định").click()
    assert "Đã quyết định xếp loại" in committee.locator(".messages").inner_text()
    assert int(committee.locator("[data-ev-headroom]").inner_text()) >= 0
    screenshot(committee, "evaluation-decide-desktop")
    with committee.expect_navigation():
        committee.get_by_role("button", name="Hoàn thành đợt đánh giá").click()
    refused = committee.locator(".ev-refusal")
    assert not refused.count(), refused.inner_text()
    assert f"/evaluation/rounds/{round_.pk}/" in committee.url
    assert "Đã hoàn thành đợt đánh giá" in committee.locator(".messages").inner_text()
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.FINALISED

    # 5. The two exports download and open.
    import docx
    import openpyxl

    with committee.expect_download() as xlsx_download:
        committee.evaluate(
            f"window.location.href = '/evaluation/rounds/{round_.pk}/summary.xlsx?org=DU-DT'"
        )
    xlsx_path = xlsx_download.value.path()
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_path.read_bytes()), read_only=True)
    cells = " ".join(
        str(value)
        for sheet in workbook.worksheets
        for row_values in sheet.iter_rows(values_only=True)
        for value in row_values
        if value is not None
    )
    workbook.close()
    assert "Đại Từ" in cells
    with committee.expect_download() as docx_download:
        committee.evaluate(
            f"window.location.href = '/evaluation/rounds/{round_.pk}/decision.docx?org=DU-DT'"
        )
    document = docx.Document(io.BytesIO(docx_download.value.path().read_bytes()))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    tables = "\n".join(
        cell.text for table in document.tables for r in table.rows for cell in r.cells
    )
    assert "Đại Từ" in text + tables

    # 6. The province's viewer sees the figures.
    viewer = new_page(DESKTOP)
    log_in(viewer, "tinhuy")
    viewer.goto(f"/orgs/TU-TN/evaluation/stats/?year={YEAR}")
    body = viewer.locator("main").inner_text()
    assert "Hoàn thành tốt nhiệm vụ" in body
    assert str(total) in body.replace(".", "")
    screenshot(viewer, "evaluation-stats-desktop")
    phone = new_page(SMALL_PHONE)
    log_in(phone, "tinhuy")
    phone.goto(f"/orgs/TU-TN/evaluation/stats/?year={YEAR}")
    no_sideways_scroll(phone)
    screenshot(phone, "evaluation-stats-phone")
