"""The people pages through the test client: scoping, forms with bad input, paging cost."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from chibo.core.models import AuditEntry, User
from chibo.core.roles import Role
from chibo.core.vntext import name_sort_key
from chibo.orgs.models import Grant
from chibo.orgs.services import grant_create
from chibo.people.models import Membership, MembershipStatus, Person
from chibo.people.services import PersonData, membership_create, person_create


def client_for(personas, username: str) -> Client:
    client = Client()
    client.force_login(personas.user(username))
    return client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def names_on_page(response) -> list[str]:
    return re.findall(r'class="member-name"[^>]*>([^<]+)</a>', response.content.decode())


def add_members(org, names: list[str]) -> list[Person]:
    people = []
    for name in names:
        person = person_create(data=PersonData(full_name=name), org_id=org.pk)
        membership_create(person=person, org=org, status=MembershipStatus.OFFICIAL)
        people.append(person)
    return people


# --- login and anonymous access ---------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/", "/orgs/", "/orgs/T-A/", "/orgs/T-A/members/", "/orgs/T-A/members/new/",
     "/orgs/T-A/grants/"],
)  # fmt: skip
def test_pages_need_login(personas, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_profile_pages_need_login(personas):
    for name in ("person_detail", "person_edit"):
        response = Client().get(reverse(name, args=[personas.charlie.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_login_page_is_vietnamese_and_wrong_password_says_so(personas):
    client = Client()
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert 'lang="vi"' in text_of(page)
    assert "Tên đăng nhập" in text_of(page)
    personas.user("alice").set_password("mat-khau-dung")
    personas.user("alice").save()
    wrong = client.post(reverse("login"), {"username": "alice", "password": "sai"})
    assert wrong.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu chưa đúng" in text_of(wrong)
    empty = client.post(reverse("login"), {"username": "", "password": ""})
    assert "Cần nhập tên đăng nhập." in text_of(empty)


def test_login_then_home_then_logout(personas):
    user = personas.user("alice")
    user.set_password("mat-khau-dung")
    user.save()
    client = Client()
    response = client.post(
        reverse("login"), {"username": "alice", "password": "mat-khau-dung"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Chào đồng chí Nguyễn Thị An" in text_of(response)
    assert client.get(reverse("logout")).status_code == 405
    out = client.post(reverse("logout"))
    assert out.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_lockout_page_after_repeated_wrong_passwords(personas, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _attempt in range(3):
        client.post(reverse("login"), {"username": "alice", "password": "sai"})
    locked = client.post(reverse("login"), {"username": "alice", "password": "sai"})
    assert locked.status_code == 429
    page = text_of(locked)
    assert "Tài khoản tạm khóa" in page
    assert "Hãy chờ khoảng 15 phút" in page


# --- home ---------------------------------------------------------------------------------


def test_home_of_secretary_lists_unit_with_officer_links(personas):
    page = text_of(client_for(personas, "alice").get(reverse("home")))
    assert "Chi bộ xóm Đồng" in page
    assert reverse("org_members", args=["T-A"]) in page
    assert reverse("member_create", args=["T-A"]) in page
    assert reverse("person_detail", args=[personas.alice.pk]) in page
    assert "Chi bộ xóm Bãi" not in page


def test_home_of_plain_member_has_no_officer_links(personas):
    page = text_of(client_for(personas, "charlie").get(reverse("home")))
    assert "Chi bộ xóm Đồng" in page
    assert reverse("org_members", args=["T-A"]) not in page
    assert reverse("member_create", args=["T-A"]) not in page


def test_home_of_upper_viewer_lists_subtree_roots_with_totals(personas):
    page = text_of(client_for(personas, "erin").get(reverse("home")))
    assert "Phạm vi theo dõi" in page
    assert "Đảng bộ tỉnh Thử" in page
    assert "4 thành viên" in page


# --- member list --------------------------------------------------------------------------


def test_member_list_in_vietnamese_order(personas):
    add_members(personas.cell_a, ["Đỗ Văn Ánh", "Trần Thị Ân", "Hoàng Văn Ba", "Lê Thị Ăn"])
    response = client_for(personas, "alice").get(reverse("org_members", args=["T-A"]))
    assert response.status_code == 200
    names = names_on_page(response)
    people = {p.full_name: p for p in Person.objects.filter(full_name__in=names)}
    expected = sorted(
        names,
        key=lambda n: name_sort_key(
            people[n].family_name, people[n].middle_name, people[n].given_name
        ),
    )
    assert names == expected
    assert names.index("Nguyễn Thị An") < names.index("Lê Thị Ăn") < names.index("Trần Thị Ân")
    assert "Trần Văn Bình" not in names


def test_member_search_ignores_diacritics(personas):
    add_members(personas.cell_a, ["Nguyễn Văn Đức", "Nguyễn Thị Đào"])
    client = client_for(personas, "alice")
    url = reverse("org_members", args=["T-A"])
    assert names_on_page(client.get(url, {"q": "nguyen van duc"})) == ["Nguyễn Văn Đức"]
    assert names_on_page(client.get(url, {"q": "ĐÀO"})) == ["Nguyễn Thị Đào"]
    assert "Không có ai tên khớp" in text_of(client.get(url, {"q": "khong co ai"}))


def test_member_list_status_filter_and_bad_status(personas):
    (probation,) = add_members(personas.cell_a, ["Vũ Thị Hạnh"])
    Membership.objects.filter(person=probation).update(status=MembershipStatus.PROBATIONARY)
    client = client_for(personas, "alice")
    url = reverse("org_members", args=["T-A"])
    assert names_on_page(client.get(url, {"status": "probationary"})) == ["Vũ Thị Hạnh"]
    bad = client.get(url, {"status": "khong-ton-tai"})
    assert bad.status_code == 200
    assert "Tư cách “khong-ton-tai” không có trong danh sách để lọc." in text_of(bad)


def test_member_list_with_sub_units(personas):
    client = client_for(personas, "dave")
    url = reverse("org_members", args=["T-C"])
    assert names_on_page(client.get(url)) == ["Phạm Văn Dũng"]
    everyone = names_on_page(client.get(url, {"descendants": "1"}))
    assert set(everyone) == {"Phạm Văn Dũng", "Nguyễn Thị An", "Trần Văn Bình", "Lê Văn Cường"}


def test_member_list_outside_scope_is_404_and_plain_member_is_403(personas):
    assert (
        client_for(personas, "alice").get(reverse("org_members", args=["T-B"])).status_code == 404
    )
    response = client_for(personas, "alice").get(reverse("org_members", args=["NO-SUCH"]))
    assert response.status_code == 404
    assert "Không tìm thấy trang này" in text_of(response)
    assert (
        client_for(personas, "charlie").get(reverse("org_members", args=["T-A"])).status_code == 403
    )


def test_member_list_pages_with_bounded_queries(personas, settings, django_assert_max_num_queries):
    settings.PAGE_SIZE = 5
    client = client_for(personas, "alice")
    url = reverse("org_members", args=["T-A"])
    add_members(personas.cell_a, [f"Nguyễn Văn Số{i}" for i in range(3)])
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    add_members(personas.cell_a, [f"Trần Thị Hàng{i}" for i in range(40)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"page": "3"})
    assert len(names_on_page(response)) == 5
    assert "Trang 3/9" in text_of(response)
    with django_assert_max_num_queries(len(few.captured_queries)):
        everyone = client.get(url, {"descendants": "1", "page": "2"})
    assert len(names_on_page(everyone)) == 5


# --- adding a member ----------------------------------------------------------------------


def new_member_post(**changes: str) -> dict[str, str]:
    data = {
        "full_name": "nguyễn  văn khánh",
        "gender": "male",
        "birth_date": "14/03/1985",
        "citizen_id": "019085000123",
        "phone": "0912 345 678",
        "email": "",
        "ethnicity": "kinh",
        "religion": "",
        "hometown": "Đại Từ, Thái Nguyên",
        "address": "Xóm Đồng",
        "occupation": "Nông dân",
        "job_position": "",
        "status": "official",
        "joined_on": "19/05/2010",
        "official_on": "19/05/2011",
        "card_number": "12345678",
    }
    data.update(changes)
    return data


def counts() -> tuple[int, int, int]:
    return Person.objects.count(), Membership.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"citizen_id": "12345"}, "citizen_id", "Số CCCD phải gồm đúng 12 chữ số"),
        ({"citizen_id": "019285000123"}, "citizen_id", "khác năm sinh đã khai 1985"),
        ({"birth_date": "31/02/1985"}, "birth_date",
         "Ngày sinh “31/02/1985” không đúng dạng ngày/tháng/năm"),
        ({"birth_date": "14/03/2999", "citizen_id": ""}, "birth_date", "ở tương lai"),
        ({"full_name": ""}, "full_name", "Cần nhập họ và tên"),
        ({"phone": "12ab"}, "phone", "Số điện thoại “12ab” không hợp lệ"),
        ({"email": "khong-phai-thu"}, "email", "Thư điện tử không đúng dạng"),
        ({"official_on": "01/01/2011"}, "official_on", "chưa đủ 12 tháng"),
        ({"joined_on": "01/01/2000"}, "joined_on", "trước khi đủ 18 tuổi"),
        ({"status": "active"}, "status", "Tư cách “active” không dùng được ở đơn vị này"),
    ],
)  # fmt: skip
def test_member_create_bad_input_shows_vietnamese_error_and_saves_nothing(
    personas, changes, field, message
):
    before = counts()
    response = client_for(personas, "alice").post(
        reverse("member_create", args=["T-A"]), new_member_post(**changes)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert message in text_of(response)
    assert "Chưa lưu được" in text_of(response)
    assert counts() == before


def test_member_create_reports_person_and_membership_problems_in_one_round(personas):
    before = counts()
    response = client_for(personas, "alice").post(
        reverse("member_create", args=["T-A"]),
        new_member_post(phone="12ab", official_on="01/01/2011"),
    )
    form = response.context["form"]
    assert "không hợp lệ" in form.errors["phone"][0]
    assert "chưa đủ 12 tháng" in form.errors["official_on"][0]
    assert counts() == before


def test_member_create_saves_person_and_membership(personas):
    client = client_for(personas, "alice")
    response = client.post(reverse("member_create", args=["T-A"]), new_member_post())
    person = Person.objects.get(citizen_id="019085000123")
    assert response.status_code == 302
    assert response["Location"] == reverse("person_detail", args=[person.pk])
    assert (person.family_name, person.middle_name, person.given_name) == (
        "Nguyễn", "Văn", "Khánh"
    )  # fmt: skip
    assert person.birth_date == datetime.date(1985, 3, 14)
    assert person.phone == "0912345678"
    membership = Membership.objects.get(person=person)
    assert membership.org == personas.cell_a
    assert membership.official_on == datetime.date(2011, 5, 19)
    assert membership.card_number == "12345678"
    page = text_of(client.get(response["Location"]))
    assert "Đã thêm Nguyễn Văn Khánh vào Chi bộ xóm Đồng." in page


def test_member_create_duplicate_citizen_id_rolls_back(personas):
    client = client_for(personas, "alice")
    url = reverse("member_create", args=["T-A"])
    assert client.post(url, new_member_post()).status_code == 302
    before = counts()
    again = client.post(url, new_member_post(full_name="Lê Văn Khánh"))
    assert "đã có trong hệ thống" in text_of(again)
    assert counts() == before


def test_member_create_in_womens_union_uses_association_statuses(personas):
    alice = personas.user("alice")
    grant_create(user=alice, org=personas.women_a, role=Role.OFFICER)
    client = client_for(personas, "alice")
    url = reverse("member_create", args=["T-WA"])
    form = client.get(url).context["form"]
    assert [value for value, _label in form.fields["status"].choices] == ["active"]
    assert "official_on" not in form.fields
    response = client.post(
        url,
        new_member_post(full_name="Hà Thị Thu Mai", gender="female", citizen_id="", status="active",
                        joined_on="08/03/2015", official_on=""),
    )  # fmt: skip
    assert response.status_code == 302
    assert Membership.objects.get(person__full_name="Hà Thị Thu Mai").org == personas.women_a


def test_member_create_needs_officer_and_scope(personas):
    url = reverse("member_create", args=["T-A"])
    assert client_for(personas, "charlie").get(url).status_code == 403
    assert client_for(personas, "erin").get(url).status_code == 403
    assert client_for(personas, "bob").get(url).status_code == 404
    before = counts()
    assert client_for(personas, "bob").post(url, new_member_post()).status_code == 404
    assert counts() == before


# --- profiles -----------------------------------------------------------------------------


def test_person_detail_scoping(personas):
    charlie_url = reverse("person_detail", args=[personas.charlie.pk])
    assert client_for(personas, "alice").get(charlie_url).status_code == 200
    assert client_for(personas, "bob").get(charlie_url).status_code == 404
    assert client_for(personas, "frank").get(charlie_url).status_code == 404
    own = client_for(personas, "charlie").get(charlie_url)
    assert own.status_code == 200
    assert "Đây là hồ sơ của đồng chí." in text_of(own)
    assert reverse("person_edit", args=[personas.charlie.pk]) not in text_of(own)
    other = client_for(personas, "charlie").get(reverse("person_detail", args=[personas.alice.pk]))
    assert other.status_code == 404
    missing = client_for(personas, "alice").get(reverse("person_detail", args=[999999999]))
    assert missing.status_code == 404


def test_person_detail_shows_memberships_positions_and_history(personas):
    page = text_of(client_for(personas, "alice").get(
        reverse("person_detail", args=[personas.alice.pk])
    ))  # fmt: skip
    assert "Chi bộ xóm Đồng" in page
    assert "Bí thư" in page
    assert "Lịch sử thay đổi" in page
    assert "Thêm người Nguyễn Thị An" in page


def test_person_edit_changes_and_audits_before_after(personas):
    client = client_for(personas, "alice")
    url = reverse("person_edit", args=[personas.charlie.pk])
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update({"phone": "0987654321", "birth_date": "02/09/1975"})
    membership_form = client.get(url).context["membership_form"]
    for name in membership_form.fields:
        value = membership_form.initial.get(name) or ""
        if isinstance(value, datetime.date):
            value = value.strftime("%d/%m/%Y")
        data[f"m-{name}"] = value
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    charlie = Person.objects.get(pk=personas.charlie.pk)
    assert charlie.phone == "0987654321"
    assert charlie.birth_date == datetime.date(1975, 9, 2)
    page = text_of(client.get(reverse("person_detail", args=[charlie.pk])))
    assert "Số điện thoại: <del>—</del> → <ins>0987654321</ins>" in page
    assert "Ngày sinh: <del>—</del> → <ins>02/09/1975</ins>" in page


def test_person_edit_membership_status_change(personas):
    client = client_for(personas, "alice")
    url = reverse("person_edit", args=[personas.charlie.pk])
    data = {"given_name": "Cường", "family_name": "Lê", "middle_name": "Văn",
            "m-status": "exempt", "m-joined_on": "19/05/2010", "m-card_number": "",
            "m-reason": "Tuổi cao, sức yếu", "m-decision_number": "12-QĐ/CB"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    membership = Membership.objects.get(person=personas.charlie, ended_on__isnull=True)
    assert membership.status == MembershipStatus.EXEMPT
    assert membership.status_reason == "Tuổi cao, sức yếu"
    page = text_of(client.get(reverse("person_detail", args=[personas.charlie.pk])))
    assert "Tư cách: <del>Chính thức</del> → <ins>Miễn sinh hoạt</ins>" in page


def test_person_edit_bad_input_changes_nothing(personas):
    client = client_for(personas, "alice")
    url = reverse("person_edit", args=[personas.charlie.pk])
    base = {"given_name": "Cường", "phone": "", "m-status": "official", "m-joined_on": "19/05/2010"}
    before = (Person.objects.get(pk=personas.charlie.pk).phone, AuditEntry.objects.count())
    response = client.post(url, {**base, "given_name": ""})
    assert response.status_code == 200
    assert "Cần nhập tên." in text_of(response)
    response = client.post(url, {**base, "phone": "abc", "m-official_on": "01/01/2010"})
    assert "Số điện thoại “abc” không hợp lệ" in text_of(response)
    assert (Person.objects.get(pk=personas.charlie.pk).phone, AuditEntry.objects.count()) == before
    response = client.post(url, {**base, "phone": "0911111111", "m-official_on": "01/01/2010"})
    assert "chưa đủ 12 tháng" in text_of(response)
    assert (Person.objects.get(pk=personas.charlie.pk).phone, AuditEntry.objects.count()) == before


def test_person_edit_permissions(personas):
    url = reverse("person_edit", args=[personas.charlie.pk])
    assert client_for(personas, "bob").get(url).status_code == 404
    assert client_for(personas, "charlie").get(url).status_code == 403
    assert client_for(personas, "erin").get(url).status_code == 403
    assert client_for(personas, "dave").get(url).status_code == 200


# --- grants -------------------------------------------------------------------------------


def test_grants_page_needs_admin(personas):
    assert client_for(personas, "alice").get(reverse("org_grants", args=["T-A"])).status_code == 403
    assert client_for(personas, "alice").get(reverse("org_grants", args=["T-B"])).status_code == 404
    assert client_for(personas, "dave").get(reverse("org_grants", args=["T-C"])).status_code == 403


def test_admin_grants_and_revokes(personas):
    dave = personas.user("dave")
    grant_create(user=dave, org=personas.commune, role=Role.ADMIN)
    client = client_for(personas, "dave")
    url = reverse("org_grants", args=["T-C"])
    page = client.get(url)
    assert ("charlie", "Lê Văn Cường") in page.context["candidates"]
    outsider = client.post(url, {"action": "grant", "username": "erin", "org": "T-C", "role": 20})
    assert "Không có tài khoản “erin” của người đang sinh hoạt trong Đảng bộ xã Thử." in text_of(
        outsider
    )
    bad_org = client.post(url, {"action": "grant", "username": "charlie", "org": "T-W", "role": 20})
    assert "org" in bad_org.context["form"].errors
    response = client.post(
        url, {"action": "grant", "username": "charlie", "org": "T-B", "role": str(Role.VIEWER)}
    )
    assert response.status_code == 302
    grant = Grant.objects.active().get(user__username="charlie")
    assert grant.org == personas.cell_b
    assert (
        client_for(personas, "charlie").get(reverse("org_members", args=["T-B"])).status_code == 200
    )
    response = client.post(url, {"action": "revoke", "grant": grant.pk})
    assert response.status_code == 302
    assert not Grant.objects.active().filter(user__username="charlie").exists()
    alien = Grant.objects.create(user=User.objects.get(username="erin"), org=personas.women,
                                 role=Role.VIEWER)  # fmt: skip
    assert client.post(url, {"action": "revoke", "grant": alien.pk}).status_code == 404
    assert Grant.objects.get(pk=alien.pk).revoked_at is None


# --- language -----------------------------------------------------------------------------


def test_language_switch_to_english(personas):
    client = client_for(personas, "alice")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/orgs/"})
    assert response.status_code == 302
    assert response["Location"] == "/orgs/"
    assert 'lang="en"' in text_of(client.get("/orgs/"))
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert 'lang="vi"' in text_of(client.get("/"))
