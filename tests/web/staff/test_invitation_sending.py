"""Issue 17, "Sending": a campaign of 200 invitees goes out through a real SMTP server
(aiosmtpd) and the GOV.UK Notify stand-in; reminders reach only those who have not
answered; a failed send is retried and shown; and nobody receives two copies, even when
the sending process is killed mid-batch and the job is run again."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from babel.dates import get_month_names
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from tests.conftest import csrf_token_from

ROOT = Path(__file__).resolve().parents[3]
LINK = re.compile(r"http://heard\.test/i/[A-Za-z0-9_-]+")


def _csv(emails: int, mobiles: int, polish: int = 0) -> bytes:
    rows = ["name,email,mobile,language,case id"]
    for n in range(emails):
        language = "pl" if n < polish else ""
        rows.append(f"Child {n},child{n}@example.org,,{language},C{n:05d}")
    for n in range(mobiles):
        rows.append(f",,07700 9{n:05d},,M{n:05d}")
    return ("\n".join(rows) + "\n").encode()


def _campaign(app, make_campaign, reminder_days=(7, 14)):
    from survey.extensions import db
    from survey.models import Campaign

    slug, _ = make_campaign("invited", anonymous_link=False)
    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
        campaign.reminder_days = list(reminder_days)
        campaign.languages = ["en", "pl", "ur"]
        db.session.commit()
    return slug


def _add(app, slug: str, data: bytes):
    from survey.extensions import db
    from survey.invitations.importing import add_invitees
    from survey.models import Campaign

    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
        return add_invitees(campaign, data, None)


def _plan_and_send(app, slug: str, now=None):
    from survey.extensions import db
    from survey.invitations import sending
    from survey.models import Campaign

    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
        sending.plan_invitations(campaign, now)
        return sending.deliver_due(now)


def _messages(app):
    from survey.extensions import db
    from survey.models import InvitationMessage

    with app.app_context():
        db.session.expire_all()
        return list(db.session.scalars(select(InvitationMessage).order_by(InvitationMessage.id)))


def _sms_config(app, monkeypatch, notify):
    """Email by SMTP, text messages by Notify: the stand-in's email template is unset."""
    monkeypatch.setitem(app.config, "NOTIFY_EMAIL_TEMPLATE", "")


def test_200_invitees_by_smtp_and_notify_failures_retried_reminders_only_to_non_responders(
    app, make_campaign, smtp, notify, monkeypatch, staff_client
):
    from survey.extensions import db
    from survey.invitations import sending
    from survey.models import Invitation, Invitee, utcnow

    _sms_config(app, monkeypatch, notify)
    slug = _campaign(app, make_campaign)
    added = _add(app, slug, _csv(emails=120, mobiles=80, polish=3))
    assert (added.added, added.problems) == (200, [])
    smtp.refuse_for = {"child7@example.org"}
    notify.refuse_for = {"+447700900005"}

    # Given 200 invitations, two refused on the first try
    assert _plan_and_send(app, slug) == (198, 2)
    failed = [m for m in _messages(app) if m.state == "retrying"]
    assert len(failed) == 2 and all(m.attempts == 1 and m.last_error for m in failed)
    page = staff_client("participation").get(f"/staff/campaigns/{slug}/invitees")
    text = page.get_data(as_text=True)
    assert "Failed" in text and "Mailbox busy" in text and "GOV.UK Notify answered 500" in text

    # When the refusals end and the retries fall due, both go
    smtp.refuse_for, notify.refuse_for = set(), set()
    with app.app_context():
        assert sending.deliver_due(utcnow() + timedelta(minutes=2)) == (2, 0)
    emails = Counter(m["To"] for m in smtp.messages)
    texts = Counter(r["phone_number"] for r in notify.received)
    assert len(emails) == 120 and set(emails.values()) == {1}
    assert len(texts) == 80 and set(texts.values()) == {1}
    assert notify.refused == ["Internal server error"]
    links = [LINK.search(m.get_content()).group(0) for m in smtp.messages]
    links += [LINK.search(r["personalisation"]["body"]).group(0) for r in notify.received]
    assert len(set(links)) == 200  # each their own link
    polish = [m for m in smtp.messages if m["To"] in {"child0@example.org", "child1@example.org"}]
    assert len(polish) == 2
    months_pl = get_month_names("wide", context="format", locale="pl").values()
    assert all(any(month in m.get_content() for month in months_pl) for m in polish)
    assert all("Nie musisz odpowiada" in m.get_content() for m in polish)  # the words too

    # Given 50 have answered (one of them through their link, as a child would)
    with app.app_context():
        people = db.session.scalars(select(Invitee).order_by(Invitee.id)).all()
        answered = {p.id for p in people[::4]}
        for person in people:
            if person.id in answered:
                db.session.get(Invitation, person.invitation_id).used_at = utcnow()
        db.session.commit()
        reminded_expected = {p.email or p.mobile for p in people if p.id not in answered}
    smtp.messages.clear()
    notify.received.clear()

    # When the first reminder falls due (7 days), and again before the second
    with app.app_context():
        sending.sweep(utcnow() + timedelta(days=7, minutes=1))
        assert sending.sweep(utcnow() + timedelta(days=8))["sent"] == 0
    reminded = [m["To"] for m in smtp.messages] + [r["phone_number"] for r in notify.received]
    assert len(reminded) == 150 and set(reminded) == reminded_expected
    polish_to = {"child0@example.org", "child1@example.org", "child2@example.org"}
    for m in smtp.messages:  # each in the invitee's language
        expected = "Przypomnienie" if m["To"] in polish_to else "A reminder"
        assert m["Subject"].startswith(expected), (m["To"], m["Subject"])

    # Then at 14 days the second reminder goes to the same people, once
    smtp.messages.clear()
    notify.received.clear()
    with app.app_context():
        sending.sweep(utcnow() + timedelta(days=14, minutes=2))
        sending.sweep(utcnow() + timedelta(days=15))
    reminded = [m["To"] for m in smtp.messages] + [r["phone_number"] for r in notify.received]
    assert Counter(reminded) == Counter(reminded_expected)


