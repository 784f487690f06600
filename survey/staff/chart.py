"""The daily return chart as server-rendered SVG: no chart library, no JavaScript.

Bars are answers per day; the line is the running total. The SVG carries a title and a
description for screen readers, and the page shows the same figures as a table.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .stats import Day

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 48, 16, 40
BAR = "#1d70b8"
LINE = "#0b0c0c"
GRID = "#b1b4b6"


def _nice_max(value: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return step * 4
    return value


def daily_chart(days: list[Day], title: str, description: str) -> Markup:
    """An inline SVG; ``title`` and ``description`` are plain text (escaped here)."""
    if not days:
        return Markup("")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    bar_max = _nice_max(max(d.responses for d in days) or 1)
    total_max = _nice_max(days[-1].cumulative or 1)
    slot = plot_w / len(days)
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(description)}</desc>',
    ]
    for i in range(5):  # gridlines with both scales: answers per day (left), total (right)
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{bar_max * i // 4}</text>"
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT + 6}" y="{y + 4:.1f}" font-size="11">'
            f"{total_max * i // 4}</text>"
        )
    points = []
    for index, day in enumerate(days):
        x = LEFT + index * slot
        height = plot_h * day.responses / bar_max
        if day.responses:
            parts.append(
                f'<rect x="{x + slot * 0.15:.1f}" y="{TOP + plot_h - height:.1f}" '
                f'width="{max(slot * 0.7, 1):.1f}" height="{height:.1f}" fill="{BAR}"/>'
            )
        points.append(
            f"{x + slot / 2:.1f},{TOP + plot_h - plot_h * day.cumulative / total_max:.1f}"
        )
    parts.append(
        f'<polyline points="{" ".join(points)}" fill="none" stroke="{LINE}" '
        f'stroke-width="2" stroke-dasharray="6 3"/>'
    )
    label_every = max(1, len(days) // 8)
    for index, day in enumerate(days):
        if index % label_every == 0:
            x = LEFT + index * slot + slot / 2
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                f'font-size="11">{day.day.day} {day.day.strftime("%b")}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - numbers, and text escaped above
