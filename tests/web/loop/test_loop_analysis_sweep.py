"""With a job queue, "send" screens in the request and queues the rest of the analysis.
A job that never ran (the web worker killed between its commit and the queue, Redis down
or emptied) is made up by the sweep every ``heard worker`` runs: the screen and its alerts
as well as the insights, so nothing sent is left unread."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.ops.test_ops_jobs import redis_queue  # noqa: F401 - a fixture

DISCLOSURE = "my step dad hits me when mum is out"
ORDINARY = "my social worker never calls me back and i have to chase her"


def _lost_job(app, make_campaign, text: str, ago: timedelta) -> int:
    """A response committed by a worker that was killed before it screened or queued."""
    from survey.extensions import db
    from survey.models import Answer, Campaign, Response, utcnow

    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "example"))
        if campaign is None:
            make_campaign()
            campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "example"))
        sent = utcnow() - ago
        response = Response(
            reference=f"HRD-LOST-{int(ago.total_seconds())}",
            campaign_id=campaign.id,
            questionnaire_id=campaign.questionnaire_id,
            questionnaire_version=campaign.questionnaire_version,
            started_at=sent - timedelta(minutes=5),
            submitted_at=sent,
        )
        response.answers = [Answer(question_id="worry-text", answer_type="free_text", value=text)]
        db.session.add(response)
        db.session.commit()
        return response.id


def _state(app, response_id: int) -> tuple[int, list[str]]:
    from survey.extensions import db
    from survey.models import AnswerInsight, SafeguardingFlag

    with app.app_context():
        insights = db.session.query(AnswerInsight).filter_by(response_id=response_id).count()
        levels = list(
            db.session.scalars(
                select(SafeguardingFlag.level).where(SafeguardingFlag.response_id == response_id)
            )
        )
    return insights, levels


def test_the_sweep_screens_and_analyses_a_response_whose_job_was_lost(app, make_campaign):
    from survey.extensions import db
    from survey.insights.services import sweep

    lost = _lost_job(app, make_campaign, DISCLOSURE, timedelta(minutes=5))
    assert _state(app, lost) == (0, [])
    with app.app_context():
        assert sweep() == 1
        db.session.remove()
    assert _state(app, lost) == (1, ["current"])  # the flag at its level, as "send" raises it
    with app.app_context():
        assert sweep() == 0  # nothing twice
    assert _state(app, lost) == (1, ["current"])


def test_the_sweep_plans_the_alert_of_the_flag_it_raises(app, make_campaign, monkeypatch):
    import survey.alerts.services
    from survey.insights.services import sweep

    told = []
    monkeypatch.setattr(survey.alerts.services, "after_response", told.append)
    lost = _lost_job(app, make_campaign, DISCLOSURE, timedelta(minutes=5))
    with app.app_context():
        sweep()
    assert told == [lost]


def test_the_sweep_leaves_a_response_whose_job_may_still_be_queued(app, make_campaign):
    from survey.insights.services import SWEEP_GRACE, sweep

    recent = _lost_job(app, make_campaign, ORDINARY, SWEEP_GRACE / 2)
    with app.app_context():
        assert sweep() == 0
    assert _state(app, recent) == (0, [])
    with app.app_context():
        assert sweep(grace=timedelta(0)) == 1
    assert _state(app, recent) == (1, [])


def test_a_job_that_loses_the_race_to_the_sweep_stores_nothing_twice(
    app, make_campaign, monkeypatch
):
    """The job and the sweep (two workers) both find the answer unanalysed; the second
    write is refused by the unique answer id, and that is not an error."""
    import survey.insights.services as services
    from survey.extensions import db

    lost = _lost_job(app, make_campaign, DISCLOSURE, timedelta(minutes=5))
    with app.app_context():
        stale = services._pending([lost])
        assert services.store_insights([lost]) == 1  # the other worker, first
        db.session.expire_all()
        real = services._pending
        calls = iter([stale])
        monkeypatch.setattr(services, "_pending", lambda ids: next(calls, None) or real(ids))
        assert services.store_insights([lost]) == 0
    assert _state(app, lost) == (1, ["current"])


def test_an_integrity_error_that_is_not_a_lost_race_is_raised(app, make_campaign, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    import survey.insights.services as services

    lost = _lost_job(app, make_campaign, ORDINARY, timedelta(minutes=5))

    def refused(*args, **kwargs):
        raise IntegrityError("INSERT", {}, Exception("refused"))

    with app.app_context():
        monkeypatch.setattr(services.db.session, "commit", refused)
        with pytest.raises(IntegrityError):
            services.store_insights([lost])


def test_pages_that_read_insights_work_before_and_after_the_job(
    app, answered, queued_jobs, staff_client
):
    """Between "send" and the job the flag is on the queue without its insight, and the
    summary has not counted the answer yet; after the job both are complete."""
    from survey.extensions import db
    from survey.insights.jobs import analyse_response
    from survey.models import Response

    [response_id] = answered(texts=[DISCLOSURE])
    assert _state(app, response_id) == (0, ["current"])
    lead, qa = staff_client("safeguarding"), staff_client("qa_reviewer")
    pages = ("/staff/review/", "/staff/review/comments", "/staff/review/themes.csv")
    assert lead.get("/staff/safeguarding/").status_code == 200
    assert all(qa.get(page).status_code == 200 for page in pages)
    with app.app_context():
        analyse_response(db.session.scalar(select(Response.id)))
    assert _state(app, response_id) == (1, ["current"])
    assert lead.get("/staff/safeguarding/").status_code == 200
    assert all(qa.get(page).status_code == 200 for page in pages)


def test_send_screens_in_the_request_and_a_worker_stores_the_insights(
    app,
    client,
    journey,
    make_campaign,
    every_type_answers,
    redis_queue,  # noqa: F811
):
    """Through the real queue: the flag is on the lead's queue when "send" returns; the
    sentiment and themes come when the worker has run the job."""
    from survey import jobs
    from survey.extensions import db
    from survey.models import AnswerInsight, SafeguardingFlag

    make_campaign()
    every_type_answers["worries"]["worry-text"] = "my step dad hits me when mum is out"
    person = journey(client)
    person.start()
    person.answer_all(every_type_answers)
    person.check()
    assert person.submit().status_code == 302
    with app.app_context():
        [flag] = db.session.scalars(select(SafeguardingFlag)).all()
        assert flag.level == "current" and flag.insight_id is None
        assert db.session.query(AnswerInsight).count() == 0
    assert len(redis_queue) == 1
    assert jobs.work(app, burst=True)
    with app.app_context():
        [insight] = db.session.scalars(select(AnswerInsight)).all()
        [flag] = db.session.scalars(select(SafeguardingFlag)).all()
        assert insight.flagged and flag.insight_id == insight.id
