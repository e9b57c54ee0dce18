"""`chibo bench follow-initiatives`: the roll-up of model results over the synthetic
province.

The totals of a node by indicator kind (rice in kg, money in đồng, households, kWh), each
result converted by its unit's factor inside the SUM, are one GROUP BY over the org path
prefix (`rollup_totals`); with the split by unit directly under the node (`rollup`) one
more GROUP BY. Both are measured for the province, a base committee and a cell, against
the naive way (for every unit under the node and every kind, a SUM query) and against the
bound: the same GROUP BY written by hand in SQL and run through the cursor.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.utils import timezone

from chibo.core.bench import Timing, machine, measure, ms, ratio, table
from chibo.core.fields import subtree_bounds
from chibo.initiatives.models import IndicatorKind, Initiative, ResultEntry
from chibo.initiatives.selectors import rollup, rollup_totals, year_bounds
from chibo.initiatives.synthetic import seed_initiatives
from chibo.orgs.models import Level, Org
from chibo.people.synthetic import ROOT_CODE

BUDGET_MS = 1_000.0
TITLE = "## Models and initiatives: result roll-ups (`chibo bench follow-initiatives`)"


def _naive(org: Org, year: int) -> dict[tuple[str, int], Decimal]:
    """Without the GROUP BY: for every unit directly under the node and every kind, one
    SUM query."""
    start, end = year_bounds(year)
    base = ExpressionWrapper(
        F("quantity") * F("unit__factor"),
        output_field=DecimalField(max_digits=38, decimal_places=9),
    )
    totals: dict[tuple[str, int], Decimal] = {}
    kinds = list(IndicatorKind.objects.values_list("pk", flat=True))
    for child in Org.objects.filter(path__startswith=org.path, depth=org.depth + 1):
        for kind in kinds:
            total = (
                ResultEntry.objects.valid()
                .filter(
                    indicator__initiative__org__path__startswith=child.path,
                    indicator__kind_id=kind,
                    on__gte=start,
                    on__lte=end,
                )
                .aggregate(s=Sum(base))["s"]
            )
            if total:
                totals[(child.code, kind)] = Decimal(total)
    return totals


def _bound(org: Org, year: int) -> list[tuple[Any, ...]]:
    """The same totals in hand-written SQL: the floor any ORM query stands on."""
    start, end = year_bounds(year)
    if connection.vendor == "sqlite":
        subtree, bounds = "o.path >= %s AND o.path < %s", list(subtree_bounds(org.path))
    else:
        subtree, bounds = "o.path LIKE %s", [org.path + "%"]
    sql = f"""
        SELECT i.kind_id, SUM(e.quantity * u.factor)
        FROM initiatives_resultentry e
        JOIN initiatives_indicator i ON i.id = e.indicator_id
        JOIN initiatives_initiative m ON m.id = i.initiative_id
        JOIN orgs_org o ON o.id = m.org_id
        JOIN initiatives_measureunit u ON u.id = e.unit_id
        WHERE {subtree} AND e.voided_at IS NULL AND e."on" >= %s AND e."on" <= %s
        GROUP BY i.kind_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*bounds, start, end])
        return list(cursor.fetchall())


def _case(
    label: str, org: Org, year: int, repeat: int, say: Callable[[str], None]
) -> tuple[str, Timing, Timing, Timing, Timing, int]:
    totals = measure(lambda: rollup_totals(org=org, year=year), repeat=repeat)
    split = measure(lambda: rollup(org=org, year=year), repeat=repeat)
    bound = measure(lambda: _bound(org, year), repeat=repeat, count_queries=False)
    # The naive loop over a province's units is slow: three runs are enough.
    naive = measure(lambda: _naive(org, year), repeat=min(repeat, 3), warmup=0)
    ours = {t.kind.pk: t.base_total for t in rollup_totals(org=org, year=year)}
    hand = {kind: Decimal(str(total)) for kind, total in _bound(org, year)}
    assert ours.keys() == hand.keys()
    assert all(abs(ours[k] - hand[k]) < 1 for k in ours), (ours, hand)
    entries = (
        ResultEntry.objects.filter(indicator__initiative__org__path__startswith=org.path)
        .filter(on__gte=year_bounds(year)[0])
        .count()
    )
    say(
        f"{label}: totals {ms(totals.median)} ms, with units {ms(split.median)} ms "
        f"(bound {ms(bound.median)}, naive {ms(naive.median)})"
    )
    return label, totals, split, bound, naive, entries


