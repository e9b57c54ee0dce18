"""A year of believable party-fee records for the demo's party cells.

Each member of the demo's party cells gets a fee basis from twelve months ago (agency
cells and the provincial agency on salary, retired members on pension, the rest of the
hamlets at the fixed or minimum-wage-based amount of the regulation in force) and pays
month by month at the cell meeting; some pay a quarter in advance, and a few fall behind:
in Chi bộ xóm Đồng Tiến (DU-DT-CB01, bithu1's cell) one member two months (the early
warning) and one three (a case for removal), with a good reason recorded for one more.

Idempotent: once the demo's members have a fee basis, nothing more is written. Fast:
everything goes in with bulk_create, without audit entries (generated data, like the
rest of the demo). Nothing in `people` imports this: `chibo demo` is wired to it
separately.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.models import User
from chibo.fees.ledger import DUE_STATUSES, Account
from chibo.fees.models import FeeBasis, FeeExcuse, FeePayment, PaymentMethod
from chibo.fees.rules.base import Area, FeeCategory, WageRegion, add_months, month_start
from chibo.orgs.models import Family, Level, Org
from chibo.people.models import Membership, Position, Title

Progress = Callable[[str], None]
SEED = 20260201
ROOT_CODE = "TU-TN"
MONTHS = 12
# Lương cơ sở from 01/07/2024 (Nghị định 73/2024/NĐ-CP): salaries are coefficients of it.
BASE_SALARY = 2_340_000
# Cells of the commune whose members draw a salary (agency cells) and their wage region.
AGENCY_CELLS = ("DU-DT-CB14", "DU-DT-CB15", "DU-DT-CB16", "DU-DT-CB17", "DU-DT-CB18")
# Behind with their fees: (cell, position in the cell's roll, unpaid last months, months
# with a good reason among them).
BEHIND: tuple[tuple[str, int, int, int], ...] = (
    ("DU-DT-CB01", 3, 2, 0),
    ("DU-DT-CB01", 6, 3, 0),
    ("DU-DT-CB01", 9, 3, 2),
    ("DU-DT-CB02", 4, 4, 0),
    ("DU-DT-CB02", 7, 2, 0),
    ("DU-DT-CB07", 2, 3, 0),
    ("DU-DT-CB11", 5, 2, 0),
)
GOOD_REASONS = (
    "Ốm nặng, điều trị dài ngày tại Bệnh viện Trung ương Thái Nguyên",
    "Đi làm ăn xa ở Bình Dương, đã báo cáo chi bộ",
)


def _quiet(_message: str) -> None:
    """No progress messages (tests)."""


@dataclass
class _Member:
    membership: Membership
    account: Account
    collector: User | None


def seed_fee_demo(*, today: datetime.date | None = None, progress: Progress = _quiet) -> int:
    """Write the demo's fee records unless they are there; the number of rows written."""
    today = today or timezone.localdate()
    root = Org.objects.filter(code=ROOT_CODE).first()
    if root is None:
        progress(_("Chưa có dữ liệu mẫu của tỉnh, bỏ qua đảng phí mẫu."))
        return 0
    with transaction.atomic():
        if FeeBasis.objects.filter(org__path__startswith=root.path).exists():
            progress(_("Đảng phí mẫu đã có, không ghi thêm."))
            return 0
        return _Builder(root, today).build(progress)


