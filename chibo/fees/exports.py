"""The committee's party-fee report for a month, a quarter or a year, through the one
exporter interface (chibo.core.exporters): one line per member under each unit, a total
line per unit, then the totals of every unit together.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from django.utils.text import slugify
from django.utils.translation import gettext as _

from chibo.core.exporters import BaseExporter, CellValue, Column, ExportAudit, Kind
from chibo.core.models import User
from chibo.core.vntext import fold
from chibo.fees.ledger import MonthState
from chibo.fees.rules.base import FeeCategory
from chibo.fees.selectors import CellTotal, FeeReport, ReportLine

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser


def _month_cell(state: MonthState) -> CellValue:
    if state.payment is not None:
        return state.payment.amount
    if state.exempt:
        return _("Miễn")
    if state.owed:
        return _("Có lý do") if state.excuse is not None else _("Chưa nộp")
    return None


def period_title(report: FeeReport) -> str:
    first, last = report.first, report.last
    if first == last:
        return _("Tháng %(month)s") % {"month": first.strftime("%m/%Y")}
    if first.month == 1 and last.month == 12 and first.year == last.year:
        return _("Năm %(year)s") % {"year": first.year}
    if last.month - first.month == 2 and first.month % 3 == 1 and first.year == last.year:
        return _("Quý %(quarter)s năm %(year)s") % {
            "quarter": ("I", "II", "III", "IV")[first.month // 3],
            "year": first.year,
        }
    return _("Từ tháng %(first)s đến tháng %(last)s") % {
        "first": first.strftime("%m/%Y"),
        "last": last.strftime("%m/%Y"),
    }


class FeeReportExporter(BaseExporter):
    sheet_name = "Đảng phí"

    def __init__(self, report: FeeReport, *, label: str, user: AnyUser | None = None) -> None:
        self.report = report
        self.label = label
        self.user = user

    def audit(self) -> ExportAudit:
        return ExportAudit(
            actor=self.user if isinstance(self.user, User) else None,
            org=self.report.org,
            what=_("báo cáo thu đảng phí"),
            records=sum(len(cell.lines) for cell in self.report.cells),
            filters={
                "first": self.report.first.isoformat(),
                "last": self.report.last.isoformat(),
            },
            notes=[period_title(self.report)],
        )

    @property
    def filename_stem(self) -> str:
        return f"dang-phi-{slugify(fold(self.report.org.code))}-{self.label}"

    def title_lines(self) -> Sequence[str]:
        return [
            _("BÁO CÁO THU ĐẢNG PHÍ"),
            self.report.org.name,
            period_title(self.report),
        ]

    def columns(self) -> Sequence[Column]:
        months = [
            Column(_("Tháng %(month)s") % {"month": m.strftime("%m/%Y")}, 11, Kind.NUMBER)
            for m in self.report.months
        ]
        return [
            Column(_("STT"), 6, Kind.NUMBER),
            Column(_("Họ và tên"), 28),
            Column(_("Chi bộ"), 26),
            Column(_("Đối tượng"), 24),
            *months,
            Column(_("Phải nộp (đồng)"), 14, Kind.NUMBER),
            Column(_("Đã nộp (đồng)"), 14, Kind.NUMBER),
            Column(_("Số tháng chưa nộp"), 11, Kind.NUMBER),
            Column(_("Ghi chú"), 30),
        ]

    def _member_row(self, number: int, line: ReportLine) -> list[CellValue]:
        last = line.states[-1] if line.states else None
        basis = line.account.basis_for(last.month) if last is not None else None
        category = FeeCategory(basis.category).label if basis is not None else _("Chưa có căn cứ")
        excused = [s for s in line.owed_months if s.excuse is not None]
        note = "; ".join(
            f"{s.month:%m/%Y}: {s.excuse.reason}" for s in excused if s.excuse is not None
        )
        return [
            number,
            line.account.person.full_name,
            line.membership.org.name,
            str(category),
            *[_month_cell(s) for s in line.states],
            line.due_total,
            line.paid_total,
            len(line.owed_months),
            note,
        ]

    def _total_row(self, label: str, cells: Sequence[CellTotal], members: int) -> list[CellValue]:
        per_month = [0] * len(self.report.months)
        for cell in cells:
            for line in cell.lines:
                for index, state in enumerate(line.states):
                    if state.payment is not None:
                        per_month[index] += state.payment.amount
        return [
            None,
            label,
            _("%(count)s đảng viên") % {"count": members},
            "",
            *per_month,
            sum(cell.due_total for cell in cells),
            sum(cell.paid_total for cell in cells),
            None,
            _("%(count)s đảng viên còn nợ") % {"count": sum(c.members_owing for c in cells)},
        ]

    def rows(self) -> Iterator[Sequence[CellValue]]:
        number = 0
        for cell in self.report.cells:
            for line in cell.lines:
                number += 1
                yield self._member_row(number, line)
            yield self._total_row(
                _("Cộng %(unit)s") % {"unit": cell.org.name}, [cell], cell.members
            )
        cells = self.report.cells
        yield self._total_row(
            _("TỔNG CỘNG %(org)s") % {"org": self.report.org.name},
            cells,
            sum(cell.members for cell in cells),
        )