def test_an_answer_through_the_link_is_counted_never_named_and_stops_reminders(
    app, make_campaign, smtp, journey, client, every_type_answers, staff_client
):
    from survey.invitations import sending
    from survey.models import utcnow

    slug = _campaign(app, make_campaign, reminder_days=(3,))
    _add(app, slug, b"email\nfirst@example.org\nsecond@example.org\n")
    _plan_and_send(app, slug)
    link = LINK.search(
        next(m for m in smtp.messages if m["To"] == "first@example.org").get_content()
    ).group(0)
    person = journey(client, slug=slug)
    person.open_invitation(link.rsplit("/", 1)[1])
    person.answer_all(every_type_answers)
    assert person.submit().status_code == 302
    smtp.messages.clear()
    with app.app_context():
        sending.sweep(utcnow() + timedelta(days=3, minutes=1))
    assert [m["To"] for m in smtp.messages] == ["second@example.org"]
    page = staff_client("participation").get(f"/staff/campaigns/{slug}/invitees")
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    figures = {li.get_text(" ", strip=True) for li in soup.select(".figures li")}
    assert not any("answered" in figure for figure in figures)  # not as an invitation's state
    answered = soup.select_one(".answered-count").get_text(" ", strip=True)
    assert answered == "Answered with their own link: 1 of the 2 people on the list."  # counted...
    rows = {
        row.select("td")[1].get_text(strip=True): row.select("td")[3].get_text(strip=True)
        for row in soup.select("table tbody tr")
    }
    # ...never shown by name: who answered and who was reminded look alike, so nobody can
    # set a name beside the answer that came in at that moment.
    assert rows == {"first@example.org": "Sent", "second@example.org": "Sent"}
    assert "Answered" not in str(soup.select("table")[0])


def _killed_mid_batch(app, smtp, notify) -> None:
    """Run the sending job in another process and kill it (SIGKILL) part way through."""
    script = (
        "import sys; from survey import create_app; from survey.invitations import sending\n"
        "app = create_app(dict(SQLALCHEMY_DATABASE_URI=sys.argv[1], SERVER_NAME='heard.test',"
        " SMTP_URL=sys.argv[2], MAIL_FROM='heard@council.example', NOTIFY_API_KEY=sys.argv[3],"
        " NOTIFY_BASE_URL=sys.argv[4], NOTIFY_SMS_TEMPLATE=sys.argv[5]), env='test')\n"
        "with app.app_context(): sending.deliver_due()\n"
    )
    args = [
        app.config["SQLALCHEMY_DATABASE_URI"],
        smtp.url,
        notify.api_key,
        notify.base_url,
        notify.sms_template,
    ]
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script, *args], cwd=ROOT, env={**os.environ}
    )
    deadline = time.monotonic() + 60
    while len(smtp.messages) + len(notify.received) < 15:
        assert worker.poll() is None, "the job ended before it could be killed"
        assert time.monotonic() < deadline, "the job sent nothing"
        time.sleep(0.02)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()


