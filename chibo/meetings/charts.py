"""Bar charts drawn on the server as inline SVG: no script, no CDN, readable on a phone.

The SVG has a viewBox and no fixed width, so it shrinks to the screen and never scrolls
sideways; its text is large because a 360 px phone shows it at about 0.9 scale. Every
chart carries a title and a description for screen readers, and the page shows the same
figures in a table beside it, so nothing is only in the picture.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from chibo.meetings.stats import MeetingStats

WIDTH = 360
HEIGHT = 190
TOP = 14
BOTTOM = 28  # room for the labels under the bars
LEFT = 30  # room for the scale
RIGHT = 4
# Attendance below this share is drawn in the warning colour.
ATTENDANCE_LOW = 80.0


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar ("T1", "Q2")
    value: float | None  # None: nothing to draw (a month not yet due)
    # The whole the value is part of (units due): drawn as an outline behind the bar.
    target: float | None = None
    # Read by screen readers and shown on hover: the bar in words.
    title: str = ""
    warn: bool = False  # drawn in the warning colour (below target, month missed)


def _number(value: float) -> str:
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def bar_chart(
    *, title: str, description: str, bars: list[Bar], maximum: float | None = None, unit: str = ""
) -> SafeString:
    """Vertical bars, one per label, each over its target's outline when it has one."""
    tallest = max([b.value or 0 for b in bars] + [b.target or 0 for b in bars] + [maximum or 0, 1])
    top = maximum if maximum is not None else tallest
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(bars), 1)
    bar_width = slot * 0.64

    def y(value: float) -> float:
        return TOP + plot_height * (1 - min(value, top) / top)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{{id}}-t {{id}}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{{id}}-t">{escape(title)}</title>',
        f'<desc id="{{id}}-d">{escape(description)}</desc>',
    ]
    for fraction in (0, 0.5, 1):
        level = top * fraction
        parts.append(
            f'<line class="chart__grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
            f'y1="{y(level):.1f}" y2="{y(level):.1f}"/>'
        )
        parts.append(
            f'<text class="chart__scale" x="{LEFT - 4}" y="{y(level) + 4:.1f}" '
            f'text-anchor="end">{escape(_number(level))}{escape(unit)}</text>'
        )
    for index, bar in enumerate(bars):
        x = LEFT + slot * index + (slot - bar_width) / 2
        centre = x + bar_width / 2
        parts.append("<g>")
        if bar.title:
            parts.append(f"<title>{escape(bar.title)}</title>")
        if bar.target:
            parts.append(
                f'<rect class="chart__target" x="{x:.1f}" y="{y(bar.target):.1f}" '
                f'width="{bar_width:.1f}" height="{TOP + plot_height - y(bar.target):.1f}"/>'
            )
        if bar.value:
            css = "chart__bar chart__bar--warn" if bar.warn else "chart__bar"
            parts.append(
                f'<rect class="{css}" x="{x:.1f}" y="{y(bar.value):.1f}" '
                f'width="{bar_width:.1f}" height="{TOP + plot_height - y(bar.value):.1f}"/>'
            )
        parts.append(
            f'<text class="chart__label" x="{centre:.1f}" y="{HEIGHT - 8}" '
            f'text-anchor="middle">{escape(bar.label)}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    # Two charts on a page need their own ids for aria-labelledby.
    ident = f"chart-{zlib.crc32(title.encode()):08x}"
    # Every text put into the SVG went through escape() above.
    return mark_safe("".join(parts).replace("{id}", ident))


def meeting_stats_charts(stats: MeetingStats) -> dict[str, SafeString]:
    """The three charts of the statistics page (and of any document that reports them)."""
    held = []
    attendance = []
    for month in stats.months:
        label = _("T%(month)s") % {"month": month.month}
        if not month.open:
            held.append(Bar(label=label, value=None))
            attendance.append(Bar(label=label, value=None))
            continue
        held.append(
            Bar(
                label=label,
                value=month.held_units,
                target=month.due,
                warn=month.missing > 0,
                title=_("Tháng %(month)s: %(held)s/%(due)s đơn vị đã sinh hoạt")
                % {"month": month.month, "held": month.held_units, "due": month.due},
            )
        )
        rate = month.attendance_percent
        attendance.append(
            Bar(
                label=label,
                value=rate,
                warn=rate is not None and rate < ATTENDANCE_LOW,
                title=_("Tháng %(month)s: %(rate)s%% đảng viên, hội viên dự")
                % {"month": month.month, "rate": rate if rate is not None else "—"},
            )
        )
    thematic = [
        Bar(
            label=_("Quý %(quarter)s") % {"quarter": quarter.quarter},
            value=quarter.units if quarter.open else None,
            target=quarter.due if quarter.open else None,
            warn=quarter.missing > 0,
            title=_("Quý %(quarter)s: %(units)s/%(due)s đơn vị sinh hoạt chuyên đề")
            % {"quarter": quarter.quarter, "units": quarter.units, "due": quarter.due},
        )
        for quarter in stats.quarters
    ]
    year = stats.year
    return {
        "held": bar_chart(
            title=_("Sinh hoạt định kỳ năm %(year)s") % {"year": year},
            description=_(
                "Mỗi tháng: khung là số đơn vị phải sinh hoạt, cột là số đơn vị đã sinh hoạt; "
                "cột màu cam là tháng có đơn vị không sinh hoạt."
            ),
            bars=held,
        ),
        "attendance": bar_chart(
            title=_("Tỷ lệ dự sinh hoạt năm %(year)s") % {"year": year},
            description=_("Mỗi tháng: phần trăm số người có mặt trên số người phải dự."),
            bars=attendance,
            maximum=100,
            unit="%",
        ),
        "thematic": bar_chart(
            title=_("Sinh hoạt chuyên đề theo quý năm %(year)s") % {"year": year},
            description=_(
                "Mỗi quý: khung là số đơn vị phải sinh hoạt chuyên đề, cột là số đơn vị đã "
                "sinh hoạt chuyên đề."
            ),
            bars=thematic,
        ),
    }
