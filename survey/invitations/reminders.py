"""A reminder sent now, by hand: for a day that matters (the morning of a care leavers'
event, two days before the campaign closes), not only on the schedule's days.

It goes to everyone whose invitation was sent and who has not answered, except those whose
last message is still waiting to go (they are about to get one). Like the schedule's, it
is an outbox row per person, sent by the same job, cancelled if they answer first.

Why its own round numbers (``sending.BY_HAND + k`` for a campaign's k-th, 1001, 1002...)
rather than the next scheduled round's: the round is then one number for everyone,
worked out from one read (the campaign's highest such round), so two presses at the same
moment (a double click, two tabs) write the same (invitee, round) and the unique
constraint keeps one per person; a press after one has gone sees it and is refused for a
day (``AGAIN_AFTER``), saying when it went. The schedule still counts it as the person's
next reminder (``sending.plan_reminders``), so it brings that reminder forward: round 1 due
on day 7 is not sent to someone reminded by hand on day 5, and round 2 still goes on
day 14.

The page shows how many will be reminded, a count only: who answered is never shown
(see ``status.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import format_time, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from survey.auth.services import record
from survey.dates import LONDON, long_date
from survey.extensions import db
from survey.models import Campaign, InvitationMessage, Invitee, utcnow

from .sending import BY_HAND, _add, _unanswered

#: A second reminder by hand within this time is refused.
AGAIN_AFTER = timedelta(hours=24)
#: A person with a message in these states is about to get it: no second one now.
WAITING = ("pending", "retrying", "sending")


@dataclass(frozen=True)
class Outcome:
    queued: int
    refused: str  # "" | "closed" | "too_soon" | "nobody"
    last_at: datetime | None  # when the last reminder by hand was queued


@dataclass(frozen=True)
class Standing:
    """What the page offers: the button with its count, or why not."""

    accepting: bool
    count: int
    last_at: datetime | None

    @property
    def too_soon(self) -> bool:
        return _too_soon(self.last_at, utcnow())


def _too_soon(last_at: datetime | None, now: datetime) -> bool:
    return last_at is not None and now < last_at + AGAIN_AFTER


def _remindable(campaign_id: int) -> Any:
    invited = select(InvitationMessage.invitee_id).where(
        InvitationMessage.campaign_id == campaign_id,
        InvitationMessage.round == 0,
        InvitationMessage.sent_at.is_not(None),
    )
    waiting = select(InvitationMessage.invitee_id).where(
        InvitationMessage.campaign_id == campaign_id, InvitationMessage.state.in_(WAITING)
    )
    return _unanswered(campaign_id).where(Invitee.id.in_(invited), Invitee.id.not_in(waiting))


def _last_by_hand(campaign_id: int) -> tuple[int, datetime | None]:
    """How many reminders by hand the campaign has had, and when the last was queued."""
    highest, last_at = db.session.execute(
        select(func.max(InvitationMessage.round), func.max(InvitationMessage.created_at)).where(
            InvitationMessage.campaign_id == campaign_id, InvitationMessage.round > BY_HAND
        )
    ).one()
    return (int(highest) - BY_HAND if highest else 0), last_at


def standing(campaign: Campaign) -> Standing:
    count = db.session.scalar(select(func.count()).select_from(_remindable(campaign.id).subquery()))
    return Standing(campaign.is_accepting(utcnow()), int(count or 0), _last_by_hand(campaign.id)[1])


def _one_press_at_a_time(campaign_id: int) -> None:
    """Hold the campaign's row until this press is committed, so a second press at the same
    moment waits and then sees this one (refused as too soon), rather than both reading the
    same people and each queueing and recording a part of them. An update writes nothing
    new; it takes the row's lock on PostgreSQL and the write lock on SQLite (a read alone
    takes neither there)."""
    db.session.execute(
        update(Campaign).where(Campaign.id == campaign_id).values(slug=Campaign.slug)
    )


def remind_now(campaign: Campaign, user_id: int | None, now: datetime | None = None) -> Outcome:
    """Queue one reminder for each person to remind, unless the campaign no longer takes
    answers, one went less than a day ago, or there is nobody to remind.

    The people are read before the last press, so a press finishing in between is seen as
    one (refused), never as "nobody"; two presses that read the same last press write the
    same round, and the unique (invitee, round) keeps one per person.
    """
    now = now or utcnow()
    if not campaign.is_accepting(now):
        return Outcome(0, "closed", None)
    _one_press_at_a_time(campaign.id)
    people = db.session.scalars(_remindable(campaign.id)).all()
    done, last_at = _last_by_hand(campaign.id)
    if _too_soon(last_at, now):
        return Outcome(0, "too_soon", last_at)
    if not people:
        return Outcome(0, "nobody", last_at)
    queued = sum(_add(person, BY_HAND + done + 1, now) for person in people)
    if not queued:  # another press wrote this round for everyone a moment ago
        db.session.rollback()
        return Outcome(0, "too_soon", _last_by_hand(campaign.id)[1])
    record(
        user_id,
        "reminders_sent_now",
        campaign.slug,
        f"{queued} reminders queued (by hand: {done + 1})",
        commit=False,
    )
    db.session.commit()
    return Outcome(queued, "", now)


def when_last(last_at: datetime) -> str:
    """When the last reminder by hand went and when another may, in UK time."""
    again = last_at + AGAIN_AFTER
    return str(
        _(
            "A reminder was sent by hand at %(time)s on %(date)s. Another can be sent from "
            "%(again_time)s on %(again_date)s, so that nobody is reminded twice in a day.",
            time=format_time(last_at, "HH:mm"),
            date=long_date(last_at.astimezone(LONDON).date()),
            again_time=format_time(again, "HH:mm"),
            again_date=long_date(again.astimezone(LONDON).date()),
        )
    )


def said(outcome: Outcome) -> str:
    """What the worker is told after pressing."""
    if outcome.refused == "closed":
        return str(_("Reminders can be sent only while the campaign takes answers."))
    if outcome.refused == "too_soon" and outcome.last_at is not None:
        return when_last(outcome.last_at)
    if outcome.refused:
        return nobody()
    return str(
        ngettext(
            "%(num)d reminder queued. Its status shows below as it goes.",
            "%(num)d reminders queued. Their status shows below as they go.",
            outcome.queued,
        )
    )


def nobody() -> str:
    return str(
        _(
            "There is nobody to remind now: a reminder goes to people whose invitation was "
            "sent, who have not answered and who have no message still waiting to go."
        )
    )