def run_follow_initiatives(
    *, members: int, rows: int, repeat: int, say: Callable[[str], None], **_: Any
) -> str:
    """Result roll-ups on the synthetic province; the Markdown section."""
    started = timezone.localtime()
    before = machine()
    root = Org.objects.filter(code=ROOT_CODE).first()
    if root is None:
        return (
            f"{TITLE}\n\nNot measured: no synthetic province in this database "
            "(run `chibo seed` first)."
        )
    year = timezone.localdate().year
    seeded = seed_initiatives(year=year, progress=say)
    base = (
        Org.objects.filter(path__startswith=root.path, level=Level.BASE, numchild__gt=0)
        .order_by("path")
        .first()
    )
    cell = (
        Org.objects.filter(path__startswith=(base or root).path, level=Level.BRANCH)
        .order_by("path")
        .first()
    )
    cases = [_case("province", root, year, repeat, say)]
    if base is not None:
        cases.append(_case("a base committee", base, year, repeat, say))
    if cell is not None:
        cases.append(_case("a cell", cell, year, repeat, say))
    after = dict(machine())
    models = Initiative.objects.filter(org__path__startswith=root.path).count()
    lines = [TITLE, "", f"Measured {started:%Y-%m-%d %H:%M} (UTC{started:%z}) on:", ""]
    lines.append(
        table(
            ("", ""),
            [
                (name, value if name != "Load average" else f"{value} → {after[name]}")
                for name, value in before
            ],
        )
    )
    lines.append("")
    lines.append(
        f"{models:,} models in the synthetic province (one per cell, one per base committee), "
        f"{cases[0][5]:,} results of {year}"
        + (f" (written now in {seeded.seconds:,.1f} s)" if seeded.entries else "")
        + ", one result in four in a larger unit (tấn, triệu đồng, MWh). `rollup_totals`: the "
        "node's totals by indicator kind, one GROUP BY over the path prefix with the unit "
        "factor multiplied inside the SUM. `rollup`: the same split by unit directly under "
        "the node (what the page shows). Bound: the totals in hand-written SQL. Naive: a SUM "
        "query per unit under the node and per kind."
    )
    lines.append("")
    body = []
    for label, totals, split, bound, naive, entries in cases:
        body.append(
            (label, f"{entries:,}", totals.queries, ms(totals.median), ms(totals.cpu_median),
             ms(split.median), ms(bound.median), ratio(totals.median, bound.median),
             ms(naive.median), ratio(naive.median, split.median))
        )  # fmt: skip
    lines.append(
        table(
            (
                "node",
                "results",
                "queries",
                "totals ms",
                "totals CPU ms",
                "with units ms",
                "bound ms",
                "÷ bound",
                "naive ms",
                "naive ÷ with units",
            ),
            body,
        )
    )
    worst = max(max(c[1].cpu_median, c[2].cpu_median) for c in cases)
    verdict = "under" if worst < BUDGET_MS else "OVER"
    lines.append("")
    lines.append(
        f"Slowest roll-up (the province, split by unit): {ms(worst)} ms of CPU time, {verdict} "
        f"the 1 s budget on {connection.vendor}; the load average above says how busy the "
        "machine was (SQLite runs in the process, so CPU time is what the query costs)."
    )
    return "\n".join(lines)
