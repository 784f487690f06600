"""Changing a questionnaire's words without a developer: always a new version, never a
change to one that has answers, checked exactly as ``heard questionnaires validate``
checks a file, and written as ``<id>.v<version>.yaml`` beside the others.

What can be changed here: a question's text and help, whether it is optional, and the
labels of its answers. Structure (pages, routing, answer types, adding or removing a
question) stays in the YAML file: answers from two versions are compared by question id
and answer value, so those are never changed by an edit of the words.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .i18n import messages
from .loader import build
from .model import Questionnaire


@dataclass(frozen=True)
class Editable:
    """One question as the edit form shows it."""

    page: str
    id: str
    type: str
    text: str
    help: str
    optional: bool
    options: tuple[tuple[str, str], ...]  # (value, label)


def raw_of(questionnaire: Questionnaire) -> dict[str, Any]:
    """The questionnaire's file as data (its YAML, exactly as written)."""
    data = yaml.safe_load(Path(questionnaire.source).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{questionnaire.source} is not a questionnaire file")
    return data


def _questions(raw: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for page in raw.get("pages", []):
        for question in page.get("questions", []):
            yield str(page.get("id", "")), question


def editable(raw: Mapping[str, Any]) -> list[Editable]:
    return [
        Editable(
            page=page,
            id=str(q["id"]),
            type=str(q.get("type", "")),
            text=str(q.get("text", "")),
            help=str(q.get("help", "")),
            optional=bool(q.get("optional", False)),
            options=tuple(
                (str(o.get("value")), str(o.get("label", ""))) for o in q.get("options", [])
            ),
        )
        for page, q in _questions(raw)
    ]


def apply(raw: Mapping[str, Any], edits: Mapping[str, str]) -> dict[str, Any]:
    """A new version: ``raw`` with the edits made and the version one higher.

    ``edits`` holds ``<question>.text``, ``<question>.help``, ``<question>.optional``
    (present means optional) and ``<question>.option.<value>`` for each question shown.
    """
    new: dict[str, Any] = copy.deepcopy(dict(raw))
    new["version"] = int(new.get("version", 0)) + 1
    for _page, question in _questions(new):
        key = str(question["id"])
        if f"{key}.text" not in edits:
            continue  # not on the form: left as it was
        question["text"] = edits[f"{key}.text"].strip()
        help_text = edits.get(f"{key}.help", "").strip()
        if help_text:
            question["help"] = help_text
        else:
            question.pop("help", None)
        if f"{key}.optional" in edits:
            question["optional"] = True
        else:
            question.pop("optional", None)
        for option in question.get("options", []):
            label = edits.get(f"{key}.option.{option.get('value')}")
            if label is not None:
                option["label"] = label.strip()
    return new


def same_words(new: Mapping[str, Any], old: Mapping[str, Any]) -> bool:
    """True when ``new`` differs from ``old`` in nothing but its version number."""
    return {**new, "version": None} == {**old, "version": None}


def check(new: Mapping[str, Any]) -> Questionnaire:
    """Every check ``heard questionnaires validate`` makes; raises QuestionnaireError."""
    return build(new, f"{new.get('id')} version {new.get('version')}")


def save(directory: Path, new: Mapping[str, Any]) -> Path:
    """Write the new version's file; FileExistsError if someone saved that version first."""
    path = directory / f"{new['id']}.v{new['version']}.yaml"
    text = yaml.safe_dump(dict(new), allow_unicode=True, sort_keys=False, width=100)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def untranslated(questionnaire: Questionnaire, catalogue: Mapping[str, str]) -> list[str]:
    """The questionnaire's words that have no translation in ``catalogue``."""
    seen: list[str] = []
    for text, _where in messages(questionnaire):
        if text and not catalogue.get(text) and text not in seen:
            seen.append(text)
    return seen
