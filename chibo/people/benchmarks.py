"""The benchmarks behind docs/benchmarks.md (`chibo bench seed|lists`).

Every figure is compared with two others, as DESIGN.md asks: a naive implementation
(what the code would cost without its care) and the raw SQL that bounds it (what the
database alone needs for the same answer).

- seed: `seed_synthetic` against the time spent inside its INSERT statements (the
  bound) and against the services writing one member at a time (the naive way).
- lists: the member-list page and the API list, through Django's test client with a
  real session or token, for a cell, a commune with its cells, the whole province, and a
  search in the whole province; against Python-side filtering and sorting of every row
  of the subtree (naive) and one SELECT … ORDER BY sort_key LIMIT 50 (the bound). Lists
  slower than 200 ms are explained with the query plans, and on SQLite the index that
  would fix them is created inside a rolled-back transaction and measured.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.api_auth import api_token_create
from chibo.core.bench import Timing, machine, measure, ms, ratio, table
from chibo.core.models import User
from chibo.core.roles import Role
from chibo.core.scoping import scope_for
from chibo.core.vntext import fold
from chibo.orgs.models import Org
from chibo.orgs.services import grant_create
from chibo.people import trigram
from chibo.people.models import Membership, MembershipStatus, Person, Position, Title
from chibo.people.names import ETHNICITIES_LOWLAND, NameMaker
from chibo.people.seeding import Progress, admission_dates, birth_day, citizen_id, quiet
from chibo.people.selectors import (
    ON_ROLL_STATUSES,
    SEARCH_COUNT_CAP,
    RollKey,
    cursor_dump,
    given_name_prefix_ranges,
    letter_key,
    member_roll,
)
from chibo.people.services import PersonData, membership_create, person_create
from chibo.people.synthetic import ROOT_CODE, seed_synthetic

PAGE = 50
SLOW_MS = 200.0
SEARCH = "nguyen van an"
# A family name about four people in ten bear: the search with the most rows to count.
COMMON = "nguyen"
# A page a reader reaches by paging on; the benchmark also reads the page halfway
# through the province, where neither end of the name order is near.
NEAR_PAGE = 100
# The jump by the first letter of the given name a cell secretary looking for "Thắm" presses.
JUMP = "T"
# Searches of one and two letters: the start of the given name, through the sort_key index.
SHORT = ("ng", "a")
NAIVE_SAMPLE = 1_000


class _Rollback(Exception):
    """Raised to undo an experiment."""


def _header(title: str, started: datetime.datetime, before: list[tuple[str, str]]) -> list[str]:
    """Title and machine; `before` is `machine()` taken before measuring, so the load
    average at the start and at the end can both be shown."""
    after = dict(machine())
    rows = [
        (
            name,
            value if name != "Load average" else f"{value} at the start, {after[name]} at the end",
        )
        for name, value in before
    ]
    lines = [f"## {title}", ""]
    lines.append(f"Measured {started:%Y-%m-%d %H:%M} (UTC{started:%z}) on:")
    lines.append("")
    lines.append(table(("", ""), rows))
    lines.append("")
    return lines


# --- seed ---------------------------------------------------------------------------------


def _naive_seed_seconds(members: int, progress: Progress) -> tuple[float, float]:
    """Seconds per member (wall-clock, CPU) for the services one call at a time, on a
    rolled-back sample."""
    cell = Org.objects.filter(code__startswith=f"{ROOT_CODE[:4]}B0001-C").order_by("path").first()
    if cell is None:
        return float("nan"), float("nan")
    rng = random.Random(7)
    names = NameMaker(ETHNICITIES_LOWLAND)
    today = timezone.localdate()
    sample = min(NAIVE_SAMPLE, members)
    started, started_cpu = time.perf_counter(), time.process_time()
    try:
        with transaction.atomic():
            for serial in range(sample):
                female = rng.random() < 0.35
                born = birth_day(rng, today, 21, 85)
                family, middle, given = names.name(rng, female=female, birth_year=born.year)
                person = person_create(
                    data=PersonData(
                        family_name=family,
                        middle_name=middle,
                        given_name=given,
                        gender="female" if female else "male",
                        birth_date=born,
                        # A birth code the seed never uses, so nothing clashes.
                        citizen_id=citizen_id("096", born.year, female=female, serial=serial),
                    ),
                    org_id=cell.pk,
                )
                joined, official = admission_dates(rng, born, today, probationary=False)
                membership_create(
                    person=person,
                    org=cell,
                    status=MembershipStatus.OFFICIAL if official else MembershipStatus.PROBATIONARY,
                    joined_on=joined,
                    official_on=official,
                )
            raise _Rollback
    except _Rollback:
        pass
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    progress(
        _("Cách làm ngây thơ: %(count)s đảng viên qua các service mất %(seconds).1f giây.")
        % {"count": sample, "seconds": seconds}
    )
    return seconds / sample, cpu / sample


def bench_seed(*, members: int, progress: Progress = quiet) -> str:
    started = timezone.localtime()
    before = machine()
    result = seed_synthetic(members=members, reset=True, progress=progress)
    per_member, per_member_cpu = _naive_seed_seconds(members, progress)
    naive, naive_cpu = per_member * members, per_member_cpu * members
    lines = _header(
        f"Seeding the synthetic province (`chibo bench seed --members {members}`)",
        started,
        before,
    )
    lines.append(
        f"`seed_synthetic` wrote {result.orgs:,} orgs ({result.cells:,} cells), "
        f"{result.members:,} persons, {result.members:,} memberships and a Bí thư per cell "
        "and per base committee, in one transaction. The bound is the time spent inside its "
        "INSERT statements; the naive way is the services one member at a time "
        f"(`person_create` + `membership_create`, validated and audited), measured on "
        f"{min(NAIVE_SAMPLE, members):,} members in a rolled-back transaction and scaled."
    )
    lines.append("")
    bound_wall, bound_cpu = result.insert_seconds, result.insert_cpu_seconds
    rows = [
        ("`chibo seed` (batched INSERTs, computed tree paths)", f"{result.seconds:,.1f}",
         f"{result.cpu_seconds:,.1f}", ratio(result.seconds, bound_wall),
         ratio(result.cpu_seconds, bound_cpu)),
        ("bound: inside the INSERT statements", f"{bound_wall:,.1f}", f"{bound_cpu:,.1f}",
         "1.0×", "1.0×"),
        ("naive: services one member at a time (scaled)", f"{naive:,.0f}",
         f"{naive_cpu:,.0f}", ratio(naive, bound_wall), ratio(naive_cpu, bound_cpu)),
    ]  # fmt: skip
    lines.append(table(("what", "wall-clock s", "CPU s", "÷ bound (wall)", "÷ bound (CPU)"), rows))
    lines.append("")
    verdict = "under" if result.seconds < 180 else "OVER"
    lines.append(
        f"{members:,} members in {result.seconds:,.1f} s of wall-clock time "
        f"({result.cpu_seconds:,.1f} s of CPU): {verdict} the 3-minute budget; "
        f"{members / result.seconds:,.0f} members per second, "
        f"{result.seconds / naive * 100 if naive else float('nan'):.1f} % of the naive time."
    )
    if result.purge_seconds:
        lines.append("")
        lines.append(
            f"Not counted: deleting the previous synthetic province first "
            f"(`chibo seed --reset`) took {result.purge_seconds:,.1f} s."
        )
    return "\n".join(lines)


# --- lists --------------------------------------------------------------------------------


@dataclass
class ListCase:
    label: str
    org: Org
    user: User
    token: str
    descendants: bool = False
    query: str = ""
    number: int = 1  # the page of the list, 1 for the first
    # A page read by keyset: after this place (a cursor), or from this letter of given names.
    key: RollKey | None = None
    letter: str = ""
    members: int = 0
    # The list says "more than" (a search past SEARCH_COUNT_CAP); `members` is still exact.
    capped: bool = False
    page: Timing | None = None
    api: Timing | None = None
    naive: Timing | None = None
    raw: Timing | None = None

    @property
    def page_url(self) -> str:
        url = reverse("org_members", args=[self.org.code])
        params = []
        if self.descendants:
            params.append("descendants=on")
        if self.query:
            params.append("q=" + self.query.replace(" ", "+"))
        if self.number > 1:
            params.append(f"page={self.number}")
        params += self._keyset()
        return url + ("?" + "&".join(params) if params else "")

    def _keyset(self) -> list[str]:
        if self.key is not None:
            return ["cursor=" + cursor_dump(key=self.key, backwards=False)]
        return [f"letter={self.letter}"] if self.letter else []

    @property
    def start(self) -> RollKey | None:
        """Where a keyset page starts, if it is one."""
        return letter_key(self.letter) if self.letter else self.key

    @property
    def api_url(self) -> str:
        params = [f"descendants={'true' if self.descendants else 'false'}"]
        if self.query:
            params.append("q=" + self.query.replace(" ", "%20"))
        if self.number > 1:
            params.append(f"offset={self.offset}")
        params += self._keyset()
        return f"/api/v1/orgs/{self.org.code}/members?" + "&".join(params)

    @property
    def offset(self) -> int:
        return (self.number - 1) * PAGE

    def slow(self) -> bool:
        # Judged on CPU time, so that other work on the machine does not decide it.
        return any(t is not None and t.cpu_median > SLOW_MS for t in (self.page, self.api))


def _vn_thousands(number: int) -> str:
    """A number as the page writes it: 10.000."""
    return f"{number:,}".replace(",", ".")


def _bench_user(username: str, *, person_id: int | None = None) -> User:
    user, _created = User.objects.get_or_create(username=username)
    user.set_unusable_password()
    user.save()
    if person_id is not None:
        Person.objects.filter(user=user).exclude(pk=person_id).update(user=None)
        Person.objects.filter(pk=person_id).update(user=user)
    return user


def _secretary(org: Org) -> int:
    position = Position.objects.current().filter(org=org, title=Title.SECRETARY).first()
    if position is None:
        raise LookupError(f"{org.code} has no Bí thư")
    return position.person_id


def _cases() -> list[ListCase]:
    root = Org.objects.get(code=ROOT_CODE)
    commune = Org.objects.filter(path__startswith=root.path, level="base").order_by("path")[0]
    cells = Org.objects.filter(path__startswith=commune.path, depth=commune.depth + 1)
    cell = cells.order_by("path")[1] if cells.count() > 1 else cells[0]
    cell_user = _bench_user("bench-cell", person_id=_secretary(cell))
    commune_user = _bench_user("bench-commune", person_id=_secretary(commune))
    province_user = _bench_user("bench-province")
    grant_create(user=province_user, org=root, role=Role.VIEWER)
    present = Membership.objects.current().filter(org__path__startswith=root.path).count()
    middle = max(1, present // (2 * PAGE))
    # The place halfway through the province, found once the slow way (by offset).
    whole = member_roll(user=province_user, org=root, descendants=True)
    halfway = RollKey.of(whole[(middle - 1) * PAGE])

    def case(label: str, org: Org, user: User, **extra: Any) -> ListCase:
        token = api_token_create(user=user).key
        return ListCase(label, org, user, token, **extra)

    return [
        case(f"cell {cell.code}", cell, cell_user),
        case(f"commune {commune.code} + cells", commune, commune_user, descendants=True),
        case(f"province {root.code} + all", root, province_user, descendants=True),
        case(f"province, search “{SEARCH}”", root, province_user, descendants=True, query=SEARCH),
        case(f"province, search “{COMMON}”", root, province_user, descendants=True, query=COMMON),
        case(
            f"province + all, page {NEAR_PAGE}",
            root,
            province_user,
            descendants=True,
            number=NEAR_PAGE,
        ),
        case(
            f"province + all, the middle (page {middle:,}) by cursor",
            root,
            province_user,
            descendants=True,
            key=halfway,
        ),
        case(f"province + all, letter {JUMP}", root, province_user, descendants=True, letter=JUMP),
        *(
            case(f"province, search “{short}”", root, province_user, descendants=True, query=short)
            for short in SHORT
        ),
    ]


def _naive(case: ListCase) -> Callable[[], int]:
    """The list without the database's help: every row of the subtree, filtered and sorted
    in Python, then the first page."""
    scope = scope_for(case.user)
    folded = fold(case.query)

    def run() -> int:
        rows = Membership.objects.select_related("person", "org")
        if case.descendants:
            rows = rows.filter(org__path__startswith=case.org.path)
        else:
            rows = rows.filter(org=case.org)
        kept = [
            m
            for m in rows
            if m.ended_on is None
            and m.status in ON_ROLL_STATUSES
            and scope.can(m.org.path, Role.VIEWER)
            and (not folded or _matches(folded, m.person.full_name, m.person.given_name))
        ]
        kept.sort(key=lambda m: (m.person.sort_key, m.person_id))
        page = kept[:PAGE]
        assert len(page) <= PAGE
        return len(kept)

    return run


def _matches(folded: str, full_name: str, given_name: str) -> bool:
    if len(folded) < trigram.MIN_QUERY:
        return fold(given_name).startswith(folded)
    return folded in fold(full_name)


def _raw_sql(
    case: ListCase, *, drive_by_name: bool = False, by_trigram: bool = False
) -> tuple[str, list[Any]]:
    """One SELECT of a page of the list, written by hand to use the indexes there are:
    sorting the list, or walking people in name order (`drive_by_name`), or on SQLite
    finding the names through the trigram table (`by_trigram`).

    On SQLite the subtree is a range of paths (`prefix <= path < prefix + "~"`: paths
    use 0-9A-Z only), which the unique index on the path serves; PostgreSQL serves the
    LIKE from its pattern-ops index, and a range could misbehave under a linguistic
    collation."""
    statuses = ", ".join(["%s"] * len(ON_ROLL_STATUSES))
    where = ["m.ended_on IS NULL", f"m.status IN ({statuses})"]
    params: list[Any] = [str(status) for status in ON_ROLL_STATUSES]
    if case.descendants and connection.vendor == "sqlite":
        where.insert(0, "o.path >= %s AND o.path < %s")
        params[:0] = [case.org.path, case.org.path + "~"]
    elif case.descendants:
        where.insert(0, "o.path LIKE %s")
        params.insert(0, case.org.path + "%")
    else:
        where.insert(0, "m.org_id = %s")
        params.insert(0, case.org.pk)
    start = case.start
    if start is not None:
        where.append(
            "p.sort_key >= %s AND (p.sort_key > %s OR (p.sort_key = %s AND "
            "(p.id > %s OR (p.id = %s AND m.id > %s))))"
        )
        params += [start.sort_key] * 3 + [start.person_id] * 2 + [start.membership_id]
    folded = fold(case.query)
    if 0 < len(folded) < trigram.MIN_QUERY:
        ranges = given_name_prefix_ranges(folded)
        where.append(
            "(" + " OR ".join(["(p.sort_key >= %s AND p.sort_key < %s)"] * len(ranges)) + ")"
        )
        params += [bound for pair in ranges for bound in pair]
    elif case.query and by_trigram:
        where.append(f"p.id IN (SELECT rowid FROM {trigram.TABLE} WHERE {trigram.TABLE} MATCH %s)")
        params.append(trigram.phrase(fold(case.query)))
    elif case.query:
        where.append("p.search_text LIKE %s")
        params.append(f"%{fold(case.query)}%")
    # SQLite keeps the order of a CROSS JOIN: walk people in name order, stop at 50.
    join = "people_person p CROSS JOIN people_membership m" if drive_by_name else (
        "people_membership m JOIN people_person p"
    )  # fmt: skip
    sql = (
        "SELECT p.id, p.full_name, p.birth_date, p.gender, m.status, m.joined_on, o.code "
        f"FROM {join} ON p.id = m.person_id JOIN orgs_org o ON o.id = m.org_id "
        f"WHERE {' AND '.join(where)} ORDER BY p.sort_key, p.id, m.id "
        f"LIMIT {PAGE} OFFSET {case.offset}"
    )
    return sql, params


def _raw_variants(case: ListCase) -> list[tuple[str, list[Any]]]:
    variants = [_raw_sql(case)]
    # The name-order walk is forced with SQLite's CROSS JOIN, which PostgreSQL does not
    # accept with ON; its planner picks that walk by itself.
    if case.descendants and connection.vendor == "sqlite":
        variants.append(_raw_sql(case, drive_by_name=True))
    folded = fold(case.query)
    if (
        connection.vendor == "sqlite"
        and len(folded) >= trigram.MIN_QUERY
        and trigram.sqlite_ready(connection)
    ):
        variants.append(_raw_sql(case, by_trigram=True))
    return variants


def _run_raw(sql: str, params: list[Any]) -> Callable[[], int]:
    def run() -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return len(cursor.fetchall())

    return run


def _requests(case: ListCase, client: Client) -> tuple[Callable[[], None], Callable[[], None]]:
    """The page and the API call of `case`, each checked for a 200."""
    bearer = {"Authorization": f"Bearer {case.token}"}

    def page() -> None:
        response = client.get(case.page_url)
        assert response.status_code == 200, (case.page_url, response.status_code)

    def api() -> None:
        response = client.get(case.api_url, headers=bearer)
        assert response.status_code == 200, (case.api_url, response.status_code)

    return page, api


def _backend_cpu_ms() -> float:
    """CPU time so far of this connection's PostgreSQL backend, when the server runs on
    this machine (/proc/<pid>/schedstat, in nanoseconds); 0 elsewhere."""
    if connection.vendor != "postgresql":
        return 0.0
    connection.ensure_connection()
    known = getattr(connection, "_bench_backend", None)
    if known is None or known[0] is not connection.connection:
        with connection.cursor() as cursor:
            # Parallel workers are processes of their own, whose time would be lost: the
            # benchmark runs every query in the one backend it measures.
            cursor.execute("SET max_parallel_workers_per_gather = 0")
            cursor.execute("SELECT pg_backend_pid()")
            row = cursor.fetchone()
        known = (connection.connection, row[0] if row else 0)
        connection._bench_backend = known  # type: ignore[attr-defined]
    try:
        return int(Path(f"/proc/{known[1]}/schedstat").read_text().split()[0]) / 1e6
    except (OSError, ValueError, IndexError):
        return 0.0


def _measure(
    operation: Callable[[], Any], *, repeat: int, warmup: int = 1, count_queries: bool = True
) -> Timing:
    """`chibo.core.bench.measure`, with the CPU time of the PostgreSQL backend added to
    the process's: on PostgreSQL the database's work happens there."""
    if connection.vendor != "postgresql":
        return measure(operation, repeat=repeat, warmup=warmup, count_queries=count_queries)
    server: list[float] = []

    def timed() -> None:
        before = _backend_cpu_ms()
        operation()
        server.append(_backend_cpu_ms() - before)

    timing = measure(timed, repeat=repeat, warmup=warmup, count_queries=count_queries)
    measured = server[-repeat:]
    timing.cpu_samples = [
        cpu + extra for cpu, extra in zip(timing.cpu_samples, measured, strict=True)
    ]
    return timing


def _measure_case(
    case: ListCase,
    clients: dict[str, Client],
    repeat: int,
    naive_runs: dict[tuple[int, bool, str], tuple[Timing, int]] | None = None,
) -> None:
    client = clients[case.user.username]
    page, api = _requests(case, client)
    bearer = {"Authorization": f"Bearer {case.token}"}
    first = client.get(case.api_url, headers=bearer).json()
    case.members = int(first["count"])
    case.capped = bool(first.get("count_is_lower_bound"))
    if case.capped:
        exact = member_roll(
            user=case.user, org=case.org, query=case.query, descendants=case.descendants, exact=True
        )
        case.members = exact.count()
    case.page = _measure(page, repeat=repeat)
    case.api = _measure(api, repeat=repeat)
    # The bound: the fastest hand-written SELECT of the page.
    raws = [
        _measure(_run_raw(*variant), repeat=repeat, count_queries=False)
        for variant in _raw_variants(case)
    ]
    case.raw = min(raws, key=lambda timing: timing.cpu_median)
    # Every page of a list has the same naive cost: it is measured once per list.
    key = (case.org.pk, case.descendants, case.query)
    naive_runs = {} if naive_runs is None else naive_runs
    if key not in naive_runs:
        naive = _naive(case)
        big = case.members > 20_000 or (case.descendants and case.org.depth == 1)
        timing = measure(naive, repeat=1 if big else repeat, warmup=0 if big else 1)
        naive_runs[key] = (timing, naive())
    case.naive, found = naive_runs[key]
    if found != case.members:
        raise AssertionError(f"{case.label}: the API counts {case.members}, naive {found}")


def _plan(sql: str, params: list[Any] | None = None) -> list[str]:
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        # Without parameters the driver must not look for placeholders: the SQL captured
        # from the ORM has its values inlined, LIKE patterns with their % included.
        cursor.execute(prefix + sql, params or None)
        return [str(row[-1]) for row in cursor.fetchall()]


def _orm_queries(case: ListCase) -> list[str]:
    """The SQL of the selector's page and count queries, parameters inlined."""
    scope_for(case.user)  # computed (and cached) outside the capture
    roll = member_roll(user=case.user, org=case.org, query=case.query, descendants=case.descendants)
    with CaptureQueriesContext(connection) as captured:
        total = roll.count()
    count = captured.captured_queries[-1]["sql"]
    # A page past the end reads nothing: the last page stands in for it, as on the page.
    offset = max(0, min(case.offset, total - 1))
    with CaptureQueriesContext(connection) as captured:
        if case.start is not None:
            roll.seek(key=case.start, backwards=False, limit=PAGE)
        else:
            roll[offset : offset + PAGE]
    page = [query["sql"] for query in captured.captured_queries[-1:]]
    return [*(page or [count]), count]


