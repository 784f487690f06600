"""Compute and store insights for free-text answers, once, when a response is saved.

Summaries read these rows and never call the analysis engine on page load. A flagged
answer becomes a SafeguardingFlag row in the same transaction as its insight, so it is on
the safeguarding lead's queue the moment the job commits.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from babel import Locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from survey.extensions import db
from survey.models import Answer, AnswerInsight, Response, SafeguardingFlag, utcnow
from survey.models.insights import NEEDS_READER

from .model import theme_model

log = logging.getLogger(__name__)


def language_name(code: str) -> str:
    """The language's English name from Babel's CLDR data ("pl" -> "Polish")."""
    return str(Locale("en").languages.get(code, code))


FREE_TEXT = "free_text"


@dataclass(frozen=True)
class Sent:
    """A response as the runner has just stored it: the screen at "send" reads its free-text
    answers from here, not from the database again (about a tenth of a send's CPU)."""

    id: int
    campaign_id: int
    questionnaire_id: str
    questionnaire_version: int
    #: (question id, words) of each free-text answer, in the order they were stored
    texts: tuple[tuple[str, str], ...]


def _contact_ids() -> frozenset[str]:
    """Name and contact boxes' ids, kept out of the analysis queries by id: a question
    elsewhere with the same id that is not such a box is still analysed by its own job,
    but would not be picked up again by the sweep or ``store_missing``."""
    from survey.library import library

    return library().contact_question_ids()


def _is_contact(response: Response | Sent, question_id: str) -> bool:
    """Whether this answer is to a name or contact box of its own questionnaire version."""
    from survey.library import library

    questionnaire = library().get(response.questionnaire_id, response.questionnaire_version)
    if questionnaire is None:  # a version not installed here: by id, never analysed by mistake
        return question_id in _contact_ids()
    question = questionnaire.question(question_id)
    return question is not None and question.contact_box


def _pending(response_ids: Sequence[int]) -> list[tuple[Answer, Response]]:
    rows = db.session.execute(
        select(Answer, Response)
        .join(Response, Answer.response_id == Response.id)
        .outerjoin(AnswerInsight, AnswerInsight.answer_id == Answer.id)
        .where(
            Answer.response_id.in_(response_ids),
            Answer.answer_type == FREE_TEXT,
            AnswerInsight.id.is_(None),
        )
        .order_by(Answer.id)
    ).all()
    return [(a, r) for a, r in rows if isinstance(a.value, str) and a.value.strip()]


def store_insights(response_ids: Sequence[int]) -> int:
    """Analyse the free-text answers of these responses that have no insight yet.

    Idempotent: an answer with an insight is skipped, so a retried job adds nothing, and
    when another process (a job and the sweep) stores the same answers first, this one's
    write is refused by the unique answer id and dropped. Returns how many were stored.
    """
    from analysis import analyse

    pending: list[tuple[Answer, Response]] = []
    contact: list[tuple[Answer, Response]] = []
    for answer, response in _pending(response_ids):
        (contact if _is_contact(response, answer.question_id) else pending).append(
            (answer, response)
        )
    _screen_contact(contact)
    if not pending:
        return 0
    found = analyse([a.value for a, _ in pending], themes=theme_model())
    try:
        for (answer, response), insight in zip(pending, found, strict=True):
            row = AnswerInsight(
                answer_id=answer.id,
                response_id=response.id,
                campaign_id=response.campaign_id,
                question_id=answer.question_id,
                polarity=insight.polarity,
                sentiment=insight.sentiment,
                themes=list(insight.themes),
                redacted=insight.redacted,
                flagged=insight.safeguarding is not None,
                language=insight.language,
                needs_reader=insight.needs_reader,
            )
            db.session.add(row)
            entry = queue_entry(insight.safeguarding, insight.language, insight.needs_reader)
            # every free-text box is screened, a name or contact box too: a child may write
            # a disclosure anywhere (``sensitive: false`` never keeps an answer out of the net)
            if entry is not None:
                db.session.flush()
                _raise_flag(response, answer.question_id, entry, row.id, answer.value)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if any(not _is_contact(r, a.question_id) for a, r in _pending(response_ids)):
            raise  # not a race lost: something else is wrong
        log.info("insights for responses %s were stored by another worker", list(response_ids))
        return 0
    return len(pending)


@dataclass(frozen=True)
class QueueEntry:
    """What goes on the lead's queue for one answer: a flag, or an answer to be read."""

    category: str
    reason: str
    matched: tuple[str, ...]
    level: str
    language: str


def queue_entry(flag: Any, language: str, reader: bool) -> QueueEntry | None:
    """The queue row for an answer, if any.

    A possible current risk stays ``current``. An answer the engine cannot screen with
    confidence (a language other than English) is ``reader``, read before the review list,
    whether or not a review-level flag was raised on it. Otherwise a flag is ``review``.
    """
    name = language_name(language)
    if flag is not None and (flag.level == "current" or not reader):
        return QueueEntry(flag.category, flag.reason, tuple(flag.matched), flag.level, language)
    if reader:
        reason = f"Written in {name}: the engine cannot screen it with confidence; read it"
        if flag is not None:
            reason = f"{flag.reason}. {reason}"
        category = flag.category if flag is not None else NEEDS_READER
        matched = tuple(flag.matched) if flag is not None else ()
        return QueueEntry(category, reason, matched, "reader", language)
    return None


LEVEL_RANK = {"current": 0, "reader": 1, "review": 2}

#: The category of a flag raised by a chosen answer, not by words.
CHOICE_CATEGORY = "choice"


def _raise_flag(
    response: Response | Sent,
    question_id: str,
    found: Any,
    insight_id: int | None,
    text: str = "",
) -> bool:
    """One open flag per response: the first flagged answer raises it, later ones join it.

    A later answer at a more urgent level raises the flag's level; the words found and the
    reasons are merged. A flag the lead has acknowledged is closed: an answer it did not
    cover raises a new flag (and a new alert), never a silent addition. Returns whether a
    flag was raised or added to.
    """
    from .drafts import joined_reason, words_at

    flags = db.session.scalars(
        select(SafeguardingFlag)
        .where(SafeguardingFlag.response_id == response.id)
        .order_by(SafeguardingFlag.id)
    ).all()
    existing = next((f for f in flags if f.acknowledged_at is None), None)
    if existing is None and any(
        question_id in f.questions
        and (not words_at(f, question_id) or text in words_at(f, question_id))
        for f in flags
    ):
        return False  # the lead has already handled these words
    if existing is not None:
        if (
            existing.category == CHOICE_CATEGORY
            and found.category not in (CHOICE_CATEGORY, NEEDS_READER)
            and LEVEL_RANK.get(found.level, 2) <= LEVEL_RANK.get(existing.level, 2)
        ):
            # words join a flag raised by a chosen answer: the queue shows the words
            existing.question_id, existing.category = question_id, found.category
        if existing.question_id == question_id:
            existing.insight_id = existing.insight_id or insight_id
        questions = existing.questions
        if question_id not in questions:
            existing.question_ids = [*questions, question_id]
            existing.matched = list(dict.fromkeys([*existing.matched, *found.matched]))
            existing.reason = joined_reason(existing.reason, found.reason)
            existing.category = _merged_category(existing, found)
            if LEVEL_RANK.get(found.level, 2) < LEVEL_RANK.get(existing.level, 2):
                existing.level = found.level
        return True
    db.session.add(
        SafeguardingFlag(
            insight_id=insight_id if not flags else None,
            response_id=response.id,
            campaign_id=response.campaign_id,
            question_id=question_id,
            question_ids=[question_id],
            category=found.category,
            reason=found.reason,
            matched=list(found.matched),
            level=found.level,
            language=found.language,
        )
    )
    return True


#: At most this many words in a name or contact box read as a name, a number or an
#: address line, not as something said: "Maria Kowalska", "Ŝíôbhán Ní Mhaolchatha".
NAME_WORDS = 3


def name_like(text: str) -> bool:
    """Words a name or contact box holds when it holds a name: one line of a few words."""
    return "\n" not in text.strip() and len(text.split()) <= NAME_WORDS


def _merged_category(existing: SafeguardingFlag, found: Any) -> str:
    """The category of a flag an answer joins: the more urgent entry's, except that "needs
    a reader" (nothing found, only a language to read) never names a flag something was
    found on, and gives way to whatever is found. A complaint's words are held from its
    officer by the category (``policy.withheld_fields_by_response``), so a flag on which a
    rule found harm must never read as a request to read it."""
    if found.category == NEEDS_READER:
        return existing.category
    if existing.category == NEEDS_READER:
        return str(found.category)
    if LEVEL_RANK.get(found.level, 2) < LEVEL_RANK.get(existing.level, 2):
        return str(found.category)
    return existing.category


def _screen_contact(pending: list[tuple[Answer, Response]]) -> None:
    """A name or contact box is screened as every box is (a child may write a disclosure
    anywhere), with the full read, but never analysed: no insight is stored, so its words
    never reach a summary, a quote, the comment list, the search or the theme model's
    training (the care leavers' check-in promises its words go only to their adviser).

    Nor does a name (``name_like``) go on the "needs a reader" list for its language:
    "Maria Kowalska" reads as Polish and an Irish name as Czech, but it is not an answer
    the screen could not read. Longer words in such a box (a care leaver's check-in in
    Polish: "text only, my boyfriend checks my phone") still go to a person. The Polish
    and Urdu rules screen every one."""
    from analysis.engine import screen

    for answer, response in pending:
        flag, language, reader = screen(answer.value, deep=True)
        entry = queue_entry(flag, language, reader and not name_like(answer.value))
        if entry is not None:
            _raise_flag(response, answer.question_id, entry, None, answer.value)
    if pending:
        db.session.commit()


def screen_now(response_id: int, sent: Sent | None = None) -> int:
    """The safeguarding screen alone, in the request, for when analysis is queued.

    A flag must reach the lead at once even if the worker is slow or down; the job later
    stores the insight and links it to this flag. Returns how many flags were raised.
    ``sent``: the response as the runner stored it (its answers are then not read again).
    """
    from analysis.engine import screen

    pending: list[tuple[Response | Sent, str, str]]
    if sent is not None and sent.id == response_id:
        pending = [(sent, qid, text) for qid, text in sent.texts if text.strip()]
    else:
        pending = [(r, a.question_id, a.value) for a, r in _pending([response_id])]
    raised = 0
    for response, question_id, text in pending:
        flag, language, reader = screen(text)
        if reader and name_like(text) and _is_contact(response, question_id):
            reader = False  # a name's language says nothing (``_screen_contact``)
        found = queue_entry(flag, language, reader)
        if found is not None:
            raised += _raise_flag(response, question_id, found, None, text)
    db.session.commit()
    return raised


def chosen_flag(question: Any, value: Any) -> tuple[QueueEntry, str] | None:
    """The flag a chosen answer raises (the question's ``flag``), with the values that
    raised it as its "words" (``"no"``; a multiple choice joins them), or None.

    Shared by the send (``flag_choice_answers``) and the page save (``insights.drafts``),
    so a draft's flag and the sent answer's are one and the same."""
    if question is None or not question.flag:
        return None
    chosen = value if isinstance(value, list) else [value]
    levels = dict(question.flag)
    hits = [str(v) for v in chosen if str(v) in levels]
    if not hits:
        return None
    level = min((levels[v] for v in hits), key=lambda lv: LEVEL_RANK.get(lv, 2))
    said = ", ".join(f'"{question.option_label(v)}"' for v in hits)
    reason = f'Answered {said} to "{question.text}"'
    return QueueEntry(CHOICE_CATEGORY, reason, (), level, "en"), ", ".join(hits)


def flag_choice_answers(response_id: int) -> int:
    """Flags from answers the questionnaire marks (a question's ``flag``): "No" to "Do you
    feel safe where you live?" is a child telling us, with or without words. Idempotent:
    an answer already on a flag joins it (a draft's flag moved here on send included), one
    the lead has handled is not raised again. Returns how many flags were raised or added
    to."""
    from survey.library import library

    response = db.session.get(Response, response_id)
    if response is None:
        return 0
    questionnaire = library().get(response.questionnaire_id, response.questionnaire_version)
    if questionnaire is None:
        return 0
    raised = 0
    for answer in response.answers:
        found = chosen_flag(questionnaire.question(answer.question_id), answer.value)
        if found is not None:
            entry, words = found
            raised += _raise_flag(response, answer.question_id, entry, None, words)
    db.session.commit()
    return raised


def store_missing(campaign_id: int | None = None, batch: int = 2000) -> int:
    """Insights for every response without them (the demo, a backfill, a failed job)."""
    query = (
        select(Response.id)
        .join(Answer, Answer.response_id == Response.id)
        .outerjoin(AnswerInsight, AnswerInsight.answer_id == Answer.id)
        .where(
            Answer.answer_type == FREE_TEXT,
            AnswerInsight.id.is_(None),
            Answer.question_id.not_in(_contact_ids()),  # never analysed
        )
        .distinct()
    )
    if campaign_id is not None:
        query = query.where(Response.campaign_id == campaign_id)
    ids = list(db.session.scalars(query))
    return sum(store_insights(ids[i : i + batch]) for i in range(0, len(ids), batch))


#: A response this recent may still have its analysis job in the queue: the sweep leaves it.
SWEEP_GRACE = timedelta(minutes=2)
#: How far back the sweep looks (``heard catch-up`` backfills anything older).
SWEEP_WINDOW = timedelta(days=7)


def unanalysed(
    grace: timedelta = SWEEP_GRACE, window: timedelta = SWEEP_WINDOW, limit: int = 500
) -> list[int]:
    """Responses sent between ``window`` and ``grace`` ago with a free-text answer that has
    no insight: their job was lost (a worker killed between the commit and the queue, Redis
    down or emptied) or failed."""
    now = utcnow()
    return list(
        db.session.scalars(
            select(Response.id)
            .join(Answer, Answer.response_id == Response.id)
            .outerjoin(AnswerInsight, AnswerInsight.answer_id == Answer.id)
            .where(
                Answer.answer_type == FREE_TEXT,
                AnswerInsight.id.is_(None),
                # a name or contact box is screened, never analysed (``_screen_contact``)
                Answer.question_id.not_in(_contact_ids()),
                Response.submitted_at <= now - grace,
                Response.submitted_at >= now - window,
            )
            .group_by(Response.id)
            .order_by(Response.id)
            .limit(limit)
        )
    )


def sweep(grace: timedelta = SWEEP_GRACE, limit: int = 500) -> int:
    """The analysis job, again, for each response whose job never ran (``unanalysed``).

    The job is the whole of it: the safeguarding screen and its alerts as well as the
    insights, since a worker killed just after the commit did not screen the answers
    either. Run by ``heard worker`` every minute and by ``heard catch-up``. Returns how
    many responses were analysed.
    """
    from .jobs import analyse_response

    done = 0
    for response_id in unanalysed(grace, limit=limit):
        try:
            analyse_response(response_id)
            done += 1
        except Exception:  # noqa: BLE001 - one bad response must not stop the others
            db.session.rollback()
            log.exception("sweep: analysis of response %s failed", response_id)
    if done:
        log.warning("sweep: analysed %s responses whose analysis job was lost", done)
    return done


def response_saved(response_id: int, sent: Sent | None = None) -> None:
    """Called by the runner after a response is committed: analyse now or in a job.

    With a job queue, the safeguarding screen still runs here first (``screen_now``).
    Never raises: the response is already safe in the database, and one that is left
    without insights (this process killed before the job was queued, Redis down) is
    analysed by the worker's ``sweep`` a few minutes later, or by ``store_missing``.
    """
    from survey.alerts.services import after_response
    from survey.jobs import enqueue, queue_url

    try:
        if queue_url() is not None:
            screen_now(response_id, sent)
            flag_choice_answers(response_id)  # the job raises them again, idempotently
            after_response(response_id)
        enqueue("survey.insights.jobs:analyse_response", response_id)
    except Exception:  # noqa: BLE001 - the child's answer is saved; analysis can catch up
        db.session.rollback()
        log.exception("insights for response %s not stored; store_missing will retry", response_id)
