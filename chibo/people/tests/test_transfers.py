"""Transfers of party members: official ones move the membership (history linked),
temporary ones are listed by the host but counted at home; the 60- and 30-working-day
limits; bad input writes nothing; pages keep to the scope."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chibo.core.models import AuditEntry
from chibo.orgs.models import Family
from chibo.people.models import (
    EndReason,
    Membership,
    MembershipStatus,
    Transfer,
    TransferKind,
    TransferStatus,
)
from chibo.people.party_rules import add_months, add_working_days
from chibo.people.selectors import member_list, org_member_counts, org_member_totals
from chibo.people.statuses import membership_change_status
from chibo.people.transfers import (
    TransferRequest,
    org_guest_totals,
    org_guests,
    procedure_deadline,
    report_deadline,
    transfer_cancel,
    transfer_deadline,
    transfer_introduce,
    transfer_receive,
    transfer_request,
    transfer_return,
)

TODAY = timezone.localdate()


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture(autouse=True)
def settled(request):
    """The small tree's members have taken part in their cells since they joined."""
    if "personas" in request.fixturenames:
        personas = request.getfixturevalue("personas")
        for membership in Membership.objects.filter(org__code__startswith="T-"):
            membership.started_on = membership.joined_on or membership.started_on
            membership.save(update_fields=["started_on"])
        return personas
    return None


def party_membership(person) -> Membership:
    return Membership.objects.get(person=person, family=Family.PARTY, ended_on=None)


def official_request(personas, **changes) -> TransferRequest:
    values = {
        "kind": TransferKind.OFFICIAL,
        "cause_on": ago(30),
        "reason": "Chuyển công tác",
        "target": personas.cell_b,
    }
    values.update(changes)
    return TransferRequest(**values)


def temporary_request(personas, *, purpose: str, months: int, **changes) -> TransferRequest:
    start = ago(20)
    values = {
        "kind": TransferKind.TEMPORARY,
        "cause_on": ago(30),
        "reason": "Đi học",
        "target": personas.cell_b,
        "purpose": purpose,
        "starts_on": start,
        "ends_on": add_months(start, months),
    }
    values.update(changes)
    return TransferRequest(**values)


def rows() -> dict[str, int]:
    return {
        "transfers": Transfer.objects.count(),
        "memberships": Membership.objects.count(),
        "current": Membership.objects.filter(ended_on=None).count(),
        "audit": AuditEntry.objects.count(),
    }


# --- official -----------------------------------------------------------------------------


def test_an_official_transfer_moves_the_membership_with_its_history(personas):
    membership = party_membership(personas.charlie)
    transfer = transfer_request(membership=membership, request=official_request(personas))
    assert transfer.status == TransferStatus.REQUESTED
    # Until received, the member stays on the roll of the cell they leave.
    assert org_member_totals(orgs=[personas.cell_a, personas.cell_b]) == {
        personas.cell_a.pk: 2,
        personas.cell_b.pk: 1,
    }
    transfer = transfer_introduce(transfer=transfer, on=ago(10), letter_number="56-GGT/ĐU")
    assert (transfer.status, transfer.introduced_on) == (TransferStatus.INTRODUCED, ago(10))
    transfer = transfer_receive(transfer=transfer, on=ago(3))
    assert transfer.status == TransferStatus.RECEIVED
    moved = party_membership(personas.charlie)
    assert moved.org == personas.cell_b and moved.started_on == ago(3)
    assert transfer.arrived == moved
    assert moved.previous == membership
    membership.refresh_from_db()
    assert (membership.ended_on, membership.end_reason) == (ago(3), EndReason.TRANSFERRED)
    assert (moved.joined_on, moved.official_on, moved.status) == (
        membership.joined_on,
        membership.official_on,
        membership.status,
    )
    assert org_member_totals(orgs=[personas.cell_a, personas.cell_b]) == {
        personas.cell_a.pk: 1,
        personas.cell_b.pk: 2,
    }
    actions = list(
        AuditEntry.objects.filter(person_id=personas.charlie.pk)
        .order_by("pk")
        .values_list("subject_type", "action")
    )
    assert ("people.transfer", "create") in actions
    assert ("people.membership", "move") in actions
    assert actions.count(("people.transfer", "update")) == 2


