"""A page save merges the page's answers into the draft in the database (one UPDATE):
an answer given is replaced, an answer cleared (None) is removed, the other pages'
answers are kept, and the saved whole is what the routing then reads."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

pytestmark = pytest.mark.db


@pytest.fixture()
def draft_id(ctx, make_campaign):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from survey.extensions import db
    from survey.models import Campaign, Draft, utcnow

    make_campaign()
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "example"))
    draft = Draft(
        key=secrets.token_urlsafe(32),
        campaign_id=campaign.id,
        answers={"feel-today": 3, "activities": ["sport"], "worry-text": "a bit"},
        expires_at=utcnow() + timedelta(days=1),
    )
    db.session.add(draft)
    db.session.commit()
    return draft.id


def test_a_page_save_replaces_removes_and_keeps_answers(ctx, draft_id):
    from survey.extensions import db
    from survey.models import Draft
    from survey.respond.services import save_answers

    draft = db.session.get(Draft, draft_id)
    saved = save_answers(
        draft, {"feel-today": None, "activities": ["music", "art"], "ok-to-share": True}, "agree"
    )
    expected = {"activities": ["music", "art"], "worry-text": "a bit", "ok-to-share": True}
    assert saved == expected
    db.session.expire_all()
    stored = db.session.get(Draft, draft_id)
    assert stored.answers == expected
    assert stored.current_page == "agree"
    assert stored.expires_at > stored.updated_at


def test_the_merge_in_python_gives_the_same_answers(ctx, draft_id):
    from survey.extensions import db
    from survey.models import Draft
    from survey.respond.services import _save_locked

    draft = db.session.get(Draft, draft_id)
    saved = _save_locked(
        draft, {"feel-today": None, "activities": ["music", "art"], "ok-to-share": True}, "agree"
    )
    assert saved == {"activities": ["music", "art"], "worry-text": "a bit", "ok-to-share": True}


def test_a_draft_whose_answers_are_a_json_null_takes_the_page_as_its_answers(ctx, draft_id):
    from sqlalchemy import text

    from survey.extensions import db
    from survey.models import Draft
    from survey.respond.services import save_answers

    db.session.execute(text("UPDATE draft SET answers = 'null' WHERE id = :id"), {"id": draft_id})
    db.session.commit()
    draft = db.session.get(Draft, draft_id)
    saved = save_answers(draft, {"feel-today": 4, "worry-text": None}, "feelings")
    assert saved == {"feel-today": 4}
