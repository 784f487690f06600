"""The safeguarding screen on every page save: a disclosure counts before "send".

A child may write that they are not safe on page 3 and close the browser on page 6. The
start page promises a safeguarding worker reads it the same working day, so each page save
runs the screen over that page's free-text answers, and looks at its chosen answers that
the questionnaire marks ("No" to feeling safe: a question's ``flag``). A possible
current risk raises one flag per draft, marked "not sent yet", with a copy of the words
(the child may change them, or never send), and the lead is alerted at once. When the
response is sent, the flag moves onto it. Drafts are read for nothing else.

The screen in the request keeps page saves quick, so in English it asks the sentence
encoder less than the full read after a send does (decision 0016). A draft left idle for
``IDLE`` (the child stopped, or closed the browser) is therefore read in full once
(``read_idle_drafts``, each minute by ``heard worker``, or by ``heard alerts`` without a
job queue), so words that were never sent get the same reading as words that were.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from survey.extensions import db
from survey.models import Campaign, Draft, SafeguardingFlag, utcnow
from survey.questionnaire.model import Questionnaire

if TYPE_CHECKING:
    from survey.respond.services import OpenDraft

log = logging.getLogger(__name__)

#: A draft not saved for this long is read in full (any draft still kept: ``DRAFT_DAYS``).
IDLE = timedelta(minutes=5)
#: How long one sweep reads before leaving the rest to the next (each minute): the job
#: must not hold a worker long, and the alerts clock must get on with sending.
BUDGET_SECONDS = 20.0


def _current_risks(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    before: Mapping[str, Any],
    deep: bool = False,
) -> list[tuple[str, str, Any, str]]:
    """(question id, words, flag, language) for each changed answer that is a current risk
    (``deep``: the full read, not the request's quicker screen). A chosen answer the
    questionnaire marks as a current risk ("No" to feeling safe) counts as one: its "words"
    are the values chosen."""
    from analysis.engine import screen
    from survey.library import library

    from .services import chosen_flag

    # the reason the lead reads is in English, whatever language the page was answered in
    plain = library().get(questionnaire.id, questionnaire.version) or questionnaire
    found: list[tuple[str, str, Any, str]] = []
    for question_id, value in answers.items():
        question = questionnaire.questions_by_id.get(question_id)
        if question is None or before.get(question_id) == value:
            continue
        if question.flag:
            chosen = chosen_flag(plain.questions_by_id.get(question_id) or question, value)
            if chosen is not None and chosen[0].level == "current":
                found.append((question_id, chosen[1], chosen[0], chosen[0].language))
            continue
        if question.type != "free_text":  # every box, sensitive or not
            continue
        if not isinstance(value, str) or not value.strip():
            continue
        flag, language, _ = screen(value, deep=deep)
        if flag is not None and flag.level == "current":
            found.append((question_id, value, flag, language))
    return found


def screen_page(
    draft: Draft | OpenDraft,
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    before: Mapping[str, Any],
    at: datetime | None = None,
) -> bool:
    """Screen one page's answers; True when a possible current risk was found (the next
    page offers help now). Never raises: the child's answers are already saved. ``at``:
    when the page was saved, for saves replayed later (the demo's drafts); now if None."""
    try:
        found = _current_risks(questionnaire, answers, before)
        if not found:
            return False
        flag = _raise(draft, found, at=at)
    except Exception:  # noqa: BLE001 - the flag is raised again at submit if it is sent
        db.session.rollback()
        log.exception("screening draft %s failed", draft.id)
        return False
    _alert(flag)
    return True


def _alert(flag: SafeguardingFlag | None) -> None:
    """Plan and start the alerts of a draft's flag (None: words the lead already handled)."""
    if flag is None:
        return
    from survey.alerts.services import plan_new, start_delivery

    try:
        if plan_new([flag]):
            start_delivery()
    except Exception:  # noqa: BLE001 - the flag stands; ``heard alerts`` plans what was missed
        db.session.rollback()
        log.exception("alerts for draft flag %s not planned", flag.id)


def idle_unread(idle: timedelta = IDLE, limit: int = 200) -> list[int]:
    """Unsent drafts not saved for ``idle`` whose answers, as they stand, have not been
    read in full, oldest first."""
    now = utcnow()
    kept = timedelta(days=int(current_app.config.get("DRAFT_DAYS", 30)))
    return list(
        db.session.scalars(
            select(Draft.id)
            .where(
                Draft.response_id.is_(None),
                Draft.updated_at <= now - idle,
                Draft.updated_at >= now - kept,
                or_(Draft.read_in_full_at.is_(None), Draft.read_in_full_at < Draft.updated_at),
            )
            .order_by(Draft.updated_at)
            .limit(limit)
        )
    )


def read_in_full(draft_id: int) -> bool:
    """The full read of one idle draft's answers (``_current_risks``): a possible current
    risk the request's screen left raises the draft's flag and its alerts, as a page save's
    would. Returns whether the draft has a possible current risk.

    The read comes first (the slow part, nothing written); then, in one transaction, the
    draft is marked read as it stood and the flag raised, only if the draft is still as
    read, still unsent and not marked by another worker meanwhile. A save or a send in
    between wins: a changed draft is read again, a sent one by the analysis after the send.
    """
    from survey.library import library

    draft = db.session.get(Draft, draft_id)
    if draft is None or draft.response_id is not None:
        return False
    stamp = draft.updated_at
    campaign = db.session.get(Campaign, draft.campaign_id)
    if campaign is None:  # a draft keeps its campaign (foreign key): never here
        return False
    lib = library()
    questionnaire = lib.get(campaign.questionnaire_id, campaign.questionnaire_version)
    if questionnaire is not None and draft.questionnaire_id:
        questionnaire = lib.easy_read(questionnaire.id, questionnaire.version) or questionnaire
    if questionnaire is None:
        log.warning("idle draft %s not read: questionnaire %s is not installed", draft_id,
                    campaign.questionnaire_id)  # fmt: skip
        found = []
    else:
        found = _current_risks(questionnaire, draft.answers or {}, {}, deep=True)
    claimed = db.session.execute(
        update(Draft)
        .where(
            Draft.id == draft_id,
            Draft.updated_at == stamp,
            Draft.response_id.is_(None),
            or_(Draft.read_in_full_at.is_(None), Draft.read_in_full_at < stamp),
        )
        .values(read_in_full_at=stamp)
    )
    if not claimed.rowcount:  # type: ignore[attr-defined]
        db.session.rollback()
        return False
    try:
        flag = _raise(draft, found, commit=False) if found else None
        db.session.commit()
    except IntegrityError:  # a page save's screen flagged the draft at the same moment
        db.session.rollback()
        log.warning("idle draft %s was flagged by a page save meanwhile; read again later",
                    draft_id)  # fmt: skip
        return False
    _alert(flag)
    return flag is not None


def read_idle_drafts(
    idle: timedelta = IDLE, limit: int = 200, budget: float = BUDGET_SECONDS
) -> int:
    """``read_in_full`` for idle drafts not yet read (``idle_unread``), oldest first, for
    at most ``budget`` seconds (the next sweep goes on); returns how many have a possible
    current risk. One draft that fails does not stop the others, and what is logged of a
    failure is its kind, never the words."""
    found = 0
    started = time.monotonic()
    for draft_id in idle_unread(idle, limit):
        if time.monotonic() - started > budget:
            break
        try:
            found += read_in_full(draft_id)
        except Exception as error:  # noqa: BLE001 - read again at the next sweep
            db.session.rollback()
            log.error("full read of idle draft %s failed: %s", draft_id, type(error).__name__)
    if found:
        log.warning("idle drafts: %s with a possible current risk after the full read", found)
    return found


def _raise(
    draft: Draft | OpenDraft,
    found: list[tuple[str, str, Any, str]],
    commit: bool = True,
    at: datetime | None = None,
) -> SafeguardingFlag | None:
    """One open flag per draft: a later page, or the same words saved again, joins it.

    A flag the lead has acknowledged is closed: new words raise a new flag (and a new
    alert), never a silent addition to a closed one. The same words saved again raise
    nothing (None).
    """
    flags = db.session.scalars(
        select(SafeguardingFlag)
        .where(
            or_(SafeguardingFlag.draft_id == draft.id, SafeguardingFlag.from_draft_id == draft.id)
        )
        .order_by(SafeguardingFlag.id)
    ).all()
    handled = [f for f in flags if f.acknowledged_at is not None]
    found = [item for item in found if not any(item[1] in words_at(f, item[0]) for f in handled)]
    if not found:
        return None  # every answer here is on a flag the lead has handled
    flag = next((f for f in flags if f.draft_id == draft.id), None)
    if flag is not None and flag.acknowledged_at is not None:
        flag.draft_id = None  # it keeps its words and ``from_draft_id``; a new flag opens
        db.session.flush()
        flag = None
    from .services import CHOICE_CATEGORY

    first_id, _, first, language = found[0]
    if flag is None:
        flag = SafeguardingFlag(
            draft_id=draft.id,
            from_draft_id=draft.id,
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
            raised_at=at or utcnow(),
        )
        db.session.add(flag)
    written = next((f for f in found if f[2].category != CHOICE_CATEGORY), None)
    if flag.category == CHOICE_CATEGORY and written is not None:
        # words join a flag raised by a chosen answer: the queue shows the words
        flag.question_id, flag.category = written[0], written[2].category
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
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return flag


def words_at(flag: SafeguardingFlag, question_id: str) -> list[str]:
    """Every text flagged in the draft at this question, oldest first."""
    found = (flag.draft_words or {}).get(question_id) or []
    return [found] if isinstance(found, str) else list(found)


def joined_reason(current: str, more: str) -> str:
    """Why it was flagged, with each distinct reason once (a reason may itself hold "; ",
    as the "needs a reader" one does, so it is looked for whole)."""
    current = current or ""
    if not more or more == current:
        return current
    joined = f"; {current}; "
    if f"; {more}; " in joined:
        return current
    return f"{current}; {more}" if current else more


def move_to_response(draft_id: int, response_id: int) -> None:
    """In the submit's transaction: the draft's flags become the response's, the ones the
    lead has acknowledged too, so the analysis after the send sees what was handled."""
    db.session.execute(
        update(SafeguardingFlag)
        .where(
            or_(SafeguardingFlag.draft_id == draft_id, SafeguardingFlag.from_draft_id == draft_id)
        )
        .values(response_id=response_id, unsent=False)
    )
