"""A care leaver's check-in is kept apart from the answers it came with.

The check-in page says: "We will pass on only what you write on this page. Your other
answers stay anonymous." So no answer page or export shows it, to anyone; the check-in
list shows it with nothing that leads back to the answers; and the safeguarding lead, who
may need to act on a disclosure in the same answers, reads it on the flag's page.
"""

from __future__ import annotations

import io

from sqlalchemy import select

from tests.conftest import csrf_token_from

CONTACT = "Sam Taylor, text me on 07700 900123 after 4pm"
CHECK_IN = {"checkin-wanted": "yes", "checkin-contact": CONTACT}


def _one(app, model):  # type: ignore[no-untyped-def]
    from survey.extensions import db

    with app.app_context():
        [row] = db.session.scalars(select(model))
        return row


def _audit(app, action):  # type: ignore[no-untyped-def]
    from survey.extensions import db
    from survey.models import AuditEvent

    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_no_answer_page_or_export_shows_a_check_in_to_anyone(app, send_shipped, staff_client):
    from openpyxl import load_workbook

    from survey.models import Response

    send_shipped("leavers", "care-leavers-16-25", chosen=CHECK_IN, text="my flat is ok")
    response = _one(app, Response)
    for role in ("admin", "participation", "safeguarding", "qa_reviewer"):
        person = staff_client(role)
        page = person.get(f"/staff/campaigns/leavers/responses/{response.reference}")
        csv = person.get("/staff/campaigns/leavers/responses.csv")
        for got in (page, csv):
            assert got.status_code == 200, role
            text = got.get_data(as_text=True)
            assert "my flat is ok" in text, role  # the other answers are there
            for kept_apart in ("07700 900123", "checkin-", "ask them to get in touch"):
                assert kept_apart not in text, (role, kept_apart)
        assert "read on the check-in list" in page.get_data(as_text=True)
        if role == "safeguarding":
            continue  # the Excel export is the reviewers' (review-themes)
        sheet = load_workbook(io.BytesIO(person.get("/staff/review/leavers/responses.xlsx").data))
        cells = [str(c.value) for row in sheet.active.iter_rows() for c in row if c.value]
        assert not any("07700" in c or "checkin-" in c for c in cells), role


def test_the_check_in_list_shows_a_request_with_nothing_that_leads_to_its_answers(
    app, send_shipped, staff_client
):
    from survey.models import Response

    send_shipped("leavers", "care-leavers-16-25", chosen=CHECK_IN, text="my flat is ok")
    response = _one(app, Response)
    worker = staff_client("participation")
    assert "1 check-in request is waiting to be passed on" in worker.get("/staff/").text
    page = worker.get("/staff/check-ins")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert CONTACT in text and "Test campaign leavers" in text
    assert "They were told to expect contact by" in text
    assert response.reference not in text and "/responses/" not in text
    assert "my flat is ok" not in text
    assert response.submitted_at.strftime("%H:%M") not in text  # the day only
    assert len(_audit(app, "check_ins_viewed")) == 1  # a view of what someone wrote


def test_a_request_is_marked_passed_on_once(app, send_shipped, staff_client):
    from bs4 import BeautifulSoup

    send_shipped("leavers", "care-leavers-16-25", chosen=CHECK_IN)
    worker = staff_client("participation")
    html = worker.get("/staff/check-ins").text
    action = BeautifulSoup(html, "html.parser").select_one("form[action*='/passed-on']")["action"]
    token = csrf_token_from(html)
    done = worker.post(action, data={"csrf_token": token}, follow_redirects=True)
    assert "Marked as passed on." in done.text
    assert "None: every request has been passed on." in done.text
    assert CONTACT not in done.text  # a request passed on is not shown again
    assert "passed on by" in done.text
    assert "check-in request" not in worker.get("/staff/").text
    again = worker.post(action, data={"csrf_token": token}, follow_redirects=True)
    assert "Someone else had already marked that request as passed on." in again.text
    assert len(_audit(app, "check_in_passed_on")) == 1
    wrong = worker.post(action.replace("/check-ins/", "/check-ins/f"), data={"csrf_token": token})
    assert wrong.status_code == 302
    assert worker.post(action, data={}).status_code == 400  # no CSRF token


def test_no_thank_you_is_not_a_request(app, send_shipped, staff_client):
    send_shipped("leavers", "care-leavers-16-25", chosen={"checkin-wanted": "no"})
    page = staff_client("participation").get("/staff/check-ins")
    assert "None: every request has been passed on." in page.text


def test_only_those_who_pass_it_on_open_the_list(app, send_shipped, staff_client):
    send_shipped("leavers", "care-leavers-16-25", chosen=CHECK_IN)
    for role in ("qa_reviewer", "complaints"):
        assert staff_client(role).get("/staff/check-ins").status_code == 403, role
    for role in ("admin", "participation", "safeguarding"):
        assert CONTACT in staff_client(role).get("/staff/check-ins").text, role


def test_the_safeguarding_lead_reads_the_check_in_on_a_flag_of_the_same_answers(
    app, send_shipped, staff_client
):
    """The privacy notice says a safeguarding worker may need to act: the lead reads how
    to reach them beside what they disclosed."""
    from survey.models import SafeguardingFlag

    send_shipped(
        "leavers",
        "care-leavers-16-25",
        chosen=CHECK_IN,
        text="my landlord hits me when I am late with the rent and I am scared to go home",
    )
    flag = _one(app, SafeguardingFlag)
    page = staff_client("safeguarding").get(f"/staff/safeguarding/{flag.id}")
    assert page.status_code == 200
    assert "How to reach them" in page.text and CONTACT in page.text


def test_a_flag_without_a_contact_says_nothing_of_one(app, send_shipped, staff_client):
    from survey.models import SafeguardingFlag

    send_shipped(
        "leavers",
        "care-leavers-16-25",
        chosen={"checkin-wanted": "no"},
        text="my landlord hits me when I am late with the rent and I am scared to go home",
    )
    flag = _one(app, SafeguardingFlag)
    assert (
        "How to reach them"
        not in staff_client("safeguarding").get(f"/staff/safeguarding/{flag.id}").text
    )
