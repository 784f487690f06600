"""Intake: by staff on someone's behalf, through an advocate, and from the front door."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from survey.extensions import db
from survey.models import Answer, Complaint, ComplaintStatus, Compliment, Response
from tests.web.complaints.conftest import BASE, submit


def _summary_links(html: str) -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    return {a["href"]: a.get_text(strip=True) for a in soup.select(".error-summary a")}


def test_staff_record_a_phone_complaint_and_see_its_deadlines(officer, new_complaint):
    reference = new_complaint()
    page = officer.get(f"/staff/complaints/{reference}").get_data(as_text=True)
    assert "Rae Parent" in page
    assert "Mon 19 January 2026" in page  # 10 working days after Monday 5 January
    assert "Thu 8 January 2026" in page  # acknowledgement, 3 working days


def test_empty_form_lists_every_problem_linked_to_its_field(officer):
    response = submit(officer, "/staff/complaints/new", {})
    assert response.status_code == 400
    links = _summary_links(response.get_data(as_text=True))
    assert links["#channel"] == "Choose how the complaint arrived"
    assert links["#received_on"] == "Enter the date the complaint was received"
    assert links["#role"] == "Choose who it is from"
    assert links["#summary"] == "Enter what happened"


def test_contact_by_email_needs_an_email_address(officer):
    response = submit(officer, "/staff/complaints/new", {**BASE, "email": ""})
    assert _summary_links(response.get_data(as_text=True))["#email"] == (
        "Enter their email address, or choose another way to contact them"
    )


def test_a_date_that_is_not_a_date_says_how_to_fix_it(officer):
    response = submit(officer, "/staff/complaints/new", {**BASE, "received_on": "31/02/2026"})
    assert _summary_links(response.get_data(as_text=True))["#received_on"] == (
        "Enter a real date, for example 2026-03-27"
    )


def test_a_complaint_by_a_child_must_record_the_advocate_offer(officer):
    data = {**BASE, "role": "child-young-person", "advocate_wanted": ""}
    response = submit(officer, "/staff/complaints/new", data)
    assert _summary_links(response.get_data(as_text=True))["#advocate_wanted"] == (
        "Offer an advocate and record the answer"
    )


def test_an_advocate_complaint_names_the_advocate(officer, new_complaint, ctx):
    data = {**BASE, "channel": "advocate", "role": "advocate", "advocate_wanted": "already-have"}
    response = submit(officer, "/staff/complaints/new", data)
    assert _summary_links(response.get_data(as_text=True))["#advocate_name"].startswith(
        "Enter the advocate's name"
    )
    reference = new_complaint(**data, advocate_name="Jan Advocate, Voices Ltd", child_name="Kai")
    complaint = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
    assert complaint.for_child and complaint.advocate_name == "Jan Advocate, Voices Ltd"


def test_a_complaint_a_year_after_the_events_is_flagged_not_refused(officer, new_complaint):
    reference = new_complaint(events_on="2024-12-01", received_on="2026-01-05")
    page = officer.get(f"/staff/complaints/{reference}").get_data(as_text=True)
    assert "Made more than a year after the events" in page
    exactly_a_year = new_complaint(
        events_on="2025-01-05", received_on="2026-01-05", email="other@example.org"
    )
    page = officer.get(f"/staff/complaints/{exactly_a_year}").get_data(as_text=True)
    assert "Made more than a year after the events" not in page


def test_events_after_receipt_are_refused(officer):
    response = submit(officer, "/staff/complaints/new", {**BASE, "events_on": "2026-01-06"})
    assert _summary_links(response.get_data(as_text=True))["#events_on"] == (
        "Enter a date on or before the date it was received"
    )


def test_a_conference_complaint_is_routed_outside_the_statutory_procedure(officer, new_complaint):
    reference = new_complaint(category="child-protection-conference")
    page = officer.get(f"/staff/complaints/{reference}").get_data(as_text=True)
    assert "Handled outside the statutory procedure" in page
    assert "conference&#39;s own complaints or appeal process" in page
    assert "No deadlines" in page


def _front_door(ctx, answers: dict, submitted: datetime, reference: str) -> Response:
    from survey.models import Campaign, CampaignStatus

    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "front-door"))
    if campaign is None:
        campaign = Campaign(
            slug="front-door",
            title="Front door",
            questionnaire_id="compliments-complaints",
            questionnaire_version=1,
            status=CampaignStatus.OPEN,
            opens_at=submitted,
            closes_at=submitted,
        )
        db.session.add(campaign)
        db.session.flush()
    response = Response(
        reference=reference,
        campaign_id=campaign.id,
        questionnaire_id="compliments-complaints",
        questionnaire_version=1,
        started_at=submitted,
        submitted_at=submitted,
    )
    response.answers = [Answer(question_id=k, answer_type="x", value=v) for k, v in answers.items()]
    db.session.add(response)
    db.session.commit()
    return response


COMPLAINT_ANSWERS = {
    "feedback-type": "complaint",
    "who-you-are": "extended-family",
    "teams": ["child-protection", "front-door-assessment"],
    "what-happened": "Nobody listened and my concerns were not taken seriously.",
    "when-happened": "2026-01-02",
    "wanted-outcome": "A meeting.",
    "raised-before": "no",
    "advocate-wanted": "yes",
    "contact-how": "phone",
    "contact-name": "Gran",
    "contact-phone": "07700 900123",
    "consent-store": True,
}


def test_front_door_complaint_becomes_a_complaint_once(ctx):
    from survey.complaints.services import intake_from_response

    # Summer time starts on 29 March 2026: 23:30 UTC on Saturday the 28th is still the 28th.
    response = _front_door(ctx, COMPLAINT_ANSWERS, datetime(2026, 3, 28, 23, 30, tzinfo=UTC), "FD1")
    complaint = intake_from_response(response)
    assert isinstance(complaint, Complaint)
    assert intake_from_response(response) is None  # a second call makes nothing
    assert complaint.received_on.isoformat() == "2026-03-28"
    assert complaint.complainant.phone == "07700 900123"
    assert complaint.for_child and complaint.advocate_wanted == "yes"
    assert {"extended-family", "several-teams", "concerns-not-taken-seriously"} <= set(
        complaint.facets
    )
    assert complaint.status is ComplaintStatus.OPEN
    assert complaint.stages[0].stage_id == "stage-1"


def test_summer_time_evening_submit_counts_as_the_next_day(ctx):
    from survey.complaints.services import intake_from_response

    response = _front_door(ctx, COMPLAINT_ANSWERS, datetime(2026, 6, 5, 23, 30, tzinfo=UTC), "FD2")
    assert intake_from_response(response).received_on.isoformat() == "2026-06-06"


def test_anonymous_compliment_and_comment_become_compliments(ctx):
    from survey.complaints.services import intake_from_response

    compliment = intake_from_response(
        _front_door(
            ctx,
            {
                "feedback-type": "compliment",
                "who-you-are": "parent",
                "teams": ["fostering"],
                "what-happened": "Thank you",
                "compliment-worker": "Sam",
                "contact-how": "anonymous",
                "contact-name": "should not be kept",
            },
            datetime(2026, 3, 2, 10, tzinfo=UTC),
            "FD3",
        )
    )
    assert isinstance(compliment, Compliment)
    assert compliment.worker_name == "Sam" and compliment.complainant.name == ""
    comment = intake_from_response(
        _front_door(
            ctx,
            {
                "feedback-type": "comment",
                "who-you-are": "carer",
                "what-happened": "An idea",
                "contact-how": "anonymous",
            },
            datetime(2026, 3, 2, 11, tzinfo=UTC),
            "FD4",
        )
    )
    assert comment.kind.value == "comment"


def test_other_questionnaires_are_ignored(ctx):
    from survey.complaints.services import intake_from_response

    response = _front_door(ctx, COMPLAINT_ANSWERS, datetime(2026, 3, 2, 10, tzinfo=UTC), "FD5")
    response.questionnaire_id = "care-leavers"
    assert intake_from_response(response) is None


def test_catch_up_records_what_the_hook_missed_with_its_true_receipt_date(app, officer):
    from survey.cli import catch_up, init_db
    from survey.models import Complaint

    with app.app_context():
        _front_door(None, COMPLAINT_ANSWERS, datetime(2026, 3, 2, 10, tzinfo=UTC), "FD6")
        _front_door(
            None,
            {**COMPLAINT_ANSWERS, "feedback-type": "compliment"},
            datetime(2026, 3, 3, 10, tzinfo=UTC),
            "FD7",
        )
    result = app.test_cli_runner().invoke(catch_up, [])
    assert "Recorded 2 front-door submissions" in result.output, result.output
    result = app.test_cli_runner().invoke(init_db, [])  # an upgrade records nothing twice
    assert "front-door" not in result.output, result.output
    with app.app_context():
        complaint = db.session.scalar(select(Complaint).where(Complaint.reference == "FD6"))
        assert complaint is not None and complaint.received_on == date(2026, 3, 2)
    page = officer.get("/staff/complaints/").get_data(as_text=True)
    assert "FD6" in page and "Import" not in page


def test_the_hook_never_breaks_a_submit(ctx, monkeypatch):
    from survey.complaints import intake, services

    def broken(response):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away")

    monkeypatch.setattr(intake, "intake_from_response", broken)
    response = _front_door(ctx, COMPLAINT_ANSWERS, datetime(2026, 3, 2, 10, tzinfo=UTC), "FD8")
    assert services.intake_from_response(response) is None


def test_an_online_complaint_is_on_the_list_at_once_under_the_reference_the_sender_saw(
    app, client, make_campaign, journey, officer
):
    """Given someone sends a complaint through the front door, then the confirmation
    speaks of a complaint with its dates from the procedure and the advocacy offer, and the
    complaints list has it, at once, under the same reference."""
    from survey.complaints.procedure import add_working_days
    from survey.library import library
    from tests.web.conftest import valid_answer

    make_campaign("front-door", "compliments-complaints")
    with app.app_context():
        questionnaire = library().get("compliments-complaints")
    person = journey(client, "front-door")
    person.start()
    location = "/s/front-door/q/" + questionnaire.pages[0].id
    while "/q/" in location:
        page_id = location.split("/q/")[1].split("?")[0]
        data: dict = {}
        for question in questionnaire.page(page_id).questions:
            data.update(valid_answer(question, 0))
        if "feedback-type" in data:
            data["feedback-type"] = "complaint"
        location = person.answer(page_id, data).headers["Location"]
    assert person.submit().status_code == 302
    page = client.get("/s/front-door/done").get_data(as_text=True)
    soup = BeautifulSoup(page, "html.parser")
    assert soup.h1.get_text(strip=True) == "We have your complaint"
    reference = soup.select_one(".reference").get_text(strip=True)
    assert "When the survey has closed" not in page
    with app.app_context():
        complaint = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
        assert complaint is not None
        acknowledge_by = add_working_days(complaint.received_on, 3)
        respond_by = add_working_days(complaint.received_on, 10)
    assert acknowledge_by.strftime("%-d %B %Y") in page
    assert respond_by.strftime("%-d %B %Y") in page
    assert "Help from an advocate" in page
    listing = officer.get("/staff/complaints/").get_data(as_text=True)
    assert reference in listing


def test_a_complaint_is_told_about_once_on_a_shared_device(client, send_shipped):
    """Found by a user trial: Back, a reload or the history on a carer's tablet reopened
    "We have your complaint", its reference and the advocate asked for. Now only the first
    view says so (its language switch once more); the page title, which the history keeps,
    never does."""
    send_shipped("front-door", "compliments-complaints", chosen={"feedback-type": "complaint"})
    first = BeautifulSoup(client.get("/s/front-door/done").text, "html.parser")
    reference = first.select_one(".reference").get_text(strip=True)
    assert first.h1.get_text(strip=True) == "We have your complaint"
    assert "complaint" not in first.title.get_text().lower()
    switch = {i["name"]: i["value"] for i in first.select("form.languages input[type=hidden]")}
    assert switch["next"].startswith("/s/front-door/done?again=")
    for again in (client.get("/s/front-door/done"), client.get(switch["next"] + "x")):
        assert again.status_code == 200
        assert reference not in again.text
        assert "complaint" not in again.text.lower() and "advocate" not in again.text.lower()
        assert "shown only once" in again.text
    once_more = client.get(switch["next"])  # the first view read in another language
    assert reference in once_more.text
    assert reference not in client.get(switch["next"]).text  # the key is spent


def test_the_confirmation_says_only_what_fits_the_sender(ctx):
    """Found by a blind probe: an anonymous sender was promised a reply by a date, and one
    who already had an advocate was offered one."""
    from survey.complaints.intake import front_door_record
    from survey.complaints.services import intake_from_response

    cases = {
        "FD20": ({"contact-how": "anonymous", "advocate-wanted": "yes"}, (False, "arrange")),
        "FD21": ({"advocate-wanted": "already-have"}, (True, "none")),
        "FD22": ({"advocate-wanted": "not-sure"}, (True, "explain")),
        "FD23": ({"advocate-wanted": "no"}, (True, "offer")),
    }
    for reference, (changes, expected) in cases.items():
        response = _front_door(
            ctx, {**COMPLAINT_ANSWERS, **changes}, datetime(2026, 3, 2, 10, tzinfo=UTC), reference
        )
        intake_from_response(response)
        record = front_door_record(reference)
        assert (record.can_reply, record.advocate) == expected, reference


@pytest.mark.parametrize(
    ("advocate", "told"),
    [("yes", "so that we can arrange one"), ("not-sure", "to hear more")],
)
def test_an_anonymous_complainant_who_asked_about_an_advocate_is_given_a_number_to_call(
    client, send_shipped, advocate, told
):
    """Found by a user trial: "please call us and give your reference", on a page with no
    number for the complaints team."""
    chosen = {
        "feedback-type": "complaint",
        "who-you-are": "parent",
        "advocate-wanted": advocate,
        "contact-how": "anonymous",
    }
    send_shipped("front-door", "compliments-complaints", chosen=chosen)
    first = BeautifulSoup(client.get("/s/front-door/done").text, "html.parser")
    words = " ".join(first.get_text(" ").split())
    assert f"call the complaints team on 01632 960 002 and give your reference {told}" in words
    assert first.select_one("main a[href='tel:01632960002']") is not None
    later = client.get("/s/front-door/done").text
    assert "01632 960 002" in later and "your name" not in later
    assert "complaint" not in later.lower()
