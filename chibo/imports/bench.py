"""`chibo bench import`: a 100,000-row member sheet imported end to end, against what bounds it.

Five numbers on the same generated .xlsx (header on the first row, so that every
contender can read it), each as wall-clock and CPU time of the process (the machine may
be shared: the CPU time is what the work itself costs, the wall-clock time what a user
waits; the load average is recorded with them):
1. reading it bare with python-calamine (what no import can beat),
2. a bare bulk insert of the rows our import writes (people, memberships, one audit entry
   each) as prepared tuples, sent the way the import sends them (many rows per INSERT on
   SQLite, `executemany` elsewhere): the database's own share,
3. the same people and memberships through the ORM's `bulk_create`, the naive insert,
4. our import end to end (read, convert, check, match, write with audit entries),
5. django-import-export importing the same file into Person/Membership, the way its
   documentation sets a resource up (an optional `bench` extra; skipped, and said so,
   when it is not installed).

Everything is written inside a transaction that is rolled back, so the benchmark leaves
the database as it found it.
"""

from __future__ import annotations

import datetime
import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.bench import machine, table
from chibo.core.models import AuditEntry
from chibo.core.vntext import fold, join_name, name_sort_key
from chibo.imports.services import import_members_file
from chibo.imports.writing import insert_rows
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


Timing = tuple[float, float]  # wall-clock seconds, CPU seconds of the process


def _timed(action: Callable[[], Any]) -> tuple[Timing, Any]:
    started, started_cpu = time.perf_counter(), time.process_time()
    value = action()
    return (time.perf_counter() - started, time.process_time() - started_cpu), value


def _in_rollback(
    action: Callable[[Org, dict[str, int]], Any], cells: list[str]
) -> tuple[Timing, Any]:
    """The time `action` takes on a fresh tree of cells, inside a transaction then undone,
    and what it returned."""
    outcome: list[tuple[Timing, Any]] = []
    try:
        with transaction.atomic():
            root, _codes = _tree()
            units = dict(Org.objects.filter(code__in=cells).values_list("code", "pk"))
            outcome.append(_timed(lambda: action(root, units)))
            raise _Rollback
    except _Rollback:
        pass
    return outcome[0]


