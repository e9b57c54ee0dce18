"""`chibo export KIND … -o FILE`: write an export to a file, in the format its extension names.

The command line runs with no user: it is the operator's tool and reads everything.
Each app offers its kinds from its `exports` module (`register_cli_export`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from chibo.core.exporters import (
    ExportError,
    Via,
    cli_exports,
    export_audit,
    export_to_path,
    formats,
)


class Command(BaseCommand):
    help = _(
        "Xuất dữ liệu ra tệp (định dạng theo đuôi tệp: %(formats)s). Chạy trên máy chủ, "
        "lệnh đọc được mọi dữ liệu, không theo phân quyền của người dùng."
    ) % {"formats": ", ".join(f".{name}" for name in formats())}

    def add_arguments(self, parser: CommandParser) -> None:
        autodiscover_modules("exports")
        kinds = parser.add_subparsers(
            dest="kind", required=True, metavar="KIND", title=_("dữ liệu xuất")
        )
        for export in cli_exports():
            sub = kinds.add_parser(export.name, help=str(export.help))
            export.add_arguments(sub)
            sub.add_argument(
                "-o",
                "--output",
                required=True,
                type=Path,
                help=_("Tệp kết quả, ví dụ danh-sach.xlsx hoặc danh-sach.csv."),
            )

    def handle(self, *args: Any, **options: Any) -> None:
        export = {e.name: e for e in cli_exports()}[options["kind"]]
        output: Path = options["output"]
        try:
            exporter = export.build(options)
            renderer = export_to_path(exporter, output)
        except ExportError as error:
            raise CommandError(str(error)) from error
        try:
            export_audit(exporter, renderer.extension, via=Via.COMMAND)
        except BaseException:
            # No file of personal data without its audit entry.
            output.unlink(missing_ok=True)
            raise
        self.stdout.write(
            _("Đã xuất %(what)s ra %(path)s (%(format)s).")
            % {"what": export.summary(exporter), "path": output, "format": renderer.label}
        )