NOCASE_INDEX = "CREATE INDEX bench_org_path_nocase ON orgs_org (path COLLATE NOCASE)"
# PostgreSQL's counterpart, for completeness: Django already creates one like it.
PATTERN_INDEX = "CREATE INDEX bench_org_path_pattern ON orgs_org (path varchar_pattern_ops)"


def like_index_sql() -> str:
    """An index that lets `path LIKE 'prefix%'` be a range search on this database."""
    return NOCASE_INDEX if connection.vendor == "sqlite" else PATTERN_INDEX


TRIGRAM_TABLE = (
    "CREATE VIRTUAL TABLE bench_person_trigram USING fts5(search_text, "
    "content='people_person', content_rowid='id', tokenize='trigram')"
)


def _explain(cases: list[ListCase], clients: dict[str, Client], repeat: int) -> list[str]:
    slow = [case for case in cases if case.slow()]
    if not slow:
        return [f"Every list takes under {SLOW_MS:.0f} ms of CPU time: nothing to explain."]
    lines = [f"### Why lists take more than {SLOW_MS:.0f} ms", ""]
    like_scans: list[ListCase] = []
    for case in slow:
        page_sql, count_sql = _orm_queries(case)[:2]
        if '"path" LIKE' in page_sql:
            like_scans.append(case)
        lines.append(f"**{case.label}** — plan of the page query, then of the COUNT:")
        lines.append("")
        lines.append("```")
        lines += [*_plan(page_sql), "--", *_plan(count_sql)]
        lines.append("```")
        lines.append("")
    if connection.vendor != "sqlite":
        return lines
    if like_scans:
        lines += _nocase_experiment(like_scans, clients, repeat)
    subtrees = [case for case in slow if case.descendants and not case.query]
    if subtrees:
        lines += _name_order_experiment(subtrees, repeat)
    search = [case for case in slow if case.query]
    if search:
        lines += _trigram_experiment(search[0], repeat)
    return lines


