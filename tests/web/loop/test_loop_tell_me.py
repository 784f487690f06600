"""Issue 17, part 5: the confirmation page names "you said, we did" and its date; care
leavers may leave a phone number or email, optionally, to be told when it is published:
kept apart from their answers and deleted once the message is sent."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.conftest import csrf_token_from


def _sent_care_leavers_survey(app, client, make_campaign, journey, walk):
    from survey.library import library

    make_campaign("leavers", "care-leavers-16-25")
    with app.app_context():
        questionnaire = library().get("care-leavers-16-25")
    person = journey(client, "leavers")
    walk(person, questionnaire, 0)
    assert person.submit().status_code == 302
    return client.get("/s/leavers/done").get_data(as_text=True)


def _contacts(app):
    from survey.extensions import db
    from survey.models import LoopContact

    with app.app_context():
        return [(c.channel, c.recipient) for c in db.session.scalars(select(LoopContact))]


def test_a_care_leaver_is_told_once_when_it_is_published_and_the_contact_is_deleted(
    app, client, make_campaign, journey, walk, smtp
):
    from survey.extensions import db
    from survey.invitations.sending import sweep
    from survey.models import Campaign, LoopContact, Publication

    done = _sent_care_leavers_survey(app, client, make_campaign, journey, walk)
    assert "You said, we did" in done and re.search(r"By \d+ \w+ \d{4}", done)
    assert "Tell me when it is published" in done and "(optional)" in done
    token = csrf_token_from(done)

    wrong = client.post(
        "/you-said-we-did/leavers/tell-me", data={"csrf_token": token, "contact": "call me"}
    )
    assert wrong.status_code == 400
    assert 'value="call me"' in wrong.get_data(as_text=True) and _contacts(app) == []

    told = client.post(
        "/you-said-we-did/leavers/tell-me", data={"csrf_token": token, "contact": "me@example.org"}
    )
    assert told.status_code == 200 and _contacts(app) == [("email", "me@example.org")]
    with app.app_context():
        # kept apart: the table has no column that could lead to an answer
        assert not {c.name for c in LoopContact.__table__.columns} & {
            "response_id",
            "draft_id",
            "invitation_id",
            "reference",
        }
        assert sweep()["told_it_is_published"] == 0  # not published yet: nothing sent
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "leavers"))
        db.session.add(Publication(campaign_id=campaign.id, title=campaign.title, items=[]))
        db.session.commit()
        assert sweep()["told_it_is_published"] == 1
        assert sweep()["told_it_is_published"] == 0
    [mail] = smtp.messages
    assert mail["To"] == "me@example.org"
    assert "http://heard.test/you-said-we-did/leavers" in mail.get_content()
    assert _contacts(app) == []


def test_other_surveys_do_not_ask_for_a_contact(app, client, make_campaign, journey, walk):
    from survey.library import library

    make_campaign("children", "cic-wellbeing-11-17")
    with app.app_context():
        questionnaire = library().get("cic-wellbeing-11-17")
    person = journey(client, "children")
    walk(person, questionnaire, 0)
    person.submit()
    done = client.get("/s/children/done").get_data(as_text=True)
    assert "You said, we did" in done and "Tell me when it is published" not in done
    token = csrf_token_from(done)
    refused = client.post(
        "/you-said-we-did/children/tell-me", data={"csrf_token": token, "contact": "a@example.org"}
    )
    assert refused.status_code == 404 and _contacts(app) == []


def test_only_someone_who_has_just_sent_their_answers_can_leave_a_contact(
    app, client, new_client, make_campaign, journey, walk
):
    """Found by a user trial: any page's CSRF token let anyone add contacts to the list."""
    done = _sent_care_leavers_survey(app, client, make_campaign, journey, walk)
    stranger = new_client()
    token = csrf_token_from(stranger.get("/resume").get_data(as_text=True))
    refused = stranger.post(
        "/you-said-we-did/leavers/tell-me", data={"csrf_token": token, "contact": "x@example.org"}
    )
    assert refused.status_code == 404 and _contacts(app) == []
    told = client.post(
        "/you-said-we-did/leavers/tell-me",
        data={"csrf_token": csrf_token_from(done), "contact": "me@example.org"},
    )
    assert told.status_code == 200 and _contacts(app) == [("email", "me@example.org")]
    # one contact for one set of answers: the same browser cannot add a list of them
    again = client.post(
        "/you-said-we-did/leavers/tell-me",
        data={"csrf_token": csrf_token_from(done), "contact": "other@example.org"},
    )
    assert again.status_code == 200 and _contacts(app) == [("email", "me@example.org")]
