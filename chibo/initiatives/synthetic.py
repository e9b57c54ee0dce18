"""Models and a year of results for the synthetic province (`chibo seed`), for `chibo
bench follow-initiatives`.

Every cell of the synthetic province registers one model with two indicators (rice saved,
in kg; money saved, in đồng) and every base committee one with two more (households
helped; power saved, in kWh): the shape of the demo commune. Each indicator gets a result
every month of the year, in the indicator's unit or, one month in four, in a larger unit
of the same kind (tấn, triệu đồng), so that the roll-up's conversion is exercised. Rows
are written with batched plain INSERTs in one transaction and no audit entries, like the
province itself.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.vntext import fold
from chibo.initiatives.models import Indicator, IndicatorKind, Initiative, MeasureUnit, ResultEntry
from chibo.initiatives.services import catalogue_ensure
from chibo.orgs.models import Level, Org
from chibo.people.seeding import Progress, quiet
from chibo.people.synthetic import ROOT_CODE

SEED = 5_2021
BATCH = 5_000
# (indicator kind, unit of the indicator, larger unit used one month in four, its factor,
#  monthly amount in the indicator's unit: low, high)
CELL_INDICATORS = (
    ("tiet-kiem-gao", "kg", "tan", 1_000, (5, 40)),
    ("tiet-kiem-tien", "dong", "trieu-dong", 1_000_000, (100_000, 900_000)),
)
BASE_INDICATORS = (
    ("ho-duoc-ho-tro", "ho", "ho", 1, (1, 6)),
    ("tiet-kiem-dien", "kwh", "mwh", 1_000, (150, 900)),
)


@dataclass(frozen=True)
class InitiativeSeed:
    initiatives: int
    entries: int
    seconds: float


def _insert(cursor: Any, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"
    for start in range(0, len(rows), BATCH):
        cursor.executemany(sql, rows[start : start + BATCH])


def seed_initiatives(
    *, year: int, reset: bool = False, progress: Progress = quiet
) -> InitiativeSeed:
    """Write the synthetic province's models and results of `year` unless there are some
    (or, with `reset`, after deleting them)."""
    started = time.perf_counter()
    root = Org.objects.filter(code=ROOT_CODE).first()
    if root is None:
        raise ValueError(_("Chưa có tỉnh tổng hợp: hãy chạy `chibo seed` trước."))
    catalogue_ensure()
    units = {unit.code: unit.pk for unit in MeasureUnit.objects.all()}
    kinds = {kind.code: kind.pk for kind in IndicatorKind.objects.all()}
    start = datetime.date(year, 1, 1)
    mine = Initiative.objects.filter(org__path__startswith=root.path, starts_on=start)
    with transaction.atomic():
        if mine.exists():
            if not reset:
                return InitiativeSeed(0, 0, time.perf_counter() - started)
            ResultEntry.objects.filter(indicator__initiative__in=mine).delete()
            Indicator.objects.filter(initiative__in=mine).delete()
            mine.delete()
        orgs = list(
            Org.objects.filter(
                path__startswith=root.path, level__in=(Level.BRANCH, Level.BASE), status="active"
            )
            .order_by("path")
            .values_list("pk", "level", "ward_code", "hamlet")
        )
        rng = random.Random(SEED + year)
        now = timezone.now()
        table = Initiative._meta.db_table
        title = "Hũ gạo tiết kiệm giúp đỡ hộ nghèo"
        rows = [
            (org_id, "savings", title, fold(title), "", None, "Góp gạo, góp tiền tiết kiệm",
             ward_code, hamlet or "", fold(hamlet or ""), "", start, None, "running", now)
            for org_id, _level, ward_code, hamlet in orgs
        ]  # fmt: skip
        with connection.cursor() as cursor:
            _insert(
                cursor,
                table,
                ("org_id", "kind", "title", "title_folded", "participants", "participant_count",
                 "tasks", "ward_code", "hamlet", "hamlet_folded", "beneficiaries", "starts_on",
                 "ends_on", "status", "created_at"),
                rows,
            )  # fmt: skip
        progress(_("Đã ghi %(n)s mô hình…") % {"n": f"{len(rows):,}"})
        created = dict(
            Initiative.objects.filter(org__path__startswith=root.path, starts_on=start).values_list(
                "org_id", "pk"
            )
        )
        indicator_rows = []
        plans: list[tuple[int, tuple[Any, ...]]] = []
        for org_id, level, _ward, _hamlet in orgs:
            chosen = BASE_INDICATORS if level == Level.BASE else CELL_INDICATORS
            for position, spec in enumerate(chosen):
                kind, unit, _big, _factor, (low, high) = spec
                target = Decimal(high * 12)
                indicator_rows.append(
                    (created[org_id], kinds[kind], "", units[unit], target, position)
                )
                plans.append((created[org_id], spec))
        with connection.cursor() as cursor:
            _insert(
                cursor,
                Indicator._meta.db_table,
                ("initiative_id", "kind_id", "label", "unit_id", "target", "position"),
                indicator_rows,
            )
        indicator_ids = list(
            Indicator.objects.filter(initiative__org__path__startswith=root.path,
                                     initiative__starts_on=start)
            .order_by("initiative_id", "position")
            .values_list("pk", flat=True)
        )  # fmt: skip
        plans.sort(key=lambda plan: plan[0])
        entries: list[tuple[Any, ...]] = []
        written = 0
        today = timezone.localdate()
        with connection.cursor() as cursor:
            for indicator_id, (_initiative, spec) in zip(indicator_ids, plans, strict=True):
                _kind, unit, big, factor, (low, high) = spec
                for month in range(1, 13):
                    on = datetime.date(year, month, 25)
                    if on > today:
                        break
                    amount = rng.randint(low, high)
                    if month % 4 == 0 and big != unit:
                        quantity, code = Decimal(amount) / factor, big
                    else:
                        quantity, code = Decimal(amount), unit
                    entries.append(
                        (indicator_id, on, quantity.quantize(Decimal("0.001")), units[code],
                         "", now, None)
                    )  # fmt: skip
                if len(entries) >= BATCH:
                    _insert(cursor, ResultEntry._meta.db_table, ENTRY_COLUMNS, entries)
                    written += len(entries)
                    entries.clear()
                    if written % 50_000 < BATCH:
                        progress(_("Đã ghi %(n)s kết quả…") % {"n": f"{written:,}"})
            _insert(cursor, ResultEntry._meta.db_table, ENTRY_COLUMNS, entries)
            written += len(entries)
    return InitiativeSeed(len(rows), written, time.perf_counter() - started)


ENTRY_COLUMNS = ("indicator_id", "on", "quantity", "unit_id", "note", "recorded_at", "voided_at")
