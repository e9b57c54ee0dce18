"""The workflow's services on the demo's commune: opening a round, self-assessment,
proposal, decision, reopening and finalising, with a rule set of the tests' own."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from chibo.core.models import AuditEntry
from chibo.core.roles import Role
from chibo.evaluation.models import (
    Grade,
    MemberEvaluation,
    Round,
    RoundStatus,
    Step,
    UnitEvaluation,
)
from chibo.evaluation.selectors import quota_check
from chibo.evaluation.services import (
    Deadlines,
    Proposal,
    SelfAssessment,
    evaluation_decide,
    evaluation_propose,
    evaluation_reopen,
    evaluation_self_submit,
    round_finalise,
    round_open,
    unit_evaluation_decide,
    unit_evaluation_propose,
    unit_evaluation_self_submit,
)
from chibo.evaluation.tests.flow_rules import FLOW_YEAR, flow_rules  # noqa: F401
from chibo.orgs.models import Family, Grant, Level
from chibo.people.models import Membership

REFERENCE = datetime.date(FLOW_YEAR, 12, 1)
SHEET = {"politics": "18", "ethics": "19", "discipline": "18,5", "tasks": "36"}


@pytest.fixture
def round_(demo: Any, request: pytest.FixtureRequest) -> Round:
    request.getfixturevalue("flow_rules")
    return round_open(
        user=demo.user("danguy"),
        org=demo.org("DU-DT"),
        year=FLOW_YEAR,
        reference_date=REFERENCE,
        deadlines=Deadlines(members_self_due=datetime.date(FLOW_YEAR, 12, 10)),
    )


def own(demo: Any, round_: Round, username: str) -> MemberEvaluation:
    return MemberEvaluation.objects.get(round=round_, person__user__username=username)


def province_committee(demo: Any) -> Any:
    """tinhuy, given the province committee's role: opens rounds and grades communes."""
    Grant.objects.create(user=demo.user("tinhuy"), org=demo.org("TU-TN"), role=Role.COMMITTEE)
    return demo.user("tinhuy")


def cell_assessed(demo: Any, round_: Round, code: str = "DU-DT-CB01") -> UnitEvaluation:
    """The cell's own self-assessment, which comes before its members' decisions."""
    cell = UnitEvaluation.objects.get(round=round_, org__code=code)
    return unit_evaluation_self_submit(
        user=demo.user("bithu1" if code == "DU-DT-CB01" else "danguy"), evaluation=cell,
        revision=cell.revision,
        data=SelfAssessment(texts={"leadership": "Lãnh đạo tốt"}, self_grade=Grade.GOOD),
    )  # fmt: skip


@pytest.mark.usefixtures("flow_rules")
def test_open_lists_every_member_and_unit_and_excludes_by_rule(
    demo: Any, django_assert_max_num_queries: Any
) -> None:
    du_dt = demo.org("DU-DT")
    newcomer = Membership.objects.filter(
        org__code="DU-DT-CB03", ended_on__isnull=True, family=Family.PARTY
    ).first()
    assert newcomer is not None
    # Admitted 5 months 29 days before the reference day: not graded.
    Membership.objects.filter(pk=newcomer.pk).update(joined_on=datetime.date(FLOW_YEAR, 6, 2))
    with django_assert_max_num_queries(25):
        opened = round_open(
            user=demo.user("danguy"), org=du_dt, year=FLOW_YEAR, reference_date=REFERENCE
        )
    assert opened.rule_set == "flow_test"
    roll = Membership.objects.filter(
        family=Family.PARTY, org__path__startswith=du_dt.path, started_on__lte=REFERENCE
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=REFERENCE))
    assert (
        MemberEvaluation.objects.filter(round=opened).count()
        == roll.values("person").distinct().count()
    )
    excluded = MemberEvaluation.objects.get(round=opened, person_id=newcomer.person_id)
    assert excluded.excluded_rule == "Quy định thử, vào Đảng chưa đủ 6 tháng"
    units = UnitEvaluation.objects.filter(round=opened)
    assert units.count() == 19
    assert set(units.values_list("org__level", flat=True)) == {Level.BASE, Level.BRANCH}
    entry = AuditEntry.objects.get(subject_type="evaluation.round", subject_id=opened.pk)
    assert "năm 2099" in entry.summary
    with pytest.raises(ValidationError) as error:
        round_open(user=demo.user("danguy"), org=du_dt, year=FLOW_YEAR, reference_date=REFERENCE)
    assert "đã có đợt đánh giá" in str(error.value)


