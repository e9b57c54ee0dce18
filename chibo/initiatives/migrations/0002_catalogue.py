from typing import Any

from django.db import migrations


def write(apps: Any, schema_editor: Any) -> None:
    from chibo.initiatives.catalogue import write_catalogue

    write_catalogue(
        apps.get_model("initiatives", "MeasureUnit"), apps.get_model("initiatives", "IndicatorKind")
    )


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]

    operations = [migrations.RunPython(write, migrations.RunPython.noop)]
