"""The safeguarding screen on every page save: a disclosure counts before "send".

A child may write that they are not safe on page 3 and close the browser on page 6. The
start page promises a safeguarding worker reads it the same working day, so each page save
runs the screen over that page's free-text answers to sensitive questions. A possible
current risk raises one flag per draft, marked "not sent yet", with a copy of the words
(the child may change them, or never send), and the lead is alerted at once. When the
response is sent, the flag moves onto it. Drafts are read for nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, update

from survey.extensions import db
from survey.models import Draft, SafeguardingFlag
from survey.questionnaire.model import Questionnaire

log = logging.getLogger(__name__)


def _current_risks(
    questionnaire: Questionnaire, answers: Mapping[str, Any], before: Mapping[str, Any]
) -> list[tuple[str, str, Any, str]]:
    """(question id, words, flag, language) for each changed answer that is a current risk."""
    from analysis.engine import screen

    found = []
    for question_id, value in answers.items():
        question = questionnaire.questions_by_id.get(question_id)
        if question is None or question.type != "free_text" or not question.sensitive:
            continue
        if not isinstance(value, str) or not value.strip() or before.get(question_id) == value:
            continue
        flag, language, _ = screen(value)
        if flag is not None and flag.level == "current":
            found.append((question_id, value, flag, language))
    return found


def screen_page(
    draft: Draft,
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    before: Mapping[str, Any],
) -> bool:
    """Screen one page's answers; True when a possible current risk was found (the next
    page offers help now). Never raises: the child's answers are already saved."""
    try:
        found = _current_risks(questionnaire, answers, before)
        if not found:
            return False
        flag = _raise(draft, found)
    except Exception:  # noqa: BLE001 - the flag is raised again at submit if it is sent
        db.session.rollback()
        log.exception("screening draft %s failed", draft.id)
        return False
    if flag is None:  # the same words the lead has already handled
        return True
    from survey.alerts.services import plan_new, start_delivery

    try:
        if plan_new([flag]):
            start_delivery()
    except Exception:  # noqa: BLE001 - the flag stands; ``heard alerts`` plans what was missed
        db.session.rollback()
        log.exception("alerts for draft flag %s not planned", flag.id)
    return True


def _raise(draft: Draft, found: list[tuple[str, str, Any, str]]) -> SafeguardingFlag | None:
    """One open flag per draft: a later page, or the same words saved again, joins it.

    A flag the lead has acknowledged is closed: new words raise a new flag (and a new
    alert), never a silent addition to a closed one. The same words saved again raise
    nothing (None).
    """
    flag = db.session.scalar(select(SafeguardingFlag).where(SafeguardingFlag.draft_id == draft.id))
    if flag is not None and flag.acknowledged_at is not None:
        if all(text in words_at(flag, question_id) for question_id, text, _, _ in found):
            return None
        flag.draft_id = None  # it keeps its words; the new flag takes the draft
        db.session.flush()
        flag = None
    first_id, _, first, language = found[0]
    if flag is None:
        flag = SafeguardingFlag(
            draft_id=draft.id,
            campaign_id=draft.campaign_id,
            question_id=first_id,
            question_ids=[],
            category=first.category,
            reason=first.reason,
            matched=[],
            level="current",
            language=language,
            unsent=True,
            draft_words={},
        )
        db.session.add(flag)
    words = {q: list(t) for q, t in (flag.draft_words or {}).items()}
    questions = list(flag.question_ids or [])
    matched = list(flag.matched or [])
    for question_id, text, screened, _ in found:
        if text not in words.setdefault(question_id, []):
            words[question_id].append(text)
        if question_id not in questions:
            questions.append(question_id)
        matched.extend(m for m in screened.matched if m not in matched)
        flag.reason = joined_reason(flag.reason, screened.reason)
    flag.draft_words, flag.question_ids, flag.matched = words, questions, matched
    if flag.level != "current":  # a sent response's lower flag cannot be on a live draft
        flag.level, flag.category = "current", first.category
    db.session.commit()
    return flag


def words_at(flag: SafeguardingFlag, question_id: str) -> list[str]:
    """Every text flagged in the draft at this question, oldest first."""
    found = (flag.draft_words or {}).get(question_id) or []
    return [found] if isinstance(found, str) else list(found)


def joined_reason(current: str, more: str) -> str:
    """Why it was flagged, with each distinct reason once."""
    parts = [p for p in (current or "").split("; ") if p]
    if more and more not in parts:
        parts.append(more)
    return "; ".join(parts)


def move_to_response(draft_id: int, response_id: int) -> None:
    """In the submit's transaction: the draft's flag becomes the response's flag."""
    db.session.execute(
        update(SafeguardingFlag)
        .where(SafeguardingFlag.draft_id == draft_id)
        .values(response_id=response_id, unsent=False)
    )
