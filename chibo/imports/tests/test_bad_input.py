"""Every class of bad input: a clear Vietnamese message naming row, column and problem, and
nothing written. Each case is a sheet with good rows around one broken row (or a broken
file), imported into the demo's Đại Từ commune (DU-DT)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from chibo.imports.parsing import build_table, read_raw
from chibo.imports.services import import_members_file
from chibo.imports.tests.helpers import HEADERS, counts, future, good_row, xlsx
from chibo.imports.validation import check_table
from chibo.orgs.models import Level, Org, OrgStatus
from chibo.orgs.services import org_create, org_end
from chibo.people.models import Membership

# The data rows start under the two title lines, a blank line, the header and the
# "(1) (2) …" line: the first person is on row 6 of the sheet, the second on row 7.
FIRST, SECOND = 6, 7


def run(path: Path, code: str = "DU-DT") -> list[str]:
    before = counts()
    outcome = import_members_file(path=path, org=Org.objects.get(code=code))
    assert counts() == before, "rows were written despite the errors"
    assert outcome.written is None
    return [str(problem) for problem in outcome.problems]


def bad_second_row(tmp_path: Path, **changes: Any) -> list[str]:
    return run(xlsx(tmp_path, [good_row(1), good_row(2, **changes), good_row(3)]))


def only(problems: list[str]) -> str:
    assert len(problems) == 1, problems
    return problems[0]


CASES: list[tuple[str, dict[str, Any], str]] = [
    (
        "impossible date",
        {"Ngày sinh": "31/02/1980"},
        f"Dòng {SECOND}, cột “Ngày sinh”: “31/02/1980” không có trong lịch",
    ),
    (
        "not a date",
        {"Ngày vào Đảng": "mùa xuân 2005"},
        f"Dòng {SECOND}, cột “Ngày vào Đảng”: “mùa xuân 2005” không phải ngày hợp lệ",
    ),
    (
        "future birth date",
        {"Ngày sinh": future(), "Số CCCD": ""},
        f"Dòng {SECOND}, cột “Ngày sinh”: ngày {future()} ở tương lai.",
    ),
    (
        "future admission",
        {"Ngày vào Đảng": future(), "Ngày chính thức": ""},
        f"Dòng {SECOND}, cột “Ngày vào Đảng”: ngày {future()} ở tương lai.",
    ),
    (
        "a bare year where a full date is needed",
        {"Ngày vào Đảng": "2005"},
        f"Dòng {SECOND}, cột “Ngày vào Đảng”: “2005” chỉ có năm",
    ),
    (
        "admission before the 18th birthday",
        {"Ngày vào Đảng": "03/02/1997", "Ngày chính thức": "03/02/1998"},
        f"Dòng {SECOND}, cột “Ngày vào Đảng”: Ngày vào Đảng 03/02/1997 trước khi đủ 18 tuổi.",
    ),
    (
        "official date less than 12 months after admission",
        {"Ngày chính thức": "03/10/2005"},
        f"Dòng {SECOND}, cột “Ngày chính thức”: Ngày chính thức 03/10/2005 chưa đủ 12 tháng",
    ),
    (
        "CCCD of 11 digits",
        {"Số CCCD": "01908000100"},
        f"Dòng {SECOND}, cột “Số CCCD”: Số CCCD phải gồm đúng 12 chữ số",
    ),
    (
        "CCCD with letters",
        {"Số CCCD": "01908000A002"},
        f"Dòng {SECOND}, cột “Số CCCD”: Số CCCD phải gồm đúng 12 chữ số",
    ),
    (
        "CCCD with an unknown province code",
        {"Số CCCD": "099080001002"},
        f"Dòng {SECOND}, cột “Số CCCD”: Số CCCD “099080001002” có mã tỉnh",
    ),
    (
        "CCCD of another birth year",
        {"Số CCCD": "019090001002"},
        f"Dòng {SECOND}, cột “Số CCCD”: Số CCCD “019090001002” ứng với năm sinh 1990",
    ),
    (
        "unknown unit",
        {"Chi bộ": "Chi bộ xóm Không Có"},
        f"Dòng {SECOND}, cột “Chi bộ”: không có đơn vị “Chi bộ xóm Không Có” trong",
    ),
    (
        "unit outside the subtree",
        {"Chi bộ": "DU-HLHPN-CB1"},
        f"Dòng {SECOND}, cột “Chi bộ”: không có đơn vị “DU-HLHPN-CB1”",
    ),
    (
        "unknown gender",
        {"Giới tính": "Không rõ"},
        f"Dòng {SECOND}, cột “Giới tính”: “Không rõ” không phải giới tính",
    ),
    (
        "no name",
        {"Họ và tên": ""},
        f"Dòng {SECOND}, cột “Họ và tên”: thiếu họ và tên.",
    ),
]


@pytest.mark.parametrize(("what", "changes", "message"), CASES, ids=[c[0] for c in CASES])
def test_broken_row(demo, tmp_path, what, changes, message):
    assert only(bad_second_row(tmp_path, **changes)).startswith(message)


def test_same_citizen_id_twice_in_the_file(demo, tmp_path):
    rows = [good_row(1), good_row(2, **{"Số CCCD": good_row(1)[4]})]
    assert only(run(xlsx(tmp_path, rows))) == (
        f"Dòng {SECOND}, cột “Số CCCD”: Số CCCD 019080001001 trùng với dòng {FIRST}."
    )


def test_same_card_twice_in_the_file(demo, tmp_path):
    rows = [good_row(1), good_row(2), good_row(3, **{"Số thẻ đảng viên": "77000002"})]
    assert only(run(xlsx(tmp_path, rows))) == (
        f"Dòng {SECOND + 1}, cột “Số thẻ đảng viên”: Số thẻ 77000002 trùng với dòng {SECOND}."
    )


def _member_of(code: str) -> Membership:
    found = (
        Membership.objects.current()
        .filter(org__code=code, person__citizen_id__isnull=False)
        .exclude(card_number="")
        .select_related("person")
        .first()
    )
    assert found is not None and found.person.birth_date is not None
    return found


def test_citizen_id_already_in_another_unit(demo, tmp_path):
    other = _member_of("DU-HLHPN-CB1")
    person = other.person
    row = good_row(
        2,
        **{
            "Họ và tên": person.full_name,
            "Ngày sinh": f"{person.birth_date:%d/%m/%Y}",
            "Giới tính": "Nữ" if person.gender == "female" else "Nam",
            "Số CCCD": person.citizen_id,
            "Ngày vào Đảng": "",
            "Ngày chính thức": "",
            "Số thẻ đảng viên": "",
        },
    )
    problem = only(run(xlsx(tmp_path, [good_row(1), row])))
    assert problem.startswith(
        f"Dòng {SECOND}, cột “Số CCCD”: người này đang sinh hoạt ở một đơn vị khác, ngoài "
        "Đảng bộ xã Đại Từ"
    )
    # The other unit is not named: the uploader may not see it.
    assert other.org.name not in problem


def test_card_already_in_another_unit(demo, tmp_path):
    other = _member_of("DU-HLHPN-CB2")
    row = good_row(2, **{"Số thẻ đảng viên": other.card_number})
    problem = only(run(xlsx(tmp_path, [good_row(1), row])))
    assert problem.startswith(f"Dòng {SECOND}, cột “Số thẻ đảng viên”: số thẻ")
    assert "đã cấp cho một người khác" in problem


def test_card_held_by_someone_in_another_unit_without_citizen_id(demo, tmp_path):
    other = _member_of("DU-HLHPN-CB3")
    row = good_row(2, **{"Số thẻ đảng viên": other.card_number, "Số CCCD": ""})
    problem = only(run(xlsx(tmp_path, [good_row(1), row])))
    assert problem.startswith(
        f"Dòng {SECOND}, cột “Số thẻ đảng viên”: người này đang sinh hoạt ở một đơn vị khác"
    )


def test_a_member_listed_in_another_cell_of_the_subtree(demo, tmp_path):
    member = _member_of("DU-DT-CB02")
    person = member.person
    row = good_row(
        2,
        **{
            "Họ và tên": person.full_name,
            "Ngày sinh": f"{person.birth_date:%d/%m/%Y}",
            "Giới tính": "Nữ" if person.gender == "female" else "Nam",
            "Số CCCD": person.citizen_id,
            "Ngày vào Đảng": "",
            "Ngày chính thức": "",
            "Số thẻ đảng viên": "",
            "Chi bộ": "DU-DT-CB03",
        },
    )
    problem = only(run(xlsx(tmp_path, [good_row(1), row])))
    assert problem.startswith(f"Dòng {SECOND}, cột “Chi bộ”: người này đang sinh hoạt ở ")
    assert "chuyển sinh hoạt" in problem


def test_closing_status_is_refused(demo, tmp_path):
    headers = (*HEADERS, "Tư cách")
    rows = [[*good_row(1), "Chính thức"], [*good_row(2), "Xóa tên"]]
    problem = only(run(xlsx(tmp_path, rows, headers=headers)))
    assert problem.startswith(f"Dòng {SECOND}, cột “Tư cách”: tư cách “Xóa tên” kết thúc")


def test_unknown_status(demo, tmp_path):
    headers = (*HEADERS, "Tư cách")
    rows = [[*good_row(1), "Chính thức"], [*good_row(2), "Ưu tú"]]
    problem = only(run(xlsx(tmp_path, rows, headers=headers)))
    assert problem.startswith(f"Dòng {SECOND}, cột “Tư cách”: “Ưu tú” không phải tư cách")
    assert "Dự bị" in problem


def test_bad_phone(demo, tmp_path):
    headers = (*HEADERS, "SĐT")
    rows = [[*good_row(1), "0912345678"], [*good_row(2), "12345"]]
    problem = only(run(xlsx(tmp_path, rows, headers=headers)))
    assert problem.startswith(f"Dòng {SECOND}, cột “SĐT”: Số điện thoại “12345” không hợp lệ")


def test_several_errors_are_all_reported(demo, tmp_path):
    rows = [
        good_row(1, **{"Ngày sinh": "30/02/1980"}),
        good_row(2),
        good_row(3, **{"Số CCCD": "123", "Chi bộ": "Không có"}),
    ]
    problems = run(xlsx(tmp_path, rows))
    assert len(problems) == 3
    assert [p.split(",")[0] for p in problems] == [f"Dòng {FIRST}", "Dòng 8", "Dòng 8"]


# --- broken files --------------------------------------------------------------------------


def test_no_header_in_the_first_ten_rows(demo, tmp_path):
    path = xlsx(tmp_path, [good_row(1)], title=[f"Dòng {n}" for n in range(1, 11)])
    problem = only(run(path))
    assert problem.startswith("Không tìm thấy dòng tiêu đề trong 10 dòng đầu")


def test_not_a_spreadsheet(demo, tmp_path):
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(b"this is not a zip file at all" * 10)
    problem = only(run(path))
    assert problem.startswith("Tệp không mở được như một bảng tính Excel (.xlsx)")


def test_unsupported_extension(demo, tmp_path):
    path = tmp_path / "danh-sach.docx"
    path.write_bytes(b"x")
    assert only(run(path)) == (
        "Tệp “danh-sach.docx” không đọc được: chỉ nhận .xlsx, .xls, .ods hoặc .csv."
    )


def test_no_name_column(demo, tmp_path):
    headers = ("STT", "Ngày sinh", "Số CCCD", "Chi bộ")
    path = xlsx(tmp_path, [[1, "05/11/1980", "019080001001", "DU-DT-CB01"]], headers=headers)
    assert only(run(path)).startswith("Không tìm thấy dòng tiêu đề")


def test_mapping_without_a_name_and_with_a_field_twice(demo, tmp_path):
    path = xlsx(tmp_path, [good_row(1)])
    raw = read_raw(path, fmt="xlsx")
    guessed = build_table(raw).mapping
    mapping = ["birth_date" if key == "full_name" else key for key in guessed]
    plan = check_table(
        build_table(raw, mapping=mapping), org=Org.objects.get(code="DU-DT"), user=None
    )
    messages = [str(p) for p in plan.problems]
    assert "Hai cột “Họ và tên” và “Ngày sinh” cùng được gán là “Ngày sinh”." in messages
    assert "Chưa có cột họ và tên: hãy chọn cột nào là “Họ và tên”." in messages
    assert not plan.rows


def test_nothing_is_written_when_the_last_row_is_bad(demo, tmp_path):
    rows = [good_row(n) for n in range(1, 9)] + [good_row(9, **{"Ngày sinh": "x"})]
    problems = run(xlsx(tmp_path, rows))
    assert len(problems) == 1
    assert not Membership.objects.filter(card_number="77000001").exists()
    assert datetime.date.today()


# --- more classes: the CCCD against the gender, units, years, serials, associations ------


def test_citizen_id_of_the_other_gender(demo, tmp_path):
    # 019080001002 is a man's (fourth digit 0); the row says Nữ.
    problem = only(bad_second_row(tmp_path, **{"Giới tính": "Nữ"}))
    assert problem == (
        f"Dòng {SECOND}, cột “Số CCCD”: Số CCCD “019080001002” không khớp với giới tính đã khai."
    )


def test_unit_name_matching_two_units(demo, tmp_path):
    commune = Org.objects.get(code="DU-DT")
    for code, name in (("DU-DT-TM1", "Chi bộ Thôn Mới"), ("DU-DT-TM2", "Đảng bộ Thôn Mới")):
        org_create(parent=commune, code=code, name=name, family="party", level=Level.BRANCH)
    problem = only(bad_second_row(tmp_path, **{"Chi bộ": "Thôn Mới"}))
    assert problem == (
        f"Dòng {SECOND}, cột “Chi bộ”: “Thôn Mới” khớp với nhiều đơn vị (DU-DT-TM1, "
        "DU-DT-TM2); hãy ghi mã đơn vị."
    )


def test_unit_that_has_ended(demo, tmp_path):
    cell = org_create(
        parent=Org.objects.get(code="DU-DT"), code="DU-DT-CU", name="Chi bộ xóm Cũ",
        family="party", level=Level.BRANCH,
    )  # fmt: skip
    org_end(org=cell, status=OrgStatus.DISSOLVED, on=datetime.date(2025, 7, 1))
    problem = only(bad_second_row(tmp_path, **{"Chi bộ": "DU-DT-CU"}))
    assert problem == (
        f"Dòng {SECOND}, cột “Chi bộ”: Chi bộ xóm Cũ đã kết thúc hoạt động, không thể thêm "
        "thành viên."
    )


def test_birth_year_out_of_range(demo, tmp_path):
    problem = only(bad_second_row(tmp_path, **{"Ngày sinh": "1890", "Số CCCD": ""}))
    assert problem == f"Dòng {SECOND}, cột “Ngày sinh”: năm “1890” không hợp lệ"


def test_a_number_that_is_no_date(demo, tmp_path):
    problem = only(bad_second_row(tmp_path, **{"Ngày chính thức": 12}))
    assert problem == f"Dòng {SECOND}, cột “Ngày chính thức”: số “12” không phải ngày"


def test_probationary_standing_in_a_womens_union(demo, tmp_path):
    headers = ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chi hội", "Tư cách")
    rows = [
        [1, "Hà Thị Mận", "02/03/1970", "Nữ", "HLHPN-DT-CH01", "Đang sinh hoạt"],
        [2, "Hà Thị Đào", "02/03/1972", "Nữ", "HLHPN-DT-CH01", "Dự bị"],
    ]
    problem = only(run(xlsx(tmp_path, rows, headers=headers), code="HLHPN-DT"))
    assert problem.startswith(f"Dòng {SECOND}, cột “Tư cách”: “Dự bị” không phải tư cách của ")
    assert "Đang sinh hoạt" in problem


def test_one_registered_person_on_two_rows(demo, tmp_path):
    member = _member_of("DU-DT-CB01")
    person = member.person
    same = {
        "Họ và tên": person.full_name,
        "Ngày sinh": f"{person.birth_date:%d/%m/%Y}",
        "Giới tính": "Nữ" if person.gender == "female" else "Nam",
        "Ngày vào Đảng": "",
        "Ngày chính thức": "",
    }
    rows = [
        good_row(1, **same, **{"Số CCCD": person.citizen_id, "Số thẻ đảng viên": ""}),
        good_row(2, **same, **{"Số CCCD": "", "Số thẻ đảng viên": member.card_number}),
    ]
    assert only(run(xlsx(tmp_path, rows))) == f"Dòng {SECOND}: cùng một người với dòng {FIRST}."


def test_a_namesake_left_unanswered(demo, tmp_path):
    member = _member_of("DU-DT-CB02")
    person = member.person
    row = good_row(
        2,
        **{
            "Họ và tên": person.full_name,
            "Ngày sinh": f"{person.birth_date:%d/%m/%Y}",
            "Giới tính": "Nữ" if person.gender == "female" else "Nam",
            "Số CCCD": "",
            "Ngày vào Đảng": "",
            "Ngày chính thức": "",
            "Số thẻ đảng viên": "",
            "Chi bộ": "DU-DT-CB02",
        },
    )
    problem = only(run(xlsx(tmp_path, [good_row(1), row])))
    assert problem == (
        f"Dòng {SECOND}: có người cùng họ tên và ngày sinh trong hệ thống; cần chọn “cập nhật "
        "người đã có” hoặc “thêm người mới”."
    )


def test_an_empty_csv_file(demo, tmp_path):
    path = tmp_path / "danh-sach.csv"
    path.write_bytes(b"")
    assert only(run(path)).startswith("Không tìm thấy dòng tiêu đề trong 10 dòng đầu")


def test_a_csv_that_is_not_text(demo, tmp_path):
    path = tmp_path / "danh-sach.csv"
    path.write_bytes(bytes(range(256)) * 4)
    assert only(run(path)).startswith("Không tìm thấy dòng tiêu đề trong 10 dòng đầu")


def test_a_csv_with_a_giant_cell(demo, tmp_path):
    path = tmp_path / "danh-sach.csv"
    text = ",".join(HEADERS) + "\r\n" + ",".join(str(c) for c in good_row(1)) + "\r\n"
    path.write_text(text + '2,"' + "x" * 200_000 + '"\r\n', encoding="utf-8")
    assert only(run(path)).startswith("Tệp CSV không đọc được ở dòng 3 (field larger than")
