"""A staff trial found no way to send a reminder now (the morning of a care leavers' event,
two days before the campaign closes). "Send a reminder now" on the invitations page sends
one to everyone whose invitation went and who has not answered, through the suite's real
SMTP server: once per person however often it is pressed, at most once a day, audited,
only while the campaign takes answers; and it takes the place of the person's next
scheduled reminder, so the schedule neither repeats it nor sends one on top of it."""

from __future__ import annotations

import re
import threading
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select, update

from tests.conftest import csrf_token_from, sign_in

LINK = re.compile(r"http://heard\.test/i/([A-Za-z0-9_-]+)")
PEOPLE = b"email\nfirst@example.org\nsecond@example.org\nthird@example.org\n"
BUTTON = "Send a reminder now to everyone who has not answered"


def _campaign(app, make_campaign, reminder_days=(7, 14)) -> str:
    from survey.extensions import db
    from survey.invitations.importing import add_invitees
    from survey.invitations.sending import deliver_due, plan_invitations
    from survey.models import Campaign

    slug, _ = make_campaign("remind-now", anonymous_link=False)
    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
        campaign.reminder_days = list(reminder_days)
        db.session.commit()
        assert add_invitees(campaign, PEOPLE, None).added == 3
        plan_invitations(campaign)
        assert deliver_due() == (3, 0)
    return slug


def _answer_through_the_link(smtp, journey, client, answers, email: str, slug: str) -> None:
    invitation = next(m for m in smtp.messages if m["To"] == email)
    person = journey(client, slug=slug)
    person.open_invitation(LINK.search(invitation.get_content()).group(1))
    person.answer_all(answers)
    assert person.submit().status_code == 302


def _sending_done() -> None:
    """The page starts the sending in a thread (no queue in tests): wait for it to end."""
    for thread in threading.enumerate():
        if thread.name == "heard-send":
            thread.join(timeout=30)


def _words(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def _press(worker, slug: str, wait: bool = True):
    page = worker.get(f"/staff/campaigns/{slug}/invitees")
    token = csrf_token_from(page.get_data(as_text=True))
    response = worker.post(f"/staff/campaigns/{slug}/invitees/remind", data={"csrf_token": token})
    if wait:
        _sending_done()
    return response


def _statuses(html: str) -> list[str]:
    return re.findall(r"<td>(Not sent yet|Sent|Queued|Delivered|Failed|Answered)</td>", html)


def _audited(app) -> list[str]:
    from survey.extensions import db
    from survey.models import AuditEvent

    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent.detail)
                .where(AuditEvent.action == "reminders_sent_now")
                .order_by(AuditEvent.id)
            )
        )


def _close(app, slug: str) -> None:
    from survey.extensions import db
    from survey.models import Campaign, utcnow

    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
        campaign.closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()


def _london_today() -> str:
    from survey.dates import LONDON

    now = datetime.now(LONDON)
    return f"{now.day} {now:%B %Y}"


