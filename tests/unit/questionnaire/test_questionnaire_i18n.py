"""Questionnaire text goes through the same .po tools as the interface: the Babel extractor
finds every string a respondent can see, and a translated questionnaire keeps its ids,
values and rules while each untranslated string stays in English."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from survey.questionnaire import load_file
from survey.questionnaire.i18n import extract, messages, translate
from survey.questionnaire.model import DEFAULT_FACES, YES_NO_SOMETIMES

ROOT = Path(__file__).resolve().parents[3]
FILES = sorted((ROOT / "questionnaires").glob("*.yaml")) + sorted(
    (ROOT / "questionnaires" / "examples").glob("*.yaml")
)
#: Keys whose values a respondent reads. Everything else (ids, values, types) is not text.
TEXT_KEYS = {"title", "description", "privacy", "intro", "text", "help", "statement",
             "min_label", "max_label", "label", "hint"}  # fmt: skip


def shown_text(node: Any, key: str | None = None) -> set[str]:
    """Every user-facing string in the raw YAML, found without the loader."""
    found: set[str] = set()
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "messages":
                found |= set(v.values())
            elif k == "labels":
                found |= set(v.values() if isinstance(v, dict) else v)
            elif k in TEXT_KEYS and isinstance(v, str):
                found.add(v)
            else:
                found |= shown_text(v, k)
        if node.get("type") == "faces" and "labels" not in node:
            found |= {label for _, label in DEFAULT_FACES}
        if node.get("type") == "yes_no_sometimes":
            custom = node.get("labels", {})
            found |= {label for value, label in YES_NO_SOMETIMES if value not in custom}
    elif isinstance(node, list):
        for item in node:
            found |= shown_text(item, key)
    return found


def extracted(path: Path) -> set[str]:
    method = "survey.questionnaire.i18n:extract"
    return {message for _, message, _, _ in extract_from_file(method, str(path))}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_the_extractor_finds_every_string_a_respondent_reads(path):
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw.pop("reading_level", None)  # a note for staff, never shown to respondents
    assert extracted(path) == shown_text(raw)


def test_each_message_says_where_it_is():
    path = ROOT / "questionnaires" / "cic-wellbeing-4-7.yaml"
    with path.open("rb") as handle:
        found = list(extract(handle, {}, [], {}))
    notes = {message: comments[0] for _, _, message, comments in found}
    assert notes["Girl"] == "page about-the-child, question gender, option girl: label"
    assert notes["Select who is answering the questions"].endswith("message required")


def test_committed_questionnaire_templates_are_current(tmp_path):
    """`make i18n-extract` must be run after changing a questionnaire's text."""
    stale = []
    versions: dict[str, set[str]] = {}  # one catalogue per id, from every version of it
    for path in sorted((ROOT / "questionnaires").glob("*.yaml")):
        questionnaire_id = re.sub(r"\.v\d+$", "", path.stem)
        versions.setdefault(questionnaire_id, set()).update(extracted(path))
    for questionnaire_id, wanted in sorted(versions.items()):
        pot = ROOT / "questionnaires" / "translations" / questionnaire_id / "messages.pot"
        if not pot.exists():
            stale.append(f"{questionnaire_id}: no messages.pot")
            continue
        with pot.open("rb") as handle:
            committed = {m.id for m in read_po(handle) if m.id}
        if committed != wanted:
            stale.append(questionnaire_id)
    assert stale == [], "run `make i18n-extract`"


def test_pybabel_uses_the_extractor_through_the_mapping_file(tmp_path):
    target = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
         "questionnaires/babel.cfg", "-o", str(target), "questionnaires/cp-conference-child.yaml"],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with target.open("rb") as handle:
        ids = {m.id for m in read_po(handle) if m.id}
    assert "Tell us about the meeting about you" in ids


def test_a_translation_changes_text_only():
    original = load_file(ROOT / "questionnaires" / "cic-wellbeing-8-11.yaml")
    catalogue = {"Yes": "Tak", "Your life, your say": "Twoje życie, twoje zdanie"}
    polish = translate(original, lambda text: catalogue.get(text, text))
    assert polish.title == "Twoje życie, twoje zdanie"
    pets = polish.question("pets")
    assert pets is not None and [o.label for o in pets.options][:2] == ["Tak", "No"]
    assert [p.id for p in polish.pages] == [p.id for p in original.pages]
    for question_id, question in original.questions_by_id.items():
        other = polish.questions_by_id[question_id]
        assert [o.value for o in other.options] == [o.value for o in question.options]
        assert (other.type, other.when, other.optional) == (
            question.type,
            question.when,
            question.optional,
        )
    assert polish.page_of_question == original.page_of_question


def test_every_text_is_looked_up():
    original = load_file(ROOT / "questionnaires" / "compliments-complaints.yaml")
    shouted = translate(original, str.upper)
    for text, where in messages(shouted):
        assert text == text.upper(), where


def test_the_core_stays_free_of_flask():
    source = (ROOT / "survey" / "questionnaire" / "i18n.py").read_text()
    assert "flask" not in source.lower().replace("flask-free", "")


def test_read_catalogue_skips_fuzzy_and_empty(tmp_path):
    from survey.questionnaire.i18n import read_catalogue

    po = tmp_path / "pl.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Yes"\nmsgstr "Tak"\n\n#, fuzzy\nmsgid "No"\nmsgstr "Nie?"\n\n'
        'msgid "Sometimes"\nmsgstr ""\n',
        encoding="utf-8",
    )
    assert read_catalogue(po) == {"Yes": "Tak"}
