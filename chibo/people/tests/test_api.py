"""GET /api/v1/orgs/{code}/members and /api/v1/members/{id}."""

import datetime

import pytest
from django.test import Client

from chibo.core.api_auth import api_token_create
from chibo.core.models import User
from chibo.people.models import MembershipStatus, Title
from chibo.people.services import (
    PersonData,
    membership_create,
    membership_update,
    person_create,
    position_assign,
)

JOINED = datetime.date(2015, 2, 3)


def api_client(user) -> Client:
    key = api_token_create(user=user).key
    return Client(headers={"Authorization": f"Bearer {key}"})


def add_member(org, full_name: str, status=MembershipStatus.OFFICIAL, **person):
    created = person_create(data=PersonData(full_name=full_name, **person), org_id=org.pk)
    membership_create(person=created, org=org, status=status, joined_on=JOINED)
    return created


def names(body) -> list[str]:
    return [item["full_name"] for item in body["items"]]


def test_secretary_lists_the_cell_in_vietnamese_order(personas):
    for name in ("Trần Văn Bình", "Phạm Thị Đào", "Đỗ Văn Dũng", "Hoàng Văn Ánh", "Lê Thị An"):
        add_member(personas.cell_a, name)
    response = api_client(personas.user("alice")).get("/api/v1/orgs/T-A/members")
    assert response.status_code == 200
    body = response.json()
    # Given name first, then middle, then family; a ă â … d đ …, tones after letters.
    assert names(body) == [
        "Lê Thị An",
        "Nguyễn Thị An",
        "Hoàng Văn Ánh",
        "Trần Văn Bình",
        "Lê Văn Cường",
        "Đỗ Văn Dũng",
        "Phạm Thị Đào",
    ]
    assert body["count"] == 7
    first = body["items"][0]
    assert first["given_name"] == "An"
    assert first["family_name"] == "Lê"
    assert first["middle_name"] == "Thị"
    assert first["org_code"] == "T-A"
    assert first["family"] == "party"
    assert first["status"] == "official"
    assert first["status_label"] == "Chính thức"
    assert first["joined_on"] == "2015-02-03"


def test_search_ignores_diacritics_and_case(personas):
    add_member(personas.cell_a, "Nguyễn Văn Ánh")
    client = api_client(personas.user("alice"))
    assert names(client.get("/api/v1/orgs/T-A/members", {"q": "nguyen van anh"}).json()) == [
        "Nguyễn Văn Ánh"
    ]
    assert names(client.get("/api/v1/orgs/T-A/members", {"q": "CUONG"}).json()) == ["Lê Văn Cường"]


