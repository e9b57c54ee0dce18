"""Each member's fee account month by month: what was due, what was paid, what is owed.

A month is due when the member was on a party roll during it, a fee basis had started by
it (months before the first basis are not tracked: Chibo does not invent debts from before
a cell started keeping its book here) and the rate is not zero (exempt months owe
nothing). Arrears are due months that have ended and are not paid. For the removal rule
(Điều lệ Đảng, Điều 8; Quy định 24-QĐ/TW, 8.1; Quy định 01-QĐ/TW, Điều 2) only ended,
unpaid months of one calendar year without a recorded good reason count: two of them
warn the cell early, three make the member a case for removal.

Everything is loaded for a whole list of members in a fixed number of queries, then
computed in Python; the cost grows with the members, never with the queries.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from chibo.fees.models import FeeBasis, FeeExcuse, FeePayment
from chibo.fees.rules import NoRuleError, monthly_rate
from chibo.fees.rules.base import MemberFacts, Rate, add_months, month_start
from chibo.orgs.models import Family
from chibo.people.models import Membership, MembershipStatus, Person

# Statuses in which a party member owes the monthly fee. Members exempt from party
# activities (miễn sinh hoạt) still pay (Hướng dẫn 27-HD/BTCTW); a member transferred out
# pays where they now take part.
DUE_STATUSES = frozenset(
    {
        MembershipStatus.PROBATIONARY,
        MembershipStatus.OFFICIAL,
        MembershipStatus.EXEMPT,
        MembershipStatus.SUSPENDED,
    }
)
WARNING_MONTHS = 2
REMOVAL_MONTHS = 3


class Flag(enum.IntEnum):
    NONE = 0
    # Cảnh báo sớm: two months of the year unpaid without a good reason.
    WARNING = 1
    # Three months: the cell considers proposing removal (xóa tên).
    REMOVAL = 2


@dataclass
class MonthState:
    month: datetime.date
    due: bool
    rate: Rate | None
    payment: FeePayment | None
    excuse: FeeExcuse | None
    # Whether the month has ended by the ledger's day.
    ended: bool

    @property
    def paid(self) -> bool:
        return self.payment is not None

    @property
    def unpaid(self) -> bool:
        return self.due and self.payment is None

    @property
    def owed(self) -> bool:
        """Part of the arrears: due, ended and not paid."""
        return self.unpaid and self.ended

    @property
    def counts_for_removal(self) -> bool:
        return self.owed and self.excuse is None

    @property
    def exempt(self) -> bool:
        return self.rate is not None and self.rate.exempt


@dataclass
class Account:
    """One member's fee account: the loaded rows and the month-by-month computation."""

    person: Person
    memberships: list[Membership] = field(default_factory=list)
    bases: list[FeeBasis] = field(default_factory=list)
    payments: dict[datetime.date, FeePayment] = field(default_factory=dict)
    excuses: dict[datetime.date, FeeExcuse] = field(default_factory=dict)
    admitted_on: datetime.date | None = None

    @property
    def tracked_from(self) -> datetime.date | None:
        return self.bases[0].valid_from if self.bases else None

    def basis_for(self, month: datetime.date) -> FeeBasis | None:
        chosen = None
        for basis in self.bases:
            if basis.valid_from <= month:
                chosen = basis
        return chosen

    def member_facts(self) -> MemberFacts:
        return MemberFacts(
            birth_date=self.person.birth_date,
            gender=self.person.gender,
            admitted_on=self.admitted_on,
        )

    def rate_for(self, month: datetime.date) -> Rate | None:
        basis = self.basis_for(month)
        if basis is None:
            return None
        try:
            return monthly_rate(basis.facts(), self.member_facts(), month)
        except NoRuleError:
            return None

    def on_roll(self, month: datetime.date) -> bool:
        end = add_months(month, 1) - datetime.timedelta(days=1)
        return any(_owes_during(m, month, end) for m in self.memberships)

    def state(self, month: datetime.date, today: datetime.date) -> MonthState:
        month = month_start(month)
        rate = self.rate_for(month)
        tracked = self.tracked_from is not None and self.tracked_from <= month
        due = (
            tracked
            and self.on_roll(month)
            and (rate is None or rate.amount is None or rate.amount > 0)
        )
        return MonthState(
            month=month,
            due=due,
            rate=rate,
            payment=self.payments.get(month),
            excuse=self.excuses.get(month),
            ended=add_months(month, 1) <= today,
        )

    def months(
        self, first: datetime.date, last: datetime.date, today: datetime.date
    ) -> list[MonthState]:
        states = []
        month = month_start(first)
        while month <= month_start(last):
            states.append(self.state(month, today))
            month = add_months(month, 1)
        return states

    def arrears(self, today: datetime.date) -> list[MonthState]:
        """Every ended month since tracking began that is due and unpaid."""
        if self.tracked_from is None:
            return []
        last = add_months(month_start(today), -1)
        return [s for s in self.months(self.tracked_from, last, today) if s.owed]

    def year(self, year: int, today: datetime.date) -> YearSummary:
        states = self.months(datetime.date(year, 1, 1), datetime.date(year, 12, 1), today)
        return YearSummary(year=year, states=states)


