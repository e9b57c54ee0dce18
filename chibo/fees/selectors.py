"""Reads of party fees, always through the scoping layer.

The unit pages start from an org the user may read (`org_get_for` + `require_role` in the
view) and list its party roll; a member's page starts from `person_get_for`. Fee rows are
then fetched by person for exactly those people, so nothing outside the scope is read.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr

from chibo.core.roles import Role
from chibo.core.scoping import scope_for
from chibo.fees.ledger import (
    DUE_STATUSES,
    Account,
    FlaggedMember,
    MonthState,
    YearSummary,
    flagged,
    load_accounts,
)
from chibo.fees.models import FeeBasis, FeePayment
from chibo.fees.rules.base import add_months, month_start
from chibo.orgs.models import Family, Level, Org
from chibo.orgs.selectors import org_children
from chibo.people.models import EndReason, Membership, Person

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser

# Levels whose page lists members flagged for fees: the cell itself, and the base
# committee that decides on removals. Above that the lists would be province-long.
FLAG_LEVELS = (Level.BRANCH, Level.GROUP, Level.BASE)


def party_roll(*, org: Org, descendants: bool = False) -> QuerySet[Membership]:
    """Current party members who owe fees to `org` (or to its subtree), in Vietnamese
    name order. The caller has checked that the user reads `org`."""
    memberships = Membership.objects.current().filter(family=Family.PARTY, status__in=DUE_STATUSES)
    if descendants:
        memberships = memberships.filter(org__path__startswith=org.path)
    else:
        memberships = memberships.filter(org=org)
    return memberships.select_related("person", "org").order_by("person__sort_key", "person_id")


@dataclass
class SheetRow:
    membership: Membership
    account: Account
    state: MonthState
    year: YearSummary
    arrears: list[MonthState]

    @property
    def person(self) -> Person:
        return self.membership.person

    @property
    def rate_amount(self) -> int | None:
        rate = self.state.rate
        return rate.amount if rate is not None else None

    @property
    def needs_basis(self) -> bool:
        return self.state.rate is None or self.state.rate.amount is None


@dataclass
class ChildTotal:
    org: Org
    members: int
    payers: int
    collected: int


@dataclass
class FeeSheet:
    org: Org
    month: datetime.date
    today: datetime.date
    rows: list[SheetRow]
    children: list[ChildTotal] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return sum(r.rate_amount or 0 for r in self.rows if r.state.due)

    @property
    def collected(self) -> int:
        return sum(r.state.payment.amount for r in self.rows if r.state.payment is not None)

    @property
    def paid_count(self) -> int:
        return sum(1 for r in self.rows if r.state.paid)

    @property
    def unpaid_count(self) -> int:
        return sum(1 for r in self.rows if r.state.unpaid)

    @property
    def children_members(self) -> int:
        return sum(child.members for child in self.children)

    @property
    def children_payers(self) -> int:
        return sum(child.payers for child in self.children)

    @property
    def children_collected(self) -> int:
        return sum(child.collected for child in self.children)

    @property
    def open_rows(self) -> list[SheetRow]:
        """Rows an officer can still mark as paid for this month."""
        return [r for r in self.rows if r.state.payment is None and not r.state.exempt]

    @property
    def flagged(self) -> list[SheetRow]:
        return [r for r in self.rows if r.year.flag]


def fee_sheet(*, user: AnyUser, org: Org, month: datetime.date, today: datetime.date) -> FeeSheet:
    """The unit's collection sheet for `month`: one row per member on its party roll, and
    for a committee the collection of each unit under it."""
    month = month_start(month)
    memberships = list(party_roll(org=org))
    accounts = load_accounts(m.person_id for m in memberships)
    rows = []
    for membership in memberships:
        account = accounts[membership.person_id]
        rows.append(
            SheetRow(
                membership=membership,
                account=account,
                state=account.state(month, today),
                year=account.year(month.year, today),
                arrears=account.arrears(today),
            )
        )
    sheet = FeeSheet(org=org, month=month, today=today, rows=rows)
    if org.numchild:
        sheet.children = _child_totals(user=user, org=org, month=month)
    return sheet


def _child_totals(*, user: AnyUser, org: Org, month: datetime.date) -> list[ChildTotal]:
    children = list(org_children(user=user, org=org))
    if not children:
        return []
    width = len(org.path) + org.steplen
    collected = {
        row["prefix"]: row
        for row in FeePayment.objects.valid()
        .filter(month=month, org__path__startswith=org.path, org__depth__gt=org.depth)
        .annotate(prefix=Substr("org__path", 1, width))
        .values("prefix")
        .annotate(total=Sum("amount"), payers=Count("person", distinct=True))
    }
    members = {
        row["prefix"]: row["count"]
        for row in Membership.objects.current()
        .filter(
            family=Family.PARTY,
            status__in=DUE_STATUSES,
            org__path__startswith=org.path,
            org__depth__gt=org.depth,
        )
        .annotate(prefix=Substr("org__path", 1, width))
        .values("prefix")
        .annotate(count=Count("id"))
    }
    return [
        ChildTotal(
            org=child,
            members=int(members.get(child.path, 0)),
            payers=int(collected.get(child.path, {}).get("payers") or 0),
            collected=int(collected.get(child.path, {}).get("total") or 0),
        )
        for child in children
        if child.family == Family.PARTY
    ]


def last_ended_month(today: datetime.date) -> datetime.date:
    return add_months(month_start(today), -1)


def fee_flags(*, user: AnyUser, org: Org, today: datetime.date) -> list[FlaggedMember]:
    """Members of the unit (a base committee: of its subtree) with two or more months of
    the year unpaid without a good reason. The year is that of the last ended month, so in
    January the cell still sees last year's cases. Empty for those who may not read the
    unit, and for orgs too high in the tree to list people."""
    if org.family != Family.PARTY or org.level not in FLAG_LEVELS:
        return []
    if not scope_for(user).can(org.path, Role.VIEWER):
        return []
    memberships = list(party_roll(org=org, descendants=org.level == Level.BASE))
    accounts = load_accounts(m.person_id for m in memberships)
    return flagged(memberships, accounts, year=last_ended_month(today).year, today=today)


@dataclass
class PersonFees:
    person: Person
    account: Account
    year: YearSummary
    arrears: list[MonthState]
    membership: Membership | None
    bases: list[FeeBasis]
    current_rate_state: MonthState
    # Orgs the reader may open, by id: a row collected elsewhere is named only if visible.
    visible_org_ids: set[int]

    @property
    def is_party_member(self) -> bool:
        return self.membership is not None


def person_fees(*, user: AnyUser, person: Person, year: int, today: datetime.date) -> PersonFees:
    """A member's fee account for `year`. The caller fetched `person` through
    `person_get_for`, so the user may see them."""
    accounts = load_accounts([person.pk])
    account = accounts[person.pk]
    membership = next(
        (
            m
            for m in sorted(account.memberships, key=lambda m: m.started_on, reverse=True)
            if m.ended_on is None
        ),
        None,
    )
    org_ids = {m.org_id for m in account.memberships}
    org_ids |= {p.org_id for p in account.payments.values()}
    org_ids |= {b.org_id for b in account.bases}
    visible = set(
        Org.objects.visible_to(user, Role.MEMBER)
        .filter(pk__in=org_ids)
        .values_list("pk", flat=True)
    )
    return PersonFees(
        person=person,
        account=account,
        year=account.year(year, today),
        arrears=account.arrears(today),
        membership=membership,
        bases=list(reversed(account.bases)),
        current_rate_state=account.state(month_start(today), today),
        visible_org_ids=visible,
    )


@dataclass
class ReportLine:
    membership: Membership
    account: Account
    states: list[MonthState]

    @property
    def due_total(self) -> int:
        return sum(s.rate.amount or 0 for s in self.states if s.due and s.rate is not None)

    @property
    def paid_total(self) -> int:
        return sum(s.payment.amount for s in self.states if s.payment is not None)

    @property
    def owed_months(self) -> list[MonthState]:
        return [s for s in self.states if s.owed]


@dataclass
class CellTotal:
    org: Org
    lines: list[ReportLine]

    @property
    def members(self) -> int:
        return len(self.lines)

    @property
    def due_total(self) -> int:
        return sum(line.due_total for line in self.lines)

    @property
    def paid_total(self) -> int:
        return sum(line.paid_total for line in self.lines)

    @property
    def members_owing(self) -> int:
        return sum(1 for line in self.lines if line.owed_months)


@dataclass
class FeeReport:
    org: Org
    first: datetime.date
    last: datetime.date
    months: list[datetime.date]
    cells: list[CellTotal]


def fee_report(
    *, user: AnyUser, org: Org, first: datetime.date, last: datetime.date, today: datetime.date
) -> FeeReport:
    """Per unit and per member, what was due and paid for the months first..last, over
    the units of `org`'s subtree the user reads (the caller checked COMMITTEE on `org`)."""
    first, last = month_start(first), month_start(last)
    months = []
    month = first
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    readable = scope_for(user).subtree_q("org__path", Role.VIEWER)
    # The roll, and those who left it during the period (removed, expelled, deceased …):
    # their months before leaving were due and count in the unit's totals.
    on_roll = Q(ended_on__isnull=True, status__in=DUE_STATUSES)
    left = Q(ended_on__gte=first, end_reason=EndReason.STATUS)
    memberships = list(
        Membership.objects.filter(family=Family.PARTY, org__path__startswith=org.path)
        .filter(on_roll | left)
        .filter(readable)
        .select_related("person", "org")
        .order_by("org__path", "person__sort_key", "person_id")
    )
    accounts = load_accounts(m.person_id for m in memberships)
    cells: dict[int, CellTotal] = {}
    for membership in memberships:
        account = accounts[membership.person_id]
        line = ReportLine(
            membership=membership,
            account=account,
            states=[account.state(m, today) for m in months],
        )
        cells.setdefault(membership.org_id, CellTotal(org=membership.org, lines=[])).lines.append(
            line
        )
    return FeeReport(org=org, first=first, last=last, months=months, cells=list(cells.values()))
