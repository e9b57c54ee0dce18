"""The demo's year of party fees: believable, repeatable, quick."""

from __future__ import annotations

import time
from typing import Any

from django.db.models import F
from django.utils import timezone

from chibo.fees.demo import seed_fee_demo
from chibo.fees.ledger import Flag
from chibo.fees.models import FeeBasis, FeeExcuse, FeePayment
from chibo.fees.rules.base import FeeCategory, add_months, month_start
from chibo.fees.selectors import fee_flags, fee_sheet, party_roll


def test_a_year_of_fees_for_every_demo_party_member(demo: Any) -> None:
    started = time.perf_counter()
    written = seed_fee_demo()
    elapsed = time.perf_counter() - started
    assert written > 3000
    assert elapsed < 10
    commune = demo.org("DU-DT")
    roll = party_roll(org=commune, descendants=True)
    assert FeeBasis.objects.filter(person__in=roll.values("person")).count() == roll.count()
    # Agency cells draw salaries; the hamlets are mostly farmers and pensioners.
    categories = set(FeeBasis.objects.values_list("category", flat=True))
    assert {FeeCategory.SALARY, FeeCategory.PENSION, FeeCategory.OTHER} <= categories
    today = timezone.localdate()
    last = add_months(month_start(today), -1)
    everyone = party_roll(org=demo.org("TU-TN"), descendants=True).count()
    # Most paid last month; some paid ahead (a quarter at once), a few are behind.
    assert 0.8 * everyone < FeePayment.objects.filter(month=last).count() < everyone
    assert FeePayment.objects.filter(paid_on__lt=F("month")).exists()
    # This month's meetings are not all over: the sheet has members left to tick.
    this_month = FeePayment.objects.filter(month=month_start(today)).count()
    assert this_month < 0.9 * everyone
    assert FeeExcuse.objects.exists()
    # The same call again writes nothing.
    assert seed_fee_demo() == 0


def test_bithu1s_cell_has_an_early_warning_and_a_removal_case(demo: Any) -> None:
    seed_fee_demo()
    today = timezone.localdate()
    bithu1 = demo.user("bithu1")
    flags = fee_flags(user=bithu1, org=demo.org("DU-DT-CB01"), today=today)
    assert {f.flag for f in flags} == {Flag.WARNING, Flag.REMOVAL}
    # Demo logins are never the ones behind.
    assert all(f.account.person.user_id is None for f in flags)
    sheet = fee_sheet(
        user=bithu1, org=demo.org("DU-DT-CB01"), month=month_start(today), today=today
    )
    assert sheet.rows and all(not row.needs_basis for row in sheet.rows)
    assert 0 < sheet.collected <= sheet.expected or sheet.paid_count == 0


def test_resetting_the_demo_takes_its_fees_along(demo: Any) -> None:
    from chibo.people.demo import seed_demo

    seed_fee_demo()
    seed_demo(reset=True)
    assert not FeeBasis.objects.exists()
    assert not FeePayment.objects.exists()
    assert not FeeExcuse.objects.exists()
    assert seed_fee_demo() > 3000
