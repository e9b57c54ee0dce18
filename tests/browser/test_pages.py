"""What a secretary, a plain member and an upper level do in a real browser."""

from __future__ import annotations

import re

import pytest

from chibo.core.vntext import fold, name_sort_key
from chibo.people.models import Membership, Person
from chibo.people.selectors import ON_ROLL_STATUSES
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot

pytestmark = pytest.mark.browser


def cell_people(code: str) -> list[Person]:
    return [
        m.person
        for m in Membership.objects.filter(
            org__code=code, ended_on__isnull=True, status__in=ON_ROLL_STATUSES
        ).select_related("person")
    ]


def test_secretary_lists_searches_opens_and_is_kept_out_of_another_cell(page):
    log_in(page, "bithu1")
    page.get_by_role("link", name="Danh sách thành viên").first.click()
    page.wait_for_url("**/orgs/DU-DT-CB01/members/")

    names = page.locator("a.member-name").all_inner_texts()
    people = cell_people("DU-DT-CB01")
    assert len(names) == len(people) >= 5
    assert sorted(names) == sorted(p.full_name for p in people)
    keys = {p.full_name: name_sort_key(p.family_name, p.middle_name, p.given_name) for p in people}
    assert names == sorted(names, key=lambda name: keys[name])

    target = next(p for p in people if fold(p.full_name) != p.full_name.lower())
    # What an elderly secretary types on a phone without Vietnamese keyboard: "nguyen van".
    typed = fold(f"{target.family_name} {target.middle_name}".strip())
    page.get_by_label("Tìm theo tên").fill(typed)
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url(re.compile(r".*\?.*q="))
    found = page.locator("a.member-name").all_inner_texts()
    assert target.full_name in found
    assert all(typed in fold(name) for name in found)

    page.get_by_role("link", name=target.full_name).first.click()
    page.wait_for_url(f"**/people/{target.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == target.full_name

    stranger = next(p for p in cell_people("DU-DT-CB02") if p.pk not in {q.pk for q in people})
    response = page.goto(f"/people/{stranger.pk}/")
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", name="Không tìm thấy trang này").is_visible()
    assert stranger.full_name not in page.content()


def test_add_member_bad_citizen_id_then_fixed(page):
    log_in(page, "bithu1")
    page.goto("/orgs/DU-DT-CB01/members/new/")
    page.get_by_label("Họ và tên").fill("hoàng  thị  lụa")
    page.get_by_label("Giới tính").select_option("female")
    page.get_by_label("Ngày sinh").fill("05/11/1990")
    page.get_by_label("Số CCCD").fill("01919000123")
    page.get_by_label("Ngày vào Đảng").fill("03/02/2015")
    page.get_by_label("Ngày chính thức").fill("03/02/2016")
    page.get_by_role("button", name="Lưu thành viên").click()

    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert "Số CCCD phải gồm đúng 12 chữ số" in summary.inner_text()
    assert page.locator("#id_citizen_id_error").inner_text().startswith("Số CCCD")
    assert not Person.objects.filter(full_name="Hoàng Thị Lụa").exists()
    screenshot(page, "member-form-error-phone")

    page.get_by_label("Số CCCD").fill("019190001234")
    page.get_by_role("button", name="Lưu thành viên").click()
    page.wait_for_url(re.compile(r".*/people/\d+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Hoàng Thị Lụa"
    assert "Đã thêm Hoàng Thị Lụa vào" in page.locator(".messages").inner_text()
    person = Person.objects.get(full_name="Hoàng Thị Lụa")
    assert person.citizen_id == "019190001234"
    assert Membership.objects.get(person=person).org.code == "DU-DT-CB01"


def test_plain_member_sees_own_profile_only(page):
    log_in(page, "dangvien1")
    assert page.get_by_role("link", name="Danh sách thành viên").count() == 0
    page.get_by_role("link", name="Hồ sơ của tôi", exact=True).click()
    page.wait_for_url(re.compile(r".*/people/\d+/$"))
    assert page.get_by_text("Đây là hồ sơ của đồng chí.").is_visible()
    me = Person.objects.get(user__username="dangvien1")
    assert page.get_by_role("heading", level=1).inner_text() == me.full_name
    response = page.goto("/orgs/DU-DT-CB01/members/")
    assert response is not None and response.status == 403


def test_language_switch(page):
    log_in(page, "bithu1")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="English").get_attribute("aria-pressed") == "true"
    page.goto("/orgs/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Tiếng Việt").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("link", name="Trang chủ").is_visible()


def test_screenshots_of_main_pages(new_page, demo_live):
    member = cell_people("DU-DT-CB01")[0]
    pages = {
        "bithu1": [
            ("home", "/"),
            ("org-tree", "/orgs/?open=DU-DT-CB01"),
            ("org-detail", "/orgs/DU-DT-CB01/"),
            ("members", "/orgs/DU-DT-CB01/members/"),
            ("member-search", "/orgs/DU-DT-CB01/members/?q=nguyen"),
            ("member-new", "/orgs/DU-DT-CB01/members/new/"),
            ("person", f"/people/{member.pk}/"),
            ("person-edit", f"/people/{member.pk}/edit/"),
            ("not-found", "/orgs/DU-DT-CB02/"),
        ],
        "danguy": [
            ("committee-home", "/"),
            ("committee-tree", "/orgs/?open=DU-DT"),
            ("committee-org", "/orgs/DU-DT/"),
            ("committee-members", "/orgs/DU-DT/members/?descendants=1"),
            ("committee-merge", "/orgs/DU-DT-CB18/merge/"),
        ],
        "tinhuy": [("viewer-home", "/"), ("viewer-tree-search", "/orgs/?q=chi+hoi")],
        "admin": [("admin-grants", "/orgs/DU-DT/grants/")],
    }
    for size_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        anonymous = new_page(viewport)
        anonymous.goto("/login/")
        screenshot(anonymous, f"login-{size_name}")
        for _attempt in range(6):
            anonymous.goto("/login/")
            anonymous.get_by_label("Tên đăng nhập").fill(f"khong-co-{size_name}")
            anonymous.get_by_label("Mật khẩu").fill("sai-mat-khau")
            anonymous.get_by_role("button", name="Đăng nhập").click()
        assert anonymous.get_by_role("heading", name="Tài khoản tạm khóa").is_visible()
        screenshot(anonymous, f"locked-out-{size_name}")
        for username, urls in pages.items():
            page = new_page(viewport)
            log_in(page, username)
            for name, url in urls:
                response = page.goto(url)
                assert response is not None
                expected = 404 if name == "not-found" else 200
                assert response.status == expected, (username, url, response.status)
                width = page.evaluate("document.documentElement.scrollWidth")
                # Nothing may force sideways scrolling on a phone.
                assert width <= viewport["width"], (name, size_name, width)
                screenshot(page, f"{name}-{size_name}")


# Links inside sentences and lists of names are exempt from the tap-target size, as in WCAG.
INLINE_TEXT = "p, dd, .history, .officers, .positions, .past-memberships"


def test_no_sideways_scrolling_on_a_360px_phone(new_page, demo_live):
    page = new_page({"width": 360, "height": 740})
    log_in(page, "danguy")
    member = cell_people("DU-DT-CB05")[0]
    for url in (
        "/",
        "/orgs/?open=DU-DT-CB05",
        "/orgs/DU-DT/",
        "/orgs/DU-DT/members/?descendants=1",
        "/orgs/DU-DT-CB05/members/new/",
        f"/people/{member.pk}/",
        f"/people/{member.pk}/edit/",
        "/orgs/DU-DT-CB05/merge/",
    ):
        page.goto(url)
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
        # Controls standing on their own are big enough for an elderly thumb.
        assert small == [], (url, small)
