"""Changes of a party member's standing (exemption, suspension, removal, expulsion, death,
leaving and the way back), the whole timeline on the member page, and party age."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chibo.core.models import AuditEntry
from chibo.orgs.models import Family, Org
from chibo.people.admissions import (
    admission_open,
    admission_record_cell_resolution,
    admission_record_course,
    admission_record_decision,
    admission_record_papers,
)
from chibo.people.models import (
    CLOSING_STATUSES,
    PARTY_STATUSES,
    AdmissionStage,
    EndReason,
    Membership,
    MembershipStatus,
    Person,
    Transfer,
)
from chibo.people.services import PersonData, membership_create, position_assign
from chibo.people.statuses import membership_change_status, status_actions_for
from chibo.people.timeline import party_age, person_timeline_for
from chibo.people.transfers import TransferRequest, transfer_request

TODAY = timezone.localdate()


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture(autouse=True)
def settled(request):
    """The small tree's members have taken part in their cells since they joined."""
    if "personas" in request.fixturenames:
        request.getfixturevalue("personas")
        for membership in Membership.objects.filter(org__code__startswith="T-"):
            membership.started_on = membership.joined_on or membership.started_on
            membership.save(update_fields=["started_on"])


def party(person) -> Membership:
    return Membership.objects.filter(person=person, family=Family.PARTY).latest("pk")


def change(person, action: str, days: int, reason: str = "Lý do", decision: str = ""):
    return membership_change_status(
        membership=party(person), action=action, on=ago(days), reason=reason,
        decision_number=decision,
    )  # fmt: skip


def test_expelled_is_a_closing_party_status():
    assert MembershipStatus.EXPELLED in PARTY_STATUSES
    assert MembershipStatus.EXPELLED in CLOSING_STATUSES
    assert str(MembershipStatus("expelled").label) == "Khai trừ"


@pytest.mark.parametrize(
    ("action", "decision"),
    [("removed", "15-QĐ/ĐU"), ("expelled", "3-QĐ/UBKT"), ("left", "16-QĐ/ĐU"), ("deceased", "")],
)
def test_closing_statuses_end_the_membership_and_keep_it(personas, action, decision):
    membership = change(personas.charlie, action, 10, "Theo quyết định", decision)
    assert membership.status == action
    assert (membership.ended_on, membership.end_reason) == (ago(10), EndReason.STATUS)
    assert (membership.status_changed_on, membership.decision_number) == (ago(10), decision)
    assert Membership.objects.filter(pk=membership.pk).exists()
    entry = AuditEntry.objects.filter(subject_type="people.membership").latest("pk")
    assert (entry.before["status"], entry.after["status"]) == ("official", action)
    assert entry.action == AuditEntry.Action.END
    assert not Membership.objects.current().filter(person=personas.charlie).exists()


@pytest.mark.parametrize("action", ["suspended", "removed", "expelled", "left"])
def test_a_committee_decision_needs_its_number(personas, action):
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        change(personas.charlie, action, 3, reason="")
    found = error.value.message_dict
    assert found["decision_number"] == ["Cần nhập số quyết định."]
    assert found["reason"] == ["Cần nhập lý do."]
    assert AuditEntry.objects.count() == before
    assert party(personas.charlie).status == MembershipStatus.OFFICIAL


def test_exempt_then_back_and_suspended_then_back(personas):
    membership = change(personas.charlie, "exempt", 300, "Tuổi cao, sức khỏe yếu")
    assert membership.status == MembershipStatus.EXEMPT and membership.is_current
    with pytest.raises(ValidationError) as error:
        change(personas.charlie, "exempt", 200)
    assert "không thể “miễn công tác và sinh hoạt đảng”" in error.value.message_dict["action"][0]
    with pytest.raises(ValidationError) as error:
        change(personas.charlie, "restore", 400, "Khỏe lại")
    assert "trước lần thay đổi trước" in error.value.message_dict["on"][0]
    membership = change(personas.charlie, "restore", 200, "Sức khỏe tốt, xin sinh hoạt lại")
    assert membership.status == MembershipStatus.OFFICIAL
    membership = change(personas.charlie, "suspended", 100, "Bị khởi tố", "5-QĐ/ĐU")
    with pytest.raises(ValidationError) as error:
        change(personas.charlie, "restore", 50, "Đình chỉ điều tra")
    assert error.value.message_dict["decision_number"] == ["Cần nhập số quyết định."]
    membership = change(personas.charlie, "restore", 50, "Đình chỉ điều tra", "9-QĐ/ĐU")
    assert membership.status == MembershipStatus.OFFICIAL
    with pytest.raises(ValidationError) as error:
        change(personas.charlie, "restore", 10, "Không có gì")
    assert "không thể “trở lại sinh hoạt" in error.value.message_dict["action"][0]


