"""Emerging topics among comments that fit no theme yet."""

from __future__ import annotations

import random

from analysis import analyse
from analysis.discover import discover_topics


def _comments() -> list[str]:
    rng = random.Random(3)
    portal = ["the new online portal", "the portal password", "logging into the portal"]
    vape = ["vaping in the toilets", "vapes at the bus stop", "everyone vaping outside"]
    tails = ["is a nightmare", "never works", "is annoying", "happens every day", "is silly"]
    out = [f"{rng.choice(portal)} {rng.choice(tails)}" for _ in range(15)]
    out += [f"{rng.choice(vape)} {rng.choice(tails)}" for _ in range(12)]
    out += ["thank you", "ok", "Call Sarah on 07700 900123 about the portal login"]
    return out


def test_untagged_comments_form_topics_with_terms_and_examples() -> None:
    texts = _comments()
    topics = discover_topics(texts, analyse(texts), n_topics=4, min_size=5)
    assert topics
    assert topics == sorted(topics, key=lambda t: -t.size)
    words = [" ".join(t.terms) for t in topics]
    assert any("portal" in w for w in words)
    assert any("vap" in w for w in words)
    for topic in topics:
        assert topic.size >= 5 and 1 <= len(topic.examples) <= 3


def test_examples_are_redacted() -> None:
    texts = _comments() + ["Ring Sarah on 07700 900124, the portal login is broken"] * 4
    topics = discover_topics(texts, n_topics=3, min_size=3)
    assert all("07700" not in e for t in topics for e in t.examples)


def test_too_few_comments_give_no_topics() -> None:
    assert discover_topics(["one", "two", "three"]) == []
