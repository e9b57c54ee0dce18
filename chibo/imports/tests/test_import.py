"""Member sheets that import: formats, old font encodings, real-life layouts, updates of
people already registered, namesakes asked about, and the command line."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chibo.core.models import AuditEntry
from chibo.imports.encodings import encode_tcvn3, encode_vni
from chibo.imports.services import FileImport, import_members_file, read_table
from chibo.imports.tests.helpers import HEADERS, counts, csv_file, good_row, ods, xlsx
from chibo.imports.validation import NEW
from chibo.orgs.models import Org
from chibo.people.models import Membership, MembershipStatus, Person

# Names no one in the demo bears.
NAMES = [
    "Khổng Văn Nhập", "Quách Thị Ánh Tuyết", "Lạc Hữu Đức", "Mạc Thị Hường", "Ninh Quốc Việt",
]  # fmt: skip


def _rows(names: list[str]) -> list[list[Any]]:
    return [good_row(n, **{"Họ và tên": name}) for n, name in enumerate(names, start=1)]


def imported(path: Path, code: str = "DU-DT", **options: Any) -> FileImport:
    outcome = import_members_file(path=path, org=Org.objects.get(code=code), **options)
    assert outcome.problems == [], [str(p) for p in outcome.problems]
    return outcome


def test_xlsx_with_title_block_total_and_unknown_column(demo, tmp_path):
    headers = (*HEADERS, "Màu áo")
    rows = [[*row, "đỏ"] for row in _rows(NAMES)]
    path = xlsx(tmp_path, rows, headers=headers)
    table = read_table(path, filename=path.name)
    assert table.header_number == 4
    assert table.unknown_headers == ["Màu áo"]
    assert [why for _n, why in table.skipped] == ["dòng đánh số cột", "dòng tổng cộng"]
    before = counts()
    outcome = imported(path)
    assert outcome.written is not None and outcome.written.created == 5
    people = Person.objects.filter(full_name__in=NAMES)
    assert sorted(p.full_name for p in people) == sorted(NAMES)
    ann = Person.objects.get(full_name="Quách Thị Ánh Tuyết")
    assert (ann.family_name, ann.middle_name, ann.given_name) == ("Quách", "Thị Ánh", "Tuyết")
    membership = Membership.objects.get(person=ann, ended_on__isnull=True)
    assert membership.org.code == "DU-DT-CB01"
    assert membership.status == MembershipStatus.OFFICIAL
    assert membership.joined_on == datetime.date(2005, 2, 3)
    assert membership.card_number == "77000002"
    # One audit entry per person, and one for the import.
    assert counts() == (before[0] + 5, before[1] + 5, before[2] + 6)
    entry = AuditEntry.objects.filter(person_id=ann.pk).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert "Chi bộ" in entry.summary and entry.after["citizen_id"] == ann.citizen_id


@pytest.mark.parametrize("maker", ["ods", "csv-utf8", "csv-bom", "csv-semicolon"])
def test_other_formats(demo, tmp_path, maker):
    rows = _rows(NAMES)
    path = {
        "ods": lambda: ods(tmp_path, rows),
        "csv-utf8": lambda: csv_file(tmp_path, rows),
        "csv-bom": lambda: csv_file(tmp_path, rows, encoding="utf-8-sig"),
        "csv-semicolon": lambda: csv_file(tmp_path, rows, delimiter=";"),
    }[maker]()
    imported(path)
    assert Person.objects.filter(full_name__in=NAMES).count() == 5


def test_tcvn3_file_imports_with_unicode_names(demo, tmp_path):
    rows = _rows(NAMES)
    for row in rows:
        row[1] = encode_tcvn3(row[1])
        row[9] = encode_tcvn3(row[9])
    assert rows[0][1] == "Khæng V¨n NhËp"
    path = xlsx(tmp_path, rows)
    table = read_table(path, filename=path.name)
    assert table.encodings["tcvn3"] >= 10
    imported(path)
    found = Person.objects.filter(full_name__in=NAMES).values_list("full_name", flat=True)
    assert sorted(found) == sorted(NAMES)
    assert Person.objects.get(full_name="Lạc Hữu Đức").hometown == "Đại Từ, Thái Nguyên"


def test_vni_file_imports_with_unicode_names(demo, tmp_path):
    rows = _rows(NAMES)
    for row in rows:
        row[1] = encode_vni(row[1])
    assert rows[0][1] == "Khoång Vaên Nhaäp"
    imported(xlsx(tmp_path, rows))
    assert Person.objects.filter(full_name__in=NAMES).count() == 5


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: letters with a modifier are one byte, the tone
    is a combining mark after them."""
    import unicodedata

    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        tone = next(mark for mark in parts if mark in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", parts.replace(tone, ""))
        out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def test_legacy_csv_bytes_tcvn3_and_cp1258(demo, tmp_path):
    from chibo.imports.sheets import sheet_rows, write_csv

    # A whole file typed with .VnTime fonts and saved as CSV: every byte is TCVN3.
    sheet = [
        [encode_tcvn3(cell) if isinstance(cell, str) else cell for cell in row]
        for row in sheet_rows(HEADERS, _rows(NAMES[:2]))
    ]
    path = write_csv(tmp_path / "tcvn3.csv", sheet, encoding="cp1252")
    table = read_table(path, filename=path.name)
    assert table.file_encoding == "cp1258"
    assert table.rows[0].cells[1] == NAMES[0]
    assert table.mapping[8] == "org"
    imported(path)
    assert Person.objects.filter(full_name__in=NAMES[:2]).count() == 2
    windows = _rows(["Đặng Thị Hồng Nhung"])
    windows[0][4] = "019180001001"
    windows[0][3] = "Nữ"
    windows[0][7] = "77009999"
    path = csv_file(tmp_path, windows, name="cp1258.csv")
    path.write_bytes(_cp1258(path.read_text(encoding="utf-8")))
    table = read_table(path, filename=path.name)
    assert table.file_encoding == "cp1258"
    imported(path)
    assert Person.objects.filter(full_name="Đặng Thị Hồng Nhung").exists()


def test_decomposed_unicode_becomes_nfc(demo, tmp_path):
    import unicodedata

    rows = _rows([unicodedata.normalize("NFD", "Nguyễn Thị Hường")])
    rows[0][3] = "Nữ"
    rows[0][4] = "019180001001"
    imported(xlsx(tmp_path, rows))
    assert Person.objects.filter(full_name="Nguyễn Thị Hường").exists()


def test_dates_in_every_accepted_form(demo, tmp_path):
    rows = [
        good_row(1, **{"Ngày sinh": datetime.date(1980, 11, 5), "Ngày vào Đảng": "2005-02-03"}),
        good_row(2, **{"Ngày sinh": "5/11/80", "Ngày vào Đảng": 38386}),
        good_row(3, **{"Ngày sinh": 1980, "Ngày vào Đảng": "3.2.2005", "Ngày chính thức": ""}),
        good_row(4, **{"Ngày sinh": "1980", "Ngày vào Đảng": "03-02-2005"}),
    ]
    imported(xlsx(tmp_path, rows))
    births = dict(
        Person.objects.filter(citizen_id__in=[r[4] for r in rows]).values_list(
            "citizen_id", "birth_date"
        )
    )
    assert births[rows[0][4]] == datetime.date(1980, 11, 5)
    assert births[rows[1][4]] == datetime.date(1980, 11, 5)
    assert births[rows[2][4]] == datetime.date(1980, 1, 1)
    joined = set(
        Membership.objects.filter(card_number__startswith="7700").values_list(
            "joined_on", flat=True
        )
    )
    assert joined == {datetime.date(2005, 2, 3)}


def test_numbers_that_lost_their_leading_zeros(demo, tmp_path):
    headers = (*HEADERS, "Số điện thoại")
    row = [*good_row(1, **{"Số CCCD": 19080001001}), 912345678]
    imported(xlsx(tmp_path, [row], headers=headers))
    person = Person.objects.get(citizen_id="019080001001")
    assert person.phone == "0912345678"


def test_header_variants_and_split_names(demo, tmp_path):
    headers = ("TT", "Họ và tên đệm", "Tên", "Năm sinh", "Nam/Nữ", "CMND/CCCD", "Ngày kết nạp",
               "Số thẻ Đảng", "Đơn vị", "SĐT", "Nơi ở hiện nay")  # fmt: skip
    row = [1, "Hoàng Thị", "Lụa", 1990, "Nữ", "019190001234", "03/02/2015", "123", "CB01",
           "0912345678", "Xóm Đồng, Đại Từ"]  # fmt: skip
    table = read_table(xlsx(tmp_path, [row], headers=headers), filename="x.xlsx")
    expected = "stt family_middle given_name birth_date gender citizen_id joined_on card_number"
    assert table.mapping == [*expected.split(), "org", "phone", "address"]
    org = Org.objects.get(code="DU-DT-CB01")
    row[8] = org.name
    imported(xlsx(tmp_path, [row], headers=headers, name="b.xlsx"))
    person = Person.objects.get(citizen_id="019190001234")
    assert (person.family_name, person.middle_name, person.given_name) == ("Hoàng", "Thị", "Lụa")
    assert person.address == "Xóm Đồng, Đại Từ"
    membership = Membership.objects.get(person=person)
    assert membership.org == org
    # Joined more than a year ago, no official date: official, date unknown.
    assert membership.status == MembershipStatus.OFFICIAL


def test_second_import_updates_instead_of_duplicating(demo, tmp_path):
    rows = _rows(NAMES)
    imported(xlsx(tmp_path, rows))
    before = counts()
    rows[0][9] = "Hà Nội"  # new hometown for the first
    rows[1][1] = "Quách Thị Ánh Tuyết"
    outcome = imported(xlsx(tmp_path, rows, name="lan-2.xlsx"))
    assert outcome.written is not None
    assert (outcome.written.created, outcome.written.updated, outcome.written.unchanged) == (
        0,
        1,
        4,
    )
    assert counts()[:2] == before[:2]
    first = Person.objects.get(citizen_id=rows[0][4])
    assert first.hometown == "Hà Nội"
    update = AuditEntry.objects.filter(person_id=first.pk, action="update").get()
    assert update.before["hometown"] == "Đại Từ, Thái Nguyên"
    assert update.after["hometown"] == "Hà Nội"


def test_existing_member_matched_by_card_without_citizen_id(demo, tmp_path):
    member = (
        Membership.objects.current()
        .filter(org__code="DU-DT-CB04")
        .exclude(card_number="")
        .select_related("person")
        .first()
    )
    assert member is not None
    person = member.person
    row = good_row(
        1,
        **{
            "Họ và tên": person.full_name,
            "Ngày sinh": "",
            "Giới tính": "",
            "Số CCCD": "",
            "Ngày vào Đảng": "",
            "Ngày chính thức": "",
            "Số thẻ đảng viên": member.card_number,
            "Chi bộ": "",
            "Quê quán": "Xóm Mới, Đại Từ",
        },
    )
    before = counts()
    outcome = imported(xlsx(tmp_path, [row]))
    assert outcome.written is not None and outcome.written.updated == 1
    person.refresh_from_db()
    assert person.hometown == "Xóm Mới, Đại Từ"
    assert counts()[:2] == before[:2]
    member.refresh_from_db()
    assert member.is_current and member.org.code == "DU-DT-CB04"


def _namesake_sheet(tmp_path: Path, name: str = "x.xlsx") -> tuple[Person, Path]:
    other = (
        Membership.objects.current()
        .filter(org__code="DU-DT-CB05", person__birth_date__isnull=False)
        .select_related("person")
        .first()
    )
    assert other is not None and other.person.birth_date is not None
    person = other.person
    row = good_row(
        1,
        **{
            "Họ và tên": person.full_name,
            "Ngày sinh": other.person.birth_date.strftime("%d/%m/%Y"),
            "Giới tính": "",
            "Số CCCD": "",
            "Ngày vào Đảng": "",
            "Ngày chính thức": "",
            "Số thẻ đảng viên": "",
            "Chi bộ": "",
        },
    )
    return person, xlsx(tmp_path, [row], name=name)


def test_namesake_is_asked_never_guessed(demo, tmp_path):
    person, path = _namesake_sheet(tmp_path)
    before = counts()
    outcome = import_members_file(path=path, org=Org.objects.get(code="DU-DT"))
    assert counts() == before
    assert [str(p) for p in outcome.problems] == [
        "Dòng 6: có người cùng họ tên và ngày sinh trong hệ thống; cần chọn “cập nhật người "
        "đã có” hoặc “thêm người mới”."
    ]
    assert outcome.plan is not None
    assert [c.person_id for c in outcome.plan.pending[0].candidates] == [person.pk]


def test_namesake_answered_update_or_new(demo, tmp_path):
    person, path = _namesake_sheet(tmp_path)
    namesakes = Person.objects.filter(full_name=person.full_name).count()
    before = counts()
    outcome = imported(path, namesakes="update")
    assert outcome.written is not None and outcome.written.created == 0
    assert counts()[:2] == before[:2]
    outcome = imported(path, namesakes="new")
    assert outcome.written is not None and outcome.written.created == 1
    assert Person.objects.filter(full_name=person.full_name).count() == namesakes + 1


def test_namesake_decision_by_row(demo, tmp_path):
    from chibo.imports.validation import check_table

    _person, path = _namesake_sheet(tmp_path)
    table = read_table(path, filename=path.name)
    org = Org.objects.get(code="DU-DT")
    plan = check_table(table, org=org, user=None, decisions={"6": NEW})
    assert plan.ok and plan.creates == 1


def test_probationary_when_admitted_less_than_a_year_ago(demo, tmp_path):
    recent = (datetime.date.today() - datetime.timedelta(days=90)).strftime("%d/%m/%Y")
    imported(xlsx(tmp_path, [good_row(1, **{"Ngày vào Đảng": recent, "Ngày chính thức": ""})]))
    membership = Membership.objects.get(card_number="77000001")
    assert membership.status == MembershipStatus.PROBATIONARY


# --- the command line ------------------------------------------------------------------------


def test_cli_writes_and_says_so(demo, tmp_path, capsys):
    path = xlsx(tmp_path, _rows(NAMES))
    call_command("import", "members", str(path), "--org", "DU-DT")
    out = capsys.readouterr().out
    assert "dòng tiêu đề 4, 5 dòng dữ liệu" in out
    assert "5 người mới" in out
    assert Person.objects.filter(full_name__in=NAMES).count() == 5


def test_cli_dry_run_writes_nothing(demo, tmp_path, capsys):
    path = xlsx(tmp_path, _rows(NAMES))
    before = counts()
    call_command("import", "members", str(path), "--org", "DU-DT", "--dry-run")
    assert "sẽ thêm 5 người" in capsys.readouterr().out
    assert counts() == before


def test_cli_errors_exit_non_zero_and_write_nothing(demo, tmp_path, capsys):
    path = xlsx(tmp_path, [good_row(1), good_row(2, **{"Ngày sinh": "30/02/1980"})])
    before = counts()
    with pytest.raises(CommandError) as raised:
        call_command("import", "members", str(path), "--org", "DU-DT")
    assert raised.value.returncode == 1
    assert "1 lỗi: chưa ghi gì vào Đảng bộ xã Đại Từ" in str(raised.value)
    assert "Dòng 7, cột “Ngày sinh”" in capsys.readouterr().err
    assert counts() == before


def test_cli_unknown_org_and_missing_file(demo, tmp_path):
    with pytest.raises(CommandError, match="Không có tổ chức mã “KHONG-CO”"):
        call_command("import", "members", str(tmp_path / "a.xlsx"), "--org", "KHONG-CO")
    with pytest.raises(CommandError, match="Không có tệp"):
        call_command("import", "members", str(tmp_path / "a.xlsx"), "--org", "DU-DT")