def test_transfer_to_outside_the_system_closes_the_membership_as_transferred_out(personas):
    membership = party_membership(personas.charlie)
    transfer = transfer_request(
        membership=membership,
        request=official_request(
            personas, target=None, target_text="Chi bộ Sở Y tế tỉnh Bắc Giang"
        ),
    )
    transfer = transfer_introduce(transfer=transfer, on=ago(2), letter_number="9-GGT")
    assert transfer.status == TransferStatus.DEPARTED
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.TRANSFERRED_OUT
    assert (membership.ended_on, membership.end_reason) == (ago(2), EndReason.STATUS)
    assert "Bắc Giang" in membership.status_reason
    # Nothing is deleted: the cell finds the member under "transferred out".
    alice = personas.user("alice")
    listed = member_list(user=alice, org=personas.cell_a, status=MembershipStatus.TRANSFERRED_OUT)
    assert [m.person for m in listed] == [personas.charlie]
    assert personas.charlie not in [m.person for m in member_list(user=alice, org=personas.cell_a)]


def test_deadlines_of_sixty_and_thirty_working_days(personas):
    transfer = transfer_request(
        membership=party_membership(personas.charlie),
        request=official_request(personas, cause_on=datetime.date(2025, 7, 1)),
    )
    assert procedure_deadline(transfer) == add_working_days(datetime.date(2025, 7, 1), 60)
    assert procedure_deadline(transfer) == datetime.date(2025, 9, 23)
    waiting = transfer_deadline(transfer, today=datetime.date(2025, 9, 23))
    assert waiting is not None and not waiting.overdue
    late = transfer_deadline(transfer, today=datetime.date(2025, 9, 24))
    assert late is not None and late.overdue and "60 ngày làm việc" in late.label
    transfer = transfer_introduce(
        transfer=transfer, on=datetime.date(2025, 10, 1), letter_number="1-GGT"
    )
    assert "quá thời hạn 60 ngày làm việc" in AuditEntry.objects.latest("pk").summary
    assert report_deadline(transfer) == datetime.date(2025, 11, 12)
    report = transfer_deadline(transfer, today=datetime.date(2025, 11, 13))
    assert report is not None and report.overdue and "30 ngày làm việc" in report.label
    transfer = transfer_receive(transfer=transfer, on=datetime.date(2025, 11, 20))
    assert (
        "quá thời hạn 30 ngày làm việc"
        in AuditEntry.objects.filter(subject_type="people.transfer").latest("pk").summary
    )
    assert transfer_deadline(transfer) is None


# --- temporary ----------------------------------------------------------------------------


def test_a_temporary_member_is_listed_by_the_host_and_counted_at_home(personas):
    membership = party_membership(personas.charlie)
    transfer = transfer_request(
        membership=membership, request=temporary_request(personas, purpose="work", months=6)
    )
    transfer_introduce(transfer=transfer, on=ago(15), letter_number="3-GGT")
    counts_before = org_member_counts(org=personas.cell_b)
    transfer = transfer_receive(transfer=transfer, on=ago(14))
    assert party_membership(personas.charlie) == membership  # stays at home
    bob = personas.user("bob")
    assert [t.person for t in org_guests(user=bob, org=personas.cell_b)] == [personas.charlie]
    assert org_member_counts(org=personas.cell_b) == counts_before
    assert org_member_totals(orgs=[personas.cell_a, personas.cell_b]) == {
        personas.cell_a.pk: 2,
        personas.cell_b.pk: 1,
    }
    assert org_guest_totals(orgs=[personas.cell_a, personas.cell_b, personas.commune]) == {
        personas.cell_a.pk: 0,
        personas.cell_b.pk: 1,
        personas.commune.pk: 1,
    }
    assert personas.charlie not in [m.person for m in member_list(user=bob, org=personas.cell_b)]
    # A second transfer waits until this stay ends.
    with pytest.raises(ValidationError) as error:
        transfer_request(membership=membership, request=official_request(personas))
    assert "chưa xong" in error.value.message_dict["kind"][0]
    transfer = transfer_return(transfer=transfer, on=ago(1))
    assert transfer.status == TransferStatus.RETURNED
    assert org_guests(user=bob, org=personas.cell_b) == []
    assert org_guest_totals(orgs=[personas.cell_b]) == {personas.cell_b.pk: 0}


@pytest.mark.parametrize(
    ("purpose", "months", "accepted"),
    [("work", 2, False), ("work", 3, True), ("work", 11, True), ("work", 12, False),
     ("study", 24, True), ("study", 25, False)],
)  # fmt: skip
def test_how_long_a_temporary_stay_may_last(personas, purpose, months, accepted):
    membership = party_membership(personas.charlie)
    request = temporary_request(personas, purpose=purpose, months=months)
    if accepted:
        assert transfer_request(membership=membership, request=request).pk
        return
    before = rows()
    with pytest.raises(ValidationError) as error:
        transfer_request(membership=membership, request=request)
    message = error.value.message_dict["ends_on"][0]
    expected = {2: "từ 3 tháng trở lên", 12: "dưới 1 năm", 25: "tối đa 2 năm"}[months]
    assert expected in message
    assert rows() == before


