"""Safeguarding flags: possible disclosures of harm in free text.

A flagged answer goes to the named safeguarding lead's queue the moment it is saved, so
the rules lean towards recall: missing a disclosure is far worse than a false alarm. They
are still precise enough to be trusted: idioms ("I killed it in my exam", "my mum will
kill me if I'm late") are removed by exclusions that must overlap the match they cancel.
Rules, not a trained model, because every flag must say which words triggered it and a
lead must be able to read and amend the list (``data/safeguarding.yaml``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from analysis.encoder import embed, truncate
from analysis.language import detect
from analysis.levels import REVIEW, level_for
from analysis.nonanswer import fold, is_non_answer
from analysis.safeguarding_encoder import CURRENT_ABOVE, FLAG_ABOVE, WITH_WORDS
from analysis.safeguarding_encoder import shipped as encoder_flagger
from analysis.safeguarding_model import SafeguardingModel, load_shipped
from analysis.text import normal_words, textblob_data
from analysis.types import FlagLevel, SafeguardingFlag

# Rule files for the other languages Heard offers. Every text is matched against all of
# them, whatever language it was detected as: children mix languages in one answer.
OTHER_LANGUAGES = ("pl", "ur")
# A reply this short gives the models too little to go on (in any language): only the
# rules read it. "nie wszystko ok" is not a reason to call anyone out of hours.
MODEL_MIN_WORDS = 9
# The encoder alone (without a rule or the word model agreeing) misreads short replies: it
# puts "i want to stay here" beside "i don't want to be here". Decision 0011.
ENCODER_ALONE_MIN_WORDS = 9
# In English the encoder alone flags only in the full read (``deep``: the analysis after a
# response is sent, which embeds the answer for sentiment and themes anyway); the
# in-request screen asks it only when the word model agrees, which keeps the screen within
# its time budget. Trained on the levelled blind rounds 8-13, the encoder alone caught
# what the rules and the word model missed in held-out rounds. Decision 0016.
ALONE_IN_ENGLISH_ABOVE = 0.9
ALONE_IN_ENGLISH_MIN_WORDS = 16
LEARNED_CURRENT_MIN_WORDS = 12  # shorter: the model alone sends it to review (0011)
# A long English answer is also read a few sentences at a time in the full read: one
# sentence of disclosure at the end of 80 words of praise is lost in the whole answer's
# mean embedding (blind round 14: 4 of its 16 such answers missed), but not in a window of
# WINDOW_MIN_WORDS or more around it. Decision 0019.
WINDOWS_FROM_WORDS = 40
WINDOW_MIN_WORDS = 16
WINDOW_RUN = 25
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# The disclosure model reads an answer's first SCREEN_TOKENS tokens. The encoder's cost
# grows with the tokens it reads, but a cap of 64 saved nothing at p95 (52.5 against 52.0
# CPU ms on the real-words quotes) and lost a disclosure made at the end of a long answer
# (round 11: "...We think he's being used to sell drugs"): the screen reads what the heads
# read, the model's whole window. Decision 0015.
SCREEN_TOKENS = int(os.environ.get("HEARD_SCREEN_TOKENS", "512"))

_GROUP = re.compile(r"\((?!\?)")
_CONCEPT = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class _Category:
    id: str
    reason: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class SafeguardingLexicon:
    """Compiled categories (in priority order), exclusions and the typo corrector."""

    categories: tuple[_Category, ...]
    exclusions: re.Pattern[str]
    typos: dict[str, str]
    known: frozenset[str]
    model: SafeguardingModel | None = None
    others: tuple[OtherLexicon, ...] = ()


@dataclass(frozen=True)
class OtherLexicon:
    """Rules for one more language, matched on folded text (no accents, lower case)."""

    language: str
    categories: tuple[_Category, ...]
    exclusions: re.Pattern[str]


def _load_other(language: str) -> OtherLexicon:
    name = f"data/safeguarding_{language}.yaml"
    data = yaml.safe_load(resources.files("analysis").joinpath(name).read_text("utf-8"))
    categories = tuple(
        _Category(
            str(c["id"]),
            str(c["reason"]),
            _alternation([_folded(p) for p in c["patterns"]], whole=True),
        )
        for c in data["categories"]
    )
    return OtherLexicon(
        language, categories, _alternation([_folded(p) for p in data.get("exclusions") or ["$^"]])
    )


def _folded(pattern: object) -> str:
    """A pattern's letters folded as the text they are matched on is (``fold``): "کوئی"
    and "آدمی" are matched as "کويی" and "ادمی" (hamza and madda are combining marks once
    decomposed). Only letters outside ASCII are folded, so ``\\S`` stays ``\\S``."""
    return "".join(c if c.isascii() else fold(c) for c in str(pattern))


def _alternation(
    patterns: list[str], concepts: dict[str, str] | None = None, whole: bool = False
) -> re.Pattern[str]:
    """One pattern for a list; ``whole`` makes a match end at a word's end, so that
    "threatening me" is not found in "threatening messages"."""
    if concepts:
        patterns = [_CONCEPT.sub(lambda m: f"(?:{concepts[m.group(1)]})", p) for p in patterns]
    body = "|".join(f"(?:{_GROUP.sub('(?:', p)})" for p in patterns)
    return re.compile(rf"\b(?:{body})" + (r"(?!\w)" if whole else ""))


def _concepts(data: dict[str, list[str]]) -> dict[str, str]:
    """Concept groups (``{adult}``, ``{secret}``...) that patterns name instead of repeating."""
    return {str(k): "|".join(_GROUP.sub("(?:", str(p)) for p in v) for k, v in data.items()}


# From this many letters a word may be two slips from the key word it is read as.
LONG_WORD = 8


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _typo_index(targets: list[str]) -> dict[str, str]:
    """Map each one-letter deletion of a target word back to it (SymSpell's idea).

    A misspelt word is looked up by itself and by its own deletions, which catches one
    missing, extra, swapped or wrong letter ("sucide", "suicdie", "abussed").
    """
    index = {target: target for target in targets}  # each target reads as itself
    for target in targets:
        for key in sorted(_deletes(target)):
            index.setdefault(key, target)
    return index


def _known_words() -> frozenset[str]:
    """Real English words are never 'corrected' ("picked" must not become "kicked")."""
    path = textblob_data("en-spelling.txt")
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(";"):
            words.add(line.split(" ", 1)[0].lower())
    return frozenset(words)


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None, learned: bool = True) -> SafeguardingLexicon:
    """The shipped lexicon, or a reviewed local copy with the same shape.

    With ``learned`` (the default) the shipped model (``data/safeguarding_model.json``,
    trained on the shipped labelled examples, the levelled rounds and everyday answers by
    ``python -m analysis.safeguarding_model``)
    is loaded too and catches wording the rules do not.
    """
    if path is None:
        text = resources.files("analysis").joinpath("data/safeguarding.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    concepts = _concepts(data.get("concepts", {}))
    categories = tuple(
        _Category(
            str(c["id"]),
            str(c["reason"]),
            _alternation([str(p) for p in c["patterns"]], concepts, whole=True),
        )
        for c in data["categories"]
    )
    targets = [str(t) for t in data.get("typo_targets", [])]
    lex = SafeguardingLexicon(
        categories,
        _alternation([str(p) for p in data["exclusions"]], concepts),
        _typo_index(targets),
        _known_words() | frozenset(targets),
        others=tuple(_load_other(lang) for lang in OTHER_LANGUAGES) if path is None else (),
    )
    if not learned:
        return lex
    return replace(lex, model=load_shipped())


def _correct(word: str, lex: SafeguardingLexicon) -> str:
    if len(word) < 5 or word in lex.known or not word.isalpha():
        return word
    hit = lex.typos.get(word)
    if hit is not None:
        return hit
    for key in sorted(_deletes(word)):  # the same correction in every process
        hit = lex.typos.get(key)
        # Two slips are let through in a long word ("theretened"), where they cannot turn
        # one everyday word into another.
        if hit is not None and (len(word) >= LONG_WORD or _one_edit(word, hit)):
            return hit
    return word


def _one_edit(word: str, target: str) -> bool:
    """One letter missing, extra, wrong, or two neighbours swapped. A deletion from each
    word can meet two edits apart as well: "buses" and "abuse" share "buse", and "the
    buses are late" was read as abuse."""
    if len(word) == len(target):
        differ = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        if len(differ) == 1:
            return True
        first = differ[0] if len(differ) == 2 else -1
        return (
            differ == [first, first + 1]
            and word[first] == target[first + 1]
            and (word[first + 1] == target[first])
        )
    short, long = sorted((word, target), key=len)
    if len(long) - len(short) != 1:
        return False
    at = next((i for i, (a, b) in enumerate(zip(short, long, strict=False)) if a != b), len(short))
    return short[at:] == long[at + 1 :]


def prepare(text: str, lex: SafeguardingLexicon | None = None) -> str:
    """Normalised text with likely typos of key words corrected: what patterns see."""
    lex = lex or load_lexicon()
    return " ".join(_correct(w, lex) for w in normal_words(text))


# "No one is hurting me", "I've never thought about killing myself", "there's no abuse
# going on": a negator that governs the matched words, with nothing between them but the
# small words of a negated clause. Anything else between ("I can't tell anyone he hits me",
# "they never stop hitting me") leaves the match standing. "No longer" and "not any more"
# are not negations here: they mark harm that is over, which the level reads.
_NEGATOR = re.compile(
    r"(?:^|\s)(?:not|never|no|nobody|nobody's|noone|no1|no one|no one's|no ones|nothing|"
    r"don't|doesn't|didn't|isn't|aren't|wasn't|weren't|haven't|hasn't|hadn't|won't|"
    r"wouldn't|can't|cannot|couldn't|there's no|there is no)"
    r"((?:\s(?:one|ones|one's|adult|adults|person|body|ever|even|once|really|actually|"
    r"has|have|had|is|are|was|were|be|been|being|here|there|at home|in this house|"
    r"anyone|anybody|get|gets|got|feel|felt|thought|think|thinking|about|of|going|"
    r"currently|ever been|laid a finger|like|feel like|felt like|wanted|wanted to|"
    r"even once|round here|of the olders))*)\s?$"
)
_NOT_NEGATION = re.compile(r"(?:no|not) (?:longer|any ?more)\b")


# "they'll stab my mum if I don't work it off": a condition is a threat, not a denial.
_CONDITION = re.compile(
    r"\b(?:if|unless|or|otherwise|or else|until|till) (?:i|we|you|he|she|they)\s*$"
)


# Harm words a denial may govern ("nobody hits me", "no one is kicking me out", "I'm not
# cutting", "I never feel like hurting myself"). When every one of them in an answer is
# denied and no rule fired, the learned model is not asked: it reads the harm words, not
# the denial, and called such answers current risks (round 11).
_HARM_WORDS = re.compile(
    r"\b(hits?|hitting|hurts?|hurting|kicks?|kicking|beats?|beating|touch(es|ing)?|"
    r"cut|cuts|cutting|harm(s|ing)?|kill(s|ing)?|abus(e|ed|es|ing)|bull(y|ies|ying)|"
    r"homeless|starv(e|ing)|scared|unsafe|making me|makes me|make me|"
    r"kicking me out|throwing me out|threaten(s|ing)?|bother(s|ing)? me)\b"
)


# "nobody hits me except my stepdad": the clause goes on to name who does.
_EXCEPTION = re.compile(r"^[^.!?]{0,40}?\b(?:except|exept|xcept|apart from|other than|besides)\b")


def _excepted(prepared: str, end: int) -> bool:
    """Whether the words just after a denied match name an exception to the denial."""
    return _EXCEPTION.match(prepared[end : end + 60]) is not None


def _only_denied(prepared: str) -> bool:
    """Whether the answer speaks of harm only to deny it."""
    spans = [m.span() for m in _HARM_WORDS.finditer(prepared)]
    return bool(spans) and all(
        _negated(prepared, start) and not _excepted(prepared, end) for start, end in spans
    )


def _negated(prepared: str, start: int) -> bool:
    """Whether the words just before ``start`` negate what matched there."""
    before = prepared[max(0, start - 60) : start]
    found = _NEGATOR.search(before)
    if found is None or _NOT_NEGATION.match(before[found.start() :].strip()):
        return False
    return not _CONDITION.search(before[: found.start()])


def _matches(
    prepared: str, categories: tuple[_Category, ...], exclusions: re.Pattern[str]
) -> tuple[list[tuple[_Category, str, tuple[int, int]]], bool]:
    """What matched, and whether anything matched only to be negated (then the learned
    model is not asked either: the rules saw the words and read them as denied)."""
    excluded: list[tuple[int, int]] | None = None  # scanned only once something matches
    found: list[tuple[_Category, str, tuple[int, int]]] = []
    cancelled = False
    for category in categories:
        for match in category.pattern.finditer(prepared):
            start, end = match.span()
            if excluded is None:
                excluded = [m.span() for m in exclusions.finditer(prepared)]
            if any(s < end and start < e for s, e in excluded):
                continue
            if _negated(prepared, start) and not _excepted(prepared, end):
                cancelled = True
                continue
            found.append((category, match.group(0).strip(), (start, end)))
    return found, cancelled


def _within(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    """Whether the span ``inner`` lies inside ``outer`` and is shorter: the same words."""
    return outer[0] <= inner[0] and inner[1] <= outer[1] and inner != outer


def _flag(found: list[tuple[_Category, str, tuple[int, int]]], text: str) -> SafeguardingFlag:
    """The flag names the first category found in the lexicon's priority order (the most
    urgent), except one whose match lies inside another category's longer match: two
    readings of the same words, and the longer is the more specific ("older lads give"
    opens a grooming pattern; "older lads give me money to carry" says county lines).
    A separate statement elsewhere in the text keeps its place in the order."""
    first = next(
        (
            category
            for category, _words, span in found
            if not any(
                other.id != category.id and _within(span, wider) for other, _o, wider in found
            )
        ),
        found[0][0],
    )
    categories = tuple(dict.fromkeys(c.id for c, _w, _s in found))
    matched = tuple(dict.fromkeys(words for _c, words, _s in found))
    level = level_for(text, matched)
    return SafeguardingFlag(first.id, first.reason, matched, categories, level)


def check(
    text: str,
    lex: SafeguardingLexicon | None = None,
    deep: bool = True,
    language: str | None = None,
) -> SafeguardingFlag | None:
    """A flag if the text may disclose harm, naming the first category found and its words.

    Non-answers ("No", "nothing to add", "nie wiem") never raise one. English rules run
    on normalised text; the Polish and Urdu rules on folded text; the learned models only
    when no rule fired, and only on answers of a few words or more. ``deep=False`` is the
    in-request screen: in English the encoder is asked only when the word model fires.
    ``language`` is the text's ``detect``ed language when the caller has it already (it
    is not worked out twice).
    """
    if not isinstance(text, str) or is_non_answer(text):
        return None
    lex = lex or load_lexicon()
    prepared = prepare(text, lex)
    found, cancelled = (
        _matches(prepared, lex.categories, lex.exclusions) if prepared else ([], False)
    )
    if found:
        return _flag(found, prepared)
    if lex.others:
        folded = " ".join(fold(text).split())
        for other in lex.others:
            found, _ = _matches(folded, other.categories, other.exclusions)
            if found:
                return _flag(found, folded)
    if cancelled or _only_denied(prepared):
        return None
    return _model_flag(text, prepared, lex, deep, language)


def rule_check(text: str, lex: SafeguardingLexicon | None = None) -> SafeguardingFlag | None:
    """The phrase rules alone, without the learned model."""
    lex = lex or load_lexicon()
    return check(text, replace(lex, model=None))


def _model_flag(
    text: str,
    prepared: str,
    lex: SafeguardingLexicon,
    deep: bool = True,
    language: str | None = None,
) -> SafeguardingFlag | None:
    """The learned half, when no rule fired: the encoder, with or without the word model.

    Flags when the word-level model fires and the encoder gives the text at least
    ``WITH_WORDS``, or, on longer answers, when the encoder alone is sure (``FLAG_ABOVE``):
    in English only in the full read (``deep``). Without the encoder (not installed) the
    word model alone flags, at the review level only. A lexicon without its word model
    (``rule_check``) means the rules alone, so the encoder is not asked either.
    """
    n_words = len(text.split())
    words_model = lex.model
    if n_words < MODEL_MIN_WORDS or words_model is None:
        return None
    words_fire = words_model.score(prepared) > words_model.threshold
    english = (language or detect(text)) == "en"
    could_be_alone = (
        n_words >= ALONE_IN_ENGLISH_MIN_WORDS and deep
        if english
        else n_words >= ENCODER_ALONE_MIN_WORDS
    )
    if not words_fire and not could_be_alone:
        return None  # nothing the encoder could add: no embedding, no cost in the request
    flagger = encoder_flagger()
    vector = embed([truncate(text, SCREEN_TOKENS)]) if flagger is not None else None
    if flagger is None or vector is None:
        if not words_fire:
            return None
        return _learned(words_model.category(prepared), prepared, lex, REVIEW)
    probability = float(flagger.probability(vector)[0])
    alone = could_be_alone and probability > (ALONE_IN_ENGLISH_ABOVE if english else FLAG_ABOVE)
    if not (alone or (words_fire and probability > WITH_WORDS)):
        if deep and english and n_words >= WINDOWS_FROM_WORDS:
            return _window_flag(text, lex, flagger)
        return None
    category = flagger.category(vector[0])
    # Alone, in a language it was not trained on, the encoder is a reason to read the
    # answer (the review level becomes "needs a reader" on the queue), not to call out.
    sure = probability > CURRENT_ABOVE and (words_fire or not alone or english)
    level = level_for(prepared, ()) if sure and n_words >= LEARNED_CURRENT_MIN_WORDS else REVIEW
    return _learned(category, prepared, lex, level)


def sentence_windows(text: str, min_words: int = WINDOW_MIN_WORDS) -> list[str]:
    """Each sentence with those after it until the window has ``min_words`` words, each
    window once. A sentence of more than ``WINDOW_RUN`` words (a text written without full
    stops) is read as overlapping runs of that many words instead."""
    sentences = []
    for sentence in _SENTENCE_END.split(text):
        words = sentence.split()
        if len(words) <= WINDOW_RUN:
            sentences.extend([" ".join(words)] if words else [])
            continue
        step = WINDOW_RUN // 2
        sentences.extend(
            " ".join(words[i : i + WINDOW_RUN]) for i in range(0, len(words) - step, step)
        )
    windows = []
    for start in range(len(sentences)):
        window, end = sentences[start], start
        while len(window.split()) < min_words and end + 1 < len(sentences):
            end += 1
            window = f"{window} {sentences[end]}"
        if len(window.split()) >= min_words:
            windows.append(window)
    return list(dict.fromkeys(windows))


def _window_flag(text: str, lex: SafeguardingLexicon, flagger: Any) -> SafeguardingFlag | None:
    """The encoder alone on a long English answer's sentence windows (the full read only):
    a flag from the window it is surest of, if over ``ALONE_IN_ENGLISH_ABOVE``, levelled
    by what that window says."""
    windows = sentence_windows(text)
    vectors = embed([truncate(w, SCREEN_TOKENS) for w in windows]) if windows else None
    if vectors is None:
        return None
    probabilities = flagger.probability(vectors)
    best = int(np.argmax(probabilities))
    if float(probabilities[best]) <= ALONE_IN_ENGLISH_ABOVE:
        return None
    window = prepare(windows[best], lex)
    level = level_for(window, ())
    return _learned(flagger.category(vectors[best]), window, lex, level)


def _learned(
    category: str, prepared: str, lex: SafeguardingLexicon, level: FlagLevel
) -> SafeguardingFlag:
    # The learned models know "unsafe", which only the Polish and Urdu rules name: a lead
    # reads their reason, not the bare id.
    every = (*lex.categories, *(c for other in lex.others for c in other.categories))
    reason = next((c.reason for c in every if c.id == category), category)
    words = lex.model.explain(prepared) if lex.model is not None else ()
    return SafeguardingFlag(
        category, f"{reason} (wording like known disclosures)", words, (category,), level
    )


def check_many(texts: list[str]) -> list[SafeguardingFlag | None]:
    lex = load_lexicon()
    return [check(t, lex) for t in texts]