def test_nobody_receives_two_copies_when_the_sending_process_is_killed(
    app, make_campaign, smtp, notify, monkeypatch, staff_client
):
    from survey.invitations import sending
    from survey.models import utcnow

    _sms_config(app, monkeypatch, notify)
    slug = _campaign(app, make_campaign)
    _add(app, slug, _csv(emails=30, mobiles=30))
    with app.app_context():
        from survey.extensions import db
        from survey.models import Campaign

        sending.plan_invitations(db.session.scalar(select(Campaign).where(Campaign.slug == slug)))
    smtp.delay = notify.delay = 0.05
    _killed_mid_batch(app, smtp, notify)
    assert any(m.state == "sending" for m in _messages(app))  # killed mid-send

    # When the job is run again (after the dead worker's claim has run out)
    smtp.delay = notify.delay = 0
    with app.app_context():
        later = utcnow() + timedelta(minutes=3)
        sending.settle_interrupted(later)
        sending.deliver_due(later)
        assert sending.deliver_due(later + timedelta(hours=1)) == (0, 0)
    received = Counter(m["To"] for m in smtp.messages)
    received += Counter(r["phone_number"] for r in notify.received)
    assert max(received.values()) == 1  # nobody twice
    states = Counter(m.state for m in _messages(app))
    assert states["sent"] + states["unsure"] == 60 and states["unsure"] <= 1
    assert len(received) >= 59
    if states["unsure"]:
        page = staff_client("participation").get(f"/staff/campaigns/{slug}/invitees")
        assert "may or may not have arrived" in page.get_data(as_text=True)


def test_notify_says_which_were_delivered_and_which_could_not_be(
    app, make_campaign, notify, staff_client
):
    from survey.invitations import sending
    from survey.models import utcnow

    slug = _campaign(app, make_campaign)
    _add(app, slug, b"email,mobile\nkept@example.org,\n,07700 900111\n")
    _plan_and_send(app, slug)
    assert {r["path"] for r in notify.received} == {
        "/v2/notifications/email",
        "/v2/notifications/sms",
    }
    [texted] = [n for n in notify.notifications.values() if n["type"] == "sms"]
    texted["status"] = "permanent-failure"
    with app.app_context():
        assert sending.sweep(utcnow() + timedelta(minutes=5))["delivered"] == 1
    assert sorted(m.state for m in _messages(app)) == ["bounced", "delivered"]
    page = staff_client("participation").get(f"/staff/campaigns/{slug}/invitees")
    text = page.get_data(as_text=True)
    assert "Delivered" in text and "The address or number does not exist" in text


def test_a_failed_send_is_explained_in_plain_words_and_its_detail_is_for_administrators(
    app, make_campaign, staff_client, monkeypatch
):
    """Found by an administrator's trial: participation workers read "[Errno 111]
    Connection refused" and the names of server settings beside a failed invitation."""
    monkeypatch.setitem(app.config, "SMTP_URL", "smtp://127.0.0.1:1")  # nothing listens
    monkeypatch.setitem(app.config, "NOTIFY_API_KEY", "")
    slug = _campaign(app, make_campaign)
    _add(app, slug, _csv(emails=1, mobiles=1))
    _plan_and_send(app, slug)
    assert [m.state for m in _messages(app)] == ["retrying", "retrying"]
    worker = " ".join(
        staff_client("participation").get(f"/staff/campaigns/{slug}/invitees").text.split()
    )
    assert "the sending service did not answer" in worker
    assert "text messages are not set up here" in worker
    assert "Errno" not in worker and "HEARD_NOTIFY" not in worker
    admin = " ".join(staff_client("admin").get(f"/staff/campaigns/{slug}/invitees").text.split())
    assert "the sending service did not answer" in admin and "Connection refused" in admin


