"""Plain, immutable result types shared by every part of the analysis engine.

They are frozen dataclasses (not ORM objects or dicts) so the web app can store them,
tests can compare them, and nothing downstream can change an insight by accident.
Sequences are tuples for the same reason; ``to_dict`` gives JSON-ready lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SentimentLabel = Literal["negative", "neutral", "positive"]
SENTIMENT_LABELS: tuple[SentimentLabel, ...] = ("negative", "neutral", "positive")
FlagLevel = Literal["current", "review"]


def sentiment_label(value: str) -> SentimentLabel:
    """A label read from a model or a file, checked to be one of the three."""
    for label in SENTIMENT_LABELS:
        if value == label:
            return label
    raise ValueError(value)


@dataclass(frozen=True)
class SafeguardingFlag:
    """A possible disclosure of harm: a person must read the answer, not a report.

    ``category`` is a stable id (``self_harm``, ``abuse`` ...), ``reason`` says in plain
    words why the text was flagged, ``matched`` holds the words that triggered it so the
    safeguarding lead can see at a glance what was found. ``level`` is ``"current"`` for a
    possible current risk (it reaches the lead at once) or ``"review"`` for a mention of
    past harm or distress (read within the working week).
    """

    category: str
    reason: str
    matched: tuple[str, ...]
    categories: tuple[str, ...] = ()
    level: FlagLevel = "current"

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "reason": self.reason,
            "matched": list(self.matched),
            "categories": list(self.categories or (self.category,)),
            "level": self.level,
        }


@dataclass(frozen=True)
class Insight:
    """What the engine learned from one free-text answer.

    ``polarity`` runs from -1 (very negative) to 1 (very positive); ``sentiment`` is the
    calibrated three-way label, which is what reports count. ``redacted`` is the only
    form of the text that may be quoted beyond the raw-response view. ``language`` is the
    detected language ("en", "pl", "ur" ..., "und" with no letters); ``needs_reader`` is
    True when the engine cannot analyse the text with confidence (a language its screen
    was not validated on): a person must read it.
    """

    polarity: float
    sentiment: SentimentLabel
    themes: tuple[str, ...]
    safeguarding: SafeguardingFlag | None
    redacted: str
    language: str = "en"
    needs_reader: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "polarity": self.polarity,
            "sentiment": self.sentiment,
            "themes": list(self.themes),
            "safeguarding": self.safeguarding.to_dict() if self.safeguarding else None,
            "redacted": self.redacted,
            "language": self.language,
            "needs_reader": self.needs_reader,
        }


@dataclass(frozen=True)
class Theme:
    """One entry of a theme taxonomy, as QA groups name it."""

    id: str
    name: str
    description: str
    phrases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    """An emerging topic: comments that share words but fit no existing theme yet."""

    terms: tuple[str, ...]
    examples: tuple[str, ...]
    size: int


@dataclass(frozen=True)
class Cell:
    """One published figure; ``count`` is None when suppressed (shown as "fewer than N")."""

    count: int | None
    suppressed: bool = False
    label: str = ""

    @property
    def shown(self) -> str:
        return self.label or ("" if self.count is None else str(self.count))


@dataclass(frozen=True)
class ThemeSummary:
    """Aggregate figures for one theme within one group (campaign, age band, period...)."""

    group: str
    theme: str
    count: Cell
    share: float | None
    mean_polarity: float | None
    negative: Cell
    neutral: Cell
    positive: Cell
    quotes: tuple[str, ...] = field(default_factory=tuple)
