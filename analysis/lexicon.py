"""The word and phrase lexicon behind the rule-based sentiment scorer.

TextBlob's pattern analyser ships its adjective lexicon inside the package
(``textblob/en/en-sentiment.xml``), so it is usable offline; we read that file once and lay
our own domain lexicon (``data/sentiment.yaml``) over it. Reading it ourselves, rather than
calling ``TextBlob(text).sentiment`` per comment, lets us handle negation and feedback
phrasing our way and is several times faster.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from analysis.text import textblob_data

_ATTR = re.compile(r'(\w+)="([^"]*)"')
_GROUP = re.compile(r"\((?!\?)")

NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "don't",
        "doesn't",
        "didn't",
        "can't",
        "cannot",
        "couldn't",
        "won't",
        "wouldn't",
        "isn't",
        "wasn't",
        "aren't",
        "weren't",
        "haven't",
        "hasn't",
        "hadn't",
        "shouldn't",
        "ain't",
        "hardly",
        "barely",
        "nobody",
        "neither",
        "nor",
        "without",
    ]
)
CONTRAST = frozenset(["but", "however", "yet", "although", "though", "except", "despite"])
# Words that keep a negation alive ("not very good") rather than ending its scope.
_NEG_BRIDGE = frozenset(
    [
        "very",
        "really",
        "so",
        "that",
        "too",
        "at",
        "all",
        "be",
        "been",
        "being",
        "the",
        "a",
        "very",
        "much",
    ]
)


@dataclass(frozen=True)
class Lexicon:
    """Word polarities, intensifier multipliers and one compiled phrase pattern."""

    words: dict[str, float]
    intensifiers: dict[str, float]
    phrase_pattern: re.Pattern[str]
    phrase_scores: dict[str, float]


def _textblob_lexicon() -> tuple[dict[str, float], dict[str, float]]:
    """Average polarity per word form, and intensity of adverbs, from TextBlob's XML."""
    path = textblob_data("en-sentiment.xml")
    sums: dict[str, list[float]] = {}
    intensity: dict[str, list[float]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.lstrip().startswith("<word "):
            continue
        attrs = dict(_ATTR.findall(line))
        form = attrs.get("form", "").lower()
        if not form or " " in form:
            continue
        sums.setdefault(form, []).append(float(attrs.get("polarity", "0")))
        if attrs.get("pos", "").startswith("RB"):
            intensity.setdefault(form, []).append(float(attrs.get("intensity", "1")))
    words = {w: sum(v) / len(v) for w, v in sums.items()}
    intens = {w: sum(v) / len(v) for w, v in intensity.items() if abs(sum(v) / len(v) - 1) > 0.05}
    return words, intens


def _compile_phrases(phrases: dict[str, float]) -> tuple[re.Pattern[str], dict[str, float]]:
    """One alternation with a named group per phrase: one regex pass per sentence."""
    parts = []
    scores: dict[str, float] = {}
    for i, (pattern, score) in enumerate(phrases.items()):
        name = f"p{i}"
        body = _GROUP.sub("(?:", pattern.strip())
        parts.append(rf"(?P<{name}>(?:{body})\b)")
        scores[name] = float(score)
    # The word boundary is hoisted out of the alternation so that positions inside a word
    # fail once rather than once per phrase: five times faster on typical comments.
    return re.compile(r"\b(?:" + "|".join(parts) + ")"), scores


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """Load once per process; every SentimentModel shares it."""
    words, intensifiers = _textblob_lexicon()
    data = yaml.safe_load(
        resources.files("analysis").joinpath("data/sentiment.yaml").read_text(encoding="utf-8")
    )
    words.update({str(k): float(v) for k, v in data["words"].items()})
    intensifiers.update({"really": 1.3, "so": 1.3, "super": 1.4, "well": 1.2, "proper": 1.3})
    for w in ("not", "no", "never"):
        intensifiers.pop(w, None)
    pattern, scores = _compile_phrases({str(k): float(v) for k, v in data["phrases"].items()})
    return Lexicon(words, intensifiers, pattern, scores)


def negation_bridge(word: str) -> bool:
    """True for words that a negation passes over ("not *very* good")."""
    return word in _NEG_BRIDGE
