"""Issue 17, part 1: a list of invitees from a CSV, with a clear report of bad rows; a test
message to oneself; contact details deleted after the campaign closes; only those who run
campaigns see contact details."""

from __future__ import annotations

import io
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token_from


def _upload(client, slug: str, data: bytes, name: str = "list.csv"):
    page = client.get(f"/staff/campaigns/{slug}/invitees")
    return client.post(
        f"/staff/campaigns/{slug}/invitees/list",
        data={
            "csrf_token": csrf_token_from(page.get_data(as_text=True)),
            "file": (io.BytesIO(data), name),
        },
        content_type="multipart/form-data",
    )


def _count(app) -> int:
    from survey.extensions import db
    from survey.models import Invitee

    with app.app_context():
        return int(db.session.scalar(select(func.count(Invitee.id))) or 0)


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"name,email,date of birth\nAmy,a@example.org,1.1.2010\n", "date of birth"),
        (b"name,language\nAmy,en\n", "no email or mobile column"),
        (b"email\nnot-an-email\n", "Row 2: 'not-an-email' is not an email address"),
        (b"mobile\n01632 960123\n", "Row 2: '01632 960123' is not a mobile number"),
        (b"email,language\na@example.org,fr\n", "the language 'fr' is not offered"),
        (b"email\na@example.org\n\nA@example.org\n", "Row 4 has the same email address as row 2"),
        (b"email,case id\na@example.org,C1\nb@example.org,c1\n", "same case id as row 2"),
        (b"email,name\n,Amy\n", "Row 2 has no email address or mobile number"),
        # a cell over the csv module's field limit was a 500
        (b"name,email\n" + b"x" * 200_000 + b",h@example.com\n", "cannot read the file"),
        # a stray NUL in a UTF-8 file was read as UTF-16, and the message was mojibake
        (b"name,email\nA\x00B,a\x00b@example.com\n", "is not an email address"),
        ("email\na\u200bb@example.org\n".encode(), "'a?b@example.org' is not an email address"),
    ],
)
def test_a_bad_list_adds_nobody_and_says_which_row_and_how_to_fix_it(
    app, make_campaign, staff_client, data, said
):
    slug, _ = make_campaign("listed")
    client = staff_client("participation")
    answer = _upload(client, slug, data + b"good@example.org\n")
    assert answer.status_code == 400
    assert said in answer.get_data(as_text=True).replace("&#39;", "'")
    assert _count(app) == 0


def test_excel_utf16_tab_separated_with_names_in_any_script_is_read(
    app, make_campaign, staff_client
):
    from survey.extensions import db
    from survey.models import Campaign

    slug, _ = make_campaign("excel")
    with app.app_context():
        db.session.scalar(select(Campaign).where(Campaign.slug == slug)).languages = [
            "en",
            "pl",
            "ur",
        ]
        db.session.commit()
    text = (
        "Name\tEmail\tMobile\tLanguage\r\n"
        "Łucja\tl@example.org\t\tPolish\r\n"
        "علی\t\t07700 900123\tur\r\n"
    )
    client = staff_client("participation")
    answer = _upload(client, slug, text.encode("utf-16"), "list.txt")
    assert answer.status_code == 302
    page = client.get(f"/staff/campaigns/{slug}/invitees").get_data(as_text=True)
    assert "Łucja" in page and "+447700900123" in page and "علی" in page
    # Adding the same list again invites nobody twice
    again = _upload(client, slug, text.encode("utf-16"), "list.txt")
    assert again.status_code == 302 and _count(app) == 2
    assert "0 people added. 2 were already on the list" in client.get(
        f"/staff/campaigns/{slug}/invitees"
    ).get_data(as_text=True)


def test_hidden_characters_at_the_ends_of_an_address_are_trimmed():
    from survey.invitations.contacts import _row

    columns = {"email": 0}
    for typed in ("ab@example.org\x00", "\x1aab@example.org ", "\u00a0ab@example.org"):
        row, problem = _row(2, [typed], columns, ["en"])
        assert problem is None and row is not None and row.email == "ab@example.org", typed


def test_a_run_of_nuls_in_a_short_utf8_file_is_not_taken_for_utf16():
    from survey.invitations.contacts import decode

    data = b"name,email\n" + b"\x00" * 60 + b"\nAmy,a@example.org\n"
    assert decode(data).startswith("name,email")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-8"])
def test_utf16_without_a_byte_order_mark_is_told_from_utf8(codec):
    from survey.invitations.contacts import decode

    text = "Name,Email\nŁucja,l@example.org\n"
    assert decode(text.encode(codec)) == text


def test_twenty_thousand_rows_are_added_and_one_more_is_refused(app, make_campaign, ctx):
    from survey.extensions import db
    from survey.invitations.contacts import parse
    from survey.invitations.importing import add_invitees
    from survey.models import Campaign

    slug, _ = make_campaign("big")
    rows = "\n".join(f"person{n}@example.org,C{n}" for n in range(20_000))
    data = f"email,case id\n{rows}\n".encode()
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    started = time.monotonic()
    result = add_invitees(campaign, data, None)
    assert (result.added, result.problems) == (20_000, [])
    assert time.monotonic() - started < 60
    with app.test_request_context():
        [too_many] = parse(data + b"extra@example.org,X\n", ["en"]).problems
    assert "20001 rows" in too_many.message.replace(",", "")


