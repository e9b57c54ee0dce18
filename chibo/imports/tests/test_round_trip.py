"""A real .xls typed with .VnTime fonts; the "Ghi chú" column kept on the membership; and
text a spreadsheet would run as a formula, which our CSV export defuses with an apostrophe
and the import takes off again: what is exported imports back unchanged."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from chibo.core.models import AuditEntry
from chibo.imports.services import describe_format, import_members_file, read_table
from chibo.imports.tests.helpers import counts, csv_file, good_row, xlsx
from chibo.orgs.models import Level, Org
from chibo.orgs.services import org_create
from chibo.people.models import Membership, MembershipStatus, Person

FIXTURES = Path(__file__).parent / "fixtures"


def test_real_xls_in_tcvn3_imports_with_unicode_text_and_notes(demo):
    """tcvn3.xls was written by xlwt (Excel 97-2003, BIFF8) the way a .VnTime sheet looks:
    every text cell, the title and the headers in TCVN3, a merged title, real date cells,
    CCCDs typed as numbers (leading zero lost), a bare birth year, a total line."""
    path = FIXTURES / "tcvn3.xls"
    table = read_table(path, filename=path.name)
    assert describe_format(table) == "Excel 97-2003 (.xls)"
    assert table.header_number == 4
    # The headers too were typed in TCVN3; each read once, as a header reads.
    assert table.headers == [
        "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Ngày vào Đảng",
        "Ngày chính thức", "Số thẻ đảng viên", "Chi bộ", "Quê quán", "Ghi chú",
    ]  # fmt: skip
    assert table.mapping[-1] == "note"
    assert table.encodings["tcvn3"] >= 9 and table.encodings["unicode"] == 0
    assert [why for _n, why in table.skipped] == ["dòng tổng cộng"]
    before = counts()

    outcome = import_members_file(path=path, org=Org.objects.get(code="DU-DT"))

    assert outcome.problems == [], [str(p) for p in outcome.problems]
    assert outcome.written is not None and outcome.written.created == 3
    assert counts() == (before[0] + 3, before[1] + 3, before[2] + 4)
    thuong = Person.objects.get(citizen_id="019078004321")
    assert thuong.full_name == "Hứa Văn Thưởng"
    assert thuong.birth_date == datetime.date(1978, 4, 12)
    assert thuong.hometown == "Xóm Đồng Tâm, Đại Từ"
    membership = Membership.objects.get(person=thuong, ended_on__isnull=True)
    assert membership.org.code == "DU-DT-CB01"
    assert membership.joined_on == datetime.date(2001, 6, 15)
    assert membership.official_on == datetime.date(2002, 6, 15)
    assert membership.card_number == "79000101"
    assert membership.note == "Cựu chiến binh"
    nguyet = Membership.objects.get(person__citizen_id="019185006543", ended_on__isnull=True)
    assert nguyet.person.full_name == "Triệu Thị Nguyệt"
    assert nguyet.note == "Chuyển đến năm 2015"
    hung = Membership.objects.get(person__citizen_id="019090007777", ended_on__isnull=True)
    assert hung.person.full_name == "Đàm Quốc Hưng"
    assert hung.person.birth_date == datetime.date(1990, 1, 1)
    assert hung.org.code == "DU-DT-CB02"
    assert hung.status == MembershipStatus.OFFICIAL and hung.note == ""


def test_a_note_is_stored_updated_and_kept_when_left_empty(demo, tmp_path):
    org = Org.objects.get(code="DU-DT")
    first = xlsx(tmp_path, [good_row(1, **{"Ghi chú": "Miễn đóng đảng phí"})], name="a.xlsx")
    assert import_members_file(path=first, org=org).problems == []
    membership = Membership.objects.get(card_number="77000001", ended_on__isnull=True)
    assert membership.note == "Miễn đóng đảng phí"

    # The same person again with another note: updated, with its audit entry.
    second = xlsx(tmp_path, [good_row(1, **{"Ghi chú": "Đã đóng đủ"})], name="b.xlsx")
    outcome = import_members_file(path=second, org=org)
    assert outcome.written is not None and outcome.written.updated == 1
    membership.refresh_from_db()
    assert membership.note == "Đã đóng đủ"
    assert AuditEntry.objects.filter(person_id=membership.person_id).count() == 2

    # An empty cell keeps what is on record.
    third = xlsx(tmp_path, [good_row(1, **{"Ghi chú": ""})], name="c.xlsx")
    outcome = import_members_file(path=third, org=org)
    assert outcome.written is not None and outcome.written.unchanged == 1
    membership.refresh_from_db()
    assert membership.note == "Đã đóng đủ"


def test_a_note_too_long_is_refused_and_nothing_written(demo, tmp_path):
    rows = [good_row(1), good_row(2, **{"Ghi chú": "x" * 501})]
    before = counts()
    outcome = import_members_file(path=xlsx(tmp_path, rows), org=Org.objects.get(code="DU-DT"))
    assert [str(p) for p in outcome.problems] == [
        "Dòng 7, cột “Ghi chú”: ghi chú dài 501 ký tự, quá 500 ký tự; hãy rút gọn."
    ]
    assert counts() == before and outcome.written is None


# --- export, then import: unchanged ---------------------------------------------------------

# Text a spreadsheet would run as a formula, in a name, an address, a hometown and notes.
AWKWARD = [
    {"Họ và tên": "-Vũ Văn Ất", "Quê quán": "=SUM(A1:A3)", "Ghi chú": "-chuyển đến 2015"},
    {"Quê quán": "+84 xóm Đầm", "Ghi chú": "=1+1"},
    {"Quê quán": "@xóm Bãi", "Ghi chú": "'ghi chú có dấu nháy"},
    {"Quê quán": "- (không rõ)", "Ghi chú": "-"},
]


def _purge(model: Any, pks: list[Any]) -> None:
    """Delete rows and every row that refers to them: the unit is emptied the way a fresh
    database is empty (the product itself never deletes)."""
    if not pks:
        return
    for relation in model._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        related = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": pks})
        _purge(relation.related_model, list(related.values_list("pk", flat=True)))
    model._base_manager.filter(pk__in=pks).delete()


def _records(org: Org) -> list[tuple[Any, ...]]:
    return sorted(
        Membership.objects.filter(org=org, ended_on__isnull=True).values_list(
            "person__full_name",
            "person__birth_date",
            "person__citizen_id",
            "person__hometown",
            "status",
            "joined_on",
            "official_on",
            "card_number",
            "note",
        )
    )


def _import(path: Path, code: str) -> str:
    out = io.StringIO()
    call_command("import", "members", str(path), "--org", code, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_formula_like_text_and_notes_survive_export_and_import(demo, tmp_path, fmt):
    """The sheet comes in as CSV (openpyxl would write "=…" into an .xlsx as a formula),
    goes out as `fmt`, and comes back in from that file."""
    cell = org_create(
        parent=Org.objects.get(code="DU-DT"), code="DU-DT-KH", name="Chi bộ thử khứ hồi",
        family="party", level=Level.BRANCH,
    )  # fmt: skip
    rows = [
        good_row(n, **{"Chi bộ": "DU-DT-KH", **changes}) for n, changes in enumerate(AWKWARD, 1)
    ]
    assert "4 người mới" in _import(csv_file(tmp_path, rows), "DU-DT-KH")
    records = _records(cell)
    assert {record[3] for record in records} == {row[9] for row in rows}
    assert {record[8] for record in records} == {row[10] for row in rows}
    assert any(record[0].startswith("-") for record in records)

    exported = tmp_path / f"ra.{fmt}"
    call_command(
        "export", "members", "--org", "DU-DT-KH", "-o", str(exported), stdout=io.StringIO()
    )
    if fmt == "csv":
        text = exported.read_bytes().decode("utf-8-sig")
        # The export defused every formula-like cell, and only those.
        assert "'=SUM(A1:A3)" in text and "'-chuyển đến 2015" in text and "'@xóm Bãi" in text
        assert "'=1+1" in text and "'+84 xóm Đầm" in text and "''ghi chú" not in text
    table = read_table(exported, filename=exported.name)
    assert "note" in table.mapping

    # The same file again finds everyone and changes nothing.
    assert "0 người mới, 0 cập nhật, 4 không đổi" in _import(exported, "DU-DT-KH")
    assert _records(cell) == records

    # Into an emptied unit: the same people, notes and texts as before.
    _purge(Person, list(Membership.objects.filter(org=cell).values_list("person_id", flat=True)))
    assert _records(cell) == []
    assert "4 người mới, 0 cập nhật" in _import(exported, "DU-DT-KH")
    assert _records(cell) == records


def test_only_the_apostrophe_the_export_adds_is_taken_off(demo, tmp_path):
    rows = [
        good_row(1, **{"Ghi chú": "'=A1"}),  # defused by an export: "=A1"
        good_row(2, **{"Ghi chú": "'abc"}),  # an apostrophe someone typed: kept
        good_row(3, **{"Ghi chú": "''=A1"}),  # not what the export writes: kept
        good_row(4, **{"Ghi chú": "'="}),  # the export never defuses a lone sign
    ]
    outcome = import_members_file(path=csv_file(tmp_path, rows), org=Org.objects.get(code="DU-DT"))
    assert outcome.problems == []
    notes = dict(
        Membership.objects.filter(card_number__in=[row[7] for row in rows]).values_list(
            "card_number", "note"
        )
    )
    assert notes == {"77000001": "=A1", "77000002": "'abc", "77000003": "''=A1", "77000004": "'="}
    # The apostrophe is a CSV matter: an .xlsx cell keeps its text as it is.
    xlsx_rows = [good_row(5, **{"Ghi chú": "'=A1"})]
    path = xlsx(tmp_path, xlsx_rows)
    assert import_members_file(path=path, org=Org.objects.get(code="DU-DT")).problems == []
    assert Membership.objects.get(card_number="77000005").note == "'=A1"
