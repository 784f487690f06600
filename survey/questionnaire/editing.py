"""Changing a questionnaire's words without a developer: always a new version, never a
change to one that has answers, checked exactly as ``heard questionnaires validate``
checks a file, and written as ``<id>.v<version>.yaml`` beside the others.

What can be changed here: a question's text and help, whether it is optional, and the
labels of its answers; a question can be removed, and one added to a page (free text, one
or several choices, yes/no/sometimes). Structure (pages, routing, the answer types of
existing questions, other types of question) stays in the YAML file: answers from two
versions are compared by question id and answer value, so an edit never changes those of
a question that stays, and an added question gets an id of its own.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from survey.text import strip_control

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


#: The types of question that can be added in the browser; the rest need the YAML file.
ADDABLE = ("free_text", "single_choice", "multiple_choice", "yes_no_sometimes")
CHOICES = ("single_choice", "multiple_choice")
NEW = "_new."  # the prefix of the fields that add a question (no question id has "_")
REMOVE = "._remove"  # the suffix of a question's "remove it" box


_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")


def clean(text: str) -> str:
    """Typed words without control characters or invisible zero-width ones, trimmed: a
    question made of nothing visible is an empty question."""
    return _INVISIBLE.sub("", strip_control(text)).strip()


def added_problems(raw: Mapping[str, Any], edits: Mapping[str, str]) -> list[tuple[str, str]]:
    """What is wrong with the "add a question" fields before any check runs: a page or an
    answer type not offered (a forged form), a choice without two different answers. Each
    problem is (field, message key): ``page``, ``type``, ``few``, ``same``."""
    if not clean(edits.get(f"{NEW}text", "")):
        return []
    problems = []
    pages = [str(page.get("id", "")) for page in raw.get("pages", [])]
    if edits.get(f"{NEW}page", "") not in pages:
        problems.append((f"{NEW}page", "page"))
    kind = edits.get(f"{NEW}type", "")
    if kind not in ADDABLE:
        problems.append((f"{NEW}type", "type"))
    if kind in CHOICES:
        labels = [clean(line) for line in edits.get(f"{NEW}options", "").splitlines()]
        labels = [label for label in labels if label]
        if len(labels) < 2:
            problems.append((f"{NEW}options", "few"))
        elif len({label.casefold().rstrip("!?.") for label in labels}) < len(labels):
            problems.append((f"{NEW}options", "same"))
    return problems


def orphaned(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(removed question, the question it follows) for each removed question that was asked
    only after a given answer to one that stays: that answer would now lead nowhere ("How
    should we contact you? By email" with the email address question gone)."""
    kept = question_ids(new)
    found = []
    for _page, question in _questions(old):
        when = question.get("when")
        parent = str(when.get("question", "")) if isinstance(when, dict) else ""
        if str(question["id"]) not in kept and parent in kept:
            found.append((str(question["id"]), parent))
    return found


def _slug(text: str, taken: set[str], fallback: str) -> str:
    """An id from the first words of ``text`` (a-z, 0-9 and dashes), not one of ``taken``."""
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()[:6]
    base = "-".join(words)[:50].strip("-") or fallback
    found, n = base, 2
    while found in taken:
        found, n = f"{base}-{n}", n + 1
    return found


def question_ids(raw: Mapping[str, Any]) -> set[str]:
    """The ids of every question in the file."""
    return {str(q["id"]) for _page, q in _questions(raw)}


def added_question(
    raw: Mapping[str, Any], edits: Mapping[str, str]
) -> tuple[str, dict[str, Any]] | None:
    """The page id and the question that the "add a question" fields describe, if any."""
    text = clean(edits.get(f"{NEW}text", ""))
    if not text:
        return None
    kind = edits.get(f"{NEW}type", "free_text")
    question: dict[str, Any] = {
        "id": _slug(text, question_ids(raw), "question"),
        "type": kind if kind in ADDABLE else "free_text",
        "text": text,
    }
    if help_text := clean(edits.get(f"{NEW}help", "")):
        question["help"] = help_text
    if f"{NEW}optional" in edits:
        question["optional"] = True
    if question["type"] == "free_text":
        question["max_length"] = 1000
        question["multiline"] = True
    if question["type"] in CHOICES:
        labels = [clean(line) for line in edits.get(f"{NEW}options", "").splitlines()]
        values: set[str] = set()
        question["options"] = []
        for label in filter(None, labels):
            value = _slug(label, values, "answer")
            values.add(value)
            question["options"].append({"value": value, "label": label})
    pages = [str(page.get("id", "")) for page in raw.get("pages", [])]
    page = edits.get(f"{NEW}page", "")
    return (page if page in pages else pages[-1] if pages else ""), question


def apply(raw: Mapping[str, Any], edits: Mapping[str, str]) -> dict[str, Any]:
    """A new version: ``raw`` with the edits made and the version one higher.

    ``edits`` holds ``<question>.text``, ``<question>.help``, ``<question>.optional``
    (present means optional) and ``<question>.option.<value>`` for each question shown;
    ``<question>._remove`` to remove it; ``_new.text``, ``_new.type``, ``_new.page``,
    ``_new.help``, ``_new.optional`` and ``_new.options`` (one answer a line) to add one.
    """
    new = reworded(raw, edits)
    removed = {k[: -len(REMOVE)] for k in edits if k.endswith(REMOVE)}
    for page in new.get("pages", []):
        if removed and "questions" in page:
            page["questions"] = [q for q in page["questions"] if str(q["id"]) not in removed]
    added = added_question(new, edits)
    if added is not None:
        for page in new.get("pages", []):
            if str(page.get("id", "")) == added[0]:
                page.setdefault("questions", []).append(added[1])
    return new


def reworded(raw: Mapping[str, Any], edits: Mapping[str, str]) -> dict[str, Any]:
    """``raw`` with only the words changed (and the version one higher): what the form
    shows again when a save is refused, with nothing removed or added yet."""
    new: dict[str, Any] = copy.deepcopy(dict(raw))
    new["version"] = int(new.get("version", 0)) + 1
    for _page, question in _questions(new):
        key = str(question["id"])
        if f"{key}.text" not in edits:
            continue  # not on the form: left as it was
        question["text"] = clean(edits[f"{key}.text"])
        help_text = clean(edits.get(f"{key}.help", ""))
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
                option["label"] = clean(label)
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