def test_a_reminder_now_goes_once_to_each_person_who_has_not_answered(
    app, make_campaign, smtp, journey, client, every_type_answers, staff_client
):
    from survey.invitations import sending
    from survey.models import utcnow

    # Given three people invited, of whom one has answered through their link
    slug = _campaign(app, make_campaign)
    _answer_through_the_link(smtp, journey, client, every_type_answers, "second@example.org", slug)
    links = {m["To"]: LINK.search(m.get_content()).group(1) for m in smtp.messages}
    smtp.messages.clear()
    worker = staff_client("participation")

    # The page says how many will be reminded (a count: never who answered)
    page = _words(worker.get(f"/staff/campaigns/{slug}/invitees"))
    assert f"{BUTTON} (2)" in page
    assert "takes the place of their next scheduled reminder" in page

    # When the worker presses it (the mail server slow, so the page is seen mid-send)
    smtp.delay = 0.5
    pressed = _press(worker, slug, wait=False)
    assert pressed.status_code == 302
    landed = worker.get(pressed.headers["Location"]).get_data(as_text=True)
    assert "2 reminders queued" in " ".join(landed.split())
    # the rows still read alike while the reminders go: none marks who was not reminded
    assert _statuses(landed) == ["Sent", "Sent", "Sent"]
    _sending_done()
    smtp.delay = 0

    # Then the two who have not answered get one reminder each, with their own link
    assert sorted(m["To"] for m in smtp.messages) == ["first@example.org", "third@example.org"]
    for message in smtp.messages:
        assert message["Subject"].startswith("A reminder")
        assert LINK.search(message.get_content()).group(1) == links[message["To"]]
    assert _audited(app) == ["2 reminders queued (by hand: 1)"]

    # When the form is sent again (a double click, a resubmitted form, a second tab)
    again = _press(worker, slug)
    refused = _words(worker.get(again.headers["Location"]))
    assert re.search(r"A reminder was sent by hand at \d\d:\d\d on ", refused), refused
    assert _london_today() in refused
    assert "Another can be sent from" in refused
    assert BUTTON not in refused  # the page says when instead of offering it
    assert len(smtp.messages) == 2 and len(_audited(app)) == 1

    # Then the schedule: the reminder sent by hand took the place of the first (day 7)...
    smtp.messages.clear()
    with app.app_context():
        assert sending.sweep(utcnow() + timedelta(days=7, minutes=1))["sent"] == 0
        assert sending.sweep(utcnow() + timedelta(days=8))["sent"] == 0
    assert smtp.messages == []
    # ...and the second (day 14) goes on its day, once each, to the same two
    with app.app_context():
        sending.sweep(utcnow() + timedelta(days=14, minutes=1))
        sending.sweep(utcnow() + timedelta(days=15))
    assert Counter(m["To"] for m in smtp.messages) == Counter(
        ["first@example.org", "third@example.org"]
    )

    # Who answered is still not shown: every row reads alike
    rows = worker.get(f"/staff/campaigns/{slug}/invitees").get_data(as_text=True)
    assert _statuses(rows) == ["Sent", "Sent", "Sent"]


def test_a_day_later_another_can_be_sent_and_it_counts_as_a_further_round(
    app, make_campaign, smtp, staff_client
):
    from survey.extensions import db
    from survey.invitations import sending
    from survey.models import InvitationMessage, utcnow

    slug = _campaign(app, make_campaign)
    smtp.messages.clear()
    worker = staff_client("participation")
    _press(worker, slug)
    assert len(smtp.messages) == 3
    with app.app_context():  # the first was pressed a day and a minute ago
        db.session.execute(
            update(InvitationMessage)
            .where(InvitationMessage.round > 0)
            .values(created_at=utcnow() - timedelta(days=1, minutes=1))
        )
        db.session.commit()
    page = _words(worker.get(f"/staff/campaigns/{slug}/invitees"))
    assert f"{BUTTON} (3)" in page
    _press(worker, slug)
    assert Counter(m["To"] for m in smtp.messages) == Counter(
        ["first@example.org", "second@example.org", "third@example.org"] * 2
    )
    assert _audited(app) == [
        "3 reminders queued (by hand: 1)",
        "3 reminders queued (by hand: 2)",
    ]
    # Two reminders by hand stand for both scheduled ones: the schedule sends no more
    smtp.messages.clear()
    with app.app_context():
        for days in (7, 14, 15):
            sending.sweep(utcnow() + timedelta(days=days, minutes=1))
    assert smtp.messages == []