def test_status_filter(personas):
    suspended = add_member(personas.cell_a, "Vũ Văn Hải")
    membership_update(
        membership=suspended.memberships.get(),
        status=MembershipStatus.SUSPENDED,
        joined_on=JOINED,
        official_on=None,
        card_number="",
        on=datetime.date(2024, 1, 1),
        reason="Vi phạm",
    )
    client = api_client(personas.user("alice"))
    body = client.get("/api/v1/orgs/T-A/members", {"status": "suspended"}).json()
    assert names(body) == ["Vũ Văn Hải"]
    assert body["items"][0]["status_label"] == "Đình chỉ sinh hoạt"
    bad = client.get("/api/v1/orgs/T-A/members", {"status": "vip"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["message"].startswith("Tham số “status”: giá trị không hợp lệ")


def test_descendants_widen_the_list_to_the_subtree(personas):
    client = api_client(personas.user("dave"))
    own = client.get("/api/v1/orgs/T-C/members").json()
    assert names(own) == ["Phạm Văn Dũng"]
    subtree = client.get("/api/v1/orgs/T-C/members", {"descendants": "true"}).json()
    assert names(subtree) == ["Nguyễn Thị An", "Trần Văn Bình", "Lê Văn Cường", "Phạm Văn Dũng"]
    assert {item["org_code"] for item in subtree["items"]} == {"T-A", "T-B", "T-C"}


def test_descendants_of_a_cell_stay_inside_the_users_scope(personas):
    # alice's cell has no children, but asking for them must not open her siblings' rolls.
    body = api_client(personas.user("alice")).get(
        "/api/v1/orgs/T-A/members", {"descendants": "true"}
    )
    assert names(body.json()) == ["Nguyễn Thị An", "Lê Văn Cường"]


def test_plain_member_may_open_the_unit_but_not_read_its_roll(personas):
    client = api_client(personas.user("charlie"))
    assert client.get("/api/v1/orgs/T-A").status_code == 200
    response = client.get("/api/v1/orgs/T-A/members")
    assert response.status_code == 403
    assert response.json() == {"detail": "Bạn không có quyền thực hiện việc này."}


@pytest.mark.parametrize(
    ("username", "code"), [("alice", "T-B"), ("charlie", "T-B"), ("dave", "T-WA")]
)
def test_members_of_an_org_outside_scope_are_404(personas, username, code):
    client = api_client(personas.user(username))
    response = client.get(f"/api/v1/orgs/{code}/members", {"descendants": "true"})
    assert response.status_code == 404
    assert response.json() == client.get("/api/v1/orgs/KHONG-CO/members").json()


def test_paging(personas):
    for number in range(6):
        add_member(personas.cell_b, f"Ngô Văn Tư{'ơ' * number}")
    client = api_client(personas.user("bob"))
    body = client.get("/api/v1/orgs/T-B/members", {"limit": 3, "offset": 3}).json()
    assert body["count"] == 7
    assert len(body["items"]) == 3
    everyone = names(client.get("/api/v1/orgs/T-B/members").json())
    assert names(body) == everyone[3:6]


def test_member_list_runs_a_bounded_number_of_queries(personas, django_assert_max_num_queries):
    client = api_client(personas.user("bob"))
    client.get("/api/v1/orgs")  # the token's first use writes its date once
    for number in range(4):
        add_member(personas.cell_b, f"Đinh Văn Số{number}")
    with django_assert_max_num_queries(8) as few:
        assert len(client.get("/api/v1/orgs/T-B/members").json()["items"]) == 5
    for number in range(4, 49):
        add_member(personas.cell_b, f"Đinh Văn Số{number}")
    with django_assert_max_num_queries(8) as many:
        response = client.get("/api/v1/orgs/T-B/members", {"limit": 100})
        assert len(response.json()["items"]) == 50
    assert len(many.captured_queries) == len(few.captured_queries)


def test_person_seen_by_the_secretary_of_the_cell(personas):
    client = api_client(personas.user("alice"))
    response = client.get(f"/api/v1/members/{personas.alice.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["full_name"] == "Nguyễn Thị An"
    assert (body["family_name"], body["middle_name"], body["given_name"]) == (
        "Nguyễn",
        "Thị",
        "An",
    )
    [membership] = body["memberships"]
    assert membership["org_code"] == "T-A"
    assert membership["status"] == "official"
    assert membership["current"] is True
    [position] = body["positions"]
    assert position["title"] == "secretary"
    assert position["title_label"] == "Bí thư"
    assert position["org_code"] == "T-A"
    charlie = client.get(f"/api/v1/members/{personas.charlie.pk}").json()
    assert charlie["full_name"] == "Lê Văn Cường"


@pytest.mark.parametrize(
    ("username", "other"),
    [("alice", "bob"), ("bob", "alice"), ("charlie", "alice"), ("charlie", "dave")],
)
def test_person_outside_scope_is_404_like_an_unknown_id(personas, username, other):
    client = api_client(personas.user(username))
    response = client.get(f"/api/v1/members/{getattr(personas, other).pk}")
    assert response.status_code == 404
    assert response.json() == client.get("/api/v1/members/999999999").json()


def test_plain_member_reads_own_record(personas):
    body = api_client(personas.user("charlie")).get(f"/api/v1/members/{personas.charlie.pk}")
    assert body.status_code == 200
    assert body.json()["full_name"] == "Lê Văn Cường"


def test_other_organisations_records_stay_hidden(personas):
    # A party member who is also in the women's union: the branch head sees her union
    # membership and union office, not her party record; the cell secretary the reverse.
    both = add_member(personas.cell_a, "Nguyễn Thị Hoa", gender="female")
    membership_create(
        person=both, org=personas.women_a, status=MembershipStatus.ACTIVE, joined_on=JOINED
    )
    position_assign(person=both, org=personas.women_a, title=Title.BRANCH_DEPUTY, started_on=JOINED)
    head = add_member(personas.women_a, "Đào Thị Lan", MembershipStatus.ACTIVE, gender="female")
    position_assign(person=head, org=personas.women_a, title=Title.BRANCH_HEAD, started_on=JOINED)
    head.user = User.objects.create_user("lan", password="x-unused-x")
    head.save(update_fields=["user"])

    union_view = api_client(head.user).get(f"/api/v1/members/{both.pk}").json()
    assert [m["org_code"] for m in union_view["memberships"]] == ["T-WA"]
    assert [p["org_code"] for p in union_view["positions"]] == ["T-WA"]
    assert union_view["gender"] == "female"
    assert union_view["gender_label"] == "Nữ"

    party_view = api_client(personas.user("alice")).get(f"/api/v1/members/{both.pk}").json()
    assert [m["org_code"] for m in party_view["memberships"]] == ["T-A"]
    assert party_view["positions"] == []

    both.user = User.objects.create_user("hoa", password="x-unused-x")
    both.save(update_fields=["user"])
    own_view = api_client(both.user).get(f"/api/v1/members/{both.pk}").json()
    assert sorted(m["org_code"] for m in own_view["memberships"]) == ["T-A", "T-WA"]


def test_person_id_must_be_a_number(personas):
    response = api_client(personas.user("alice")).get("/api/v1/members/an")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["path", "person_id"]
    assert error["message"] == "Đường dẫn, phần “person_id”: phải là một số nguyên."


def test_history_shows_only_entries_of_readable_orgs(personas):
    from chibo.people.selectors import person_history_for
    from chibo.people.services import person_update

    both = add_member(personas.cell_a, "Nguyễn Thị Hoa", gender="female")
    membership_create(
        person=both, org=personas.women_a, status=MembershipStatus.ACTIVE, joined_on=JOINED
    )
    person_update(person=both, data=PersonData(full_name="Nguyễn Thị Hoà", gender="female"))
    head = add_member(personas.women_a, "Đào Thị Lan", MembershipStatus.ACTIVE, gender="female")
    position_assign(person=head, org=personas.women_a, title=Title.BRANCH_HEAD, started_on=JOINED)
    head.user = User.objects.create_user("lan", password="x-unused-x")
    head.save(update_fields=["user"])

    def seen_by(user) -> set[tuple[str, int | None]]:
        entries = person_history_for(user=user, person=both)
        return {(entry.subject_type, entry.org_id) for entry in entries}

    party, women = personas.cell_a.pk, personas.women_a.pk
    assert seen_by(head.user) == {
        ("people.person", party),  # the personal record, whoever edited it
        ("people.membership", women),
    }
    assert ("people.membership", party) in seen_by(personas.user("alice"))
    assert ("people.membership", women) not in seen_by(personas.user("alice"))
    both.user = User.objects.create_user("hoa", password="x-unused-x")
    both.save(update_fields=["user"])
    assert {("people.membership", party), ("people.membership", women)} <= seen_by(both.user)
