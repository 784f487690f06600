"""What the analysis engine found in each free-text answer, and what people did about it.

Insights are computed once, when a response is saved (survey/insights/services.py), and
stored here, so a summary never re-runs the analysis on page load. A reviewer's correction
is kept beside the engine's answer, never over it, so the model's agreement with reviewers
can be measured. A safeguarding flag is its own row: it outlives the answer's text (which
goes when retention says), so an acknowledgement and what was done are never lost.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ColumnElement, Float, ForeignKey, Integer, String, Text, or_
from sqlalchemy import false as sa_false
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class AnswerInsight(Base):
    """One free-text answer's sentiment, themes and redacted text."""

    __tablename__ = "answer_insight"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), unique=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(60))
    polarity: Mapped[float] = mapped_column(Float)
    sentiment: Mapped[str] = mapped_column(String(10))
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    redacted: Mapped[str] = mapped_column(Text, default="")
    flagged: Mapped[bool] = mapped_column(default=False)
    # Detected language, and whether a person must read it (the engine cannot screen it
    # with confidence, e.g. Polish or Urdu): such answers also go on the lead's queue.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    needs_reader: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A reviewer's word, when given, is what summaries count (see InsightCorrection).
    reviewed_themes: Mapped[list[str] | None] = mapped_column(JSON)
    reviewed_sentiment: Mapped[str | None] = mapped_column(String(10))
    # Bumped by every correction: two reviewers saving at once cannot overwrite unseen.
    revision: Mapped[int] = mapped_column(Integer, default=0)

    @hybrid_property
    def withheld(self) -> bool:
        """Its words are the safeguarding lead's only: flagged, or waiting for a reader (an
        answer in Polish or Urdu may hold a disclosure until a person has read it). Never in
        the reviewers' comments, a comment's page, a quote or topic discovery; counted as
        flagged only when it is."""
        return self.flagged or self.needs_reader

    @withheld.inplace.expression
    @classmethod
    def _withheld_expression(cls) -> ColumnElement[bool]:
        return or_(cls.flagged, cls.needs_reader)

    @property
    def current_themes(self) -> list[str]:
        return reviewed_or_computed_themes(self.reviewed_themes, self.themes)

    @property
    def current_sentiment(self) -> str:
        return reviewed_or_computed_sentiment(self.reviewed_sentiment, self.sentiment)


def reviewed_or_computed_themes(reviewed: list[str] | None, computed: list[str]) -> list[str]:
    """A reviewer's themes win when given (an empty list is a reviewer's "no theme")."""
    return list(reviewed if reviewed is not None else computed)


def reviewed_or_computed_sentiment(reviewed: str | None, computed: str) -> str:
    return reviewed or computed


FLAG_LEVELS = ("current", "reader", "review")
#: What came of a flag: the lead chooses one when acknowledging it (with a note).
FLAG_OUTCOMES = ("no-concern", "advice-support", "referred", "already-known", "other")
#: The category of a queue entry raised for its language alone: no rule or model found
#: anything, the engine only cannot vouch for its reading ("needs a reader").
NEEDS_READER = "needs_reader"


class SafeguardingFlag(Base):
    """A possible disclosure, or an answer a person must read: on the lead's queue.

    ``level`` orders the queue: ``current`` (a possible current risk: at once), ``reader``
    (an answer the engine cannot screen with confidence, such as one in Polish or Urdu),
    ``review`` (a mention of past harm or distress: within the working week).
    """

    __tablename__ = "safeguarding_flag"

    id: Mapped[int] = mapped_column(primary_key=True)
    insight_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer_insight.id", ondelete="SET NULL"), unique=True
    )
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("response.id", ondelete="SET NULL"), index=True
    )
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaign.id", ondelete="SET NULL"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(60), default="")  # the first one flagged
    # Every answer of the response the flag concerns: one flag per response, so one
    # submission cannot fill the queue with a flag per free-text question.
    question_ids: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    category: Mapped[str] = mapped_column(String(40))
    level: Mapped[str] = mapped_column(String(10), default="current", server_default="current")
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    reason: Mapped[str] = mapped_column(Text, default="")
    matched: Mapped[list[str]] = mapped_column(JSON, default=list)
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    # A disclosure typed into a questionnaire not sent yet (screened on every page save):
    # the flag stands on the draft, with a copy of the words flagged, since the child may
    # change them or never send. When the response is sent the flag moves onto it.
    draft_id: Mapped[int | None] = mapped_column(
        ForeignKey("draft.id", ondelete="SET NULL"), unique=True
    )
    # The draft every flag raised there keeps, after the lead's acknowledgement closes it
    # and a later disclosure on the same draft raises a new one (``draft_id`` is only the
    # open one's): what the lead has handled is never raised again, on the draft or on send.
    from_draft_id: Mapped[int | None] = mapped_column(
        ForeignKey("draft.id", ondelete="SET NULL"), index=True
    )
    unsent: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    # question id -> every distinct text flagged there, in the order typed (a child may
    # write one thing, change it, and write another).
    draft_words: Mapped[dict[str, list[str]]] = mapped_column(
        JSON, default=dict, server_default="{}"
    )
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    action_taken: Mapped[str] = mapped_column(Text, default="")
    # What came of it (FLAG_OUTCOMES), recorded with the acknowledgement.
    outcome: Mapped[str | None] = mapped_column(String(30))
    # The named person looking into it, before it is acknowledged.
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    @property
    def questions(self) -> list[str]:
        """The flagged answers' question ids, first flagged first."""
        found = list(self.question_ids or [])
        return found if found else ([self.question_id] if self.question_id else [])


class FlagNote(Base):
    """A note on a flag by whoever reads flags, before or after it is acknowledged: what came
    of a referral days later, a call returned. Kept as written, in the order written."""

    __tablename__ = "flag_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    flag_id: Mapped[int] = mapped_column(
        ForeignKey("safeguarding_flag.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    text: Mapped[str] = mapped_column(Text)


class InsightCorrection(Base):
    """One reviewer's correction of one comment: who, when, and what they said it was."""

    __tablename__ = "insight_correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    insight_id: Mapped[int] = mapped_column(
        ForeignKey("answer_insight.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    sentiment: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CustomTheme(Base):
    """A theme the QA group added (from an emerging topic) on top of the shipped taxonomy."""

    __tablename__ = "custom_theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TopicDecision(Base):
    """A reviewer's decision on an emerging topic, so it is not offered again."""

    __tablename__ = "topic_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # its top terms, joined
    decision: Mapped[str] = mapped_column(String(20))  # accepted | dismissed
    theme_id: Mapped[str | None] = mapped_column(String(60))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TrainingRun(Base):
    """A retrain of the theme model on reviewers' corrections, with agreement before/after."""

    __tablename__ = "training_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    trained_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    trained_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    examples: Mapped[int] = mapped_column(Integer)
    agreement_before: Mapped[float | None] = mapped_column(Float)
    agreement_after: Mapped[float | None] = mapped_column(Float)
    path: Mapped[str] = mapped_column(String(300), default="")


class Publication(Base):
    """A published "you said, we did" page: a frozen copy of exactly what went public.

    ``items`` is copied at publishing (theme words, what was said, what was done, by when),
    so later edits to actions or themes change nothing public until it is published again,
    and a deleted theme or an archived campaign cannot break the page.
    """

    __tablename__ = "publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    first_published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