def test_future_and_unknown_changes_are_refused(personas):
    with pytest.raises(ValidationError) as error:
        change(personas.charlie, "deceased", -3)
    assert "ở tương lai" in error.value.message_dict["on"][0]
    with pytest.raises(ValidationError) as error:
        change(personas.charlie, "official", 3)
    assert error.value.message_dict["action"] == ["Cần chọn một thay đổi tư cách trong danh sách."]
    closed = change(personas.charlie, "deceased", 3, "")
    with pytest.raises(ValidationError) as error:
        membership_change_status(membership=closed, action="removed", on=ago(1), reason="x")
    assert "không còn sinh hoạt đảng" in error.value.message_dict["action"][0]


def test_a_pending_transfer_must_be_cancelled_first(personas):
    transfer_request(
        membership=party(personas.charlie),
        request=TransferRequest(
            kind="official", cause_on=ago(5), reason="Chuyển công tác", target=personas.cell_b
        ),
    )
    with pytest.raises(ValidationError) as error:
        change(personas.charlie, "left", 1, "Xin ra khỏi Đảng", "1-QĐ")
    assert "hãy hủy việc đó trước" in error.value.message_dict["action"][0]
    assert Transfer.objects.get(person=personas.charlie).status == "requested"


def test_a_probationary_member_removed_ends_the_admission(personas):
    admission = admission_open(
        org=personas.cell_a,
        data=PersonData(full_name="Vi Văn Dự", gender="male", birth_date=datetime.date(1995, 1, 1)),
        listed_on=ago(400),
    )
    admission_record_course(admission=admission, completed_on=ago(300), certificate="1/GCN")
    admission_record_papers(
        admission=admission, received=dict.fromkeys(("1-KNĐ", "2-KNĐ", "3-KNĐ", "5-KNĐ"), ago(250))
    )
    admission_record_cell_resolution(admission=admission, on=ago(200), number="1-NQ")
    admission_record_decision(
        admission=admission, on=ago(190), number="2-QĐ", decided_by=personas.commune
    )
    change(admission.person, "removed", 5, "Không đủ tư cách đảng viên", "20-QĐ/ĐU")
    admission.refresh_from_db()
    assert admission.stage == AdmissionStage.STOPPED
    assert admission.stop_reason == "Xóa tên"


def test_who_may_make_which_change(personas):
    membership = party(personas.charlie)
    cell = dict(status_actions_for(membership=membership, officer=True, decider=False))
    assert set(cell) == {"exempt", "deceased"}
    committee = dict(status_actions_for(membership=membership, officer=True, decider=True))
    assert set(committee) == {"exempt", "suspended", "removed", "expelled", "left", "deceased"}
    change(personas.charlie, "exempt", 5, "Ốm dài ngày")
    exempt = party(personas.charlie)
    assert "restore" in dict(status_actions_for(membership=exempt, officer=True, decider=False))


# --- pages --------------------------------------------------------------------------------


def client_for(personas, username: str) -> Client:
    client = Client()
    client.force_login(personas.user(username))
    return client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_standing_page_offers_the_cell_what_is_the_cells(personas):
    url = reverse("person_standing", args=[personas.charlie.pk])
    alice = client_for(personas, "alice")
    page = alice.get(url)
    assert page.status_code == 200
    assert 'value="exempt"' in page.content.decode()
    assert 'value="expelled"' not in page.content.decode()
    before = AuditEntry.objects.count()
    response = alice.post(url, {"action": "expelled", "on": ago(1).strftime("%d/%m/%Y")})
    assert "không phải thay đổi mà đồng chí được làm" in text_of(response)
    response = alice.post(url, {"action": "exempt", "on": ago(1).strftime("%d/%m/%Y")})
    assert "Cần nhập lý do." in text_of(response)
    assert AuditEntry.objects.count() == before
    response = alice.post(
        url, {"action": "exempt", "on": ago(1).strftime("%d/%m/%Y"), "reason": "Tuổi cao"}
    )
    assert response.status_code == 302
    assert party(personas.charlie).status == MembershipStatus.EXEMPT
    assert client_for(personas, "charlie").get(url).status_code == 403
    assert client_for(personas, "bob").get(url).status_code == 404
    dave = client_for(personas, "dave")
    response = dave.post(
        url,
        {"action": "expelled", "on": ago(0).strftime("%d/%m/%Y"), "reason": "Vi phạm nghiêm trọng",
         "decision_number": "7-QĐ/ĐU"},
    )  # fmt: skip
    assert response.status_code == 302
    assert party(personas.charlie).status == MembershipStatus.EXPELLED