def _nocase_experiment(cases: list[ListCase], clients: dict[str, Client], repeat: int) -> list[str]:
    lines = [
        "The subtree filter is `path LIKE 'prefix%'` (Django's `startswith`), which SQLite "
        "cannot serve from the unique index on `orgs_org.path`: its LIKE is "
        "case-insensitive, the index is not. So the list scans every membership and joins "
        "each to its org. An index with the NOCASE collation lets SQLite turn the LIKE "
        "into a range search (PostgreSQL already has Django's `varchar_pattern_ops` index "
        "for the column); so would filtering with a range of paths instead of LIKE. "
        "Measured inside a transaction that is rolled back, with `" + like_index_sql() + "`:",
        "",
    ]
    rows = []
    verdicts: list[tuple[str, bool]] = []
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # CREATE INDEX refuses a table with deferred checks still pending.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(like_index_sql())
            for case in cases:
                get_page, get_api = _requests(case, clients[case.user.username])
                page = measure(get_page, repeat=repeat)
                api = measure(get_api, repeat=repeat)
                assert case.page and case.api
                verdicts.append((case.label, max(page.cpu_median, api.cpu_median) <= SLOW_MS))
                rows.append(
                    (
                        case.label,
                        f"{ms(case.page.cpu_median)} → {ms(page.cpu_median)}",
                        f"{ms(case.api.cpu_median)} → {ms(api.cpu_median)}",
                    )
                )
            raise _Rollback
    except _Rollback:
        pass
    lines.append(table(("list", "page, CPU ms", "API, CPU ms"), rows))
    lines.append("")
    fixed = [label for label, fast in verdicts if fast]
    remaining = [label for label, fast in verdicts if not fast]
    lines.append(
        f"With the index, under {SLOW_MS:.0f} ms: {', '.join(fixed) or 'none'}; "
        f"still over: {', '.join(remaining) or 'none'}."
    )
    lines.append("")
    return lines


