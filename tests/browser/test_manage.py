"""Managing the tree in a real browser: a commune committee adds a cell with its place and
splits another; a secretary gives and ends an office; an administrator creates a login."""

from __future__ import annotations

import re
from typing import Any

import pytest

from chibo.core.models import User
from chibo.core.roles import Role
from chibo.orgs.models import Org
from chibo.orgs.services import grant_create
from chibo.people.models import Membership, Position
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot

pytestmark = pytest.mark.browser

DAI_TU = 5830
THAI_NGUYEN = 19


def province_select(page: Any) -> Any:
    return page.get_by_label("Tỉnh, thành phố", exact=True)


def commune_select(page: Any) -> Any:
    return page.get_by_label("Xã, phường, đặc khu")


def commune_labels(page: Any) -> list[str]:
    return list(commune_select(page).locator("option").all_inner_texts())


def test_committee_adds_a_cell_in_dai_tu_and_splits_another(new_page):
    page = new_page(PHONE)
    log_in(page, "danguy")
    page.goto("/orgs/DU-DT/")
    page.get_by_role("link", name="Thêm đơn vị trực thuộc").click()
    page.wait_for_url("**/orgs/DU-DT/new/")
    # With scripts, the reload button gives way to a list that follows the province.
    assert not page.get_by_role("button", name="Chọn tỉnh, thành phố này").is_visible()
    page.locator("#id_code").fill("DU-DT-CB19")
    page.get_by_label("Tên tổ chức").fill("Chi bộ xóm Khuôn Ngàn")
    province_select(page).select_option(label="An Giang")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#id_ward_code option')].length > 50"
    )
    assert "Xã Đại Từ" not in commune_labels(page)
    province_select(page).select_option(label="Thái Nguyên")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#id_ward_code option')]"
        ".some(o => o.textContent === 'Xã Đại Từ')"
    )
    assert len(commune_labels(page)) == 93
    commune_select(page).select_option(label="Xã Đại Từ")
    page.get_by_label("Thôn, xóm, tổ dân phố").fill("Xóm Khuôn Ngàn")
    screenshot(page, "org-new-filled-phone")
    page.get_by_role("button", name="Thêm tổ chức").last.click()
    page.wait_for_url("**/orgs/DU-DT-CB19/")
    assert "Đã thêm Chi bộ xóm Khuôn Ngàn trực thuộc" in page.locator(".messages").inner_text()
    assert "Xã Đại Từ" in page.locator("dl.kv").inner_text()
    created = Org.objects.get(code="DU-DT-CB19")
    assert (created.province_code, created.ward_code) == (THAI_NGUYEN, DAI_TU)
    assert created.hamlet == "Xóm Khuôn Ngàn"
    assert created.parent_path == Org.objects.get(code="DU-DT").path

    members = list(
        Membership.objects.current().filter(org__code="DU-DT-CB03").order_by("person__sort_key")
    )
    assert len(members) >= 4
    page.goto("/orgs/DU-DT-CB03/")
    page.get_by_role("link", name="Chia tách").click()
    page.wait_for_url("**/orgs/DU-DT-CB03/split/")
    page.get_by_label("Mã (dòng 1)").fill("DU-DT-CB03A")
    page.get_by_label("Tên (dòng 1)").fill("Chi bộ xóm Tân Thái Một")
    page.get_by_label("Mã (dòng 2)").fill("DU-DT-CB03B")
    page.get_by_label("Tên (dòng 2)").fill("Chi bộ xóm Tân Thái Hai")
    page.get_by_role("button", name="Thêm một dòng").click()
    page.wait_for_load_state()
    # The extra row came without losing what was typed, and now names the rows.
    assert page.get_by_label("Mã (dòng 3)").is_visible()
    assert page.get_by_label("Tên (dòng 1)").input_value() == "Chi bộ xóm Tân Thái Một"
    assert page.locator(".error-summary").count() == 0
    for index, membership in enumerate(members):
        page.get_by_label(membership.person.full_name, exact=True).select_option(
            label="Sang dòng 1: Chi bộ xóm Tân Thái Một"
            if index % 2 == 0
            else "Sang dòng 2: Chi bộ xóm Tân Thái Hai"
        )
    page.get_by_label(re.compile("Giải thể")).check()
    page.get_by_label(re.compile("Tôi xác nhận chia tách")).check()
    screenshot(page, "org-split-filled-phone")
    page.get_by_role("button", name="Chia tách").last.click()
    page.wait_for_url("**/orgs/DU-DT-CB03A/")
    assert "Đã chia tách" in page.locator(".messages").inner_text()
    source = Org.objects.get(code="DU-DT-CB03")
    assert source.status == "dissolved"
    first = {m.person_id for m in Membership.objects.current().filter(org__code="DU-DT-CB03A")}
    second = {m.person_id for m in Membership.objects.current().filter(org__code="DU-DT-CB03B")}
    assert first == {m.person_id for m in members[0::2]}
    assert second == {m.person_id for m in members[1::2]}
    assert not Membership.objects.current().filter(org=source).exists()


