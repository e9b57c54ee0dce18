"""The people pages through the test client: scoping, forms with bad input, paging cost."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

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


def test_person_edit_leaves_the_status_to_its_own_page(personas):
    """The plain edit form has no status: a posted one is ignored, the rest is saved
    (chibo/people/tests/test_person_edit_status.py tests every closing status)."""
    client = client_for(personas, "alice")
    url = reverse("person_edit", args=[personas.charlie.pk])
    data = {"given_name": "Cường", "family_name": "Lê", "middle_name": "Văn",
            "m-status": "exempt", "m-joined_on": "19/05/2010", "m-card_number": "0123",
            "m-reason": "Tuổi cao, sức yếu", "m-decision_number": "12-QĐ/CB"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    membership = Membership.objects.get(person=personas.charlie, ended_on__isnull=True)
    assert membership.status == MembershipStatus.OFFICIAL
    assert membership.card_number == "0123" and membership.status_reason == ""


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


# --- splitting an org ---------------------------------------------------------------------


TODAY = timezone.localdate()


def split_counts() -> tuple[int, int, int, int]:
    from chibo.orgs.models import Org
    from chibo.people.models import Position

    return (
        Org.objects.count(),
        Membership.objects.count(),
        Position.objects.count(),
        AuditEntry.objects.count(),
    )


def split_post(personas, **changes: str | None) -> dict[str, str]:
    data: dict[str, str | None] = {
        "rows": "2",
        "code-0": "t-a1",
        "name-0": "Chi bộ xóm Đồng Trên",
        "code-1": "T-A2",
        "name-1": "Chi bộ xóm Đồng Dưới",
        f"member-{personas.alice.pk}": "0",
        f"member-{personas.charlie.pk}": "1",
        # The personas joined their cells today: a split cannot predate that.
        "on": TODAY.strftime("%d/%m/%Y"),
        "close_source": "on",
        "confirm": "on",
    }
    data.update(changes)
    # A change to None leaves the field out of the form, as an unticked box is.
    return {key: value for key, value in data.items() if value is not None}


def test_split_moves_members_and_offices_and_dissolves_the_source(personas):
    from chibo.orgs.models import Org
    from chibo.people.models import Position

    client = client_for(personas, "dave")
    url = reverse("org_split", args=["T-A"])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.row_count == 2
    assert [m.person.full_name for m in form.members] == ["Nguyễn Thị An", "Lê Văn Cường"]
    response = client.post(url, split_post(personas))
    assert response.status_code == 302
    assert response["Location"] == reverse("org_detail", args=["T-A1"])
    source = Org.objects.get(code="T-A")
    assert source.status == "dissolved"
    assert source.ended_on == TODAY
    upper, lower = Org.objects.get(code="T-A1"), Org.objects.get(code="T-A2")
    assert upper.name == "Chi bộ xóm Đồng Trên" and upper.parent_path == personas.commune.path
    assert Membership.objects.current().get(person=personas.alice).org == upper
    assert Membership.objects.current().get(person=personas.charlie).org == lower
    secretary = Position.objects.get(person=personas.alice, ended_on__isnull=True)
    assert (secretary.org, secretary.title) == (upper, "secretary")
    shown = text_of(client.get(response["Location"]))
    assert "Đã chia tách Chi bộ xóm Đồng thành Chi bộ xóm Đồng Trên, Chi bộ xóm Đồng Dưới." in shown
    # The secretary keeps her rights, now over the new cell.
    assert (
        client_for(personas, "alice").get(reverse("org_members", args=["T-A1"])).status_code == 200
    )


def test_split_without_closing_leaves_the_others_and_ignores_blank_rows(personas):
    from chibo.orgs.models import Org

    response = client_for(personas, "dave").post(
        reverse("org_split", args=["T-A"]),
        split_post(
            personas,
            **{"code-0": "", "name-0": "", f"member-{personas.alice.pk}": "",
               "close_source": None},
        ),
    )  # fmt: skip
    assert response.status_code == 302
    assert Org.objects.get(code="T-A").is_active
    assert not Org.objects.filter(code="T-A1").exists()
    assert Membership.objects.current().get(person=personas.alice).org == personas.cell_a
    assert Membership.objects.current().get(person=personas.charlie).org.code == "T-A2"


def test_split_add_row_keeps_what_was_typed_and_writes_nothing(personas):
    before = split_counts()
    response = client_for(personas, "dave").post(
        reverse("org_split", args=["T-A"]), {**split_post(personas), "add_row": "1"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.row_count == 3
    assert not form.is_bound
    page = text_of(response)
    assert "Chưa lưu được" not in page
    assert 'name="code-2"' in page
    assert 'value="Chi bộ xóm Đồng Trên"' in page
    assert "Sang dòng 1: Chi bộ xóm Đồng Trên" in page
    assert split_counts() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code-1": "T-A1"}, "code-1", "Mã “T-A1” trùng với tổ chức mới ở dòng 1."),
        ({"code-1": "t-b"}, "code-1", "Mã “T-B” đã được dùng cho một tổ chức khác."),
        ({"code-0": "Đ Ồ"}, "code-0", "không hợp lệ"),
        ({"name-1": ""}, "name-1", "Cần nhập tên tổ chức."),
        ({"member-CHARLIE": ""}, "member-CHARLIE", "Cần chọn tổ chức mới cho người này."),
        ({"code-1": "", "name-1": ""}, "member-CHARLIE",
         "Dòng 2 chưa có mã và tên tổ chức mới."),
        ({"member-CHARLIE": "7"}, "member-CHARLIE", "Lựa chọn “7” không có trong danh sách"),
        ({"on": "31/06/2025"}, "on", "Ngày chia tách “31/06/2025” không đúng dạng"),
        ({"on": "01/01/2999"}, "on", "Ngày chia tách 01/01/2999 ở tương lai."),
        ({"confirm": None}, "confirm", "Cần đánh dấu xác nhận trước khi thực hiện."),
    ],
)  # fmt: skip
def test_split_bad_input_lands_on_its_row_and_writes_nothing(personas, changes, field, message):
    charlie = f"member-{personas.charlie.pk}"
    changes = {key.replace("member-CHARLIE", charlie): value for key, value in changes.items()}
    field = field.replace("member-CHARLIE", charlie)
    before = split_counts()
    response = client_for(personas, "dave").post(
        reverse("org_split", args=["T-A"]), split_post(personas, **changes)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors.get(field, [])), errors
    assert "Chưa lưu được" in text_of(response)
    assert split_counts() == before


def test_split_closing_with_someone_left_says_how_many(personas):
    before = split_counts()
    response = client_for(personas, "dave").post(
        reverse("org_split", args=["T-A"]),
        split_post(personas, **{f"member-{personas.charlie.pk}": ""}),
    )
    page = text_of(response)
    assert "Chi bộ xóm Đồng sẽ giải thể nên mọi người đều phải chuyển; còn 1 người" in page
    assert "Lê Văn Cường</a>: Cần chọn tổ chức mới cho người này." in page
    assert split_counts() == before


def test_split_needs_the_committee_over_the_parent(personas):
    url = reverse("org_split", args=["T-A"])
    assert client_for(personas, "alice").get(url).status_code == 403
    assert client_for(personas, "erin").get(url).status_code == 403
    assert client_for(personas, "charlie").get(url).status_code == 403
    assert client_for(personas, "bob").get(url).status_code == 404
    before = split_counts()
    assert client_for(personas, "bob").post(url, split_post(personas)).status_code == 404
    assert client_for(personas, "alice").post(url, split_post(personas)).status_code == 403
    # dave runs T-C but not the province above it, where T-C's new siblings would go.
    assert client_for(personas, "dave").get(reverse("org_split", args=["T-C"])).status_code == 403
    assert split_counts() == before


def test_split_of_an_ended_org_shows_why_not(personas):
    from chibo.orgs.restructuring import org_merge

    org_merge(source=personas.cell_b, target=personas.cell_a, on=datetime.date(2025, 7, 1))
    before = split_counts()
    client = client_for(personas, "dave")
    url = reverse("org_split", args=["T-B"])
    assert "đã kết thúc hoạt động, không chia tách được" in text_of(client.get(url))
    client.post(url, split_post(personas))
    assert split_counts() == before


# --- positions ----------------------------------------------------------------------------


def position_counts() -> tuple[int, int]:
    from chibo.people.models import Position

    return Position.objects.count(), AuditEntry.objects.count()


def member_with_login(org, name: str, username: str) -> Person:
    (person,) = add_members(org, [name])
    person.user = User.objects.create_user(username, password="x-unused-x")
    person.save(update_fields=["user"])
    return person


def test_new_secretary_via_the_pages_gets_the_cells_rights(personas):
    from chibo.people.models import Position

    hoa = member_with_login(personas.cell_b, "Đinh Thị Hoa", "hoa")
    members_url = reverse("org_members", args=["T-B"])
    assert client_for(personas, "hoa").get(members_url).status_code == 403
    dave = client_for(personas, "dave")
    new_url = reverse("position_create", args=["T-B"])
    post = {"person": str(hoa.pk), "title": "secretary", "started_on": "01/07/2025"}
    taken = dave.post(new_url, post)
    assert taken.status_code == 200
    assert (
        "Chi bộ xóm Bãi đang có Bí thư là Trần Văn Bình (từ 19/05/2010). Hãy cho thôi giữ chức "
        "trước khi giao cho người khác." in text_of(taken)
    )
    bob_office = Position.objects.current().get(person=personas.bob)
    end = dave.post(reverse("position_end", args=[bob_office.pk]), {"ended_on": "30/06/2025"})
    assert end.status_code == 302
    assert end["Location"] == reverse("org_detail", args=["T-B"])
    response = dave.post(new_url, post)
    assert response.status_code == 302
    office = Position.objects.get(person=hoa)
    assert (office.org, office.title) == (personas.cell_b, "secretary")
    assert office.started_on == datetime.date(2025, 7, 1)
    assert client_for(personas, "hoa").get(members_url).status_code == 200
    assert client_for(personas, "bob").get(members_url).status_code == 403
    page = text_of(dave.get(reverse("org_detail", args=["T-B"])))
    assert "Đã giao chức Bí thư của Chi bộ xóm Bãi cho Đinh Thị Hoa." in page
    assert "Đinh Thị Hoa" in page


def test_position_form_lists_the_cells_members_and_a_committees_subtree(personas):
    dave = client_for(personas, "dave")
    cell = dave.get(reverse("position_create", args=["T-A"])).context["form"]
    options = [label for value, label in cell.fields["person"].widget.choices if value]
    assert options == ["Nguyễn Thị An", "Lê Văn Cường"]
    assert [value for value, _label in cell.fields["title"].choices] == [
        "secretary", "deputy_secretary", "committee_member",
    ]  # fmt: skip
    commune = dave.get(reverse("position_create", args=["T-C"])).context["form"]
    options = [label for value, label in commune.fields["person"].widget.choices if value]
    assert "Lê Văn Cường — Chi bộ xóm Đồng" in options
    assert "Trần Văn Bình — Chi bộ xóm Bãi" in options
    assert "standing_member" in [value for value, _label in commune.fields["title"].choices]
    alice = client_for(personas, "alice")
    grant_create(user=personas.user("alice"), org=personas.women_a, role=Role.OFFICER)
    women = alice.get(reverse("position_create", args=["T-WA"])).context["form"]
    assert [value for value, _label in women.fields["title"].choices] == [
        "branch_head", "branch_deputy",
    ]  # fmt: skip


def test_position_form_search_narrows_the_list_and_writes_nothing(personas):
    add_members(personas.cell_a, ["Nguyễn Văn Đức", "Trần Thị Đào"])
    before = position_counts()
    response = client_for(personas, "alice").post(
        reverse("position_create", args=["T-A"]),
        {"q": "nguyen van duc", "find": "1", "title": "committee_member"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert [label for value, label in form.fields["person"].widget.choices if value] == [
        "Nguyễn Văn Đức"
    ]
    assert "Chưa lưu được" not in text_of(response)
    assert position_counts() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"person": "BOB"}, "person", "Người được chọn không sinh hoạt trong Chi bộ xóm Đồng"),
        ({"person": ""}, "person", "Cần chọn người giữ chức."),
        ({"title": "branch_head"}, "title", "Chức vụ “branch_head” không dùng cho tổ chức này"),
        ({"started_on": "2025-13-01"}, "started_on", "Từ ngày “2025-13-01” không đúng dạng"),
        ({"started_on": "01/01/2999"}, "started_on", "Ngày bắt đầu 01/01/2999 ở tương lai."),
        ({"person": "ALICE", "title": "secretary"}, "person",
         "Nguyễn Thị An đang giữ chức Bí thư tại Chi bộ xóm Đồng."),
    ],
)  # fmt: skip
def test_position_bad_input_names_the_field_and_writes_nothing(personas, changes, field, message):
    ids = {"BOB": str(personas.bob.pk), "ALICE": str(personas.alice.pk)}
    data = {"person": str(personas.charlie.pk), "title": "committee_member",
            "started_on": "01/07/2025"}  # fmt: skip
    data.update({key: ids.get(value, value) for key, value in changes.items()})
    before = position_counts()
    response = client_for(personas, "alice").post(reverse("position_create", args=["T-A"]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors.get(field, [])), errors
    assert position_counts() == before


def test_position_pages_need_an_officer_inside_the_scope(personas):
    from chibo.people.models import Position

    new_url = reverse("position_create", args=["T-A"])
    assert client_for(personas, "charlie").get(new_url).status_code == 403
    assert client_for(personas, "erin").get(new_url).status_code == 403
    assert client_for(personas, "bob").get(new_url).status_code == 404
    alice_office = Position.objects.current().get(person=personas.alice)
    end_url = reverse("position_end", args=[alice_office.pk])
    assert client_for(personas, "alice").get(end_url).status_code == 200
    assert client_for(personas, "dave").get(end_url).status_code == 200
    # Positions are fetched among those the user may change: anyone else is told nothing.
    for username in ("bob", "charlie", "erin", "frank"):
        assert client_for(personas, username).get(end_url).status_code == 404, username
    before = position_counts()
    assert client_for(personas, "erin").post(end_url, {"ended_on": "01/07/2025"}).status_code == 404
    assert client_for(personas, "bob").post(end_url, {"ended_on": "01/07/2025"}).status_code == 404
    data = {"person": str(personas.charlie.pk), "title": "committee_member",
            "started_on": "01/07/2025"}  # fmt: skip
    assert client_for(personas, "bob").post(new_url, data).status_code == 404
    assert position_counts() == before
    assert client_for(personas, "alice").get(
        reverse("position_end", args=[999999])
    ).status_code == (404)


def test_position_end_bad_dates_write_nothing(personas):
    from chibo.people.models import Position

    office = Position.objects.current().get(person=personas.alice)
    client = client_for(personas, "alice")
    url = reverse("position_end", args=[office.pk])
    before = position_counts()
    early = client.post(url, {"ended_on": "01/01/2000"})
    assert "Ngày thôi giữ chức trước ngày bắt đầu." in text_of(early)
    garbled = client.post(url, {"ended_on": "hôm qua"})
    assert "Thôi giữ chức từ ngày “hôm qua” không đúng dạng ngày/tháng/năm" in text_of(garbled)
    empty = client.post(url, {"ended_on": ""})
    assert "Cần nhập ngày thôi giữ chức." in text_of(empty)
    assert position_counts() == before
    assert Position.objects.get(pk=office.pk).ended_on is None


def test_ended_position_page_says_so(personas):
    from chibo.people.models import Position
    from chibo.people.services import position_end

    office = Position.objects.current().get(person=personas.alice)
    position_end(position=office, on=datetime.date(2025, 6, 30))
    page = text_of(client_for(personas, "dave").get(reverse("position_end", args=[office.pk])))
    assert "Chức vụ này đã kết thúc ngày 30/06/2025." in page
    assert 'name="ended_on"' not in page


def test_org_page_position_links_for_officers_only(personas):
    from chibo.people.models import Position

    office = Position.objects.current().get(person=personas.alice)
    links = [reverse("position_create", args=["T-A"]), reverse("position_end", args=[office.pk])]
    officer = text_of(client_for(personas, "alice").get(reverse("org_detail", args=["T-A"])))
    assert all(link in officer for link in links)
    for username in ("charlie", "erin"):
        page = text_of(client_for(personas, username).get(reverse("org_detail", args=["T-A"])))
        assert not any(link in page for link in links), username
    assert reverse("person_account", args=[personas.alice.pk]) not in officer


# --- logins -------------------------------------------------------------------------------


def login_counts() -> tuple[int, int]:
    return User.objects.count(), AuditEntry.objects.count()


def account_post(**changes: str) -> dict[str, str]:
    data = {"username": "dinhthihoa", "password1": "Xom-Dong-2025", "password2": "Xom-Dong-2025"}
    data.update(changes)
    return data


@pytest.fixture
def commune_admin(personas):
    grant_create(user=personas.user("dave"), org=personas.commune, role=Role.ADMIN)
    return client_for(personas, "dave")


def test_admin_creates_a_login_for_a_member(personas, commune_admin):
    (hoa,) = add_members(personas.cell_a, ["Đinh Thị Hoa"])
    url = reverse("person_account", args=[hoa.pk])
    profile = text_of(commune_admin.get(reverse("person_detail", args=[hoa.pk])))
    assert url in profile and "Tạo tài khoản" in profile
    page = commune_admin.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["username"] == "dinhthihoa"
    response = commune_admin.post(url, account_post(username="  DinhThiHoa "))
    assert response.status_code == 302
    hoa.refresh_from_db()
    assert hoa.user is not None
    assert hoa.user.username == "dinhthihoa"
    assert hoa.user.is_active and hoa.user.check_password("Xom-Dong-2025")
    entry = AuditEntry.objects.get(subject_type="core.user", subject_id=hoa.user.pk)
    assert entry.person_id == hoa.pk and entry.org_id == personas.cell_a.pk
    assert entry.after == {"username": "dinhthihoa", "is_active": True}
    assert "Xom-Dong-2025" not in str(entry.before) + str(entry.after) + entry.summary
    page = text_of(commune_admin.get(url))
    assert "Đã tạo tài khoản “dinhthihoa” cho Đinh Thị Hoa." in page
    assert "Khóa tài khoản" in page
    # The new login sees its own unit at once.
    assert client_for(personas, "dinhthihoa").get(
        reverse("org_detail", args=["T-A"])
    ).status_code == (200)


def test_username_suggestion_skips_taken_names(personas, commune_admin):
    (first,) = add_members(personas.cell_a, ["Lê Văn Cường"])
    User.objects.create_user("levancuong", password="x-unused-x")
    form = commune_admin.get(reverse("person_account", args=[first.pk])).context["form"]
    assert form.initial["username"] == "levancuong2"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password2": "Xom-Dong-2024"}, "password2", "Hai lần nhập mật khẩu không khớp nhau."),
        ({"password1": "ab1", "password2": "ab1"}, "password1",
         "Mật khẩu quá ngắn: cần ít nhất 8 ký tự."),
        ({"password1": "password123", "password2": "password123"}, "password1",
         "Mật khẩu này quá phổ biến"),
        ({"password1": "dinhthihoa1", "password2": "dinhthihoa1"}, "password1",
         "Mật khẩu quá giống tên đăng nhập hoặc họ tên"),
        ({"username": "ALICE"}, "username", "Tên đăng nhập “alice” đã có người dùng"),
        ({"username": "Đinh Hoa"}, "username", "Tên đăng nhập “đinh hoa” không hợp lệ"),
        ({"username": ""}, "username", "Cần nhập tên đăng nhập."),
        ({"password1": ""}, "password1", "Cần nhập mật khẩu ban đầu."),
    ],
)  # fmt: skip
def test_login_bad_input_names_the_field_and_writes_nothing(
    personas, commune_admin, changes, field, message
):
    (hoa,) = add_members(personas.cell_a, ["Đinh Thị Hoa"])
    before = login_counts()
    response = commune_admin.post(reverse("person_account", args=[hoa.pk]), account_post(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors.get(field, [])), errors
    assert "Chưa lưu được" in text_of(response)
    assert login_counts() == before
    hoa.refresh_from_db()
    assert hoa.user_id is None


def test_admin_locks_and_unlocks_a_login(personas, commune_admin):
    url = reverse("person_account", args=[personas.charlie.pk])
    charlie = client_for(personas, "charlie")
    assert charlie.get(reverse("home")).status_code == 200
    response = commune_admin.post(url, {"action": "lock"})
    assert response.status_code == 302
    assert not User.objects.get(username="charlie").is_active
    # An open session of a locked login is let go at its next request.
    assert charlie.get(reverse("home")).status_code == 302
    page = text_of(commune_admin.get(url))
    assert "Đã khóa tài khoản “charlie”" in page and "Mở khóa tài khoản" in page
    commune_admin.post(url, {"action": "unlock"})
    assert User.objects.get(username="charlie").is_active
    entries = AuditEntry.objects.filter(subject_type="core.user", person_id=personas.charlie.pk)
    assert [(e.before["is_active"], e.after["is_active"]) for e in entries] == [
        (False, True), (True, False),
    ]  # fmt: skip
    history = text_of(commune_admin.get(reverse("person_detail", args=[personas.charlie.pk])))
    assert "Khóa tài khoản “charlie”" in history


def test_admin_cannot_lock_own_login(personas, commune_admin):
    url = reverse("person_account", args=[personas.dave.pk])
    page = text_of(commune_admin.get(url))
    assert "không tự khóa được" in page
    before = login_counts()
    response = commune_admin.post(url, {"action": "lock"}, follow=True)
    assert "Không thể tự khóa tài khoản của chính mình." in text_of(response)
    assert User.objects.get(username="dave").is_active
    assert login_counts() == before


def test_login_pages_need_an_admin_of_the_persons_unit(personas):
    url = reverse("person_account", args=[personas.charlie.pk])
    for username in ("alice", "dave", "erin", "charlie"):
        assert client_for(personas, username).get(url).status_code == 403, username
    assert client_for(personas, "bob").get(url).status_code == 404
    assert client_for(personas, "frank").get(url).status_code == 404
    before = login_counts()
    assert client_for(personas, "bob").post(url, {"action": "lock"}).status_code == 404
    assert client_for(personas, "alice").post(url, {"action": "lock"}).status_code == 403
    assert User.objects.get(username="charlie").is_active
    assert login_counts() == before
    profile = text_of(
        client_for(personas, "alice").get(reverse("person_detail", args=[personas.charlie.pk]))
    )
    assert url not in profile


def test_split_shows_row_problems_and_form_problems_in_one_round(personas):
    before = split_counts()
    response = client_for(personas, "dave").post(
        reverse("org_split", args=["T-A"]),
        split_post(personas, **{"code-1": "T-A1", "name-1": "", "confirm": None, "on": "32/13"}),
    )
    errors = response.context["form"].errors
    assert errors["confirm"] == ["Cần đánh dấu xác nhận trước khi thực hiện."]
    assert errors["code-1"] == ["Mã “T-A1” trùng với tổ chức mới ở dòng 1."]
    assert errors["name-1"] == ["Cần nhập tên tổ chức."]
    assert "không đúng dạng ngày/tháng/năm" in errors["on"][0]
    assert len(errors["on"]) == 1
    assert split_counts() == before


def test_position_form_of_a_large_subtree_shows_a_bounded_list(personas, monkeypatch):
    from chibo.people import views_positions

    monkeypatch.setattr(views_positions, "CHOICES_MAX", 3)
    add_members(personas.cell_a, ["Nguyễn Văn Đức", "Trần Thị Đào"])
    response = client_for(personas, "dave").get(reverse("position_create", args=["T-C"]))
    form = response.context["form"]
    assert len([value for value, _label in form.fields["person"].widget.choices if value]) == 3
    assert "Danh sách chỉ hiện 3 người đầu tiên theo vần tên." in text_of(response)
    found = client_for(personas, "dave").post(
        reverse("position_create", args=["T-C"]), {"q": "tran thi dao", "find": "1"}
    )
    assert "Trần Thị Đào — Chi bộ xóm Đồng" in [
        label for _value, label in found.context["form"].fields["person"].widget.choices
    ]


def test_split_and_office_pages_cost_the_same_for_a_larger_cell(
    personas, django_assert_max_num_queries
):
    client = client_for(personas, "dave")
    urls = [reverse("org_split", args=["T-A"]), reverse("position_create", args=["T-A"])]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(20) as few:
            client.get(url)
        counts.append(len(few.captured_queries))
    add_members(personas.cell_a, [f"Nguyễn Văn Số{i}" for i in range(25)])
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            response = client.get(url)
        assert "Nguyễn Văn Số24" in text_of(response)
