"""The safeguarding lead's queue: what a flagged answer puts on it, one open flag per response.

Every way an answer reaches the lead comes through here: words the screen found (after a
send, in the request, or in a name or contact box), an answer in a language the engine
cannot screen with confidence, and a chosen answer the questionnaire marks ("No" to
feeling safe). One path keeps the queue readable: a response has one open flag however
many of its answers were flagged, a later answer joins it (at the more urgent level), and
words the lead has already handled are never raised again. ``services`` calls it when a
response is analysed or sent; the page save (``drafts``) shares ``chosen_flag``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from babel import Locale
from sqlalchemy import select

from survey.extensions import db
from survey.models import Answer, Response, SafeguardingFlag
from survey.models.insights import NEEDS_READER

if TYPE_CHECKING:
    from .services import Sent


def language_name(code: str) -> str:
    """The language's English name from Babel's CLDR data ("pl" -> "Polish")."""
    return str(Locale("en").languages.get(code, code))


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
    from .drafts import words_at

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
        _join_flag(existing, question_id, found, insight_id)
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


def _join_flag(
    existing: SafeguardingFlag, question_id: str, found: Any, insight_id: int | None
) -> None:
    """An answer joins the response's open flag (``_raise_flag``): a chosen answer's flag
    shows the words that joined it, and a new question merges its words, reasons,
    category and level into the flag."""
    from .drafts import joined_reason

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
