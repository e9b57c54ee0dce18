"""`chibo demo [--reset]`: write the demo province and print its logins.

The people, offices and party life come from chibo.people.demo; a year of party fees
from chibo.fees.demo, which builds on them.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from chibo.evaluation.demo import seed_evaluation_demo
from chibo.fees.demo import seed_fee_demo
from chibo.initiatives.demo import seed_initiatives_demo
from chibo.meetings.demo import seed_meetings_demo
from chibo.people.demo import DEMO_PASSWORD, LOGINS, seed_demo
from chibo.plans.demo import seed_plans_demo


class Command(BaseCommand):
    help = _("Tạo dữ liệu mẫu (tỉnh Thái Nguyên, xã Đại Từ) và in danh sách tài khoản.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_("Xóa dữ liệu mẫu đang có rồi tạo lại từ đầu."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        seed_demo(reset=options["reset"], progress=self.stdout.write)
        seed_fee_demo(progress=self.stdout.write)
        seed_plans_demo(progress=self.stdout.write)
        seed_meetings_demo(progress=self.stdout.write)
        seed_initiatives_demo(progress=self.stdout.write)
        seed_evaluation_demo(progress=self.stdout.write)
        self.stdout.write(
            _("Xong sau %(seconds).1f giây.") % {"seconds": time.perf_counter() - started}
        )
        self.stdout.write("")
        self.stdout.write(self.logins_table())

    @staticmethod
    def logins_table() -> str:
        header = (_("Tài khoản"), _("Mật khẩu"), _("Người"), _("Vai trò"))
        rows = [header] + [
            (login.username, DEMO_PASSWORD, login.full_name or "—", str(login.what))
            for login in LOGINS
        ]
        widths = [max(len(row[col]) for row in rows) for col in range(3)]
        lines = []
        for index, row in enumerate(rows):
            cells = [row[col].ljust(widths[col]) for col in range(3)]
            lines.append("  ".join([*cells, row[3]]))
            if index == 0:
                lines.append("  ".join("-" * width for width in [*widths, len(row[3])]))
        return "\n".join(lines)
