"""The standard grading summary table of a round (bảng tổng hợp kết quả đánh giá, xếp loại)
through the one exporter interface (chibo.core.exporters): a line for the organisation
and one for each of its units, then the units' own grades.

Columns follow the summary tables committees send up at the end of the year: members on
the roll of the round, graded, not graded (excluded by a rule), each grade's count and
share, and the share of "good or above" the seed articles end on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from django.utils.text import slugify
from django.utils.translation import gettext as _

from chibo.core.exporters import BaseExporter, CellValue, Column, ExportAudit, Kind
from chibo.core.models import User
from chibo.core.vntext import fold
from chibo.evaluation.models import Grade, Round, RoundStatus
from chibo.evaluation.stats import PARTY_GRADES, SCALE_GRADES, EvaluationStats, Figures
from chibo.orgs.models import Org

if TYPE_CHECKING:
    from chibo.core.scoping import AnyUser


def round_title(year: int, *, provisional: bool) -> str:
    title = _("Năm %(year)s") % {"year": year}
    if provisional:
        title += " — " + _("số liệu tạm thời, đợt đánh giá chưa hoàn thành")
    return title


class SummaryExporter(BaseExporter):
    sheet_name = "Tổng hợp xếp loại"

    def __init__(
        self, stats: EvaluationStats, round_: Round | None, *, user: AnyUser | None
    ) -> None:
        """The summary of one round, or (`round_` None) of every round of the stats' year
        that covers the node."""
        self.stats = stats
        self.round = round_
        self.user = user

    @property
    def title(self) -> str:
        provisional = (
            self.round.status == RoundStatus.OPEN
            if self.round is not None
            else self.stats.provisional
        )
        return round_title(self.stats.year, provisional=provisional)

    def audit(self) -> ExportAudit:
        return ExportAudit(
            actor=self.user if isinstance(self.user, User) else None,
            org=self.stats.org,
            what=_("bảng tổng hợp đánh giá, xếp loại"),
            records=self.stats.current.members.listed,
            filters={
                "round": self.round.pk if self.round is not None else None,
                "year": self.stats.year,
            },
            notes=[self.title],
        )

    @property
    def filename_stem(self) -> str:
        return f"xep-loai-{self.stats.year}-{slugify(fold(self.stats.org.code))}"

    def title_lines(self) -> Sequence[str]:
        return [
            _("BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG"),
            self.stats.org.name,
            self.title,
        ]

    def columns(self) -> Sequence[Column]:
        grades = [
            column
            for grade in PARTY_GRADES
            for column in (
                Column(Grade(grade).label, 12, Kind.NUMBER),
                Column(_("Tỷ lệ %"), 9, Kind.NUMBER),
            )
        ]
        return [
            Column(_("STT"), 6, Kind.NUMBER),
            Column(_("Tổ chức"), 34),
            Column(_("Tổng số đảng viên"), 11, Kind.NUMBER),
            Column(_("Được xếp loại"), 11, Kind.NUMBER),
            Column(_("Không xếp loại"), 11, Kind.NUMBER),
            Column(_("Chưa xếp loại"), 11, Kind.NUMBER),
            *grades,
            Column(_("Hoàn thành tốt nhiệm vụ trở lên (%)"), 14, Kind.NUMBER),
            Column(_("Xếp loại tổ chức"), 24),
        ]

    def _line(self, number: int | None, org: Org, figures: Figures, unit: str) -> list[CellValue]:
        members = figures.members
        cells: list[CellValue] = []
        for grade in PARTY_GRADES:
            cells += [members.count(grade), members.share(grade)]
        return [
            number,
            org.name,
            members.listed,
            members.graded,
            members.excluded,
            members.pending,
            *cells,
            members.good_or_above_percent,
            unit,
        ]

    def rows(self) -> Iterator[Sequence[CellValue]]:
        grades = self.stats.unit_grades
        for number, child in enumerate(self.stats.children, 1):
            yield self._line(number, child.org, child.figures, grades.get(child.org.pk, ""))
        yield self._line(
            None,
            self.stats.org,
            self.stats.current,
            _("Cộng: %(org)s") % {"org": self.stats.org.name}
            if not grades.get(self.stats.org.pk)
            else grades[self.stats.org.pk],
        )
        yield from self._unit_rows()

    def _unit_rows(self) -> Iterator[Sequence[CellValue]]:
        """The units' grades counted: party units on the four grades, mass units on their
        scale, under the members' columns of the same place."""
        width = len(self.columns())
        for title, counts, grades in (
            (_("Tổ chức đảng"), self.stats.current.party_units, PARTY_GRADES),
            (_("Tổ chức hội, đoàn thể"), self.stats.current.mass_units, SCALE_GRADES),
        ):
            if not counts.listed:
                continue
            yield [None] * width
            labels: list[CellValue] = [None] * width
            labels[1] = _("Xếp loại %(what)s") % {"what": title.lower()}
            for index, grade in enumerate(grades):
                labels[6 + 2 * index] = str(Grade(grade).label)
            yield labels
            line: list[CellValue] = [
                None,
                title,
                counts.listed,
                counts.graded,
                counts.excluded,
                counts.pending,
            ]
            for grade in grades:
                line += [counts.count(grade), counts.share(grade)]
            line += [counts.good_or_above_percent if grades is PARTY_GRADES else None, ""]
            yield line
