"""Which pages and questions a person sees, given the answers so far."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import Condition, Page, Question, Questionnaire

Answers = Mapping[str, Any]


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def holds(condition: Condition, answers: Answers) -> bool:
    """Evaluate a condition; an unanswered question never matches a value."""
    if condition.all_of:
        return all(holds(c, answers) for c in condition.all_of)
    if condition.any_of:
        return any(holds(c, answers) for c in condition.any_of)
    value = answers.get(condition.question or "")
    present = value not in (None, "", [])
    if condition.answered is not None:
        return present == condition.answered
    if not present:
        return False
    if condition.includes is not None:
        return isinstance(value, list) and condition.includes in value
    text = _as_text(value)
    if condition.equals is not None:
        return text == _as_text(condition.equals)
    if condition.in_ is not None:
        return text in {_as_text(v) for v in condition.in_}
    if condition.not_in is not None:
        return text not in {_as_text(v) for v in condition.not_in}
    return False


def shown(node: Page | Question, answers: Answers) -> bool:
    return node.when is None or holds(node.when, answers)


def visible_pages(questionnaire: Questionnaire, answers: Answers) -> list[Page]:
    return [p for p in questionnaire.pages if shown(p, answers)]


def visible_questions(page: Page, answers: Answers) -> list[Question]:
    return [q for q in page.questions if shown(q, answers)]


def next_page(questionnaire: Questionnaire, current: str, answers: Answers) -> Page | None:
    pages = visible_pages(questionnaire, answers)
    ids = [p.id for p in pages]
    if current not in ids:
        return pages[0] if pages else None
    index = ids.index(current)
    return pages[index + 1] if index + 1 < len(pages) else None


def previous_page(questionnaire: Questionnaire, current: str, answers: Answers) -> Page | None:
    pages = visible_pages(questionnaire, answers)
    ids = [p.id for p in pages]
    if current not in ids:
        return None
    index = ids.index(current)
    return pages[index - 1] if index > 0 else None


def relevant_answers(questionnaire: Questionnaire, answers: Answers) -> dict[str, Any]:
    """Keep only answers to questions that are still shown.

    Routing can change after a person goes back and changes an earlier answer; answers
    to questions they can no longer see must not be submitted.
    """
    kept: dict[str, Any] = {}
    for page in questionnaire.pages:
        if not shown(page, kept):
            continue
        for question in page.questions:
            if shown(question, kept) and question.id in answers:
                kept[question.id] = answers[question.id]
    return kept


def _blank(value: Any) -> bool:
    """Unanswered. Not ``in (None, "", [], False)``: ``0 == False`` would make a 0 on a
    scale, or 0 homes, count as no answer."""
    return value is None or value is False or value == "" or value == []


def missing_required(questionnaire: Questionnaire, answers: Answers) -> list[Question]:
    """Required questions that are shown but not answered, in questionnaire order."""
    kept = relevant_answers(questionnaire, answers)
    missing = []
    for page in visible_pages(questionnaire, kept):
        for question in visible_questions(page, kept):
            if not question.optional and _blank(kept.get(question.id)):
                missing.append(question)
    return missing


def first_incomplete_page(questionnaire: Questionnaire, answers: Answers) -> Page | None:
    missing = missing_required(questionnaire, answers)
    if not missing:
        return None
    page_id = questionnaire.page_of_question[missing[0].id]
    return questionnaire.page(page_id)


def _asks(condition: Condition) -> set[str]:
    """The questions a condition looks at."""
    asked = {condition.question} if condition.question else set()
    for part in (*(condition.all_of or ()), *(condition.any_of or ())):
        asked |= _asks(part)
    return asked


def progress(questionnaire: Questionnaire, page_id: str, answers: Answers) -> tuple[int, int]:
    """(number of this page, number of pages) among the pages this person may see.

    A follow-up page that hangs on a question not yet reached is counted already, so the
    count never grows as follow-ups appear ("of 25" becoming "of 27"); it only falls when
    an answer rules pages out.
    """
    ids = [p.id for p in questionnaire.pages]
    here = ids.index(page_id) if page_id in ids else 0
    reached = {q.id for p in questionnaire.pages[:here] for q in p.questions}
    counted = [
        p
        for p in questionnaire.pages
        if p.when is None or not _asks(p.when) <= reached or holds(p.when, answers)
    ]
    position = sum(1 for p in counted if ids.index(p.id) < here) + 1
    return position, len(counted)
