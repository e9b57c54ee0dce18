"""`chibo bench import`: a 100,000-row member sheet imported end to end, against what bounds it.

Four numbers on the same generated .xlsx (header on the first row, so that every
contender can read it):
1. reading it bare with python-calamine (what no import can beat),
2. a bare bulk insert of the same people and memberships (the database's share),
3. our import end to end (read, convert, check, match, write with audit entries),
4. django-import-export importing the same file into Person/Membership, the way its
   documentation sets a resource up (an optional `bench` extra; skipped, and said so,
   when it is not installed).

Everything is written inside a transaction that is rolled back, so the benchmark leaves
the database as it found it.
"""

from __future__ import annotations

import datetime
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.bench import machine, table
from chibo.core.vntext import fold, join_name, name_sort_key
from chibo.imports.services import import_members_file
from chibo.orgs.models import Family, Level, Org
from chibo.orgs.services import org_create
from chibo.people.models import Membership, MembershipStatus, Person
from chibo.people.names import ETHNICITIES_LOWLAND, NameMaker, phone_number
from chibo.people.seeding import CitizenIds, admission_dates, birth_day

DEFAULT_ROWS = 100_000
TARGET_RATE = 5_000  # rows per second, end to end, on SQLite (issue 3)
ROOT_CODE = "BENCH-NHAP"
IE_ROWS = 20_000
CELLS = 40
HEADERS = (
    "STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Ngày vào Đảng", "Ngày chính thức",
    "Số thẻ đảng viên", "Chi bộ", "Dân tộc", "Quê quán", "Nghề nghiệp", "Số điện thoại",
    "Địa chỉ",
)  # fmt: skip
Say = Callable[[str], None]


class _Rollback(Exception):
    pass


def generate_rows(count: int, *, cells: list[str], seed: int = 2025) -> list[list[Any]]:
    """`count` believable party members spread over `cells` (codes), one row each."""
    rng = random.Random(seed)
    names = NameMaker(ETHNICITIES_LOWLAND)
    ids = CitizenIds(rng)
    today = timezone.localdate()
    rows: list[list[Any]] = []
    for index in range(1, count + 1):
        female = rng.random() < 0.35
        born = birth_day(rng, today, 20, 85)
        ethnicity = names.ethnicity(rng)
        family, middle, given = names.name(
            rng, female=female, birth_year=born.year, ethnicity=ethnicity
        )
        joined, official = admission_dates(rng, born, today, probationary=rng.random() < 0.04)
        rows.append(
            [
                index,
                join_name(family, middle, given),
                born,
                "Nữ" if female else "Nam",
                ids.draw("019", born.year, female=female),
                joined,
                official,
                f"{index + 79_000_000:08d}",
                cells[index % len(cells)],
                ethnicity,
                "Thái Nguyên",
                rng.choice(("Nông dân", "Hưu trí", "Công chức", "Giáo viên", "Kinh doanh")),
                phone_number(rng),
                f"Xóm {rng.randint(1, 30)}, xã Đại Từ",
            ]
        )
    return rows


def write_bench_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _tree() -> tuple[Org, list[str]]:
    root = org_create(
        parent=None, code=ROOT_CODE, name="Đảng bộ xã Thử Nhập", family=Family.PARTY,
        level=Level.BASE,
    )  # fmt: skip
    codes = []
    for number in range(1, CELLS + 1):
        code = f"{ROOT_CODE}-CB{number:02d}"
        org_create(
            parent=root, code=code, name=f"Chi bộ xóm Thử {number}", family=Family.PARTY,
            level=Level.BRANCH,
        )  # fmt: skip
        codes.append(code)
    return root, codes


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def _in_rollback(action: Callable[[Org, dict[str, int]], int], cells: list[str]) -> float:
    """Seconds `action` takes on a fresh tree of cells, inside a transaction then undone."""
    outcome: list[float] = []
    try:
        with transaction.atomic():
            root, _codes = _tree()
            units = dict(Org.objects.filter(code__in=cells).values_list("code", "pk"))
            seconds, count = _timed(lambda: action(root, units))
            outcome.append(seconds)
            say_count[0] = count
            raise _Rollback
    except _Rollback:
        pass
    return outcome[0]


say_count = [0]


