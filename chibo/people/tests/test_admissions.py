"""Admission into the Party step by step, official recognition, the probation reminder and
the admission pages: each step writes its audit entry, bad input writes nothing."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chibo.core.models import AuditEntry
from chibo.orgs.models import Family, Level, Org
from chibo.orgs.restructuring import org_merge
from chibo.orgs.services import org_create
from chibo.people.admissions import (
    admission_open,
    admission_open_for,
    admission_record_cell_resolution,
    admission_record_ceremony,
    admission_record_course,
    admission_record_decision,
    admission_record_papers,
    admission_stop,
    membership_recognise_official,
    probation_due_list,
    probation_end,
)
from chibo.people.models import (
    Admission,
    AdmissionPaper,
    AdmissionStage,
    EndReason,
    Membership,
    MembershipStatus,
    PaperForm,
    Person,
)
from chibo.people.party_rules import add_months, add_working_days, rules_on
from chibo.people.services import PersonData

TODAY = timezone.localdate()
BEFORE_VOTE = ("1-KNĐ", "2-KNĐ", "3-KNĐ", "5-KNĐ")


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def candidate(org: Org, name: str = "Lò Thị Mai", born: datetime.date | None = None) -> Admission:
    return admission_open(
        org=org,
        data=PersonData(
            full_name=name, gender="female", birth_date=born or datetime.date(1996, 4, 2)
        ),
        listed_on=ago(500),
        note="Bí thư Chi đoàn",
    )


def proposed(org: Org, *, name: str = "Lò Thị Mai", resolution: int = 400) -> Admission:
    admission = candidate(org, name)
    admission_record_course(
        admission=admission, completed_on=ago(resolution + 60), certificate="125/GCN"
    )
    admission_record_papers(
        admission=admission, received=dict.fromkeys(BEFORE_VOTE, ago(resolution + 10))
    )
    return admission_record_cell_resolution(
        admission=admission, on=ago(resolution), number="12-NQ/CB"
    )


def admitted(org: Org, commune: Org, *, decision: int, ceremony: int | None) -> Admission:
    admission = proposed(org, resolution=decision + 20)
    admission = admission_record_decision(
        admission=admission, on=ago(decision), number="45-QĐ/ĐU", decided_by=commune
    )
    if ceremony is not None:
        admission = admission_record_ceremony(admission=admission, on=ago(ceremony))
    return admission


def member_of(admission: Admission) -> Membership:
    assert admission.membership is not None
    return admission.membership


def rows() -> dict[str, int]:
    return {
        "admissions": Admission.objects.count(),
        "papers": AdmissionPaper.objects.exclude(received_on=None).count(),
        "memberships": Membership.objects.count(),
        "persons": Person.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def messages_of(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


# --- the whole way in ---------------------------------------------------------------------


def test_a_candidate_becomes_a_probationary_member_step_by_step(personas):
    admission = candidate(personas.cell_a)
    assert admission.stage == AdmissionStage.CANDIDATE
    assert admission.person.full_name == "Lò Thị Mai"
    assert not Membership.objects.filter(person=admission.person).exists()

    admission = admission_record_course(
        admission=admission, completed_on=ago(300), certificate=" 125/GCN ", provider="TTCT"
    )
    assert (admission.stage, admission.course_certificate) == (AdmissionStage.STUDIED, "125/GCN")
    admission_record_papers(
        admission=admission, received=dict.fromkeys(BEFORE_VOTE, ago(200)) | {"4-KNĐ": None}
    )
    admission = admission_record_cell_resolution(
        admission=admission, on=ago(150), number="12-NQ/CB"
    )
    assert admission.stage == AdmissionStage.PROPOSED
    admission = admission_record_decision(
        admission=admission, on=ago(120), number="45-QĐ/ĐU", decided_by=personas.commune
    )
    membership = member_of(admission)
    assert admission.stage == AdmissionStage.ADMITTED
    assert (membership.org, membership.family) == (personas.cell_a, Family.PARTY)
    assert membership.status == MembershipStatus.PROBATIONARY
    # Party age will count from the day of the decision.
    assert membership.joined_on == membership.started_on == ago(120)
    admission = admission_record_ceremony(admission=admission, on=ago(110))
    assert probation_end(membership) == add_months(ago(110), 12)

    received = dict(
        AdmissionPaper.objects.filter(admission=admission).values_list("form", "received_on")
    )
    assert received["6-KNĐ"] == ago(150)  # written by the cell's resolution
    assert received["9-KNĐ"] == ago(120)  # written by the decision
    assert received.get("4-KNĐ") is None
    summaries = list(
        AuditEntry.objects.filter(subject_type="people.admission", subject_id=admission.pk)
        .order_by("pk")
        .values_list("summary", flat=True)
    )
    assert len(summaries) == 6
    assert "vào danh sách quần chúng ưu tú" in summaries[0]
    assert "Kết nạp Lò Thị Mai vào Đảng" in summaries[4]
    assert AuditEntry.objects.filter(
        subject_type="people.membership", subject_id=membership.pk, action="create"
    ).exists()


def test_a_union_member_is_put_on_the_list_as_she_is(personas):
    person = Person.objects.create(
        given_name="Hoa",
        family_name="Đinh",
        full_name="Đinh Hoa",
        birth_date=datetime.date(1990, 1, 1),
    )
    admission = admission_open_for(org=personas.cell_a, person=person, listed_on=ago(10))
    assert admission.person == person
    with pytest.raises(ValidationError) as error:
        admission_open_for(org=personas.cell_b, person=person, listed_on=ago(5))
    assert "đang trong danh sách xem xét kết nạp" in messages_of(error)["person"][0]
    with pytest.raises(ValidationError) as error:
        admission_open_for(org=personas.cell_a, person=personas.charlie, listed_on=ago(5))
    assert messages_of(error)["person"] == ["Lê Văn Cường đã là đảng viên."]


# --- bad input, each with its message and nothing written ----------------------------------


def test_opening_with_bad_data_writes_nothing(personas):
    before = rows()
    with pytest.raises(ValidationError) as error:
        admission_open(
            org=personas.cell_a,
            data=PersonData(full_name="Lò Thị Mai", citizen_id="0191"),
            listed_on=TODAY + datetime.timedelta(days=3),
        )
    found = messages_of(error)
    assert "ở tương lai" in found["listed_on"][0]
    assert found["birth_date"] == ["Cần nhập ngày sinh của quần chúng để xét tuổi vào Đảng."]
    assert found["gender"] == ["Cần chọn giới tính."]
    assert "12 chữ số" in found["citizen_id"][0]
    with pytest.raises(ValidationError) as error:
        admission_open(
            org=personas.women,
            data=PersonData(full_name="Lò Thị Mai", gender="female", birth_date=ago(9000)),
            listed_on=ago(1),
        )
    assert messages_of(error)["org"] == ["Hội LHPN xã Thử không phải tổ chức đảng."]
    assert rows() == before


def test_course_needs_a_past_date_and_a_certificate(personas):
    admission = candidate(personas.cell_a)
    before = rows()
    with pytest.raises(ValidationError) as error:
        admission_record_course(
            admission=admission, completed_on=TODAY + datetime.timedelta(days=1), certificate=""
        )
    found = messages_of(error)
    assert "ở tương lai" in found["course_completed_on"][0]
    assert found["course_certificate"] == ["Cần nhập số giấy chứng nhận."]
    assert rows() == before
    admission.refresh_from_db()
    assert admission.stage == AdmissionStage.CANDIDATE


def test_the_cell_cannot_vote_before_the_course_or_without_the_dossier(personas):
    admission = candidate(personas.cell_a)
    with pytest.raises(ValidationError) as error:
        admission_record_cell_resolution(admission=admission, on=ago(1), number="1-NQ/CB")
    assert "chưa học lớp bồi dưỡng" in messages_of(error)["stage"][0]
    admission_record_course(admission=admission, completed_on=ago(100), certificate="9/GCN")
    admission_record_papers(admission=admission, received={"1-KNĐ": ago(50), "2-KNĐ": ago(50)})
    before = rows()
    with pytest.raises(ValidationError) as error:
        admission_record_cell_resolution(admission=admission, on=ago(1), number="")
    found = messages_of(error)
    assert found["papers"] == [
        "Hồ sơ còn thiếu: 3-KNĐ (Giấy giới thiệu người vào Đảng); 5-KNĐ (Tổng hợp ý kiến nhận "
        "xét của tổ chức đoàn thể chính trị - xã hội nơi làm việc và chi ủy nơi cư trú)."
    ]
    assert found["number"] == ["Cần nhập số nghị quyết của chi bộ."]
    admission_record_papers(admission=admission, received={"3-KNĐ": ago(10), "5-KNĐ": ago(10)})
    with pytest.raises(ValidationError) as error:
        admission_record_cell_resolution(admission=admission, on=ago(20), number="1-NQ/CB")
    assert messages_of(error)["on"] == [
        f"Ngày nghị quyết {ago(20):%d/%m/%Y} trước ngày nhận 3-KNĐ, 5-KNĐ."
    ]
    with pytest.raises(ValidationError) as error:
        admission_record_cell_resolution(admission=admission, on=ago(200), number="1-NQ/CB")
    assert "trước ngày học xong lớp bồi dưỡng" in messages_of(error)["on"][0]
    assert rows()["admissions"] == before["admissions"]
    admission.refresh_from_db()
    assert admission.stage == AdmissionStage.STUDIED


def test_nobody_under_18_is_proposed(personas):
    born = add_months(TODAY, -12 * 18 + 2)  # 18 in two months
    admission = candidate(personas.cell_a, "Hà Văn Trẻ", born=born)
    admission_record_course(admission=admission, completed_on=ago(30), certificate="1/GCN")
    admission_record_papers(admission=admission, received=dict.fromkeys(BEFORE_VOTE, ago(20)))
    with pytest.raises(ValidationError) as error:
        admission_record_cell_resolution(admission=admission, on=ago(1), number="2-NQ/CB")
    assert "chưa đủ 18 tuổi" in messages_of(error)["on"][0]


def test_papers_cannot_be_dated_in_the_future_nor_the_steps_own(personas):
    admission = candidate(personas.cell_a)
    before = rows()
    with pytest.raises(ValidationError) as error:
        admission_record_papers(
            admission=admission,
            received={"1-KNĐ": TODAY + datetime.timedelta(days=2), "9-KNĐ": ago(1)},
        )
    found = messages_of(error)
    assert "ở tương lai" in found["1-KNĐ"][0]
    assert found["9-KNĐ"] == ["Mẫu 9-KNĐ không ghi nhận ở đây."]
    assert rows() == before


def test_the_decision_comes_from_above_after_the_cell(personas):
    admission = proposed(personas.cell_a, resolution=30)
    before = rows()
    with pytest.raises(ValidationError) as error:
        admission_record_decision(
            admission=admission, on=ago(40), number="", decided_by=personas.cell_b
        )
    found = messages_of(error)
    assert "trước ngày nghị quyết của chi bộ" in found["on"][0]
    assert found["number"] == ["Cần nhập số quyết định kết nạp."]
    assert found["decided_by"] == ["Chi bộ xóm Bãi không phải cấp ủy cấp trên của Chi bộ xóm Đồng."]
    assert rows() == before
    with pytest.raises(ValidationError) as error:
        admission_record_ceremony(admission=admission, on=ago(1))
    assert "chưa làm được bước này" in messages_of(error)["stage"][0]


def test_the_ceremony_follows_the_decision(personas):
    admission = admitted(personas.cell_a, personas.commune, decision=20, ceremony=None)
    with pytest.raises(ValidationError) as error:
        admission_record_ceremony(admission=admission, on=ago(25))
    assert "trước ngày quyết định kết nạp" in messages_of(error)["on"][0]
    admission = admission_record_ceremony(admission=admission, on=ago(5))
    assert admission.ceremony_on == ago(5)


def test_a_late_ceremony_is_recorded_with_a_note(personas):
    admission = admitted(personas.cell_a, personas.commune, decision=120, ceremony=None)
    admission_record_ceremony(admission=admission, on=ago(10))
    entry = AuditEntry.objects.filter(subject_type="people.admission").latest("pk")
    assert "quá hạn 30 ngày làm việc" in entry.summary


def test_stopping_needs_a_reason_and_keeps_the_record(personas):
    admission = candidate(personas.cell_a)
    with pytest.raises(ValidationError) as error:
        admission_stop(admission=admission, on=ago(1), reason=" ")
    assert messages_of(error)["reason"] == ["Cần nhập lý do dừng xem xét."]
    admission = admission_stop(admission=admission, on=ago(1), reason="Chuyển đi nơi khác")
    assert admission.stage == AdmissionStage.STOPPED
    assert Admission.objects.filter(pk=admission.pk).exists()
    # Once stopped, the person may be put on a list again later.
    again = admission_open_for(org=personas.cell_b, person=admission.person, listed_on=TODAY)
    assert again.is_open


# --- official after twelve months ---------------------------------------------------------


def test_official_recognition_is_refused_before_twelve_months(personas):
    admission = admitted(personas.cell_a, personas.commune, decision=340, ceremony=330)
    end = add_months(ago(330), 12)
    before = rows()
    with pytest.raises(ValidationError) as error:
        membership_recognise_official(membership=member_of(admission), decision_number="7-QĐ/ĐU")
    assert messages_of(error)["official_on"] == [
        f"Lò Thị Mai chưa đủ 12 tháng dự bị: thời gian dự bị hết ngày {end:%d/%m/%Y}, chỉ xét "
        "công nhận chính thức từ ngày đó."
    ]
    assert rows() == before
    member_of(admission).refresh_from_db()
    assert member_of(admission).status == MembershipStatus.PROBATIONARY


def test_official_from_the_day_probation_ends(personas):
    admission = admitted(personas.cell_a, personas.commune, decision=400, ceremony=390)
    membership = member_of(admission)
    end = add_months(ago(390), 12)
    with pytest.raises(ValidationError) as error:
        membership_recognise_official(
            membership=membership, decision_number="", official_on=end - datetime.timedelta(days=1)
        )
    found = messages_of(error)
    assert "chưa đủ 12 tháng dự bị" in found["official_on"][0]
    assert found["decision_number"] == ["Cần nhập số quyết định công nhận."]
    membership = membership_recognise_official(membership=membership, decision_number="7-QĐ/ĐU")
    assert (membership.status, membership.official_on) == (MembershipStatus.OFFICIAL, end)
    assert membership.decision_number == "7-QĐ/ĐU"
    admission.refresh_from_db()
    assert admission.stage == AdmissionStage.OFFICIAL
    with pytest.raises(ValidationError) as error:
        membership_recognise_official(membership=membership, decision_number="8-QĐ/ĐU")
    assert "không phải đảng viên dự bị" in messages_of(error)["status"][0]


def test_a_member_without_a_dossier_counts_probation_from_admission(personas):
    person = Person.objects.create(given_name="Nam", full_name="Nam")
    membership = Membership.objects.create(
        person=person,
        org=personas.cell_b,
        family=Family.PARTY,
        status=MembershipStatus.PROBATIONARY,
        joined_on=ago(400),
        started_on=ago(400),
    )
    assert probation_end(membership) == add_months(ago(400), 12)
    recognised = membership_recognise_official(membership=membership, decision_number="3-QĐ")
    assert recognised.official_on == add_months(ago(400), 12)


# --- the reminder -------------------------------------------------------------------------


def test_the_cell_is_reminded_a_month_ahead_and_sees_what_is_overdue(personas):
    commune = personas.commune
    soon = admitted(personas.cell_a, commune, decision=370, ceremony=350)  # ends in ~15 days
    late = admitted(personas.cell_b, commune, decision=500, ceremony=490)
    far = admission_record_decision(
        admission=proposed(personas.cell_a, name="Vi Thị Xa", resolution=120),
        on=ago(100),
        number="9-QĐ",
        decided_by=commune,
    )
    due = probation_due_list(user=personas.user("dave"), orgs=[commune])
    states = {row.membership.person.full_name: row for row in due}
    assert far.person.full_name not in states  # probation ends in eight months
    row = states[soon.person.full_name]
    assert row.state == "soon"
    assert row.due_on == add_months(ago(350), 12)
    assert 0 < row.days_left <= 31
    overdue = next(r for r in due if r.membership.org == personas.cell_b)
    assert overdue.state == "overdue"
    assert overdue.review_by == add_working_days(add_months(ago(490), 12), 30)
    assert [r.due_on for r in due] == sorted(r.due_on for r in due)
    # The day the twelve months end, the member is due, not yet overdue.
    at_end = probation_due_list(user=personas.user("dave"), orgs=[commune], today=row.due_on)
    assert {r.membership.pk: r.state for r in at_end}[member_of(soon).pk] == "due"
    # A cell's secretary sees their own cell only.
    mine = probation_due_list(user=personas.user("alice"), orgs=[personas.cell_a, personas.cell_b])
    assert {r.membership.org for r in mine} == {personas.cell_a}
    assert member_of(late).pk not in {r.membership.pk for r in mine}


def test_rules_are_chosen_by_the_day(personas):
    assert rules_on(datetime.date(2020, 1, 1)).code == "29-QĐ/TW"
    assert rules_on(datetime.date(2021, 7, 30)).code == "24-QĐ/TW"
    assert rules_on(datetime.date(2025, 3, 1)).code == "232-QĐ/TW"
    assert rules_on(datetime.date(2025, 7, 1)).code == "294-QĐ/TW"
    # Friday 4 July 2025 plus 1 working day is Monday 7 July.
    assert add_working_days(datetime.date(2025, 7, 4), 1) == datetime.date(2025, 7, 7)
    assert add_working_days(datetime.date(2025, 7, 1), 30) == datetime.date(2025, 8, 12)
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)


# --- scope and restructuring --------------------------------------------------------------


def test_candidates_are_seen_by_their_cell_only(personas):
    admission = candidate(personas.cell_a)
    visible = Person.objects.visible_to
    assert visible(personas.user("alice")).filter(pk=admission.person_id).exists()
    assert visible(personas.user("dave")).filter(pk=admission.person_id).exists()
    assert not visible(personas.user("bob")).filter(pk=admission.person_id).exists()
    assert not visible(personas.user("charlie")).filter(pk=admission.person_id).exists()


def test_candidates_follow_their_cell_into_a_merger(personas):
    admission = candidate(personas.cell_b)
    org_merge(source=personas.cell_b, target=personas.cell_a, on=TODAY)
    admission.refresh_from_db()
    assert admission.org == personas.cell_a
    moved = Membership.objects.get(person=personas.bob, ended_on=None)
    assert moved.previous is not None and moved.previous.end_reason == EndReason.MERGED


# --- pages --------------------------------------------------------------------------------


def client_for(personas, username: str) -> Client:
    client = Client()
    client.force_login(personas.user(username))
    return client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_candidate_form_reports_every_problem_and_writes_nothing(personas):
    client = client_for(personas, "alice")
    url = reverse("admission_create", args=["T-A"])
    assert client.get(url).status_code == 200
    before = rows()
    response = client.post(url, {"full_name": "", "birth_date": "31/02/1990", "listed_on": ""})
    text = text_of(response)
    assert response.status_code == 200
    assert "Cần nhập họ và tên của quần chúng." in text
    assert "Ngày sinh “31/02/1990” không đúng dạng ngày/tháng/năm" in text
    assert rows() == before
    response = client.post(
        url,
        {"full_name": "lò  thị mai", "gender": "female", "birth_date": "02/04/1996",
         "listed_on": ago(3).strftime("%d/%m/%Y")},
    )  # fmt: skip
    admission = Admission.objects.get(person__full_name="Lò Thị Mai")
    assert response.status_code == 302
    assert response["Location"] == reverse("admission_detail", args=[admission.pk])
    page = text_of(client.get(response["Location"]))
    assert "Hồ sơ kết nạp — Lò Thị Mai" in page
    assert "1-KNĐ" in page and "9-KNĐ" in page and "Chưa có" in page


def test_only_a_committee_above_decides(personas):
    admission = proposed(personas.cell_a, resolution=20)
    url = reverse("admission_decision", args=[admission.pk])
    assert client_for(personas, "alice").get(url).status_code == 403
    assert client_for(personas, "bob").get(url).status_code == 404
    assert client_for(personas, "erin").get(url).status_code == 403
    dave = client_for(personas, "dave")
    page = dave.get(url)
    assert page.status_code == 200 and 'value="T-C"' in page.content.decode()
    before = rows()
    response = dave.post(url, {"on": ago(5).strftime("%d/%m/%Y"), "number": "", "org": "T-C"})
    assert "Cần nhập số quyết định kết nạp." in text_of(response)
    response = dave.post(url, {"on": ago(5).strftime("%d/%m/%Y"), "number": "5", "org": "T-P"})
    assert "không phải cấp ủy mà đồng chí có quyền quyết định" in text_of(response)
    assert rows() == before
    response = dave.post(url, {"on": ago(5).strftime("%d/%m/%Y"), "number": "5-QĐ", "org": "T-C"})
    assert response.status_code == 302
    admission.refresh_from_db()
    assert admission.stage == AdmissionStage.ADMITTED
    assert member_of(admission).status == MembershipStatus.PROBATIONARY


def test_the_cell_keeps_the_dossier_from_its_pages(personas):
    admission = candidate(personas.cell_a)
    client = client_for(personas, "alice")
    response = client.post(
        reverse("admission_course", args=[admission.pk]),
        {"course_completed_on": ago(90).strftime("%d/%m/%Y"), "course_certificate": "77/GCN"},
    )
    assert response.status_code == 302
    data = {f"paper_{n}": ago(60).strftime("%d/%m/%Y") for n in (1, 2, 3, 5)}
    assert client.post(reverse("admission_papers", args=[admission.pk]), data).status_code == 302
    url = reverse("admission_resolution", args=[admission.pk])
    response = client.post(url, {"on": ago(30).strftime("%d/%m/%Y"), "number": ""})
    assert "Cần nhập số nghị quyết của chi bộ." in text_of(response)
    response = client.post(url, {"on": ago(30).strftime("%d/%m/%Y"), "number": "3-NQ/CB"})
    assert response.status_code == 302
    admission.refresh_from_db()
    assert admission.stage == AdmissionStage.PROPOSED
    # The charlie of the cell is a plain member: no step for him.
    assert client_for(personas, "charlie").get(url).status_code == 404
    party_life = client_for(personas, "alice").get(reverse("org_party_life", args=["T-A"]))
    assert "Lò Thị Mai" in text_of(party_life)


def test_pages_of_another_cell_answer_404(personas):
    admission = candidate(personas.cell_a)
    bob = client_for(personas, "bob")
    for name in ("admission_detail", "admission_course", "admission_papers", "admission_stop"):
        assert bob.get(reverse(name, args=[admission.pk])).status_code == 404
        assert bob.post(reverse(name, args=[admission.pk]), {"on": "01/01/2025"}).status_code == 404
    assert bob.get(reverse("person_detail", args=[admission.person_id])).status_code == 404


def test_the_member_page_shows_the_admission_and_probation(personas):
    admission = admitted(personas.cell_a, personas.commune, decision=200, ceremony=190)
    page = text_of(
        client_for(personas, "alice").get(reverse("person_detail", args=[admission.person_id]))
    )
    assert "Quá trình sinh hoạt" in page
    assert "Đảng viên dự bị:" in page
    assert f"hết 12 tháng dự bị ngày {add_months(ago(190), 12):%d/%m/%Y}" in page
    assert page.index("Vào danh sách quần chúng ưu tú") < page.index("Được kết nạp vào Đảng")
    assert page.index("Được kết nạp vào Đảng") < page.index("Lễ kết nạp tại Chi bộ xóm Đồng")


def test_demo_has_candidates_and_members_due_soon(demo):
    due = probation_due_list(user=demo.user("bithu1"), orgs=[demo.org("DU-DT-CB01")])
    assert [row.state for row in due] == ["soon"]
    assert Admission.objects.filter(org__code="DU-DT-CB01", stage="studied").count() == 1
    proposed_ones = Admission.objects.filter(stage="proposed", org__code__startswith="DU-DT-")
    assert proposed_ones.count() == 1
    page = text_of(demo.client("danguy").get(reverse("org_detail", args=["DU-DT"])))
    assert "Sắp đến hạn chuyển chính thức" in page
    assert "Sắp đến hạn: còn" in page
    # The secretary is reminded on the home page too; a plain member is not.
    name = due[0].membership.person.full_name
    home = text_of(demo.client("bithu1").get("/"))
    assert "Sắp đến hạn chuyển chính thức:" in home and name in home
    assert name not in text_of(demo.client("dangvien1").get("/"))


def test_papers_of_the_dossier_are_named_as_the_guidance_names_them():
    assert str(PaperForm("1-KNĐ").label) == "Đơn xin vào Đảng"
    assert str(PaperForm("2-KNĐ").label) == "Lý lịch của người xin vào Đảng"
    assert str(PaperForm("3-KNĐ").label) == "Giấy giới thiệu người vào Đảng"
    assert str(PaperForm("6-KNĐ").label) == "Nghị quyết đề nghị kết nạp đảng viên của chi bộ"
    assert str(PaperForm("9-KNĐ").label) == "Quyết định kết nạp đảng viên"
    assert len(PaperForm.values) == 9


def test_probation_of_a_new_cell(personas):
    """A cell created later works the same: nothing depends on the demo's shape."""
    cell = org_create(
        parent=personas.commune, code="T-N", name="Chi bộ xóm Mới", family=Family.PARTY,
        level=Level.BRANCH,
    )  # fmt: skip
    admission = admitted(cell, personas.commune, decision=30, ceremony=20)
    assert member_of(admission).org == cell
