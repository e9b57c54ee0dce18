"""A year of "làm theo Bác" models, funds, emulation and awards in the demo province, with
the figures of the seed articles.

- The women's union of the commune (Hà Thượng, now Đại Từ): every branch but the first
  keeps a rice jar, "Hũ gạo tiết kiệm giúp đỡ hội viên nghèo", each member giving 1 kg of
  rice a year, converted into money ("đến nay đã được quy ra tiền") at 15.000 đ/kg, and
  poor members helped from it; the commune union gives savings books of 3,5 to 5 million
  đồng to families in great hardship. The first branch (chihoi1's) saves with piggy banks
  ("Nuôi heo đất", the Sóc Trăng article).
- Party cells: a cleaner, greener hamlet, lights along the village road, power and water
  saved at the commune offices, a piggy bank for poor pupils at the school, and the
  "Nhóm từ thiện nhân ái" of Lò Mật (21 members, 20.000 đ a month each, three families
  helped).
- Overlaps on purpose: the cell and the women's branch of xóm Đồng Khuôn both keep a rice
  jar for the same households; the commune office's cell registered lights along the road
  of xóm Hòa Bình, which that hamlet's cell already does.
- The provincial women's union's agency: savings of about 300 million đồng a year lent to
  staff, and working sessions at the grassroots (the Nam Định article: 3.218 sessions and
  73 initiatives in five years).
- An emulation movement of the commune committee, scored by the cells (most confirmed,
  bithu1's and bithu2's cells still to score), one of the commune women's union; good
  examples; awards: the Prime Minister's Bằng khen to the commune's party organisation
  (Hà Thượng), Giấy khen of the commune committee to cells and members, the provincial
  committee's Bằng khen to the women's union agency, and a Giấy khen for chihoi1.

Idempotent: once the province has a model, nothing more is written. Rows go in with
bulk_create, without audit entries (generated data, like the rest of the demo).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.vntext import fold
from chibo.initiatives.models import (
    Award,
    Criterion,
    Exemplar,
    FundContribution,
    FundPayout,
    Indicator,
    IndicatorKind,
    Initiative,
    MeasureUnit,
    Movement,
    ResultEntry,
    SavingsFund,
    Score,
    ScoreSheet,
)
from chibo.initiatives.services import catalogue_ensure
from chibo.orgs.models import Org
from chibo.people.models import Membership, Person

Progress = Callable[[str], None]
SEED = 20160515  # Chỉ thị 05-CT/TW, 15/5/2016
ROOTS = ("TU-TN", "HLHPN-TN")
RICE_PRICE = Decimal(15_000)
# Cells that have not scored themselves yet (bithu1's and bithu2's, for the walkthrough).
UNSCORED = ("DU-DT-CB01", "DU-DT-CB02")


def _quiet(_message: str) -> None:
    """No progress messages (tests)."""


def seed_initiatives_demo(
    *, today: datetime.date | None = None, progress: Progress = _quiet
) -> int:
    """Write the demo's models, results, funds, movements, exemplars and awards unless
    they are there; the number of rows written."""
    today = today or timezone.localdate()
    with transaction.atomic():
        catalogue_ensure()
        roots = list(Org.objects.filter(code__in=ROOTS))
        if len(roots) != len(ROOTS):
            progress(_("Chưa có dữ liệu mẫu của tỉnh, bỏ qua mô hình mẫu."))
            return 0
        if Initiative.objects.filter(org__code__startswith="DU-DT").exists():
            progress(_("Mô hình, thi đua mẫu đã có, không ghi thêm."))
            return 0
        written = _Builder(today).build()
    progress(_("Mô hình, thi đua, khen thưởng mẫu: %(n)s dòng.") % {"n": written})
    return written


class _Builder:
    def __init__(self, today: datetime.date) -> None:
        self.today = today
        self.year = today.year
        self.start = datetime.date(self.year, 1, 1)
        self.rng = random.Random(SEED)
        self.units = {unit.code: unit for unit in MeasureUnit.objects.all()}
        self.kinds = {kind.code: kind for kind in IndicatorKind.objects.all()}
        self.orgs = {org.code: org for org in Org.objects.all()}
        self.written = 0

    # --- helpers -------------------------------------------------------------------------

    def day(self, month: int, day: int = 1) -> datetime.date:
        return min(datetime.date(self.year, month, day), self.today)

    def months(self) -> list[datetime.date]:
        """The 25th of every month of the year so far."""
        return [
            datetime.date(self.year, month, 25)
            for month in range(1, 13)
            if datetime.date(self.year, month, 25) <= self.today
        ]

    def quarters(self) -> list[datetime.date]:
        ends = [(3, 31), (6, 30), (9, 30), (12, 31)]
        return [d for m, day in ends if (d := datetime.date(self.year, m, day)) <= self.today]

    def roll(self, code: str) -> list[Person]:
        ids = (
            Membership.objects.current()
            .filter(org__path__startswith=self.orgs[code].path)
            .values_list("person_id", flat=True)
        )
        return list(Person.objects.filter(pk__in=ids).order_by("sort_key", "pk"))

    def model(
        self,
        code: str,
        kind: str,
        title: str,
        tasks: Sequence[str],
        indicators: Sequence[tuple[str, str, Decimal | int | None]],
        *,
        hamlet: str | None = None,
        beneficiaries: str = "",
        participants: str = "",
        owner: Person | None = None,
        starts_on: datetime.date | None = None,
    ) -> tuple[Initiative, list[Indicator]]:
        org = self.orgs[code]
        place = org.hamlet if hamlet is None else hamlet
        initiative = Initiative.objects.create(
            org=org,
            kind=kind,
            title=title,
            title_folded=fold(title),
            owner_person=owner,
            participants=participants,
            tasks="\n".join(tasks),
            ward_code=org.ward_code,
            hamlet=place,
            hamlet_folded=fold(place),
            beneficiaries=beneficiaries,
            starts_on=starts_on or self.start,
        )
        rows = Indicator.objects.bulk_create(
            Indicator(
                initiative=initiative,
                kind=self.kinds[kind_code],
                unit=self.units[unit],
                target=Decimal(target) if target is not None else None,
                position=index,
            )
            for index, (kind_code, unit, target) in enumerate(indicators)
        )
        self.written += 1 + len(rows)
        return initiative, rows

    def results(
        self,
        indicator: Indicator,
        entries: Sequence[tuple[datetime.date, Decimal | int | float, str]],
    ) -> None:
        made = ResultEntry.objects.bulk_create(
            ResultEntry(
                indicator=indicator,
                on=on,
                quantity=Decimal(str(quantity)).quantize(Decimal("0.001")),
                unit=self.units[unit],
            )
            for on, quantity, unit in entries
            if on <= self.today
        )
        self.written += len(made)

    def fund(
        self, initiative: Initiative, *, in_kind: str = "", rate: Decimal | None = None
    ) -> SavingsFund:
        fund = SavingsFund.objects.create(
            initiative=initiative,
            unit=self.units["dong"],
            in_kind_unit=self.units[in_kind] if in_kind else None,
            in_kind_rate=rate if in_kind else None,
        )
        self.written += 1
        return fund

    def give(
        self,
        fund: SavingsFund,
        people: Sequence[Person],
        on: datetime.date,
        quantity: Decimal,
        unit: str,
    ) -> Decimal:
        """The same gift from each of `people`; returns what it adds to the fund."""
        value = quantity * self.units[unit].factor
        if fund.in_kind_unit is not None and unit == fund.in_kind_unit.code:
            value = quantity * (fund.in_kind_rate or 0)
        FundContribution.objects.bulk_create(
            FundContribution(
                fund=fund,
                person=person,
                on=on,
                quantity=quantity,
                unit=self.units[unit],
                value=value,
            )
            for person in people
        )
        self.written += len(people)
        return value * len(people)

    def pay(
        self,
        fund: SavingsFund,
        rows: Sequence[tuple[str, str, datetime.date, int, str]],
        *,
        balance: Decimal,
    ) -> list[tuple[str, str, datetime.date, int, str]]:
        """Pay the rows the fund can afford, in order (the balance always adds up)."""
        paid = []
        for row in rows:
            if row[2] <= self.today and row[3] <= balance:
                balance -= row[3]
                paid.append(row)
        FundPayout.objects.bulk_create(
            FundPayout(
                fund=fund,
                beneficiary=who,
                address=where,
                on=on,
                amount=Decimal(amount),
                reason=reason,
            )
            for who, where, on, amount, reason in paid
        )
        self.written += len(paid)
        return paid

    # --- the demo ------------------------------------------------------------------------

    def build(self) -> int:
        self.women_branches()
        self.women_commune()
        self.party_cells()
        self.agency()
        self.emulation()
        self.honours()
        return self.written

    def women_branches(self) -> None:
        # chihoi1's branch saves with piggy banks; every other branch keeps a rice jar.
        first = "HLHPN-DT-CH01"
        people = self.roll(first)
        piggy, (money, helped) = self.model(
            first,
            "savings",
            "Nuôi heo đất giúp hội viên khó khăn",
            (
                "Mỗi hội viên nuôi một con heo đất, bỏ tiết kiệm hằng ngày",
                "Cuối quý mổ heo đất, góp vào quỹ của chi hội",
                "Cho hội viên khó khăn vay không lãi để mua giống, phân bón",
            ),
            (("tiet-kiem-tien", "trieu-dong", 20), ("ho-duoc-ho-tro", "ho", 4)),
            participants="Toàn thể hội viên chi hội",
            beneficiaries="Hội viên có hoàn cảnh khó khăn trong xóm",
        )
        fund = self.fund(piggy)
        given = Decimal(0)
        for on in self.quarters():
            given += self.give(fund, people, on, Decimal(50_000), "dong")
            self.results(money, [(on, len(people) * 50_000, "dong")])
        paid = self.pay(
            fund,
            [
                ("Hộ chị Lương Thị Hạnh", "Xóm Đồng Tiến", self.day(4, 10), 3_000_000,
                 "Vay không lãi mua giống lúa vụ xuân"),
                ("Hộ chị Ma Thị Duyên", "Xóm Đồng Tiến", self.day(8, 5), 3_000_000,
                 "Vay không lãi mua lợn giống"),
            ],
            balance=given,
        )  # fmt: skip
        self.results(helped, [(row[2], 1, "ho") for row in paid])

        for number in range(2, 14):
            code = f"HLHPN-DT-CH{number:02d}"
            org = self.orgs[code]
            people = self.roll(code)
            place = org.hamlet[:1].lower() + org.hamlet[1:]  # "xóm Tân Lập"
            jar, (rice, helped) = self.model(
                code,
                "savings",
                f"Hũ gạo tiết kiệm giúp đỡ hội viên nghèo {place}",
                (
                    "Mỗi hội viên góp 1 kg gạo mỗi năm (hoặc tiền tương đương)",
                    "Chi hội quản lý quỹ, công khai thu chi tại sinh hoạt",
                    "Hỗ trợ hội viên nghèo, ốm đau, gặp hoạn nạn",
                ),
                (("tiet-kiem-gao", "kg", len(people)), ("nguoi-duoc-ho-tro", "nguoi", 3)),
                participants="Toàn thể hội viên chi hội",
                beneficiaries="Hội viên nghèo, hội viên ốm đau, gặp hoạn nạn",
                starts_on=datetime.date(2013, 3, 8),
            )
            fund = self.fund(jar, in_kind="kg", rate=RICE_PRICE)
            # Most give in spring, the rest after the harvest; nine in ten have given.
            givers = [p for p in people if self.rng.random() < 0.92]
            spring = givers[: len(givers) * 2 // 3]
            autumn = givers[len(givers) * 2 // 3 :]
            given = self.give(fund, spring, self.day(3, 8), Decimal(1), "kg")
            self.results(rice, [(self.day(3, 8), len(spring), "kg")])
            if self.day(10, 20) < self.today:
                given += self.give(fund, autumn, self.day(10, 20), Decimal(1), "kg")
                self.results(rice, [(self.day(10, 20), len(autumn), "kg")])
            helped_count = 1 + number % 3
            support = int(given * Decimal("0.6") / helped_count // 10_000 * 10_000)
            rows = [
                (f"Hội viên nghèo số {index + 1} {place}", org.hamlet,
                 self.day(6 + index, 15), support, "Hỗ trợ gạo, tiền khi ốm đau")
                for index in range(helped_count)
            ]  # fmt: skip
            paid = self.pay(fund, rows, balance=given)
            self.results(helped, [(row[2], 1, "nguoi") for row in paid])

    def women_commune(self) -> None:
        code = "HLHPN-DT"
        books, (money, helped) = self.model(
            code,
            "savings",
            "Tặng sổ tiết kiệm cho hộ hội viên có hoàn cảnh đặc biệt khó khăn",
            (
                "Vận động hội viên, tổ nữ công đóng góp",
                "Mỗi năm tặng sổ tiết kiệm 3,5 – 5 triệu đồng cho hộ đặc biệt khó khăn",
            ),
            (("tiet-kiem-tien", "trieu-dong", 10), ("ho-duoc-ho-tro", "ho", 2)),
            hamlet="",
            participants="Ban Chấp hành Hội LHPN xã, 13 chi hội",
            beneficiaries="Hộ hội viên có hoàn cảnh đặc biệt khó khăn",
            starts_on=datetime.date(2015, 3, 8),
        )
        fund = self.fund(books)
        heads = list(
            Person.objects.filter(
                positions__org__path__startswith=self.orgs[code].path,
                positions__ended_on__isnull=True,
            ).distinct()
        )
        given = self.give(fund, heads, self.day(3, 8), Decimal(300_000), "dong")
        given += self.give(fund, heads, self.day(9, 1), Decimal(500_000), "dong")
        self.results(money, [(self.day(3, 8), given, "dong")])
        rows = [
            ("Hộ chị Hoàng Thị Lan", "Xóm Khuôn Lân", self.day(5, 19), 3_500_000,
             "Chồng mất, nuôi hai con nhỏ"),
            ("Hộ chị Nông Thị Thu", "Xóm Phố Chợ", self.day(10, 20), 5_000_000,
             "Bản thân bệnh hiểm nghèo"),
        ]  # fmt: skip
        paid = self.pay(fund, rows, balance=given)
        self.results(helped, [(row[2], 1, "ho") for row in paid])

    def party_cells(self) -> None:
        months = self.months()
        _green, (trees, days) = self.model(
            "DU-DT-CB01",
            "model",
            "Xóm Đồng Tiến sáng – xanh – sạch – đẹp",
            (
                "Mỗi đảng viên nhận trồng, chăm sóc cây xanh dọc đường xóm",
                "Tổng vệ sinh đường xóm sáng chủ nhật cuối tháng",
            ),
            (("cay-xanh", "cay", 300), ("ngay-cong", "ngay-cong", 200)),
            participants="Đảng viên chi bộ và các hộ gia đình",
        )
        self.results(trees, [(self.day(2, 20), 180, "cay"), (self.day(8, 15), 95, "cay")])
        self.results(days, [(on, 14 + on.month % 4, "ngay-cong") for on in months])
        _rice, (gifts,) = self.model(
            "DU-DT-CB01",
            "work_item",
            "Góp gạo giúp hộ nghèo xóm Đồng Tiến",
            ("Mỗi đảng viên góp 5 kg gạo dịp Tết và giáp hạt",),
            (("tiet-kiem-gao", "kg", 200),),
            beneficiaries="Hộ nghèo xóm Đồng Tiến",
        )
        self.results(gifts, [(self.day(1, 20), 90, "kg"), (self.day(7, 10), 85, "kg")])

        jar, (rice, helped) = self.model(
            "DU-DT-CB03",
            "savings",
            "Hũ gạo tình thương xóm Đồng Khuôn",
            ("Mỗi đảng viên góp 2 kg gạo mỗi quý", "Tặng gạo cho hộ nghèo trong xóm"),
            (("tiet-kiem-gao", "kg", 300), ("ho-duoc-ho-tro", "ho", 5)),
            beneficiaries="Hộ nghèo, hộ cận nghèo xóm Đồng Khuôn",
        )
        fund = self.fund(jar, in_kind="kg", rate=RICE_PRICE)
        people = self.roll("DU-DT-CB03")
        given = Decimal(0)
        for on in self.quarters():
            given += self.give(fund, people, on, Decimal(2), "kg")
            self.results(rice, [(on, 2 * len(people), "kg")])
        paid = self.pay(
            fund,
            [("Hộ ông Lý Văn Sinh", "Xóm Đồng Khuôn", self.day(7, 1), 450_000,
              "Tặng 30 kg gạo lúc giáp hạt")],
            balance=given,
        )  # fmt: skip
        self.results(helped, [(row[2], 1, "ho") for row in paid])

        _power, (kwh,) = self.model(
            "DU-DT-CB05",
            "work_item",
            "Tiết kiệm điện trong sinh hoạt gia đình đảng viên",
            ("Tắt thiết bị khi không dùng", "Thay bóng đèn sợi đốt bằng đèn LED"),
            (("tiet-kiem-dien", "kwh", 2_400),),
        )
        self.results(kwh, [(on, 180 + 15 * (on.month % 5), "kwh") for on in months])

        _road, (length, money) = self.model(
            "DU-DT-CB12",
            "model",
            "Thắp sáng đường quê",
            ("Lắp đèn chiếu sáng dọc đường liên xóm", "Vận động nhân dân góp tiền, ngày công"),
            (("duong-giao-thong", "km", Decimal("1.5")), ("tiet-kiem-tien", "trieu-dong", 45)),
            participants="Đảng viên và nhân dân xóm Hòa Bình",
        )
        self.results(length, [(self.day(5, 30), 800, "m"), (self.day(9, 2), 500, "m")])
        self.results(money, [(self.day(4, 15), 38, "trieu-dong")])
        # The commune office's cell registers the same lights for the same hamlet.
        _twin, (twin_length,) = self.model(
            "DU-DT-CB14",
            "work_item",
            "Thắp sáng đường quê xóm Hòa Bình",
            ("Đảng viên cơ quan góp tiền mua bóng đèn cho đường xóm",),
            (("duong-giao-thong", "m", 500),),
            hamlet="Xóm Hòa Bình",
            starts_on=self.day(3, 1),
        )
        self.results(twin_length, [(self.day(6, 10), 300, "m")])

        _office, (power, water) = self.model(
            "DU-DT-CB14",
            "work_item",
            "Thực hành tiết kiệm điện, nước, văn phòng phẩm tại trụ sở xã",
            ("Tắt điều hòa, máy tính khi ra về", "Dùng văn bản điện tử thay giấy"),
            (("tiet-kiem-dien", "kwh", 3_000), ("tiet-kiem-nuoc", "m3", 120)),
        )
        self.results(power, [(on, 230 + 10 * (on.month % 3), "kwh") for on in months])
        self.results(water, [(on, 9 + on.month % 4, "m3") for on in months])

        piggy, (pupils,) = self.model(
            "DU-DT-CB16",
            "savings",
            "Nuôi heo đất giúp học sinh nghèo vượt khó",
            ("Mỗi lớp nuôi một heo đất", "Cuối học kỳ trao học bổng cho học sinh nghèo"),
            (("nguoi-duoc-ho-tro", "nguoi", 10),),
        )
        fund = self.fund(piggy)
        teachers = self.roll("DU-DT-CB16")
        given = self.give(fund, teachers, self.day(1, 15), Decimal(200_000), "dong")
        given += self.give(fund, teachers, self.day(9, 5), Decimal(200_000), "dong")
        pupils_helped = [
            (f"Em học sinh lớp {grade}A", "Trường THCS Đại Từ", self.day(5, 20), 500_000,
             "Học bổng vượt khó học tốt")
            for grade in (6, 7, 8, 9)
        ]  # fmt: skip
        paid = self.pay(fund, pupils_helped, balance=given)
        self.results(pupils, [(self.day(5, 20), len(paid), "nguoi")] if paid else [])

        charity, (money, helped) = self.model(
            "DU-DT-CB08",
            "savings",
            "Nhóm từ thiện nhân ái xóm Lò Mật",
            (
                "Mỗi thành viên góp 20.000 đồng mỗi tháng",
                "Giúp gia đình khó khăn; hướng dẫn cách trồng trọt, chăm sóc cây màu",
                "Tặng quà học sinh có hoàn cảnh khó khăn dịp năm học mới",
            ),
            (("tiet-kiem-tien", "dong", 5_040_000), ("ho-duoc-ho-tro", "ho", 3)),
            participants="Đảng viên và nhân dân tự nguyện trong xóm",
            starts_on=datetime.date(2015, 6, 1),
        )
        fund = self.fund(charity)
        members = self.roll("DU-DT-CB08")[:21]
        given = Decimal(0)
        for on in months:
            given += self.give(fund, members, on, Decimal(20_000), "dong")
        self.results(money, [(on, 20_000 * len(members), "dong") for on in months])
        paid = self.pay(
            fund,
            [
                ("Gia đình ông Triệu Văn Lâm", "Xóm Lò Mật", self.day(6, 28), 800_000,
                 "Giúp vốn mua giống ngô, hướng dẫn cách trồng"),
                ("Gia đình bà Dương Thị Nụ", "Xóm Lò Mật", self.day(9, 2), 700_000,
                 "Sửa mái nhà dột"),
                ("Gia đình anh La Văn Tình", "Xóm Lò Mật", self.day(11, 15), 500_000,
                 "Tặng quà, sách vở cho hai con đi học"),
            ],
            balance=given,
        )  # fmt: skip
        self.results(helped, [(row[2], 1, "ho") for row in paid])

    def agency(self) -> None:
        _saving, (money, sessions) = self.model(
            "DU-HLHPN",
            "model",
            "Thực hành tiết kiệm theo gương Bác, hỗ trợ cán bộ vay đi học",
            (
                "Tiết kiệm chi hành chính, văn phòng phẩm, điện, nước",
                "Cho cán bộ, công chức vay không lãi đi học, giải quyết việc gia đình",
                "Thực hiện chế độ đi công tác cơ sở",
            ),
            (("tiet-kiem-tien", "trieu-dong", 300), ("buoi-lam-viec", "buoi", 640)),
            hamlet="",
            participants="Cán bộ, đảng viên cơ quan Hội LHPN tỉnh",
        )
        self.results(money, [(on, Decimal(75), "trieu-dong") for on in self.quarters()])
        self.results(sessions, [(on, 50 + on.month % 7, "buoi") for on in self.months()])
        _ideas, (ideas,) = self.model(
            "DU-HLHPN-CB2",
            "initiative",
            "Ứng dụng công nghệ thông tin trong điều hành hoạt động Hội",
            ("Gửi, nhận văn bản điện tử với các cấp hội", "Họp trực tuyến với cơ sở"),
            (("buoi-lam-viec", "luot", 24),),
            hamlet="",
        )
        self.results(ideas, [(on, 2, "luot") for on in self.months()])

    def emulation(self) -> None:
        commune = self.orgs["DU-DT"]
        movement = Movement.objects.create(
            org=commune,
            title=f"Thi đua học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh "
            f"năm {self.year}",
            year=self.year,
            description="Mỗi chi bộ có ít nhất một mô hình “làm theo Bác” rõ người, rõ việc, "
            "rõ địa chỉ, rõ kết quả; chấm điểm cuối năm.",
            starts_on=self.start,
            ends_on=datetime.date(self.year, 12, 15),
        )
        criteria = Criterion.objects.bulk_create(
            Criterion(movement=movement, name=name, max_points=points, position=index)
            for index, (name, points) in enumerate(
                (
                    ("Có mô hình làm theo Bác rõ người, rõ việc, rõ địa chỉ, rõ kết quả", 30),
                    ("Sinh hoạt chi bộ đều đặn, có sinh hoạt chuyên đề hằng quý", 25),
                    ("100% đảng viên viết bản cam kết, kế hoạch cá nhân", 20),
                    ("Kết quả mô hình đạt chỉ tiêu đăng ký", 25),
                )
            )
        )
        self.written += 1 + len(criteria)
        cells = Org.objects.filter(path__startswith=commune.path, depth=commune.depth + 1)
        for cell in cells.filter(status="active").order_by("path"):
            if cell.code in UNSCORED:
                continue
            own = [self.rng.randint(c.max_points * 7 // 10, c.max_points) for c in criteria]
            confirmed = self.rng.random() < 0.7
            final = [max(0, value - self.rng.choice((0, 0, 1, 2))) for value in own]
            sheet = ScoreSheet.objects.create(
                movement=movement,
                org=cell,
                status="confirmed" if confirmed else "submitted",
                self_total=sum(own),
                confirmed_total=sum(final) if confirmed else None,
                submitted_at=timezone.now(),
                confirmed_at=timezone.now() if confirmed else None,
            )
            Score.objects.bulk_create(
                Score(
                    sheet=sheet,
                    criterion=criterion,
                    self_points=value,
                    confirmed_points=checked if confirmed else None,
                )
                for criterion, value, checked in zip(criteria, own, final, strict=True)
            )
            self.written += 1 + len(criteria)
        women = Movement.objects.create(
            org=self.orgs["HLHPN-DT"],
            title="Phụ nữ tích cực học tập, lao động sáng tạo, xây dựng gia đình hạnh phúc",
            year=self.year,
            starts_on=self.start,
            ends_on=datetime.date(self.year, 12, 15),
        )
        Criterion.objects.bulk_create(
            Criterion(movement=women, name=name, max_points=points, position=index)
            for index, (name, points) in enumerate(
                (
                    ("Chi hội có mô hình tiết kiệm, hũ gạo hoạt động đều", 40),
                    ("Tỷ lệ hội viên tham gia sinh hoạt trên 80%", 30),
                    ("Không có hội viên vi phạm pháp luật, tệ nạn xã hội", 30),
                )
            )
        )
        self.written += 4

    def honours(self) -> None:
        last_year = self.year - 1
        commune = self.orgs["DU-DT"]
        good = self.roll("HLHPN-DT-CH03")[2]
        elder = self.roll("DU-DT-CB08")[0]
        exemplars = Exemplar.objects.bulk_create(
            [
                Exemplar(
                    org=self.orgs["HLHPN-DT-CH03"],
                    person=good,
                    kind="good_deed",
                    title="Nhặt được ví tiền, trả lại người đánh rơi",
                    story="Đi chợ phiên nhặt được ví có 4,5 triệu đồng và giấy tờ; chị mang "
                    "đến công an xã để trả lại người mất.",
                    evidence="Giấy xác nhận của Công an xã",
                    year=self.year,
                ),
                Exemplar(
                    org=self.orgs["DU-DT-CB08"],
                    person=None,
                    kind="advanced",
                    title="Nhóm từ thiện nhân ái xóm Lò Mật",
                    story="Thành lập năm 2015 với 15 thành viên, nay 21 thành viên, mỗi người "
                    "góp 20.000 đồng mỗi tháng; đã giúp 3 gia đình khó khăn, thay nhau hướng "
                    "dẫn cách trồng trọt, chăm sóc cây màu.",
                    evidence="Sổ thu chi của nhóm; xác nhận của Ban công tác Mặt trận xóm",
                    year=self.year,
                ),
                Exemplar(
                    org=self.orgs["DU-DT-CB08"],
                    person=elder,
                    kind="advanced",
                    title="Đảng viên cao tuổi gương mẫu vận động hiến đất làm đường",
                    story="Vận động 12 hộ hiến gần 400 m² đất để mở rộng đường liên xóm.",
                    year=self.year,
                ),
            ]
        )
        chihoi1 = Person.objects.filter(user__username="chihoi1").first()
        rows = [
            Award(org=commune, form="merit", level="prime_minister",
                  issuer="Thủ tướng Chính phủ", decision_number="1628/QĐ-TTg",
                  decided_on=datetime.date(last_year, 10, 12),
                  reason="Có thành tích trong học tập và làm theo tấm gương đạo đức Hồ Chí "
                  "Minh (Đảng bộ xã Hà Thượng trước hợp nhất)"),
            Award(org=self.orgs["DU-HLHPN"], form="merit", level="province",
                  issuer="Ban Thường vụ Tỉnh ủy", decision_number="2145-QĐ/TU",
                  decided_on=self.day(2, 3),
                  reason="Tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ năm trước"),
            Award(org=self.orgs["DU-DT-CB08"], form="certificate", level="base",
                  issuer="Ban Thường vụ Đảng ủy xã", decision_number="45-QĐ/ĐU",
                  decided_on=self.day(5, 19), exemplar=exemplars[1],
                  reason="Mô hình “Nhóm từ thiện nhân ái” tiêu biểu"),
            Award(org=self.orgs["DU-DT-CB03"], form="certificate", level="base",
                  issuer="Ban Thường vụ Đảng ủy xã", decision_number="45-QĐ/ĐU",
                  decided_on=self.day(5, 19), reason="Chi bộ tiêu biểu làm theo Bác"),
            Award(org=self.orgs["DU-DT-CB08"], person=elder, form="certificate", level="base",
                  issuer="Ban Thường vụ Đảng ủy xã", decision_number="46-QĐ/ĐU",
                  decided_on=self.day(5, 19), exemplar=exemplars[2],
                  reason="Đảng viên tiêu biểu vận động hiến đất làm đường"),
            Award(org=self.orgs["HLHPN-DT-CH03"], person=good, form="certificate",
                  level="base", issuer="Ban Chấp hành Hội LHPN xã",
                  decision_number="12/QĐ-HPN", decided_on=self.day(6, 1),
                  exemplar=exemplars[0], reason="Người tốt, việc tốt"),
        ]  # fmt: skip
        if chihoi1 is not None:
            rows.append(
                Award(org=self.orgs["HLHPN-DT-CH01"], person=chihoi1, form="certificate",
                      level="province", issuer="Ban Thường vụ Hội LHPN tỉnh",
                      decision_number="87/QĐ-HPN", decided_on=self.day(3, 8),
                      reason="Chi hội trưởng tiêu biểu, vận động hội viên nuôi heo đất")
            )  # fmt: skip
        Award.objects.bulk_create(rows)
        self.written += len(exemplars) + len(rows)