def _bare_read(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    return len(CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python())


def _bare_insert(rows: list[list[Any]], units: dict[str, int]) -> int:
    """The same people and memberships straight into the tables: no reading, no checks."""
    now = timezone.now()
    today = timezone.localdate()
    people = []
    for row in rows:
        family, _sep, rest = str(row[1]).partition(" ")
        middle, _sep, given = rest.rpartition(" ")
        people.append(
            Person(
                family_name=family, middle_name=middle, given_name=given, full_name=row[1],
                sort_key=name_sort_key(family, middle, given), search_text=fold(row[1]),
                gender="female" if row[3] == "Nữ" else "male", birth_date=row[2],
                citizen_id=row[4], phone=row[12], ethnicity=row[9], hometown=row[10],
                occupation=row[11], address=row[13], created_at=now, updated_at=now,
            )
        )  # fmt: skip
    Person.objects.bulk_create(people, batch_size=2_000)
    Membership.objects.bulk_create(
        [
            Membership(
                person_id=person.pk,
                org_id=units[row[8]],
                family=Family.PARTY,
                status=MembershipStatus.OFFICIAL if row[6] else MembershipStatus.PROBATIONARY,
                joined_on=row[5],
                official_on=row[6],
                card_number=row[7],
                started_on=today,
            )
            for person, row in zip(people, rows, strict=True)
        ],
        batch_size=2_000,
    )
    return len(people)


def _ours(path: Path, root: Org) -> int:
    outcome = import_members_file(path=path, org=root)
    if outcome.problems or outcome.written is None:
        raise RuntimeError("; ".join(str(p) for p in outcome.problems[:5]))
    return outcome.written.created


def _import_export(path: Path, units: dict[str, int]) -> int:
    """django-import-export as its documentation sets it up: a ModelResource for Person
    matched on the citizen id, rows prepared in `before_import_row`, memberships added
    after the import; bulk mode on."""
    import tablib
    from import_export import resources

    today = timezone.localdate()
    header_to_field = {
        "Họ và tên": "full_name", "Ngày sinh": "birth_date", "Giới tính": "gender",
        "Số CCCD": "citizen_id", "Dân tộc": "ethnicity", "Quê quán": "hometown",
        "Nghề nghiệp": "occupation", "Số điện thoại": "phone", "Địa chỉ": "address",
    }  # fmt: skip

    class PersonResource(resources.ModelResource):  # type: ignore[misc]
        class Meta:
            model = Person
            fields = (
                "family_name", "middle_name", "given_name", "full_name", "sort_key",
                "search_text", "gender", "birth_date", "citizen_id", "phone", "ethnicity",
                "hometown", "occupation", "address",
            )  # fmt: skip
            import_id_fields = ("citizen_id",)
            use_bulk = True
            batch_size = 2_000

        def before_import_row(self, row: Any, **kwargs: Any) -> None:
            family, _sep, rest = str(row["full_name"]).partition(" ")
            middle, _sep, given = rest.rpartition(" ")
            row.update(
                family_name=family, middle_name=middle, given_name=given,
                sort_key=name_sort_key(family, middle, given), search_text=fold(row["full_name"]),
                gender="female" if row["gender"] == "Nữ" else "male",
            )  # fmt: skip

    with path.open("rb") as handle:
        dataset = tablib.Dataset().load(handle.read(), format="xlsx")
    dataset.headers = [header_to_field.get(h, h) for h in dataset.headers]
    result = PersonResource().import_data(dataset, raise_errors=True)
    by_cccd = dict(
        Person.objects.filter(citizen_id__in=[row[4] for row in dataset]).values_list(
            "citizen_id", "pk"
        )
    )
    Membership.objects.bulk_create(
        [
            Membership(
                person_id=by_cccd[row[4]],
                org_id=units[row[8]],
                family=Family.PARTY,
                status=MembershipStatus.OFFICIAL,
                joined_on=row[5],
                official_on=row[6],
                card_number=str(row[7]),
                started_on=today,
            )
            for row in dataset
        ],
        batch_size=2_000,
    )
    return int(result.totals.get("new", 0))


def bench_import(*, rows: int = DEFAULT_ROWS, say: Say = print) -> str:
    """Run the four measurements and return the Markdown section for docs/benchmarks.md."""
    if Org.objects.filter(code=ROOT_CODE).exists():
        raise RuntimeError(f"{ROOT_CODE} already exists in this database")
    cells = [f"{ROOT_CODE}-CB{number:02d}" for number in range(1, CELLS + 1)]
    say(_("Tạo %(rows)s dòng…") % {"rows": rows})
    data = generate_rows(rows, cells=cells)
    with tempfile.TemporaryDirectory(prefix="chibo-bench-") as folder:
        path = write_bench_xlsx(Path(folder) / "danh-sach-dang-vien.xlsx", data)
        size = path.stat().st_size
        say(_("1/4 đọc trần bằng python-calamine…"))
        read_seconds, _count = _timed(lambda: _bare_read(path))

        say(f"   {read_seconds:.2f} s")
        say(_("2/4 chèn trần…"))
        insert_seconds = _in_rollback(lambda root, units: _bare_insert(data, units), cells)
        say(_("3/4 nhập của Chibo…"))
        say(f"   {insert_seconds:.2f} s")
        ours_seconds = _in_rollback(lambda root, units: _ours(path, root), cells)
        say(f"   {ours_seconds:.2f} s, {rows / ours_seconds:,.0f} rows/s")
        created = say_count[0]
        if created != rows:
            raise RuntimeError(f"imported {created} rows of {rows}")
        say(_("4/4 django-import-export…"))
        try:
            import import_export  # noqa: F401
        except ImportError:
            ie_seconds = float("nan")
            ie_note = _("không cài (pip install -e '.[bench]')")
        else:
            # Its row-by-row lookups make the full file take minutes: it gets the first
            # IE_ROWS rows, and its rate is scaled to the full file.
            ie_rows = min(rows, IE_ROWS)
            ie_path = write_bench_xlsx(Path(folder) / "phan-dau.xlsx", data[:ie_rows])
            ie_part = _in_rollback(lambda root, units: _import_export(ie_path, units), cells)
            ie_seconds = ie_part * rows / ie_rows
            ie_note = (
                f"first {ie_rows:,} rows in {ie_part:,.1f} s, scaled" if ie_rows < rows else ""
            )
            say(f"   {ie_part:.2f} s for {ie_rows} rows")
    rate = rows / ours_seconds

    def line(label: str, seconds: float, note: str = "") -> list[object]:
        if seconds != seconds:
            return [label, "—", "—", "—", note]
        return [
            label,
            f"{seconds:,.2f}",
            f"{rows / seconds:,.0f}",
            f"{ours_seconds / seconds:,.1f}×" if seconds else "—",
            note,
        ]

    body = [
        "## Import (`chibo bench import`)",
        "",
        f"Measured {datetime.datetime.now():%d/%m/%Y %H:%M} on a generated .xlsx of "
        f"{rows:,} party members in {CELLS} cells ({size / 1024 / 1024:.1f} MiB, 14 columns), "
        "every write rolled back afterwards.",
        "",
        table(["Machine", ""], machine()),
        "",
        table(
            ["What", "Seconds", "Rows/s", "Our import ÷ this", "Note"],
            [
                line("1. Bare read (python-calamine, no conversion)", read_seconds),
                line("2. Bare bulk insert (bulk_create, no checks, no audit)", insert_seconds),
                line(
                    "3. Chibo import end to end",
                    ours_seconds,
                    "read, convert, check, match, write, audit",
                ),
                line("4. django-import-export (ModelResource, bulk)", ie_seconds, ie_note),
            ],
        ),
        "",
        f"End to end: **{rate:,.0f} rows/s** "
        f"({'meets' if rate >= TARGET_RATE else 'MISSES'} the {TARGET_RATE:,} rows/s target). "
        f"Our import takes {ours_seconds / (read_seconds + insert_seconds):,.1f}× the bare "
        "read plus the bare insert"
        + (
            f", and django-import-export takes {ie_seconds / ours_seconds:,.1f}× as long as ours."
            if ie_seconds == ie_seconds
            else "."
        ),
        "",
        f"Database: {connection.vendor}.",
    ]
    return "\n".join(body)


def run_import(*, rows: int = DEFAULT_ROWS, say: Say = print, **_options: object) -> str:
    """`chibo bench import`."""
    return bench_import(rows=rows, say=say)
