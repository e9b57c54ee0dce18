"""The org pages (tree browser, org page) through the test client."""

import datetime
import re

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
