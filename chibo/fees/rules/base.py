"""What every party-fee regulation module shares: the words of a fee basis, the result of
a rate computation, rounding and the legal retirement age.

A regulation module (qd342_2010, qd01_2026 …) turns the facts recorded about a member
(category, salary, pension, place …) into a monthly amount for one month. It knows nothing
of the database: the ledger hands it plain values, so every rate is testable by hand.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _

from chibo.core.vntext import nfc


class FeeCategory(models.TextChoices):
    """Who the member is for the fee: the groups the regulations name."""

    # Cán bộ, công chức, viên chức, lực lượng vũ trang, người lao động hưởng lương:
    # the base is the salary and the allowances social insurance is paid on.
    SALARY = "salary", _("Hưởng lương, phụ cấp (đóng bảo hiểm xã hội bắt buộc)")
    # Nghỉ ốm đau, thai sản, hưởng trợ cấp do cơ quan bảo hiểm xã hội chi trả.
    SICKNESS = "sickness", _("Nghỉ ốm đau, thai sản hưởng trợ cấp bảo hiểm xã hội")
    PENSION = "pension", _("Hưởng lương hưu, trợ cấp bảo hiểm xã hội hằng tháng")
    STUDENT = "student", _("Học sinh, sinh viên không hưởng lương, phụ cấp")
    # Nông dân, lao động tự do, người không có thu nhập thường xuyên …
    OTHER = "other", _("Đảng viên khác ở trong nước (nông dân, lao động tự do …)")


class Area(models.TextChoices):
    """Where an 'other' member lives, for the fixed amounts of Hướng dẫn 03-HD/VPTW."""

    CENTRAL_CITY = "central_city", _("Nội thành thành phố trực thuộc Trung ương")
    PROVINCIAL_CITY = "provincial_city", _("Nội thành, nội thị đô thị loại I, II, III của tỉnh")
    REMOTE = "remote", _("Miền núi, vùng sâu, vùng xa, biên giới, hải đảo (khu vực III)")
    ELSEWHERE = "elsewhere", _("Các khu vực còn lại")


class WageRegion(models.IntegerChoices):
    """Vùng lương tối thiểu of the place where the member takes part in party life."""

    I = 1, _("Vùng I")  # noqa: E741 - the regions are named by Roman numerals in law
    II = 2, _("Vùng II")
    III = 3, _("Vùng III")
    IV = 4, _("Vùng IV")


RELIEF_PERCENTS = (0, 30, 50, 70, 100)


@dataclass(frozen=True)
class FeeFacts:
    """What a fee basis records about a member, as plain values (amounts in đồng)."""

    category: str
    salary: int = 0
    allowances: int = 0
    pension: int = 0
    benefit: int = 0
    area: str = ""
    wage_region: int | None = None
    # Tự nguyện đóng cao hơn mức quy định: the monthly amount the member chose.
    voluntary: int = 0
    relief_percent: int = 0
    # The last month the relief (miễn, giảm) covers; None: until the basis changes.
    relief_until: datetime.date | None = None


@dataclass(frozen=True)
class MemberFacts:
    """What the rate depends on beyond the basis: age and party age."""

    birth_date: datetime.date | None = None
    gender: str = ""
    admitted_on: datetime.date | None = None


@dataclass(frozen=True)
class Rate:
    """One month's fee for one member. `amount` is None when the basis lacks a fact the
    regulation in force needs; `problem` then says which."""

    amount: int | None
    rule: str
    formula: str
    problem: str = ""
    exempt: bool = False

    @property
    def known(self) -> bool:
        return self.amount is not None


class FeeRule(Protocol):
    """A regulation on party fees, in force from `starts` until the next one starts."""

    code: str
    citation: str
    starts: datetime.date
    categories: tuple[str, ...]

    def rate(self, facts: FeeFacts, member: MemberFacts, month: datetime.date) -> Rate: ...

    def check(self, facts: FeeFacts, *, valid_from: datetime.date) -> dict[str, str]:
        """Field -> Vietnamese message for what this regulation cannot compute."""
        ...


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; a 31st falls to the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 exists in every month


def round_to(exact: Decimal, unit: int) -> int:
    """Half up to a multiple of `unit` đồng (0.5 of a unit goes up, as cashiers count)."""
    units = (exact / Decimal(unit)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(units) * unit


def money(amount: int | Decimal) -> str:
    """12345 -> '12.345 đ', the way amounts are written in Vietnamese."""
    return f"{int(amount):,}".replace(",", ".") + " đ"


def percent(rate: Decimal) -> str:
    """Decimal('0.005') -> '0,5%'."""
    shown = (rate * 100).normalize()
    return f"{shown:f}".replace(".", ",") + "%"


# --- the legal retirement age ----------------------------------------------------------
# Bộ luật Lao động 2019, Điều 169 khoản 2 (and Nghị định 135/2020/NĐ-CP): under normal
# working conditions men retired at 60 and women at 55 until 2020; from 2021 the age is
# 60 years 3 months for men and 55 years 4 months for women, rising every year by 3 months
# for men until 62 (in 2028) and by 4 months for women until 60 (in 2035).
MALE = "male"
FEMALE = "female"


def retirement_age_months(year: int, gender: str) -> int:
    """The retirement age, in months, for someone who reaches it in `year`."""
    if gender == FEMALE:
        return 55 * 12 if year < 2021 else min(55 * 12 + 4 * (year - 2020), 60 * 12)
    return 60 * 12 if year < 2021 else min(60 * 12 + 3 * (year - 2020), 62 * 12)


def retirement_date(birth_date: datetime.date, gender: str) -> datetime.date:
    """The day the member reaches the retirement age of the year they reach it in.

    The age grows by a few months a year while people age twelve: the first year whose
    age falls within that same year is the one. A member whose gender is not recorded is
    taken as a man (the later age), so nobody is halved by a missing field.
    """
    for year in range(birth_date.year + 50, birth_date.year + 70):
        reached = add_months(birth_date, retirement_age_months(year, gender))
        if reached.year <= year:
            return reached
    raise ValueError(birth_date)  # pragma: no cover - 62 years is always reached


def past_retirement_age(member: MemberFacts, month: datetime.date) -> bool:
    """Whether the member reached the retirement age before `month` began. Without a
    birth date nobody is taken as past it."""
    if member.birth_date is None:
        return False
    return retirement_date(member.birth_date, member.gender) < month_start(month)


def relief_applies(facts: FeeFacts, month: datetime.date) -> bool:
    if not facts.relief_percent:
        return False
    return facts.relief_until is None or month_start(month) <= month_start(facts.relief_until)


def finish(
    *,
    code: str,
    exact: Decimal,
    formula: str,
    facts: FeeFacts,
    month: datetime.date,
    unit: int,
) -> Rate:
    """Relief, rounding and a voluntary higher amount, in that order, on an exact rate."""
    parts = [formula]
    if relief_applies(facts, month):
        if facts.relief_percent >= 100:
            return Rate(0, code, " · ".join([*parts, str(_("miễn đóng"))]), exempt=True)
        exact = exact * Decimal(100 - facts.relief_percent) / Decimal(100)
        parts.append(str(_("giảm %(percent)s%%")) % {"percent": facts.relief_percent})
    amount = round_to(exact, unit)
    if facts.voluntary and facts.voluntary > amount:
        amount = facts.voluntary
        parts.append(str(_("tự nguyện đóng %(amount)s")) % {"amount": money(amount)})
    return Rate(amount, code, nfc(" · ".join(parts)))
