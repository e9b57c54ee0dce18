"""The party life of the demo commune: candidates on the way in, probationary members whose
twelve months end within the month, a teacher's transfer in progress and a member away
studying. Dates are relative to today, like the rest of the demo; a random generator of
its own keeps the rest of the demo unchanged.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from chibo.core.audit import snapshot
from chibo.core.models import AuditEntry
from chibo.orgs.models import Family, Org
from chibo.people.admissions import (
    ADMISSION_FIELDS,
    admission_open_for,
    admission_record_cell_resolution,
    admission_record_course,
    admission_record_papers,
)
from chibo.people.models import (
    Admission,
    AdmissionPaper,
    AdmissionStage,
    Gender,
    Membership,
    MembershipStatus,
    PaperForm,
    Person,
    Position,
    TemporaryPurpose,
    TransferKind,
)
from chibo.people.party_rules import add_months, add_working_days
from chibo.people.seeding import add_years
from chibo.people.transfers import TransferRequest, transfer_introduce, transfer_request

if TYPE_CHECKING:
    from chibo.people.demo import _DemoBuilder, _Seat

SEED = 20250702
# Days until the twelve months of probation end, for the members the cells are reminded of.
DUE_IN = (9, 19, 27)


@dataclass
class _Probation:
    seat: _Seat
    decision: datetime.date
    ceremony: datetime.date


def prepare_probation(builder: _DemoBuilder) -> list[_Probation]:
    """Before the people are saved: give a few probationary members of the commune's cells
    admission dates whose probation ends within the month (one in Đồng Tiến, bithu1's)."""
    today = builder.today
    commune_cells = {cell.code for cell in builder.cells}
    party_seats = [
        seat
        for seat in builder.seats
        if seat.values["family"] == Family.PARTY
        and seat.org.code in commune_cells
        and seat.person.full_name not in _persona_names()
    ]
    chosen: list[_Seat] = []
    first_cell = builder.cells[0].code
    in_first = [
        s
        for s in party_seats
        if s.org.code == first_cell and s.values["status"] == MembershipStatus.PROBATIONARY
    ]
    if not in_first:
        in_first = [
            s
            for s in party_seats
            if s.org.code == first_cell
            and s.values["status"] == MembershipStatus.OFFICIAL
            and s.person.birth_date is not None
            and 22 <= today.year - s.person.birth_date.year <= 32
        ]
    chosen += in_first[:1]
    used_cells = {first_cell}
    for seat in sorted(party_seats, key=lambda s: s.org.code):
        if len(chosen) == len(DUE_IN):
            break
        if (
            seat.values["status"] == MembershipStatus.PROBATIONARY
            and seat.org.code not in used_cells
        ):
            chosen.append(seat)
            used_cells.add(seat.org.code)
    plan = []
    for seat, days in zip(chosen, DUE_IN, strict=False):
        ceremony = add_months(today + datetime.timedelta(days=days), -12)
        decision = ceremony - datetime.timedelta(days=6)
        seat.values.update(
            status=MembershipStatus.PROBATIONARY,
            joined_on=decision,
            started_on=decision,
            official_on=None,
            card_number="",
        )
        plan.append(_Probation(seat=seat, decision=decision, ceremony=ceremony))
    return plan


def _persona_names() -> frozenset[str]:
    from chibo.people.demo import PERSONA_NAMES

    return PERSONA_NAMES


def build_party_life(builder: _DemoBuilder, plan: list[_Probation]) -> None:
    rng = random.Random(SEED)
    commune = builder.commune
    _admitted(builder, plan, commune, rng)
    _candidates(builder, rng)
    _transfers(builder)


def _admitted(
    builder: _DemoBuilder, plan: list[_Probation], commune: Org, rng: random.Random
) -> None:
    """The dossiers of the probationary members due soon, as the commune keeps them."""
    admissions = []
    papers = []
    for number, item in enumerate(plan, start=1):
        person = item.seat.person
        membership = Membership.objects.get(person=person, family=Family.PARTY, ended_on=None)
        resolution = item.decision - datetime.timedelta(days=rng.randint(20, 35))
        listed = add_months(resolution, -rng.randint(10, 16))
        course = add_months(listed, rng.randint(2, 5))
        admission = Admission(
            person=person,
            org=item.seat.org,
            stage=AdmissionStage.ADMITTED,
            listed_on=listed,
            course_completed_on=course,
            course_certificate=f"{rng.randint(100, 980)}/GCN-TTCT",
            course_provider="Trung tâm Chính trị huyện Đại Từ",
            cell_resolution_on=resolution,
            cell_resolution_number=f"{rng.randint(5, 40)}-NQ/CB",
            decision_on=item.decision,
            decision_number=f"{100 + number * 7}-QĐ/ĐU",
            decided_by=commune,
            ceremony_on=item.ceremony,
            membership=membership,
        )
        admissions.append(admission)
        young = person.birth_date is not None and item.decision.year - person.birth_date.year < 30
        received = {
            PaperForm.APPLICATION: resolution - datetime.timedelta(days=40),
            PaperForm.BIOGRAPHY: resolution - datetime.timedelta(days=33),
            PaperForm.INTRODUCTION: resolution - datetime.timedelta(days=30),
            PaperForm.OPINIONS: resolution - datetime.timedelta(days=12),
            PaperForm.CELL_RESOLUTION: resolution,
            PaperForm.BASE_RESOLUTION: item.decision - datetime.timedelta(days=3),
            PaperForm.DECISION: item.decision,
        }
        if young:
            received[PaperForm.UNION_RESOLUTION] = resolution - datetime.timedelta(days=30)
        papers.append(received)
    Admission.objects.bulk_create(admissions)
    AdmissionPaper.objects.bulk_create(
        AdmissionPaper(admission=admission, form=form, received_on=day)
        for admission, received in zip(admissions, papers, strict=True)
        for form, day in received.items()
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(
            action=AuditEntry.Action.CREATE,
            subject_type=admission._meta.label_lower,
            subject_id=admission.pk,
            org_id=admission.org_id,
            person_id=admission.person_id,
            summary=f"Hồ sơ kết nạp {admission.person.full_name}",
            after=snapshot(admission, ADMISSION_FIELDS),
        )
        for admission in admissions
    )


def _women_to_propose(branch: Org, today: datetime.date) -> Person | None:
    """A woman of the branch, of an age to join, who is not a party member."""
    party = Membership.objects.filter(family=Family.PARTY).values("person_id")
    candidates = (
        Person.objects.filter(
            memberships__org=branch,
            memberships__ended_on__isnull=True,
            gender=Gender.FEMALE,
            birth_date__lte=add_years(today, -24),
            birth_date__gte=add_years(today, -38),
        )
        .exclude(pk__in=party)
        .exclude(admissions__isnull=False)
        .order_by("pk")
    )
    return candidates.first()


# (cell index, branch index, stage to reach, note)
CANDIDATES: tuple[tuple[int, int, str, str], ...] = (
    (0, 0, AdmissionStage.STUDIED, "Chi hội phó Chi hội Phụ nữ xóm"),
    (2, 2, AdmissionStage.PROPOSED, "Bí thư Chi đoàn xóm"),
    (6, 6, AdmissionStage.CANDIDATE, "Tổ trưởng tổ hợp tác chè"),
)


def _candidates(builder: _DemoBuilder, rng: random.Random) -> None:
    today = builder.today
    for cell_index, branch_index, stage, note in CANDIDATES:
        person = _women_to_propose(builder.branches[branch_index], today)
        if person is None:
            continue
        cell = builder.cells[cell_index]
        months = {"candidate": 2, "studied": 9}.get(str(stage), 14)
        admission = admission_open_for(
            org=cell, person=person, listed_on=add_months(today, -months), note=note
        )
        if stage == AdmissionStage.CANDIDATE:
            continue
        course = add_months(today, -months + 4)
        admission = admission_record_course(
            admission=admission,
            completed_on=course,
            certificate=f"{rng.randint(100, 980)}/GCN-TTCT",
            provider="Trung tâm Chính trị huyện Đại Từ",
        )
        gathered = course + datetime.timedelta(days=30)
        forms: dict[str, Any] = {
            PaperForm.APPLICATION: gathered,
            PaperForm.BIOGRAPHY: gathered + datetime.timedelta(days=20),
        }
        if stage == AdmissionStage.PROPOSED:
            forms[PaperForm.INTRODUCTION] = gathered + datetime.timedelta(days=25)
            forms[PaperForm.OPINIONS] = gathered + datetime.timedelta(days=60)
        admission = admission_record_papers(admission=admission, received=forms)
        if stage == AdmissionStage.PROPOSED:
            admission_record_cell_resolution(
                admission=admission,
                on=today - datetime.timedelta(days=18),
                number=f"{rng.randint(5, 40)}-NQ/CB",
            )


def _member_of(cell: Org, *, occupation: str = "") -> Membership | None:
    officers = Position.objects.filter(org=cell).values("person_id")
    memberships = (
        Membership.objects.current()
        .filter(org=cell, status=MembershipStatus.OFFICIAL)
        .exclude(person_id__in=officers)
        .exclude(person__user__isnull=False)
        .select_related("person", "org")
        .order_by("pk")
    )
    if occupation:
        memberships = memberships.filter(person__occupation=occupation)
    return memberships.first()


def _transfers(builder: _DemoBuilder) -> None:
    today = builder.today
    secondary, primary = builder.cells[15], builder.cells[16]
    teacher = _member_of(secondary, occupation="Giáo viên") or _member_of(secondary)
    if teacher is not None:
        transfer = transfer_request(
            membership=teacher,
            request=TransferRequest(
                kind=TransferKind.OFFICIAL,
                cause_on=add_working_days(today - datetime.timedelta(days=40), 1),
                reason="Chuyển công tác sang Trường Tiểu học Đại Từ",
                target=primary,
            ),
        )
        transfer_introduce(
            transfer=transfer,
            on=today - datetime.timedelta(days=12),
            letter_number="57-GGT/ĐU",
        )
    office = builder.cells[13]
    student = _member_of(office, occupation="Công chức") or _member_of(office)
    if student is not None:
        start = today - datetime.timedelta(days=75)
        transfer = transfer_request(
            membership=student,
            request=TransferRequest(
                kind=TransferKind.TEMPORARY,
                purpose=TemporaryPurpose.STUDY,
                cause_on=start - datetime.timedelta(days=14),
                reason="Được cử đi học lớp Trung cấp lý luận chính trị tập trung",
                target_text="Chi bộ lớp Trung cấp lý luận chính trị K42, Trường Chính trị tỉnh",
                starts_on=start,
                ends_on=add_months(start, 8),
            ),
        )
        transfer_introduce(
            transfer=transfer, on=start - datetime.timedelta(days=5), letter_number="41-GGT/ĐU"
        )
