"""``analyse(texts)``: one Insight per text, the engine's single entry point."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from analysis.redact import redact
from analysis.safeguarding import check, load_lexicon
from analysis.sentiment import SentimentModel
from analysis.themes import ThemeModel
from analysis.types import Insight


@lru_cache(maxsize=1)
def default_sentiment() -> SentimentModel:
    return SentimentModel()


@lru_cache(maxsize=1)
def default_themes() -> ThemeModel:
    return ThemeModel()


def analyse(
    texts: Sequence[str],
    themes: ThemeModel | None = None,
    sentiment: SentimentModel | None = None,
) -> list[Insight]:
    """Sentiment, themes, a safeguarding flag and redacted text for each text.

    Uses the shipped untrained models unless trained ones are passed. Empty or
    whitespace-only texts get a neutral Insight with no themes.
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    scored = (sentiment or default_sentiment()).score(texts)
    tagged = (themes or default_themes()).predict(texts)
    lexicon = load_lexicon()
    out = []
    for text, (label, polarity), theme_ids in zip(texts, scored, tagged, strict=True):
        out.append(
            Insight(
                polarity=polarity,
                sentiment=label,
                themes=tuple(theme_ids),
                safeguarding=check(text, lexicon),
                redacted=redact(text),
            )
        )
    return out
