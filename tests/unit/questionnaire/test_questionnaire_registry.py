"""Adding an answer type means a handler, a template partial and a schema file: the four
registries must name exactly the same types (STYLE.md convention 3)."""

from __future__ import annotations

import json
from pathlib import Path

from survey.forms import HANDLERS
from survey.questionnaire import ANSWER_TYPES

ROOT = Path(__file__).resolve().parents[3]


def test_answer_types_handlers_templates_and_schemas_agree():
    types = set(ANSWER_TYPES)
    templates = {p.stem for p in (ROOT / "templates" / "answers").glob("*.html")}
    templates -= {t for t in templates if t.startswith("_")}  # shared partials
    schemas = {p.stem for p in (ROOT / "questionnaires" / "schema" / "questions").glob("*.json")}
    schemas.discard("common")
    assert len(ANSWER_TYPES) == len(types)
    assert set(HANDLERS) == types
    assert templates == types
    assert schemas == types


def test_the_question_schema_dispatches_every_answer_type():
    schema = json.loads((ROOT / "questionnaires" / "schema" / "question.json").read_text())
    assert set(schema["properties"]["type"]["enum"]) == set(ANSWER_TYPES)
    dispatched = {rule["if"]["properties"]["type"]["const"] for rule in schema["allOf"]}
    assert dispatched == set(ANSWER_TYPES)
    for rule in schema["allOf"]:
        kind = rule["if"]["properties"]["type"]["const"]
        assert rule["then"]["$ref"] == f"questions/{kind}.json"
