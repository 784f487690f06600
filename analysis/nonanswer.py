"""Non-answers: what people type into an optional box when they have nothing to say.

"No", "n/a", "nothing to add", "dunno", "all good", "nie wiem", "کچھ نہیں". They are most
of what a free-text box collects, and every one the engine reads as a disclosure or an
opinion is noise in the lead's queue and the QA group's summary. So they are recognised
first, in every language Heard offers, and get neutral sentiment, no theme and no flag.

A text is a non-answer when, after folding case, accents, punctuation and emoji, it is
made only of words from one small vocabulary and holds at least one "core" non-answer
word. The vocabulary is data (``data/non_answers.yaml``) so a council can add its own.
Anything carrying a feeling or a topic ("nothing ever changes", "no one listens") has a
word outside the vocabulary and is read in full.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

MAX_WORDS = 12
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
_NA = re.compile(r"\bn\s*/\s*a\b|\bn\.a\.?", re.IGNORECASE)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_STRETCH = re.compile(r"(.)\1{2,}")


@dataclass(frozen=True)
class Vocabulary:
    core: frozenset[str]
    filler: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    negated: frozenset[tuple[str, str]]


def fold(text: str) -> str:
    """Lower case, no accents (Polish written without them is common), quotes folded.

    Urdu letters keep their form: only combining marks (diacritics) are dropped.
    """
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("ł", "l")


def tokens(text: str) -> list[str]:
    """Folded word tokens; "n/a" becomes one token and stretched letters shrink."""
    text = _NA.sub(" n/a ", fold(text))
    out = []
    for raw in text.split():
        if raw == "n/a":
            out.append("n/a")
            continue
        out.extend(_STRETCH.sub(r"\1\1", t) for t in _TOKEN.findall(raw))
    return out


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    text = resources.files("analysis").joinpath("data/non_answers.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    core: set[str] = set()
    filler: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    for entry in data["core"]:
        words = tuple(tokens(str(entry)))
        if len(words) == 1:
            core.add(words[0])
        else:
            phrases.append(words)
    for entry in data["filler"]:
        filler.update(tokens(str(entry)))
    pairs = (tokens(str(entry)) for entry in data.get("negated", []))
    negated = frozenset((p[0], p[1]) for p in pairs if len(p) == 2)
    # Longest phrases first, so "nie mam nic" is not cut short by "nie mam".
    ordered = tuple(sorted(phrases, key=len, reverse=True))
    return Vocabulary(frozenset(core), frozenset(filler), ordered, negated)


def _strip_phrases(
    words: list[str], phrases: tuple[tuple[str, ...], ...]
) -> tuple[list[str], bool]:
    """Replace every multi-word core phrase ("nie wiem", "don't know") by a marker."""
    found = False
    out: list[str] = []
    i = 0
    while i < len(words):
        for phrase in phrases:
            if tuple(words[i : i + len(phrase)]) == phrase:
                found = True
                i += len(phrase)
                break
        else:
            out.append(words[i])
            i += 1
    return out, found


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))} | {word}


def _near_core(word: str, vocab: Vocabulary) -> bool:
    """One letter wrong in a long core word ("nothign", "nuthing", "nonee") still counts."""
    if len(word) < 5 or not word.isascii():
        return False
    mine = _deletions(word)
    return any(len(c) >= 4 and mine & _deletions(c) for c in vocab.core)


def _negated(text: str, vocab: Vocabulary) -> bool:
    """A pair such as "nie jest" inside one clause (a comma between them does not count)."""
    for clause in re.split(r"[,.;:!?\n]+", text):
        words = tokens(clause)
        if any(pair in vocab.negated for pair in zip(words, words[1:], strict=False)):
            return True
    return False


def is_non_answer(text: str) -> bool:
    """True for empty, symbol-only and "nothing to say" answers, in English, Polish or Urdu."""
    if not isinstance(text, str):
        return True
    words = tokens(text)
    if not words:
        return True  # nothing but punctuation, symbols or emoji
    if len(words) > MAX_WORDS:
        return False
    vocab = vocabulary()
    if _negated(text, vocab):
        return False
    rest, found = _strip_phrases(words, vocab.phrases)
    for word in rest:
        if word in vocab.core or _near_core(word, vocab):
            found = True
        elif word not in vocab.filler:
            return False
    return found