def test_without_scripts_the_province_button_reloads_the_communes(browser, live_server, demo_live):
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="vi-VN", java_script_enabled=False
    )
    try:
        page = context.new_page()
        log_in(page, "danguy")
        page.goto("/orgs/DU-DT-CB05/edit/")
        pick = page.get_by_role("button", name="Chọn tỉnh, thành phố này")
        assert pick.is_visible()
        province_select(page).select_option(label="Thành phố Hà Nội")
        pick.click()
        page.wait_for_load_state()
        assert "Phường Hoàn Kiếm" in commune_labels(page)
        assert "Xã Đại Từ" not in commune_labels(page)
        assert page.locator(".error-summary").count() == 0
        province_select(page).select_option(label="Thái Nguyên")
        page.get_by_role("button", name="Chọn tỉnh, thành phố này").click()
        page.wait_for_load_state()
        commune_select(page).select_option(label="Xã Đại Từ")
        screenshot(page, "org-edit-no-script-desktop")
        # Enter in a text box saves the form; it does not press the reload button.
        page.get_by_label("Thôn, xóm, tổ dân phố").fill("Xóm Đồng Mới")
        page.get_by_label("Thôn, xóm, tổ dân phố").press("Enter")
        page.wait_for_url("**/orgs/DU-DT-CB05/")
        org = Org.objects.get(code="DU-DT-CB05")
        assert (org.province_code, org.ward_code, org.hamlet) == (
            THAI_NGUYEN,
            DAI_TU,
            "Xóm Đồng Mới",
        )
    finally:
        context.close()


def test_secretary_gives_an_office_and_ends_it(new_page):
    page = new_page(PHONE)
    log_in(page, "bithu1")
    page.goto("/orgs/DU-DT-CB01/")
    page.get_by_role("link", name="Giao chức vụ").click()
    page.wait_for_url("**/orgs/DU-DT-CB01/positions/new/")
    officers = set(
        Position.objects.current().filter(org__code="DU-DT-CB01").values_list("person", flat=True)
    )
    target = next(
        m.person
        for m in Membership.objects.current()
        .filter(org__code="DU-DT-CB01")
        .select_related("person")
        .order_by("person__sort_key")
        if m.person_id not in officers and m.person.family_name == "Nguyễn"
    )
    page.get_by_label("Tìm người theo tên").fill("nguyen")
    page.get_by_role("button", name="Tìm").click()
    page.wait_for_load_state()
    options = page.get_by_label("Người giữ chức").locator("option").all_inner_texts()
    assert all(option.startswith("Nguyễn") for option in options[1:])
    page.get_by_label("Người giữ chức").select_option(str(target.pk))
    page.get_by_label("Chức vụ").select_option(label="Cấp ủy viên")
    screenshot(page, "position-new-phone")
    page.get_by_role("button", name="Giao chức vụ").last.click()
    page.wait_for_url("**/orgs/DU-DT-CB01/")
    assert "Đã giao chức Cấp ủy viên của" in page.locator(".messages").inner_text()
    assert target.full_name in page.locator(".officers").inner_text()
    office = Position.objects.get(person=target, org__code="DU-DT-CB01", ended_on__isnull=True)
    assert office.title == "committee_member"
    screenshot(page, "org-officers-phone")

    page.get_by_role("link", name=f"Thôi giữ chức — {target.full_name}").click()
    page.wait_for_url(f"**/positions/{office.pk}/end/")
    screenshot(page, "position-end-phone")
    page.get_by_role("button", name="Ghi thôi giữ chức").click()
    page.wait_for_url("**/orgs/DU-DT-CB01/")
    assert "thôi giữ chức Cấp ủy viên" in page.locator(".messages").inner_text()
    office.refresh_from_db()
    assert office.ended_on is not None


def test_screenshots_of_the_management_pages(new_page, demo_live):
    admin_user = User.objects.get(username="danguy")
    grant_create(user=admin_user, org=Org.objects.get(code="DU-DT"), role=Role.ADMIN)
    secretary = Position.objects.current().get(org__code="DU-DT-CB05", title="secretary")
    without_login = (
        Membership.objects.current()
        .filter(org__code="DU-DT-CB05", person__user__isnull=True)
        .order_by("person__sort_key")
        .first()
    )
    assert without_login is not None
    bithu1 = Membership.objects.current().get(person__user__username="bithu1").person_id
    pages = [
        ("manage-org", "/orgs/DU-DT-CB05/"),
        ("org-new", "/orgs/DU-DT/new/"),
        ("org-edit", "/orgs/DU-DT-CB05/edit/"),
        ("org-split", "/orgs/DU-DT-CB05/split/"),
        ("position-new-committee", "/orgs/DU-DT/positions/new/"),
        ("position-end", f"/positions/{secretary.pk}/end/"),
        ("account-new", f"/people/{without_login.person_id}/account/"),
        ("account-existing", f"/people/{bithu1}/account/"),
    ]
    for size_name, viewport in (("phone", PHONE), ("desktop", DESKTOP), ("small", None)):
        page = new_page(viewport or {"width": 360, "height": 740})
        log_in(page, "danguy")
        width_limit = (viewport or {"width": 360})["width"]
        for name, url in pages:
            response = page.goto(url)
            assert response is not None and response.status == 200, (name, response)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= width_limit, (name, size_name, width)
            small = page.evaluate(
                """() => [...document.querySelectorAll('main :is(a, button, input, select)')]
                    .filter(el => el.offsetParent !== null && el.type !== 'hidden')
                    .filter(el => !el.closest('.visually-hidden, p, dd, .officers, .history'))
                    .filter(el => !el.classList.contains('visually-hidden'))
                    .filter(el => (el.closest('label') || el).getBoundingClientRect().height < 44)
                    .map(el => el.outerHTML.slice(0, 80))"""
            )
            assert small == [], (name, size_name, small)
            if viewport is not None:
                screenshot(page, f"{name}-{size_name}")
