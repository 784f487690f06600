"""Charts for the PDF and Word reports, drawn by matplotlib (Agg: no display) as PNG.

Only published figures are drawn: a suppressed figure draws no bar or point and is labelled
as the table labels it. Meaning never rests on colour alone: bars carry their figures, and
each trend line has its own marker and dash pattern and is named at its end.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.figure import Figure

from survey.text import strip_control

INK = "#0b0c0c"
BAR = "#1d70b8"
GRID = "#b1b4b6"
# Four lines told apart by marker and dash as well as colour (each at least 4.5:1 on white).
STYLES = (
    ("#1d70b8", "o", "-"),
    ("#b3261e", "s", "--"),
    ("#00703c", "^", "-."),
    ("#4c2c92", "D", ":"),
)
DPI = 150


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


def _plain(axes: object) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)  # type: ignore[attr-defined]
    axes.tick_params(colors=INK, labelsize=8)  # type: ignore[attr-defined]


def _fit(text: str, most: int) -> str:
    """A label the font can draw (no control characters, one line) and that fits."""
    text = " ".join(strip_control(text).split())
    return text if len(text) <= most else text[: most - 1] + "…"


def _name_lines(axes: object, ends: list[tuple[tuple[int, float], str]]) -> None:
    """Name each line at its last point, nudged apart so that no two names overlap."""
    top = max((y for (_x, y), _n in ends), default=0) or 1
    gap = top * 0.08
    placed: list[float] = []
    for (x, y), name in sorted(ends, key=lambda e: -e[0][1]):
        at = min([y, *[p - gap for p in placed]])
        placed.append(at)
        axes.annotate(  # type: ignore[attr-defined]
            name, (x, y), xytext=(x + 0.12, at), fontsize=7, va="center", color=INK
        )


def bars(rows: Sequence[tuple[str, float | None, str]], width_in: float = 6.5) -> bytes:
    """Horizontal bars, largest first: (label, length or None when hidden, figure shown)."""
    figure = Figure(figsize=(width_in, 0.32 * len(rows) + 0.6))
    axes = figure.add_subplot()
    labels = [_fit(label, 42) for label, _v, _s in rows]
    values = [value or 0 for _label, value, _shown in rows]
    positions = range(len(rows))
    axes.barh(list(positions), values, color=BAR, height=0.62)
    top = max(values, default=0) or 1
    for y, (_label, value, shown) in zip(positions, rows, strict=True):
        axes.text((value or 0) + top * 0.01, y, shown, va="center", fontsize=8, color=INK)
    axes.set_yticks(list(positions), labels)
    axes.invert_yaxis()
    axes.set_xlim(0, top * 1.25)
    axes.set_xticks([])
    axes.spines["bottom"].set_visible(False)
    _plain(axes)
    return _png(figure)


def trends(
    periods: Sequence[str],
    responses: Sequence[int | None],
    series: Sequence[tuple[str, Sequence[float | None]]],
    words: tuple[str, str, str],
) -> bytes:
    """Responses per period (bars) above the share of comments of each theme (lines, %).

    ``words``: the two panels' titles and the word for a hidden figure, translated."""
    responses_title, share_title, hidden = words
    figure = Figure(figsize=(6.5, 4.6))
    top, bottom = figure.subplots(2, 1, height_ratios=(1, 2))
    x = list(range(len(periods)))
    top.bar(x, [n or 0 for n in responses], color=BAR, width=0.5)
    for i, n in enumerate(responses):
        top.text(i, n or 0, hidden if n is None else str(n), ha="center", va="bottom", fontsize=8)
    top.set_title(responses_title, fontsize=9, color=INK, loc="left")
    top.set_xticks(x, periods)
    top.set_yticks([])
    top.spines["left"].set_visible(False)
    top.set_ylim(0, (max((n or 0 for n in responses), default=0) or 1) * 1.3)
    ends = []
    for (name, values), (colour, marker, dash) in zip(series, STYLES, strict=False):
        points = [(i, v * 100) for i, v in enumerate(values) if v is not None]
        if not points:
            continue
        bottom.plot(*zip(*points, strict=True), color=colour, marker=marker, linestyle=dash)
        ends.append((points[-1], _fit(name, 34)))
    _name_lines(bottom, ends)
    bottom.set_title(share_title, fontsize=9, color=INK, loc="left")
    bottom.set_xticks(x, periods)
    for axes in (top, bottom):
        axes.set_xlim(-0.4, len(periods) + 0.6)  # room to name each line at its end
    bottom.set_ylim(bottom=0)
    bottom.grid(axis="y", color=GRID, linewidth=0.5)
    for axes in (top, bottom):
        _plain(axes)
    figure.tight_layout()
    return _png(figure)
