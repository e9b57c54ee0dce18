"""`chibo bench follow`: the commitment roll-up over the synthetic province.

The compliance of a node (members, written, approved, reported at mid-year and year end,
for the node and each unit under it) is one GROUP BY over the members' org path prefix.
It is measured for the province, a base committee and a cell, and compared with the
naive way (a loop over the units under the node, five COUNT queries each) and with the
bound: the same GROUP BY written by hand in SQL and run through the cursor.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.utils import timezone

from chibo.core.bench import Timing, machine, measure, ms, ratio, table
from chibo.core.fields import subtree_bounds
from chibo.orgs.models import Level, Org
from chibo.people.synthetic import ROOT_CODE
from chibo.plans.models import Commitment
from chibo.plans.selectors import (
    Stage,
    commitment_compliance,
    compliance_missing,
    reference_day,
    roll_on,
)
from chibo.plans.services import TAKING_PART
from chibo.plans.synthetic import seed_commitments

BUDGET_MS = 1_000.0


def _naive(org: Org, year: int, day: datetime.date) -> list[tuple[str, int, int, int]]:
    """What the roll-up costs without its GROUP BY: per unit under the node, a count of
    members and a count of commitments at each stage."""
    rows = []
    for child in Org.objects.filter(path__startswith=org.path, depth=org.depth + 1):
        people = roll_on(day).filter(org__path__startswith=child.path).values("person_id")
        commitments = Commitment.objects.filter(year=year, person_id__in=people)
        rows.append(
            (
                child.code,
                people.count(),
                commitments.exclude(submitted_at__isnull=True).count(),
                commitments.filter(status="approved").count(),
            )
        )
        commitments.exclude(mid_reported_at__isnull=True).count()
        commitments.exclude(end_reported_at__isnull=True).count()
    return rows


def _bound(org: Org, year: int, day: datetime.date) -> list[tuple[Any, ...]]:
    """The same figures in hand-written SQL: the floor any ORM query stands on."""
    width = len(org.path) + Org.steplen
    statuses = ", ".join(f"'{status}'" for status in TAKING_PART)
    # A range is what the ORM's subtree lookup runs on SQLite (an index range scan);
    # elsewhere the collation may not order paths by code point, so LIKE it is.
    if connection.vendor == "sqlite":
        subtree, bounds = "o.path >= %s AND o.path < %s", list(subtree_bounds(org.path))
    else:
        subtree, bounds = "o.path LIKE %s", [org.path + "%"]
    sql = f"""
        SELECT SUBSTR(o.path, 1, %s) AS prefix, COUNT(*),
               COUNT(c.submitted_at), SUM(CASE WHEN c.status = 'approved' THEN 1 ELSE 0 END),
               COUNT(c.mid_reported_at), COUNT(c.end_reported_at)
        FROM people_membership m
        JOIN orgs_org o ON o.id = m.org_id
        LEFT JOIN plans_commitment c
               ON c.person_id = m.person_id AND c.year = %s AND c.family = m.family
        WHERE {subtree} AND m.family = %s AND m.status IN ({statuses})
          AND m.started_on <= %s AND (m.ended_on IS NULL OR m.ended_on > %s)
        GROUP BY prefix
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [width, year, *bounds, org.family, day, day])
        return list(cursor.fetchall())


def _case(
    label: str, org: Org, year: int, repeat: int, say: Callable[[str], None]
) -> tuple[str, Timing, Timing, Timing | None, int]:
    day = reference_day(year)
    ours = measure(lambda: commitment_compliance(org=org, year=year), repeat=repeat)
    bound = measure(lambda: _bound(org, year, day), repeat=repeat, count_queries=False)
    # The naive loop over a province's 120 bases is slow: three runs are enough.
    naive = measure(lambda: _naive(org, year, day), repeat=min(repeat, 3), warmup=0)
    result = commitment_compliance(org=org, year=year)
    assert sum(1 for _ in _bound(org, year, day)) >= 1
    say(f"{label}: {ms(ours.median)} ms (bound {ms(bound.median)}, naive {ms(naive.median)})")
    return label, ours, bound, naive, result.total.members


def run_follow(
    *, members: int, rows: int, repeat: int, say: Callable[[str], None], **_: Any
) -> str:
    """Compliance roll-ups on the synthetic province; the Markdown section."""
    started = timezone.localtime()
    before = machine()
    root = Org.objects.filter(code=ROOT_CODE).first()
    if root is None:
        return (
            "## Study and follow: commitment roll-ups (`chibo bench follow`)\n\n"
            "Not measured: no synthetic province in this database (run `chibo seed` first)."
        )
    year = timezone.localdate().year
    seeded = seed_commitments(year=year, progress=say)
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
    missing = measure(
        lambda: compliance_missing(org=root, year=year, stage=Stage.END), repeat=repeat
    )
    after = dict(machine())
    lines = ["## Study and follow: commitment roll-ups (`chibo bench follow`)", ""]
    lines.append(f"Measured {started:%Y-%m-%d %H:%M} (UTC{started:%z}) on:")
    lines.append("")
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
    total = Commitment.objects.filter(year=year, org__path__startswith=root.path).count()
    lines.append(
        f"{total:,} commitments of {year} in the synthetic province"
        + (f" (written now in {seeded.seconds:,.1f} s)" if seeded.rows else "")
        + ". The roll-up gives, for the node and each unit directly under it, the members "
        "on the roll and how many wrote, had approved and reported on their commitment: "
        "`commitment_compliance`, one GROUP BY over the path prefix with the commitment "
        "joined by person. Bound: the same query in hand-written SQL. Naive: a loop over "
        "the units under the node with five COUNT queries each."
    )
    lines.append("")
    body = []
    for label, ours, bound, naive, count in cases:
        body.append(
            (label, f"{count:,}", ours.queries, ms(ours.median), ms(ours.cpu_median),
             ms(bound.median), ratio(ours.median, bound.median),
             ms(naive.median) if naive else "—",
             ratio(naive.median, ours.median) if naive else "—")
        )  # fmt: skip
    lines.append(
        table(
            (
                "node",
                "members",
                "queries",
                "ours ms",
                "ours CPU ms",
                "bound ms",
                "÷ bound",
                "naive ms",
                "naive ÷ ours",
            ),
            body,
        )
    )
    lines.append("")
    lines.append(
        f"Names missing the year-end report over the whole province (`compliance_missing`, "
        f"count and first 200 names): {ms(missing.median)} ms ({ms(missing.cpu_median)} ms "
        f"of CPU), {missing.queries} queries; for a cell it is the roll of the cell."
    )
    worst = max(ours.median for _label, ours, *_rest in cases)
    worst_cpu = max(ours.cpu_median for _label, ours, *_rest in cases)
    verdict = "under" if worst_cpu < BUDGET_MS else "OVER"
    lines.append("")
    lines.append(
        f"Slowest roll-up (the province): {ms(worst_cpu)} ms of CPU time, {verdict} the 1 s "
        f"budget on {connection.vendor}; {ms(worst)} ms of wall-clock time on this machine, "
        "whose load average is given above (SQLite runs in the process, so on an idle "
        "machine the wall-clock time comes close to the CPU time). The naive loop costs "
        "nothing for a cell, which has no units under it: there the roll-up is the cell's "
        "own roll."
    )
    return "\n".join(lines)