def test_two_presses_at_the_same_moment_send_one_reminder_each(
    app, make_campaign, smtp, new_client, make_user
):
    slug = _campaign(app, make_campaign)
    smtp.messages.clear()
    email = make_user("participation")
    tabs = []
    for _ in range(2):
        tab = new_client()
        assert sign_in(tab, email).status_code == 302
        page = tab.get(f"/staff/campaigns/{slug}/invitees").get_data(as_text=True)
        tabs.append((tab, csrf_token_from(page)))
    barrier = threading.Barrier(2)
    answers: list[int] = []

    def press(tab, token: str) -> None:
        barrier.wait()
        url = f"/staff/campaigns/{slug}/invitees/remind"
        answers.append(tab.post(url, data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=press, args=tab) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    _sending_done()
    assert answers == [302, 302]
    assert sorted(m["To"] for m in smtp.messages) == [
        "first@example.org",
        "second@example.org",
        "third@example.org",
    ]
    assert len(_audited(app)) == 1


def test_a_campaign_that_no_longer_takes_answers_refuses_it(app, make_campaign, smtp, staff_client):
    slug = _campaign(app, make_campaign)
    smtp.messages.clear()
    _close(app, slug)
    worker = staff_client("participation")
    page = _words(worker.get(f"/staff/campaigns/{slug}/invitees"))
    assert BUTTON not in page
    assert "Reminders can be sent only while the campaign takes answers." in page
    token = csrf_token_from(page)
    pressed = worker.post(f"/staff/campaigns/{slug}/invitees/remind", data={"csrf_token": token})
    _sending_done()
    assert pressed.status_code == 302
    refused = _words(worker.get(pressed.headers["Location"]))
    assert "Reminders can be sent only while the campaign takes answers." in refused
    assert smtp.messages == [] and _audited(app) == []


def test_a_reminder_still_waiting_when_the_campaign_closes_is_not_sent(
    app, make_campaign, smtp, staff_client
):
    from survey.invitations import sending
    from survey.models import utcnow

    slug = _campaign(app, make_campaign)
    smtp.messages.clear()
    smtp.refuse_for = {"first@example.org"}  # its reminder waits to be tried again
    _press(staff_client("participation"), slug)
    assert sorted(m["To"] for m in smtp.messages) == ["second@example.org", "third@example.org"]
    _close(app, slug)
    smtp.refuse_for = set()
    with app.app_context():
        assert sending.deliver_due(utcnow() + timedelta(hours=1)) == (0, 0)
    assert len(smtp.messages) == 2


def test_nobody_to_remind_is_said_and_refused(app, make_campaign, smtp, staff_client):
    from survey.extensions import db
    from survey.invitations.importing import add_invitees
    from survey.models import Campaign

    slug, _ = make_campaign("nobody-yet", anonymous_link=False)
    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
        add_invitees(campaign, PEOPLE, None)  # on the list, not yet invited
    worker = staff_client("participation")
    page = _words(worker.get(f"/staff/campaigns/{slug}/invitees"))
    assert BUTTON not in page and "There is nobody to remind now" in page
    pressed = worker.post(
        f"/staff/campaigns/{slug}/invitees/remind", data={"csrf_token": csrf_token_from(page)}
    )
    _sending_done()
    assert "There is nobody to remind now" in _words(worker.get(pressed.headers["Location"]))
    assert smtp.messages == [] and _audited(app) == []


def test_an_invitation_still_waiting_when_the_campaign_closes_is_not_sent(app, make_campaign, smtp):
    """A link to a survey that no longer takes answers opens nothing: an invitation still
    waiting to be tried again when the campaign closed is cancelled, as a reminder is."""
    from survey.extensions import db
    from survey.invitations.importing import add_invitees
    from survey.invitations.sending import deliver_due, plan_invitations
    from survey.models import Campaign, utcnow

    slug, _ = make_campaign("closing-soon", anonymous_link=False)
    smtp.refuse_for = {"first@example.org"}
    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
        add_invitees(campaign, PEOPLE, None)
        plan_invitations(campaign)
        deliver_due()
    assert sorted(m["To"] for m in smtp.messages) == ["second@example.org", "third@example.org"]
    _close(app, slug)
    smtp.refuse_for = set()
    with app.app_context():
        assert deliver_due(utcnow() + timedelta(hours=1)) == (0, 0)
    assert len(smtp.messages) == 2


def test_a_reminder_by_hand_that_never_arrived_stands_in_for_none(
    app, make_campaign, smtp, staff_client
):
    """Found by a code review: a reminder sent by hand that bounced or was given up still
    took the place of the person's next scheduled one, so they got none at all."""
    from survey.extensions import db
    from survey.invitations import sending
    from survey.models import InvitationMessage, utcnow

    slug = _campaign(app, make_campaign)
    _press(staff_client("participation"), slug)
    with app.app_context():
        db.session.execute(
            update(InvitationMessage)
            .where(InvitationMessage.round > sending.BY_HAND)
            .values(state="gave_up")
        )
        db.session.commit()
    smtp.messages.clear()
    with app.app_context():
        sending.sweep(utcnow() + timedelta(days=7, minutes=1))
    assert sorted(m["To"] for m in smtp.messages) == [
        "first@example.org",
        "second@example.org",
        "third@example.org",
    ]