class _Builder:
    def __init__(self, root: Org, today: datetime.date) -> None:
        self.root = root
        self.today = today
        self.rng = random.Random(SEED)
        self.current = month_start(today)
        self.start = add_months(self.current, -MONTHS)

    def _members(self) -> dict[str, list[_Member]]:
        memberships = (
            Membership.objects.current()
            .filter(
                family=Family.PARTY,
                status__in=DUE_STATUSES,
                org__path__startswith=self.root.path,
                org__level=Level.BRANCH,
            )
            .select_related("person", "org")
            .order_by("org__path", "person__sort_key", "person_id")
        )
        secretaries = {
            p.org_id: p.person.user
            for p in Position.objects.current()
            .filter(title=Title.SECRETARY, org__path__startswith=self.root.path)
            .select_related("person__user")
        }
        cells: dict[str, list[_Member]] = {}
        for membership in memberships:
            account = Account(person=membership.person, memberships=[membership])
            account.admitted_on = membership.joined_on
            cells.setdefault(membership.org.code, []).append(
                _Member(membership, account, secretaries.get(membership.org_id))
            )
        return cells

    def _basis(self, member: _Member, *, agency: bool, city: bool) -> FeeBasis:
        person = member.membership.person
        occupation = person.occupation.lower()
        category = FeeCategory.OTHER
        values: dict[str, int] = {}
        if agency:
            category = FeeCategory.SALARY
            coefficient = self.rng.choice((2.34, 2.67, 3.0, 3.33, 3.66, 3.99, 4.32, 4.65, 4.98))
            values["salary"] = int(round(coefficient * BASE_SALARY, -3))
            values["allowances"] = int(
                round(values["salary"] * self.rng.choice((0, 0.1, 0.15, 0.2)), -3)
            )
        elif "hưu" in occupation:
            category = FeeCategory.PENSION
            values["pension"] = self.rng.randrange(3_200, 9_800) * 1_000
        elif "học sinh" in occupation or "sinh viên" in occupation:
            category = FeeCategory.STUDENT
        return FeeBasis(
            person=person,
            org=member.membership.org,
            valid_from=self.start,
            category=category,
            area=Area.PROVINCIAL_CITY if city else Area.ELSEWHERE,
            wage_region=WageRegion.II if city else WageRegion.III,
            **values,
        )

    def build(self, progress: Progress) -> int:
        cells = self._members()
        city_root = Org.objects.filter(code="DU-HLHPN").first()
        bases: list[FeeBasis] = []
        for code, members in cells.items():
            city = city_root is not None and code.startswith(city_root.code)
            agency = city or code in AGENCY_CELLS
            for member in members:
                basis = self._basis(member, agency=agency, city=city)
                member.account.bases = [basis]
                bases.append(basis)
        FeeBasis.objects.bulk_create(bases)
        behind = {(code, index): (months, excused) for code, index, months, excused in BEHIND}
        payments: list[FeePayment] = []
        excuses: list[FeeExcuse] = []
        for code, members in cells.items():
            for index, member in enumerate(members, start=1):
                skipped, excused = behind.get((code, index), (0, 0))
                if member.membership.person.user_id is not None:
                    skipped = 0  # the demo logins keep their fees paid
                made, reasons = self._pay(member, skipped=skipped, excused=excused)
                payments += made
                excuses += reasons
        FeePayment.objects.bulk_create(payments, batch_size=1000)
        FeeExcuse.objects.bulk_create(excuses)
        progress(
            _("Đảng phí mẫu: %(bases)s căn cứ, %(payments)s khoản nộp, %(excuses)s lý do.")
            % {"bases": len(bases), "payments": len(payments), "excuses": len(excuses)}
        )
        return len(bases) + len(payments) + len(excuses)

    def _pay(
        self, member: _Member, *, skipped: int, excused: int
    ) -> tuple[list[FeePayment], list[FeeExcuse]]:
        account = member.account
        ended = [add_months(self.start, i) for i in range(MONTHS)]
        unpaid = set(ended[len(ended) - skipped :]) if skipped else set()
        quarterly = not skipped and self.rng.random() < 0.12
        meeting_day = self.rng.randint(3, 12)
        payments: list[FeePayment] = []
        months = [*ended, self.current]
        for month in months:
            state = account.state(month, self.today)
            if not state.due or month in unpaid or state.rate is None or not state.rate.amount:
                continue
            if quarterly:
                first_of_quarter = month.replace(month=(month.month - 1) // 3 * 3 + 1)
                paid_on = first_of_quarter.replace(day=meeting_day)
                if first_of_quarter < self.start:
                    paid_on = month.replace(day=meeting_day)
            else:
                paid_on = month.replace(day=meeting_day)
                if self.rng.random() < 0.06:
                    # Paid late, at the next month's meeting.
                    paid_on = add_months(month, 1).replace(day=meeting_day)
            if paid_on > self.today or (month == self.current and self.rng.random() < 0.35):
                # Some members pay this month at a later meeting: the sheet has work left.
                continue
            payments.append(
                FeePayment(
                    person=account.person,
                    org=member.membership.org,
                    month=month,
                    amount=state.rate.amount,
                    paid_on=paid_on,
                    method=PaymentMethod.CASH,
                    collected_by=member.collector,
                )
            )
        reasons = [
            FeeExcuse(
                person=account.person,
                org=member.membership.org,
                month=month,
                reason=GOOD_REASONS[i % len(GOOD_REASONS)],
                recorded_by=member.collector,
            )
            for i, month in enumerate(sorted(unpaid)[:excused])
        ]
        return payments, reasons