def test_official_page_is_for_the_committee(personas):
    url = reverse("person_official", args=[personas.charlie.pk])
    assert client_for(personas, "alice").get(url).status_code == 403
    response = client_for(personas, "dave").post(url, {"decision_number": "1-QĐ"})
    assert "không phải đảng viên dự bị" in text_of(response)


def test_a_person_without_party_membership_gets_an_explanation(personas):
    woman = Person.objects.create(given_name="Hoa", full_name="Hoa")
    membership_create(person=woman, org=personas.women_a, status=MembershipStatus.ACTIVE)
    position_assign(person=woman, org=personas.women_a, title="branch_head")
    from chibo.core.models import User

    woman.user = User.objects.create_user("hoa", password="x-unused-x")
    woman.save(update_fields=["user"])
    client = client_for(personas, "hoa")
    page = client.get(reverse("person_standing", args=[woman.pk]))
    assert page.status_code == 200
    assert "không quản lý hồ sơ đảng viên đang sinh hoạt nào" in text_of(page)


# --- the timeline and party age -----------------------------------------------------------


def test_the_member_page_shows_the_whole_life_in_date_order(personas):
    change(personas.charlie, "exempt", 400, "Ốm dài ngày", "3-NQ/CB")
    change(personas.charlie, "restore", 300, "Khỏe lại")
    position_assign(
        person=personas.charlie, org=personas.cell_a, title="deputy_secretary", started_on=ago(200)
    )
    change(personas.charlie, "deceased", 20, "")
    events = person_timeline_for(user=personas.user("alice"), person=personas.charlie)
    titles = [event.title for event in events]
    days = [event.day for event in events]
    assert days == sorted(days)
    assert titles[0] == "Vào Đảng (ngày quyết định kết nạp)"
    assert "Miễn sinh hoạt" in titles and "Từ trần" in titles
    assert "Giữ chức Phó Bí thư, Chi bộ xóm Đồng" in titles
    assert titles.index("Miễn sinh hoạt") < titles.index("Giữ chức Phó Bí thư, Chi bộ xóm Đồng")
    exempt = next(e for e in events if e.title == "Miễn sinh hoạt")
    assert exempt.day == ago(400) and "Ốm dài ngày" in exempt.detail and "3-NQ/CB" in exempt.detail
    # The cell still reads the closed record of its member.
    page = text_of(
        client_for(personas, "alice").get(reverse("person_detail", args=[personas.charlie.pk]))
    )
    assert "Quá trình sinh hoạt" in page and "Từ trần" in page


def test_party_age_counts_from_the_admission_decision_less_the_gaps(personas):
    person = Person.objects.create(given_name="Ba", full_name="Ba")

    def record(
        org: Org,
        start: datetime.date,
        end: datetime.date | None,
        status: str,
        joined: datetime.date,
    ) -> Membership:
        return Membership.objects.create(
            person=person, org=org, family=Family.PARTY, status=status, joined_on=joined,
            official_on=joined.replace(year=joined.year + 1), started_on=start, ended_on=end,
            end_reason="status" if end else "",
        )  # fmt: skip

    joined = datetime.date(2000, 3, 10)
    record(personas.cell_a, joined, datetime.date(2010, 3, 10), MembershipStatus.REMOVED, joined)
    # Readmitted three years later: party age counts from the first admission, less the gap.
    record(personas.cell_b, datetime.date(2013, 3, 10), None, MembershipStatus.OFFICIAL, joined)
    age = party_age(person=person, today=datetime.date(2025, 3, 10))
    assert age is not None and age.counted
    assert age.gap_days == (datetime.date(2013, 3, 10) - datetime.date(2010, 3, 10)).days
    assert (age.years, age.months) == (22, 0)
    assert age.since == joined


def test_a_probationary_member_has_no_party_age_yet(personas):
    person = Person.objects.create(given_name="Tư", full_name="Tư")
    Membership.objects.create(
        person=person, org=personas.cell_a, family=Family.PARTY,
        status=MembershipStatus.PROBATIONARY, joined_on=ago(100), started_on=ago(100),
    )  # fmt: skip
    age = party_age(person=person)
    assert age is not None and not age.counted
    assert party_age(person=Person.objects.create(given_name="Năm", full_name="Năm")) is None


def test_an_official_member_shows_party_age_on_the_page(personas):
    page = text_of(
        client_for(personas, "alice").get(reverse("person_detail", args=[personas.charlie.pk]))
    )
    years = (TODAY - datetime.date(2010, 5, 19)).days // 365
    assert "Tuổi Đảng:" in page
    assert f"{years} năm" in page or f"{years - 1} năm" in page
    assert "tính từ ngày quyết định kết nạp 19/05/2010" in page
