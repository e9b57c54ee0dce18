"""The demo: a believable slice of Thái Nguyên province drawn from the seed articles.

A commune party committee like Hà Thượng's (271 members in 18 cells, 13 rural and 5
agency), its women's union (13 branches, 1,200 members), the party committee of the
provincial women's union agency (5 cells, 32 members), the 2025 merger of the old
commune of Hà Thượng into Đại Từ, and the seven demo logins of DESIGN.md.

Everything comes from a fixed random seed, so the demo is the same on every machine;
dates are drawn relative to today so that probationary members stay probationary.
Persons and memberships are written in bulk (the conftest seeds the demo for every test
run); orgs, positions, grants and the merger go through the services, like real edits.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chibo.core.audit import snapshot
from chibo.core.models import AuditEntry, User
from chibo.core.roles import Role
from chibo.core.vntext import fold
from chibo.orgs import divisions
from chibo.orgs.models import Family, Level, Org
from chibo.orgs.restructuring import org_merge
from chibo.orgs.services import grant_create, org_create
from chibo.people.demo_party_life import build_party_life, prepare_probation
from chibo.people.models import (
    EndReason,
    Gender,
    Membership,
    MembershipStatus,
    Person,
    Position,
    Title,
)
from chibo.people.names import (
    ETHNICITIES_THAI_NGUYEN,
    HAMLETS_DAI_TU,
    RURAL_ELDER_OCCUPATIONS,
    RURAL_OCCUPATIONS,
    WOMEN_ELDER_OCCUPATIONS,
    WOMEN_OCCUPATIONS,
    NameMaker,
    Weighted,
    phone_number,
)
from chibo.people.seeding import (
    CitizenIds,
    Progress,
    add_days,
    add_years,
    admission_dates,
    birth_day,
    purge,
    quiet,
    random_day,
)
from chibo.people.services import (
    MEMBERSHIP_FIELDS,
    PERSON_FIELDS,
    PersonData,
    person_build,
    position_assign,
    position_end,
)

DEMO_PASSWORD = "chibo-demo"
SEED = 20250701
PROVINCE = 19  # Thái Nguyên (after the 2025 merger with Bắc Kạn)
CCCD_HOME = "019"  # birth-registration code of Thái Nguyên on the CCCD
MERGER_DAY = datetime.date(2025, 7, 1)
ROOT_CODES = ("TU-TN", "HLHPN-TN")

# Members per cell before the merger; CB04 and CB17 receive Hà Thượng's members on 1/7/2025.
RURAL_SIZES = (18, 16, 20, 14, 17, 15, 19, 13, 18, 16, 17, 15, 17)
AGENCY_CELLS: tuple[tuple[str, int, str], ...] = (
    ("Chi bộ Cơ quan xã", 16, "office"),
    ("Chi bộ Quân sự xã", 7, "military"),
    ("Chi bộ Trường THCS Đại Từ", 11, "school"),
    ("Chi bộ Trường Tiểu học Đại Từ", 9, "school"),
    ("Chi bộ Trạm Y tế xã", 6, "health"),
)
HA_THUONG_CELLS: tuple[tuple[str, int, str, int], ...] = (
    # name, members, kind, index of the Đại Từ cell it merged into
    ("Chi bộ xóm Hạ Vụ", 4, "rural", 4),
    ("Chi bộ Trường Tiểu học Hà Thượng", 3, "school", 17),
)
AGENCY_UNION_CELLS: tuple[tuple[str, int], ...] = (
    ("Chi bộ Văn phòng", 8),
    ("Chi bộ Ban Tổ chức – Kiểm tra", 6),
    ("Chi bộ Ban Tuyên giáo – Chính sách, luật pháp", 7),
    ("Chi bộ Ban Gia đình – Xã hội và Kinh tế", 6),
    ("Chi bộ Trung tâm Hỗ trợ phụ nữ", 5),
)
BRANCH_SIZES = (98, 86, 104, 79, 93, 88, 101, 72, 96, 90, 95, 84, 114)

# Communes of the old Đại Từ district, for hometowns (quê quán keeps the old names).
OLD_COMMUNES = (
    "Hà Thượng", "Hùng Sơn", "Tiên Hội", "Bình Thuận", "Khôi Kỳ", "Phục Linh", "Tân Linh",
    "Cù Vân", "Hoàng Nông", "Ký Phú", "Văn Yên", "Mỹ Yên", "Lục Ba", "Bản Ngoại", "Yên Lãng",
)  # fmt: skip
OTHER_HOMES: tuple[tuple[str, str], ...] = (
    ("tỉnh Bắc Giang", "024"), ("tỉnh Vĩnh Phúc", "026"), ("tỉnh Nam Định", "036"),
    ("tỉnh Thái Bình", "034"), ("tỉnh Phú Thọ", "025"), ("tỉnh Tuyên Quang", "008"),
    ("tỉnh Bắc Kạn", "006"), ("thành phố Hà Nội", "001"),
)  # fmt: skip
NEIGHBOUR_WARDS = ("Xã Quân Chu", "Xã Vạn Phú", "Xã Phú Xuyên", "Xã An Khánh", "Xã Phú Lạc")
CITY_WARDS = (
    "Phường Phan Đình Phùng",
    "Phường Gia Sàng",
    "Phường Quyết Thắng",
    "Phường Tích Lương",
)
EXEMPT_REASONS = (
    "Tuổi cao, sức khỏe yếu, có đơn xin miễn sinh hoạt",
    "Ốm đau dài ngày, có đơn xin miễn sinh hoạt",
)
AGENCY_JOBS: dict[str, tuple[tuple[str, str], ...]] = {
    # kind -> (occupation, job position) pairs
    "office": (
        ("Công chức", "Phó Chủ tịch UBND xã"), ("Công chức", "Văn phòng – Thống kê"),
        ("Công chức", "Tài chính – Kế toán"), ("Công chức", "Địa chính – Xây dựng"),
        ("Công chức", "Tư pháp – Hộ tịch"), ("Công chức", "Văn hóa – Xã hội"),
        ("Cán bộ", "Chủ tịch Ủy ban MTTQ xã"), ("Cán bộ", "Bí thư Đoàn xã"),
        ("Cán bộ", "Chủ tịch Hội Nông dân xã"), ("Cán bộ", "Chủ tịch Hội Cựu chiến binh xã"),
    ),
    "military": (
        ("Quân nhân", "Chỉ huy trưởng Ban Chỉ huy quân sự xã"),
        ("Quân nhân", "Chỉ huy phó Ban Chỉ huy quân sự xã"), ("Dân quân", "Trung đội trưởng"),
    ),
    "school": (("Giáo viên", "Giáo viên"), ("Giáo viên", "Tổ trưởng chuyên môn"),
               ("Viên chức", "Kế toán trường học")),
    "health": (("Viên chức y tế", "Y sĩ"), ("Viên chức y tế", "Điều dưỡng"),
               ("Viên chức y tế", "Dược sĩ")),
}  # fmt: skip
UNION_JOBS = (
    "Chuyên viên Văn phòng",
    "Chuyên viên Ban Tổ chức – Kiểm tra",
    "Chuyên viên Ban Tuyên giáo",
    "Chuyên viên Ban Gia đình – Xã hội",
    "Chuyên viên Ban Kinh tế",
    "Kế toán",
    "Lái xe",
    "Viên chức Trung tâm Hỗ trợ phụ nữ",
)


@dataclass(frozen=True)
class Login:
    username: str
    full_name: str
    what: Any  # a lazy Vietnamese description, printed by `chibo demo`


LOGINS: tuple[Login, ...] = (
    Login("admin", "", gettext_lazy("Quản trị toàn hệ thống")),
    Login("tinhuy", "Đỗ Minh Tuấn", gettext_lazy("Theo dõi Đảng bộ tỉnh và Hội LHPN tỉnh")),
    Login(
        "danguy",
        "Hoàng Văn Thắng",
        gettext_lazy("Bí thư Đảng ủy xã Đại Từ; theo dõi Hội LHPN xã"),
    ),
    Login("bithu1", "Nguyễn Văn Bình", gettext_lazy("Bí thư Chi bộ xóm Đồng Tiến (DU-DT-CB01)")),
    Login("bithu2", "Lê Đức Dũng", gettext_lazy("Bí thư Chi bộ xóm Tân Lập (DU-DT-CB02)")),
    Login("dangvien1", "Nguyễn Văn An", gettext_lazy("Đảng viên Chi bộ xóm Đồng Tiến")),
    Login("chihoi1", "Đặng Thị Ánh", gettext_lazy("Chi hội trưởng Chi hội Phụ nữ xóm Đồng Tiến")),
)
PERSONA_NAMES = frozenset(login.full_name for login in LOGINS if login.full_name)


def demo_state() -> str:
    """'absent', 'complete' or 'partial' (some of the demo is there, not all of it)."""
    roots = Org.objects.filter(code__in=ROOT_CODES).count()
    users = User.objects.filter(username__in=[login.username for login in LOGINS]).count()
    if roots == len(ROOT_CODES) and users == len(LOGINS):
        return "complete"
    if roots == 0 and users == 0:
        return "absent"
    return "partial"


def seed_demo(*, reset: bool = False, progress: Progress = quiet) -> None:
    """Write the demo, unless it is already there; with `reset`, rebuild it from scratch."""
    with transaction.atomic():
        state = demo_state()
        if state == "complete" and not reset:
            progress(_("Dữ liệu mẫu đã có, không ghi thêm."))
            return
        if state != "absent":
            progress(_("Xóa dữ liệu mẫu cũ…"))
            purge(
                org_roots=list(Org.objects.filter(code__in=ROOT_CODES)),
                usernames=[login.username for login in LOGINS],
                progress=progress,
            )
        _DemoBuilder(timezone.localdate(), progress).build()


@dataclass
class _Seat:
    """A membership waiting for its person to be saved."""

    person: Person
    org: Org
    values: dict[str, Any]


@dataclass
class _Unit:
    org: Org
    people: list[Person] = field(default_factory=list)
    names: set[str] = field(default_factory=set)


class _DemoBuilder:
    def __init__(self, today: datetime.date, progress: Progress) -> None:
        self.today = today
        self.progress = progress
        self.rng = random.Random(SEED)
        self.names = NameMaker(ETHNICITIES_THAI_NGUYEN)
        self.citizen_ids = CitizenIds(self.rng)
        self.rural_jobs = Weighted.of(RURAL_OCCUPATIONS)
        self.women_jobs = Weighted.of(WOMEN_OCCUPATIONS)
        self.rural_elder_jobs = Weighted.of(RURAL_ELDER_OCCUPATIONS)
        self.women_elder_jobs = Weighted.of(WOMEN_ELDER_OCCUPATIONS)
        self.ward = divisions.find_ward(PROVINCE, "Xã Đại Từ")
        self.city_ward = divisions.find_ward(PROVINCE, "Phường Phan Đình Phùng")
        self.persons: list[Person] = []
        self.seats: list[_Seat] = []
        self.units: dict[str, _Unit] = {}
        self.personas: dict[str, Person] = {}
        self.card_serial = self.rng.randrange(120_000, 160_000)

    # --- orgs -----------------------------------------------------------------------------

    def _org(self, parent: Org | None, code: str, name: str, **extra: Any) -> Org:
        org = org_create(parent=parent, code=code, name=name, province_code=PROVINCE, **extra)
        self.units[code] = _Unit(org)
        return org

    def build_orgs(self) -> None:
        party, women = Family.PARTY, Family.WOMEN
        self.province = self._org(
            None,
            "TU-TN",
            "Đảng bộ tỉnh Thái Nguyên",
            short_name="Tỉnh ủy Thái Nguyên",
            family=party,
            level=Level.PROVINCE,
        )
        self.commune = self._org(
            self.province,
            "DU-DT",
            "Đảng bộ xã Đại Từ",
            short_name="Đảng ủy xã Đại Từ",
            family=party,
            level=Level.BASE,
            ward_code=self.ward,
        )
        self.cells: list[Org] = []
        for index, hamlet in enumerate(HAMLETS_DAI_TU, start=1):
            self.cells.append(
                self._org(
                    self.commune,
                    f"DU-DT-CB{index:02d}",
                    f"Chi bộ xóm {hamlet}",
                    family=party,
                    level=Level.BRANCH,
                    ward_code=self.ward,
                    hamlet=f"Xóm {hamlet}",
                )
            )
        for offset, (name, _size, _kind) in enumerate(AGENCY_CELLS):
            index = len(HAMLETS_DAI_TU) + 1 + offset
            self.cells.append(
                self._org(
                    self.commune,
                    f"DU-DT-CB{index:02d}",
                    name,
                    family=party,
                    level=Level.BRANCH,
                    ward_code=self.ward,
                )
            )
        self.bloc = self._org(
            self.province,
            "DBK-TN",
            "Đảng bộ Khối các cơ quan tỉnh",
            short_name="Đảng ủy Khối các cơ quan tỉnh",
            family=party,
            level=Level.DISTRICT,
        )
        self.union_committee = self._org(
            self.bloc,
            "DU-HLHPN",
            "Đảng bộ cơ quan Hội LHPN tỉnh",
            short_name="Đảng ủy cơ quan Hội LHPN tỉnh",
            family=party,
            level=Level.BASE,
            ward_code=self.city_ward,
        )
        self.union_cells = [
            self._org(
                self.union_committee,
                f"DU-HLHPN-CB{index}",
                name,
                family=party,
                level=Level.BRANCH,
                ward_code=self.city_ward,
            )
            for index, (name, _size) in enumerate(AGENCY_UNION_CELLS, start=1)
        ]
        self.old_commune = self._org(
            self.province,
            "DU-HT",
            "Đảng bộ xã Hà Thượng",
            short_name="Đảng ủy xã Hà Thượng",
            family=party,
            level=Level.BASE,
        )
        self.old_cells = [
            self._org(
                self.old_commune,
                f"DU-HT-CB{index:02d}",
                name,
                family=party,
                level=Level.BRANCH,
                hamlet="Xóm Hạ Vụ" if kind == "rural" else "",
            )
            for index, (name, _size, kind, _target) in enumerate(HA_THUONG_CELLS, start=1)
        ]
        self.women_province = self._org(
            None,
            "HLHPN-TN",
            "Hội Liên hiệp Phụ nữ tỉnh Thái Nguyên",
            short_name="Hội LHPN tỉnh Thái Nguyên",
            family=women,
            level=Level.PROVINCE,
        )
        self.women_commune = self._org(
            self.women_province,
            "HLHPN-DT",
            "Hội Liên hiệp Phụ nữ xã Đại Từ",
            short_name="Hội LHPN xã Đại Từ",
            family=women,
            level=Level.BASE,
            ward_code=self.ward,
        )
        self.branches = [
            self._org(
                self.women_commune,
                f"HLHPN-DT-CH{index:02d}",
                f"Chi hội Phụ nữ xóm {hamlet}",
                family=women,
                level=Level.BRANCH,
                ward_code=self.ward,
                hamlet=f"Xóm {hamlet}",
            )
            for index, hamlet in enumerate(HAMLETS_DAI_TU, start=1)
        ]

    # --- people ---------------------------------------------------------------------------

    def _hometown(self) -> tuple[str, str]:
        """(hometown, CCCD birth code): most people were born where their family comes from."""
        if self.rng.random() < 0.86:
            commune = self.rng.choice(OLD_COMMUNES)
            kind = "thị trấn" if commune == "Hùng Sơn" else "xã"
            return f"{kind} {commune}, huyện Đại Từ, tỉnh Thái Nguyên", CCCD_HOME
        place, code = self.rng.choice(OTHER_HOMES)
        return place, code if self.rng.random() < 0.7 else CCCD_HOME

    def _person(
        self,
        unit: _Unit,
        *,
        female: bool,
        born: datetime.date,
        address: str,
        occupation: str,
        job_position: str = "",
        full_name: str = "",
        ethnicity: str = "",
        email_domain: str = "",
    ) -> Person:
        ethnicity = ethnicity or self.names.ethnicity(self.rng)
        if full_name:
            family = middle = given = ""
        else:
            while True:
                family, middle, given = self.names.name(
                    self.rng, female=female, birth_year=born.year, ethnicity=ethnicity
                )
                candidate = f"{family} {middle} {given}"
                if candidate not in unit.names and candidate not in PERSONA_NAMES:
                    break
        hometown, birth_code = self._hometown()
        elderly = self.today.year - born.year >= 75
        citizen_id = (
            ""
            if elderly and self.rng.random() < 0.15
            else self.citizen_ids.draw(birth_code, born.year, female=female)
        )
        phone = "" if self.rng.random() < (0.35 if elderly else 0.06) else phone_number(self.rng)
        religion = self.rng.choices(("Không", "Phật giáo", "Công giáo"), (94, 5, 1))[0]
        person = person_build(
            PersonData(
                family_name=family,
                middle_name=middle,
                given_name=given,
                full_name=full_name,
                gender=Gender.FEMALE if female else Gender.MALE,
                birth_date=born,
                citizen_id=citizen_id,
                phone=phone,
                ethnicity=ethnicity,
                religion=religion,
                hometown=hometown,
                address=address,
                occupation=occupation,
                job_position=job_position,
            )
        )
        if email_domain:
            local = fold(f"{person.given_name}{person.family_name}").replace(" ", "")
            person.email = f"{local}{self.rng.randint(1, 99)}@{email_domain}"
        unit.names.add(person.full_name)
        self.persons.append(person)
        return person

    def _card(self) -> str:
        self.card_serial += self.rng.randint(1, 37)
        return f"19{self.card_serial:06d}"

    def _party_seat(
        self, person: Person, org: Org, *, status: str = "", joined: datetime.date | None = None
    ) -> None:
        """A party membership with admission dates that fit the person's age."""
        assert person.birth_date is not None
        born = person.birth_date
        age = self.today.year - born.year
        if not status:
            roll = self.rng.random()
            if age >= 72 and roll < 0.14:
                status = MembershipStatus.EXEMPT
            elif 20 <= age <= 40 and roll < 0.10:
                status = MembershipStatus.PROBATIONARY
            else:
                status = MembershipStatus.OFFICIAL
        official: datetime.date | None
        if joined is not None:
            official = add_days(add_years(joined, 1), self.rng.randint(0, 40))
        else:
            probationary = status == MembershipStatus.PROBATIONARY
            joined, official = admission_dates(
                self.rng, born, self.today, probationary=probationary
            )
            if official is None:
                status = MembershipStatus.PROBATIONARY
        values: dict[str, Any] = {
            "family": Family.PARTY,
            "status": status,
            "joined_on": joined,
            "official_on": official,
            "card_number": self._card() if official else "",
            "started_on": joined
            if self.rng.random() < 0.7
            else random_day(self.rng, joined, add_years(self.today, -1)),
        }
        if status == MembershipStatus.EXEMPT:
            values["status_changed_on"] = random_day(
                self.rng, add_years(self.today, -5), add_days(self.today, -30)
            )
            values["status_reason"] = self.rng.choice(EXEMPT_REASONS)
        elif status == MembershipStatus.DECEASED:
            ended = random_day(self.rng, add_years(self.today, -2), add_days(self.today, -60))
            values.update(status_changed_on=ended, ended_on=ended, end_reason=EndReason.STATUS)
        self.seats.append(_Seat(person, org, values))

    def _women_seat(
        self, person: Person, org: Org, *, status: str = MembershipStatus.ACTIVE
    ) -> None:
        assert person.birth_date is not None
        born = person.birth_date
        start = add_years(born, 18)
        joined = random_day(self.rng, start, min(add_years(born, 32), add_days(self.today, -30)))
        values: dict[str, Any] = {
            "family": Family.WOMEN,
            "status": status,
            "joined_on": joined,
            "started_on": joined,
        }
        if status == MembershipStatus.LEFT:
            ended = random_day(self.rng, add_years(self.today, -3), add_days(self.today, -30))
            values.update(
                status_changed_on=ended,
                ended_on=ended,
                end_reason=EndReason.STATUS,
                status_reason="Chuyển đến nơi ở mới ngoài xã",
            )
        self.seats.append(_Seat(person, org, values))

    def _rural_member(
        self, cell: Org, hamlet: str, *, status: str = "", ages: tuple[int, int] | None = None
    ) -> Person:
        female = self.rng.random() < 0.32
        band = self.rng.random()
        if ages is None:
            ages = (62, 86) if band < 0.38 else (35, 61) if band < 0.84 else (21, 34)
        born = birth_day(self.rng, self.today, *ages)
        age = self.today.year - born.year
        jobs = self.rural_elder_jobs if age >= 62 else self.rural_jobs
        occupation = jobs.pick(self.rng)
        person = self._person(
            self.units[cell.code],
            female=female,
            born=born,
            address=f"Xóm {hamlet}, xã Đại Từ, tỉnh Thái Nguyên",
            occupation=occupation,
        )
        self._party_seat(person, cell, status=status)
        return person

    def _agency_member(self, cell: Org, kind: str) -> Person:
        female = self.rng.random() < {"school": 0.72, "health": 0.6, "office": 0.4}.get(kind, 0.1)
        born = birth_day(self.rng, self.today, 24, 58)
        occupation, job = self.rng.choice(AGENCY_JOBS[kind])
        if self.rng.random() < 0.7:
            address = f"Xóm {self.rng.choice(HAMLETS_DAI_TU)}, xã Đại Từ, tỉnh Thái Nguyên"
        else:
            address = f"{self.rng.choice(NEIGHBOUR_WARDS)}, tỉnh Thái Nguyên"
        person = self._person(
            self.units[cell.code],
            female=female,
            born=born,
            address=address,
            occupation=occupation,
            job_position=job,
            email_domain="thainguyen.gov.vn" if kind == "office" else "",
        )
        self._party_seat(person, cell)
        return person

    def _persona(
        self,
        username: str,
        unit: _Unit,
        *,
        female: bool,
        born: datetime.date,
        address: str,
        occupation: str,
        job_position: str = "",
        ethnicity: str = "Kinh",
    ) -> Person:
        full_name = next(login.full_name for login in LOGINS if login.username == username)
        person = self._person(
            unit,
            female=female,
            born=born,
            address=address,
            occupation=occupation,
            job_position=job_position,
            full_name=full_name,
            ethnicity=ethnicity,
        )
        self.personas[username] = person
        return person

    def build_people(self) -> None:
        rng = self.rng
        cb01, cb02, cb14 = self.cells[0], self.cells[1], self.cells[13]
        hamlet_address = "Xóm {}, xã Đại Từ, tỉnh Thái Nguyên".format
        bithu1 = self._persona(
            "bithu1",
            self.units[cb01.code],
            female=False,
            born=datetime.date(1968, 3, 14),
            address=hamlet_address(HAMLETS_DAI_TU[0]),
            occupation="Nông dân",
            job_position="Bí thư Chi bộ, Trưởng xóm",
        )
        self._party_seat(
            bithu1, cb01, status=MembershipStatus.OFFICIAL, joined=datetime.date(1994, 5, 19)
        )
        dangvien1 = self._persona(
            "dangvien1",
            self.units[cb01.code],
            female=False,
            born=datetime.date(1980, 9, 2),
            address=hamlet_address(HAMLETS_DAI_TU[0]),
            occupation="Làm chè",
        )
        self._party_seat(
            dangvien1, cb01, status=MembershipStatus.OFFICIAL, joined=datetime.date(2008, 12, 26)
        )
        bithu2 = self._persona(
            "bithu2",
            self.units[cb02.code],
            female=False,
            born=datetime.date(1972, 11, 20),
            address=hamlet_address(HAMLETS_DAI_TU[1]),
            occupation="Kinh doanh, dịch vụ",
            job_position="Bí thư Chi bộ",
        )
        self._party_seat(
            bithu2, cb02, status=MembershipStatus.OFFICIAL, joined=datetime.date(1999, 2, 3)
        )
        danguy = self._persona(
            "danguy",
            self.units[cb14.code],
            female=False,
            born=datetime.date(1975, 6, 8),
            address=hamlet_address(HAMLETS_DAI_TU[12]),
            occupation="Cán bộ",
            job_position="Bí thư Đảng ủy xã",
            ethnicity="Tày",
        )
        self._party_seat(
            danguy, cb14, status=MembershipStatus.OFFICIAL, joined=datetime.date(1997, 9, 2)
        )
        chihoi1 = self._persona(
            "chihoi1",
            self.units[self.branches[0].code],
            female=True,
            born=datetime.date(1979, 4, 27),
            address=hamlet_address(HAMLETS_DAI_TU[0]),
            occupation="Nông dân",
            job_position="Chi hội trưởng Chi hội Phụ nữ",
        )
        self._women_seat(chihoi1, self.branches[0])
        self._persona(
            "tinhuy",
            _Unit(self.province),
            female=False,
            born=datetime.date(1970, 1, 15),
            address="Phường Phan Đình Phùng, tỉnh Thái Nguyên",
            occupation="Công chức",
            job_position="Chuyên viên Ban Tổ chức Tỉnh ủy",
        )

        preset = {cb01.code: 2, cb02.code: 1, cb14.code: 1}
        self.rural_women: dict[int, list[Person]] = {i: [] for i in range(len(HAMLETS_DAI_TU))}
        for index, (cell, size) in enumerate(
            zip(self.cells[: len(RURAL_SIZES)], RURAL_SIZES, strict=True)
        ):
            hamlet = HAMLETS_DAI_TU[index]
            for _seat in range(size - preset.get(cell.code, 0)):
                person = self._rural_member(cell, hamlet)
                if person.gender == Gender.FEMALE:
                    self.rural_women[index].append(person)
            if index in (2, 6):  # a member who died, kept on record
                self._rural_member(cell, hamlet, status=MembershipStatus.DECEASED, ages=(74, 92))
        for offset, (_name, size, kind) in enumerate(AGENCY_CELLS):
            cell = self.cells[len(HAMLETS_DAI_TU) + offset]
            for _seat in range(size - preset.get(cell.code, 0)):
                self._agency_member(cell, kind)

        for cell, (_name, size, kind, target) in zip(self.old_cells, HA_THUONG_CELLS, strict=True):
            for _seat in range(size):
                if kind == "rural":
                    person = self._rural_member(cell, "Hạ Vụ")
                    person.address = hamlet_address(HAMLETS_DAI_TU[target - 1])
                    if person.gender == Gender.FEMALE:
                        self.rural_women[target - 1].append(person)
                else:
                    self._agency_member(cell, kind)

        for cell, (_name, size) in zip(self.union_cells, AGENCY_UNION_CELLS, strict=True):
            for _seat in range(size):
                female = rng.random() < 0.84
                born = birth_day(rng, self.today, 25, 59)
                person = self._person(
                    self.units[cell.code],
                    female=female,
                    born=born,
                    address=f"{rng.choice(CITY_WARDS)}, tỉnh Thái Nguyên",
                    occupation="Công chức" if rng.random() < 0.8 else "Viên chức",
                    job_position=rng.choice(UNION_JOBS if female else UNION_JOBS[-2:]),
                    email_domain="thainguyen.gov.vn",
                )
                self._party_seat(person, cell)

        for index, (branch, size) in enumerate(zip(self.branches, BRANCH_SIZES, strict=True)):
            unit = self.units[branch.code]
            members = self.rural_women[index]
            for woman in members:
                unit.names.add(woman.full_name)
                self._women_seat(woman, branch)
            filled = len(members) + (1 if index == 0 else 0)
            hamlet = HAMLETS_DAI_TU[index]
            for number in range(size - filled + (1 if index % 4 == 1 else 0)):
                band = rng.random()
                ages = (18, 30) if band < 0.16 else (31, 55) if band < 0.7 else (56, 82)
                born = birth_day(rng, self.today, *ages)
                age = self.today.year - born.year
                person = self._person(
                    unit,
                    female=True,
                    born=born,
                    address=hamlet_address(hamlet),
                    occupation=(self.women_elder_jobs if age >= 60 else self.women_jobs).pick(rng),
                )
                # Branches 2, 6 and 10 also keep a member who moved away.
                left = index % 4 == 1 and number == 0
                self._women_seat(
                    person,
                    branch,
                    status=MembershipStatus.LEFT if left else MembershipStatus.ACTIVE,
                )

    def save_people(self) -> None:
        Person.objects.bulk_create(self.persons, batch_size=500)
        memberships = [
            Membership(person=seat.person, org=seat.org, **seat.values) for seat in self.seats
        ]
        Membership.objects.bulk_create(memberships, batch_size=500)
        for membership in memberships:
            self.units[membership.org.code].people.append(membership.person)
        person_org: dict[int, int] = {}
        entries: list[AuditEntry] = []
        for membership in memberships:
            person = membership.person
            if person.pk not in person_org:
                person_org[person.pk] = membership.org_id
                entries.append(
                    AuditEntry(
                        action=AuditEntry.Action.CREATE,
                        subject_type=person._meta.label_lower,
                        subject_id=person.pk,
                        org_id=membership.org_id,
                        person_id=person.pk,
                        summary=_("Thêm người %(name)s") % {"name": person.full_name},
                        after=snapshot(person, PERSON_FIELDS),
                    )
                )
            entries.append(
                AuditEntry(
                    action=AuditEntry.Action.CREATE,
                    subject_type=membership._meta.label_lower,
                    subject_id=membership.pk,
                    org_id=membership.org_id,
                    person_id=person.pk,
                    summary=_("%(name)s sinh hoạt tại %(org)s")
                    % {"name": person.full_name, "org": membership.org.name},
                    after=snapshot(membership, MEMBERSHIP_FIELDS),
                )
            )
        AuditEntry.objects.bulk_create(entries, batch_size=500)

    # --- offices, the merger, logins ----------------------------------------------------------

    def _officers(
        self, org: Org, titles: Sequence[str], *, on: datetime.date, first: Person | None = None,
        exclude: frozenset[int] = frozenset(),
    ) -> list[Person]:  # fmt: skip
        """Give the titles to members of `org` (current, official, of working age or so)."""
        candidates = [
            person
            for person in self.units[org.code].people
            if person.pk not in exclude and person.full_name not in PERSONA_NAMES
        ]
        self.rng.shuffle(candidates)
        # Officers are mostly of working age; the very young and the very old come last.
        candidates.sort(key=lambda person: not self._working_age(person))
        holders = [first] if first is not None else []
        holders += candidates[: len(titles) - len(holders)]
        for person, title in zip(holders, titles, strict=False):
            position_assign(person=person, org=org, title=title, started_on=on)
        return holders

    def _working_age(self, person: Person) -> bool:
        return (
            person.birth_date is not None and 28 <= self.today.year - person.birth_date.year <= 66
        )

    def build_offices(self) -> None:
        rng = self.rng
        persona = self.personas
        busy = frozenset(person.pk for person in persona.values())
        cell_secretaries: list[Person] = []
        for index, cell in enumerate(self.cells):
            size = len(self.units[cell.code].people)
            titles = [Title.SECRETARY, Title.DEPUTY_SECRETARY]
            if size >= 9:
                titles.append(Title.COMMITTEE_MEMBER)
            first = {0: persona["bithu1"], 1: persona["bithu2"]}.get(index)
            on = datetime.date(2025, 4, 10) + datetime.timedelta(days=rng.randint(0, 45))
            holders = self._officers(cell, titles, on=on, first=first, exclude=busy)
            cell_secretaries.append(holders[0])
        committee_day = MERGER_DAY
        position_assign(
            person=persona["danguy"],
            org=self.commune,
            title=Title.SECRETARY,
            started_on=committee_day,
        )
        office = self.units[self.cells[13].code]
        deputies = [
            p for p in office.people if p.pk not in busy and p.full_name not in PERSONA_NAMES
        ][:3]
        for person, title in zip(
            deputies,
            (Title.DEPUTY_SECRETARY, Title.DEPUTY_SECRETARY, Title.STANDING_MEMBER),
            strict=True,
        ):
            position_assign(person=person, org=self.commune, title=title, started_on=committee_day)
        for person in cell_secretaries[2:8]:
            position_assign(
                person=person,
                org=self.commune,
                title=Title.COMMITTEE_MEMBER,
                started_on=committee_day,
            )

        union_secretaries = []
        for cell in self.union_cells:
            size = len(self.units[cell.code].people)
            titles = [Title.SECRETARY] + ([Title.DEPUTY_SECRETARY] if size >= 6 else [])
            holders = self._officers(cell, titles, on=datetime.date(2025, 5, 15))
            union_secretaries.append(holders[0])
        for person, title in zip(
            union_secretaries[:3],
            (Title.SECRETARY, Title.DEPUTY_SECRETARY, Title.STANDING_MEMBER),
            strict=True,
        ):
            position_assign(
                person=person,
                org=self.union_committee,
                title=title,
                started_on=datetime.date(2025, 6, 20),
            )

        chair_pool: list[Person] = []
        for index, branch in enumerate(self.branches):
            first = persona["chihoi1"] if index == 0 else None
            holders = self._officers(
                branch,
                [Title.BRANCH_HEAD, Title.BRANCH_DEPUTY],
                on=datetime.date(2022, 9, 1) + datetime.timedelta(days=rng.randint(0, 30)),
                first=first,
                exclude=busy,
            )
            chair_pool.extend(
                woman
                for woman in self.rural_women[index]
                if woman not in holders and self._working_age(woman)
            )
        chair, vice = chair_pool[4], chair_pool[11]
        position_assign(
            person=chair,
            org=self.women_commune,
            title=Title.CHAIR,
            started_on=datetime.date(2021, 10, 12),
        )
        position_assign(
            person=vice,
            org=self.women_commune,
            title=Title.VICE_CHAIR,
            started_on=datetime.date(2021, 10, 12),
        )

    def build_merger(self) -> None:
        """Before 1/7/2025 Hà Thượng was a commune of its own; its cells joined Đại Từ's."""
        old_term = datetime.date(2020, 6, 18)
        last_day = MERGER_DAY - datetime.timedelta(days=1)
        old_secretaries = [
            self._officers(cell, [Title.SECRETARY], on=old_term)[0] for cell in self.old_cells
        ]
        position_assign(
            person=old_secretaries[0],
            org=self.old_commune,
            title=Title.SECRETARY,
            started_on=old_term,
        )
        # The old offices end the day before the merger; the new commune elects its own.
        for position in Position.objects.filter(
            org__in=[self.old_commune, *self.old_cells], ended_on__isnull=True
        ):
            position_end(position=position, on=last_day)
        for cell, (_name, _size, _kind, target) in zip(
            self.old_cells, HA_THUONG_CELLS, strict=True
        ):
            org_merge(source=cell, target=self.cells[target - 1], on=MERGER_DAY)
        org_merge(source=self.old_commune, target=self.commune, on=MERGER_DAY)

    def build_logins(self) -> None:
        admin = User.objects.create_user("admin", password=DEMO_PASSWORD)
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])
        users = {"admin": admin}
        for login in LOGINS[1:]:
            # One password hash, reused: hashing is deliberately slow.
            users[login.username] = User.objects.create(
                username=login.username, password=admin.password
            )
        for username, person in self.personas.items():
            person.user = users[username]
            person.save(update_fields=["user"])
        grant_create(user=users["tinhuy"], org=self.province, role=Role.VIEWER)
        grant_create(user=users["tinhuy"], org=self.women_province, role=Role.VIEWER)
        grant_create(user=users["danguy"], org=self.women_commune, role=Role.VIEWER)

    def build(self) -> None:
        self.build_orgs()
        self.build_people()
        probation = prepare_probation(self)
        self.save_people()
        self.build_offices()
        self.build_merger()
        self.build_logins()
        build_party_life(self, probation)
        self.progress(
            _("Đã tạo %(orgs)s tổ chức, %(people)s người, %(seats)s lượt sinh hoạt.")
            % {"orgs": len(self.units), "people": len(self.persons), "seats": len(self.seats)}
        )