def test_a_worker_sends_a_test_to_themselves_and_it_is_audited(
    app, make_campaign, staff_client, smtp
):
    from survey.extensions import db
    from survey.models import AuditEvent

    slug, _ = make_campaign("tested")
    client = staff_client("participation")
    page = client.get(f"/staff/campaigns/{slug}/invitees").get_data(as_text=True)
    answer = client.post(
        f"/staff/campaigns/{slug}/invitees/test",
        data={
            "csrf_token": csrf_token_from(page),
            "recipient": "me@council.example",
            "language": "en",
        },
    )
    assert answer.status_code == 302
    [mail] = smtp.messages
    assert mail["To"] == "me@council.example" and mail["Subject"].startswith("Test: ")
    with app.app_context():
        assert db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "invitation_test_sent")
        )


def test_a_failed_test_message_says_why_and_nothing_is_lost(app, make_campaign, staff_client):
    slug, _ = make_campaign("untested")
    client = staff_client("participation")
    page = client.get(f"/staff/campaigns/{slug}/invitees").get_data(as_text=True)
    answer = client.post(
        f"/staff/campaigns/{slug}/invitees/test",
        data={
            "csrf_token": csrf_token_from(page),
            "recipient": "me@council.example",
            "language": "en",
        },
    )
    assert answer.status_code == 400
    text = answer.get_data(as_text=True)
    assert "The test message was not sent: No email service" in text
    assert 'value="me@council.example"' in text


def test_contact_details_are_deleted_the_set_days_after_closing(app, make_campaign, ctx):
    from survey.extensions import db
    from survey.invitations.importing import add_invitees
    from survey.invitations.sending import delete_contacts
    from survey.models import Campaign, Invitee

    slug, _ = make_campaign("closing", closes_in=timedelta(days=1))
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    campaign.contact_days = 10
    add_invitees(campaign, b"name,email\nAmy,amy@example.org\n", None)
    assert delete_contacts(campaign.closes_at + timedelta(days=9)) == 0
    assert delete_contacts(campaign.closes_at + timedelta(days=10, minutes=1)) == 1
    [person] = db.session.scalars(select(Invitee)).all()
    assert (person.name, person.email, person.mobile) == (None, None, None)
    assert person.contacts_deleted_at is not None


def test_case_ids_are_kept_only_as_a_keyed_hash(app, make_campaign, ctx):
    from survey.extensions import db
    from survey.invitations.importing import add_invitees
    from survey.models import Campaign, Invitee

    slug, _ = make_campaign("cases")
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    add_invitees(campaign, b"email,case id\namy@example.org,CASE-778812\n", None)
    [person] = db.session.scalars(select(Invitee)).all()
    assert person.case_hash and "778812" not in person.case_hash and len(person.case_hash) == 64


@pytest.mark.parametrize("role", ["qa_reviewer", "safeguarding", "complaints"])
def test_only_those_who_run_campaigns_see_contact_details(make_campaign, staff_client, role):
    slug, _ = make_campaign("private")
    assert staff_client(role).get(f"/staff/campaigns/{slug}/invitees").status_code in (403, 404)


def test_people_who_cannot_be_sent_anything_yet_are_pointed_out_on_adding_and_on_the_page(
    app, make_campaign, staff_client, monkeypatch
):
    """Found by a staff trial: with email set up and text messages not, people with only a
    mobile number were added without a word, and each later failed with a setting's name
    for an error. Heard says so when they are added, and the page says so while it lasts."""
    monkeypatch.setitem(app.config, "SMTP_URL", "smtp://127.0.0.1:8025")
    monkeypatch.setitem(app.config, "NOTIFY_API_KEY", "")
    slug, _ = make_campaign("mobiles")
    client = staff_client("participation")
    data = (
        b"name,email,mobile\nAmy,a@example.org,\nBo,,07700 900123\nCy,c@example.org,07700900124\n"
    )
    added = _upload(client, slug, data)
    assert added.status_code == 302
    page = " ".join(client.get(added.headers["Location"]).get_data(as_text=True).split())
    assert "3 people added" in page
    assert page.count("Text messages are not set up here: 1 person on the list has only") == 2
    later = " ".join(client.get(f"/staff/campaigns/{slug}/invitees").get_data(as_text=True).split())
    assert later.count("Text messages are not set up here") == 1
    monkeypatch.setitem(app.config, "NOTIFY_API_KEY", "key")
    monkeypatch.setitem(app.config, "NOTIFY_SMS_TEMPLATE", "template")
    ready = " ".join(client.get(f"/staff/campaigns/{slug}/invitees").get_data(as_text=True).split())
    assert "not set up" not in ready
