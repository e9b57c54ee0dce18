"""The trigram index behind the name search (`Person.search_text`).

A search is a substring match (`search_text LIKE '%nguyen van an%'`), which no B-tree index
serves: every search read every person (about 190 ms at 300,000). A trigram index finds the
rows that hold every three-letter piece of the query:

- PostgreSQL: a GIN index with `gin_trgm_ops` (extension pg_trgm) on the column. The planner
  uses it for the same LIKE by itself, so the queries do not change.
- SQLite: an FTS5 table with the trigram tokenizer over the column (external content, the
  rows stay in `people_person`), kept in step by triggers, so every writer (the services,
  the bulk seeding, the import) keeps it right without knowing it exists. The selector asks
  it with a phrase query, which for the trigram tokenizer is a substring match.

Both are created by migration 0003 with the functions below. SQLite drops a table's
triggers when Django rebuilds the table (many `ALTER`s on SQLite copy the table into a new
one), so a later migration that alters `people_person` must call `install_sqlite` again;
the test suite fails if the triggers are missing after all migrations.
"""

from __future__ import annotations

import logging
import sqlite3

from django.db import DatabaseError, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

logger = logging.getLogger(__name__)

TABLE = "people_person_trigram"
TRIGGERS = (f"{TABLE}_insert", f"{TABLE}_delete", f"{TABLE}_update")
PG_INDEX = "people_person_search_trgm"
# A trigram needs three characters; shorter queries keep the plain LIKE.
MIN_QUERY = 3

_SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "search_text, content='people_person', content_rowid='id', tokenize='trigram')",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_insert AFTER INSERT ON people_person BEGIN
        INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    # An external-content FTS5 table forgets a row only when told the values it indexed.
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_delete AFTER DELETE ON people_person BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_update
    AFTER UPDATE OF id, search_text ON people_person BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    # Indexes the rows already there (and repairs an index whose triggers were lost).
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
)
_SQLITE_DROP = (
    *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
    f"DROP TABLE IF EXISTS {TABLE}",
)


def sqlite_supported() -> bool:
    """FTS5's trigram tokenizer came with SQLite 3.34; FTS5 itself is a build option."""
    if sqlite3.sqlite_version_info < (3, 34, 0):
        return False
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='trigram')")
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()
    return True


def install_sqlite(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Create (or repair) the FTS5 table and its triggers, and index every person."""
    if not sqlite_supported():
        logger.warning(
            "SQLite %s has no FTS5 trigram tokenizer: the name search reads every person.",
            sqlite3.sqlite_version,
        )
        return
    for statement in _SQLITE_CREATE:
        schema_editor.execute(statement)


def uninstall_sqlite(schema_editor: BaseDatabaseSchemaEditor) -> None:
    for statement in _SQLITE_DROP:
        schema_editor.execute(statement)


def install_postgresql(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """pg_trgm ships with PostgreSQL's contrib modules and is a trusted extension (13+),
    so a database owner may create it; where it is missing the search still works, by
    reading every person."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        available = cursor.fetchone() is not None
    if available:
        try:
            # A savepoint: a refused CREATE EXTENSION must not abort the migration.
            with transaction.atomic(using=connection.alias):
                schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError as error:
            logger.warning("CREATE EXTENSION pg_trgm refused (%s)", error)
            available = False
    if not available:
        logger.warning("No pg_trgm on this server: the name search reads every person.")
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON people_person "
        "USING gin (search_text gin_trgm_ops)"
    )


def uninstall_postgresql(schema_editor: BaseDatabaseSchemaEditor) -> None:
    # The extension stays: other objects may use it by now.
    schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


def sqlite_ready(connection: BaseDatabaseWrapper) -> bool:
    """Whether this SQLite database has the FTS5 table and all three triggers.

    Asked once per database file and process: without the triggers the table would fall
    behind the people table and miss names, so the search would rather read every row."""
    name = str(connection.settings_dict["NAME"])
    known = _ready.get(name)
    if known is None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE name IN (%s, %s, %s, %s)",
                [TABLE, *TRIGGERS],
            )
            row = cursor.fetchone()
        known = _ready[name] = bool(row and row[0] == 1 + len(TRIGGERS))
    return known


def forget() -> None:
    """Drop what `sqlite_ready` remembers (after installing or removing the index)."""
    _ready.clear()


_ready: dict[str, bool] = {}


def phrase(folded: str) -> str:
    """An FTS5 query matching rows that contain `folded` as it is: a quoted phrase, which the
    trigram tokenizer cuts into consecutive trigrams, i.e. a substring."""
    return '"' + folded.replace('"', '""') + '"'