@pytest.mark.usefixtures("flow_rules")
def test_open_needs_the_committee(demo: Any) -> None:
    with pytest.raises(PermissionDenied):
        round_open(
            user=demo.user("tinhuy"),
            org=demo.org("DU-DT"),
            year=FLOW_YEAR,
            reference_date=REFERENCE,
        )
    with pytest.raises(Http404):
        round_open(
            user=demo.user("danguy"), org=demo.org("DU-HLHPN"), year=FLOW_YEAR,
            reference_date=REFERENCE,
        )  # fmt: skip
    assert not Round.objects.filter(year=FLOW_YEAR).exists()


def test_self_assessment_scores_and_refuses_stale_data(demo: Any, round_: Round) -> None:
    mine = own(demo, round_, "dangvien1")
    data = SelfAssessment(
        texts={"politics": "Giữ vững lập trường", "tasks": "Hoàn thành việc được giao"},
        strengths="Gương mẫu",
        shortcomings="Còn chậm",
        score_sheet=SHEET,
    )
    saved = evaluation_self_submit(
        user=demo.user("dangvien1"), evaluation=mine, revision=mine.revision, data=data
    )
    assert str(saved.self_score) == "91.50"
    assert saved.self_grade == Grade.EXCELLENT
    assert saved.revision == mine.revision + 1
    # The form rendered before that save is stale now.
    with pytest.raises(ValidationError) as error:
        evaluation_self_submit(
            user=demo.user("dangvien1"), evaluation=mine, revision=mine.revision, data=data
        )
    assert "vừa được người khác cập nhật" in str(error.value)
    low = {**SHEET, "tasks": "14.49"}
    with pytest.raises(ValidationError) as error:
        evaluation_self_submit(
            user=demo.user("dangvien1"), evaluation=mine, revision=saved.revision,
            data=SelfAssessment(texts={}, self_grade=Grade.GOOD, score_sheet=low),
        )  # fmt: skip
    assert "69.99" in str(error.value)
    with pytest.raises(ValidationError) as error:
        evaluation_self_submit(
            user=demo.user("dangvien1"), evaluation=mine, revision=saved.revision,
            data=SelfAssessment(texts={}, score_sheet={**SHEET, "tasks": "41"}),
        )  # fmt: skip
    assert "Kết quả thực hiện nhiệm vụ" in str(error.value)
    with pytest.raises(PermissionDenied):
        evaluation_self_submit(
            user=demo.user("bithu1"), evaluation=mine, revision=saved.revision, data=data
        )
    with pytest.raises(Http404):
        evaluation_self_submit(
            user=demo.user("bithu2"), evaluation=mine, revision=saved.revision, data=data
        )
    mine.refresh_from_db()
    assert mine.revision == saved.revision
    assert (
        AuditEntry.objects.filter(
            subject_type="evaluation.memberevaluation", subject_id=mine.pk
        ).count()
        == 1
    )


