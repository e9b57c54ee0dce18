"""Party fees under Quyết định 342-QĐ/TW (28/12/2010) of the Politburo, with the amounts
of the Central Party Office's Hướng dẫn 03-HD/VPTW (06/7/2016).

Quy định về chế độ đảng phí (342-QĐ/TW), mục I "Đối tượng và mức đóng đảng phí":
1. members in state bodies, political and socio-political organisations and the armed
   forces: 1% of salary, allowances, wages and living allowances each month;
2. members drawing social-insurance pay (lương hưu, trợ cấp): 0.5% of it;
3. members working in enterprises, public service units and economic organisations: 1% of
   salary, wages and the other income from the unit's payroll;
4. other members in the country (farmers and rural members, members without regular work
   and income, students): from 2,000 to 30,000 đồng a month; members past working age pay
   50% of that;
6. every member may choose to pay more (with the cell committee's consent).
Hướng dẫn 03-HD/VPTW sets the fixed amounts of point 4 for members of working age:
10,000 đồng in the inner districts of centrally-run cities, 8,000 in the inner areas of
provincial cities of class I–III, 4,000 in mountain, remote, border and island areas
(khu vực III) and 6,000 everywhere else; its point 12 lets the base committee exempt or
reduce the fee of a member in special hardship, at the cell's proposal. Members exempt
from party activities (miễn sinh hoạt) still pay (Hướng dẫn 27-HD/BTCTW, 2009).

Points 1 and 3 are one category here (SALARY): both are 1% of what the member is paid.

Not verified against the text, and so marked where they are used: the fee of students
without pay (3,000 đồng, as we recall Hướng dẫn 03-HD/VPTW) and rounding to the nearest
1,000 đồng. The amounts of Hướng dẫn 03-HD/VPTW are used for every month under 342, those
before July 2016 too, since no earlier table is recorded here.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from chibo.fees.rules.base import (
    RELIEF_PERCENTS,
    Area,
    FeeCategory,
    FeeFacts,
    MemberFacts,
    Rate,
    finish,
    money,
    past_retirement_age,
    percent,
)

CODE = "342-QĐ/TW"
CITATION = "Quyết định 342-QĐ/TW ngày 28/12/2010; Hướng dẫn 03-HD/VPTW ngày 06/7/2016"
# The first month the fee regime of 342 applies to (the regulation is of 28/12/2010).
STARTS = datetime.date(2011, 1, 1)

SALARY_RATE = Decimal("0.01")
PENSION_RATE = Decimal("0.005")
# Not verified (see the module docstring).
STUDENT_AMOUNT = 3_000
OTHER_AMOUNTS: dict[str, int] = {
    Area.CENTRAL_CITY: 10_000,
    Area.PROVINCIAL_CITY: 8_000,
    Area.REMOTE: 4_000,
    Area.ELSEWHERE: 6_000,
}
PAST_WORKING_AGE_SHARE = Decimal("0.5")
# Not verified (see the module docstring).
ROUND_TO = 1_000


class Qd342:
    code = CODE
    citation = CITATION
    starts = STARTS
    categories: tuple[str, ...] = (
        FeeCategory.SALARY,
        FeeCategory.PENSION,
        FeeCategory.STUDENT,
        FeeCategory.OTHER,
    )

    def check(self, facts: FeeFacts, *, valid_from: datetime.date) -> dict[str, str]:
        errors: dict[str, str] = {}
        if facts.category not in self.categories:
            errors["category"] = _(
                "Quyết định 342-QĐ/TW không có đối tượng “%(category)s”; hãy chọn đối tượng "
                "khác hoặc đặt ngày áp dụng từ 01/02/2026 trở đi."
            ) % {"category": FeeCategory(facts.category).label}
        elif facts.category == FeeCategory.SALARY and facts.salary + facts.allowances <= 0:
            errors["salary"] = _("Cần nhập tiền lương hoặc phụ cấp hằng tháng (đồng).")
        elif facts.category == FeeCategory.PENSION and facts.pension <= 0:
            errors["pension"] = _("Cần nhập mức lương hưu, trợ cấp hằng tháng (đồng).")
        elif facts.category == FeeCategory.OTHER and facts.area not in OTHER_AMOUNTS:
            errors["area"] = _(
                "Cần chọn khu vực nơi ở để tính mức đóng cố định theo Hướng dẫn 03-HD/VPTW."
            )
        if facts.relief_percent not in RELIEF_PERCENTS:
            errors["relief_percent"] = _("Mức miễn, giảm chỉ nhận 0, 30, 50, 70 hoặc 100%.")
        return errors

    def rate(self, facts: FeeFacts, member: MemberFacts, month: datetime.date) -> Rate:
        problem = self._problem(facts)
        if problem:
            return Rate(None, CODE, "", problem=problem)
        if facts.category == FeeCategory.SALARY:
            base = facts.salary + facts.allowances
            exact = Decimal(base) * SALARY_RATE
            formula = _("%(rate)s × %(base)s (lương và phụ cấp)") % {
                "rate": percent(SALARY_RATE),
                "base": money(base),
            }
        elif facts.category == FeeCategory.PENSION:
            exact = Decimal(facts.pension) * PENSION_RATE
            formula = _("%(rate)s × %(base)s (lương hưu, trợ cấp)") % {
                "rate": percent(PENSION_RATE),
                "base": money(facts.pension),
            }
        elif facts.category == FeeCategory.STUDENT:
            exact = Decimal(STUDENT_AMOUNT)
            formula = _("mức cố định %(amount)s (học sinh, sinh viên)") % {
                "amount": money(STUDENT_AMOUNT)
            }
        else:
            fixed = OTHER_AMOUNTS[facts.area]
            exact = Decimal(fixed)
            formula = _("mức cố định %(amount)s (%(area)s)") % {
                "amount": money(fixed),
                "area": Area(facts.area).label,
            }
            if past_retirement_age(member, month):
                exact = exact * PAST_WORKING_AGE_SHARE
                formula += " · " + _("ngoài độ tuổi lao động: đóng 50%")
        return finish(
            code=CODE, exact=exact, formula=formula, facts=facts, month=month, unit=ROUND_TO
        )

    def _problem(self, facts: FeeFacts) -> str:
        errors = self.check(facts, valid_from=STARTS)
        errors.pop("relief_percent", None)
        return next(iter(errors.values()), "")


RULE = Qd342()
