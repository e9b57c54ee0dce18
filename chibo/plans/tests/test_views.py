"""The pages, through Django's test client, as the demo personas."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from chibo.people.models import Person
from chibo.plans.models import (
    Commitment,
    CommitmentStatus,
    Document,
    DocumentRead,
    QuizAttempt,
    StudySession,
    Theme,
    UnitPlan,
)
from chibo.plans.services import (
    DocumentData,
    ThemeData,
    quiz_question_add,
    theme_issue,
)

TODAY = timezone.localdate()


def _theme(demo: Any) -> Theme:
    return theme_issue(
        org=demo.org("DU-DT"),
        data=ThemeData(kind="annual", title="Học Bác về tiết kiệm", year=TODAY.year),
        document=DocumentData(kind="plan", title="Kế hoạch học chuyên đề", body="Nội dung."),
    )


def test_committee_issues_a_theme_with_its_document(demo: Any) -> None:
    client = demo.client("danguy")
    page = client.get("/orgs/DU-DT/plans/themes/new/")
    assert page.status_code == 200
    response = client.post(
        "/orgs/DU-DT/plans/themes/new/",
        {
            "kind": "annual", "title": "Học tập và làm theo Bác về tiết kiệm",
            "year": TODAY.year, "issued_on": TODAY.strftime("%d/%m/%Y"),
            "document_number": "12-KH/ĐU", "document_kind": "plan",
            "document_title": "Kế hoạch học tập chuyên đề năm", "document_body": "Các chi bộ …",
        },
    )  # fmt: skip
    assert response.status_code == 302
    theme = Theme.objects.get(title="Học tập và làm theo Bác về tiết kiệm")
    assert theme.documents.get().number == "12-KH/ĐU"
    # A cell secretary may not issue themes; a cell never does.
    assert demo.client("bithu1").get("/orgs/DU-DT/plans/themes/new/").status_code == 404
    assert demo.client("bithu1").get("/orgs/DU-DT-CB01/plans/themes/new/").status_code == 403


def test_bad_theme_input_names_the_field(demo: Any) -> None:
    response = demo.client("danguy").post(
        "/orgs/DU-DT/plans/themes/new/",
        {"kind": "term", "title": "Toàn khóa", "year": TODAY.year, "end_year": TODAY.year + 9,
         "issued_on": TODAY.strftime("%d/%m/%Y"), "document_kind": "plan"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "không quá một nhiệm kỳ" in response.content.decode()
    assert not Theme.objects.filter(title="Toàn khóa").exists()


def test_cell_records_its_plan_and_a_study_session(demo: Any) -> None:
    theme = _theme(demo)
    client = demo.client("bithu1")
    unit = client.get("/orgs/DU-DT-CB01/plans/")
    assert theme.title in unit.content.decode()
    url = f"/orgs/DU-DT-CB01/plans/themes/{theme.pk}/"
    bad = client.post(url, {"rows": 1, "what-0": "Học", "due-0": "31/02/2026", "who-0": "Chi ủy"})
    assert "không đúng dạng ngày" in bad.content.decode()
    response = client.post(
        url,
        {"rows": 2, "summary": "Toàn chi bộ học", "what-0": "Quán triệt chuyên đề",
         "due-0": f"15/03/{TODAY.year}", "who-0": "Bí thư chi bộ",
         "what-1": "", "due-1": "", "who-1": ""},
    )  # fmt: skip
    assert response.status_code == 302
    plan = UnitPlan.objects.get(org__code="DU-DT-CB01", theme=theme)
    assert [i.what for i in plan.items.all()] == ["Quán triệt chuyên đề"]
    members = [
        p.pk
        for p in Person.objects.filter(
            memberships__org__code="DU-DT-CB01", memberships__ended_on__isnull=True
        )[:3]
    ]
    response = client.post(
        "/orgs/DU-DT-CB01/plans/sessions/new/",
        {"held_on": TODAY.strftime("%d/%m/%Y"), "title": "Học chuyên đề", "theme": theme.pk,
         "attendee": members},
    )  # fmt: skip
    assert response.status_code == 302
    assert StudySession.objects.get(org__code="DU-DT-CB01").attendees.count() == 3
    # The committee sees which cells have a plan.
    page = demo.client("danguy").get(f"/orgs/DU-DT/plans/themes/{theme.pk}/")
    assert "Đã có kế hoạch" in page.content.decode()


def test_member_reads_a_document_and_takes_the_quiz(demo: Any) -> None:
    theme = _theme(demo)
    quiz_question_add(
        theme=theme,
        question="Chỉ thị 05-CT/TW ban hành ngày nào?",
        answer="Ngày 15/5/2016.",
        choices=["15/5/2016", "18/5/2021"],
        correct=0,
    )
    document = Document.objects.get(theme=theme)
    client = demo.client("dangvien1")
    page = client.get(f"/orgs/DU-DT-CB01/library/{document.pk}/")
    assert "Tôi đã đọc" in page.content.decode()
    client.post(f"/orgs/DU-DT-CB01/library/{document.pk}/")
    me = demo.user("dangvien1").person
    assert DocumentRead.objects.filter(document=document, person=me).exists()
    readers = demo.client("bithu1").get(f"/orgs/DU-DT-CB01/library/{document.pk}/")
    assert me.full_name in readers.content.decode()
    question = theme.questions.get()
    right = question.choices.get(correct=True)
    client.post(
        f"/orgs/DU-DT-CB01/plans/themes/{theme.pk}/quiz/",
        {"action": "answer", f"q{question.pk}": right.pk},
    )
    assert QuizAttempt.objects.get(theme=theme, person=me).score == 1
    missing = client.post(f"/orgs/DU-DT-CB01/plans/themes/{theme.pk}/quiz/", {"action": "answer"})
    assert "Câu 1 chưa chọn phương án" in missing.content.decode()


def test_member_writes_and_the_secretary_approves(
    demo: Any, django_assert_max_num_queries: Any
) -> None:
    client = demo.client("dangvien1")
    response = client.post(
        f"/orgs/DU-DT-CB01/commitments/write/?year={TODAY.year}",
        {"job_position": "Nông dân", "commitment_items": "Gương mẫu\nKhông vi phạm",
         "plan_items": "Đọc chuyên đề", "submit": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    commitment = Commitment.objects.get(person__user__username="dangvien1", year=TODAY.year)
    assert commitment.status == CommitmentStatus.SUBMITTED
    # Another cell's secretary does not see it; a member of the cell does not either.
    assert demo.client("bithu2").get(f"/commitments/{commitment.pk}/").status_code == 404
    secretary = demo.client("bithu1")
    response = secretary.post(f"/commitments/{commitment.pk}/", {"action": "return"})
    assert "cần ghi rõ nội dung" in response.content.decode()
    secretary.post(f"/commitments/{commitment.pk}/", {"action": "approve", "comment": "Tốt"})
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.APPROVED
    # The member cannot approve their own.
    assert client.post(f"/commitments/{commitment.pk}/", {"action": "approve"}).status_code == 403
    with django_assert_max_num_queries(20):
        page = secretary.get(f"/orgs/DU-DT-CB01/commitments/?year={TODAY.year}&missing=approved")
    assert page.status_code == 200


def test_compliance_page_runs_the_same_queries_for_a_cell_and_the_commune(
    demo: Any, django_assert_max_num_queries: Any
) -> None:
    client = demo.client("danguy")
    client.get("/orgs/DU-DT-CB01/commitments/")
    with django_assert_max_num_queries(20) as small:
        client.get("/orgs/DU-DT-CB01/commitments/?missing=submitted")
    with django_assert_max_num_queries(20) as large:
        client.get("/orgs/DU-DT/commitments/?missing=submitted")
    assert len(small.captured_queries) == len(large.captured_queries)
    # A plain member reads no one's compliance.
    assert demo.client("dangvien1").get("/orgs/DU-DT-CB01/commitments/").status_code == 403


def test_home_lists_my_commitment(demo: Any) -> None:
    page = demo.client("dangvien1").get("/plans/")
    assert "Viết bản cam kết" in page.content.decode()
    assert page.status_code == 200
    _ = datetime


def test_library_and_theme_pages_run_the_same_queries_for_few_and_many_rows(
    demo: Any, django_assert_max_num_queries: Any
) -> None:
    from chibo.plans.services import PlanItemData, document_add, unit_plan_save

    theme = _theme(demo)
    commune = demo.org("DU-DT")
    client = demo.client("danguy")

    def count(url: str) -> int:
        client.get(url)
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    library_few = count("/orgs/DU-DT-CB05/library/")
    theme_few = count(f"/orgs/DU-DT/plans/themes/{theme.pk}/")
    for n in range(5):
        document_add(
            org=commune,
            theme=theme,
            data=DocumentData(kind="guide", title=f"Hướng dẫn {n}", body="."),
        )
    for code in ("DU-DT-CB01", "DU-DT-CB02", "DU-DT-CB03"):
        unit_plan_save(
            org=demo.org(code), theme=theme, year=TODAY.year, summary="",
            items=[PlanItemData(what="Học", due_on=datetime.date(TODAY.year, 3, 1), who="Chi ủy")],
        )  # fmt: skip
    assert count("/orgs/DU-DT-CB05/library/") == library_few
    assert count(f"/orgs/DU-DT/plans/themes/{theme.pk}/") == theme_few
