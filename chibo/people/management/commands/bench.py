"""`chibo bench [seed|lists] [--members N]`: measure, and update docs/benchmarks.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from chibo.core.bench import update_section
from chibo.people.benchmarks import bench_lists, bench_seed
from chibo.people.synthetic import DEFAULT_MEMBERS


class Command(BaseCommand):
    help = _(
        "Đo hiệu năng trên tỉnh tổng hợp (chibo seed) và ghi kết quả vào docs/benchmarks.md. "
        "Nên dùng một cơ sở dữ liệu riêng, ví dụ CHIBO_DATA_DIR=/tmp/chibo-bench."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "what",
            nargs="?",
            choices=("seed", "lists", "all", "import"),
            default="all",
            help=_("seed: thời gian tạo tỉnh tổng hợp; lists: danh sách thành viên; all: cả hai."),
        )
        parser.add_argument(
            "--members",
            type=int,
            default=DEFAULT_MEMBERS,
            help=_("Số đảng viên của tỉnh tổng hợp (mặc định %(default)s).")
            % {"default": DEFAULT_MEMBERS},
        )
        parser.add_argument(
            "--rows",
            type=int,
            default=100_000,
            help=_("import: số dòng của tệp danh sách được tạo để nhập (mặc định 100000)."),
        )
        parser.add_argument(
            "--repeat", type=int, default=15, help=_("Số lần đo mỗi phép (lấy trung vị).")
        )
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "docs" / "benchmarks.md"),
            help=_("Tệp Markdown để ghi kết quả."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        members: int = options["members"]
        repeat: int = options["repeat"]
        if members < 1_000:
            raise CommandError(
                _("--members phải từ 1000 trở lên (đã nhập: %(value)s).") % {"value": members}
            )
        if repeat < 1:
            raise CommandError(
                _("--repeat phải là số nguyên dương (đã nhập: %(value)s).") % {"value": repeat}
            )
        output = Path(options["output"])
        self.stdout.write(_("Cơ sở dữ liệu: %(db)s") % {"db": connection.settings_dict["NAME"]})
        if options["what"] in ("seed", "all"):
            update_section(output, "seed", bench_seed(members=members, progress=self.stdout.write))
            self.stdout.write(_("Đã ghi phần “seed” vào %(path)s.") % {"path": output})
        if options["what"] in ("lists", "all"):
            body = bench_lists(members=members, repeat=repeat, progress=self.stdout.write)
            update_section(output, "lists", body)
            self.stdout.write(_("Đã ghi phần “lists” vào %(path)s.") % {"path": output})
        if options["what"] == "import":
            # The imports app builds on people: loaded only when its benchmark is asked for.
            from chibo.imports.bench import bench_import

            body = bench_import(rows=options["rows"], say=self.stdout.write)
            update_section(output, "import", body)
            self.stdout.write(_("Đã ghi phần “import” vào %(path)s.") % {"path": output})
