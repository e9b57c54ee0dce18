"""Commitments for the synthetic province (`chibo seed`), for `chibo bench follow`.

Every member of the synthetic province on the roll gets a commitment of the year drawn
from fixed odds (97 % written, 93 % approved, 85 % reported at mid-year, 40 % at year
end), the way the demo's commune looks in November. Rows are written with batched plain
INSERTs in one transaction and no audit entries, like the province itself; items are not
written, since the roll-ups count commitments, not their lines.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.orgs.models import Family, Org
from chibo.people.models import Membership
from chibo.people.seeding import Progress, quiet
from chibo.people.synthetic import ROOT_CODE
from chibo.plans.models import Commitment
from chibo.plans.services import TAKING_PART

SEED = 5_2016
BATCH = 5_000
# Odds of each stage for a member, in the order a commitment goes through them.
WRITTEN, APPROVED, MID, END = 0.97, 0.93, 0.85, 0.40


@dataclass(frozen=True)
class CommitmentSeed:
    rows: int
    seconds: float


def seed_commitments(
    *, year: int, reset: bool = False, progress: Progress = quiet
) -> CommitmentSeed:
    """Write the synthetic province's commitments of `year` unless there are some (or,
    with `reset`, after deleting them)."""
    started = time.perf_counter()
    root = Org.objects.filter(code=ROOT_CODE).first()
    if root is None:
        raise ValueError(_("Chưa có tỉnh tổng hợp: hãy chạy `chibo seed` trước."))
    in_province = Commitment.objects.filter(year=year, org__path__startswith=root.path)
    with transaction.atomic():
        if in_province.exists():
            if not reset:
                return CommitmentSeed(rows=0, seconds=time.perf_counter() - started)
            in_province.delete()
        members = (
            Membership.objects.current()
            .filter(org__path__startswith=root.path, status__in=TAKING_PART, family=Family.PARTY)
            .values_list("person_id", "org_id")
            .order_by("pk")
        )
        rng = random.Random(SEED + year)
        now = timezone.now()
        table = Commitment._meta.db_table
        columns = (
            "person_id", "org_id", "family", "year", "status", "job_position", "pledge",
            "submitted_at", "reviewed_at", "review_comment", "mid_reported_at", "mid_comment",
            "end_reported_at", "end_comment", "created_at", "updated_at",
        )  # fmt: skip
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        batch: list[tuple[Any, ...]] = []
        written = 0
        with connection.cursor() as cursor:
            for person_id, org_id in members.iterator(chunk_size=BATCH):
                draw = rng.random()
                if draw > WRITTEN:
                    continue
                approved = draw <= APPROVED
                status = "approved" if approved else "submitted"
                batch.append(
                    (person_id, org_id, Family.PARTY, year, status, "Đảng viên", "", now,
                     now if approved else None, "", now if draw <= MID else None, "",
                     now if draw <= END else None, "", now, now)
                )  # fmt: skip
                if len(batch) >= BATCH:
                    cursor.executemany(sql, batch)
                    written += len(batch)
                    batch.clear()
                    progress(_("Đã ghi %(count)s bản cam kết…") % {"count": f"{written:,}"})
            if batch:
                cursor.executemany(sql, batch)
                written += len(batch)
    return CommitmentSeed(rows=written, seconds=time.perf_counter() - started)
