"""Themes: the shipped taxonomy, its phrase rules, and a model that learns and saves."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from analysis.taxonomy import parse_taxonomy
from analysis.themes import ThemeModel, load_taxonomy

QA_THEMES = {
    "communication",
    "timeliness",
    "listening",
    "roles",
    "worker_changes",
    "family_contact",
    "home_placement",
    "safety",
    "education",
    "health_wellbeing",
    "rights_advocacy",
    "money_housing",
    "meetings",
    "respect_sensitivity",
    "activities",
    "independence",
}


def test_default_taxonomy_has_the_qa_groups_themes_in_plain_words() -> None:
    themes = load_taxonomy()
    assert {t.id for t in themes} == QA_THEMES
    for theme in themes:
        assert theme.name and theme.name[0].isupper() and "_" not in theme.name
        assert len(theme.description) > 20
        assert len(theme.phrases) >= 3


@pytest.mark.parametrize(
    ("theme_id", "phrase"),
    [(t.id, p) for t in load_taxonomy() for p in t.phrases],
)
def test_every_example_phrase_is_tagged_with_its_theme(theme_id: str, phrase: str) -> None:
    assert theme_id in ThemeModel().predict([phrase])[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my sw never rings me back", "communication"),
        ("Ive had 6 social workers in 2 years", "worker_changes"),
        ("i want to see my brother more", "family_contact"),
        ("i dont feel safe at my foster carers", "safety"),
        ("the minutes came months later", "timeliness"),
        ("nobody asked what i wanted", "listening"),
    ],
)
def test_untrained_model_tags_childrens_wording(text: str, expected: str) -> None:
    assert expected in ThemeModel().predict([text])[0]


def test_plain_praise_gets_no_theme() -> None:
    assert ThemeModel().predict(["thank you"]) == [[]]


def test_parse_taxonomy_rejects_duplicate_ids() -> None:
    data = {"themes": [{"id": "a", "name": "A"}, {"id": "a", "name": "B"}]}
    with pytest.raises(ValueError, match="duplicate theme ids"):
        parse_taxonomy(data)


def _labelled(n: int, seed: int = 1) -> tuple[list[str], list[list[str]]]:
    """A made-up service with its own label set, unknown to the taxonomy."""
    rng = random.Random(seed)
    topics = {
        "portal": ["the online portal", "the app login", "the website form"],
        "transport": ["the taxi to school", "the minibus", "bus passes"],
        "food": ["the meals", "the food at the home", "dinner"],
    }
    moods = ["was rubbish", "was great", "keeps breaking", "is fine", "needs sorting"]
    texts, labels = [], []
    for _ in range(n):
        chosen = rng.sample(sorted(topics), rng.choice([1, 1, 2]))
        parts = [f"{rng.choice(topics[c])} {rng.choice(moods)}" for c in chosen]
        texts.append(" and ".join(parts))
        labels.append(chosen)
    return texts, labels


def test_fit_learns_a_new_label_set_and_keeps_rule_only_themes() -> None:
    texts, labels = _labelled(240)
    model = ThemeModel(folds=3).fit(texts, labels)
    assert model.trained and model.labels == ["food", "portal", "transport"]
    predicted = model.predict(["the app login keeps breaking", "the minibus was late"])
    assert "portal" in predicted[0]
    assert "transport" in predicted[1]
    assert "timeliness" in predicted[1]  # not in the training labels: the rules still tag it


def test_fit_copes_with_a_theme_missing_from_a_cross_validation_fold() -> None:
    texts, labels = _labelled(60)
    texts.append("the homework club is closing")
    labels.append(["homework"])
    model = ThemeModel(min_examples=1, folds=3).fit(texts, labels)
    assert "homework" in model.labels


def test_fit_needs_enough_examples() -> None:
    with pytest.raises(ValueError, match="no theme has"):
        ThemeModel().fit(["one comment"], [["rare"]])


def test_save_and_load_round_trip_without_pickle(tmp_path: Path) -> None:
    texts, labels = _labelled(150)
    model = ThemeModel(folds=3).fit(texts, labels)
    path = tmp_path / "themes.json"
    model.save(path)
    assert json.loads(path.read_text())["format"] == "heard-themes/1"
    with np.load(tmp_path / "themes.json.npz", allow_pickle=False) as arrays:
        assert arrays["coef"].shape[0] == 3
    loaded = ThemeModel.load(path)
    probe = ["the website form was rubbish", "dinner is fine", "my sw never rings me back"]
    assert loaded.predict(probe) == model.predict(probe)
    assert [t.id for t in loaded.taxonomy] == [t.id for t in model.taxonomy]


def test_untrained_model_round_trips(tmp_path: Path) -> None:
    ThemeModel().save(tmp_path / "t.json")
    loaded = ThemeModel.load(tmp_path / "t.json")
    assert not loaded.trained
    assert loaded.predict(["i miss my nan"]) == [["family_contact"]]


def test_saved_settings_keep_the_cross_validated_defaults(tmp_path: Path) -> None:
    texts, labels = _labelled(90)
    model = ThemeModel(folds=3).fit(texts, labels)
    model.save(tmp_path / "m.json")
    params = json.loads((tmp_path / "m.json").read_text())["params"]
    assert (params["C"], params["shrink"]) == (8.0, 5.0)
    assert ThemeModel.load(tmp_path / "m.json").C == 8.0


def test_nhs_v6_categories_map_onto_default_theme_ids_only() -> None:
    from analysis.heads import V6_FOR, V6_THEMES, v6_labels

    ids = [t.id for t in load_taxonomy()]
    assert set(V6_THEMES.values()) <= set(ids)
    assert set(V6_FOR) <= set(V6_THEMES.values())
    labels = v6_labels([["Timeliness of care", "Parking"], ["Parking"], []], ids)
    assert labels.shape == (3, len(ids))
    assert labels[0, ids.index("timeliness")] == 1 and labels.sum() == 1
