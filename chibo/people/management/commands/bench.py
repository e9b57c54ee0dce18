"""`chibo bench [NAME] [--members N]`: measure, and update docs/benchmarks.md.

Each benchmark is a function in the app it measures, named in BENCHES and imported only
when asked for, so the command does not make people depend on the apps built on it.
Every function takes keyword arguments (members, rows, repeat, say) and returns the
Markdown body of its section of docs/benchmarks.md.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from chibo.core.bench import update_section
from chibo.people.synthetic import DEFAULT_MEMBERS

# name -> "module:function"; `all` runs the ones flagged True (the others need their own data).
BENCHES: dict[str, tuple[str, bool]] = {
    "seed": ("chibo.people.benchmarks:run_seed", True),
    "lists": ("chibo.people.benchmarks:run_lists", True),
    "import": ("chibo.imports.bench:run_import", False),
    # Needs the synthetic province (`chibo seed`); writes its commitments on first run.
    "follow": ("chibo.plans.bench:run_follow", False),
    "meetings": ("chibo.meetings.bench:run_meetings", False),
    # Needs the synthetic province; writes its models and a year of results on first run.
    "follow-initiatives": ("chibo.initiatives.bench:run_follow_initiatives", False),
    # Needs the synthetic province; writes two years of finished grading rounds on first run.
    "evaluation": ("chibo.evaluation.bench:run_evaluation", False),
}


def _load(name: str) -> Callable[..., str]:
    module_name, function_name = BENCHES[name][0].split(":")
    function: Callable[..., str] = getattr(import_module(module_name), function_name)
    return function


class Command(BaseCommand):
    help = _(
        "Đo hiệu năng trên tỉnh tổng hợp (chibo seed) và ghi kết quả vào docs/benchmarks.md. "
        "Nên dùng một cơ sở dữ liệu riêng, ví dụ CHIBO_DATA_DIR=/tmp/chibo-bench."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "what",
            nargs="?",
            choices=(*BENCHES, "all"),
            default="all",
            help=_("Phép đo cần chạy (all: seed và lists)."),
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
        what: str = options["what"]
        names = [name for name, (_path, in_all) in BENCHES.items() if in_all]
        for name in [what] if what != "all" else names:
            body = _load(name)(
                members=members, rows=options["rows"], repeat=repeat, say=self.stdout.write
            )
            update_section(output, name, body)
            self.stdout.write(
                _("Đã ghi phần “%(name)s” vào %(path)s.") % {"name": name, "path": output}
            )
