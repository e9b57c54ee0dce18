"""Helpers for `chibo bench`: timing, the machine's description, and docs/benchmarks.md.

Each benchmark owns a section of docs/benchmarks.md between two HTML comments
(`<!-- bench:NAME -->` … `<!-- /bench:NAME -->`), so a run rewrites its own section and
leaves the others, and the prose around them, as they are.
"""

from __future__ import annotations

import os
import platform
import re
import sqlite3
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import django
from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Timing:
    """Samples of one operation in milliseconds, wall-clock and CPU, and its query count.

    The CPU time of the process is what the operation itself costs: SQLite runs inside
    the process, so on an idle machine it is close to the wall-clock time, and on a
    machine busy with other work it stays put while the wall-clock time grows.
    """

    samples: list[float] = field(default_factory=list)
    cpu_samples: list[float] = field(default_factory=list)
    queries: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_samples) if self.cpu_samples else float("nan")


def measure(
    operation: Callable[[], Any], *, repeat: int, warmup: int = 1, count_queries: bool = True
) -> Timing:
    """Run `operation` `warmup` times unmeasured, then `repeat` times measured.

    Queries are counted on a separate run: recording them costs time of its own.
    """
    for _ in range(warmup):
        operation()
    timing = Timing()
    if count_queries:
        with CaptureQueriesContext(connection) as captured:
            operation()
        timing.queries = len(captured.captured_queries)
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        operation()
        timing.cpu_samples.append((time.process_time() - started_cpu) * 1000)
        timing.samples.append((time.perf_counter() - started) * 1000)
    return timing


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor() or platform.machine()
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else platform.machine()


def _memory() -> str:
    try:
        text = Path("/proc/meminfo").read_text(encoding="utf-8")
    except OSError:
        return "?"
    match = re.search(r"^MemTotal:\s+(\d+) kB", text, re.MULTILINE)
    return f"{int(match.group(1)) / 1024 / 1024:.1f} GiB" if match else "?"


def machine() -> list[tuple[str, str]]:
    """What the numbers were measured on."""
    database = connection.settings_dict
    engine = connection.vendor
    if engine == "sqlite":
        engine = f"SQLite {sqlite3.sqlite_version} (WAL), file {database['NAME']}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            row = cursor.fetchone()
        engine = str(row[0]) if row else engine
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return [
        ("CPU", f"{_cpu_model()}, nproc = {os.cpu_count()}"),
        ("Memory", _memory()),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("Django", django.get_version()),
        ("Database", engine),
        ("Load average", " / ".join(f"{value:.2f}" for value in load)),
    ]


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table; numbers are right-aligned."""

    def cell(value: object) -> str:
        return str(value).replace("|", "\\|")

    numeric = [
        all(isinstance(row[index], int | float) or _is_number(row[index]) for row in rows)
        for index in range(len(headers))
    ]
    lines = ["| " + " | ".join(headers) + " |"]
    lines.append("|" + "|".join("---:" if flag else "---" for flag in numeric) + "|")
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def _is_number(value: object) -> bool:
    text = str(value).replace(",", "").replace("×", "").replace(" ms", "").strip()
    try:
        float(text)
    except ValueError:
        return False
    return True


def ms(value: float) -> str:
    if value != value:  # NaN: not measured
        return "—"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def ratio(value: float, reference: float) -> str:
    if reference != reference or value != value or reference == 0:
        return "—"
    return f"{value / reference:,.1f}×"


def update_section(path: Path, name: str, body: str, *, title: str = "Benchmarks") -> None:
    """Replace (or append) the section `name` of the Markdown file at `path`."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else f"# {title}\n"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _match: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
