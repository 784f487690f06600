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


#: Quotes are chosen from at most this many comments, spread evenly over the theme's:
#: a theme of 20,000 comments needs no more to find three clear, different ones, and
#: scoring every one was a quarter of a 100,000-answer summary (benchmarks/README.md).
POOL = 1500


def representative_quotes(insights: Sequence[Insight], k: int = 3) -> tuple[str, ...]:
    """Up to ``k`` redacted quotes, never from answers with a safeguarding flag nor from
    those a person must read first (``needs_reader``: a language the screen is not
    validated on, which may hold a disclosure)."""
    step = max(1, len(insights) // POOL)
    scored = [
        (_clarity(x), x) for x in insights[::step] if x.safeguarding is None and not x.needs_reader
    ]
    pool = sorted(((c, x) for c, x in scored if c > 0), key=lambda p: (-p[0], p[1].redacted))
    # The 200 clearest are the candidates; each one's words are read once.
    candidates = [(c, x, _words(x.redacted)) for c, x in pool[:200]]
    chosen: list[Insight] = []
    seen_words: list[set[str]] = []
    while candidates and len(chosen) < k:
        best_i, best_score = 0, float("-inf")
        moods = {x.sentiment for x in chosen}
        for i, (clarity, cand, words) in enumerate(candidates):
            overlap = max(
                (len(words & s) / max(1, len(words | s)) for s in seen_words), default=0.0
            )
            score = clarity - 1.5 * overlap + (0.4 if cand.sentiment not in moods else 0)
            if score > best_score:
                best_i, best_score = i, score
        _clarity_of_pick, pick, words = candidates.pop(best_i)
        chosen.append(pick)
        seen_words.append(words)
    return tuple(x.redacted for x in chosen)
