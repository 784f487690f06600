"""Heard's analysis engine: sentiment, themes, safeguarding flags, redaction, aggregation.

Pure Python with no web framework: it takes text and returns plain frozen dataclasses,
so it can be tested, benchmarked and run from the command line alone. Everything works
offline and untrained; trained models can be passed in.
"""

from __future__ import annotations

from analysis.engine import analyse
from analysis.types import Insight, SafeguardingFlag, Theme, ThemeSummary, Topic

__all__ = ["Insight", "SafeguardingFlag", "Theme", "ThemeSummary", "Topic", "analyse"]
