"""The complaints list says what the officer cannot do yet: words held by the safeguarding
lead, and an advocate asked for by someone who left no way to reach them."""

from __future__ import annotations

from datetime import UTC, datetime

from bs4 import BeautifulSoup

from tests.web.complaints.test_complaint_flagged_words import WORDS, _flagged
from tests.web.complaints.test_complaint_intake import COMPLAINT_ANSWERS, _front_door


def _tags(page: str, reference: str) -> str:
    soup = BeautifulSoup(page, "html.parser")
    row = next(tr for tr in soup.select("tbody tr") if reference in tr.get_text())
    return " ".join(row.get_text(" ").split())


def test_a_complaint_whose_words_the_lead_holds_says_so_on_the_list(app, staff_client, officer):
    _flagged(app, {**COMPLAINT_ANSWERS, "what-happened": WORDS}, "FDL1", ["what-happened"])
    tags = _tags(officer.get("/staff/complaints/").get_data(as_text=True), "FDL1")
    assert "Words with the safeguarding lead" in tags
    # an administrator reads them, so nothing is held for them
    admin = _tags(staff_client("admin").get("/staff/complaints/").get_data(as_text=True), "FDL1")
    assert "Words with the safeguarding lead" not in admin


def test_an_anonymous_request_for_an_advocate_is_not_a_task_the_team_can_do(app, officer):
    from survey.complaints.services import intake_from_response
    from survey.extensions import db

    anonymous = {
        **COMPLAINT_ANSWERS,
        "advocate-wanted": "not-sure",
        "contact-how": "anonymous",
        "contact-name": "",
        "contact-phone": "",
    }
    named = {**COMPLAINT_ANSWERS, "advocate-wanted": "yes"}
    with app.app_context():
        when = datetime.now(UTC).replace(microsecond=0)
        for answers, reference in ((anonymous, "FDA1"), (named, "FDA2")):
            assert intake_from_response(_front_door(None, answers, when, reference)) is not None
        db.session.commit()
    page = officer.get("/staff/complaints/").get_data(as_text=True)
    assert "Advocate to arrange" not in _tags(page, "FDA1")
    assert "Asked about an advocate: anonymous, given our number" in _tags(page, "FDA1")
    assert "Advocate to arrange" in _tags(page, "FDA2")
    detail = officer.get("/staff/complaints/FDA1").get_data(as_text=True)
    assert "They stayed anonymous, so we cannot reach them" in detail
    assert "cannot reach them" not in officer.get("/staff/complaints/FDA2").get_data(as_text=True)


def test_a_flag_on_a_box_the_record_does_not_hold_back_is_not_said_to_hold_words(app, officer):
    """Found by a review: a flag on the contact address withholds no field of the record,
    so the list must not say the lead holds its words."""
    _flagged(app, {**COMPLAINT_ANSWERS}, "FDL2", ["contact-phone"])
    tags = _tags(officer.get("/staff/complaints/").get_data(as_text=True), "FDL2")
    assert "Words with the safeguarding lead" not in tags


def test_the_complaint_page_lists_every_step_in_order(app):
    """The page's list of steps (its titles, in the blueprint) and the steps' forms (in
    views) are kept in two places so neither view module imports the other."""
    from survey.complaints.blueprint import STEP_TITLES
    from survey.complaints.views import STEPS

    assert list(STEP_TITLES) == list(STEPS)
    assert all(STEPS[key].title is STEP_TITLES[key] for key in STEPS)
