"""Adding a checked list of invitees to a campaign: all of it, or nothing.

A list with any bad row adds nobody (the worker fixes the file and adds it again, so no
half-list is sent to); people already on the campaign's list are skipped, so adding the
same file twice invites nobody twice. Each new invitee gets their own personal link.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from survey.extensions import db
from survey.models import Campaign, Invitation, Invitee, User
from survey.staff.codes import random_code

from .contacts import Problem, Row, parse


@dataclass
class Added:
    added: int = 0
    already: int = 0  # on the list before: skipped
    problems: list[Problem] = field(default_factory=list)


def case_hash(campaign_id: int, case_id: str) -> str:
    """Keyed, and per campaign: the same child cannot be matched across campaigns, and
    nobody holding the table can test case numbers against it without the key."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    message = f"{campaign_id}:{case_id.strip().upper()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def campaign_languages(campaign: Campaign) -> list[str]:
    from survey.library import library

    if campaign.languages:
        return list(campaign.languages)
    found = library().get(campaign.questionnaire_id, campaign.questionnaire_version)
    return list(getattr(found, "languages", None) or ["en"])


def _known(campaign: Campaign) -> tuple[set[str], set[str], set[str]]:
    rows = db.session.execute(
        select(Invitee.case_hash, Invitee.email, Invitee.mobile).where(
            Invitee.campaign_id == campaign.id
        )
    ).all()
    return (
        {r[0] for r in rows if r[0]},
        {r[1] for r in rows if r[1]},
        {r[2] for r in rows if r[2]},
    )


def _is_known(row: Row, hashed: str | None, known: tuple[set[str], set[str], set[str]]) -> bool:
    cases, emails, mobiles = known
    if hashed is not None:
        return hashed in cases
    return bool((row.email and row.email in emails) or (row.mobile and row.mobile in mobiles))


def add_invitees(campaign: Campaign, data: bytes, by: User | None) -> Added:
    """Check the file; if every row is good, add those not already invited."""
    parsed = parse(data, campaign_languages(campaign))
    result = Added(problems=parsed.problems)
    if parsed.problems:
        return result
    known = _known(campaign)
    new: list[tuple[Row, str | None]] = []
    for row in parsed.rows:
        hashed = case_hash(campaign.id, row.case_id) if row.case_id else None
        if _is_known(row, hashed, known):
            result.already += 1
        else:
            new.append((row, hashed))
    links = [Invitation(campaign_id=campaign.id, token=random_code()) for _ in new]
    db.session.add_all(links)
    db.session.flush()  # one batched insert: 20,000 rows take seconds, not minutes
    db.session.add_all(
        Invitee(
            campaign_id=campaign.id,
            invitation_id=link.id,
            name=row.name,
            email=row.email,
            mobile=row.mobile,
            language=row.language,
            case_hash=hashed,
        )
        for link, (row, hashed) in zip(links, new, strict=True)
    )
    try:
        db.session.commit()
    except IntegrityError:  # the same people added by someone else at this very moment
        db.session.rollback()
        message = _("Someone else added people to this list just now. Add the file again.")
        result.problems = [Problem(0, message)]
        return result
    result.added = len(new)
    return result
