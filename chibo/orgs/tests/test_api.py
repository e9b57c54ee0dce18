"""GET /api/v1/orgs and /api/v1/orgs/{code}: what each kind of user may see."""

import pytest
from django.test import Client

from chibo.core.api_auth import api_token_create
from chibo.orgs import divisions
from chibo.orgs.models import Family, Level
from chibo.orgs.services import org_create


def api_client(user) -> Client:
    key = api_token_create(user=user).key
    return Client(headers={"Authorization": f"Bearer {key}"})


def codes(body) -> list[str]:
    return [item["code"] for item in body["items"] if item["code"].startswith("T-")]


def test_commune_committee_lists_its_subtree_in_tree_order(personas):
    body = api_client(personas.user("dave")).get("/api/v1/orgs").json()
    assert codes(body) == ["T-C", "T-A", "T-B"]
    by_code = {item["code"]: item for item in body["items"]}
    # The province above is not the commune's to see, so its code is not given either.
    assert by_code["T-C"]["parent_code"] is None
    assert by_code["T-A"]["parent_code"] == "T-C"
    cell = by_code["T-A"]
    assert cell["name"] == "Chi bộ xóm Đồng"
    assert cell["family"] == "party"
    assert cell["family_label"] == "Đảng"
    assert cell["level"] == "branch"
    assert cell["status"] == "active"
    assert cell["status_label"] == "Đang hoạt động"
    assert cell["id"] == personas.cell_a.pk
    assert body["count"] == 3


def test_viewer_sees_parent_codes_inside_the_subtree(personas):
    body = api_client(personas.erin_user).get("/api/v1/orgs").json()
    assert codes(body) == ["T-P", "T-C", "T-A", "T-B"]
    assert {i["code"]: i["parent_code"] for i in body["items"]}["T-C"] == "T-P"


def test_plain_member_lists_only_own_unit(personas):
    body = api_client(personas.user("charlie")).get("/api/v1/orgs").json()
    assert codes(body) == ["T-A"]
    assert body["items"][0]["parent_code"] is None


def test_user_without_person_or_grant_lists_nothing(personas):
    body = api_client(personas.frank_user).get("/api/v1/orgs").json()
    assert body == {"count": 0, "limit": 50, "offset": 0, "items": []}


def test_search_ignores_diacritics_and_case(personas):
    client = api_client(personas.user("dave"))
    assert codes(client.get("/api/v1/orgs", {"q": "chi bo xom dong"}).json()) == ["T-A"]
    assert codes(client.get("/api/v1/orgs", {"q": "XÓM BÃI"}).json()) == ["T-B"]
    assert codes(client.get("/api/v1/orgs", {"q": "Hội LHPN"}).json()) == []


def test_search_never_reaches_outside_the_scope(personas):
    client = api_client(personas.user("alice"))
    assert codes(client.get("/api/v1/orgs", {"q": "xom bai"}).json()) == []


def test_family_and_level_filters(personas, admin_user):
    client = api_client(admin_user)
    women = client.get("/api/v1/orgs", {"family": "women"}).json()
    assert codes(women) == ["T-W", "T-WA"]
    branches = client.get("/api/v1/orgs", {"family": "party", "level": "branch"}).json()
    assert codes(branches) == ["T-A", "T-B"]


def test_paging_with_limit_and_offset(personas):
    client = api_client(personas.erin_user)
    body = client.get("/api/v1/orgs", {"limit": 2, "offset": 1}).json()
    assert body["count"] == 4
    assert (body["limit"], body["offset"]) == (2, 1)
    assert codes(body) == ["T-C", "T-A"]
    past_end = client.get("/api/v1/orgs", {"limit": 2, "offset": 10}).json()
    assert past_end["items"] == []
    assert past_end["count"] == 4


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 0}, "Tham số “limit”: phải lớn hơn hoặc bằng 1."),
        ({"limit": 100000}, "Tham số “limit”: phải nhỏ hơn hoặc bằng 500."),
        ({"offset": "đầu"}, "Tham số “offset”: phải là một số nguyên."),
        (
            {"family": "clubs"},
            "Tham số “family”: giá trị không hợp lệ; chỉ nhận: 'party', 'women', 'farmers', "
            "'veterans', 'youth', 'front' hoặc 'trade_union'.",
        ),
    ],
)
def test_bad_parameters_get_422_naming_the_field(personas, params, message):
    response = api_client(personas.erin_user).get("/api/v1/orgs", params)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][0] == "query"
    assert {"type", "loc", "msg", "message"} <= set(error)
    assert error["message"].startswith(message)