# --- bad input ----------------------------------------------------------------------------


def test_requests_with_bad_data_write_nothing(personas):
    membership = party_membership(personas.charlie)
    before = rows()
    cases = [
        (
            official_request(personas, target=None, target_text=""),
            "target",
            "Cần chọn nơi đến trong hệ thống",
        ),
        (
            official_request(personas, target_text="Chi bộ khác"),
            "target_text",
            "không ghi thêm nơi đến ngoài hệ thống",
        ),
        (official_request(personas, target=personas.cell_a), "target", "đang sinh hoạt tại chính"),
        (official_request(personas, target=personas.women_a), "target", "không phải tổ chức đảng"),
        (
            official_request(personas, target=personas.province),
            "target",
            "Chỉ chuyển đến một chi bộ",
        ),
        (
            official_request(personas, cause_on=TODAY + datetime.timedelta(days=5)),
            "cause_on",
            "ở tương lai",
        ),
        (official_request(personas, reason=" "), "reason", "Cần nhập lý do chuyển sinh hoạt."),
        (official_request(personas, kind="forever"), "kind", "chính thức hay tạm thời"),
        (
            temporary_request(personas, purpose="", months=6),
            "purpose",
            "Cần chọn lý do sinh hoạt tạm thời",
        ),
        (
            temporary_request(personas, purpose="work", months=6, ends_on=None),
            "ends_on",
            "Cần nhập ngày kết thúc",
        ),
    ]  # fmt: skip
    for request, field, text in cases:
        with pytest.raises(ValidationError) as error:
            transfer_request(membership=membership, request=request)
        assert text in error.value.message_dict[field][0], (field, error.value.message_dict)
    assert rows() == before


def test_steps_out_of_order_or_undated_write_nothing(personas):
    transfer = transfer_request(
        membership=party_membership(personas.charlie), request=official_request(personas)
    )
    with pytest.raises(ValidationError) as error:
        transfer_receive(transfer=transfer, on=ago(1))
    assert "tình trạng “Chờ làm thủ tục giới thiệu”" in error.value.message_dict["status"][0]
    before = rows()
    with pytest.raises(ValidationError) as error:
        transfer_introduce(transfer=transfer, on=ago(40), letter_number="")
    found = error.value.message_dict
    assert "trước ngày có quyết định hoặc thay đổi nơi ở" in found["on"][0]
    assert found["letter_number"] == ["Cần nhập số giấy giới thiệu."]
    transfer = transfer_introduce(transfer=transfer, on=ago(20), letter_number="5-GGT")
    with pytest.raises(ValidationError) as error:
        transfer_receive(transfer=transfer, on=ago(25))
    assert "trước ngày giới thiệu" in error.value.message_dict["on"][0]
    with pytest.raises(ValidationError) as error:
        transfer_return(transfer=transfer, on=ago(1))
    assert "Chỉ sinh hoạt tạm thời" in error.value.message_dict["status"][0]
    with pytest.raises(ValidationError) as error:
        transfer_cancel(transfer=transfer, on=ago(1), reason="")
    assert error.value.message_dict["reason"] == ["Cần nhập lý do hủy."]
    assert rows()["memberships"] == before["memberships"]
    transfer = transfer_cancel(transfer=transfer, on=ago(1), reason="Đồng chí không chuyển nữa")
    assert transfer.status == TransferStatus.CANCELLED
    assert party_membership(personas.charlie).org == personas.cell_a


