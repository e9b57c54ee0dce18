"""The fee pages with the demo's logins: who sees what, quick entry, the export."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from chibo.core.models import AuditEntry
from chibo.fees.demo import seed_fee_demo
from chibo.fees.ledger import load_accounts
from chibo.fees.models import FeeBasis, FeeExcuse, FeePayment
from chibo.fees.rules.base import add_months, month_start
from chibo.fees.selectors import fee_flags, fee_sheet, party_roll
from chibo.people.models import Membership

CELL = "DU-DT-CB01"


@pytest.fixture
def fees(demo: Any) -> Any:
    seed_fee_demo()
    return demo


def today() -> datetime.date:
    return timezone.localdate()


def open_rows(demo: Any, code: str = CELL) -> list[Any]:
    sheet = fee_sheet(
        user=demo.user("admin"), org=demo.org(code), month=month_start(today()), today=today()
    )
    return sheet.open_rows


def test_the_secretary_sees_the_whole_roll_with_rates(fees: Any) -> None:
    response = fees.client("bithu1").get(f"/orgs/{CELL}/fees/")
    assert response.status_code == 200
    text = response.content.decode()
    for membership in party_roll(org=fees.org(CELL)):
        assert membership.person.full_name in text
    assert 'name="person"' in text
    flagged = fee_flags(user=fees.user("bithu1"), org=fees.org(CELL), today=today())
    assert flagged and all(f.account.person.full_name in text for f in flagged)
    assert "Xem xét đề nghị xóa tên" in text and "Cảnh báo sớm" in text
    assert "Quy định 01-QĐ/TW" in text


def test_quick_entry_marks_the_ticked_members_paid(fees: Any) -> None:
    rows = open_rows(fees)[:2]
    assert len(rows) == 2
    month = month_start(today())
    client = fees.client("bithu1")
    response = client.post(
        f"/orgs/{CELL}/fees/",
        {
            "month": month.strftime("%Y-%m"),
            "person": [str(r.person.pk) for r in rows],
            f"amount-{rows[0].person.pk}": f"{rows[0].rate_amount:,}".replace(",", "."),
            f"amount-{rows[1].person.pk}": "50.000",
            "paid_on": today().strftime("%d/%m/%Y"),
            "method": "cash",
        },
    )
    assert response.status_code == 302
    paid = {p.person_id: p.amount for p in FeePayment.objects.filter(month=month)}
    assert paid[rows[0].person.pk] == rows[0].rate_amount
    assert paid[rows[1].person.pk] == 50_000
    page = client.get(response["Location"])
    assert "Đã ghi 2 đảng viên nộp đảng phí tháng" in page.content.decode()


@pytest.mark.parametrize(
    ("amount", "message"),
    [("mười nghìn", "không phải số tiền"), ("1.000", "thấp hơn mức phải đóng")],
)
def test_a_bad_row_saves_no_row(fees: Any, amount: str, message: str) -> None:
    rows = open_rows(fees)[:3]
    month = month_start(today())
    before = FeePayment.objects.count(), AuditEntry.objects.count()
    response = fees.client("bithu1").post(
        f"/orgs/{CELL}/fees/",
        {
            "month": month.strftime("%Y-%m"),
            "person": [str(r.person.pk) for r in rows],
            f"amount-{rows[1].person.pk}": amount,
            "paid_on": today().strftime("%d/%m/%Y"),
            "method": "cash",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text and rows[1].person.full_name in text
    # What was ticked and typed is still there to correct.
    assert f'value="{amount}"' in text
    assert (FeePayment.objects.count(), AuditEntry.objects.count()) == before


def test_a_missing_payment_date_is_named(fees: Any) -> None:
    rows = open_rows(fees)[:1]
    response = fees.client("bithu1").post(
        f"/orgs/{CELL}/fees/", {"person": [str(rows[0].person.pk)], "method": "cash"}
    )
    assert response.status_code == 200
    assert "Ngày nộp" in response.content.decode()
    assert not FeePayment.objects.filter(person=rows[0].person, month=month_start(today()))


def test_who_may_open_and_write_the_sheet(fees: Any) -> None:
    assert fees.client("dangvien1").get(f"/orgs/{CELL}/fees/").status_code == 403
    assert fees.client("bithu2").get(f"/orgs/{CELL}/fees/").status_code == 404
    assert fees.client("danguy").get(f"/orgs/{CELL}/fees/").status_code == 200
    viewer = fees.client("tinhuy")
    assert viewer.get("/orgs/DU-HLHPN-CB1/fees/").status_code == 200
    rows = open_rows(fees, "DU-HLHPN-CB1")
    before = FeePayment.objects.count()
    response = viewer.post(
        "/orgs/DU-HLHPN-CB1/fees/",
        {"person": [str(rows[0].person.pk)], "paid_on": today().strftime("%d/%m/%Y")},
    )
    assert response.status_code == 403
    assert FeePayment.objects.count() == before


def test_a_committee_sees_each_cell_collection(fees: Any) -> None:
    response = fees.client("danguy").get("/orgs/DU-DT/fees/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Các đơn vị trực thuộc" in text
    assert all(f"/orgs/DU-DT-CB{i:02d}/fees/" in text for i in range(1, 19))


def test_a_women_union_page_has_no_fee_book(fees: Any) -> None:
    response = fees.client("chihoi1").get("/orgs/HLHPN-DT-CH01/fees/")
    assert response.status_code == 200
    assert "Đảng phí chỉ thu ở tổ chức Đảng" in response.content.decode()


# --- a member's account ------------------------------------------------------------------


def member_of(demo: Any, code: str = CELL) -> Any:
    return next(m.person for m in party_roll(org=demo.org(code)) if m.person.user_id is None)


def test_the_secretary_records_advance_payments_and_good_reasons(fees: Any) -> None:
    person = member_of(fees)
    client = fees.client("bithu1")
    page = client.get(f"/people/{person.pk}/fees/")
    assert page.status_code == 200
    assert "Căn cứ tính đảng phí" in page.content.decode()
    next_month = add_months(month_start(today()), 1)
    FeePayment.objects.filter(person=person, month__gte=next_month).update(voided_at=timezone.now())
    response = client.post(
        f"/people/{person.pk}/fees/",
        {
            "action": "pay",
            "pay-first_month": next_month.strftime("%m/%Y"),
            "pay-count": "3",
            "pay-paid_on": today().strftime("%d/%m/%Y"),
            "pay-method": "cash",
        },
    )
    assert response.status_code == 302
    ahead = FeePayment.objects.valid().filter(person=person, month__gte=next_month)
    assert ahead.count() == 3 and all(p.in_advance for p in ahead)


def test_bad_account_input_is_named_and_saves_nothing(fees: Any) -> None:
    person = member_of(fees)
    client = fees.client("bithu1")
    before = (FeeBasis.objects.count(), FeeExcuse.objects.count(), FeePayment.objects.count())
    cases = [
        ({"action": "basis", "basis-valid_from": "13/2026", "basis-category": "salary"},
         "không đúng dạng tháng/năm"),
        ({"action": "basis", "basis-valid_from": "01/2026", "basis-category": "salary",
          "basis-salary": "năm triệu"}, "không phải số tiền"),
        ({"action": "basis", "basis-valid_from": "01/2026", "basis-category": "salary"},
         "Cần nhập tiền lương"),
        ({"action": "excuse", "excuse-month": "01/2026", "excuse-reason": ""},
         "Lý do chính đáng"),
        ({"action": "pay", "pay-first_month": "01/2026", "pay-count": "30",
          "pay-paid_on": today().strftime("%d/%m/%Y"), "pay-method": "cash"}, "từ 1 đến 24"),
        ({"action": "pay", "pay-first_month": "01/2026", "pay-count": "2",
          "pay-paid_on": "31/02/2026", "pay-method": "cash"}, "không đúng dạng ngày"),
        ({"action": "void", "void-payment": "0", "void-reason": "x"}, None),
    ]  # fmt: skip
    for data, message in cases:
        response = client.post(f"/people/{person.pk}/fees/", data)
        if message is None:
            assert response.status_code == 404, data
            continue
        assert response.status_code == 200, data
        assert message in response.content.decode(), data
    after = (FeeBasis.objects.count(), FeeExcuse.objects.count(), FeePayment.objects.count())
    assert after == before


def test_a_plain_member_reads_own_account_only(fees: Any) -> None:
    client = fees.client("dangvien1")
    me = fees.user("dangvien1").person
    page = client.get(f"/people/{me.pk}/fees/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Đây là sổ đảng phí của đồng chí" in text
    assert 'name="action"' not in text
    assert client.post(f"/people/{me.pk}/fees/", {"action": "pay"}).status_code == 403
    assert client.get(f"/people/{member_of(fees).pk}/fees/").status_code == 404


def test_a_women_union_head_does_not_read_party_fees(fees: Any) -> None:
    branch = Membership.objects.current().filter(org__code="HLHPN-DT-CH01")
    party = Membership.objects.current().filter(family="party").values("person")
    both = branch.filter(person__in=party).exclude(person__user__isnull=False).first()
    assert both is not None
    client = fees.client("chihoi1")
    assert client.get(f"/people/{both.person_id}/").status_code == 200
    assert client.get(f"/people/{both.person_id}/fees/").status_code == 403


# --- the committee's export ---------------------------------------------------------------


def test_the_committee_exports_a_quarter(fees: Any) -> None:
    client = fees.client("danguy")
    assert client.get("/orgs/DU-DT/fees/export/").status_code == 200
    last = add_months(month_start(today()), -1)
    quarter = (last.month - 1) // 3 + 1
    response = client.get("/orgs/DU-DT/fees/export/", {"period": f"Q{quarter}/{last.year}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    assert sheet is not None
    rows: list[list[Any]] = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "BÁO CÁO THU ĐẢNG PHÍ"
    assert rows[1][0] == "Đảng bộ xã Đại Từ"
    assert rows[2][0].startswith("Quý ")
    header = rows[4]
    assert header[:4] == ["STT", "Họ và tên", "Chi bộ", "Đối tượng"]
    first = datetime.date(last.year, 3 * quarter - 2, 1)
    left = Membership.objects.filter(
        family="party", org__path__startswith=fees.org("DU-DT").path, ended_on__gte=first,
        end_reason="status",
    )  # fmt: skip
    roll = list(party_roll(org=fees.org("DU-DT"), descendants=True)) + list(left)
    members = [r for r in rows[5:] if isinstance(r[0], int)]
    assert len(members) == len(roll)
    cell_totals = [r for r in rows[5:] if str(r[1]).startswith("Cộng ")]
    assert len(cell_totals) == 18
    grand = rows[-1]
    assert grand[1] == "TỔNG CỘNG Đảng bộ xã Đại Từ"
    months = [add_months(first, i) for i in range(3)]
    paid = sum(
        p.amount
        for p in FeePayment.objects.valid().filter(
            month__in=months, person__in=[m.person_id for m in roll]
        )
    )
    paid_column = header.index("Đã nộp (đồng)")
    assert grand[paid_column] == paid == sum(r[paid_column] for r in cell_totals)
    owed_column = header.index("Số tháng chưa nộp")
    accounts = load_accounts(m.person_id for m in roll)
    assert sum(r[owed_column] for r in members) == sum(
        sum(1 for m in months if accounts[p].state(m, today()).owed) for p in accounts
    )


def test_export_for_committees_only_and_bad_periods_named(fees: Any) -> None:
    assert fees.client("bithu1").get("/orgs/DU-DT-CB01/fees/export/").status_code == 403
    assert fees.client("bithu2").get("/orgs/DU-DT/fees/export/").status_code == 404
    client = fees.client("danguy")
    response = client.get("/orgs/DU-DT/fees/export/", {"period": "quý năm"})
    assert response.status_code == 200
    assert "Kỳ báo cáo “quý năm” không đúng" in response.content.decode()
    csv = client.get("/orgs/DU-DT-CB01/fees/export/", {"period": "2026", "format": "csv"})
    assert csv.status_code == 200
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert text.startswith("STT,Họ và tên,Chi bộ,Đối tượng,Tháng 01/2026")


# --- the hooks in the org page and the home page --------------------------------------------


def test_the_cell_page_and_home_warn_the_secretary(fees: Any) -> None:
    client = fees.client("bithu1")
    flagged = fee_flags(user=fees.user("bithu1"), org=fees.org(CELL), today=today())
    org_page = client.get(f"/orgs/{CELL}/").content.decode()
    assert "Sổ thu đảng phí" in org_page
    assert all(f.account.person.full_name in org_page for f in flagged)
    home = client.get("/").content.decode()
    assert "đảng viên chưa nộp từ 3 tháng trở lên" in home
    assert f"/orgs/{CELL}/fees/" in home


def test_a_plain_member_sees_no_list_of_debtors(fees: Any) -> None:
    client = fees.client("dangvien1")
    flagged = fee_flags(user=fees.user("bithu1"), org=fees.org(CELL), today=today())
    org_page = client.get(f"/orgs/{CELL}/").content.decode()
    assert not any(f.account.person.full_name in org_page for f in flagged)
    home = client.get("/").content.decode()
    assert "Đảng phí của tôi" in home


def test_the_org_page_survives_a_failing_fee_block(fees: Any, monkeypatch: Any) -> None:
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("database gone")

    monkeypatch.setattr("chibo.fees.templatetags.fee_tags.fee_flags", broken)
    response = fees.client("bithu1").get(f"/orgs/{CELL}/")
    assert response.status_code == 200
    assert "Sổ thu đảng phí" not in response.content.decode()
    assert fees.client("bithu1").get("/").status_code == 200
