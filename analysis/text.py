"""Offline text splitting and normalisation.

TextBlob's ``.sentences`` and ``.words`` need NLTK's punkt corpus, which cannot be
downloaded on the machines Heard runs on, so the engine splits text with regular
expressions. Children and parents write in lower case, without apostrophes, with
stretched letters ("soooo") and text-speak; ``normalise`` folds those to one form so
every rule and lexicon downstream only needs to know one spelling.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n+|(?<=\S)\s+-\s+|;\s+")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?", re.IGNORECASE)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_ELONGATED = re.compile(r"([a-z])\1{2,}")
# Emoji and emoticons carry sentiment in children's answers; they become words the lexicon knows.
_GOOD_EMOJI = re.compile(
    "[\u2764\u2665\U0001f600-\U0001f60d\U0001f642\U0001f917\U0001f970"
    "\U0001f44d\U0001f44c\U0001f64f\U0001f31f\u2b50\U0001f389]|[:;]-?[)D]"
)
_BAD_EMOJI = re.compile(
    "[\U0001f612-\U0001f62d\U0001f641\u2639\U0001f44e\U0001f621\U0001f620\U0001f494]|:-?\\("
)

# Contractions and text-speak written without apostrophes or shortened, mapped to one form.
_FOLD = {
    "dont": "don't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "cant": "can't",
    "couldnt": "couldn't",
    "wont": "won't",
    "wouldnt": "wouldn't",
    "shouldnt": "shouldn't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "arent": "aren't",
    "werent": "weren't",
    "havent": "haven't",
    "hasnt": "hasn't",
    "hadnt": "hadn't",
    "aint": "ain't",
    "im": "i'm",
    "ive": "i've",
    "id": "i'd",
    "ill": "i'll",
    "youre": "you're",
    "theyre": "they're",
    "thats": "that's",
    "whats": "what's",
    "shes": "she's",
    "hes": "he's",
    "theres": "there's",
    "u": "you",
    "ur": "your",
    "r": "are",
    "coz": "because",
    "cos": "because",
    "cuz": "because",
    "bc": "because",
    "b4": "before",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "ty": "thanks",
    "tbh": "to be honest",
    "gr8": "great",
    "luv": "love",
    "wiv": "with",
    "wif": "with",
    "nuffin": "nothing",
    "nothin": "nothing",
    "nuthin": "nothing",
    "sum1": "someone",
    "some1": "someone",
    "no1": "no one",
    "noone": "no one",
    "ppl": "people",
    "dunno": "don't know",
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "ya": "you",
    "yr": "your",
    "cus": "because",
    "becuase": "because",
    "becasue": "because",
    "realy": "really",
    "alot": "a lot",
    "sw": "social worker",
    "mam": "mum",
    "mom": "mum",
    "mummy": "mum",
    "ok": "okay",
    "k": "okay",
    "nan": "nan",
    "defo": "definitely",
    "lyk": "like",
}


def fold_quotes(text: str) -> str:
    """Curly quotes and backticks become a plain apostrophe."""
    return text.translate(_APOSTROPHES)


def split_sentences(text: str) -> list[str]:
    """Split on end punctuation, new lines, dashes between clauses and semicolons."""
    parts = (p.strip() for p in _SENTENCE_END.split(fold_quotes(text)))
    return [p for p in parts if p]


_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")


def words(text: str) -> list[str]:
    """Lower-cased word tokens, keeping contractions whole ("don't"); emoji become words.

    HTML tags pasted in with an answer are dropped ("<b>hits</b>" is "hits", not "b hits
    b"); a heart, "<3", is not a tag."""
    if "<" in text:
        text = _TAG.sub(" ", text)
    text = fold_quotes(text).lower()
    if not text.isascii() or ":" in text:
        text = _BAD_EMOJI.sub(" sademoji ", _GOOD_EMOJI.sub(" goodemoji ", text))
    return _WORD.findall(text)


@lru_cache(maxsize=4096)
def _fold_word(word: str) -> str:
    squeezed = _ELONGATED.sub(r"\1\1", word)
    return _FOLD.get(squeezed, squeezed)


def normal_words(text: str) -> list[str]:
    """Words with text-speak, missing apostrophes and stretched letters folded.

    Multi-word expansions ("dunno" -> "don't know") are split again so callers always get
    single words.
    """
    out: list[str] = []
    for word in words(text):
        folded = _fold_word(word)
        if " " in folded:
            out.extend(folded.split())
        else:
            out.append(folded)
    return out


def normalise(text: str) -> str:
    """One spelling per word, joined by single spaces: the form rules are written against."""
    return " ".join(normal_words(text))


def textblob_data(name: str) -> Path:
    """A data file shipped inside the textblob package, found without importing it.

    Importing textblob imports NLTK, which takes seconds; the engine only needs two of
    its word lists (the sentiment lexicon and the spelling word list).
    """
    spec = find_spec("textblob")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("textblob is required for its shipped word lists")
    return Path(spec.origin).parent / "en" / name
