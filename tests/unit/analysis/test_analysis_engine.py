"""``analyse``: the contract other parts of Heard rely on."""

from __future__ import annotations

import pytest

from analysis import Insight, analyse, engine
from analysis.sentiment import SentimentModel
from analysis.themes import ThemeModel


def test_one_insight_per_text_with_the_contracted_fields() -> None:
    texts = [
        "My social worker Sarah never rings me back",
        "I want to kill myself",
        "nothing was too much trouble",
        "",
    ]
    insights = analyse(texts)
    assert len(insights) == 4 and all(isinstance(i, Insight) for i in insights)
    first, flagged, praise, empty = insights
    assert first.sentiment == "negative" and -1 <= first.polarity < 0
    assert "communication" in first.themes
    assert "Sarah" not in first.redacted and "[NAME]" in first.redacted
    assert flagged.safeguarding is not None and flagged.safeguarding.category == "self_harm"
    assert praise.sentiment == "positive" and praise.safeguarding is None
    assert empty == Insight(0.0, "neutral", (), None, "", language="und")


def test_to_dict_is_json_ready() -> None:
    data = analyse(["I want to kill myself"])[0].to_dict()
    assert data["safeguarding"]["category"] == "self_harm"
    assert isinstance(data["themes"], list)


def test_trained_models_are_used_when_passed() -> None:
    texts = [f"the portal {w}" for w in ("is broken", "crashed", "is down", "fails")] * 3
    themes = ThemeModel(folds=2).fit(texts + ["lovely staff"] * 4, [["portal"]] * 12 + [[]] * 4)
    sentiment = SentimentModel().fit(
        ["spot on", "class", "dire", "grim"] * 3, ["positive"] * 6 + ["negative"] * 6
    )
    insight = analyse(["the portal is broken"], themes=themes, sentiment=sentiment)[0]
    assert "portal" in insight.themes


def test_large_batches_never_fork_while_the_encoder_is_loaded() -> None:
    # OpenMP's threads do not survive fork(): a forked worker using the encoder would hang.
    assert engine.encoder_available()
    assert engine._worker_count(100_000, 2) == 1


def test_parallel_and_serial_runs_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules-only engine (encoder not installed) still spreads big batches over CPUs."""
    import analysis.encoder

    monkeypatch.setattr(analysis.encoder, "_model", lambda: None)
    monkeypatch.setattr(engine, "PARALLEL_FROM", 100)
    monkeypatch.setattr(engine, "CHUNK", 60)
    texts = [f"comment {i}: my sw never rings me back, call 07700 900{i:03d}" for i in range(300)]
    assert engine._worker_count(len(texts), 2) == 2
    assert analyse(texts, workers=2) == analyse(texts, workers=1)


def test_a_disclosure_of_harm_now_is_never_scored_positive() -> None:
    from analysis import analyse

    (insight,) = analyse(["my stepdad hits me when mum is at work"])
    assert insight.safeguarding is not None and insight.safeguarding.level == "current"
    assert insight.sentiment == "negative" and insight.polarity < 0
