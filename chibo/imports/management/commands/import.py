"""`chibo import members FILE --org CODE [--dry-run]`: a member sheet into an org's rolls."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from chibo.imports.parsing import FORMAT_LABELS
from chibo.imports.services import import_members_file
from chibo.orgs.models import Org

SHOWN_PROBLEMS = 200


class Command(BaseCommand):
    help = _(
        "Nhập danh sách thành viên từ tệp .xlsx, .xls, .ods hoặc .csv vào một tổ chức. "
        "Có lỗi thì không ghi gì và trả mã lỗi khác 0."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=("members",), help=_("Loại dữ liệu: members."))
        parser.add_argument("file", help=_("Đường dẫn tệp danh sách."))
        parser.add_argument(
            "--org", required=True, help=_("Mã tổ chức nhận danh sách, ví dụ DU-DT.")
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Chỉ đọc và kiểm tra, không ghi gì."),
        )
        parser.add_argument(
            "--namesakes",
            choices=("update", "new"),
            default="",
            help=_(
                "Người trùng họ tên và ngày sinh với người đã có: update (cập nhật người đã "
                "có) hoặc new (thêm người mới). Bỏ trống thì các dòng đó được báo để quyết định."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        org = Org.objects.filter(code=str(options["org"]).strip().upper()).first()
        if org is None:
            raise CommandError(_("Không có tổ chức mã “%(code)s”.") % {"code": options["org"]})
        if not path.is_file():
            raise CommandError(_("Không có tệp %(path)s.") % {"path": path})
        started = time.perf_counter()

        def progress(stage: str, done: int, total: int) -> None:
            if options["verbosity"] > 1:
                sys.stderr.write(f"{stage}: {done}/{total}\n")

        outcome = import_members_file(
            path=path,
            org=org,
            dry_run=options["dry_run"],
            namesakes=options["namesakes"],
            progress=progress,
        )
        table = outcome.table
        if table is not None:
            self.stdout.write(
                _("Tệp %(name)s: %(format)s, dòng tiêu đề %(header)s, %(rows)s dòng dữ liệu.")
                % {
                    "name": path.name,
                    "format": FORMAT_LABELS.get(table.file_format, table.file_format),
                    "header": table.header_number,
                    "rows": len(table.rows),
                }
            )
            legacy = {k: v for k, v in table.encodings.items() if k not in ("unicode", "uncertain")}
            if legacy:
                self.stdout.write(
                    _("Đã chuyển sang Unicode: %(list)s ô.")
                    % {"list": ", ".join(f"{k.upper()} {v}" for k, v in sorted(legacy.items()))}
                )
            if table.unknown_headers:
                self.stdout.write(
                    _("Cột không nhận ra (bỏ qua): %(list)s.")
                    % {"list": ", ".join(f"“{h}”" for h in table.unknown_headers)}
                )
        if outcome.problems:
            for problem in outcome.problems[:SHOWN_PROBLEMS]:
                self.stderr.write(str(problem))
            if len(outcome.problems) > SHOWN_PROBLEMS:
                self.stderr.write(
                    _("… và %(more)s lỗi nữa.") % {"more": len(outcome.problems) - SHOWN_PROBLEMS}
                )
            raise CommandError(
                _("%(count)s lỗi: chưa ghi gì vào %(org)s.")
                % {"count": len(outcome.problems), "org": org.name}
            )
        plan = outcome.plan
        assert plan is not None
        if options["dry_run"]:
            self.stdout.write(
                _(
                    "Kiểm tra xong, không có lỗi: sẽ thêm %(new)s người, cập nhật %(old)s người "
                    "(chưa ghi gì vì --dry-run)."
                )
                % {"new": plan.creates, "old": plan.updates}
            )
            return
        written = outcome.written
        assert written is not None
        seconds = time.perf_counter() - started
        self.stdout.write(
            _(
                "Đã nhập vào %(org)s: %(new)s người mới, %(old)s cập nhật, %(same)s không đổi "
                "(%(seconds).1f giây)."
            )
            % {
                "org": org.name,
                "new": written.created,
                "old": written.updated,
                "same": written.unchanged,
                "seconds": seconds,
            }
        )
