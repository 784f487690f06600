"""Questionnaire text in other languages, kept with the questionnaire data.

Each questionnaire has its own gettext catalogue beside its YAML
(``questionnaires/translations/<id>/<lang>.po``), filled by :func:`extract`, a Babel
extraction method, so translators use the same .po tools as for the interface. At run time
:func:`translate` returns a copy of the questionnaire with every user-facing string looked
up through a gettext-like callable; a string nobody has translated stays in English.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import yaml

from .model import Option, Question, Questionnaire

Gettext = Callable[[str], str]

#: Where each questionnaire's catalogues live, relative to the questionnaire folder.
TRANSLATIONS = "translations"


def messages(questionnaire: Questionnaire) -> Iterator[tuple[str, str]]:
    """Every string a respondent can see, with where it is (a note for translators).

    Labels the loader supplies (the faces, yes/no/sometimes) are included because they are
    shown; the numbers of a 0 to 10 scale are not words and are left out.
    """
    yield questionnaire.title, "title"
    yield questionnaire.description, "description"
    yield questionnaire.privacy, "privacy"
    for page in questionnaire.pages:
        where = f"page {page.id}"
        yield page.title, f"{where}: title"
        if page.intro:
            yield page.intro, f"{where}: intro"
        for question in page.questions:
            yield from _question_messages(question, f"{where}, question {question.id}")


def _question_messages(question: Question, where: str) -> Iterator[tuple[str, str]]:
    yield question.text, f"{where}: text"
    for name in ("help", "statement", "min_label", "max_label"):
        value = getattr(question, name)
        if value:
            yield value, f"{where}: {name}"
    if question.type != "scale":
        for option in question.options:
            yield option.label, f"{where}, option {option.value}: label"
            if option.hint:
                yield option.hint, f"{where}, option {option.value}: hint"
    for key, message in question.messages:
        yield message, f"{where}: message {key}"


def translate(questionnaire: Questionnaire, gettext: Gettext) -> Questionnaire:
    """A copy of ``questionnaire`` in another language; ids, values and rules unchanged."""

    def text(value: str | None) -> str | None:
        return gettext(value) if value else value

    def option(o: Option) -> Option:
        return replace(o, label=gettext(o.label), hint=text(o.hint))

    def question(q: Question) -> Question:
        return replace(
            q,
            text=gettext(q.text),
            help=text(q.help),
            statement=text(q.statement),
            min_label=text(q.min_label),
            max_label=text(q.max_label),
            options=q.options if q.type == "scale" else tuple(option(o) for o in q.options),
            messages=tuple((key, gettext(m)) for key, m in q.messages),
        )

    pages = tuple(
        replace(
            p,
            title=gettext(p.title),
            intro=text(p.intro),
            questions=tuple(question(q) for q in p.questions),
        )
        for p in questionnaire.pages
    )
    return replace(
        questionnaire,
        title=gettext(questionnaire.title),
        description=gettext(questionnaire.description),
        privacy=gettext(questionnaire.privacy),
        pages=pages,
        questions_by_id={q.id: q for p in pages for q in p.questions},
        page_of_question={q.id: p.id for p in pages for q in p.questions},
    )


def read_catalogue(path: Path) -> dict[str, str]:
    """The translated messages of one .po file; fuzzy and empty entries are left out so
    that a guess nobody has checked is never shown to a child."""
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalogue = read_po(handle)
    found: dict[str, str] = {}
    for message in catalogue:
        if message.id and isinstance(message.id, str) and message.string and not message.fuzzy:
            found[message.id] = str(message.string)
    return found


def catalogue_path(directory: Path, questionnaire_id: str, language: str) -> Path:
    return directory / TRANSLATIONS / questionnaire_id / f"{language}.po"


def extract(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: dict[str, Any]
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel extraction method for questionnaire YAML files.

    Used from ``questionnaires/babel.cfg`` as ``survey.questionnaire.i18n:extract``. The
    file is loaded and checked as the service would load it, so the loader's own labels
    are found too and a broken file fails loudly instead of yielding half its text.
    """
    from .loader import build

    source = fileobj.read().decode("utf-8")
    name = str(getattr(fileobj, "name", "<questionnaire>"))
    questionnaire = build(yaml.safe_load(source), name)
    lines = source.splitlines()
    for message, where in messages(questionnaire):
        yield _line_of(lines, message), None, message, [where]


def _line_of(lines: list[str], message: str) -> int:
    """The first line holding the start of ``message`` (1-based), for the .pot reference."""
    start = message.split("\n", 1)[0][:40]
    for number, line in enumerate(lines, 1):
        if start in line:
            return number
    return 1
