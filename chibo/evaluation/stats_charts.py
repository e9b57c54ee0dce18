"""The statistics page's charts, drawn on the server with the meetings' bar chart (inline
SVG, no script): the members' grades of the year, "good or above" year by year, and the
units' grades. The page shows the same figures in tables beside them."""

from __future__ import annotations

from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from chibo.evaluation.models import Grade
from chibo.evaluation.stats import EvaluationStats, GradeCounts
from chibo.meetings.charts import Bar, bar_chart

# The abbreviations the seed articles and the committees' reports use.
SHORT = {
    Grade.EXCELLENT: "HTXSNV",
    Grade.GOOD: "HTTNV",
    Grade.PASS: "HTNV",
    Grade.FAIL: "KHTNV",
    Grade.STRONG: "VM",
    Grade.FAIR: "Khá",
    Grade.AVERAGE: "TB",
    Grade.WEAK: "Yếu",
}
WARN_GRADES = (Grade.FAIL, Grade.WEAK)


def percent_text(value: float | None) -> str:
    """96.96 -> "96,96%" in Vietnamese ("96.96%" in English): two decimals, as the seed
    articles give their shares, in the page's language's decimal mark."""
    if value is None:
        return "—"
    return formats.number_format(value, decimal_pos=2, use_l10n=True) + "%"


def _grade_bars(counts: GradeCounts) -> list[Bar]:
    return [
        Bar(
            label=SHORT[Grade(grade)],
            value=percent,
            warn=grade in WARN_GRADES and bool(count),
            title=_("%(grade)s: %(count)s (%(percent)s)")
            % {"grade": label, "count": count, "percent": percent_text(percent)},
        )
        for grade, label, count, percent in counts.rows
    ]


def evaluation_stats_charts(stats: EvaluationStats) -> dict[str, SafeString]:
    # Scales are drawn without "%" (the titles say the bars are shares): "100%" does not fit
    # the room the chart leaves left of its axis.
    year = stats.year
    charts: dict[str, SafeString] = {}
    if stats.current.members.graded:
        charts["members"] = bar_chart(
            title=_("Xếp loại đảng viên năm %(year)s") % {"year": year},
            description=_(
                "Mỗi cột là tỷ lệ phần trăm đảng viên được xếp một mức trên số đảng viên "
                "được xếp loại."
            ),
            bars=_grade_bars(stats.current.members),
            maximum=100,
        )
    history = [figures for figures in stats.history if figures.members.graded]
    if history:
        charts["history"] = bar_chart(
            title=_("Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên qua các năm"),
            description=_("Mỗi cột là một năm; năm chưa có số liệu thì để trống."),
            bars=[
                Bar(
                    label=str(figures.year),
                    value=figures.members.good_or_above_percent,
                    title=_("Năm %(year)s: %(percent)s")
                    % {
                        "year": figures.year,
                        "percent": percent_text(figures.members.good_or_above_percent),
                    },
                )
                for figures in stats.history
            ],
            maximum=100,
        )
    for key, counts, title in (
        ("party_units", stats.current.party_units, _("Xếp loại tổ chức đảng năm %(year)s")),
        ("mass_units", stats.current.mass_units, _("Xếp loại tổ chức hội, đoàn năm %(year)s")),
    ):
        if counts.graded:
            charts[key] = bar_chart(
                title=title % {"year": year},
                description=_("Mỗi cột là tỷ lệ phần trăm đơn vị được xếp một mức."),
                bars=_grade_bars(counts),
                maximum=100,
            )
    return charts
