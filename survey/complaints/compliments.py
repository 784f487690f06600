"""Compliments and comments: recorded, shared with the named worker's manager, counted.

Sharing is recorded, not sent: Heard has no email sending yet, so the officer passes the
compliment on in the usual way and records here who it went to and when.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey.extensions import db
from survey.models import Channel, Compliment, ComplimentShare, FeedbackKind

from .services import ComplaintError, PersonInput, find_or_create_complainant, new_reference


@dataclass
class ComplimentInput:
    person: PersonInput
    channel: str
    received_on: date
    words: str
    kind: str = "compliment"
    teams: list[str] = field(default_factory=list)
    worker_name: str = ""
    manager_name: str = ""


def create_compliment(
    data: ComplimentInput,
    *,
    user_id: int | None = None,
    response_id: int | None = None,
    reference: str | None = None,
) -> Compliment:
    compliment = Compliment(
        reference=reference or new_reference("K"),
        kind=FeedbackKind(data.kind),
        complainant=find_or_create_complainant(data.person),
        response_id=response_id,
        channel=Channel(data.channel),
        received_on=data.received_on,
        teams=list(data.teams),
        worker_name=data.worker_name.strip(),
        manager_name=data.manager_name.strip(),
        words=data.words.strip(),
        created_by_id=user_id,
    )
    db.session.add(compliment)
    db.session.commit()
    return compliment


def share(
    compliment: Compliment, shared_with: str, on: date, *, today: date, user_id: int | None
) -> ComplimentShare:
    if on > today:
        raise ComplaintError("on", _l("Enter a date that is today or in the past"))
    if on < compliment.received_on:
        raise ComplaintError(
            "on", _l("Enter a date on or after the day the compliment was received")
        )
    item = ComplimentShare(shared_with=shared_with.strip(), shared_on=on, shared_by_id=user_id)
    compliment.shares.append(item)
    db.session.commit()
    return item


def find(reference: str) -> Compliment | None:
    return db.session.scalar(select(Compliment).where(Compliment.reference == reference))


def recent(limit: int = 200) -> list[Compliment]:
    return list(
        db.session.scalars(
            select(Compliment)
            .order_by(Compliment.received_on.desc(), Compliment.id.desc())
            .limit(limit)
        )
    )
