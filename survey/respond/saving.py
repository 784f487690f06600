"""Saving a page of answers (or the language it is read in), and save-and-return.

A draft is kept server-side, under a key only this browser holds; a page save merges that
page's answers into it in the database, so two tabs or a retried POST never lose each
other's answers. A save-and-return code opens the draft again, elsewhere or later; only
its hash is stored.
"""

from __future__ import annotations

import json
from datetime import timedelta
from functools import cache
from typing import Any

from flask import current_app, g, session
from flask_babel import get_locale
from sqlalchemy import String, bindparam, case, cast, func, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.elements import ColumnElement

from survey.extensions import db
from survey.models import Campaign, Draft

from . import journey
from .browser import _remember, forget_sent
from .journey import JourneyError, hash_code, short_code
from .opening import OpenDraft, open_campaign


def save_answers(draft: Draft | OpenDraft, answers: dict[str, Any], page_id: str) -> dict[str, Any]:
    """Merge one page's answers into the draft; returns every answer now in it.

    Two tabs, or a retried POST, may save the same draft at once. The merge is made by the
    database, in the one UPDATE that saves the page (``answers`` patched with this page's
    answers, an answer of None removed), so neither save can overwrite the other's answers
    with an older copy, and a page save costs one round trip. Databases without the JSON
    functions used here take the row lock first and merge in Python (``_save_locked``).
    """
    if any(isinstance(value, dict) for value in answers.values()):
        return _save_locked(draft, answers, page_id)  # a JSON merge patch would nest them
    statement = _save_statement(db.session.get_bind().dialect.name)
    if statement is None:
        return _save_locked(draft, answers, page_id)
    stamp = journey.now()
    saved: dict[str, Any] | None = db.session.execute(
        statement,
        {
            "draft_id": draft.id,
            "patch": json.dumps(answers),
            "page_id": page_id,
            "stamp": stamp,
            "expires": stamp + timedelta(days=current_app.config["DRAFT_DAYS"]),
        },
    ).scalar_one()
    db.session.commit()
    return dict(saved or {})


@cache
def _save_statement(dialect: str) -> Any:
    """The page save's UPDATE ... RETURNING for this database (built once), or None where
    the database has no JSON merge: the draft's answers with the page's ``patch`` merged
    in (a key replaced, a null removing it)."""
    table = Draft.metadata.tables[Draft.__tablename__]
    patch = bindparam("patch", type_=String())
    empty = literal("{}", String())
    if dialect == "sqlite":
        merged: ColumnElement[Any] = func.json_patch(func.coalesce(table.c.answers, empty), patch)
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import JSON, JSONB

        stored = cast(table.c.answers, JSONB)
        # Anything but an object (SQL NULL, a JSON null) is no answers yet: `||` would
        # otherwise make an array of it. (json_patch on SQLite treats it so already.)
        current = case((func.jsonb_typeof(stored) == "object", stored), else_=cast(empty, JSONB))
        # Stored answers never hold a null, so stripping them removes only the page's Nones.
        merged = cast(func.jsonb_strip_nulls(current.op("||")(cast(patch, JSONB))), JSON)
    else:
        return None
    return (
        table.update()
        .where(table.c.id == bindparam("draft_id"))
        .values(
            answers=merged,
            current_page=bindparam("page_id", type_=table.c.current_page.type),
            updated_at=bindparam("stamp", type_=table.c.updated_at.type),
            expires_at=bindparam("expires", type_=table.c.expires_at.type),
        )
        .returning(table.c.answers)
    )


def _save_locked(read: Draft | OpenDraft, answers: dict[str, Any], page_id: str) -> dict[str, Any]:
    """The merge in Python: the row is locked first (an UPDATE: a row lock in PostgreSQL,
    the write lock in SQLite) and re-read inside that lock."""
    db.session.execute(update(Draft).where(Draft.id == read.id).values(updated_at=journey.now()))
    draft = db.session.get(Draft, read.id, populate_existing=True)
    if draft is None:  # deleted meanwhile (the draft sweep): nothing to merge into
        raise JourneyError("no_draft")
    merged = dict(draft.answers or {})
    for question_id, value in answers.items():
        if value is None:
            merged.pop(question_id, None)
        else:
            merged[question_id] = value
    draft.answers = merged
    draft.current_page = page_id
    draft.updated_at = journey.now()
    draft.expires_at = journey.now() + timedelta(days=current_app.config["DRAFT_DAYS"])
    db.session.commit()
    return merged


def switch_language(draft: Draft | OpenDraft, language: str) -> None:
    """The person reads on in another language; the answers they have given stay as they are."""
    if language in (g.get("languages") or current_app.config["LANGUAGES"]):
        session["lang"] = language
        db.session.execute(update(Draft).where(Draft.id == draft.id).values(language=language))
        db.session.commit()


def issue_resume_code(draft: Draft | OpenDraft) -> str:
    """A new code each time; the old one stops working. Only the hash is stored."""
    for _ in range(5):
        code = short_code()
        try:
            db.session.execute(
                # the language read in now, however it was chosen, comes back with the code
                update(Draft)
                .where(Draft.id == draft.id)
                .values(resume_code_hash=hash_code(code), language=str(get_locale() or "en"))
            )
            db.session.commit()
            return code
        except IntegrityError:
            db.session.rollback()
    raise RuntimeError("could not issue a unique save-and-return code")


#: Set on ``g`` when a code did not work: only such tries count against the address
#: (``limits.wrong_code``).
WRONG_CODE = "resume_code_did_not_work"


def resume(code: str) -> Campaign:
    """Find the draft saved under ``code`` and make it this browser's draft again.

    A draft's code is forgotten when its answers are sent (``sending``: only the hash was
    kept, and it is cleared), so a sent draft's code cannot be told from a wrong one.
    """
    if not 6 <= len(code) <= 20:
        g.setdefault(WRONG_CODE, True)
        raise JourneyError("bad_code")
    draft = db.session.scalar(select(Draft).where(Draft.resume_code_hash == hash_code(code)))
    if draft is None:
        g.setdefault(WRONG_CODE, True)
        raise JourneyError("bad_code")
    if draft.expires_at < journey.now():  # a real code, not a guess: not counted
        raise JourneyError("bad_code")
    campaign = db.session.get(Campaign, draft.campaign_id)
    assert campaign is not None
    if draft.response_id is not None:
        raise JourneyError("already_answered")
    open_campaign(campaign.slug)
    _remember(campaign, draft)
    forget_sent()
    # Read on in the language saved in (the pages still offer only the campaign's own).
    if draft.language in current_app.config["LANGUAGES"]:
        session["lang"] = draft.language
    return campaign