def test_a_suspended_member_cannot_be_transferred(personas):
    membership = party_membership(personas.charlie)
    membership_change_status(
        membership=membership, action="suspended", on=ago(5), reason="Bị khởi tố",
        decision_number="12-QĐ/UBKT",
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        transfer_request(membership=membership, request=official_request(personas))
    assert "Đình chỉ sinh hoạt" in error.value.message_dict["status"][0]


# --- pages --------------------------------------------------------------------------------


def client_for(personas, username: str) -> Client:
    client = Client()
    client.force_login(personas.user(username))
    return client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_pages_of_a_transfer_follow_who_does_what(personas):
    alice, bob, dave = (client_for(personas, name) for name in ("alice", "bob", "dave"))
    url = reverse("transfer_create", args=[personas.charlie.pk])
    form = alice.get(url)
    assert form.status_code == 200
    # alice sees her own cell only: the sibling cell is no choice for her.
    assert 'value="T-B"' not in form.content.decode()
    before = rows()
    response = alice.post(
        url,
        {"kind": "official", "target": "T-B", "cause_on": ago(9).strftime("%d/%m/%Y"),
         "reason": "Chuyển công tác"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "“T-B” không có trong danh sách nơi đến" in text_of(response)
    assert rows() == before
    response = dave.post(
        url,
        {"kind": "official", "target": "T-B", "cause_on": ago(9).strftime("%d/%m/%Y"),
         "reason": "Chuyển công tác"},
    )  # fmt: skip
    transfer = Transfer.objects.get(person=personas.charlie)
    assert response.status_code == 302
    assert response["Location"] == reverse("transfer_detail", args=[transfer.pk])
    step = reverse("transfer_introduce", args=[transfer.pk])
    assert alice.get(step).status_code == 403  # the letter is the committee's
    assert bob.get(reverse("transfer_detail", args=[transfer.pk])).status_code == 200
    assert bob.get(step).status_code == 403
    assert client_for(personas, "erin").get(step).status_code == 403
    assert (
        dave.post(step, {"on": ago(2).strftime("%d/%m/%Y"), "letter_number": "8-GGT"}).status_code
        == 302
    )
    receive = reverse("transfer_receive", args=[transfer.pk])
    assert alice.get(receive).status_code == 403  # receiving is the host's
    assert bob.post(receive, {"on": ago(1).strftime("%d/%m/%Y")}).status_code == 302
    assert party_membership(personas.charlie).org == personas.cell_b
    # A stranger to both cells does not learn the transfer exists.
    assert (
        client_for(personas, "frank")
        .get(reverse("transfer_detail", args=[transfer.pk]))
        .status_code
        == 404
    )


def test_host_lists_its_guests_apart_on_the_member_list(personas):
    transfer = transfer_request(
        membership=party_membership(personas.charlie),
        request=temporary_request(personas, purpose="study", months=10),
    )
    transfer_introduce(transfer=transfer, on=ago(15), letter_number="3-GGT")
    transfer_receive(transfer=transfer, on=ago(14))
    page = text_of(client_for(personas, "bob").get(reverse("org_members", args=["T-B"])))
    assert "Đảng viên sinh hoạt tạm thời" in page
    assert "Lê Văn Cường" in page
    detail = text_of(client_for(personas, "bob").get(reverse("org_detail", args=["T-B"])))
    assert "Tổng số: 1 người" in detail
    assert "Ngoài ra 1 đảng viên sinh hoạt tạm thời, không tính vào tổng số." in detail
    home = text_of(
        client_for(personas, "charlie").get(reverse("person_detail", args=[personas.charlie.pk]))
    )
    assert "Đang sinh hoạt tạm thời tại Chi bộ xóm Bãi" in home


def test_demo_has_a_transfer_in_progress(demo):
    transfer = Transfer.objects.get(status=TransferStatus.INTRODUCED)
    assert transfer.target is not None
    assert transfer.org.code == "DU-DT-CB16" and transfer.target.code == "DU-DT-CB17"
    page = text_of(demo.client("danguy").get(reverse("org_party_life", args=["DU-DT"])))
    assert transfer.person.full_name in page
    assert "Chi bộ Trường THCS Đại Từ → Chi bộ Trường Tiểu học Đại Từ" in page
    assert (
        demo.client("bithu1").get(reverse("transfer_detail", args=[transfer.pk])).status_code == 404
    )


def test_party_life_pages_run_a_bounded_number_of_queries(personas, django_assert_max_num_queries):
    from chibo.people.admissions import admission_open
    from chibo.people.services import PersonData, membership_create, person_create

    dave = client_for(personas, "dave")
    url = reverse("org_party_life", args=["T-C"])
    person_url = reverse("person_detail", args=[personas.charlie.pk])

    def grow(count: int, offset: int) -> None:
        for index in range(count):
            admission_open(
                org=personas.cell_a,
                data=PersonData(
                    full_name=f"Lò Thị Số{offset + index}",
                    gender="female",
                    birth_date=datetime.date(1995, 1, 1),
                ),
                listed_on=ago(10),
            )
            member = person_create(
                data=PersonData(full_name=f"Hà Văn Số{offset + index}"), org_id=personas.cell_a.pk
            )
            membership = membership_create(
                person=member,
                org=personas.cell_a,
                status=MembershipStatus.PROBATIONARY,
                joined_on=ago(360),
                started_on=ago(360),
            )
            transfer_request(membership=membership, request=official_request(personas))

    grow(1, 0)
    with django_assert_max_num_queries(30) as few:
        assert dave.get(url).status_code == 200
    with django_assert_max_num_queries(40) as few_person:
        assert dave.get(person_url).status_code == 200
    grow(6, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = dave.get(url)
    assert text_of(page).count("Hà Văn Số") >= 7 * 2  # due soon and transferring
    with django_assert_max_num_queries(len(few_person.captured_queries)):
        dave.get(person_url)
