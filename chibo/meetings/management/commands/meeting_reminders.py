"""`chibo meeting_reminders [--days N] [--now]`: e-mail reminders of upcoming meetings.

Meant to be run periodically (a systemd timer or cron, every hour: see docs/deploy.md). By
default it queues the task for `chibo db_worker`, so the mail server's slowness never holds
the timer; `--now` sends in this process instead. Running it twice sends nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from chibo.meetings.reminders import meeting_reminders_send, reminder_days
from chibo.meetings.tasks import send_meeting_reminders


class Command(BaseCommand):
    help = _(
        "Gửi thư nhắc lịch sinh hoạt cho thành viên có địa chỉ thư điện tử, trước buổi "
        "sinh hoạt một số ngày (mặc định: MEETING_REMINDER_DAYS). Chạy định kỳ, mỗi giờ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=_("Nhắc các buổi sinh hoạt trong số ngày tới này (mặc định %(days)s).")
            % {"days": reminder_days()},
        )
        parser.add_argument(
            "--now",
            action="store_true",
            help=_("Gửi ngay trong tiến trình này thay vì xếp việc cho chibo db_worker."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days: int | None = options["days"]
        if days is not None and not 0 <= days <= 60:
            raise CommandError(_("--days phải từ 0 đến 60 (đã nhập: %(value)s).") % {"value": days})
        if options["now"]:
            run = meeting_reminders_send(days=days)
            self.stdout.write(
                _("Đã gửi %(sent)s thư nhắc cho %(meetings)s buổi sinh hoạt.")
                % {"sent": run.sent, "meetings": run.meetings}
            )
            return
        with transaction.atomic():
            transaction.on_commit(lambda: send_meeting_reminders.enqueue(days=days))
        self.stdout.write(_("Đã xếp việc gửi thư nhắc; chibo db_worker sẽ gửi."))
