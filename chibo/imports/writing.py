"""Batched plain INSERTs for the three tables an import fills (people, memberships, audit).

`bulk_create` compiles every value of every row through the ORM; at 100,000 rows that
took longer than reading and checking the whole sheet. Here each value is adapted once
by type (dates, the one timestamp, JSON) and the rows go to the database in batches
(`insert_rows`). Ids are chosen up front: the caller holds the transaction, SQLite's
IMMEDIATE transactions hold the write lock from their start, and on PostgreSQL the table
is locked against other inserts until commit; the sequence is moved past the chosen ids
at the end.
"""

from __future__ import annotations

import datetime
import json
import operator
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.management.color import no_style
from django.db import connections, models, router

# SQLite's default limit on the parameters of one statement since 3.32, used when the
# connection cannot tell its own.
SQLITE_VARIABLES = 32_766


class Inserter:
    def __init__(self, model: type[models.Model], *, batch: int = 2_000) -> None:
        self.model = model
        self.connection = connections[router.db_for_write(model)]
        self.batch = batch
        ops = self.connection.ops
        self.fields = list(model._meta.concrete_fields)
        self.names = [field.attname for field in self.fields]
        self.defaults: dict[str, Any] = {
            field.attname: field.get_default() for field in self.fields if not field.primary_key
        }
        self.pk_index = next(i for i, field in enumerate(self.fields) if field.primary_key)
        # A row is the defaults overlaid with the given values, read in column order by
        # one itemgetter: C loops instead of a Python one per value.
        self._base = {**self.defaults, self.names[self.pk_index]: None}
        self._in_order = operator.itemgetter(*self.names)
        # Only dates, timestamps and JSON need adapting; every other value goes as it is.
        self.converters: list[tuple[int, Any]] = []
        for index, field in enumerate(self.fields):
            if isinstance(field, models.JSONField):
                self.converters.append((index, self._json))
            elif isinstance(field, models.DateTimeField):
                self.converters.append((index, self._time))
            elif isinstance(field, models.DateField):
                self.converters.append((index, ops.adapt_datefield_value))
        table = ops.quote_name(model._meta.db_table)
        columns = ", ".join(ops.quote_name(field.column) for field in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        self.table = table
        self.rows: list[tuple[Any, ...]] = []
        self.next_id = 0
        self._times: dict[datetime.datetime, Any] = {}
        self._empty_json = self.connection.ops.adapt_json_value({}, None)

    def reserve(self) -> None:
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute(f"LOCK TABLE {self.table} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(f"SELECT MAX(id) FROM {self.table}")
            row = cursor.fetchone()
        self.next_id = int(row[0] or 0) + 1 if row else 1

    def add(self, values: Mapping[str, Any]) -> int:
        """Queue one row; returns the id it will have."""
        if not self.next_id:
            self.reserve()
        pk = self.next_id
        self.next_id += 1
        row = list(self._in_order({**self._base, **values}))
        row[self.pk_index] = pk
        for index, convert in self.converters:
            value = row[index]
            if value is not None:
                row[index] = convert(value)
        self.rows.append(tuple(row))
        if len(self.rows) >= self.batch:
            self.flush()
        return pk

    def _time(self, value: datetime.datetime) -> Any:
        if value not in self._times:
            self._times[value] = self.connection.ops.adapt_datetimefield_value(value)
        return self._times[value]

    def _json(self, value: Any) -> Any:
        if not value and isinstance(value, dict):
            # Most "before" columns of an import are empty: encoded once.
            return self._empty_json
        if self.connection.vendor == "sqlite":
            # What the backend's adapt_json_value does on SQLite, without its wrapping.
            return json.dumps(value)
        return self.connection.ops.adapt_json_value(value, None)

    def flush(self) -> None:
        if self.rows:
            insert_rows(self.connection, self.sql, self.rows, batch=self.batch)
            self.rows = []

    def finish(self) -> None:
        self.flush()
        if self.next_id and self.connection.vendor != "sqlite":
            with self.connection.cursor() as cursor:
                for statement in self.connection.ops.sequence_reset_sql(no_style(), [self.model]):
                    cursor.execute(statement)


def json_safe(values: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """What `chibo.core.audit.snapshot` stores, from a dict instead of a model; empty
    values are left out (a new record has nothing before them to compare with)."""
    out: dict[str, Any] = {}
    for name in names:
        value = values.get(name)
        if value is None or value == "":
            continue
        out[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return out


def tune_sqlite(connection: Any) -> None:
    """A large page cache for this connection: index inserts of a 100,000-row import stop
    waiting on the disk. SQLite only; a no-op elsewhere."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")


def insert_rows(connection: Any, sql: str, rows: list[tuple[Any, ...]], *, batch: int) -> None:
    """Send `rows` with `sql` (an INSERT with one row of %s placeholders).

    On SQLite many rows go in one statement. A trigger on the table (the name search's
    FTS5 index on people) then runs inside one statement per batch rather than one per
    row: per-row statements made SQLite flush that index after every row, which cost more
    than everything else an import writes. The driver's own cursor is used, in qmark
    style: Django's wrapper would rewrite the placeholders of every statement and, with
    DEBUG on, quote each of its thousands of values for the query log. Elsewhere,
    `executemany`.
    """
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            cursor.executemany(sql, rows)
            return
        width = len(rows[0])
        limit = SQLITE_VARIABLES
        raw = getattr(connection, "connection", None)
        if raw is not None and hasattr(raw, "getlimit"):
            limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        size = max(1, min(batch, limit // width))
        head = sql.rsplit(" VALUES ", 1)[0] + " VALUES "
        marks = "(" + ", ".join(["?"] * width) + ")"
        full = head + ", ".join([marks] * size)
        with connection.wrap_database_errors:
            for start in range(0, len(rows), size):
                chunk = rows[start : start + size]
                statement = full if len(chunk) == size else head + ", ".join([marks] * len(chunk))
                sqlite3.Cursor.execute(
                    cursor.cursor, statement, [value for row in chunk for value in row]
                )
