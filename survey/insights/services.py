"""Compute and store insights for free-text answers, once, when a response is saved.

Summaries read these rows and never call the analysis engine on page load. A flagged
answer becomes a SafeguardingFlag row in the same transaction as its insight, so it is on
the safeguarding lead's queue the moment the job commits.

The queue itself (what a flagged answer raises, and how a later answer joins the flag) is
in ``raising``; the names other code imports from here are kept here too.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from survey.extensions import db
from survey.models import Answer, AnswerInsight, Response, utcnow

from .model import theme_model
from .raising import (
    CHOICE_CATEGORY,
    LEVEL_RANK,
    NAME_WORDS,
    QueueEntry,
    _raise_flag,
    _screen_contact,
    chosen_flag,
    flag_choice_answers,
    language_name,
    name_like,
    queue_entry,
)

__all__ = [
    "CHOICE_CATEGORY",
    "FREE_TEXT",
    "LEVEL_RANK",
    "NAME_WORDS",
    "SWEEP_GRACE",
    "SWEEP_WINDOW",
    "QueueEntry",
    "Sent",
    "chosen_flag",
    "flag_choice_answers",
    "language_name",
    "name_like",
    "queue_entry",
    "response_saved",
    "screen_now",
    "store_insights",
    "store_missing",
    "sweep",
    "unanalysed",
]

log = logging.getLogger(__name__)


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
