"""A synthetic province of any size, for benchmarks: `chibo seed --members N`.

Province → about N/2,500 base committees (communes and wards directly under the
province; agencies under a few "khối" groupings of the district level) → cells of about
25 members → one party membership per person, a Bí thư per cell and per base committee.
Every code starts with `SYN-`, so the synthetic province can share a database with the
demo. Names, dates and statuses are drawn like the demo's, from a fixed seed.

Speed matters more here than anywhere else (300,000 members must take well under three
minutes on SQLite): the tree paths are computed here rather than by treebeard, name keys
come from `chibo.core.vntext` with a cache per name part, the two big tables are written
with batched plain INSERTs (the small ones with `bulk_create`) in one transaction, and
no audit entries are written (the province is generated, not edited).
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.vntext import collation_key, fold
from chibo.orgs import divisions
from chibo.orgs.models import Family, Level, Org
from chibo.orgs.services import org_search_text
from chibo.people.models import Gender, Membership, MembershipStatus, Person, Position, Title
from chibo.people.names import (
    ETHNICITIES_LOWLAND,
    HAMLET_WORDS,
    RURAL_ELDER_OCCUPATIONS,
    RURAL_OCCUPATIONS,
    NameMaker,
    Weighted,
    phone_number,
)
from chibo.people.seeding import (
    Progress,
    add_days,
    add_years,
    admission_dates,
    birth_day,
    citizen_id,
    purge,
    quiet,
    random_day,
)

ROOT_CODE = "SYN-TINH"
PROVINCE = 38  # Thanh Hóa: 166 communes and wards after 2025, enough names for 400,000 members
PROVINCE_NAME = "tỉnh Thanh Hóa"
# CCCD birth codes the demo never uses, so the unique column cannot clash with it.
CCCD_CODES = ("038", "040", "042", "037", "044", "045", "046", "048")
DEFAULT_MEMBERS = 300_000
MEMBERS_PER_BASE = 2_500
MEMBERS_PER_CELL = 25
PERSON_BATCH = 5_000
SEED = 38_2025

URBAN_OCCUPATIONS: tuple[tuple[str, float], ...] = (
    ("Hưu trí", 30.0), ("Kinh doanh, dịch vụ", 18.0), ("Công nhân", 12.0), ("Công chức", 8.0),
    ("Viên chức", 8.0), ("Giáo viên", 6.0), ("Lao động tự do", 10.0), ("Cựu chiến binh", 8.0),
)  # fmt: skip
AGENCY_OCCUPATIONS: tuple[tuple[str, float], ...] = (
    ("Công chức", 45.0), ("Viên chức", 35.0), ("Người lao động", 10.0), ("Kỹ sư", 10.0),
)  # fmt: skip
AGENCIES = (
    "Sở Giáo dục và Đào tạo", "Sở Y tế", "Bệnh viện Đa khoa tỉnh", "Trường Đại học Hồng Đức",
    "Sở Tài chính", "Sở Nông nghiệp và Môi trường", "Văn phòng UBND tỉnh", "Sở Xây dựng",
    "Sở Công Thương", "Sở Nội vụ", "Sở Tư pháp", "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ", "Bệnh viện Nhi", "Trường Cao đẳng Y tế",
    "Đài Phát thanh và Truyền hình", "Báo Thanh Hóa", "Kho bạc Nhà nước khu vực", "Thuế tỉnh",
    "Bảo hiểm xã hội tỉnh",
)  # fmt: skip
ENTERPRISES = (
    "Công ty Điện lực", "Bưu điện tỉnh", "Công ty Cấp nước", "Công ty Xi măng",
    "Công ty Đường", "Công ty Cổ phần Môi trường đô thị", "Ngân hàng Nông nghiệp chi nhánh tỉnh",
    "Viễn thông tỉnh", "Công ty Thủy nông", "Công ty Lâm nghiệp",
)  # fmt: skip
AGENCY_UNITS = (
    "Văn phòng", "Phòng Tổ chức – Hành chính", "Phòng Kế hoạch – Tài chính",
    "Phòng Nghiệp vụ", "Phòng Thanh tra", "Phòng Kỹ thuật", "Trung tâm Dịch vụ",
)  # fmt: skip


@dataclass
class SeedResult:
    created: bool
    orgs: int = 0
    members: int = 0
    cells: int = 0
    seconds: float = 0.0
    # Time spent inside INSERT statements: what the database alone needs, a lower bound.
    insert_seconds: float = 0.0
    # Time taken to delete the previous synthetic province (with reset), not in `seconds`.
    purge_seconds: float = 0.0
    # CPU time of the process for the same work as `seconds`, and inside the INSERTs.
    cpu_seconds: float = 0.0
    insert_cpu_seconds: float = 0.0


@dataclass
class OrgPlan:
    code: str
    name: str
    level: str
    kind: str = ""  # commune, ward, agency (for base committees and their cells)
    ward_code: int | None = None
    hamlet: str = ""
    size: int = 0  # members, for cells
    children: list[OrgPlan] = field(default_factory=list)
    org: Org | None = None


def _encode(number: int, width: int) -> str:
    alphabet = Org.alphabet
    digits = ""
    while number:
        number, rest = divmod(number, len(alphabet))
        digits = alphabet[rest] + digits
    if len(digits) > width:
        raise ValueError(f"path step {number} does not fit in {width} characters")
    return digits.rjust(width, alphabet[0])


def _split(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` into parts proportional to `weights` (largest remainder)."""
    scale = sum(weights)
    exact = [total * weight / scale for weight in weights]
    parts = [int(value) for value in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for index in order[: total - sum(parts)]:
        parts[index] += 1
    return parts


@dataclass
class _Clock:
    """Wall-clock and CPU time accumulated over the blocks it timed."""

    wall: float = 0.0
    cpu: float = 0.0

    @contextmanager
    def running(self) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.wall += time.perf_counter() - wall
            self.cpu += time.process_time() - cpu


class _RowWriter:
    """Plain INSERTs through the DB cursor for the two big tables.

    `bulk_create` compiles every value of every row through the ORM, which costs more
    than generating the row; at 300,000 members that alone took most of two minutes.
    Ids are reserved up front (the caller holds the transaction and, on PostgreSQL, a
    lock on the table), so memberships can point at persons without reading them back.
    """

    def __init__(self, model: type[models.Model], clock: _Clock) -> None:
        self.model = model
        self.clock = clock
        self.connection = connections[router.db_for_write(model)]
        ops = self.connection.ops
        self.fields = list(model._meta.concrete_fields)
        self.defaults: dict[str, Any] = {
            f.attname: None if f.primary_key else f.get_default() for f in self.fields
        }
        table = ops.quote_name(model._meta.db_table)
        columns = ", ".join(ops.quote_name(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        self.rows: list[tuple[Any, ...]] = []
        self.names = [f.attname for f in self.fields]
        self._times: dict[datetime.datetime, Any] = {}

    def reserve_ids(self) -> int:
        """The first free id; nobody else inserts into the table until we commit."""
        table = self.connection.ops.quote_name(self.model._meta.db_table)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(f"SELECT MAX(id) FROM {table}")
            row = cursor.fetchone()
        return int(row[0] or 0) + 1 if row else 1

    def add(self, values: dict[str, Any]) -> None:
        merged = {**self.defaults, **values}
        adapt_date = self.connection.ops.adapt_datefield_value
        adapt_time = self._adapt_time
        row = []
        for name in self.names:
            value = merged[name]
            if isinstance(value, datetime.datetime):
                value = adapt_time(value)
            elif isinstance(value, datetime.date):
                value = adapt_date(value)
            row.append(value)
        self.rows.append(tuple(row))

    def _adapt_time(self, value: datetime.datetime) -> Any:
        # Every row carries the same timestamp: adapt it once.
        if value not in self._times:
            self._times[value] = self.connection.ops.adapt_datetimefield_value(value)
        return self._times[value]

    def flush(self) -> None:
        if self.rows:
            with self.clock.running(), self.connection.cursor() as cursor:
                cursor.executemany(self.sql, self.rows)
            self.rows = []

    def finish(self) -> None:
        """Move the id sequence past the ids we chose (SQLite does it by itself)."""
        with self.connection.cursor() as cursor:
            for statement in self.connection.ops.sequence_reset_sql(no_style(), [self.model]):
                cursor.execute(statement)


def synthetic_root() -> Org | None:
    return Org.objects.filter(code=ROOT_CODE).first()


def seed_synthetic(
    *, members: int = DEFAULT_MEMBERS, reset: bool = False, progress: Progress = quiet
) -> SeedResult:
    """Write the synthetic province with `members` party members (idempotent: an existing
    synthetic province is kept unless `reset`, whatever its size)."""
    if members < 1:
        raise ValueError(_("Số đảng viên phải lớn hơn 0."))
    started = time.perf_counter()
    purge_seconds = 0.0
    with transaction.atomic():
        root = synthetic_root()
        if root is not None and not reset:
            progress(_("Tỉnh tổng hợp đã có (%(code)s), không ghi thêm.") % {"code": ROOT_CODE})
            return SeedResult(created=False)
        if root is not None:
            progress(_("Xóa tỉnh tổng hợp cũ…"))
            purge(org_roots=[root], progress=progress)
            purge_seconds = time.perf_counter() - started
            progress(_("Đã xóa sau %(seconds).1f giây.") % {"seconds": purge_seconds})
        build_started, build_cpu = time.perf_counter(), time.process_time()
        result = _SyntheticBuilder(members, timezone.localdate(), progress, build_started).build()
    # Creation time includes the commit, not the purge of an older province.
    result.seconds = time.perf_counter() - build_started
    result.cpu_seconds = time.process_time() - build_cpu
    result.purge_seconds = purge_seconds
    return result


def province_plan(members: int) -> tuple[OrgPlan, list[OrgPlan]]:
    """The tree `seed_synthetic` would write for `members`, without writing it."""
    builder = _SyntheticBuilder(members, timezone.localdate(), quiet, time.perf_counter())
    return builder.plan(), builder.bases


class _SyntheticBuilder:
    def __init__(
        self, members: int, today: datetime.date, progress: Progress, started: float
    ) -> None:
        self.members = members
        self.today = today
        self.progress = progress
        self.started = started
        self.rng = random.Random(SEED)
        self.names = NameMaker(ETHNICITIES_LOWLAND)
        self.jobs = {
            "commune": Weighted.of(RURAL_OCCUPATIONS),
            "ward": Weighted.of(URBAN_OCCUPATIONS),
            "agency": Weighted.of(AGENCY_OCCUPATIONS),
            "elder": Weighted.of(RURAL_ELDER_OCCUPATIONS),
        }
        self.keys: dict[str, str] = {}
        self.folded: dict[str, str] = {}
        self.serial = 0
        self.card = 10_000_000
        self.now = timezone.now()
        self.bases: list[OrgPlan] = []
        self.inserts = _Clock()

    def _say(self, message: str) -> None:
        self.progress(f"[{time.perf_counter() - self.started:6.1f} s] {message}")

    # --- the tree ---------------------------------------------------------------------------

    def plan(self) -> OrgPlan:
        rng = self.rng
        bases = max(1, round(self.members / MEMBERS_PER_BASE))
        agencies = bases // 7
        communes = bases - agencies
        wards = divisions.ward_choices(PROVINCE)
        root = OrgPlan(ROOT_CODE, "Đảng bộ tỉnh Thanh Hóa (dữ liệu tổng hợp)", Level.PROVINCE)
        base_plans: list[OrgPlan] = []
        for number in range(1, communes + 1):
            if number <= len(wards):
                ward_code, ward_name = wards[number - 1]
            else:
                ward_code, ward_name = None, f"Xã Mẫu {number}"
            kind = "ward" if ward_name.startswith("Phường") else "commune"
            plan = OrgPlan(
                f"SYN-B{number:04d}",
                f"Đảng bộ {ward_name[0].lower()}{ward_name[1:]}",
                Level.BASE,
                kind=kind,
                ward_code=ward_code,
            )
            root.children.append(plan)
            base_plans.append(plan)
        if agencies:
            blocs = [
                OrgPlan("SYN-K1", "Đảng bộ Khối các cơ quan tỉnh", Level.DISTRICT),
                OrgPlan("SYN-K2", "Đảng bộ Khối doanh nghiệp tỉnh", Level.DISTRICT),
            ][: min(2, agencies)]
            root.children.extend(blocs)
            for offset in range(agencies):
                number = communes + offset + 1
                bloc = blocs[offset % len(blocs)]
                pool = AGENCIES if bloc.code == "SYN-K1" else ENTERPRISES
                name = pool[(offset // len(blocs)) % len(pool)]
                round_ = offset // len(blocs) // len(pool)
                plan = OrgPlan(
                    f"SYN-B{number:04d}",
                    f"Đảng bộ {name}" + (f" (khu vực {round_ + 1})" if round_ else ""),
                    Level.BASE,
                    kind="agency",
                )
                bloc.children.append(plan)
                base_plans.append(plan)
        self.bases = base_plans
        weights = [
            rng.uniform(0.3, 0.8) if plan.kind == "agency" else rng.uniform(0.6, 1.4)
            for plan in base_plans
        ]
        for plan, quota in zip(base_plans, _split(self.members, weights), strict=True):
            cells = max(1, round(quota / MEMBERS_PER_CELL))
            sizes = _split(quota, [rng.uniform(0.4, 1.6) for _cell in range(cells)])
            width = max(3, len(str(cells)))
            hamlets = [f"{a} {b}" for a in HAMLET_WORDS for b in HAMLET_WORDS if a != b]
            rng.shuffle(hamlets)
            for number, size in enumerate(sizes, start=1):
                if size == 0:
                    continue
                if plan.kind == "ward":
                    name, hamlet = f"Chi bộ Tổ dân phố số {number}", f"Tổ dân phố số {number}"
                elif plan.kind == "commune":
                    village = hamlets[(number - 1) % len(hamlets)]
                    if number > len(hamlets):
                        village += f" {(number - 1) // len(hamlets) + 1}"
                    name, hamlet = f"Chi bộ thôn {village}", f"Thôn {village}"
                else:
                    unit = AGENCY_UNITS[(number - 1) % len(AGENCY_UNITS)]
                    suffix = f" {(number - 1) // len(AGENCY_UNITS) + 1}" if number > 7 else ""
                    name, hamlet = f"Chi bộ {unit}{suffix}", ""
                plan.children.append(
                    OrgPlan(
                        f"{plan.code}-C{number:0{width}d}",
                        name,
                        Level.BRANCH,
                        kind=plan.kind,
                        ward_code=plan.ward_code,
                        hamlet=hamlet,
                        size=size,
                    )
                )
        return root

    def write_tree(self, plan: OrgPlan) -> list[OrgPlan]:
        """Insert every org of the plan with its materialized path; return the cells."""
        last_root = Org.objects.filter(depth=1).order_by("-path").values_list("path", flat=True)
        previous = last_root.first()
        step = Org.steplen
        number = int(previous, len(Org.alphabet)) + 1 if previous else 1
        rows: list[Org] = []
        cells: list[OrgPlan] = []

        def visit(node: OrgPlan, path: str, depth: int) -> None:
            node.org = Org(
                code=node.code,
                name=node.name,
                family=Family.PARTY,
                level=node.level,
                province_code=PROVINCE,
                ward_code=node.ward_code,
                hamlet=node.hamlet,
                search_text=org_search_text(node.name, "", node.code),
                path=path,
                depth=depth,
                numchild=len(node.children),
                created_at=self.now,
            )
            rows.append(node.org)
            if node.level == Level.BRANCH:
                cells.append(node)
            for index, child in enumerate(node.children, start=1):
                visit(child, path + _encode(index, step), depth + 1)

        visit(plan, _encode(number, step), 1)
        with self.inserts.running():
            Org.objects.bulk_create(rows, batch_size=1_000)
        self._say(_("%(count)s tổ chức") % {"count": len(rows)})
        return cells

    # --- people -------------------------------------------------------------------------------

    def _key(self, part: str) -> str:
        key = self.keys.get(part)
        if key is None:
            key = self.keys[part] = collation_key(part)
        return key

    def _fold(self, part: str) -> str:
        folded = self.folded.get(part)
        if folded is None:
            folded = self.folded[part] = fold(part)
        return folded

    def _person(
        self, cell: OrgPlan, place: str, person_id: int
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The person's row and their membership's row, as column values by attribute."""
        rng = self.rng
        agency = cell.kind == "agency"
        female = rng.random() < (0.48 if agency else 0.34)
        if agency:
            ages = (24, 59)
        else:
            band = rng.random()
            ages = (62, 88) if band < 0.36 else (35, 61) if band < 0.84 else (21, 34)
        born = birth_day(rng, self.today, *ages)
        age = self.today.year - born.year
        ethnicity = self.names.ethnicity(rng)
        family, middle, given = self.names.name(
            rng, female=female, birth_year=born.year, ethnicity=ethnicity
        )
        self.serial += 1
        code = CCCD_CODES[(self.serial // 1_000_000) % len(CCCD_CODES)]
        jobs = self.jobs["elder"] if age >= 62 and not agency else self.jobs[cell.kind]
        person = {
            "id": person_id,
            "family_name": family,
            "middle_name": middle,
            "given_name": given,
            "full_name": f"{family} {middle} {given}",
            "sort_key": self._key(given) + self._key(middle) + self._key(family),
            "search_text": f"{self._fold(family)} {self._fold(middle)} {self._fold(given)}",
            "gender": Gender.FEMALE if female else Gender.MALE,
            "birth_date": born,
            # A bijection of the serial: unique while there are fewer than a million per code.
            "citizen_id": citizen_id(
                code, born.year, female=female, serial=self.serial * 7_919 % 1_000_000
            ),
            "phone": phone_number(rng) if rng.random() < 0.93 else "",
            "ethnicity": ethnicity,
            "religion": "Không" if rng.random() < 0.95 else "Phật giáo",
            "hometown": place,
            "address": f"{cell.hamlet}, {place}" if cell.hamlet else place,
            "occupation": jobs.pick(rng),
            "created_at": self.now,
            "updated_at": self.now,
        }
        roll = rng.random()
        status = MembershipStatus.OFFICIAL
        if age >= 72 and roll < 0.12:
            status = MembershipStatus.EXEMPT
        elif roll > 0.9985:
            status = MembershipStatus.SUSPENDED
        joined, official = admission_dates(
            rng, born, self.today, probationary=20 <= age <= 40 and roll < 0.08
        )
        if official is None:
            status = MembershipStatus.PROBATIONARY
        if official:
            self.card += rng.randint(1, 9)
        membership = {
            "person_id": person_id,
            "org_id": cell.org.pk if cell.org else None,
            "family": Family.PARTY,
            "status": status,
            "joined_on": joined,
            "official_on": official,
            "card_number": f"{self.card:08d}" if official else "",
            "started_on": joined if rng.random() < 0.7 else max(joined, datetime.date(2025, 7, 1)),
        }
        if status in (MembershipStatus.EXEMPT, MembershipStatus.SUSPENDED):
            membership["status_changed_on"] = random_day(
                rng, add_years(self.today, -4), add_days(self.today, -30)
            )
        return person, membership

    def write_people(self, cells: list[OrgPlan]) -> int:
        rng = self.rng
        persons = _RowWriter(Person, self.inserts)
        memberships = _RowWriter(Membership, self.inserts)
        next_person = persons.reserve_ids()
        next_membership = memberships.reserve_ids()
        positions: list[Position] = []
        secretaries: dict[str, int] = {}
        ward_names = dict(divisions.ward_choices(PROVINCE))
        term_start = datetime.date(2025, 4, 1)
        written = 0
        for cell in cells:
            ward_name = ward_names.get(cell.ward_code or 0, "")
            place = f"{ward_name}, {PROVINCE_NAME}" if ward_name else PROVINCE_NAME
            working: list[int] = []
            everyone: list[int] = []
            for _member in range(cell.size):
                person, membership = self._person(cell, place, next_person)
                membership["id"] = next_membership
                persons.add(person)
                memberships.add(membership)
                everyone.append(next_person)
                if 1961 <= person["birth_date"].year <= 1996:
                    working.append(next_person)
                next_person += 1
                next_membership += 1
            # Secretaries are of working age when the cell has someone of working age.
            secretaries[cell.code] = rng.choice(working or everyone)
            positions.append(
                Position(
                    person_id=secretaries[cell.code],
                    org=cell.org,
                    title=Title.SECRETARY,
                    started_on=add_days(term_start, rng.randint(0, 60)),
                )
            )
            written += cell.size
            if len(persons.rows) >= PERSON_BATCH:
                persons.flush()
                memberships.flush()
                self._say(_("%(count)s đảng viên") % {"count": written})
        persons.flush()
        memberships.flush()
        persons.finish()
        memberships.finish()
        self._say(_("%(count)s đảng viên") % {"count": written})
        # The base committee's Bí thư is also the Bí thư of its first cell.
        for base in self.bases:
            if base.children:
                positions.append(
                    Position(
                        person_id=secretaries[base.children[0].code],
                        org=base.org,
                        title=Title.SECRETARY,
                        started_on=datetime.date(2025, 7, 1),
                    )
                )
        with self.inserts.running():
            Position.objects.bulk_create(positions, batch_size=1_000)
        self._say(_("%(count)s chức vụ") % {"count": len(positions)})
        return written

    def build(self) -> SeedResult:
        plan = self.plan()
        cells = self.write_tree(plan)
        written = self.write_people(cells)
        return SeedResult(
            created=True,
            orgs=Org.objects.filter(path__startswith=plan.org.path).count() if plan.org else 0,
            members=written,
            cells=len(cells),
            insert_seconds=self.inserts.wall,
            insert_cpu_seconds=self.inserts.cpu,
        )
