"""`chibo bench`: the Markdown sections it owns, and a small run of every benchmark."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from chibo.core.bench import measure, table, update_section
from chibo.people import benchmarks
from chibo.people.models import Membership
from chibo.people.synthetic import seed_synthetic

pytestmark = pytest.mark.django_db


def bench_objects() -> int:
    """Indexes and tables the experiments create, if any were left behind."""
    if connection.vendor == "sqlite":
        sql = "SELECT count(*) FROM sqlite_master WHERE name LIKE 'bench%%'"
    else:
        sql = "SELECT count(*) FROM pg_class WHERE relname LIKE 'bench%%'"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return int(cursor.fetchone()[0])


def test_update_section_replaces_only_its_own_block(tmp_path):
    path = tmp_path / "benchmarks.md"
    update_section(path, "seed", "seed v1")
    update_section(path, "lists", "lists v1")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n")
    path.write_text(text + "\nHand-written notes stay.\n", encoding="utf-8")
    update_section(path, "seed", "seed v2")
    text = path.read_text(encoding="utf-8")
    assert "seed v2" in text and "seed v1" not in text
    assert "lists v1" in text
    assert "Hand-written notes stay." in text
    assert text.index("seed v2") < text.index("lists v1")


def test_table_and_measure():
    rendered = table(("list", "ms"), [("cell", "1.5"), ("province", "1,200")])
    assert rendered.splitlines()[1] == "|---|---:|"
    calls = []
    timing = measure(lambda: calls.append(1), repeat=4, warmup=2, count_queries=False)
    assert len(timing.samples) == 4 and len(calls) == 6
    assert timing.median >= 0


def test_bench_command_rejects_bad_numbers():
    with pytest.raises(CommandError, match="--members phải từ 1000"):
        call_command("bench", "lists", "--members", "10")
    with pytest.raises(CommandError, match="--repeat phải là số nguyên dương"):
        call_command("bench", "lists", "--members", "1000", "--repeat", "0")


def test_small_run_writes_both_sections(demo, tmp_path, monkeypatch):
    output = tmp_path / "benchmarks.md"
    out = io.StringIO()
    call_command("bench", "--members", "1000", "--repeat", "1", "--output", str(output), stdout=out)
    text = output.read_text(encoding="utf-8")
    assert "<!-- bench:seed -->" in text and "<!-- bench:lists -->" in text
    assert "1,000 members in" in text and "s of CPU" in text
    for label in ("cell SYN-B0001-C002", "commune SYN-B0001 + cells", "province SYN-TINH + all"):
        assert label in text
    # The naive list found exactly what the API counted (checked inside the run).
    assert "nproc" in text
    assert Membership.objects.filter(org__code__startswith="SYN-").count() == 1_000


def test_slow_lists_are_explained(demo, monkeypatch):
    # With a threshold of zero every list counts as slow, so the explanation path runs:
    # query plans everywhere, and on SQLite the experiments, rolled back.
    seed_synthetic(members=1_000)
    monkeypatch.setattr(benchmarks, "SLOW_MS", 0.0)
    text = benchmarks.bench_lists(members=1_000, repeat=1)
    assert "### Why lists take more than 0 ms" in text
    assert "plan of the page query" in text
    if connection.vendor == "sqlite":
        assert "raw SQL driven by name order" in text
        assert "trigram" in text
    assert bench_objects() == 0  # the experiments left nothing behind


def test_nocase_index_experiment_is_rolled_back(demo):
    # Run whether or not the selector still filters subtrees with LIKE.
    seed_synthetic(members=1_000)
    cases = benchmarks._cases()
    commune = cases[1]
    client = Client()
    client.force_login(commune.user)
    clients = {commune.user.username: client}
    benchmarks._measure_case(commune, clients, 1)
    lines = benchmarks._nocase_experiment([commune], clients, 1)
    text = "\n".join(lines)
    assert benchmarks.like_index_sql() in text and "→" in text
    assert bench_objects() == 0
