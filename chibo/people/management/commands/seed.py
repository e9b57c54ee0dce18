"""`chibo seed --members N [--reset]`: a synthetic province for benchmarks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from chibo.people.synthetic import DEFAULT_MEMBERS, ROOT_CODE, seed_synthetic


class Command(BaseCommand):
    help = _(
        "Tạo một tỉnh tổng hợp (mã bắt đầu bằng SYN-) với số đảng viên cho trước, "
        "dùng để đo hiệu năng."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--members",
            type=int,
            default=DEFAULT_MEMBERS,
            help=_("Số đảng viên (mặc định %(default)s).") % {"default": DEFAULT_MEMBERS},
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_("Xóa tỉnh tổng hợp đang có rồi tạo lại."),
        )
        parser.add_argument(
            "--meetings",
            type=int,
            nargs="?",
            const=0,
            default=None,
            metavar="NĂM",
            help=_("Thêm một năm sinh hoạt chi bộ cho mọi chi bộ (mặc định năm nay)."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        members: int = options["members"]
        if members < 1:
            raise CommandError(
                _("--members phải là số nguyên dương (đã nhập: %(value)s).") % {"value": members}
            )
        result = seed_synthetic(members=members, reset=options["reset"], progress=self.stdout.write)
        if result.created:
            self.stdout.write(
                _(
                    "Đã tạo tỉnh tổng hợp %(code)s: %(members)s đảng viên, %(cells)s chi bộ, "
                    "%(orgs)s tổ chức, sau %(seconds).1f giây."
                )
                % {
                    "code": ROOT_CODE,
                    "members": result.members,
                    "cells": result.cells,
                    "orgs": result.orgs,
                    "seconds": result.seconds,
                }
            )
        else:
            self.stdout.write(_("Dùng --reset để tạo lại."))
        if options["meetings"] is not None:
            # Imported here: people does not depend on the apps built on it.
            from chibo.meetings.synthetic import seed_synthetic_meetings

            try:
                meetings = seed_synthetic_meetings(
                    year=options["meetings"] or None,
                    reset=options["reset"],
                    progress=self.stdout.write,
                )
            except ValueError as error:
                raise CommandError(str(error)) from error
            if meetings.created:
                self.stdout.write(
                    _(
                        "Đã tạo lịch sinh hoạt năm %(year)s: %(meetings)s buổi của %(cells)s "
                        "chi bộ, %(absences)s lượt vắng, sau %(seconds).1f giây."
                    )
                    % {
                        "year": meetings.year,
                        "meetings": meetings.meetings,
                        "cells": meetings.cells,
                        "absences": meetings.absences,
                        "seconds": meetings.seconds,
                    }
                )
