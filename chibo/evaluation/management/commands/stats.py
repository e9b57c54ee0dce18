"""`chibo stats evaluation --year Y --org CODE --format json|xlsx [-o FILE]`.

Statistics from the command line, one subcommand per kind (only `evaluation` so far: add a
subparser and a handler to SUBCOMMANDS for another). The command line runs with no user:
it is the operator's tool and reads every org, like `chibo export`. A spreadsheet names no
one but is an export all the same and leaves its audit entry; JSON goes to the screen or
to FILE.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.core.exporters import ExportError, Via, export_audit, export_to_path
from chibo.evaluation.exports import SummaryExporter
from chibo.evaluation.stats import clean_year, evaluation_stats
from chibo.orgs.models import Org


def _evaluation(command: BaseCommand, options: dict[str, Any]) -> None:
    try:
        year = clean_year(options["year"], timezone.localdate())
    except ValidationError as error:
        raise CommandError(" ".join(error.message_dict["year"])) from error
    code = options["org"]
    org = Org.objects.filter(code=code).first()
    if org is None:
        raise CommandError(_("Không có tổ chức nào mã “%(code)s”.") % {"code": code})
    stats = evaluation_stats(org=org, year=year)
    if not stats.has_round:
        raise CommandError(
            _("Chưa có đợt đánh giá, xếp loại năm %(year)s nào bao gồm %(org)s (%(code)s).")
            % {"year": year, "org": org.name, "code": org.code}
        )
    output: Path | None = options["output"]
    if options["format"] == "json":
        text = json.dumps(stats.as_dict(), ensure_ascii=False, indent=2)
        if output is None:
            command.stdout.write(text)
            return
        if not output.parent.is_dir():
            raise CommandError(_("Thư mục “%(folder)s” không tồn tại.") % {"folder": output.parent})
        output.write_text(text + "\n", encoding="utf-8")
    else:
        if output is None:
            raise CommandError(_("Hãy cho tên tệp kết quả với -o, ví dụ -o xep-loai.xlsx."))
        if output.suffix.lower() != ".xlsx":
            raise CommandError(_("Tệp kết quả phải có đuôi .xlsx."))
        exporter = SummaryExporter(stats, None, user=None)
        try:
            renderer = export_to_path(exporter, output)
        except ExportError as error:
            raise CommandError(str(error)) from error
        export_audit(exporter, renderer.extension, via=Via.COMMAND)
    command.stdout.write(
        _("Đã ghi thống kê xếp loại năm %(year)s của %(org)s ra %(path)s.")
        % {"year": year, "org": org.name, "path": output}
    )


def _evaluation_arguments(parser: CommandParser) -> None:
    parser.add_argument("--year", required=True, help=_("Năm đánh giá, ví dụ 2025."))
    parser.add_argument("--org", required=True, help=_("Mã tổ chức, ví dụ DU-DT."))
    parser.add_argument(
        "--format",
        choices=("json", "xlsx"),
        default="json",
        help=_("json (mặc định, ra màn hình nếu không có -o) hoặc xlsx (cần -o)."),
    )
    parser.add_argument("-o", "--output", type=Path, help=_("Tệp kết quả."))


# Subcommand -> (help, arguments, handler).
SUBCOMMANDS: dict[
    str,
    tuple[str, Callable[[CommandParser], None], Callable[[BaseCommand, dict[str, Any]], None]],
] = {
    "evaluation": (
        _("Thống kê đánh giá, xếp loại của một tổ chức trong một năm"),
        _evaluation_arguments,
        _evaluation,
    ),
}


class Command(BaseCommand):
    help = _(
        "Thống kê ra màn hình hoặc ra tệp. Chạy trên máy chủ, lệnh đọc được mọi dữ liệu, "
        "không theo phân quyền của người dùng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(
            dest="kind", required=True, metavar="KIND", title=_("loại thống kê")
        )
        for name, (help_text, add_arguments, _handler) in SUBCOMMANDS.items():
            add_arguments(kinds.add_parser(name, help=str(help_text)))

    def handle(self, *args: Any, **options: Any) -> None:
        _help, _arguments, handler = SUBCOMMANDS[options["kind"]]
        handler(self, options)
