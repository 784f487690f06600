"""A disclosure reaches the safeguarding lead's queue the moment it is saved, stays there
until someone says what was done, and is shown to every admin when it waits too long."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.web.loop.conftest import post_form

DISCLOSURE = "my step dad hits me when mum is out"


def _flags(app):
    from survey.extensions import db
    from survey.models import SafeguardingFlag

    with app.app_context():
        return list(db.session.scalars(select(SafeguardingFlag)))


def test_a_response_sent_through_the_runner_is_analysed_and_flagged_on_save(
    app, client, journey, make_campaign, every_type_answers, staff_client
):
    from survey.extensions import db
    from survey.models import AnswerInsight

    make_campaign()
    every_type_answers["worries"]["worry-text"] = DISCLOSURE
    person = journey(client)
    person.start()
    person.answer_all(every_type_answers)
    person.check()
    assert person.submit().status_code == 302
    with app.app_context():
        [insight] = db.session.scalars(select(AnswerInsight)).all()
        assert insight.flagged and insight.question_id == "worry-text"
    [flag] = _flags(app)
    assert flag.acknowledged_at is None
    lead = staff_client("safeguarding")
    page = lead.get("/staff/safeguarding/").get_data(as_text=True)
    assert f"Flag {flag.id}" in page
    assert "1 safeguarding flag is waiting for you" in page


def test_analysis_failing_never_loses_the_response_and_catches_up_later(app, answered, monkeypatch):
    import survey.jobs
    from survey.extensions import db
    from survey.insights.services import store_missing
    from survey.models import AnswerInsight, Response

    def broken(*args):
        raise RuntimeError("engine down")

    monkeypatch.setattr(survey.jobs, "enqueue", broken)
    answered(texts=[DISCLOSURE])
    with app.app_context():
        assert db.session.query(Response).count() == 1
        assert db.session.query(AnswerInsight).count() == 0
        monkeypatch.undo()
        assert store_missing() == 1
        assert store_missing() == 0  # idempotent
    assert len(_flags(app)) == 1


def test_a_flag_is_closed_only_with_what_was_done_and_who_did_it(app, answered, staff_client):
    from survey.extensions import db
    from survey.models import AuditEvent

    answered(texts=[DISCLOSURE, "school is fine"])
    [flag] = _flags(app)
    lead = staff_client("safeguarding")
    url = f"/staff/safeguarding/{flag.id}"
    page = lead.get(url).get_data(as_text=True)
    assert DISCLOSURE in page  # the lead reads the child's own words
    empty = post_form(lead, url, {"action_taken": "  "})
    assert empty.status_code == 400
    assert "Enter what was done about this flag" in empty.get_data(as_text=True)
    assert "Choose what came of this flag" in empty.get_data(as_text=True)
    done = post_form(
        lead, url, {"outcome": "referred", "action_taken": "Referred to the front door"}
    )
    assert done.status_code == 302
    [flag] = _flags(app)
    assert flag.action_taken == "Referred to the front door" and flag.outcome == "referred"
    assert "Referred to the front door or MASH" in lead.get("/staff/safeguarding/").text
    assert flag.acknowledged_at is not None and flag.acknowledged_by_id is not None
    with app.app_context():
        actions = {e.action for e in db.session.scalars(select(AuditEvent))}
    assert {"flag_viewed", "flag_acknowledged"} <= actions


def test_a_second_acknowledgement_does_not_overwrite_the_first(app, answered, make_user):
    from survey.extensions import db
    from survey.insights.flags import acknowledge
    from survey.models import SafeguardingFlag, User

    answered(texts=[DISCLOSURE])
    make_user("safeguarding")
    make_user("admin")
    with app.app_context():
        flag = db.session.scalars(select(SafeguardingFlag)).one()
        lead, admin = db.session.scalars(select(User).order_by(User.id)).all()
        assert acknowledge(flag, lead.id, "Rang the social worker")
        assert not acknowledge(flag, admin.id, "Something else")
    [flag] = _flags(app)
    assert flag.action_taken == "Rang the social worker"


def test_flags_waiting_past_the_set_time_are_shown_to_every_admin(app, answered, staff_client):
    from survey.extensions import db
    from survey.models import SafeguardingFlag, utcnow

    answered(texts=[DISCLOSURE])
    admin = staff_client("admin")
    assert "waited too long" not in admin.get("/staff/").get_data(as_text=True)
    with app.app_context():
        flag = db.session.scalars(select(SafeguardingFlag)).one()
        flag.raised_at = utcnow() - timedelta(hours=5)
        db.session.commit()
    page = admin.get("/staff/").get_data(as_text=True)
    assert "1 safeguarding flag has waited too long for someone to act" in page
    qa = staff_client("qa_reviewer")
    assert "safeguarding flag" not in qa.get("/staff/").get_data(as_text=True)


def test_the_queue_is_for_the_safeguarding_lead_and_admins_only(staff_client):
    assert staff_client("qa_reviewer").get("/staff/safeguarding/").status_code == 403
    assert staff_client("safeguarding").get("/staff/safeguarding/").status_code == 200


def test_with_a_job_queue_the_flag_is_raised_in_the_request_and_linked_by_the_job(
    app, answered, queued_jobs
):
    from survey.extensions import db
    from survey.insights.jobs import analyse_response
    from survey.models import AnswerInsight, Response

    answered(texts=[DISCLOSURE])
    [flag] = _flags(app)
    assert flag.insight_id is None and flag.acknowledged_at is None
    assert [path for path, _ in queued_jobs] == ["survey.insights.jobs:analyse_response"]
    with app.app_context():
        assert db.session.query(AnswerInsight).count() == 0
        analyse_response(db.session.scalar(select(Response.id)))  # the worker runs the job
    [flag] = _flags(app)
    assert flag.insight_id is not None


def test_one_submission_raises_one_flag_listing_every_answer(app, make_campaign, staff_client):
    """Four disclosures in one response are one item on the queue, not four: one anonymous
    submission cannot fill the queue. The lead's page shows every answer concerned."""
    from survey.extensions import db
    from survey.insights.services import store_insights
    from survey.models import Answer, Campaign, Response, utcnow

    slug, _ = make_campaign()
    texts = {
        "worry-text": "I have nothing to worry about",
        "extra-one": DISCLOSURE,
        "extra-two": "I want to kill myself tonight",
        "extra-three": "he touches me and says not to tell",
    }
    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
        response = Response(
            reference="HRD-FOUR-FLAG",
            campaign_id=campaign.id,
            questionnaire_id=campaign.questionnaire_id,
            questionnaire_version=campaign.questionnaire_version,
            started_at=utcnow() - timedelta(minutes=5),
            submitted_at=utcnow(),
        )
        response.answers = [
            Answer(question_id=q, answer_type="free_text", value=t) for q, t in texts.items()
        ]
        db.session.add(response)
        db.session.commit()
        store_insights([response.id])
    [flag] = _flags(app)
    assert flag.questions == ["extra-one", "extra-two", "extra-three"]
    assert flag.level == "current"
    lead = staff_client("safeguarding")
    assert lead.get("/staff/safeguarding/").text.count(f"/staff/safeguarding/{flag.id}") >= 1
    page = lead.get(f"/staff/safeguarding/{flag.id}").text
    for question in ("extra-one", "extra-two", "extra-three"):
        assert texts[question].replace("'", "&#39;") in page
    listing = staff_client("qa_reviewer").get(f"/staff/campaigns/{slug}/responses/HRD-FOUR-FLAG")
    assert listing.text.count("This answer is with the safeguarding lead.") == 3


