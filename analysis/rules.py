"""Rule-based sentiment: sentence by sentence, with negation, contrast and feedback idioms.

The rules are the untrained default and also feed the trained model as features, so a
service that labels its own comments keeps what the rules know and adds its own words.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from analysis.lexicon import CONTRAST, NEGATORS, Lexicon, default_lexicon, negation_bridge
from analysis.text import normal_words, split_sentences

# A whole answer that only says "nothing" almost always replies to "what could we do
# better?" on feedback forms; in the public FFT training data most such answers are
# labelled positive, so it counts as mild praise, not as an empty answer.
_NOTHING = re.compile(
    r"^(?:nothing|none|nowt|nil|not a thing|nothing really|nothing at all|absolutely nothing|"
    r"no|no nothing|nothing else|not really|none really|none at all|no improvements?|"
    r"no changes?|nothing to add|nothing more)$"
)
_EMPTY = re.compile(
    r"^(?:n a|na|n/a|not sure|don't know|no idea|unsure|not applicable|idk|no comments?)$"
)
_EVERYTHING = re.compile(r"^(?:everything|all of it|all|the lot|all of them|everyone|all staff)$")
_CLAUSE_END = frozenset([",", ";"])


@dataclass(frozen=True)
class RuleScore:
    """The rules' reading of one comment; the numbers also serve as model features."""

    polarity: float
    positive_mass: float
    negative_mass: float
    sentences: int
    short_answer: float

    def features(self) -> list[float]:
        return [
            self.polarity,
            self.positive_mass,
            self.negative_mass,
            min(self.positive_mass, self.negative_mass),
            math.log1p(self.sentences),
            self.short_answer,
        ]


def _word_score(lex: Lexicon, word: str) -> float | None:
    score = lex.words.get(word)
    if score is None and len(word) > 3 and word.endswith("s"):
        score = lex.words.get(word[:-1])
    return score


def _phrase_spans(lex: Lexicon, sentence: str) -> tuple[list[tuple[int, int]], float, int]:
    spans: list[tuple[int, int]] = []
    total = 0.0
    for match in lex.phrase_pattern.finditer(sentence):
        name = match.lastgroup
        if name is None:
            continue
        spans.append(match.span())
        total += lex.phrase_scores[name]
    return spans, total, len(spans)


def score_sentence(tokens: list[str], lex: Lexicon) -> float:
    """Polarity of one sentence in [-1, 1].

    Phrases are matched first and their words are not scored again. A negator flips and
    dampens the next scored word within three words ("not very good" is mildly negative,
    "not bad" mildly positive). After "but"/"however" the clause weighs more, as people
    put the point they mean last ("lovely staff but I waited four hours").
    """
    sentence = " ".join(tokens)
    spans, total, count = _phrase_spans(lex, sentence)
    weight_total = float(count)
    pos = 0
    neg_left = 0
    weight = 1.0
    boost = 1.0
    span_i = 0
    for tok in tokens:
        start = pos
        pos += len(tok) + 1
        while span_i < len(spans) and spans[span_i][1] <= start:
            span_i += 1
        if span_i < len(spans) and spans[span_i][0] <= start < spans[span_i][1]:
            neg_left = 0
            continue
        if tok in CONTRAST:
            total *= 0.6
            weight_total *= 0.6
            weight = 1.4
            neg_left = 0
            continue
        if tok in NEGATORS:
            neg_left = 3
            continue
        if tok in lex.intensifiers:
            boost = lex.intensifiers[tok]
            continue
        score = _word_score(lex, tok)
        if score is None or score == 0.0:
            if neg_left and not negation_bridge(tok):
                neg_left -= 1
            boost = 1.0
            continue
        value = min(1.0, max(-1.0, score * boost))
        if neg_left:
            value = -0.5 * value if value > 0 else -0.4 * value
            neg_left = 0
        total += weight * value
        weight_total += weight
        boost = 1.0
    if weight_total == 0:
        return 0.0
    return max(-1.0, min(1.0, total / math.sqrt(weight_total)))


def rule_score(text: str, lex: Lexicon | None = None) -> RuleScore:
    """Score a whole comment: the mean of its sentences, keeping both masses for mixed views."""
    lex = lex or default_lexicon()
    sentences = split_sentences(text)
    token_lists = [normal_words(s) for s in sentences]
    token_lists = [t for t in token_lists if t]
    joined = " ".join(" ".join(t) for t in token_lists)
    if _NOTHING.match(joined):
        return RuleScore(0.25, 0.25, 0.0, 1, 1.0)
    if _EVERYTHING.match(joined):
        return RuleScore(0.3, 0.3, 0.0, 1, 1.0)
    if not token_lists or _EMPTY.match(joined):
        return RuleScore(0.0, 0.0, 0.0, len(token_lists), -1.0)
    scores = [score_sentence(tokens, lex) for tokens in token_lists]
    pos_mass = sum(s for s in scores if s > 0)
    neg_mass = -sum(s for s in scores if s < 0)
    scored = [s for s in scores if s != 0.0]
    polarity = sum(scored) / len(scored) if scored else 0.0
    return RuleScore(polarity, pos_mass, neg_mass, len(token_lists), 0.0)