def _name_order_experiment(cases: list[ListCase], repeat: int) -> list[str]:
    rows = []
    for case in cases:
        sorted_sql = measure(_run_raw(*_raw_sql(case)), repeat=repeat, count_queries=False)
        by_name = measure(
            _run_raw(*_raw_sql(case, drive_by_name=True)), repeat=repeat, count_queries=False
        )
        rows.append(
            (
                case.label,
                f"{case.members:,}",
                f"{case.offset:,}",
                ms(sorted_sql.cpu_median),
                ms(by_name.cpu_median),
            )
        )
    return [
        "A page of a large subtree is read by walking people in name order through the "
        "index on `sort_key` from the nearer end of the list and stopping when the page is "
        "full (`MemberRoll` in chibo/people/selectors.py), or by sorting the ids of the "
        "list when it holds few of the people. Far from both ends, the walk reads every "
        "person it skips, and the sort keeps every skipped row: no index gives the "
        "150,000th member of a subtree without counting up to it. The two hand-written "
        "forms, CPU time:",
        "",
        table(
            (
                "list",
                "members",
                "rows skipped",
                "raw SQL sorted, CPU ms",
                "raw SQL driven by name order, CPU ms",
            ),
            rows,
        ),
        "",
    ]


def _trigram_experiment(case: ListCase, repeat: int) -> list[str]:
    """The search with and without the trigram table (chibo/people/trigram.py); where the
    migration could not create it, one made for the occasion and rolled back."""
    like_sql = _raw_sql(case)
    installed = trigram.sqlite_ready(connection)
    try:
        with transaction.atomic():
            table_name = trigram.TABLE
            if not installed:
                table_name = "bench_person_trigram"
                with connection.cursor() as cursor:
                    cursor.execute(TRIGRAM_TABLE)
                    cursor.execute(
                        "INSERT INTO bench_person_trigram(bench_person_trigram) VALUES ('rebuild')"
                    )
            sql, params = _raw_sql(case, by_trigram=True)
            sql = sql.replace(trigram.TABLE, table_name)
            without = measure(_run_raw(*like_sql), repeat=repeat, count_queries=False)
            with_index = measure(_run_raw(sql, params), repeat=repeat, count_queries=False)
            plan = _plan(sql, params)
            raise _Rollback
    except _Rollback:
        pass
    where = "the trigram table" if installed else "a trigram table made for the run"
    return [
        f"The search `LIKE '%{fold(case.query)}%'` on `people_person.search_text` reads every "
        "person: no B-tree index serves a substring. The FTS5 table with the trigram "
        "tokenizer over the column (a GIN `gin_trgm_ops` index on PostgreSQL) does: "
        f"through {where} the raw search takes {ms(with_index.cpu_median)} ms of CPU time "
        f"instead of {ms(without.cpu_median)} ms; plan:",
        "",
        "```",
        *plan,
        "```",
        "",
    ]


