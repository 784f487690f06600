"""The summary-scale benchmark builds what it says: stored answers a summary reads back.

The timing is the script's job (benchmarks/summary_scale.py); this checks, on a small
size, that its database holds the answers and that the summary it times counts them all.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))

import summary_scale  # noqa: E402


def test_the_benchmark_database_is_summarised_whole(tmp_path: Path) -> None:
    from survey.review.summary import Filters, stored_insights, summarise

    app = summary_scale.build(300, tmp_path)
    with app.app_context():  # type: ignore[attr-defined]
        insights = stored_insights(Filters(campaigns=("scale",)))
        summary = summarise(Filters(campaigns=("scale",)), {})
    assert len(insights) == 300
    assert summary.responses.count == 300
    assert summary.comments.count == 300
    assert sum(1 for i in insights if i.themes) > 200
    seconds, peak_mb, rows = summary_scale.measure(app)
    assert seconds > 0 and peak_mb > 0 and rows == len(summary.themes)
    assert summary_scale.page_seconds(app, tries=1) > 0  # the page it times is a 200