def test_no_row_changes_when_its_person_answers_or_is_reminded(
    app, make_campaign, smtp, journey, client, every_type_answers, staff_client
):
    """Found by a code review: rows showed each person's latest message, and reminders go
    only to those who have not answered, so a retried invitation's "2 tries", a reminder's
    "Sent" or "Failed" and its flip back when someone answered each told who had. A row
    now shows the invitation alone, and reminders are counted for the campaign."""
    from survey.invitations import sending
    from survey.models import utcnow

    slug = _campaign(app, make_campaign, reminder_days=(3,))
    _add(app, slug, b"email\nfirst@example.org\nsecond@example.org\nthird@example.org\n")
    smtp.refuse_for = {"first@example.org"}
    _plan_and_send(app, slug)
    smtp.refuse_for = set()
    with app.app_context():
        sending.deliver_due(utcnow() + timedelta(minutes=2))  # first's second try
    worker = staff_client("participation")

    def rows() -> list[str]:
        soup = BeautifulSoup(worker.get(f"/staff/campaigns/{slug}/invitees").text, "html.parser")
        return [
            " ".join(td.get_text(" ", strip=True) for td in row.select("td")[2:])
            for row in soup.select("table tbody tr")
        ]

    before = rows()
    link = LINK.search(
        next(m for m in reversed(smtp.messages) if m["To"] == "first@example.org").get_content()
    ).group(0)
    person = journey(client, slug=slug)
    person.open_invitation(link.rsplit("/", 1)[1])
    person.answer_all(every_type_answers)
    assert person.submit().status_code == 302
    assert rows() == before  # answering changes no row
    smtp.refuse_for = {"second@example.org"}  # its reminder fails and waits to be tried again
    with app.app_context():
        sending.sweep(utcnow() + timedelta(days=3, minutes=1))
    assert rows() == before  # nor does a reminder, gone or failed
    page = " ".join(worker.get(f"/staff/campaigns/{slug}/invitees").text.split())
    assert "1 reminder sent" in page and "1 reminder failed" in page


def test_without_the_sites_address_nothing_is_queued_to_fail(
    app, make_campaign, smtp, staff_client, monkeypatch
):
    """Found by a user trial: with mail set up but no HEARD_BASE_URL, "Send invitations"
    queued everyone and every row showed "Failed": no link can be written into a message
    without the site's address. The page says so and sends nothing."""
    slug = _campaign(app, make_campaign)
    _add(app, slug, b"email\nfirst@example.org\nsecond@example.org\n")
    monkeypatch.setitem(app.config, "BASE_URL", "")
    monkeypatch.setitem(app.config, "SERVER_NAME", None)  # signed in at localhost, then
    worker = staff_client("participation")
    page = worker.get(f"/staff/campaigns/{slug}/invitees").text
    token = csrf_token_from(page)
    assert "HEARD_BASE_URL" in page
    sent = worker.post(f"/staff/campaigns/{slug}/invitees/send", data={"csrf_token": token})
    assert sent.status_code == 302
    shown = " ".join(worker.get(sent.headers["Location"]).text.split())
    assert "cannot be sent until an administrator sets HEARD_BASE_URL" in shown
    assert smtp.messages == []
    from survey.extensions import db
    from survey.models import InvitationMessage

    with app.app_context():
        assert db.session.scalar(select(func.count(InvitationMessage.id))) == 0


def test_the_page_counts_people_not_answers_and_reminders_as_people(
    app, make_campaign, smtp, staff_client, monkeypatch
):
    from survey.invitations import status

    slug = _campaign(app, make_campaign)
    _add(app, slug, b"email\nfirst@example.org\nsecond@example.org\nthird@example.org\n")
    _plan_and_send(app, slug)
    from survey.invitations import sending
    from survey.models import utcnow

    with app.app_context():
        sending.sweep(utcnow() + timedelta(days=7, minutes=1))  # three reminders too
    monkeypatch.setattr(status, "SHOWN", 1)
    worker = staff_client("participation")
    page = " ".join(worker.get(f"/staff/campaigns/{slug}/invitees").text.split())
    assert "The first 1 of 3 people are listed" in page


def test_languages_are_named_not_coded(app, make_campaign, staff_client):
    """Found by a user trial: the page showed "pl" and "ur"."""
    slug = _campaign(app, make_campaign)
    _add(app, slug, b"email,language\nfirst@example.org,pl\n")
    page = staff_client("participation").get(f"/staff/campaigns/{slug}/invitees").text
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select("table tbody tr td")[2].get_text(strip=True) == "Polish"
    assert '<option value="ur">Urdu</option>' in page


def test_setting_reminders_is_audited_in_words(app, make_campaign, staff_client):
    """Found by a user trial: the audit log said "days [7, 14]"."""
    from survey.extensions import db
    from survey.models import AuditEvent

    slug = _campaign(app, make_campaign)
    worker = staff_client("participation")
    token = csrf_token_from(worker.get(f"/staff/campaigns/{slug}/invitees").text)
    done = worker.post(
        f"/staff/campaigns/{slug}/invitees/schedule",
        data={"csrf_token": token, "reminder_days": "7, 14", "contact_days": "30"},
    )
    assert done.status_code == 302
    with app.app_context():
        detail = db.session.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "reminders_set")
        )
    assert detail == (
        "reminders 7 and 14 days after the invitation; contact details deleted 30 days after "
        "closing"
    )
