"""Load questionnaire files: JSON Schema for shape, then Python checks for meaning.

A file that fails either layer is refused whole with every problem listed (file, path
inside it, what is wrong), so a questionnaire is never half-loaded into a live service.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from survey.paths import QUESTIONNAIRES

from .model import (
    DEFAULT_FACES,
    YES_NO_SOMETIMES,
    Condition,
    Option,
    Page,
    Question,
    Questionnaire,
)

SCHEMA_DIR = QUESTIONNAIRES / "schema"
SCHEMA_ID = "https://schema.heard.invalid/questionnaire.json"


class QuestionnaireError(ValueError):
    """A questionnaire file that cannot be used; ``problems`` lists every reason."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@cache
def _validator(schema_dir: Path = SCHEMA_DIR) -> Draft202012Validator:
    resources = []
    for path in sorted(schema_dir.rglob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    registry: Registry[Any] = Registry().with_resources(resources)
    root = registry.contents(SCHEMA_ID)
    return Draft202012Validator(root, registry=registry)


def _where(path: Iterable[Any]) -> str:
    parts = [f"[{p}]" if isinstance(p, int) else f".{p}" for p in path]
    return ("$" + "".join(parts)) if parts else "$"


def _schema_problems(data: Any) -> list[str]:
    problems = []
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path)))
    for error in errors:
        # if/then dispatch reports on the parent; the deepest error is the useful one.
        leaf = min(error.context, key=lambda e: -len(e.path)) if error.context else error
        problems.append(f"{_where(leaf.absolute_path)}: {leaf.message}")
    return problems


def _condition(raw: Mapping[str, Any]) -> Condition:
    return Condition(
        question=raw.get("question"),
        equals=raw.get("equals"),
        in_=tuple(raw["in"]) if "in" in raw else None,
        not_in=tuple(raw["not_in"]) if "not_in" in raw else None,
        includes=raw.get("includes"),
        answered=raw.get("answered"),
        all_of=tuple(_condition(c) for c in raw.get("all", ())),
        any_of=tuple(_condition(c) for c in raw.get("any", ())),
    )


def _options(raw: Mapping[str, Any]) -> tuple[Option, ...]:
    kind = raw["type"]
    if kind == "faces":
        labels = raw.get("labels") or [label for _, label in DEFAULT_FACES]
        return tuple(Option(v, lbl) for (v, _), lbl in zip(DEFAULT_FACES, labels, strict=True))
    if kind == "yes_no_sometimes":
        custom = raw.get("labels", {})
        icons = bool(raw.get("icons", False))  # the icons are named after the values
        return tuple(
            Option(v, custom.get(v, lbl), icon=v if icons else None) for v, lbl in YES_NO_SOMETIMES
        )
    if kind == "scale":
        return tuple(Option(str(n), str(n)) for n in range(11))
    return tuple(
        Option(o["value"], o["label"], o.get("hint"), bool(o.get("exclusive")), o.get("icon"))
        for o in raw.get("options", ())
    )


def _question(raw: Mapping[str, Any]) -> Question:
    kind = raw["type"]
    bounds = (0.0, 10.0) if kind == "scale" else (raw.get("min"), raw.get("max"))
    return Question(
        id=raw["id"],
        type=kind,
        text=raw["text"],
        help=raw.get("help"),
        optional=bool(raw.get("optional", False)),
        when=_condition(raw["when"]) if "when" in raw else None,
        options=_options(raw),
        max_length=raw.get("max_length"),
        min_value=bounds[0],
        max_value=bounds[1],
        min_label=raw.get("min_label"),
        max_label=raw.get("max_label"),
        integer=bool(raw.get("integer", True)),
        multiline=bool(raw.get("multiline", True)),
        sensitive=bool(raw.get("sensitive", kind == "free_text")),
        messages=tuple(sorted(raw.get("messages", {}).items())),
        statement=raw.get("statement"),
        past_only=bool(raw.get("past_only", False)),
        flag=tuple(sorted((str(k), str(v)) for k, v in (raw.get("flag") or {}).items())),
        kept_apart=bool(raw.get("kept_apart", False)),
        format=raw.get("format"),
    )


def build(data: Mapping[str, Any], source: str = "<data>") -> Questionnaire:
    """Validate parsed YAML and return the questionnaire, or raise QuestionnaireError."""
    problems = _schema_problems(data)
    if problems:
        raise QuestionnaireError(source, problems)
    pages = tuple(
        Page(
            id=p["id"],
            title=p["title"],
            intro=p.get("intro"),
            when=_condition(p["when"]) if "when" in p else None,
            questions=tuple(_question(q) for q in p["questions"]),
        )
        for p in data["pages"]
    )
    questionnaire = Questionnaire(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        audience=data["audience"],
        age_band=data.get("age_band"),
        languages=tuple(data["languages"]),
        reading_level=data["reading_level"],
        description=data["description"],
        privacy=data["privacy"],
        minutes=data["minutes"],
        kind=data.get("kind", "survey"),
        easy_read_of=data.get("easy_read_of"),
        pages=pages,
        source=source,
        questions_by_id={q.id: q for p in pages for q in p.questions},
        page_of_question={q.id: p.id for p in pages for q in p.questions},
    )
    from .checks import meaning_problems  # noqa: PLC0415 - avoids a cycle with checks

    problems = meaning_problems(questionnaire)
    if problems:
        raise QuestionnaireError(source, problems)
    return questionnaire


def load_file(path: Path) -> Questionnaire:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise QuestionnaireError(str(path), [f"cannot be read: {error}"]) from error
    except yaml.YAMLError as error:
        raise QuestionnaireError(str(path), [f"is not valid YAML: {error}"]) from error
    if not isinstance(data, dict):
        raise QuestionnaireError(str(path), ["$: must be a mapping of questionnaire fields"])
    return build(data, str(path))


def load_directory(directory: Path) -> dict[tuple[str, int], Questionnaire]:
    """Load every ``*.yaml`` in ``directory`` (not below it); all must be valid."""
    found: dict[tuple[str, int], Questionnaire] = {}
    problems: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            questionnaire = load_file(path)
        except QuestionnaireError as error:
            problems.extend(f"{error.source}: {p}" for p in error.problems)
            continue
        key = (questionnaire.id, questionnaire.version)
        if key in found:
            problems.append(
                f"{path}: id {key[0]!r} version {key[1]} is also in {found[key].source}"
            )
        found[key] = questionnaire
    if problems:
        raise QuestionnaireError(str(directory), problems)
    return found