def bench_lists(*, members: int, repeat: int, progress: Progress = quiet) -> str:
    started = timezone.localtime()
    before = machine()
    root = Org.objects.filter(code=ROOT_CODE).first()
    present = (
        Membership.objects.current().filter(org__path__startswith=root.path).count()
        if root is not None
        else 0
    )
    if present != members:
        progress(
            _("Tỉnh tổng hợp đang có %(present)s đảng viên, tạo lại với %(members)s…")
            % {"present": present, "members": members}
        )
        seed_synthetic(members=members, reset=True, progress=progress)
    cases = _cases()
    clients: dict[str, Client] = {}
    for case in cases:
        if case.user.username not in clients:
            client = Client()
            client.force_login(case.user)
            clients[case.user.username] = client
    naive_runs: dict[tuple[int, bool, str], tuple[Timing, int]] = {}
    for case in cases:
        progress(_("Đang đo: %(label)s…") % {"label": case.label})
        _measure_case(case, clients, repeat, naive_runs)
    lines = _header(f"Member lists at {members:,} members (`chibo bench lists`)", started, before)
    lines.append(
        f"Median of {repeat} runs after one warm-up (naive over the whole province: one "
        "run, no warm-up), in milliseconds, through Django's test client in one process: the page "
        "`/orgs/<code>/members/` with a session, the API `/api/v1/orgs/<code>/members` "
        "with a bearer token, each as a user who may read the list (the cell's Bí thư, "
        "the commune's Bí thư, a viewer of the province). Naive: every membership of the "
        "subtree loaded, filtered and sorted in Python. Raw SQL: the fastest of the "
        "hand-written SELECTs of one page through the cursor (sorted; walking people in "
        "name order; through the trigram table), the bound for one page without its "
        "total; for a page read by cursor or by letter it starts at the same place in the "
        "name order. The middle of the province is read by cursor (`?cursor=`, the place "
        "of its 150,000th member): a page number that far from both ends is refused. "
        "One- and two-letter searches match the start of the given name. "
        f"A name search counts its matches up to {SEARCH_COUNT_CAP:,} and past that says "
        f"“Hơn {_vn_thousands(SEARCH_COUNT_CAP)} người” (the API: `count_is_lower_bound`); "
        "the members column gives the exact number all the same, counted apart. "
        "Queries: per request, session and scope included."
        + (
            " On PostgreSQL the CPU time is the process's plus its server backend's "
            "(/proc/<pid>/schedstat), with parallel workers off so that the backend "
            "does all the work."
            if connection.vendor == "postgresql"
            else ""
        )
    )
    lines.append("")
    headers = (
        "list", "members", "page", "API", "naive", "raw SQL", "page ÷ raw", "API ÷ raw",
        "naive ÷ API", "queries page / API",
    )  # fmt: skip
    views: tuple[tuple[str, Callable[[Timing], float]], ...] = (
        ("Wall-clock time, ms:", lambda t: t.median),
        (
            "CPU time of the process, ms (the same runs; what the work costs whatever "
            "else the machine is doing):",
            lambda t: t.cpu_median,
        ),
    )
    for title, pick in views:
        rows = []
        for case in cases:
            assert case.page and case.api and case.naive and case.raw
            page, api, naive, raw = (pick(t) for t in (case.page, case.api, case.naive, case.raw))
            rows.append(
                (
                    case.label,
                    f"{case.members:,}"
                    + (f" (“hơn {_vn_thousands(SEARCH_COUNT_CAP)}”)" if case.capped else ""),
                    ms(page),
                    ms(api),
                    ms(naive),
                    ms(raw),
                    ratio(page, raw),
                    ratio(api, raw),
                    ratio(naive, api),
                    f"{case.page.queries} / {case.api.queries}",
                )
            )
        lines += [title, "", table(headers, rows), ""]
    slow = [case.label for case in cases if case.slow()]
    lines.append(
        f"Over {SLOW_MS:.0f} ms of CPU time: " + (", ".join(slow) if slow else "none") + "."
    )
    lines.append("")
    lines += _explain(cases, clients, repeat)
    return "\n".join(lines)


def run_seed(*, members: int, say: Progress = quiet, **_options: object) -> str:
    """`chibo bench seed`."""
    return bench_seed(members=members, progress=say)


def run_lists(*, members: int, repeat: int, say: Progress = quiet, **_options: object) -> str:
    """`chibo bench lists`."""
    return bench_lists(members=members, repeat=repeat, progress=say)