def _bare_read(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    return len(CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python())


def _person_values(row: list[Any], now: datetime.datetime) -> dict[str, Any]:
    family, _sep, rest = str(row[1]).partition(" ")
    middle, _sep, given = rest.rpartition(" ")
    return {
        "family_name": family, "middle_name": middle, "given_name": given,
        "full_name": row[1], "sort_key": name_sort_key(family, middle, given),
        "search_text": fold(row[1]), "gender": "female" if row[3] == "Nữ" else "male",
        "birth_date": row[2], "citizen_id": row[4], "phone": row[12], "ethnicity": row[9],
        "hometown": row[10], "occupation": row[11], "address": row[13], "created_at": now,
        "updated_at": now,
    }  # fmt: skip


def _membership_values(row: list[Any], unit: int, today: datetime.date) -> dict[str, Any]:
    return {
        "org_id": unit,
        "family": Family.PARTY,
        "status": MembershipStatus.OFFICIAL if row[6] else MembershipStatus.PROBATIONARY,
        "joined_on": row[5],
        "official_on": row[6],
        "card_number": row[7],
        "started_on": today,
    }


def _bare_insert(rows: list[list[Any]], units: dict[str, int]) -> Timing:
    """The rows our import writes (a person, a membership and an audit entry per line)
    prepared as tuples beforehand and sent as plain INSERTs: no reading, no checks, no
    ORM. Only the inserts are timed: this is the database's share of an import."""
    now = timezone.now()
    today = timezone.localdate()
    ops = connection.ops
    statements = []
    makers: list[tuple[type[models.Model], Callable[[list[Any], int], dict[str, Any]]]] = [
        (Person, lambda row, pk: _person_values(row, now)),
        (Membership, lambda row, pk: {"person_id": pk, **_membership_values(
            row, units[row[8]], today)}),
        (AuditEntry, lambda row, pk: {
            "at": now, "action": "create", "subject_type": "people.person", "subject_id": pk,
            "org_id": units[row[8]], "person_id": pk, "summary": f"Nhập {row[1]}",
            "before": {}, "after": {"full_name": row[1], "citizen_id": row[4]},
        }),
    ]  # fmt: skip
    for model, make in makers:
        fields = list(model._meta.concrete_fields)
        table = ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {table}")
            found = cursor.fetchone()
        first = int(found[0] or 0) + 1 if found else 1
        prepared = []
        for offset, row in enumerate(rows):
            pk = first + offset
            values = {"id": pk, **make(row, pk)}
            prepared.append(
                tuple(
                    field.get_db_prep_save(
                        values[field.attname] if field.attname in values else field.get_default(),
                        connection,
                    )
                    for field in fields
                )
            )
        columns = ", ".join(ops.quote_name(field.column) for field in fields)
        marks = ", ".join(["%s"] * len(fields))
        statements.append((f"INSERT INTO {table} ({columns}) VALUES ({marks})", prepared))
    started, started_cpu = time.perf_counter(), time.process_time()
    for sql, prepared in statements:
        for start in range(0, len(prepared), 2_000):
            insert_rows(connection, sql, prepared[start : start + 2_000], batch=2_000)
    return time.perf_counter() - started, time.process_time() - started_cpu


def _bulk_create(rows: list[list[Any]], units: dict[str, int]) -> int:
    """The same people and memberships through the ORM's bulk_create: no reading, no
    checks, no audit."""
    now = timezone.now()
    today = timezone.localdate()
    people = [Person(**_person_values(row, now)) for row in rows]
    Person.objects.bulk_create(people, batch_size=2_000)
    Membership.objects.bulk_create(
        [
            Membership(person_id=person.pk, **_membership_values(row, units[row[8]], today))
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
    """Run the measurements and return the Markdown section for docs/benchmarks.md."""
    if Org.objects.filter(code=ROOT_CODE).exists():
        raise RuntimeError(f"{ROOT_CODE} already exists in this database")
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    cells = [f"{ROOT_CODE}-CB{number:02d}" for number in range(1, CELLS + 1)]
    say(_("Tạo %(rows)s dòng…") % {"rows": rows})
    data = generate_rows(rows, cells=cells)
    nan = (float("nan"), float("nan"))

    def report(timing: Timing, count: int = rows) -> None:
        say(
            f"   {timing[0]:.2f} s, CPU {timing[1]:.2f} s, "
            f"{count / timing[0]:,.0f} rows/s, CPU {count / timing[1]:,.0f} rows/s"
        )

    with tempfile.TemporaryDirectory(prefix="chibo-bench-") as folder:
        path = write_bench_xlsx(Path(folder) / "danh-sach-dang-vien.xlsx", data)
        size = path.stat().st_size
        say(_("1/5 đọc trần bằng python-calamine…"))
        read, _count = _timed(lambda: _bare_read(path))
        report(read)
        say(_("2/5 chèn trần (INSERT)…"))
        _outer, insert = _in_rollback(lambda root, units: _bare_insert(data, units), cells)
        report(insert)
        say(_("3/5 bulk_create của ORM…"))
        orm, _count = _in_rollback(lambda root, units: _bulk_create(data, units), cells)
        report(orm)
        say(_("4/5 nhập của Chibo…"))
        ours, created = _in_rollback(lambda root, units: _ours(path, root), cells)
        report(ours)
        if created != rows:
            raise RuntimeError(f"imported {created} rows of {rows}")
        say(_("5/5 django-import-export…"))
        try:
            import import_export  # noqa: F401
        except ImportError:
            ie = nan
            ie_note = _("không cài (pip install -e '.[bench]')")
        else:
            # Its row-by-row lookups make the full file take minutes: it gets the first
            # IE_ROWS rows, and its time is scaled to the full file.
            ie_rows = min(rows, IE_ROWS)
            ie_path = write_bench_xlsx(Path(folder) / "phan-dau.xlsx", data[:ie_rows])
            ie_part, _count = _in_rollback(
                lambda root, units: _import_export(ie_path, units), cells
            )
            report(ie_part, ie_rows)
            ie = (ie_part[0] * rows / ie_rows, ie_part[1] * rows / ie_rows)
            ie_note = (
                f"first {ie_rows:,} rows in {ie_part[0]:,.1f} s, scaled" if ie_rows < rows else ""
            )
    wall_rate, cpu_rate = rows / ours[0], rows / ours[1]
    met = min(wall_rate, cpu_rate) >= TARGET_RATE

    def line(label: str, timing: Timing, note: str = "") -> list[object]:
        if timing[0] != timing[0]:
            return [label, "—", "—", "—", "—", "—", note]
        return [
            label,
            f"{timing[0]:,.2f}",
            f"{timing[1]:,.2f}",
            f"{rows / timing[0]:,.0f}",
            f"{rows / timing[1]:,.0f}",
            f"{ours[1] / timing[1]:,.2f}×" if timing[1] else "—",
            note,
        ]

    verdict = (
        f"**meets** the {TARGET_RATE:,} rows/s bar by both measures"
        if met
        else f"**misses** the {TARGET_RATE:,} rows/s bar"
        + (" by CPU time" if cpu_rate < TARGET_RATE else "")
        + (" and" if cpu_rate < TARGET_RATE and wall_rate < TARGET_RATE else "")
        + (" by wall-clock time" if wall_rate < TARGET_RATE else "")
    )
    bounds = read[1] + insert[1]
    body = [
        "## Import (`chibo bench import`)",
        "",
        f"Measured {datetime.datetime.now():%d/%m/%Y %H:%M} on a generated .xlsx of "
        f"{rows:,} party members in {CELLS} cells ({size / 1024 / 1024:.1f} MiB, 14 columns), "
        "every write rolled back afterwards. Load average when the run began: "
        + " / ".join(f"{value:.2f}" for value in load)
        + ".",
        "",
        table(["Machine", ""], machine()),
        "",
        table(
            [
                "What",
                "Wall s",
                "CPU s",
                "Rows/s (wall)",
                "Rows/s (CPU)",
                "Our import ÷ this (CPU)",
                "Note",
            ],
            [
                line("1. Bare read (python-calamine, no conversion)", read),
                line(
                    "2. Bare insert (prepared tuples, plain INSERTs)",
                    insert,
                    "people, memberships, audit entries",
                ),
                line("3. ORM bulk_create (no checks, no audit)", orm, "people, memberships"),
                line(
                    "4. Chibo import end to end",
                    ours,
                    "read, convert, check, match, write, audit",
                ),
                line("5. django-import-export (ModelResource, bulk)", ie, ie_note),
            ],
        ),
        "",
        f"End to end: **{wall_rate:,.0f} rows/s** of wall-clock time and "
        f"**{cpu_rate:,.0f} rows/s** of CPU time: the import {verdict}. "
        f"It takes {ours[1] / bounds:,.1f}× the CPU time of the bare read plus the bare "
        "insert"
        + (
            f", and django-import-export takes {ie[1] / ours[1]:,.1f}× as long as ours."
            if ie[0] == ie[0]
            else "."
        ),
        "",
        f"Database: {connection.vendor}.",
    ]
    return "\n".join(body)


def run_import(*, rows: int = DEFAULT_ROWS, say: Say = print, **_options: object) -> str:
    """`chibo bench import`."""
    return bench_import(rows=rows, say=say)
