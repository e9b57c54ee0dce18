"""A member's party life in a real browser: a secretary puts a candidate on the list and
takes her through the course, the dossier and the cell's vote; the commune committee
admits her; the secretary records the ceremony; a transfer in progress is received; a
member is exempted and the member page shows the whole story. Phone and desktop
screenshots of every page of it, and no sideways scrolling on a 360px phone."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from chibo.people.models import Admission, Membership, Transfer
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.browser.test_pages import INLINE_TEXT

pytestmark = pytest.mark.browser

TODAY = datetime.date.today()


def day(days_ago: int) -> str:
    return (TODAY - datetime.timedelta(days=days_ago)).strftime("%d/%m/%Y")


def save(page: Any) -> None:
    page.get_by_role("button", name="Lưu", exact=True).click()


def test_a_candidate_is_admitted_step_by_step(new_page):
    page = new_page(PHONE)
    log_in(page, "bithu1")
    page.goto("/orgs/DU-DT-CB01/")
    # The cell is reminded of the probationary member whose twelve months end this month.
    block = page.locator(".party-block")
    assert "Sắp đến hạn chuyển chính thức" in block.inner_text()
    assert "Sắp đến hạn: còn" in block.inner_text()
    screenshot(page, "party-unit-reminder-phone")
    block.get_by_role("link", name="Xem công tác đảng viên").click()
    page.wait_for_url("**/orgs/DU-DT-CB01/party-life/")
    page.get_by_role("link", name="Thêm quần chúng ưu tú").click()

    # A first try without the birth date: the page names the field, nothing is saved.
    page.get_by_label("Họ và tên").fill("hà  thị  ngọc")
    page.get_by_label("Giới tính").select_option("female")
    page.get_by_label("Ngày chi bộ đưa vào danh sách quần chúng ưu tú").fill(day(200))
    page.get_by_role("button", name="Lưu quần chúng").click()
    summary = page.locator(".error-summary")
    assert "Cần nhập ngày sinh của quần chúng để xét tuổi vào Đảng." in summary.inner_text()
    assert not Admission.objects.filter(person__full_name="Hà Thị Ngọc").exists()
    screenshot(page, "party-candidate-error-phone")
    page.get_by_label("Ngày sinh").fill("14/08/1997")
    page.get_by_role("button", name="Lưu quần chúng").click()
    page.wait_for_url(re.compile(r".*/admissions/\d+/$"))
    admission = Admission.objects.get(person__full_name="Hà Thị Ngọc")
    assert page.get_by_role("heading", level=1).inner_text() == "Hồ sơ kết nạp — Hà Thị Ngọc"

    page.get_by_role("link", name="Ghi nhận lớp bồi dưỡng").click()
    page.get_by_label("Ngày học xong lớp bồi dưỡng nhận thức về Đảng").fill(day(150))
    page.get_by_label("Số giấy chứng nhận").fill("318/GCN-TTCT")
    save(page)
    page.wait_for_url(f"**/admissions/{admission.pk}/")

    page.get_by_role("link", name="Cập nhật hồ sơ").click()
    for form in ("1-KNĐ", "2-KNĐ", "3-KNĐ"):
        page.get_by_label(re.compile(f"^{form}")).fill(day(90))
    screenshot(page, "party-papers-phone")
    save(page)
    page.wait_for_url(f"**/admissions/{admission.pk}/")

    # The cell cannot vote while 5-KNĐ is missing: the page says which paper.
    page.get_by_role("link", name="Nghị quyết của chi bộ").click()
    page.get_by_label("Ngày nghị quyết").fill(day(30))
    page.get_by_label("Số nghị quyết").fill("21-NQ/CB")
    save(page)
    assert "Hồ sơ còn thiếu: 5-KNĐ" in page.locator(".error-summary").inner_text()
    page.goto(f"/admissions/{admission.pk}/papers/")
    page.get_by_label(re.compile("^5-KNĐ")).fill(day(60))
    save(page)
    page.goto(f"/admissions/{admission.pk}/resolution/")
    page.get_by_label("Ngày nghị quyết").fill(day(30))
    page.get_by_label("Số nghị quyết").fill("21-NQ/CB")
    save(page)
    page.wait_for_url(f"**/admissions/{admission.pk}/")
    assert "Chi bộ đề nghị kết nạp" in page.locator(".lead").inner_text()
    # The decision is not the cell's.
    assert page.get_by_role("link", name="Quyết định kết nạp").count() == 0
    assert page.goto(f"/admissions/{admission.pk}/decision/").status == 403

    committee = new_page(DESKTOP)
    log_in(committee, "danguy")
    committee.goto("/orgs/DU-DT/party-life/")
    committee.get_by_role("link", name="Hà Thị Ngọc").click()
    committee.get_by_role("link", name="Quyết định kết nạp").click()
    committee.get_by_label("Ngày quyết định kết nạp").fill(day(10))
    committee.get_by_label("Số quyết định").fill("131-QĐ/ĐU")
    screenshot(committee, "party-decision-desktop")
    save(committee)
    committee.wait_for_url(f"**/admissions/{admission.pk}/")
    assert "đảng viên dự bị của Chi bộ xóm Đồng Tiến" in committee.locator(".messages").inner_text()
    membership = Membership.objects.get(person=admission.person, ended_on=None, family="party")
    assert (membership.status, membership.joined_on.strftime("%d/%m/%Y")) == (
        "probationary",
        day(10),
    )
    screenshot(committee, "party-admission-desktop")

    page.goto(f"/admissions/{admission.pk}/")
    page.get_by_role("link", name="Lễ kết nạp").click()
    page.get_by_label("Ngày tổ chức lễ kết nạp").fill(day(3))
    save(page)
    page.wait_for_url(f"**/admissions/{admission.pk}/")
    screenshot(page, "party-admission-phone")
    page.goto(f"/people/{admission.person_id}/")
    panel = page.locator(".party-life")
    text = panel.inner_text()
    assert "Đảng viên dự bị:" in text
    order = ["Vào danh sách quần chúng ưu tú", "Học xong lớp bồi dưỡng", "Chi bộ đề nghị kết nạp",
             "Được kết nạp vào Đảng", "Lễ kết nạp"]  # fmt: skip
    positions = [text.index(step) for step in order]
    assert positions == sorted(positions)
    screenshot(page, "party-candidate-person-phone")


def test_a_transfer_is_received_and_a_member_exempted(new_page):
    transfer = Transfer.objects.get(status="introduced")
    teacher = transfer.person
    page = new_page(DESKTOP)
    log_in(page, "danguy")
    page.goto("/orgs/DU-DT/party-life/")
    screenshot(page, "party-commune-desktop")
    page.get_by_role("link", name=teacher.full_name).click()
    page.wait_for_url(f"**/transfers/{transfer.pk}/")
    assert "Hạn đảng viên xuất trình giấy giới thiệu" in page.locator(".notice").inner_text()
    screenshot(page, "party-transfer-desktop")
    page.get_by_role("link", name="Tiếp nhận").click()
    page.get_by_label("Ngày tiếp nhận").fill(day(1))
    save(page)
    page.wait_for_url(f"**/transfers/{transfer.pk}/")
    assert "Đã tiếp nhận" in page.locator(".lead").inner_text()
    page.goto("/orgs/DU-DT-CB17/members/")
    assert teacher.full_name in page.locator("a.member-name").all_inner_texts()
    page.goto("/orgs/DU-DT-CB16/members/")
    assert teacher.full_name not in page.locator("a.member-name").all_inner_texts()

    # An elderly member of a hamlet cell is exempted at his request.
    elder = (
        Membership.objects.filter(org__code="DU-DT-CB05", ended_on=None, status="official")
        .order_by("person__birth_date")
        .first()
    )
    assert elder is not None
    page.goto(f"/people/{elder.person_id}/")
    page.get_by_role("link", name="Thay đổi tư cách").click()
    page.get_by_label("Miễn công tác và sinh hoạt đảng").check()
    page.locator("#id_on").fill(day(2))
    page.get_by_label("Lý do").fill("Tuổi cao, sức khỏe yếu, có đơn xin miễn sinh hoạt")
    screenshot(page, "party-standing-desktop")
    save(page)
    page.wait_for_url(f"**/people/{elder.person_id}/")
    panel = page.locator(".party-life").inner_text()
    assert "Miễn sinh hoạt" in panel and "Tuổi cao, sức khỏe yếu" in panel
    assert "Tuổi Đảng:" in panel
    screenshot(page, "party-person-desktop")


def test_party_life_pages_fit_a_360px_phone(new_page, demo_live):
    page = new_page({"width": 360, "height": 740})
    log_in(page, "danguy")
    admission = Admission.objects.filter(stage="proposed").first()
    transfer = Transfer.objects.filter(status="introduced").first()
    away = Transfer.objects.filter(status="received").first()
    assert admission is not None and transfer is not None and away is not None
    urls = [
        "/orgs/DU-DT/party-life/",
        "/orgs/DU-DT/",
        "/orgs/DU-DT-CB03/admissions/new/",
        f"/admissions/{admission.pk}/",
        f"/admissions/{admission.pk}/papers/",
        f"/admissions/{admission.pk}/decision/",
        f"/transfers/{transfer.pk}/",
        f"/transfers/{transfer.pk}/receive/",
        f"/people/{away.person_id}/",
        f"/people/{away.person_id}/standing/",
        f"/people/{away.person_id}/transfer/",
    ]
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (url, width)
        small = page.evaluate(
            """(inline) => [...document.querySelectorAll('main :is(a, button, input, select)')]
                .filter(el => el.offsetParent !== null)
                .filter(el => !el.closest(inline))
                .filter(el => el.type !== 'hidden')
                .filter(el => (el.closest('label') || el).getBoundingClientRect().height < 44)
                .map(el => el.outerHTML.slice(0, 80))""",
            INLINE_TEXT,
        )
        assert small == [], (url, small)
    screenshot(page, "party-person-away-phone")
    for url, name in ((urls[0], "party-commune"), (urls[3], "party-proposed")):
        page.goto(url)
        screenshot(page, f"{name}-phone")
