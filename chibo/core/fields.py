"""A materialized-path column whose subtree filter uses its index on every database."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.lookups import StartsWith
from django.db.models.sql.compiler import SQLCompiler

# Above every character a path can hold (treebeard's alphabet is 0-9A-Z).
_AFTER_EVERY_STEP = "\U0010ffff"


def subtree_bounds(prefix: str) -> tuple[str, str]:
    """The range `low <= path < high` that holds exactly the paths starting with `prefix`."""
    return prefix, prefix + _AFTER_EVERY_STEP


class TreePathField(models.CharField[str, str]):
    """Org paths: `path__startswith=prefix` means "in the subtree of prefix"."""


@TreePathField.register_lookup
class SubtreeStartsWith(StartsWith):
    """On SQLite, LIKE is case-insensitive and so cannot use the (binary) index on the
    path, and every subtree filter became a full scan. A range on the same index gives
    the same rows: paths are plain ASCII, so `prefix <= path < prefix + U+10FFFF` holds
    exactly for the paths that start with the prefix. PostgreSQL keeps LIKE, which its
    pattern-ops index on the column serves."""

    lookup_name = "startswith"

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, list[Any]]:
        if not isinstance(self.rhs, str):
            return super().as_sql(compiler, connection)  # type: ignore[return-value]
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        low, high = subtree_bounds(self.rhs)
        sql = f"({lhs_sql} >= %s AND {lhs_sql} < %s)"
        return sql, [*lhs_params, low, *lhs_params, high]
