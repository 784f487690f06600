"""Found in a code review: ``heard purge`` keeps the words of an answer past its retention
date while its safeguarding flag is open, and says so to whoever runs it, but the lead on
the queue was never told. The queue now says how many open flags hold words past their date,
and that acknowledging them lets the next purge delete those words."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.web.loop.conftest import post_form
from tests.web.loop.test_loop_safeguarding import DISCLOSURE

THREE_YEARS = timedelta(days=3 * 365)  # past a survey's 24 months
KEPT = "kept past their retention date"


def _queue(client) -> str:
    page = client.get("/staff/safeguarding/")
    assert page.status_code == 200
    return " ".join(page.text.split())


def test_open_flags_on_answers_past_retention_are_counted_for_the_lead_and_admins(
    app, answered, staff_client
):
    old = answered(texts=[DISCLOSURE, DISCLOSURE], submitted_ago=THREE_YEARS)
    answered(texts=[DISCLOSURE])  # flagged today: within retention

    for role in ("safeguarding", "admin"):
        said = _queue(staff_client(role))
        assert "2 flags waiting here are on words kept past their retention date" in said, role
        assert "Acknowledging them lets the next retention purge delete those words" in said

    from survey.extensions import db
    from survey.models import SafeguardingFlag

    with app.app_context():
        first = db.session.scalar(
            select(SafeguardingFlag.id).where(SafeguardingFlag.response_id == old[0])
        )
    lead = staff_client("safeguarding+qa_reviewer")
    url = f"/staff/safeguarding/{first}"
    assert post_form(lead, url, {"outcome": "referred", "action_taken": "MASH"}).status_code == 302

    said = _queue(lead)
    assert "1 flag waiting here is on words kept past their retention date" in said
    assert "Acknowledging it lets the next retention purge delete those words" in said


def test_no_notice_when_no_open_flag_is_past_retention(app, answered, staff_client):
    answered(texts=[DISCLOSURE])  # a flag within retention
    answered(texts=["I like my new school"], submitted_ago=THREE_YEARS)  # old, no flag

    assert KEPT not in _queue(staff_client("safeguarding"))


def test_the_purges_retention_file_decides_what_is_past(
    app, answered, staff_client, tmp_path, monkeypatch
):
    answered(texts=[DISCLOSURE], submitted_ago=THREE_YEARS)
    settings = tmp_path / "retention.yaml"
    settings.write_text("kinds: {survey: 60}\n")
    monkeypatch.setitem(app.config, "RETENTION_FILE", str(settings))
    lead = staff_client("safeguarding")

    assert KEPT not in _queue(lead)  # five years kept: not yet past

    settings.write_text("kinds: {survey: 60}\nquestionnaires: {example-every-type: 12}\n")
    assert "1 flag waiting here is on words" in _queue(lead)

    settings.write_text("kinds: {survey: 0}\n")  # a mistake: the purge refuses it
    assert KEPT not in _queue(lead)  # the queue still shows, without the notice


def test_words_typed_before_send_count_from_when_they_were_flagged(
    app, make_campaign, staff_client
):
    """A flag raised on an answer never sent keeps a copy of the words; the purge deletes
    the copy, counted from when it was raised, once the flag is acknowledged."""
    from survey.extensions import db
    from survey.models import Campaign, SafeguardingFlag, utcnow

    make_campaign()
    with app.app_context():
        campaign = db.session.scalar(select(Campaign))
        for raised, words in [
            (utcnow() - THREE_YEARS, {"worry-text": [DISCLOSURE]}),  # past its date
            (utcnow() - THREE_YEARS, {}),  # past, but its copy is gone: nothing kept
            (utcnow() - timedelta(days=3), {"worry-text": [DISCLOSURE]}),  # within it
        ]:
            db.session.add(
                SafeguardingFlag(
                    campaign_id=campaign.id,
                    category="harm",
                    raised_at=raised,
                    unsent=True,
                    draft_words=words,
                )
            )
        db.session.commit()

    assert "1 flag waiting here is on words" in _queue(staff_client("safeguarding"))