def test_a_burst_of_flags_from_one_campaign_is_shown_to_admins(app, answered, staff_client):
    from survey.insights.flags import burst_size

    with app.app_context():
        many = burst_size() + 1
    answered(texts=[DISCLOSURE] * many)
    assert len(_flags(app)) == many  # nothing dropped
    page = staff_client("admin").get("/staff/").text
    assert f"{many} safeguarding flags from" in page and "flooding the queue" in page
    assert "flooding the queue" not in staff_client("participation").get("/staff/").text


def test_a_flag_is_given_to_a_named_person_and_the_queue_says_who(app, answered, staff_client):
    from survey.extensions import db
    from survey.models import AuditEvent, User

    answered(texts=[DISCLOSURE])
    [flag] = _flags(app)
    lead = staff_client("safeguarding")
    staff_client("qa_reviewer")  # not someone a flag can be given to
    with app.app_context():
        people = {role.value: u for u in db.session.scalars(select(User)) for role in u.roles}
    url = f"/staff/safeguarding/{flag.id}"
    page = lead.get(url).text
    assert f'value="{people["safeguarding"].id}"' in page
    assert f'value="{people["qa_reviewer"].id}"' not in page
    token = csrf_token_from(page)
    qa_id, lead_id = str(people["qa_reviewer"].id), str(people["safeguarding"].id)
    refused = lead.post(f"{url}/assign", data={"assigned_to": qa_id, "csrf_token": token})
    assert refused.status_code == 400 and "Choose who is looking into it" in refused.text
    given = lead.post(f"{url}/assign", data={"assigned_to": lead_id, "csrf_token": token})
    assert given.status_code == 302
    [flag] = _flags(app)
    assert flag.assigned_to_id == people["safeguarding"].id
    assert "Safeguarding" in lead.get("/staff/safeguarding/").text.split("Looking into it", 1)[1]
    with app.app_context():
        assert db.session.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "flag_assigned")
        )


def test_the_lead_sees_the_reference_age_band_and_earlier_flags_from_the_same_link(
    app, client, new_client, journey, make_campaign, every_type_answers, staff_client
):
    """A child on a personal link types a disclosure on a phone and stops, then answers
    on a laptop and sends: the second flag's page names the first."""
    _, tokens = make_campaign("personal", invitations=1, anonymous_link=False)
    phone = journey(client, slug="personal")
    phone.open_invitation(tokens[0])
    phone.answer("feelings", every_type_answers["feelings"])
    phone.answer("worries", {"worry-text": "my stepdad hits me when mum is at work"})
    every_type_answers["worries"]["worry-text"] = "he hit me again last night"
    person = journey(new_client(), slug="personal")
    person.open_invitation(tokens[0])
    person.answer_all(every_type_answers)
    assert person.submit().status_code == 302
    first, second = sorted(_flags(app), key=lambda f: f.id)
    assert first.unsent and not second.unsent
    page = staff_client("safeguarding").get(f"/staff/safeguarding/{second.id}").text
    assert f'href="/staff/safeguarding/{first.id}"' in page
    with app.app_context():
        from survey.extensions import db
        from survey.models import Response

        reference = db.session.scalars(select(Response.reference)).one()
    assert reference in page