@dataclass
class YearSummary:
    year: int
    states: list[MonthState]

    @property
    def owed(self) -> list[MonthState]:
        return [s for s in self.states if s.owed]

    @property
    def without_reason(self) -> list[MonthState]:
        return [s for s in self.states if s.counts_for_removal]

    @property
    def flag(self) -> Flag:
        count = len(self.without_reason)
        if count >= REMOVAL_MONTHS:
            return Flag.REMOVAL
        if count >= WARNING_MONTHS:
            return Flag.WARNING
        return Flag.NONE

    @property
    def removal(self) -> bool:
        return self.flag is Flag.REMOVAL

    @property
    def due_total(self) -> int:
        return sum(s.rate.amount or 0 for s in self.states if s.due and s.rate is not None)

    @property
    def paid_total(self) -> int:
        return sum(s.payment.amount for s in self.states if s.payment is not None)


def _owes_during(membership: Membership, start: datetime.date, end: datetime.date) -> bool:
    """Whether this party membership covers part of [start, end] in a status that owes."""
    began = membership.started_on
    if membership.previous_id is None and membership.joined_on is not None:
        # The first unit since admission: the member owed from admission on, whenever
        # the unit's roll was typed into Chibo (which is when `started_on` defaults to).
        began = membership.joined_on
    elif membership.joined_on and membership.joined_on > began:
        began = membership.joined_on
    if began > end:
        return False
    finished = membership.ended_on
    if membership.status not in DUE_STATUSES:
        # The current status stopped the fee when it began; before that the member owed.
        changed = membership.status_changed_on
        if changed is None:
            return False
        stopped = changed - datetime.timedelta(days=1)
        finished = stopped if finished is None else min(finished, stopped)
    return finished is None or finished >= start


def load_accounts(person_ids: Iterable[int]) -> dict[int, Account]:
    """Fee accounts of these people, in five queries whatever their number."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    accounts = {p.pk: Account(person=p) for p in Person.objects.filter(pk__in=ids)}
    memberships = Membership.objects.filter(person_id__in=ids, family=Family.PARTY).order_by(
        "started_on", "pk"
    )
    for membership in memberships:
        account = accounts[membership.person_id]
        account.memberships.append(membership)
        if membership.joined_on and (
            account.admitted_on is None or membership.joined_on < account.admitted_on
        ):
            account.admitted_on = membership.joined_on
    for basis in FeeBasis.objects.active().filter(person_id__in=ids).order_by("valid_from"):
        accounts[basis.person_id].bases.append(basis)
    for payment in FeePayment.objects.valid().filter(person_id__in=ids):
        accounts[payment.person_id].payments[payment.month] = payment
    for excuse in FeeExcuse.objects.valid().filter(person_id__in=ids):
        accounts[excuse.person_id].excuses[excuse.month] = excuse
    return accounts


@dataclass
class FlaggedMember:
    account: Account
    membership: Membership
    summary: YearSummary

    @property
    def flag(self) -> Flag:
        return self.summary.flag


def flagged(
    memberships: Sequence[Membership], accounts: dict[int, Account], *, year: int,
    today: datetime.date,
) -> list[FlaggedMember]:  # fmt: skip
    """Members of `memberships` with two or more months of `year` unpaid without reason,
    the removal cases first."""
    found = []
    for membership in memberships:
        account = accounts.get(membership.person_id)
        if account is None:
            continue
        summary = account.year(year, today)
        if summary.flag is not Flag.NONE:
            found.append(FlaggedMember(account, membership, summary))
    found.sort(key=lambda f: (-f.flag, -len(f.summary.without_reason), f.account.person.sort_key))
    return found
