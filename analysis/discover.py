"""Emerging topics: what people write about that fits no theme yet.

A fixed theme list goes stale. Comments the theme model leaves untagged are clustered
with non-negative matrix factorisation over TF-IDF (deterministic, fast, and each topic
comes with readable top words), so a QA group can see "lots of comments about the new
online portal" and decide whether it deserves a theme of its own.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

from analysis.redact import redact
from analysis.text import normalise
from analysis.types import Insight, Topic

_WORD_RE = r"(?u)\b[a-z][a-z']+\b"
_EXTRA_STOP = frozenset(
    [
        "i'm",
        "i've",
        "don't",
        "didn't",
        "can't",
        "couldn't",
        "hasn't",
        "haven't",
        "isn't",
        "wasn't",
        "won't",
        "it's",
        "just",
        "really",
        "get",
        "got",
        "like",
        "thing",
        "things",
        "lot",
        "bit",
        "would",
        "could",
        "also",
        "one",
        "even",
        "still",
        "much",
    ]
)


def discover_topics(
    texts: Sequence[str],
    insights: Sequence[Insight] | None = None,
    n_topics: int = 6,
    min_size: int = 5,
    n_terms: int = 8,
    n_examples: int = 3,
    only_untagged: bool = True,
) -> list[Topic]:
    """Topics among comments (by default those with no theme), largest first.

    Topics smaller than ``min_size`` comments are dropped, both because they are noise
    and because a topic of two comments could point at the people who wrote them.
    Examples are redacted and never come from flagged answers.
    """
    if insights is not None and len(insights) != len(texts):
        raise ValueError("texts and insights differ in length")
    keep = [
        i
        for i in range(len(texts))
        if insights is None
        or ((not only_untagged or not insights[i].themes) and insights[i].safeguarding is None)
    ]
    if len(keep) < 2 * min_size:
        return []
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    docs = [texts[i] for i in keep]
    vec = TfidfVectorizer(
        preprocessor=normalise,
        token_pattern=_WORD_RE,
        stop_words=sorted(ENGLISH_STOP_WORDS | _EXTRA_STOP),
        ngram_range=(1, 2),
        min_df=2,
        max_df=0.5,
        sublinear_tf=True,
    )
    try:
        matrix = vec.fit_transform(docs)
    except ValueError:
        return []
    k = max(1, min(n_topics, len(docs) // min_size, matrix.shape[1] - 1))
    model = NMF(n_components=k, init="nndsvd", random_state=0, max_iter=400)
    with warnings.catch_warnings():  # tiny or repetitive input: topics are still usable
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = model.fit_transform(matrix)
    terms = np.array(vec.get_feature_names_out())
    owner = np.where(weights.max(axis=1) > 0, weights.argmax(axis=1), -1)
    topics = []
    for t in range(k):
        members = np.flatnonzero(owner == t)
        if len(members) < min_size:
            continue
        top = terms[np.argsort(-model.components_[t])[:n_terms]]
        best = members[np.argsort(-weights[members, t])[:n_examples]]
        examples = tuple(_quote(keep[i], texts, insights) for i in best)
        topics.append(Topic(tuple(str(x) for x in top), examples, int(len(members))))
    return sorted(topics, key=lambda topic: -topic.size)


def _quote(i: int, texts: Sequence[str], insights: Sequence[Insight] | None) -> str:
    return insights[i].redacted if insights is not None else redact(texts[i])
