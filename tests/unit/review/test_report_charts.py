"""The reports' charts (matplotlib): valid PNGs, and a hidden figure is never drawn.

They replace the hand-drawn PNG bar chart (``survey/review/png.py``) and its tests."""

from __future__ import annotations

from survey.review import report_charts

PNG = b"\x89PNG\r\n\x1a\n"


def test_bars_are_a_png_and_a_hidden_figure_draws_no_bar():
    shown = report_charts.bars([("Home", 10, "10"), ("School", 0, "hidden")])
    hidden = report_charts.bars([("Home", 10, "10"), ("School", None, "hidden")])
    drawn = report_charts.bars([("Home", 10, "10"), ("School", 4, "hidden")])
    assert shown.startswith(PNG) and hidden.startswith(PNG)
    assert hidden == shown  # a suppressed count is drawn as nothing, whatever it was
    assert drawn != hidden


def test_trends_draw_with_gaps_and_control_characters_in_names():
    chart = report_charts.trends(
        ["Jan-Mar", "Apr-Jun", "Jul-Sep", "Oct-Dec"],
        [None, 12, 0, 40],
        [("Home\x0b and placement", [None, 0.25, None, 0.3])],
        ("Responses", "Share of comments (%)", "hidden"),
    )
    assert chart.startswith(PNG) and len(chart) > 1000
