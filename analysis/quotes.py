"""Representative quotes: a few redacted comments per theme, clear and different.

A QA group reads three quotes, not three hundred, so they should each say something
plainly, say different things, and between them show how people feel (not three
compliments when most comments were complaints). Greedy selection with a penalty for
word overlap with quotes already chosen (maximal marginal relevance).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from analysis.text import normal_words
from analysis.types import Insight

_PLACEHOLDER = re.compile(r"\[[A-Z ]+\]")
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "is",
        "was",
        "it",
        "i",
        "my",
        "me",
        "we",
        "you",
    ]
)


def _clarity(insight: Insight) -> float:
    """Prefer complete, moderately long comments with a clear view and few redactions."""
    text = insight.redacted.strip()
    n_words = len(text.split())
    if n_words < 4 or len(text) > 400:
        return -1.0
    length = 1.0 - abs(min(n_words, 60) - 22) / 40
    redactions = len(_PLACEHOLDER.findall(text))
    focus = 1.0 / max(1, len(insight.themes))
    return length + 0.6 * abs(insight.polarity) + 0.3 * focus - 0.3 * redactions


def _words(text: str) -> set[str]:
    return {w for w in normal_words(_PLACEHOLDER.sub(" ", text)) if w not in _STOP}


def representative_quotes(insights: Sequence[Insight], k: int = 3) -> tuple[str, ...]:
    """Up to ``k`` redacted quotes, never from answers with a safeguarding flag."""
    pool = [x for x in insights if x.safeguarding is None and _clarity(x) > 0]
    pool.sort(key=lambda x: (-_clarity(x), x.redacted))
    chosen: list[Insight] = []
    seen_words: list[set[str]] = []
    while pool and len(chosen) < k:
        best_i, best_score = 0, float("-inf")
        moods = {x.sentiment for x in chosen}
        for i, cand in enumerate(pool[:200]):
            words = _words(cand.redacted)
            overlap = max(
                (len(words & s) / max(1, len(words | s)) for s in seen_words), default=0.0
            )
            score = _clarity(cand) - 1.5 * overlap + (0.4 if cand.sentiment not in moods else 0)
            if score > best_score:
                best_i, best_score = i, score
        pick = pool.pop(best_i)
        chosen.append(pick)
        seen_words.append(_words(pick.redacted))
    return tuple(x.redacted for x in chosen)
