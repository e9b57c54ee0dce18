"""Party fees under Quy định 01-QĐ/TW (03/02/2026) of the Politburo, in force from
01/02/2026, which replaces Quyết định 342-QĐ/TW.

Điều 3, members in the country:
- members on compulsory social insurance: 1% of the salary social insurance was paid on
  in the month before; while on sick or maternity leave paid by social insurance, 1% of
  that benefit;
- members not on compulsory social insurance who draw a pension: 0.5% of the pension;
  students: 5,000 đồng a month;
- the others (điểm 2.2): a share of the regional minimum monthly wage of the place where
  they take part in party life — below the retirement age 0.3% from 01/01/2026 to
  31/12/2027 and 0.5% from 01/01/2028; from the retirement age 0.2% and then 0.3%.
Exempt: members with 50 years of party age or more, members drawing the social pension
(trợ cấp hưu trí xã hội), and, on their application, members in special hardship (poor or
near-poor households, grave illness); other hardship may be reduced by 30, 50 or 70% (or
exempted) for at most 12 months at a time. Members may choose to pay more. Điều 2: the
cell proposes removal of a member who does not pay for three months in a year without a
good reason.

The regional minimum wages are those of Nghị định 293/2025/NĐ-CP (from 01/01/2026); a new
decree is a new row of MINIMUM_WAGES. Rounding to the nearest 1,000 đồng is not verified
against the text (the sources we could read do not say).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from chibo.fees.rules.base import (
    RELIEF_PERCENTS,
    FeeCategory,
    FeeFacts,
    MemberFacts,
    Rate,
    WageRegion,
    add_months,
    finish,
    money,
    month_start,
    past_retirement_age,
    percent,
)

CODE = "01-QĐ/TW"
CITATION = "Quy định 01-QĐ/TW ngày 03/02/2026 của Bộ Chính trị về chế độ đảng phí"
STARTS = datetime.date(2026, 2, 1)

SALARY_RATE = Decimal("0.01")
SICKNESS_RATE = Decimal("0.01")
PENSION_RATE = Decimal("0.005")
STUDENT_AMOUNT = 5_000
# (first month, share below the retirement age, share from it), newest last.
OTHER_SHARES: tuple[tuple[datetime.date, Decimal, Decimal], ...] = (
    (datetime.date(2026, 1, 1), Decimal("0.003"), Decimal("0.002")),
    (datetime.date(2028, 1, 1), Decimal("0.005"), Decimal("0.003")),
)
# (first month, {region: đồng a month}), newest last: Nghị định 293/2025/NĐ-CP.
MINIMUM_WAGES: tuple[tuple[datetime.date, dict[int, int]], ...] = (
    (
        datetime.date(2026, 1, 1),
        {WageRegion.I: 5_310_000, WageRegion.II: 4_730_000, WageRegion.III: 4_140_000,
         WageRegion.IV: 3_700_000},
    ),
)  # fmt: skip
EXEMPT_PARTY_YEARS = 50
RELIEF_MAX_MONTHS = 12
# Not verified (see the module docstring).
ROUND_TO = 1_000


def _wages_on(month: datetime.date) -> dict[int, int]:
    chosen = MINIMUM_WAGES[0][1]
    for starts, wages in MINIMUM_WAGES:
        if starts <= month:
            chosen = wages
    return chosen


def other_shares(month: datetime.date) -> tuple[Decimal, Decimal]:
    below, past = OTHER_SHARES[0][1], OTHER_SHARES[0][2]
    for starts, share_below, share_past in OTHER_SHARES:
        if starts <= month:
            below, past = share_below, share_past
    return below, past


def minimum_wage(region: int, month: datetime.date) -> int:
    return _wages_on(month)[region]


def party_years_reached(member: MemberFacts, month: datetime.date) -> bool:
    """Whether the member has 50 years of party age by the start of `month` (counted from
    admission; gaps out of the Party are not known here)."""
    if member.admitted_on is None:
        return False
    fiftieth = add_months(member.admitted_on, EXEMPT_PARTY_YEARS * 12)
    return fiftieth <= month_start(month)


class Qd01:
    code = CODE
    citation = CITATION
    starts = STARTS
    categories: tuple[str, ...] = tuple(FeeCategory.values)

    def check(self, facts: FeeFacts, *, valid_from: datetime.date) -> dict[str, str]:
        errors: dict[str, str] = {}
        if facts.category not in self.categories:
            errors["category"] = _("Cần chọn đối tượng đóng đảng phí.")
        elif facts.category == FeeCategory.SALARY and facts.salary + facts.allowances <= 0:
            errors["salary"] = _(
                "Cần nhập tiền lương làm căn cứ đóng bảo hiểm xã hội bắt buộc (đồng/tháng)."
            )
        elif facts.category == FeeCategory.SICKNESS and facts.benefit <= 0:
            errors["benefit"] = _("Cần nhập mức trợ cấp ốm đau, thai sản hằng tháng (đồng).")
        elif facts.category == FeeCategory.PENSION and facts.pension <= 0:
            errors["pension"] = _("Cần nhập mức lương hưu hằng tháng (đồng).")
        elif facts.category == FeeCategory.OTHER and facts.wage_region not in WageRegion.values:
            errors["wage_region"] = _(
                "Cần chọn vùng lương tối thiểu nơi đảng viên sinh hoạt đảng (vùng I đến IV)."
            )
        if facts.relief_percent not in RELIEF_PERCENTS:
            errors["relief_percent"] = _("Mức miễn, giảm chỉ nhận 0, 30, 50, 70 hoặc 100%.")
        elif facts.relief_percent:
            last = facts.relief_until
            if last is None:
                errors["relief_until"] = _(
                    "Cần nhập tháng cuối được miễn, giảm: mỗi lần xét không quá 12 tháng."
                )
            elif month_start(last) >= add_months(month_start(valid_from), RELIEF_MAX_MONTHS):
                errors["relief_until"] = _(
                    "Mỗi lần miễn, giảm đảng phí không quá 12 tháng (từ %(start)s đến hết %(end)s)."
                ) % {
                    "start": valid_from.strftime("%m/%Y"),
                    "end": add_months(month_start(valid_from), RELIEF_MAX_MONTHS - 1).strftime(
                        "%m/%Y"
                    ),
                }
        return errors

    def rate(self, facts: FeeFacts, member: MemberFacts, month: datetime.date) -> Rate:
        problem = self._problem(facts)
        if problem:
            return Rate(None, CODE, "", problem=problem)
        if party_years_reached(member, month):
            return Rate(0, CODE, _("miễn đóng: từ đủ 50 năm tuổi Đảng"), exempt=True)
        if facts.category == FeeCategory.SALARY:
            base = facts.salary + facts.allowances
            exact = Decimal(base) * SALARY_RATE
            formula = _("%(rate)s × %(base)s (tiền lương đóng bảo hiểm xã hội)") % {
                "rate": percent(SALARY_RATE),
                "base": money(base),
            }
        elif facts.category == FeeCategory.SICKNESS:
            exact = Decimal(facts.benefit) * SICKNESS_RATE
            formula = _("%(rate)s × %(base)s (trợ cấp ốm đau, thai sản)") % {
                "rate": percent(SICKNESS_RATE),
                "base": money(facts.benefit),
            }
        elif facts.category == FeeCategory.PENSION:
            exact = Decimal(facts.pension) * PENSION_RATE
            formula = _("%(rate)s × %(base)s (lương hưu)") % {
                "rate": percent(PENSION_RATE),
                "base": money(facts.pension),
            }
        elif facts.category == FeeCategory.STUDENT:
            exact = Decimal(STUDENT_AMOUNT)
            formula = _("mức cố định %(amount)s (học sinh, sinh viên)") % {
                "amount": money(STUDENT_AMOUNT)
            }
        else:
            assert facts.wage_region is not None  # checked by _problem
            wage = minimum_wage(facts.wage_region, month)
            below, past = other_shares(month)
            retired = past_retirement_age(member, month)
            share = past if retired else below
            exact = Decimal(wage) * share
            formula = _("%(rate)s × %(wage)s (lương tối thiểu %(region)s)") % {
                "rate": percent(share),
                "wage": money(wage),
                "region": WageRegion(facts.wage_region).label,
            }
            if retired:
                formula += " · " + _("đã đủ tuổi nghỉ hưu")
        return finish(
            code=CODE, exact=exact, formula=formula, facts=facts, month=month, unit=ROUND_TO
        )

    def _problem(self, facts: FeeFacts) -> str:
        errors = self.check(facts, valid_from=STARTS)
        for key in ("relief_percent", "relief_until"):
            errors.pop(key, None)
        return next(iter(errors.values()), "")


RULE = Qd01()
