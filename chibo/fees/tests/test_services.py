"""Fee bases, payments, arrears and the removal warning, on a small tree of our own.

The `personas` tree (conftest): T-A is alice's cell, with charlie; T-B is bob's. Every
date is fixed, so the months due, paid and owed below are counted by hand.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from chibo.core.models import AuditEntry
from chibo.fees.ledger import Account, Flag, load_accounts
from chibo.fees.models import FeeBasis, FeeExcuse, FeePayment
from chibo.fees.rules.base import Area, FeeCategory, WageRegion
from chibo.fees.selectors import fee_flags, fee_report, fee_sheet, party_roll
from chibo.fees.services import (
    BasisData,
    SheetEntry,
    fee_basis_set,
    fee_excuse_record,
    fee_excuse_withdraw,
    fee_months_pay,
    fee_payment_void,
    fee_payments_record,
)
from chibo.people.models import Membership, MembershipStatus
from chibo.people.services import PersonData, membership_create, membership_update, person_create

D = datetime.date
# A farmer in a rural commune: 6,000 đ under 342 (khu vực còn lại), and under 01-QĐ/TW
# 0.3% of 4,140,000 (vùng III) = 12,420 -> 12,000 đ.
FARMER = BasisData(
    valid_from=D(2025, 10, 1), category=FeeCategory.OTHER, area=Area.ELSEWHERE,
    wage_region=WageRegion.III,
)  # fmt: skip
TODAY = D(2026, 3, 15)


def months(*pairs: tuple[int, int]) -> list[D]:
    return [D(year, month, 1) for year, month in pairs]


@pytest.fixture
def cell(personas):
    fee_basis_set(person=personas.charlie, org=personas.cell_a, data=FARMER, today=TODAY)
    return personas


def pay(personas: Any, person: Any, *pairs: tuple[int, int], on: D | None = None) -> None:
    for year, month in pairs:
        fee_months_pay(
            person=person,
            org=personas.cell_a,
            first_month=D(year, month, 1),
            count=1,
            paid_on=on or D(year, month, 10),
            today=TODAY,
        )


def amount(acc: Account, month: D) -> int | None:
    rate = acc.rate_for(month)
    return rate.amount if rate is not None else None


def account(person: Any) -> Account:
    return load_accounts([person.pk])[person.pk]


def test_rates_follow_the_regulation_of_each_month(cell) -> None:
    acc = account(cell.charlie)
    assert amount(acc, D(2025, 10, 1)) == 6_000
    assert amount(acc, D(2026, 1, 1)) == 6_000
    assert amount(acc, D(2026, 2, 1)) == 12_000
    assert acc.rate_for(D(2025, 9, 1)) is None  # before the first basis: not tracked


def test_arrears_run_across_months_and_years(cell) -> None:
    pay(cell, cell.charlie, (2025, 10), (2025, 11))
    acc = account(cell.charlie)
    assert [s.month for s in acc.arrears(TODAY)] == months((2025, 12), (2026, 1), (2026, 2))
    assert acc.state(D(2025, 9, 1), TODAY).due is False
    # March is not over yet: unpaid but not owed.
    march = acc.state(D(2026, 3, 1), TODAY)
    assert march.unpaid and not march.owed
    assert len(acc.year(2025, TODAY).without_reason) == 1
    assert acc.year(2025, TODAY).flag is Flag.NONE
    # Two months of 2026 unpaid without reason: the cell is warned early.
    assert [s.month for s in acc.year(2026, TODAY).without_reason] == months((2026, 1), (2026, 2))
    assert acc.year(2026, TODAY).flag is Flag.WARNING
    assert acc.year(2026, TODAY).due_total == 6_000 + 12_000 * 11
    assert acc.year(2025, TODAY).paid_total == 12_000


def test_three_months_in_a_year_make_a_removal_case(cell) -> None:
    pay(cell, cell.charlie, (2025, 10), (2025, 11), (2025, 12))
    april = D(2026, 4, 10)
    acc = account(cell.charlie)
    assert acc.year(2026, april).flag is Flag.REMOVAL
    # The same three months over two years are two separate years.
    FeePayment.objects.filter(person=cell.charlie, month=D(2025, 12, 1)).update(
        voided_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    )
    acc = account(cell.charlie)
    feb = D(2026, 2, 20)
    assert acc.year(2025, feb).flag is Flag.NONE
    assert acc.year(2026, feb).flag is Flag.NONE
    assert len(acc.arrears(feb)) == 2


def test_a_good_reason_keeps_a_month_out_of_the_count(cell) -> None:
    pay(cell, cell.charlie, (2025, 10), (2025, 11), (2025, 12))
    april = D(2026, 4, 10)
    excuse = fee_excuse_record(
        person=cell.charlie, org=cell.cell_a, month=D(2026, 2, 1), reason="Ốm nặng, nằm viện",
        today=april,
    )  # fmt: skip
    acc = account(cell.charlie)
    year = acc.year(2026, april)
    assert [s.month for s in year.without_reason] == months((2026, 1), (2026, 3))
    assert year.flag is Flag.WARNING
    # Still owed: a good reason is not a payment.
    assert len(acc.arrears(april)) == 3
    fee_excuse_withdraw(excuse=excuse)
    assert account(cell.charlie).year(2026, april).flag is Flag.REMOVAL
    assert (
        AuditEntry.objects.filter(subject_type="fees.feeexcuse", subject_id=excuse.pk).count() == 2
    )


def test_advance_payments_cover_the_months_ahead(cell) -> None:
    pay(cell, cell.charlie, (2025, 10), (2025, 11), (2025, 12), (2026, 1), (2026, 2))
    made = fee_months_pay(
        person=cell.charlie, org=cell.cell_a, first_month=D(2026, 3, 1), count=6,
        paid_on=D(2026, 3, 5), today=TODAY,
    )  # fmt: skip
    assert [p.month for p in made] == months(*[(2026, m) for m in range(3, 9)])
    assert all(p.amount == 12_000 for p in made)
    assert [p.in_advance for p in made] == [False, True, True, True, True, True]
    acc = account(cell.charlie)
    assert acc.arrears(D(2026, 9, 20)) == []
    assert [s.month for s in acc.arrears(D(2026, 10, 20))] == months((2026, 9))
    with pytest.raises(ValidationError) as error:
        fee_months_pay(
            person=cell.charlie, org=cell.cell_a, first_month=D(2026, 8, 1), count=2,
            paid_on=D(2026, 3, 5), today=TODAY,
        )  # fmt: skip
    assert "08/2026" in str(error.value)
    assert FeePayment.objects.filter(person=cell.charlie).count() == 11


def test_paying_arrears_late_clears_them(cell) -> None:
    pay(cell, cell.charlie, (2025, 10), (2025, 11))
    fee_months_pay(
        person=cell.charlie, org=cell.cell_a, first_month=D(2025, 12, 1), count=3,
        paid_on=D(2026, 3, 10), today=TODAY,
    )  # fmt: skip
    acc = account(cell.charlie)
    assert acc.arrears(TODAY) == []
    assert [p.amount for m, p in sorted(acc.payments.items())][2:] == [6_000, 6_000, 12_000]


def test_members_exempt_from_activities_still_pay(cell) -> None:
    membership = Membership.objects.get(person=cell.charlie, ended_on__isnull=True)
    membership_update(
        membership=membership, status=MembershipStatus.EXEMPT, joined_on=membership.joined_on,
        official_on=membership.official_on, card_number="", on=D(2025, 11, 1),
        reason="Tuổi cao, sức khỏe yếu",
    )  # fmt: skip
    acc = account(cell.charlie)
    assert acc.state(D(2026, 1, 1), TODAY).due
    assert len(acc.arrears(TODAY)) == 5
    assert party_roll(org=cell.cell_a).filter(person=cell.charlie).exists()


def test_a_removed_member_owes_nothing_after_removal(cell) -> None:
    membership = Membership.objects.get(person=cell.charlie, ended_on__isnull=True)
    membership_update(
        membership=membership, status=MembershipStatus.REMOVED, joined_on=membership.joined_on,
        official_on=membership.official_on, card_number="", on=D(2025, 12, 20),
        reason="Không đóng đảng phí", decision_number="12-QĐ/ĐU",
    )  # fmt: skip
    acc = account(cell.charlie)
    assert [s.month for s in acc.arrears(TODAY)] == months((2025, 10), (2025, 11), (2025, 12))
    assert not acc.state(D(2026, 1, 1), TODAY).due


def test_the_report_keeps_members_who_left_during_the_period(cell) -> None:
    pay(cell, cell.charlie, (2025, 10))
    membership = Membership.objects.get(person=cell.charlie, ended_on__isnull=True)
    membership_update(
        membership=membership, status=MembershipStatus.DECEASED, joined_on=membership.joined_on,
        official_on=membership.official_on, card_number="", on=D(2025, 11, 20),
    )  # fmt: skip
    dave = cell.user("dave")
    report = fee_report(
        user=dave, org=cell.commune, first=D(2025, 10, 1), last=D(2025, 12, 1), today=TODAY
    )
    (line,) = [
        line for c in report.cells for line in c.lines if line.account.person == cell.charlie
    ]
    assert [s.due for s in line.states] == [True, True, False]
    assert (line.due_total, line.paid_total, len(line.owed_months)) == (12_000, 6_000, 1)
    later = fee_report(
        user=dave, org=cell.commune, first=D(2026, 1, 1), last=D(2026, 3, 1), today=TODAY
    )
    assert all(line.account.person != cell.charlie for c in later.cells for line in c.lines)


def test_full_relief_means_nothing_is_due(cell) -> None:
    fee_basis_set(
        person=cell.charlie, org=cell.cell_a, today=TODAY,
        data=BasisData(
            valid_from=D(2026, 2, 1), category=FeeCategory.OTHER, wage_region=WageRegion.III,
            relief_percent=100, relief_until=D(2026, 12, 1), relief_reason="Hộ nghèo",
        ),
    )  # fmt: skip
    acc = account(cell.charlie)
    assert acc.state(D(2026, 2, 1), TODAY).exempt
    assert not acc.state(D(2026, 2, 1), TODAY).due
    assert [s.month for s in acc.arrears(TODAY)] == months(
        (2025, 10), (2025, 11), (2025, 12), (2026, 1)
    )
    with pytest.raises(ValidationError) as error:
        fee_months_pay(
            person=cell.charlie, org=cell.cell_a, first_month=D(2026, 2, 1), count=1,
            paid_on=TODAY, today=TODAY,
        )  # fmt: skip
    assert "miễn đóng" in str(error.value)


# --- the collection sheet's bulk entry ---------------------------------------------------


def test_sheet_entry_records_each_ticked_member(cell) -> None:
    fee_basis_set(
        person=cell.alice, org=cell.cell_a, today=TODAY,
        data=BasisData(valid_from=D(2026, 1, 1), category=FeeCategory.SALARY, salary=6_000_000),
    )  # fmt: skip
    alice_user = cell.user("alice")
    made = fee_payments_record(
        org=cell.cell_a, month=D(2026, 3, 1), paid_on=D(2026, 3, 12), actor=alice_user,
        entries=[SheetEntry(cell.charlie.pk), SheetEntry(cell.alice.pk, 100_000)], today=TODAY,
    )  # fmt: skip
    assert {(p.person_id, p.amount) for p in made} == {
        (cell.charlie.pk, 12_000),
        (cell.alice.pk, 100_000),
    }
    assert all(p.collected_by == alice_user and p.org == cell.cell_a for p in made)
    entries = AuditEntry.objects.filter(subject_type="fees.feepayment", person_id=cell.charlie.pk)
    assert entries.count() == 1
    assert "03/2026" in entries.get().summary and entries.get().actor == alice_user


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (lambda p: [SheetEntry(p.bob.pk)], "không có trong danh sách đảng viên"),
        (lambda p: [SheetEntry(p.charlie.pk, 5_000)], "thấp hơn mức phải đóng"),
        (lambda p: [SheetEntry(p.charlie.pk), SheetEntry(p.alice.pk)], "chưa có căn cứ"),
        (lambda p: [SheetEntry(p.charlie.pk), SheetEntry(p.charlie.pk)], "hai lần"),
        (lambda p: [SheetEntry(p.charlie.pk, 0)], "lớn hơn 0"),
        (lambda p: [SheetEntry(p.charlie.pk, 120_000_000)], "quá lớn"),
        (lambda p: [], "ít nhất một"),
    ],
)
def test_bad_sheet_entries_write_nothing(cell, entries, message) -> None:
    before = (FeePayment.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as error:
        fee_payments_record(
            org=cell.cell_a, month=D(2026, 3, 1), paid_on=D(2026, 3, 12),
            entries=entries(cell), today=TODAY,
        )  # fmt: skip
    assert message in " ".join(error.value.messages)
    assert (FeePayment.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(
    ("month", "paid_on", "field", "message"),
    [
        (D(2026, 3, 1), D(2026, 3, 16), "paid_on", "tương lai"),
        (D(2010, 3, 1), D(2026, 3, 1), "month", "Chưa có quy định"),
        (D(2027, 5, 1), D(2026, 3, 1), "month", "quá xa"),
    ],
)
def test_bad_months_and_dates_are_named(cell, month, paid_on, field, message) -> None:
    with pytest.raises(ValidationError) as error:
        fee_payments_record(
            org=cell.cell_a, month=month, paid_on=paid_on,
            entries=[SheetEntry(cell.charlie.pk)], today=TODAY,
        )  # fmt: skip
    assert message in " ".join(error.value.message_dict[field])
    assert not FeePayment.objects.exists()


def test_a_month_is_paid_once(cell) -> None:
    pay(cell, cell.charlie, (2026, 3))
    with pytest.raises(ValidationError) as error:
        fee_payments_record(
            org=cell.cell_a, month=D(2026, 3, 1), paid_on=D(2026, 3, 12),
            entries=[SheetEntry(cell.charlie.pk)], today=TODAY,
        )  # fmt: skip
    assert "đã nộp đảng phí tháng 03/2026 rồi" in str(error.value)


def test_a_voided_payment_no_longer_counts(cell) -> None:
    pay(cell, cell.charlie, (2026, 1))
    payment = FeePayment.objects.get(person=cell.charlie, month=D(2026, 1, 1))
    with pytest.raises(ValidationError):
        fee_payment_void(payment=payment, reason="  ")
    fee_payment_void(payment=payment, reason="Ghi nhầm người")
    assert D(2026, 1, 1) in [s.month for s in account(cell.charlie).arrears(TODAY)]
    with pytest.raises(ValidationError):
        fee_payment_void(payment=payment, reason="lần nữa")
    # Kept, marked; and the month can be paid again.
    assert FeePayment.objects.filter(pk=payment.pk, voided_at__isnull=False).exists()
    pay(cell, cell.charlie, (2026, 1))


# --- fee bases -------------------------------------------------------------------------


def test_a_basis_is_checked_against_every_regulation_it_spans(cell) -> None:
    # From 2025 with an area only: fine under 342, but 01-QĐ/TW is in force by TODAY.
    data = BasisData(valid_from=D(2025, 6, 1), category=FeeCategory.OTHER, area=Area.REMOTE)
    with pytest.raises(ValidationError) as error:
        fee_basis_set(person=cell.alice, org=cell.cell_a, data=data, today=TODAY)
    assert "01-QĐ/TW" in error.value.message_dict["wage_region"][0]
    with pytest.raises(ValidationError) as error:
        fee_basis_set(
            person=cell.alice, org=cell.cell_a, today=TODAY,
            data=BasisData(valid_from=D(2025, 6, 1), category=FeeCategory.SICKNESS, benefit=1),
        )  # fmt: skip
    assert "342-QĐ/TW" in error.value.message_dict["category"][0]
    assert not FeeBasis.objects.filter(person=cell.alice).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (BasisData(valid_from=D(2026, 3, 1), category=FeeCategory.SALARY), "salary"),
        (BasisData(valid_from=D(2026, 3, 1), category=FeeCategory.PENSION), "pension"),
        (BasisData(valid_from=D(2026, 3, 1), category=""), "category"),
        (BasisData(valid_from=D(2026, 3, 1), category=FeeCategory.SALARY, salary=-5), "salary"),
        (BasisData(valid_from=D(2026, 3, 1), category=FeeCategory.SALARY,
                   salary=5_000_000_000), "salary"),
        (BasisData(valid_from=D(2026, 3, 1), category=FeeCategory.STUDENT, relief_percent=50,
                   relief_until=D(2026, 5, 1)), "relief_reason"),
        (BasisData(valid_from=D(2026, 3, 1), category=FeeCategory.STUDENT, relief_percent=50,
                   relief_until=D(2026, 1, 1), relief_reason="Hộ cận nghèo"), "relief_until"),
        (BasisData(valid_from=D(2028, 3, 1), category=FeeCategory.STUDENT), "valid_from"),
        (BasisData(valid_from=D(2026, 3, 1), category=FeeCategory.OTHER, wage_region=7),
         "wage_region"),
    ],
)  # fmt: skip
def test_bad_bases_name_the_field(cell, data, field) -> None:
    with pytest.raises(ValidationError) as error:
        fee_basis_set(person=cell.alice, org=cell.cell_a, data=data, today=TODAY)
    assert field in error.value.message_dict
    assert not FeeBasis.objects.filter(person=cell.alice).exists()


def test_a_basis_for_the_same_month_supersedes_the_old_one(cell) -> None:
    newer = BasisData(valid_from=D(2025, 10, 1), category=FeeCategory.PENSION, pension=5_000_000)
    fee_basis_set(person=cell.charlie, org=cell.cell_a, data=newer, today=TODAY)
    rows = FeeBasis.objects.filter(person=cell.charlie)
    assert rows.count() == 2 and rows.active().count() == 1
    assert amount(account(cell.charlie), D(2026, 3, 1)) == 25_000
    entry = AuditEntry.objects.filter(subject_type="fees.feebasis").order_by("-id").first()
    assert entry is not None
    assert entry.before["category"] == "other" and entry.after["category"] == "pension"


def test_only_members_of_the_unit_get_a_basis_there(cell) -> None:
    with pytest.raises(ValidationError) as error:
        fee_basis_set(person=cell.bob, org=cell.cell_a, data=FARMER, today=TODAY)
    assert "person" in error.value.message_dict


@pytest.mark.parametrize(
    ("month", "reason", "field"),
    [
        (D(2026, 2, 1), "   ", "reason"),
        (D(2026, 2, 1), "x" * 301, "reason"),
        (D(2026, 5, 1), "Đi làm xa", "month"),
    ],
)
def test_bad_good_reasons_are_refused(cell, month, reason, field) -> None:
    with pytest.raises(ValidationError) as error:
        fee_excuse_record(
            person=cell.charlie, org=cell.cell_a, month=month, reason=reason, today=TODAY
        )
    assert field in error.value.message_dict
    assert not FeeExcuse.objects.exists()


def test_a_paid_month_needs_no_reason(cell) -> None:
    pay(cell, cell.charlie, (2026, 1))
    with pytest.raises(ValidationError) as error:
        fee_excuse_record(
            person=cell.charlie, org=cell.cell_a, month=D(2026, 1, 1), reason="Ốm", today=TODAY
        )
    assert "không cần lý do" in str(error.value)


# --- lists and their cost --------------------------------------------------------------


def test_flags_list_the_cell_members_behind(cell) -> None:
    alice = cell.user("alice")
    flags = fee_flags(user=alice, org=cell.cell_a, today=D(2026, 4, 10))
    assert [(f.account.person, f.flag) for f in flags] == [(cell.charlie, Flag.REMOVAL)]
    # Bob's cell is outside alice's scope; the commune committee sees its whole subtree.
    assert fee_flags(user=alice, org=cell.cell_b, today=D(2026, 4, 10)) == []
    dave = cell.user("dave")
    assert [
        f.account.person for f in fee_flags(user=dave, org=cell.commune, today=D(2026, 4, 10))
    ] == [cell.charlie]


def test_the_sheet_costs_the_same_for_few_and_many(cell, django_assert_max_num_queries) -> None:
    alice = cell.user("alice")
    with django_assert_max_num_queries(12) as few:
        fee_sheet(user=alice, org=cell.cell_a, month=D(2026, 3, 1), today=TODAY)
    for index in range(15):
        person = person_create(
            data=PersonData(full_name=f"Hoàng Văn Thêm {index}"), org_id=cell.cell_a.pk
        )
        membership_create(
            person=person, org=cell.cell_a, status=MembershipStatus.OFFICIAL,
            joined_on=D(2015, 1, 1),
        )  # fmt: skip
        fee_basis_set(person=person, org=cell.cell_a, data=FARMER, today=TODAY)
        pay(cell, person, (2025, 10), (2025, 11))
    with django_assert_max_num_queries(len(few.captured_queries)):
        sheet = fee_sheet(user=alice, org=cell.cell_a, month=D(2026, 3, 1), today=TODAY)
    assert len(sheet.rows) == 17


def test_bulk_entry_costs_the_same_for_few_and_many(cell, django_assert_max_num_queries) -> None:
    people = []
    for index in range(12):
        person = person_create(
            data=PersonData(full_name=f"Lý Thị Nộp {index}"), org_id=cell.cell_a.pk
        )
        membership_create(
            person=person, org=cell.cell_a, status=MembershipStatus.OFFICIAL,
            joined_on=D(2015, 1, 1),
        )  # fmt: skip
        fee_basis_set(person=person, org=cell.cell_a, data=FARMER, today=TODAY)
        people.append(person)
    with django_assert_max_num_queries(12) as few:
        fee_payments_record(
            org=cell.cell_a, month=D(2026, 1, 1), paid_on=D(2026, 3, 1),
            entries=[SheetEntry(people[0].pk)], today=TODAY,
        )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        made = fee_payments_record(
            org=cell.cell_a, month=D(2026, 2, 1), paid_on=D(2026, 3, 1),
            entries=[SheetEntry(p.pk) for p in people], today=TODAY,
        )  # fmt: skip
    assert len(made) == 12
    assert AuditEntry.objects.filter(subject_type="fees.feepayment").count() == 13