def test_proposal_applies_the_caps(demo: Any, round_: Round) -> None:
    mine = own(demo, round_, "dangvien1")
    bithu1 = demo.user("bithu1")
    with pytest.raises(ValidationError) as error:
        evaluation_propose(
            user=bithu1, evaluation=mine, revision=mine.revision,
            data=Proposal(review_comment="Tốt", proposed_grade=Grade.GOOD, sick_leave_months=3),
        )  # fmt: skip
    assert "Quy định thử, nghỉ ốm từ 3 tháng" in str(error.value)
    discipline = "Khiển trách, Quyết định số 5-QĐ/ĐU"
    with pytest.raises(ValidationError) as error:
        evaluation_propose(
            user=bithu1, evaluation=mine, revision=mine.revision,
            data=Proposal(review_comment="", proposed_grade=Grade.EXCELLENT, discipline=discipline),
        )  # fmt: skip
    assert "bị kỷ luật trong năm" in str(error.value)
    mine.refresh_from_db()
    assert mine.step == Step.SELF and mine.discipline == ""
    saved = evaluation_propose(
        user=bithu1, evaluation=mine, revision=mine.revision,
        data=Proposal(review_comment="Tốt", proposed_grade=Grade.GOOD, discipline=discipline),
    )  # fmt: skip
    assert saved.step == Step.PROPOSED
    assert saved.cap_grade == Grade.GOOD and saved.discipline == discipline
    with pytest.raises(Http404):
        evaluation_propose(
            user=demo.user("bithu2"), evaluation=mine, revision=saved.revision,
            data=Proposal(review_comment="", proposed_grade=Grade.PASS),
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        evaluation_propose(
            user=demo.user("dangvien1"), evaluation=mine, revision=saved.revision,
            data=Proposal(review_comment="", proposed_grade=Grade.EXCELLENT),
        )  # fmt: skip


def test_two_officers_cannot_overwrite_each_other(demo: Any, round_: Round) -> None:
    first = own(demo, round_, "dangvien1")
    second = MemberEvaluation.objects.get(pk=first.pk)
    evaluation_propose(
        user=demo.user("bithu1"), evaluation=first, revision=first.revision,
        data=Proposal(review_comment="Nhận xét thứ nhất", proposed_grade=Grade.GOOD),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        evaluation_propose(
            user=demo.user("danguy"), evaluation=second, revision=second.revision,
            data=Proposal(review_comment="Nhận xét thứ hai", proposed_grade=Grade.PASS),
        )  # fmt: skip
    assert "Hãy tải lại trang" in str(error.value)
    first.refresh_from_db()
    assert first.review_comment == "Nhận xét thứ nhất"


def test_decision_locks_and_reopening_needs_a_reason(demo: Any, round_: Round) -> None:
    cell_assessed(demo, round_)
    mine = own(demo, round_, "dangvien1")
    danguy = demo.user("danguy")
    with pytest.raises(PermissionDenied):
        evaluation_decide(
            user=demo.user("bithu1"), evaluation=mine, revision=None, grade=Grade.GOOD
        )
    decided = evaluation_decide(
        user=danguy, evaluation=mine, revision=mine.revision, grade=Grade.GOOD
    )
    assert decided.is_locked and decided.step == Step.DECIDED
    with pytest.raises(ValidationError) as error:
        evaluation_propose(
            user=demo.user("bithu1"), evaluation=decided, revision=decided.revision,
            data=Proposal(review_comment="", proposed_grade=Grade.PASS),
        )  # fmt: skip
    assert "khóa" in str(error.value)
    with pytest.raises(ValidationError) as error:
        evaluation_reopen(user=danguy, evaluation=decided, reason="  ")
    assert "lý do" in str(error.value)
    reopened = evaluation_reopen(user=danguy, evaluation=decided, reason="Chi bộ báo cáo thiếu")
    assert not reopened.is_locked and reopened.decided_grade == ""
    entry = AuditEntry.objects.filter(
        subject_type="evaluation.memberevaluation", subject_id=mine.pk
    ).latest("pk")
    assert "Chi bộ báo cáo thiếu" in entry.summary
    assert entry.before["reason"] == "Chi bộ báo cáo thiếu"


def test_a_decision_above_the_cap_or_of_an_excluded_member_is_refused(
    demo: Any, round_: Round
) -> None:
    cell_assessed(demo, round_)
    mine = own(demo, round_, "dangvien1")
    MemberEvaluation.objects.filter(pk=mine.pk).update(sick_leave_months=4)
    mine.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        evaluation_decide(
            user=demo.user("danguy"), evaluation=mine, revision=mine.revision, grade=Grade.GOOD
        )
    assert "cao nhất là “Hoàn thành nhiệm vụ” theo Quy định thử, nghỉ ốm từ 3 tháng" in str(
        error.value
    )
    MemberEvaluation.objects.filter(pk=mine.pk).update(excluded_rule="Quy định thử, miễn sinh hoạt")
    mine.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        evaluation_decide(
            user=demo.user("danguy"), evaluation=mine, revision=mine.revision, grade=Grade.PASS
        )
    assert "Không xếp loại" in str(error.value)


def _decide_all(round_: Round, excellent: int) -> list[MemberEvaluation]:
    now = timezone.now()
    gradable = MemberEvaluation.objects.filter(round=round_, excluded_rule="").order_by("pk")
    gradable.update(decided_grade=Grade.GOOD, step=Step.DECIDED, locked_at=now)
    chosen = list(gradable.values_list("pk", flat=True)[:excellent])
    MemberEvaluation.objects.filter(pk__in=chosen).update(decided_grade=Grade.EXCELLENT)
    return list(gradable)


def test_finalise_refuses_undecided_then_quota_and_accepts_exactly_twenty_percent(
    demo: Any, round_: Round
) -> None:
    danguy = demo.user("danguy")
    with pytest.raises(ValidationError) as error:
        round_finalise(user=danguy, round=round_)
    assert "chưa được cấp ủy quyết định" in str(error.value)
    assert "Chi bộ" in str(error.value)
    rows = _decide_all(round_, 0)
    UnitEvaluation.objects.filter(round=round_).update(
        decided_grade=Grade.GOOD, step=Step.DECIDED, locked_at=timezone.now()
    )
    base = len(rows)
    allowed = base // 5
    _decide_all(round_, allowed + 1)
    with pytest.raises(ValidationError) as error:
        round_finalise(user=danguy, round=round_)
    message = str(error.value)
    assert "Đảng bộ xã Đại Từ" in message
    assert f"{allowed + 1} đảng viên xếp loại Hoàn thành xuất sắc nhiệm vụ" in message
    assert f"tối đa {allowed} (20% của {base} đảng viên" in message
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN
    # Exactly 20% (with a base that is a multiple of five) is allowed.
    MemberEvaluation.objects.filter(pk__in=[r.pk for r in rows[: base % 5]]).update(
        excluded_rule="Quy định thử, miễn sinh hoạt"
    )
    base -= base % 5
    _decide_all(round_, base // 5)
    check = quota_check(round_=round_, base=demo.org("DU-DT"))
    assert check.excellent * 5 == check.base and check.headroom == 0
    with pytest.raises(PermissionDenied):
        round_finalise(user=demo.user("tinhuy"), round=round_)
    finished = round_finalise(user=danguy, round=round_)
    assert finished.status == RoundStatus.FINALISED
    assert (
        AuditEntry.objects.filter(subject_type="evaluation.round", subject_id=round_.pk).count()
        == 2
    )


def test_units_are_assessed_by_themselves_and_graded_from_above(demo: Any, round_: Round) -> None:
    cell = UnitEvaluation.objects.get(round=round_, org__code="DU-DT-CB01")
    saved = unit_evaluation_self_submit(
        user=demo.user("bithu1"), evaluation=cell, revision=cell.revision,
        data=SelfAssessment(texts={"leadership": "Lãnh đạo tốt"}, self_grade=Grade.GOOD),
    )  # fmt: skip
    assert saved.self_grade == Grade.GOOD
    with pytest.raises(PermissionDenied):
        unit_evaluation_propose(
            user=demo.user("bithu1"), evaluation=saved, revision=saved.revision, comment="",
            grade=Grade.EXCELLENT,
        )  # fmt: skip
    proposed = unit_evaluation_propose(
        user=demo.user("danguy"), evaluation=saved, revision=saved.revision, comment="Khá tốt",
        grade=Grade.GOOD,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        unit_evaluation_decide(
            user=demo.user("danguy"), evaluation=proposed, revision=proposed.revision,
            grade=Grade.STRONG,
        )  # fmt: skip
    decided = unit_evaluation_decide(
        user=demo.user("danguy"), evaluation=proposed, revision=proposed.revision, grade=Grade.GOOD
    )
    assert decided.is_locked


@pytest.mark.usefixtures("flow_rules")
def test_a_round_nested_in_another_of_the_same_year_is_refused(
    demo: Any, django_assert_max_num_queries: Any
) -> None:
    danguy, tinhuy = demo.user("danguy"), province_committee(demo)
    round_open(user=danguy, org=demo.org("DU-DT"), year=FLOW_YEAR, reference_date=REFERENCE)
    # The province above the commune: its round would count Đại Từ's members twice.
    with pytest.raises(ValidationError) as error:
        round_open(user=tinhuy, org=demo.org("TU-TN"), year=FLOW_YEAR, reference_date=REFERENCE)
    message = " ".join(error.value.message_dict["year"])
    assert "Đảng bộ xã Đại Từ (trực thuộc Đảng bộ tỉnh Thái Nguyên)" in message
    assert f"năm {FLOW_YEAR}" in message
    assert not Round.objects.filter(org__code="TU-TN").exists()
    # A sibling subtree under the same province is no overlap; another year neither.
    with django_assert_max_num_queries(25):
        round_open(user=tinhuy, org=demo.org("DU-HLHPN"), year=FLOW_YEAR, reference_date=REFERENCE)
    round_open(
        user=tinhuy, org=demo.org("TU-TN"), year=FLOW_YEAR - 1,
        reference_date=datetime.date(FLOW_YEAR - 1, 12, 1),
    )  # fmt: skip


@pytest.mark.usefixtures("flow_rules")
def test_a_round_under_a_round_of_the_same_year_is_refused(demo: Any) -> None:
    tinhuy = province_committee(demo)
    round_open(user=tinhuy, org=demo.org("TU-TN"), year=FLOW_YEAR, reference_date=REFERENCE)
    with pytest.raises(ValidationError) as error:
        round_open(
            user=demo.user("danguy"), org=demo.org("DU-DT"), year=FLOW_YEAR,
            reference_date=REFERENCE,
        )  # fmt: skip
    message = " ".join(error.value.message_dict["year"])
    assert "Đảng bộ tỉnh Thái Nguyên đã có đợt đánh giá, xếp loại năm 2099" in message
    assert "Đảng bộ xã Đại Từ" in message
    assert Round.objects.filter(year=FLOW_YEAR).count() == 1


def test_a_member_is_decided_after_the_cells_own_self_assessment(demo: Any, round_: Round) -> None:
    mine = own(demo, round_, "dangvien1")
    danguy = demo.user("danguy")
    with pytest.raises(ValidationError) as error:
        evaluation_decide(user=danguy, evaluation=mine, revision=mine.revision, grade=Grade.GOOD)
    message = " ".join(error.value.message_dict["grade"])
    assert "Chi bộ" in message and "chưa gửi bản tự đánh giá" in message
    assert "tập thể trước, cá nhân sau" in message
    mine.refresh_from_db()
    assert not mine.is_locked and mine.revision == 1
    # Another cell's self-assessment does not open the way for this one's members.
    cell_assessed(demo, round_, "DU-DT-CB02")
    with pytest.raises(ValidationError):
        evaluation_decide(user=danguy, evaluation=mine, revision=mine.revision, grade=Grade.GOOD)
    cell_assessed(demo, round_)
    decided = evaluation_decide(
        user=danguy, evaluation=mine, revision=mine.revision, grade=Grade.GOOD
    )
    assert decided.is_locked


def test_a_unit_is_decided_after_every_unit_below_it(demo: Any, round_: Round) -> None:
    danguy = demo.user("danguy")
    commune = UnitEvaluation.objects.get(round=round_, org__code="DU-DT")
    cells = UnitEvaluation.objects.filter(round=round_).exclude(pk=commune.pk).order_by("org__path")
    assert cells.count() == 18
    # The commune is graded by the province above it.
    tinhuy = province_committee(demo)
    with pytest.raises(ValidationError) as error:
        unit_evaluation_decide(
            user=tinhuy, evaluation=commune, revision=commune.revision, grade=Grade.GOOD
        )
    message = " ".join(error.value.message_dict["grade"])
    assert "Chưa xếp loại Đảng bộ xã Đại Từ" in message
    assert "cấp dưới trước, cấp trên sau" in message and "…" in message
    # A cell has no unit below it: it is decided at once.
    first = cells[0]
    unit_evaluation_decide(user=danguy, evaluation=first, revision=first.revision, grade=Grade.GOOD)
    UnitEvaluation.objects.filter(pk__in=[c.pk for c in cells[1:17]]).update(
        decided_grade=Grade.GOOD, step=Step.DECIDED, locked_at=timezone.now()
    )
    last = cells.get(pk=cells[17].pk)
    with pytest.raises(ValidationError) as error:
        unit_evaluation_decide(
            user=tinhuy, evaluation=commune, revision=commune.revision, grade=Grade.GOOD
        )
    assert last.org.name in str(error.value) and "…" not in str(error.value)
    unit_evaluation_decide(user=danguy, evaluation=last, revision=last.revision, grade=Grade.PASS)
    decided = unit_evaluation_decide(
        user=tinhuy, evaluation=commune, revision=commune.revision, grade=Grade.GOOD
    )
    assert decided.is_locked and decided.decided_grade == Grade.GOOD


def test_cells_merged_during_a_round_keep_their_own_grades(demo: Any, round_: Round) -> None:
    from chibo.orgs.restructuring import org_merge

    source, target = demo.org("DU-DT-CB02"), demo.org("DU-DT-CB01")
    moving = set(
        MemberEvaluation.objects.filter(round=round_, org=source).values_list("pk", flat=True)
    )
    assert moving and UnitEvaluation.objects.filter(round=round_, org=target).exists()
    org_merge(source=source, target=target, on=REFERENCE)
    # Each cell's own evaluation of the year stays with it; its members' go with them.
    assert UnitEvaluation.objects.filter(round=round_, org=source).count() == 1
    assert UnitEvaluation.objects.filter(round=round_, org=target).count() == 1
    assert (
        set(
            MemberEvaluation.objects.filter(round=round_, org=target, pk__in=moving).values_list(
                "pk", flat=True
            )
        )
        == moving
    )
    round_.refresh_from_db()
    assert round_.org == demo.org("DU-DT")