def test_place_names_come_from_the_official_divisions(personas, admin_user):
    province_code = next(c for c, name in divisions.province_choices() if name == "Thái Nguyên")
    ward_code, ward = divisions.ward_choices(province_code)[0]
    org_create(
        parent=personas.commune, code="T-PLACE", name="Chi bộ thôn Na Mao", family=Family.PARTY,
        level=Level.BRANCH, province_code=province_code, ward_code=ward_code, hamlet="Na Mao",
    )  # fmt: skip
    body = api_client(admin_user).get("/api/v1/orgs", {"q": "T-PLACE"}).json()
    [item] = body["items"]
    assert item["province_code"] == province_code
    assert item["province"] == "Thái Nguyên"
    assert item["commune_code"] == ward_code
    assert item["commune"] == ward
    assert item["hamlet"] == "Na Mao"


def _many_cells(parent, start: int, count: int) -> None:
    for number in range(start, start + count):
        org_create(
            parent=parent, code=f"T-X{number:03d}", name=f"Chi bộ số {number}",
            family=Family.PARTY, level=Level.BRANCH,
        )  # fmt: skip


def test_list_runs_a_bounded_number_of_queries(personas, django_assert_max_num_queries):
    erin = personas.erin_user
    client = api_client(erin)
    client.get("/api/v1/orgs")  # records the token's first use, a write of its own
    _many_cells(personas.commune, 0, 5)
    with django_assert_max_num_queries(8) as few:
        assert len(client.get("/api/v1/orgs", {"q": "chi bo so"}).json()["items"]) == 5
    _many_cells(personas.cell_b, 5, 45)
    with django_assert_max_num_queries(8) as many:
        response = client.get("/api/v1/orgs", {"q": "chi bo so", "limit": "500"})
        assert len(response.json()["items"]) == 50
    assert len(many.captured_queries) == len(few.captured_queries)


def test_detail_of_a_cell_for_the_commune_committee(personas):
    response = api_client(personas.user("dave")).get("/api/v1/orgs/T-A")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "T-A"
    assert body["parent_code"] == "T-C"
    assert body["officers"] == [
        {
            "person_id": personas.alice.pk,
            "full_name": "Nguyễn Thị An",
            "title": "secretary",
            "title_label": "Bí thư",
            "started_on": "2010-05-19",
        }
    ]
    assert body["member_counts"] == [
        {
            "family": "party",
            "family_label": "Đảng",
            "status": "official",
            "status_label": "Chính thức",
            "count": 2,
        }
    ]


def test_detail_counts_the_whole_subtree(personas):
    body = api_client(personas.user("dave")).get("/api/v1/orgs/T-C").json()
    assert body["parent_code"] is None
    assert sum(row["count"] for row in body["member_counts"]) == 4


def test_plain_member_opens_own_unit_without_counts(personas):
    response = api_client(personas.user("charlie")).get("/api/v1/orgs/T-A")
    assert response.status_code == 200
    body = response.json()
    assert body["member_counts"] is None
    assert body["parent_code"] is None
    assert [officer["full_name"] for officer in body["officers"]] == ["Nguyễn Thị An"]


@pytest.mark.parametrize(
    ("username", "code"), [("alice", "T-B"), ("charlie", "T-C"), ("dave", "T-P")]
)
def test_detail_outside_scope_is_404_like_an_unknown_code(personas, username, code):
    client = api_client(personas.user(username))
    outside = client.get(f"/api/v1/orgs/{code}")
    unknown = client.get("/api/v1/orgs/KHONG-CO")
    assert outside.status_code == unknown.status_code == 404
    assert outside.json() == unknown.json()
    assert outside.json()["detail"] == "Không tìm thấy, hoặc bạn không có quyền xem nội dung này."


def test_officers_are_listed_by_rank(demo):
    client = api_client(demo.user("danguy"))
    officers = client.get("/api/v1/orgs/DU-DT").json()["officers"]
    titles = [officer["title"] for officer in officers]
    assert titles[0] == "secretary"
    order = ["secretary", "deputy_secretary", "standing_member", "committee_member"]
    assert titles == sorted(titles, key=order.index)
    assert officers[0]["full_name"] == "Hoàng Văn Thắng"  # danguy, Bí thư of the commune


def test_the_default_page_size_follows_the_setting_after_the_api_is_loaded(personas, settings):
    client = api_client(personas.user("dave"))
    assert client.get("/api/v1/orgs").json()["limit"] == settings.PAGE_SIZE
    # Once loaded, the API must not keep the size it was first imported with.
    settings.PAGE_SIZE = 2
    body = client.get("/api/v1/orgs").json()
    assert body["limit"] == 2 and len(body["items"]) == 2
    assert client.get("/api/v1/orgs?limit=3").json()["limit"] == 3
