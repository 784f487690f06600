"""Horizontal bar charts as server-rendered SVG: readable in print and by screen readers.

Only published figures are drawn; a suppressed bar is left out and labelled as the table
labels it ("fewer than 5"), so the chart can never show more than the table beside it.
Every chart has a title and description, and the page shows the same figures as a table.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from analysis.types import Cell

WIDTH = 720
LABEL_W = 300
ROW_H = 28
BAR = "#1d70b8"
TEXT = "#0b0c0c"


def bar_chart(rows: list[tuple[str, Cell]], title: str, description: str, chart_id: str) -> Markup:
    """One bar per (label, cell); ``title`` and ``description`` are plain text."""
    if not rows:
        return Markup("")
    height = ROW_H * len(rows) + 16
    top = max((c.count or 0 for _, c in rows), default=0) or 1
    plot = WIDTH - LABEL_W - 110
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for i, (label, cell) in enumerate(rows):
        y = 8 + i * ROW_H
        short = label if len(label) <= 42 else label[:40] + "…"
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + 18}" text-anchor="end" font-size="13" '
            f'fill="{TEXT}">{escape(short)}</text>'
        )
        width = plot * (cell.count or 0) / top
        if cell.count:
            parts.append(
                f'<rect x="{LABEL_W}" y="{y + 4}" width="{width:.1f}" height="{ROW_H - 8}" '
                f'fill="{BAR}"/>'
            )
        parts.append(
            f'<text x="{LABEL_W + width + 6:.1f}" y="{y + 18}" font-size="13" '
            f'fill="{TEXT}">{escape(cell.shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - numbers, and text escaped above
