"""A trigram index on `Person.search_text` for the name search (see chibo/people/trigram.py).

Neither index can be said in the model's Meta for both databases (a GIN index on
PostgreSQL, an FTS5 table on SQLite), so each database gets its own, written by hand."""

from __future__ import annotations

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from chibo.people import trigram


def install(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        trigram.install_sqlite(schema_editor)
    elif vendor == "postgresql":
        trigram.install_postgresql(schema_editor)
    trigram.forget()


def uninstall(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        trigram.uninstall_sqlite(schema_editor)
    elif vendor == "postgresql":
        trigram.uninstall_postgresql(schema_editor)
    trigram.forget()


class Migration(migrations.Migration):
    dependencies = [("people", "0002_party_life")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
