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
    from survey.respond.saving import _save_locked

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


def _journey_read(app, slug="example"):  # type: ignore[no-untyped-def]
    """open_campaign_and_draft as a page save calls it: this browser's draft in its session."""
    from flask import session
    from sqlalchemy import select

    from survey.extensions import db
    from survey.models import Draft
    from survey.respond.services import SESSION_DRAFTS, open_campaign_and_draft

    key = db.session.scalar(select(Draft.key).order_by(Draft.id.desc()))
    with app.test_request_context(f"/s/{slug}/check"):
        session[SESSION_DRAFTS] = {slug: key}
        return open_campaign_and_draft(slug)


def test_the_page_saves_read_gives_what_the_orm_objects_hold(ctx, draft_id):
    """The campaign and draft are read as one Core row; every field is what the ORM reads
    (dates with their time zone, JSON decoded, the status an enum)."""
    from survey.extensions import db
    from survey.models import Campaign, Draft
    from survey.respond.services import OpenCampaign, OpenDraft

    campaign, draft = _journey_read(ctx)
    assert isinstance(campaign, OpenCampaign) and isinstance(draft, OpenDraft)
    db.session.expire_all()
    stored_campaign = db.session.get(Campaign, campaign.id)
    stored_draft = db.session.get(Draft, draft_id)
    for name in OpenCampaign.__dataclass_fields__:
        assert getattr(campaign, name) == getattr(stored_campaign, name), name
    for name in OpenDraft.__dataclass_fields__:
        assert getattr(draft, name) == getattr(stored_draft, name), name
    assert draft.expires_at.tzinfo is not None
    assert campaign.is_accepting(stored_draft.updated_at)


@pytest.mark.parametrize(
    ("change", "outcome"),
    [
        ({"status": "draft"}, "not_found"),
        ({"status": "closed"}, "closed"),
        ({"closes_at": "past"}, "closed"),
        ({"opens_at": "future"}, "not_yet_open"),
    ],
)
def test_the_page_saves_read_refuses_what_a_campaign_does_not_take(ctx, draft_id, change, outcome):
    from sqlalchemy import update

    from survey.extensions import db
    from survey.models import Campaign, CampaignStatus, utcnow
    from survey.respond.services import JourneyError

    values = {
        key: CampaignStatus(value)
        if key == "status"
        else utcnow() + timedelta(days=-1 if value == "past" else 1)
        for key, value in change.items()
    }
    db.session.execute(update(Campaign).where(Campaign.slug == "example").values(**values))
    db.session.commit()
    with pytest.raises(JourneyError) as refused:
        _journey_read(ctx)
    assert refused.value.kind == outcome


def test_an_expired_draft_is_no_draft(ctx, draft_id):
    from sqlalchemy import update

    from survey.extensions import db
    from survey.models import Draft, utcnow

    db.session.execute(
        update(Draft).where(Draft.id == draft_id).values(expires_at=utcnow() - timedelta(hours=1))
    )
    db.session.commit()
    campaign, draft = _journey_read(ctx)
    assert campaign.slug == "example" and draft is None


def test_the_few_writes_of_the_journey_reach_the_draft(ctx, draft_id):
    """Switching language and a save-and-return code are statements by the draft's id."""
    from flask import g

    from survey.extensions import db
    from survey.models import Draft
    from survey.respond.services import hash_code, issue_resume_code, switch_language

    _, draft = _journey_read(ctx)
    with ctx.test_request_context("/"):
        g.languages = ["en", "pl"]  # a campaign in Polish too
        switch_language(draft, "pl")
        code = issue_resume_code(draft)
    db.session.expire_all()
    stored = db.session.get(Draft, draft_id)
    assert stored.language == "pl"
    assert stored.resume_code_hash == hash_code(code)
