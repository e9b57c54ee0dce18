"""Compliance and year-end results against figures computed by hand, with a cell merged
into another in the middle of the year."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from chibo.orgs.models import Family, Level
from chibo.orgs.restructuring import org_merge
from chibo.orgs.services import org_create
from chibo.people.models import Membership, MembershipStatus
from chibo.people.services import PersonData, membership_create, person_create
from chibo.plans.models import Commitment, ItemKind, ItemResult, ReportPeriod
from chibo.plans.selectors import (
    Outcome,
    Stage,
    commitment_compliance,
    commitment_results,
    compliance_missing,
)
from chibo.plans.services import (
    CommitmentData,
    ItemData,
    commitment_report,
    commitment_review,
    commitment_save,
    commitment_submit,
)

YEAR = timezone.localdate().year - 1
JAN = datetime.date(YEAR, 1, 1)
MERGER = datetime.date(YEAR, 7, 1)
DATA = CommitmentData(
    job_position="Trưởng xóm",
    pledge="Gương mẫu thực hiện nhiệm vụ",
    items=[
        ItemData(ItemKind.COMMITMENT, "Không vi phạm quy định những điều đảng viên không được làm"),
        ItemData(ItemKind.COMMITMENT, "Vận động 100% hộ trong xóm đóng góp làm đường"),
        ItemData(ItemKind.PLAN, "Đọc chuyên đề năm, ghi sổ tay theo dõi việc làm theo Bác"),
    ],
)


def _member(name: str, org: Any) -> Any:
    person = person_create(data=PersonData(full_name=name), org_id=org.pk)
    membership_create(
        person=person,
        org=org,
        status=MembershipStatus.OFFICIAL,
        joined_on=datetime.date(2005, 1, 1),
        started_on=JAN,
    )
    return person


def _stage(person: Any, org: Any, stage: str, results: tuple[str, ...] = ()) -> Commitment:
    """Take a member's commitment as far as `stage` ("draft", "submitted", "approved",
    "mid", "end"); `results` are the year-end results of the three items."""
    commitment = commitment_save(person=person, org=org, year=YEAR, data=DATA)
    if stage == "draft":
        return commitment
    commitment = commitment_submit(commitment=commitment)
    if stage == "submitted":
        return commitment
    commitment = commitment_review(commitment=commitment, approve=True)
    if stage == "approved":
        return commitment
    items = list(commitment.items.all())
    mid = {item.pk: (ItemResult.PARTLY, "Đang làm") for item in items}
    commitment = commitment_report(commitment=commitment, period=ReportPeriod.MID, results=mid)
    if stage == "mid":
        return commitment
    end = {
        item.pk: (result, "Đã có kết quả" if result != ItemResult.NOT_DONE else "")
        for item, result in zip(items, results or (ItemResult.DONE,) * 3, strict=True)
    }
    return commitment_report(commitment=commitment, period=ReportPeriod.END, results=end)


@pytest.fixture
def tree(personas: Any) -> dict[str, Any]:
    p = personas
    cell_x = org_create(
        parent=p.commune, code="T-X", name="Chi bộ xóm Xuân", family=Family.PARTY,
        level=Level.BRANCH,
    )  # fmt: skip
    Membership.objects.filter(org__code__startswith="T-").update(started_on=JAN)
    people = {
        "alice": p.alice, "charlie": p.charlie, "bob": p.bob, "dave": p.dave,
        "a3": _member("Hoàng Văn Ba", p.cell_a), "a4": _member("Vũ Thị Tư", p.cell_a),
        "b2": _member("Đỗ Văn Hai", p.cell_b), "b3": _member("Ngô Thị Ba", p.cell_b),
        "x1": _member("Bùi Văn Một", cell_x), "x2": _member("Lý Thị Hai", cell_x),
    }  # fmt: skip
    # T-A: 4 members; alice to the year end, charlie approved, a3 submitted, a4 nothing.
    _stage(people["alice"], p.cell_a, "end")
    _stage(people["charlie"], p.cell_a, "approved")
    _stage(people["a3"], p.cell_a, "submitted")
    # T-B: bob to the year end with one item partly done and one not; b2 a draft only.
    _stage(people["bob"], p.cell_b, "end", (ItemResult.DONE, ItemResult.PARTLY, "not_done"))
    _stage(people["b2"], p.cell_b, "draft")
    # T-X, merged into T-B on 1 July: x1 reported at mid-year, x2 approved.
    _stage(people["x1"], cell_x, "mid")
    _stage(people["x2"], cell_x, "approved")
    # The commune's own secretary, on the commune's roll: reported to the year end.
    _stage(people["dave"], p.commune, "end", (ItemResult.PARTLY,) * 3)
    org_merge(source=cell_x, target=p.cell_b, on=MERGER)
    # A commitment of another year counts for nothing this year.
    commitment_save(person=people["a4"], org=p.cell_a, year=YEAR + 1, data=DATA)
    return {"people": people, "x": cell_x, **vars(p)}


def _row(row: Any) -> tuple[int, int, int, int, int]:
    return (row.members, row.submitted, row.approved, row.mid, row.end)


def test_compliance_by_hand_with_a_cell_merged_during_the_year(tree: dict[str, Any]) -> None:
    commune = tree["commune"]
    result = commitment_compliance(org=commune, year=YEAR)
    by_code = {row.org.code: row for row in result.children}
    #                                    members, submitted, approved, mid, end
    assert _row(by_code["T-A"]) == (4, 3, 2, 1, 1)
    # T-B: bob, b2, b3 and the two members who came from T-X with their commitments.
    assert _row(by_code["T-B"]) == (5, 3, 3, 2, 1)
    # T-X ended on 1 July: nobody is on its roll at the end of the year, and it is not listed.
    assert "T-X" not in by_code
    assert _row(result.own) == (1, 1, 1, 1, 1)
    assert _row(result.total) == (10, 7, 6, 4, 3)
    assert result.total.percent(Stage.SUBMITTED) == 70.0
    # The commitments followed the members into T-B, whose secretary now reviews them.
    assert Commitment.objects.filter(org=tree["x"]).count() == 0
    assert Commitment.objects.filter(org=tree["cell_b"], year=YEAR).count() == 4


def test_compliance_of_a_cell_and_the_names_missing(tree: dict[str, Any]) -> None:
    cell_b = tree["cell_b"]
    result = commitment_compliance(org=cell_b, year=YEAR)
    assert result.children == []
    assert _row(result.total) == (5, 3, 3, 2, 1)
    missing = compliance_missing(org=cell_b, year=YEAR, stage=Stage.SUBMITTED)
    assert missing.count == 2
    assert {m.person.full_name for m in missing.memberships} == {"Đỗ Văn Hai", "Ngô Thị Ba"}
    missing_end = compliance_missing(org=tree["commune"], year=YEAR, stage=Stage.END)
    assert missing_end.count == 7


def test_before_the_merger_the_cell_counted_on_its_own(tree: dict[str, Any]) -> None:
    # Seen on a day before the merger, T-X still has its two members and T-B its three.
    day = datetime.date(YEAR, 6, 30)
    result = commitment_compliance(org=tree["commune"], year=YEAR, today=day)
    assert result.day == day
    by_code = {row.org.code: row for row in result.children}
    assert _row(by_code["T-X"]) == (2, 2, 2, 1, 0)
    assert _row(by_code["T-B"]) == (3, 1, 1, 1, 1)
    assert result.total.members == 10


def test_year_end_results_for_the_evaluation(tree: dict[str, Any]) -> None:
    people = tree["people"]
    results = commitment_results(org=tree["commune"], year=YEAR)
    assert set(results) == {person.pk for person in people.values()}
    assert results[people["alice"].pk].outcome == Outcome.COMPLETED
    bob = results[people["bob"].pk]
    assert (bob.items, bob.done, bob.partly, bob.not_done) == (3, 1, 1, 1)
    assert bob.share_done == pytest.approx(0.5)
    assert bob.outcome == Outcome.MOSTLY
    assert results[people["dave"].pk].outcome == Outcome.MOSTLY
    assert results[people["x1"].pk].outcome == Outcome.NOT_REPORTED
    assert results[people["a3"].pk].outcome == Outcome.NOT_APPROVED
    assert results[people["b3"].pk].outcome == Outcome.MISSING
    assert results[people["a4"].pk].outcome == Outcome.MISSING


def test_a_report_needs_evidence_and_writes_nothing_when_refused(tree: dict[str, Any]) -> None:
    people = tree["people"]
    commitment = Commitment.objects.get(person=people["charlie"], year=YEAR)
    items = list(commitment.items.all())
    results = {item.pk: (ItemResult.DONE, "Có kết quả") for item in items}
    results[items[1].pk] = (ItemResult.DONE, "  ")
    with pytest.raises(ValidationError) as caught:
        commitment_report(commitment=commitment, period=ReportPeriod.END, results=results)
    assert f"item{items[1].pk}" in caught.value.message_dict
    assert "minh chứng" in caught.value.message_dict[f"item{items[1].pk}"][0]
    commitment.refresh_from_db()
    assert commitment.end_reported_at is None
    assert not commitment.items.exclude(end_result="").exists()
