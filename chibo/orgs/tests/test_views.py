"""The org pages (tree browser, org page) through the test client."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from chibo.core.roles import Role
from chibo.orgs.restructuring import org_merge
from chibo.orgs.services import grant_create


def client_for(personas, username: str) -> Client:
    client = Client()
    client.force_login(personas.user(username))
    return client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def tree_names(response) -> list[str]:
    return re.findall(r'class="tree-node__name"[^>]*>([^<]+)</a>', response.content.decode())


# --- tree ---------------------------------------------------------------------------------


def test_tree_starts_at_the_users_roots(personas):
    response = client_for(personas, "dave").get(reverse("org_tree"))
    assert response.status_code == 200
    assert tree_names(response) == ["Đảng bộ xã Thử"]
    page = text_of(response)
    assert "T-C · Cơ sở · 4 thành viên" in page
    assert "?open=T-C" in page


def test_tree_opens_a_branch_with_children_and_counts(personas):
    response = client_for(personas, "erin").get(reverse("org_tree"), {"open": "T-C"})
    assert tree_names(response) == [
        "Đảng bộ tỉnh Thử", "Đảng bộ xã Thử", "Chi bộ xóm Đồng", "Chi bộ xóm Bãi",
    ]  # fmt: skip
    page = text_of(response)
    assert "T-A · Chi bộ, chi hội, chi đoàn · 2 thành viên" in page
    assert "T-B · Chi bộ, chi hội, chi đoàn · 1 thành viên" in page


def test_tree_open_outside_scope_is_404(personas):
    client = client_for(personas, "alice")
    assert client.get(reverse("org_tree"), {"open": "T-C"}).status_code == 404
    assert client.get(reverse("org_tree"), {"open": "T-B"}).status_code == 404


def test_plain_member_tree_shows_own_unit_without_expanding(personas):
    response = client_for(personas, "charlie").get(reverse("org_tree"))
    assert tree_names(response) == ["Chi bộ xóm Đồng"]
    assert "?open=T-A" not in text_of(response)


def test_tree_search_ignores_diacritics_and_scope(personas):
    client = client_for(personas, "dave")
    response = client.get(reverse("org_tree"), {"q": "chi bo xom dong"})
    assert response.status_code == 200
    assert [node.org.code for node in response.context["results"]] == ["T-A"]
    response = client.get(reverse("org_tree"), {"q": "HỘI LHPN XÃ THỬ"})
    assert response.context["results"] == []
    assert "Không có tổ chức nào khớp" in text_of(response)


def test_tree_queries_do_not_grow_with_the_tree(personas, django_assert_max_num_queries):
    from chibo.orgs.models import Family, Level
    from chibo.orgs.services import org_create

    client = client_for(personas, "dave")
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("org_tree"), {"open": "T-C"})
    for index in range(15):
        org_create(parent=personas.commune, code=f"T-X{index}", name=f"Chi bộ số {index}",
                   family=Family.PARTY, level=Level.BRANCH)  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("org_tree"), {"open": "T-C"})
    assert len(tree_names(response)) == 18


# --- org page -----------------------------------------------------------------------------


def test_org_page_for_officer(personas):
    response = client_for(personas, "alice").get(reverse("org_detail", args=["T-A"]))
    assert response.status_code == 200
    page = text_of(response)
    assert "Chi bộ xóm Đồng" in page
    assert "Bí thư:" in page
    assert reverse("person_detail", args=[personas.alice.pk]) in page
    assert "Tổng số: 2 người" in page
    assert "Chính thức" in page
    assert reverse("org_members", args=["T-A"]) in page
    assert reverse("member_create", args=["T-A"]) in page
    assert "Thay đổi gần đây" in page
    assert "Lê Văn Cường sinh hoạt tại Chi bộ xóm Đồng" in page


def test_org_page_for_plain_member_shows_totals_only(personas):
    response = client_for(personas, "charlie").get(reverse("org_detail", args=["T-A"]))
    assert response.status_code == 200
    page = text_of(response)
    assert "Tổng số: 2 người" in page
    assert "Nguyễn Thị An" in page
    assert reverse("org_members", args=["T-A"]) not in page
    assert reverse("member_create", args=["T-A"]) not in page
    assert reverse("person_detail", args=[personas.alice.pk]) not in page
    assert "Tư cách" not in page
    assert "Thay đổi gần đây" not in page


def test_org_page_breadcrumb_children_and_counts(personas):
    response = client_for(personas, "erin").get(reverse("org_detail", args=["T-C"]))
    page = text_of(response)
    assert reverse("org_detail", args=["T-P"]) in page
    assert "Đơn vị trực thuộc" in page
    assert "Chi bộ xóm Bãi" in page
    assert "Tổng số: 4 người" in page
    assert "Thay đổi gần đây" not in page
    assert reverse("member_create", args=["T-C"]) not in page


def test_org_page_outside_scope_is_404(personas):
    client = client_for(personas, "alice")
    assert client.get(reverse("org_detail", args=["T-B"])).status_code == 404
    assert client.get(reverse("org_detail", args=["T-C"])).status_code == 404
    assert client.get(reverse("org_detail", args=["KHONG-CO"])).status_code == 404
    assert client_for(personas, "frank").get(reverse("org_detail", args=["T-A"])).status_code == 404


def test_merged_org_page_points_to_target_and_target_lists_source(personas):
    org_merge(source=personas.cell_b, target=personas.cell_a, on=datetime.date(2025, 7, 1))
    client = client_for(personas, "erin")
    merged = text_of(client.get(reverse("org_detail", args=["T-B"])))
    assert "Đã hợp nhất" in merged
    assert "Đã hợp nhất ngày 01/07/2025 vào" in merged
    assert f'href="{reverse("org_detail", args=["T-A"])}"' in merged
    target = text_of(client.get(reverse("org_detail", args=["T-A"])))
    assert "Được hợp nhất từ" in target
    assert "Chi bộ xóm Bãi" in target
    assert "Tổng số: 3 người" in target


def test_admin_sees_grants_link(personas):
    grant_create(user=personas.user("dave"), org=personas.commune, role=Role.ADMIN)
    page = text_of(client_for(personas, "dave").get(reverse("org_detail", args=["T-C"])))
    assert reverse("org_grants", args=["T-C"]) in page


def test_demo_tree_for_province_viewer_groups_thousands(demo):
    response = demo.client("tinhuy").get(reverse("org_tree"))
    assert tree_names(response) == [
        "Đảng bộ tỉnh Thái Nguyên",
        "Hội Liên hiệp Phụ nữ tỉnh Thái Nguyên",
    ]
    assert "HLHPN-TN · Tỉnh, thành phố · 1.200 thành viên" in text_of(response)
    search = demo.client("tinhuy").get(reverse("org_tree"), {"q": "chi hoi phu nu xom dong tien"})
    assert [node.org.code for node in search.context["results"]] == ["HLHPN-DT-CH01"]
    assert "?open=HLHPN-DT-CH01" in text_of(search)


# --- restructuring ------------------------------------------------------------------------


def test_restructuring_needs_committee_and_scope(personas):
    for name in ("org_move", "org_merge"):
        url = reverse(name, args=["T-A"])
        assert client_for(personas, "alice").get(url).status_code == 403
        assert client_for(personas, "erin").get(url).status_code == 403
        assert client_for(personas, "bob").get(url).status_code == 404
        assert client_for(personas, "dave").get(url).status_code == 200


def test_merge_form_moves_members_and_keeps_the_source_readable(personas):
    client = client_for(personas, "dave")
    url = reverse("org_merge", args=["T-B"])
    choices = [value for value, _label in client.get(url).context["form"].fields["target"].choices]
    assert choices == ["", "T-C", "T-A"]
    unconfirmed = client.post(url, {"target": "T-A", "on": "01/07/2025"})
    assert "Cần đánh dấu xác nhận trước khi thực hiện." in text_of(unconfirmed)
    outside = client.post(url, {"target": "T-W", "on": "01/07/2025", "confirm": "on"})
    assert "Tổ chức “T-W” không có trong danh sách được chọn." in text_of(outside)
    bad_date = client.post(url, {"target": "T-A", "on": "32/07/2025", "confirm": "on"})
    assert "Ngày hợp nhất “32/07/2025” không đúng dạng ngày/tháng/năm" in text_of(bad_date)
    personas.cell_b.refresh_from_db()
    assert personas.cell_b.is_active
    response = client.post(url, {"target": "T-A", "on": "01/07/2025", "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("org_detail", args=["T-A"])
    personas.cell_b.refresh_from_db()
    assert personas.cell_b.status == "merged"
    assert personas.cell_b.merged_into == personas.cell_a
    members = client.get(reverse("org_members", args=["T-A"]))
    assert "Trần Văn Bình" in text_of(members)
    merged = text_of(client.get(reverse("org_detail", args=["T-B"])))
    assert "Đã hợp nhất ngày 01/07/2025 vào" in merged
    assert reverse("org_merge", args=["T-B"]) not in merged


def test_move_form_moves_the_subtree(personas):
    from chibo.orgs.models import Family, Level, Org
    from chibo.orgs.services import org_create

    other = org_create(
        parent=personas.province, code="T-C2", name="Đảng bộ xã Thử Hai", family=Family.PARTY,
        level=Level.BASE,
    )  # fmt: skip
    client = client_for(personas, "erin")
    grant_create(user=personas.user("erin"), org=personas.province, role=Role.COMMITTEE)
    url = reverse("org_move", args=["T-A"])
    choices = [value for value, _label in client.get(url).context["form"].fields["target"].choices]
    assert "T-C2" in choices
    assert "T-C" not in choices
    assert "T-A" not in choices
    response = client.post(url, {"target": "T-C2", "confirm": "on"})
    assert response.status_code == 302
    moved = Org.objects.get(code="T-A")
    assert moved.path.startswith(other.path)
    assert "Chi bộ xóm Đồng" in text_of(client.get(reverse("org_detail", args=["T-C2"])))
    assert client_for(personas, "dave").get(reverse("org_detail", args=["T-A"])).status_code == 404


# --- adding a child org -------------------------------------------------------------------

THAI_NGUYEN, DAI_TU, HOAN_KIEM = 19, 5830, 70


def org_counts() -> tuple[int, int]:
    from chibo.core.models import AuditEntry
    from chibo.orgs.models import Org

    return Org.objects.count(), AuditEntry.objects.count()


def new_org_post(**changes: str) -> dict[str, str]:
    data = {
        "code": "t-d",
        "name": "Chi bộ xóm  Đầm",
        "short_name": "",
        "family": "party",
        "level": "branch",
        "province_code": str(THAI_NGUYEN),
        "ward_code": str(DAI_TU),
        "hamlet": "Xóm Đầm",
    }
    data.update(changes)
    return data


def test_create_child_needs_committee_over_the_parent_and_scope(personas):
    url = reverse("org_create_child", args=["T-A"])
    assert client_for(personas, "alice").get(url).status_code == 403
    assert client_for(personas, "erin").get(url).status_code == 403
    assert client_for(personas, "charlie").get(url).status_code == 403
    assert client_for(personas, "bob").get(url).status_code == 404
    assert client_for(personas, "frank").get(url).status_code == 404
    assert client_for(personas, "dave").get(url).status_code == 200
    before = org_counts()
    assert client_for(personas, "bob").post(url, new_org_post()).status_code == 404
    assert client_for(personas, "alice").post(url, new_org_post()).status_code == 403
    assert org_counts() == before


def test_create_child_defaults_to_parents_family_and_next_level(personas):
    form = (
        client_for(personas, "dave").get(reverse("org_create_child", args=["T-C"])).context["form"]
    )
    assert form.initial["family"] == "party"
    assert form.initial["level"] == "branch"
    # A committee adds units below its own level; only an administrator may add any.
    assert [value for value, _label in form.fields["level"].choices] == ["branch", "group"]
    provinces = [label for _value, label in form.fields["province_code"].choices]
    assert provinces[0] == "— Chọn tỉnh, thành phố —"
    assert provinces.index("Cà Mau") < provinces.index("Cao Bằng") < provinces.index("Điện Biên")
    assert (
        provinces.index("Gia Lai")
        < provinces.index("Thành phố Hà Nội")
        < provinces.index("Hà Tĩnh")
    )
    assert form.fields["ward_code"].choices == [("", "— Chọn tỉnh, thành phố trước —")]
    grant_create(user=personas.user("dave"), org=personas.commune, role=Role.ADMIN)
    form = (
        client_for(personas, "dave").get(reverse("org_create_child", args=["T-C"])).context["form"]
    )
    assert [value for value, _label in form.fields["level"].choices] == [
        "central", "province", "district", "base", "branch", "group",
    ]  # fmt: skip


def test_create_child_pick_province_reloads_communes_without_saving(personas):
    before = org_counts()
    response = client_for(personas, "dave").post(
        reverse("org_create_child", args=["T-C"]),
        {**new_org_post(ward_code=""), "pick_province": "1"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound
    communes = dict(form.fields["ward_code"].choices)
    assert communes[str(DAI_TU)] == "Xã Đại Từ"
    assert len(communes) == 93
    page = text_of(response)
    assert "Chưa lưu được" not in page
    assert 'value="Chi bộ xóm Đầm"' in page  # typed text kept (spaces collapsed here)
    assert f'<option value="{THAI_NGUYEN}" selected>Thái Nguyên</option>' in page
    assert 'src="/static/core/divisions.js"' in page
    assert org_counts() == before


def test_create_child_saves_with_place_and_audit(personas):
    from chibo.core.models import AuditEntry
    from chibo.orgs.models import Org

    client = client_for(personas, "dave")
    response = client.post(reverse("org_create_child", args=["T-C"]), new_org_post())
    assert response.status_code == 302
    assert response["Location"] == reverse("org_detail", args=["T-D"])
    org = Org.objects.get(code="T-D")
    assert org.name == "Chi bộ xóm Đầm"
    assert org.path.startswith(personas.commune.path) and org.depth == personas.commune.depth + 1
    assert (org.family, org.level) == ("party", "branch")
    assert (org.province_code, org.ward_code, org.hamlet) == (THAI_NGUYEN, DAI_TU, "Xóm Đầm")
    entry = AuditEntry.objects.get(subject_type="orgs.org", subject_id=org.pk)
    assert entry.actor == personas.user("dave")
    assert entry.after["ward_code"] == DAI_TU
    page = text_of(client.get(response["Location"]))
    assert "Đã thêm Chi bộ xóm Đầm trực thuộc Đảng bộ xã Thử." in page
    assert "Xã Đại Từ" in page and "Thái Nguyên" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": "T D!"}, "code", "Mã “T D!” không hợp lệ"),
        ({"code": "t-a"}, "code", "Mã “T-A” đã được dùng cho một tổ chức khác."),
        ({"code": ""}, "code", "Cần nhập mã tổ chức."),
        ({"name": "  "}, "name", "Cần nhập tên tổ chức."),
        ({"level": "province"}, "level", "Cấp “province” không dùng được cho tổ chức trực thuộc"),
        ({"family": "tu_do"}, "family", "Hệ thống “tu_do” không có trong danh sách."),
        ({"ward_code": str(HOAN_KIEM)}, "ward_code",
         "Xã, phường đã chọn không thuộc Thái Nguyên; hãy chọn lại trong danh sách."),
        ({"province_code": "", "ward_code": str(DAI_TU)}, "ward_code",
         "Hãy chọn tỉnh, thành phố trước, rồi chọn xã, phường."),
        ({"province_code": "999"}, "province_code",
         "Tỉnh, thành phố “999” không có trong danh mục"),
    ],
)  # fmt: skip
def test_create_child_bad_input_names_the_field_and_saves_nothing(
    personas, changes, field, message
):
    before = org_counts()
    response = client_for(personas, "dave").post(
        reverse("org_create_child", args=["T-C"]), new_org_post(**changes)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert "Chưa lưu được" in text_of(response)
    assert org_counts() == before


def test_create_child_of_an_ended_org_is_refused(personas):
    org_merge(source=personas.cell_b, target=personas.cell_a, on=datetime.date(2025, 7, 1))
    before = org_counts()
    client = client_for(personas, "dave")
    page = text_of(client.get(reverse("org_create_child", args=["T-B"])))
    assert "đã kết thúc hoạt động, không thể thêm đơn vị trực thuộc" in page
    response = client.post(
        reverse("org_create_child", args=["T-B"]), new_org_post(level="group", code="T-B1")
    )
    assert "Không thể thêm tổ chức vào một tổ chức đã kết thúc." in text_of(response)
    assert org_counts() == before


# --- editing an org -----------------------------------------------------------------------


def test_edit_org_name_and_place_is_audited(personas):
    from chibo.core.models import AuditEntry
    from chibo.orgs.models import Org

    client = client_for(personas, "dave")
    url = reverse("org_edit", args=["T-A"])
    form = client.get(url).context["form"]
    assert form.initial["name"] == "Chi bộ xóm Đồng"
    response = client.post(
        url,
        {"name": "Chi bộ xóm Đồng Mới", "short_name": "CB Đồng", "province_code": THAI_NGUYEN,
         "ward_code": DAI_TU, "hamlet": "Xóm Đồng"},
    )  # fmt: skip
    assert response.status_code == 302
    org = Org.objects.get(code="T-A")
    assert (org.name, org.short_name, org.ward_code) == ("Chi bộ xóm Đồng Mới", "CB Đồng", DAI_TU)
    entry = AuditEntry.objects.filter(subject_type="orgs.org", subject_id=org.pk).first()
    assert entry is not None and entry.action == "update"
    assert entry.before["name"] == "Chi bộ xóm Đồng"
    assert entry.after["name"] == "Chi bộ xóm Đồng Mới"
    assert "Đã lưu thông tin Chi bộ xóm Đồng Mới." in text_of(client.get(response["Location"]))


def test_edit_org_bad_input_changes_nothing(personas):
    from chibo.orgs.models import Org

    client = client_for(personas, "dave")
    url = reverse("org_edit", args=["T-A"])
    before = org_counts()
    response = client.post(
        url, {"name": "", "province_code": THAI_NGUYEN, "ward_code": HOAN_KIEM, "hamlet": ""}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["name"] == ["Cần nhập tên tổ chức."]
    assert "không thuộc Thái Nguyên" in errors["ward_code"][0]
    assert Org.objects.get(code="T-A").name == "Chi bộ xóm Đồng"
    assert org_counts() == before


def test_edit_org_needs_committee_and_scope(personas):
    url = reverse("org_edit", args=["T-A"])
    assert client_for(personas, "alice").get(url).status_code == 403
    assert client_for(personas, "erin").get(url).status_code == 403
    assert client_for(personas, "bob").get(url).status_code == 404
    assert client_for(personas, "bob").post(url, {"name": "Chiếm"}).status_code == 404
    from chibo.orgs.models import Org

    assert Org.objects.get(code="T-A").name == "Chi bộ xóm Đồng"


def test_org_page_shows_management_links_only_to_those_who_may(personas):
    links = [
        reverse("org_create_child", args=["T-A"]),
        reverse("org_edit", args=["T-A"]),
        reverse("org_split", args=["T-A"]),
    ]
    committee = text_of(client_for(personas, "dave").get(reverse("org_detail", args=["T-A"])))
    assert all(link in committee for link in links)
    for username in ("alice", "charlie", "erin"):
        page = text_of(client_for(personas, username).get(reverse("org_detail", args=["T-A"])))
        assert not any(link in page for link in links), username
    # Splitting T-C would create orgs beside it, under a province dave does not run.
    own = text_of(client_for(personas, "dave").get(reverse("org_detail", args=["T-C"])))
    assert reverse("org_split", args=["T-C"]) not in own
    assert reverse("org_edit", args=["T-C"]) in own


# --- communes of a province ---------------------------------------------------------------


def test_communes_json_needs_a_login_and_lists_communes_in_order(personas):
    url = reverse("division_communes", args=[THAI_NGUYEN])
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    response = client_for(personas, "charlie").get(url)
    assert response.status_code == 200
    data = response.json()
    assert data["province"] == {"code": THAI_NGUYEN, "name": "Thái Nguyên"}
    names = [item["name"] for item in data["communes"]]
    assert {"code": DAI_TU, "name": "Xã Đại Từ"} in data["communes"]
    assert len(names) == 92
    # Ordered by the name after "Xã"/"Phường": Đại Từ comes among the Đ.
    assert names.index("Phường Bắc Kạn") < names.index("Xã Đại Từ") < names.index("Xã Yên Bình")
    assert "private" in response["Cache-Control"]


def test_communes_json_of_an_unknown_province_is_404(personas):
    response = client_for(personas, "charlie").get(reverse("division_communes", args=[999]))
    assert response.status_code == 404
    assert response.json() == {"detail": "Không có tỉnh, thành phố mã 999."}
