"""Member list downloads and `chibo export members`: the page's list, as a file the
import reads back."""

from __future__ import annotations

import csv
import datetime
import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from chibo.core.vntext import fold
from chibo.imports.headers import guess_header, match_header
from chibo.orgs.models import Level, Org
from chibo.orgs.services import org_create
from chibo.people.exports import MemberFilters, MemberListExporter, operator
from chibo.people.models import Membership, MembershipStatus, Person
from chibo.people.selectors import ON_ROLL_STATUSES
from chibo.people.services import PersonData, membership_create, person_create

PARTY_HEADERS = [
    "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Dân tộc", "Tôn giáo", "Quê quán",
    "Nơi ở hiện nay", "Nghề nghiệp", "Vị trí việc làm", "Số điện thoại", "Thư điện tử", "Chi bộ",
    "Ngày vào Đảng", "Ngày chính thức", "Số thẻ đảng viên", "Tư cách", "Ghi chú",
]  # fmt: skip
# The field each header must be read back as by the member import.
IMPORT_FIELDS = [
    "stt", "full_name", "birth_date", "gender", "citizen_id", "ethnicity", "religion",
    "hometown", "address", "occupation", "job_position", "phone", "email", "org", "joined_on",
    "official_on", "card_number", "status", "note",
]  # fmt: skip
HEADER_ROW = 5
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def sheet_rows(data: bytes) -> list[list[Any]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def roll(code: str, *, descendants: bool = False) -> list[Membership]:
    """The unit's current members in Vietnamese order, computed without the selector."""
    lookup = {"org__path__startswith": Org.objects.get(code=code).path} if descendants else {}
    memberships = Membership.objects.filter(
        ended_on__isnull=True, status__in=ON_ROLL_STATUSES, **(lookup or {"org__code": code})
    ).select_related("person", "org")
    return sorted(memberships, key=lambda m: (m.person.sort_key, m.person_id))


def as_date(value: Any) -> datetime.date | None:
    return value.date() if isinstance(value, datetime.datetime) else value


def expected_row(number: int, membership: Membership) -> list[Any]:
    person = membership.person
    return [
        number,
        person.full_name,
        person.birth_date,
        {"male": "Nam", "female": "Nữ"}.get(person.gender),
        person.citizen_id,
        person.ethnicity or None,
        person.religion or None,
        person.hometown or None,
        person.address or None,
        person.occupation or None,
        person.job_position or None,
        person.phone or None,
        person.email or None,
        membership.org.code,
        membership.joined_on,
        membership.official_on,
        membership.card_number or None,
        MembershipStatus(membership.status).label,
        membership.note or None,
    ]


def data_rows(rows: list[list[Any]]) -> list[list[Any]]:
    return [[as_date(value) for value in row] for row in rows[HEADER_ROW:]]


# --- the download from the page ---------------------------------------------------------


def test_secretary_downloads_the_cell_as_xlsx_in_vietnamese_order(demo):
    response = demo.client("bithu1").get("/orgs/DU-DT-CB01/members/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    filename = re.search(r'filename="([^"]+)"', response["Content-Disposition"])
    assert filename and re.fullmatch(r"danh-sach-dang-vien-DU-DT-CB01-\d{8}\.xlsx", filename[1])

    rows = sheet_rows(body(response))
    members = roll("DU-DT-CB01")
    assert len(members) >= 10
    assert rows[0][0] == "DANH SÁCH ĐẢNG VIÊN"
    assert rows[1][0] == Org.objects.get(code="DU-DT-CB01").name
    assert re.fullmatch(rf"Tính đến ngày \d\d/\d\d/\d{{4}}: {len(members)} người", rows[2][0])
    assert rows[HEADER_ROW - 1] == PARTY_HEADERS
    assert data_rows(rows) == [expected_row(n, m) for n, m in enumerate(members, start=1)]
    # CCCD numbers keep their leading zeros.
    assert any(str(row[4]).startswith("0") for row in rows[HEADER_ROW:])


def test_csv_has_the_same_rows_as_text(demo):
    client = demo.client("bithu1")
    xlsx = data_rows(sheet_rows(body(client.get("/orgs/DU-DT-CB01/members/export.xlsx"))))
    response = client.get("/orgs/DU-DT-CB01/members/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('.csv"')
    rows = csv_rows(body(response))
    assert rows[0] == PARTY_HEADERS

    def text(value: Any) -> str:
        if isinstance(value, datetime.date):
            return value.strftime("%d/%m/%Y")
        return "" if value is None else str(value)

    assert rows[1:] == [[text(value) for value in row] for row in xlsx]


def test_filters_of_the_page_apply_to_the_download(demo):
    client = demo.client("danguy")
    whole = data_rows(
        sheet_rows(body(client.get("/orgs/DU-DT/members/export.xlsx?descendants=on")))
    )
    members = roll("DU-DT", descendants=True)
    assert [row[1] for row in whole] == [m.person.full_name for m in members]
    assert len({row[13] for row in whole}) == 18  # every cell's code in "Chi bộ"

    target = members[len(members) // 2].person
    typed = fold(f"{target.middle_name} {target.given_name}".strip())
    found = data_rows(
        sheet_rows(
            body(client.get("/orgs/DU-DT/members/export.xlsx", {"q": typed, "descendants": "on"}))
        )
    )
    assert target.full_name in [row[1] for row in found]
    assert all(typed in fold(row[1]) for row in found)
    assert [row[0] for row in found] == list(range(1, len(found) + 1))

    probationary = data_rows(
        sheet_rows(
            body(client.get("/orgs/DU-DT/members/export.xlsx?descendants=on&status=probationary"))
        )
    )
    assert probationary
    assert {row[17] for row in probationary} == {"Dự bị"}
    assert len(probationary) == sum(1 for m in members if m.status == "probationary")

    title = sheet_rows(
        body(client.get("/orgs/DU-DT/members/export.xlsx?descendants=on&status=probationary"))
    )[2][0]
    assert "gồm cả các đơn vị trực thuộc" in title and "tư cách: Dự bị" in title


def test_removed_members_are_exported_when_asked_for_as_on_the_page(demo):
    membership = roll("DU-DT-CB01")[0]
    membership.status, membership.ended_on = MembershipStatus.REMOVED, datetime.date(2025, 3, 1)
    membership.end_reason = "status"
    membership.save()
    client = demo.client("bithu1")
    default = data_rows(sheet_rows(body(client.get("/orgs/DU-DT-CB01/members/export.xlsx"))))
    assert membership.person.full_name not in [row[1] for row in default]
    removed = data_rows(
        sheet_rows(body(client.get("/orgs/DU-DT-CB01/members/export.xlsx?status=removed")))
    )
    assert [row[1] for row in removed] == [membership.person.full_name]
    assert removed[0][17] == "Xóa tên"


def test_womens_union_list_speaks_of_members_and_branches(demo):
    response = demo.client("chihoi1").get("/orgs/HLHPN-DT-CH01/members/export.xlsx")
    rows = sheet_rows(body(response))
    assert rows[0][0] == "DANH SÁCH HỘI VIÊN"
    header = rows[HEADER_ROW - 1]
    assert "Chi hội" in header and "Ngày vào Hội" in header and "Số thẻ hội viên" in header
    assert "Ngày chính thức" not in header
    assert {row[header.index("Tư cách")] for row in rows[HEADER_ROW:]} == {"Đang sinh hoạt"}
    assert len(rows) - HEADER_ROW == len(roll("HLHPN-DT-CH01"))
    assert all(match_header(cell) for cell in header)


def test_the_file_stays_vietnamese_when_the_page_is_in_english(demo):
    client = demo.client("bithu1")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/orgs/DU-DT-CB01/members/")
    assert '<html lang="en">' in page.content.decode()
    rows = sheet_rows(body(client.get("/orgs/DU-DT-CB01/members/export.xlsx")))
    assert rows[0][0] == "DANH SÁCH ĐẢNG VIÊN"
    assert rows[HEADER_ROW - 1] == PARTY_HEADERS
    assert rows[HEADER_ROW][17] in {"Chính thức", "Dự bị"}


def test_the_page_links_both_downloads_with_its_filters_and_without_the_page_number(demo):
    page = demo.client("danguy").get(
        "/orgs/DU-DT/members/", {"q": "nguyen", "descendants": "on", "page": "2"}
    )
    links = re.findall(r'href="([^"]*/export\.[a-z]+[^"]*)"', page.content.decode())
    assert links == [
        "/orgs/DU-DT/members/export.xlsx?q=nguyen&amp;descendants=on",
        "/orgs/DU-DT/members/export.csv?q=nguyen&amp;descendants=on",
    ]
    text = page.content.decode()
    assert "Tải về Excel" in text and "Tải CSV" in text


# --- scoping, bad requests --------------------------------------------------------------


def test_outside_the_scope_is_404_and_a_plain_member_is_403(demo):
    assert demo.client("bithu1").get("/orgs/DU-DT-CB02/members/export.xlsx").status_code == 404
    assert demo.client("bithu1").get("/orgs/DU-DT/members/export.csv").status_code == 404
    assert demo.client("chihoi1").get("/orgs/DU-DT-CB01/members/export.csv").status_code == 404
    assert demo.client("dangvien1").get("/orgs/DU-DT-CB01/members/export.xlsx").status_code == 403
    assert demo.client("tinhuy").get("/orgs/DU-DT-CB01/members/export.csv").status_code == 200


def test_a_download_needs_a_login_a_known_format_and_a_get(demo):
    response = Client().get("/orgs/DU-DT-CB01/members/export.xlsx")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    client = demo.client("bithu1")
    assert client.get("/orgs/DU-DT-CB01/members/export.pdf").status_code == 404
    assert client.get("/orgs/DU-DT-CB01/members/export.").status_code == 404
    assert client.post("/orgs/DU-DT-CB01/members/export.csv").status_code == 405


def test_bad_filters_send_back_to_the_list_with_the_reason_instead_of_a_file(demo):
    client = demo.client("bithu1")
    response = client.get("/orgs/DU-DT-CB01/members/export.xlsx?status=bogus&q=an")
    assert response.status_code == 302
    assert response["Location"] == "/orgs/DU-DT-CB01/members/?status=bogus&q=an"
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "Chưa tải được danh sách: hãy sửa bộ lọc bên dưới." in text
    assert "Tư cách “bogus” không có trong danh sách để lọc." in text


def test_queries_do_not_grow_with_the_list(demo, django_assert_max_num_queries):
    client = demo.client("danguy")
    counts = []
    for url in (
        "/orgs/DU-DT-CB01/members/export.xlsx",
        "/orgs/DU-DT/members/export.xlsx?descendants=on",
        "/orgs/DU-DT/members/export.csv?descendants=on",
    ):
        with django_assert_max_num_queries(12) as captured:
            data = body(client.get(url))
        assert data
        counts.append(len(captured))
    # One count serves the title block and the audit entry, which the CSV needs too.
    assert counts[0] == counts[1] == counts[2]


# --- the exporter itself ----------------------------------------------------------------


def test_exporter_values_are_exactly_the_stored_ones(demo):
    org = Org.objects.get(code="DU-DT-CB03")
    person = person_create(
        data=PersonData(
            full_name="Tôn Nữ Thị Ánh Tuyết",
            gender="female",
            birth_date=datetime.date(1990, 2, 3),
            citizen_id="001190012345",
            phone="0912345678",
            email="tuyet@example.vn",
            ethnicity="Tày",
            religion="Phật giáo",
            hometown="xã Hà Thượng, huyện Đại Từ",
            address='=HYPERLINK("http://x")',
            occupation="Giáo viên",
            job_position="Tổ trưởng chuyên môn",
        ),
        org_id=org.pk,
    )
    membership_create(
        person=person,
        org=org,
        status=MembershipStatus.OFFICIAL,
        joined_on=datetime.date(2015, 5, 19),
        official_on=datetime.date(2016, 5, 19),
        card_number="19150001",
    )
    exporter = MemberListExporter(user=operator(), org=org, filters=MemberFilters(query="tuyet"))
    rows = list(exporter.rows())
    assert exporter.row_count == 1
    assert rows == [
        [
            1, "Tôn Nữ Thị Ánh Tuyết", datetime.date(1990, 2, 3), "Nữ", "001190012345", "Tày",
            "Phật giáo", "xã Hà Thượng, huyện Đại Từ", '=HYPERLINK("http://x")', "Giáo viên",
            "Tổ trưởng chuyên môn", "0912345678", "tuyet@example.vn", "DU-DT-CB03",
            datetime.date(2015, 5, 19), datetime.date(2016, 5, 19), "19150001", "Chính thức", "",
        ]
    ]  # fmt: skip


def test_every_header_is_one_the_import_recognises_and_finds(demo):
    exporter = MemberListExporter(user=operator(), org=Org.objects.get(code="DU-DT-CB01"))
    assert exporter.headers() == PARTY_HEADERS
    assert [match_header(header) for header in PARTY_HEADERS] == IMPORT_FIELDS
    rows = sheet_rows(body(demo.client("bithu1").get("/orgs/DU-DT-CB01/members/export.xlsx")))
    guess = guess_header(rows)
    assert guess is not None and guess.index == HEADER_ROW - 1
    assert list(guess.mapping) == IMPORT_FIELDS


# --- the command line --------------------------------------------------------------------


def test_command_writes_xlsx_and_csv_for_the_operator(demo, tmp_path: Path):
    out = io.StringIO()
    target = tmp_path / "cb01.xlsx"
    call_command("export", "members", "--org", "DU-DT-CB01", "-o", str(target), stdout=out)
    members = roll("DU-DT-CB01")
    assert f"Đã xuất {len(members)} người của" in out.getvalue()
    rows = sheet_rows(target.read_bytes())
    assert data_rows(rows) == [expected_row(n, m) for n, m in enumerate(members, start=1)]

    target = tmp_path / "du-dt.csv"
    call_command(
        "export", "members", "--org", "DU-DT", "--descendants", "--status", "probationary",
        "-o", str(target), stdout=io.StringIO(),
    )  # fmt: skip
    rows = csv_rows(target.read_bytes())
    probationary = [m for m in roll("DU-DT", descendants=True) if m.status == "probationary"]
    assert [row[1] for row in rows[1:]] == [m.person.full_name for m in probationary]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cb01.xlsx", "du-dt.csv"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "KHONG-CO"], "--org: không có tổ chức mã “KHONG-CO”."),
        (["--org", "DU-DT", "--status", "active"], "--status: tư cách “active” không dùng cho"),
        (["--org", "HLHPN-DT", "--status", "official"], "chọn một trong: active (Đang sinh hoạt)"),
    ],
)
def test_command_refuses_bad_options_and_writes_nothing(demo, tmp_path: Path, args, message):
    target = tmp_path / "x.xlsx"
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("export", "members", *args, "-o", str(target))
    assert list(tmp_path.iterdir()) == []


def test_command_refuses_unknown_formats_and_missing_folders(demo, tmp_path: Path):
    with pytest.raises(CommandError, match=r"chỉ xuất được: \.xlsx, \.csv"):
        call_command("export", "members", "--org", "DU-DT", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="không tồn tại"):
        call_command("export", "members", "--org", "DU-DT", "-o", str(tmp_path / "no" / "x.csv"))
    assert list(tmp_path.iterdir()) == []


def test_command_reads_everything_whatever_the_grants(demo, tmp_path: Path):
    """No user runs the command: it is the operator's, so even an org nobody was granted
    (a province of its own) exports."""
    target = tmp_path / "all.csv"
    call_command(
        "export",
        "members",
        "--org",
        "TU-TN",
        "--descendants",
        "-o",
        str(target),
        stdout=io.StringIO(),
    )
    rows = csv_rows(target.read_bytes())
    current = Membership.objects.filter(
        ended_on__isnull=True,
        status__in=ON_ROLL_STATUSES,
        org__path__startswith=Org.objects.get(code="TU-TN").path,
    ).count()
    assert len(rows) - 1 == current
    assert Person.objects.count() > current  # the other trees are not in it


# --- round trip: what is exported imports back unchanged ---------------------------------


def purge(model: Any, pks: list[Any]) -> None:
    """Delete rows and, first, every row that refers to them, whatever app owns it: the
    test empties a unit the way a fresh database is empty (the product never deletes)."""
    if not pks:
        return
    for relation in model._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        related = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": pks})
        purge(relation.related_model, list(related.values_list("pk", flat=True)))
    model._base_manager.filter(pk__in=pks).delete()


def export_file(tmp_path: Path, name: str, *args: str) -> Path:
    target = tmp_path / name
    call_command("export", "members", *args, "-o", str(target), stdout=io.StringIO())
    return target


def file_rows(path: Path) -> list[list[Any]]:
    if path.suffix == ".csv":
        return csv_rows(path.read_bytes())[1:]
    return data_rows(sheet_rows(path.read_bytes()))


PERSON_KEYS = (
    "family_name", "middle_name", "given_name", "full_name", "sort_key", "search_text",
    "gender", "birth_date", "citizen_id", "phone", "email", "ethnicity", "religion",
    "hometown", "address", "occupation", "job_position",
)  # fmt: skip
MEMBERSHIP_KEYS = (
    "org__code", "family", "status", "joined_on", "official_on", "card_number", "note",
)  # fmt: skip


def roll_records(code: str) -> list[tuple[Any, ...]]:
    """Everything the export carries about each member, straight from the tables."""
    rows = Membership.objects.filter(
        ended_on__isnull=True,
        status__in=ON_ROLL_STATUSES,
        org__path__startswith=Org.objects.get(code=code).path,
    ).values_list(*(f"person__{key}" for key in PERSON_KEYS), *MEMBERSHIP_KEYS)
    return sorted(rows, key=lambda row: (row[4], row[3], str(row[8])))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_what_is_exported_imports_back_unchanged(demo, tmp_path: Path, fmt: str):
    """The commune's whole list out, the commune emptied, the file in again (checked with
    --dry-run first, then for real): the same people with the same fields."""
    exported = export_file(tmp_path, f"du-dt.{fmt}", "--org", "DU-DT", "--descendants")
    rows = file_rows(exported)
    records = roll_records("DU-DT")
    assert len(rows) == len(records) > 250

    people = Membership.objects.filter(
        ended_on__isnull=True, org__path__startswith=Org.objects.get(code="DU-DT").path
    ).values_list("person_id", flat=True)
    purge(Person, list(people))
    assert roll_records("DU-DT") == []

    before = {model: model.objects.count() for model in (Person, Membership)}
    out = io.StringIO()
    call_command("import", "members", str(exported), "--org", "DU-DT", "--dry-run", stdout=out)
    assert f"sẽ thêm {len(rows)} người, cập nhật 0 người" in out.getvalue()
    assert {model: model.objects.count() for model in (Person, Membership)} == before

    out = io.StringIO()
    call_command("import", "members", str(exported), "--org", "DU-DT", stdout=out)
    assert f"{len(rows)} người mới, 0 cập nhật" in out.getvalue()
    assert roll_records("DU-DT") == records

    again = export_file(tmp_path, f"again.{fmt}", "--org", "DU-DT", "--descendants")
    assert file_rows(again) == rows

    # And the same file once more finds everyone and changes nothing.
    out = io.StringIO()
    call_command("import", "members", str(exported), "--org", "DU-DT", stdout=out)
    assert f"0 người mới, 0 cập nhật, {len(rows)} không đổi" in out.getvalue()
    assert roll_records("DU-DT") == records


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_awkward_values_survive_the_round_trip(demo, tmp_path: Path, fmt: str):
    """Compound family names, quotes, commas, lone signs, missing dates and papers, every
    status a list can show; in XLSX also text a spreadsheet would run as a formula. (The
    CSV defuses such text with a leading apostrophe, which the import keeps for now.)"""
    formula = fmt == "xlsx"
    cell = org_create(
        parent=Org.objects.get(code="DU-DT"),
        code="DU-DT-RT",
        name="Chi bộ thử khứ hồi",
        family="party",
        level=Level.BRANCH,
    )
    people = [
        (
            PersonData(
                full_name="Tôn Nữ Thị Ánh Tuyết", gender="female",
                birth_date=datetime.date(1990, 2, 3), citizen_id="001190012345",
                phone="0912345678", email="tuyet@example.vn", ethnicity="Tày",
                religion="Phật giáo", hometown='xóm "Gò", xã Hà Thượng',
                address='=HYPERLINK("http://x")' if formula else "Đồi Chè",
                occupation="Giáo viên",
                job_position="Tổ trưởng chuyên môn",
            ),
            MembershipStatus.OFFICIAL, datetime.date(2015, 5, 19), datetime.date(2016, 5, 19),
            "19150001",
        ),
        (
            PersonData(
                full_name="Nguyễn Phúc Bảo Long", gender="male",
                birth_date=datetime.date(2000, 12, 31), address="số 1, đường 2",
                occupation="-", hometown="+84 quê" if formula else "Huế",
            ),
            MembershipStatus.PROBATIONARY, datetime.date(2025, 1, 6), None, "",
        ),
        (
            PersonData(full_name="Hà Văn Ất", gender="male", birth_date=datetime.date(1940, 1, 1)),
            MembershipStatus.EXEMPT, datetime.date(1965, 2, 3), datetime.date(1966, 2, 3), "",
        ),
        (
            PersonData(full_name="Lò Thị Ơn", gender="female",
                       birth_date=datetime.date(1975, 7, 7)),
            MembershipStatus.SUSPENDED, datetime.date(2001, 3, 4), datetime.date(2002, 3, 4),
            "19019999",
        ),
        (
            PersonData(full_name="Vi Văn Đi", gender="male",
                       birth_date=datetime.date(1985, 8, 9), citizen_id="019085000777"),
            MembershipStatus.TRANSFERRED_OUT, datetime.date(2010, 3, 4),
            datetime.date(2011, 3, 4), "19017777",
        ),
    ]  # fmt: skip
    for data, status, joined, official, card in people:
        person = person_create(data=data, org_id=cell.pk)
        membership_create(
            person=person, org=cell, status=status, joined_on=joined, official_on=official,
            card_number=card,
        )  # fmt: skip

    exported = export_file(tmp_path, f"rt.{fmt}", "--org", "DU-DT-RT")
    rows = file_rows(exported)
    records = roll_records("DU-DT-RT")
    assert len(rows) == len(records) == len(people)
    purge(Person, list(Membership.objects.filter(org=cell).values_list("person_id", flat=True)))

    out = io.StringIO()
    call_command("import", "members", str(exported), "--org", "DU-DT-RT", stdout=out)
    assert f"{len(people)} người mới" in out.getvalue()
    assert roll_records("DU-DT-RT") == records
    assert file_rows(export_file(tmp_path, f"again.{fmt}", "--org", "DU-DT-RT")) == rows


def test_a_womens_union_branch_round_trips_too(demo, tmp_path: Path):
    exported = export_file(tmp_path, "ch01.xlsx", "--org", "HLHPN-DT-CH01")
    rows = file_rows(exported)
    records = roll_records("HLHPN-DT-CH01")
    assert len(rows) == len(records) > 50
    branch = Org.objects.get(code="HLHPN-DT-CH01")
    purge(
        Person,
        list(
            Membership.objects.filter(org=branch, ended_on__isnull=True).values_list(
                "person_id", flat=True
            )
        ),
    )
    out = io.StringIO()
    call_command("import", "members", str(exported), "--org", "HLHPN-DT-CH01", stdout=out)
    assert f"{len(rows)} người mới, 0 cập nhật" in out.getvalue()
    assert roll_records("HLHPN-DT-CH01") == records
    assert file_rows(export_file(tmp_path, "again.xlsx", "--org", "HLHPN-DT-CH01")) == rows
