"""Feedback after a child protection conference comes through a link made for that one
conference. No page names the conference by more than its type (a conference is about
one family), except where a safeguarding worker must act: on a possible current risk's
flag, the lead reads which conference it was and who chaired it, since the chair knows
the family. So the person who wrote it is not told "we cannot come to find you"."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

CHAIR = "Priya Okonkwo-Chair"
DISCLOSURE = "a staff member grabs me by the neck when nobody is looking"
NOT_FOUND = "We do not know who you are"


def _through_conference(app, client, journey, make_campaign, answers):
    from survey.extensions import db
    from survey.models import Campaign, CampaignLink, ConferenceType, LinkKind

    make_campaign()
    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "example"))
        db.session.add(
            CampaignLink(
                campaign_id=campaign.id,
                code="conflink1",
                kind=LinkKind.CONFERENCE,
                label=f"2026-12-02 ICPC {CHAIR}",
                conference_date=date(2026, 12, 2),
                conference_type=ConferenceType.ICPC,
                chair=CHAIR,
            )
        )
        db.session.commit()
    assert client.get("/c/CONFLINK1").status_code == 302
    person = journey(client)
    person.start()
    person.answer_all(answers)
    assert person.submit().status_code == 302


def _flag(app):
    from survey.extensions import db
    from survey.models import SafeguardingFlag

    with app.app_context():
        [flag] = db.session.scalars(select(SafeguardingFlag))
        return flag


def test_a_current_risk_through_a_conference_link_names_the_conference_to_the_lead(
    app, client, journey, make_campaign, every_type_answers, seen, staff_client
):
    every_type_answers["worries"]["worry-text"] = DISCLOSURE
    _through_conference(app, client, journey, make_campaign, every_type_answers)
    done = seen(client.get("/s/example/done"))
    assert done.soup.select_one(".help-panel") is not None
    assert NOT_FOUND not in done.text
    flag = _flag(app)
    assert flag.level == "current"
    for role in ("safeguarding", "admin"):
        page = staff_client(role).get(f"/staff/safeguarding/{flag.id}").text
        assert "How to reach them" in page and CHAIR in page, role
        assert "ICPC" in page and "2 December 2026" in page, role


def test_past_harm_through_a_conference_link_keeps_the_conference_to_its_type(
    app, client, journey, make_campaign, every_type_answers, staff_client
):
    from survey.extensions import db
    from survey.models import SafeguardingFlag

    every_type_answers["worries"]["worry-text"] = DISCLOSURE
    _through_conference(app, client, journey, make_campaign, every_type_answers)
    flag = _flag(app)
    with app.app_context():
        db.session.execute(
            update(SafeguardingFlag).where(SafeguardingFlag.id == flag.id).values(level="review")
        )
        db.session.commit()
    page = staff_client("safeguarding").get(f"/staff/safeguarding/{flag.id}").text
    assert CHAIR not in page and "How to reach them" not in page


def test_the_conference_is_named_nowhere_else(
    app, client, journey, make_campaign, every_type_answers, staff_client
):
    from survey.extensions import db
    from survey.models import Response

    every_type_answers["worries"]["worry-text"] = DISCLOSURE
    _through_conference(app, client, journey, make_campaign, every_type_answers)
    with app.app_context():
        [reference] = db.session.scalars(select(Response.reference))
    for role in ("admin", "participation", "safeguarding"):
        person = staff_client(role)
        for url in (
            f"/staff/campaigns/example/responses/{reference}",
            "/staff/campaigns/example/responses",
            "/staff/campaigns/example/responses.csv",
            "/staff/safeguarding/",
        ):
            got = person.get(url)
            assert got.status_code in (200, 403), (role, url)
            assert CHAIR not in got.get_data(as_text=True), (role, url)
