"""Nothing may fail silently when ``heard alerts`` is not running: each sweep records when
it ran, and the queue, each flag's page and the admins' alerts page warn when a flag waits
on a sweep that has stopped (found by a user trial without cron: current-risk flags sat
with no alert while their pages read "No alert was sent for this flag"). The queue and the
flag page also say when the answer was sent, beside when the flag was raised."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from babel.dates import format_datetime
from sqlalchemy import select

TUESDAY_10AM = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
NEVER_RAN = "the alert sweep (heard alerts) has never run"
NOT_SENT = "Alerts are not being sent"
OLD_WORDING = "No alert was sent for this flag: alerts go for possible current risks"


def _uk(moment: datetime, pattern: str = "d MMM yyyy HH:mm") -> str:
    from survey.dates import LONDON

    return format_datetime(moment, pattern, tzinfo=LONDON, locale="en")


def _flag(app, level: str = "current", ago: timedelta = timedelta(minutes=10), **values) -> int:
    from survey.extensions import db
    from survey.models import SafeguardingFlag, utcnow

    with app.app_context():
        flag = SafeguardingFlag(
            category="physical_abuse",
            reason="test",
            level=level,
            raised_at=utcnow() - ago,
            question_ids=["worry-text"],
            **values,
        )
        db.session.add(flag)
        db.session.commit()
        return flag.id


def _ran(app, ago: timedelta) -> datetime:
    from survey.alerts import sweeps
    from survey.models import utcnow

    with app.app_context():
        at = utcnow() - ago
        sweeps.mark_ran(at=at)
        return at


def test_every_alert_sweep_records_when_it_ran_by_the_clock_not_the_sweeps_now(app):
    from survey.alerts import services, sweeps
    from survey.cli import alerts_command
    from survey.models import utcnow

    with app.app_context():
        assert sweeps.last_ran() is None
        before = utcnow()
        services.run(TUESDAY_10AM)  # a frozen clock for the work; the record is the real time
        first = sweeps.last_ran()
        assert first is not None and before <= first <= utcnow()
    result = app.test_cli_runner().invoke(alerts_command, [])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert sweeps.last_ran() > first
        # one row per sweep name, kept up to date, not one per run
        from survey.extensions import db
        from survey.models import SweepRun

        assert db.session.scalars(select(SweepRun.name)).all() == ["alerts"]


def test_a_current_risk_while_the_sweep_is_not_running_is_warned_of_where_flags_are_read(
    app, smtp, staff_client
):
    flag_id = _flag(app)
    lead = staff_client("safeguarding")
    admin = staff_client("admin")
    queue = lead.get("/staff/safeguarding/").get_data(as_text=True)
    assert NOT_SENT in queue and NEVER_RAN in queue
    assert "Ask your administrator to start it" in queue
    page = lead.get(f"/staff/safeguarding/{flag_id}").get_data(as_text=True)
    assert NOT_SENT in page and NEVER_RAN in page
    assert "No alert has been sent yet" in page and "No alert was sent" not in page
    alerts_page = admin.get("/staff/alerts/").get_data(as_text=True)
    assert NOT_SENT in alerts_page and "heard alerts --every 60" in alerts_page
    assert "Ask your administrator" not in alerts_page  # the admin is the one to start it
    assert NOT_SENT in admin.get(f"/staff/safeguarding/{flag_id}").get_data(as_text=True)

    last = _ran(app, timedelta(minutes=6))
    queue = lead.get("/staff/safeguarding/").get_data(as_text=True)
    when = f"last ran at {_uk(last, 'HH:mm')} on {_uk(last, 'd MMM yyyy')}"
    assert NOT_SENT in queue and when in queue and NEVER_RAN not in queue
    assert when in lead.get(f"/staff/safeguarding/{flag_id}").get_data(as_text=True)

    from survey.alerts import services

    with app.app_context():
        assert services.run()["sent"] == 1  # the sweep starts: the missed alert goes
    assert NOT_SENT not in lead.get("/staff/safeguarding/").get_data(as_text=True)
    page = lead.get(f"/staff/safeguarding/{flag_id}").get_data(as_text=True)
    assert NOT_SENT not in page and "No alert has been sent yet" not in page
    assert "safeguarding@example.org: sent" in page
    assert NOT_SENT not in admin.get("/staff/alerts/").get_data(as_text=True)


def test_an_alert_waiting_for_a_retry_or_an_overdue_flag_also_needs_the_sweep(
    app, smtp, staff_client
):
    from survey.extensions import db
    from survey.models import Alert, utcnow

    lead = staff_client("safeguarding")
    _ran(app, timedelta(minutes=30))
    handled = _flag(app, acknowledged_at=utcnow())
    with app.app_context():
        db.session.add(
            Alert(
                flag_id=handled,
                reason="new",
                channel="email",
                recipient="lead@example.org",
                state="retrying",
                last_error="550 Mailbox unavailable",
                next_attempt_at=utcnow(),
            )
        )
        db.session.commit()
    assert NOT_SENT in lead.get("/staff/safeguarding/").get_data(as_text=True)
    with app.app_context():
        db.session.execute(Alert.__table__.delete())
        db.session.commit()
    assert NOT_SENT not in lead.get("/staff/safeguarding/").get_data(as_text=True)
    overdue = _flag(app, level="review", ago=timedelta(hours=5))
    assert NOT_SENT in lead.get("/staff/safeguarding/").get_data(as_text=True)
    page = lead.get(f"/staff/safeguarding/{overdue}").get_data(as_text=True)
    assert "No alert has been sent yet" in page and OLD_WORDING not in page


def test_a_flag_that_gets_no_alert_keeps_its_wording_and_raises_no_warning(app, smtp, staff_client):
    lead = staff_client("safeguarding")
    past = _flag(app, level="review")
    queue = lead.get("/staff/safeguarding/").get_data(as_text=True)
    assert NOT_SENT not in queue  # nothing waits for the sweep
    page = lead.get(f"/staff/safeguarding/{past}").get_data(as_text=True)
    assert OLD_WORDING in page and "No alert has been sent yet" not in page


def test_without_mail_settings_the_sweep_warning_gives_way_to_alerts_not_set_up(app, staff_client):
    lead = staff_client("safeguarding")
    flag_id = _flag(app)
    assert NOT_SENT not in lead.get("/staff/safeguarding/").get_data(as_text=True)
    page = lead.get(f"/staff/safeguarding/{flag_id}").get_data(as_text=True)
    assert "Alerts are not set up, so nobody was told" in page


def test_a_current_risk_with_a_running_sweep_waits_for_its_next_run(app, smtp, staff_client):
    lead = staff_client("safeguarding")
    _ran(app, timedelta(minutes=1))
    flag_id = _flag(app)
    page = lead.get(f"/staff/safeguarding/{flag_id}").get_data(as_text=True)
    assert NOT_SENT not in page
    assert "No alert has been sent yet" in page and "at its next run" in page


def test_with_no_safeguarding_lead_account_a_current_risk_says_who_it_cannot_tell(
    app, smtp, staff_client
):
    admin = staff_client("admin")
    _ran(app, timedelta(minutes=1))
    flag_id = _flag(app)
    page = admin.get(f"/staff/safeguarding/{flag_id}").get_data(as_text=True)
    assert "No alert has been sent yet" in page and "no active safeguarding lead" in page


# --- When the answer was sent, beside when the flag was raised ---


def _sent_flag(app, make_campaign, sent: datetime, raised: datetime, slug: str = "example"):
    from survey.extensions import db
    from survey.models import Campaign, Response, SafeguardingFlag

    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
        if campaign is None:
            make_campaign(slug)
            campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
        response = Response(
            reference=f"HRD-{slug[:4]}-{int(sent.timestamp())}",
            campaign_id=campaign.id,
            questionnaire_id=campaign.questionnaire_id,
            questionnaire_version=campaign.questionnaire_version,
            started_at=sent - timedelta(minutes=5),
            submitted_at=sent,
        )
        db.session.add(response)
        db.session.flush()
        flag = SafeguardingFlag(
            response_id=response.id,
            campaign_id=campaign.id,
            category="physical_abuse",
            reason="test",
            level="current",
            raised_at=raised,
            question_ids=["worry-text"],
        )
        db.session.add(flag)
        db.session.commit()
        return flag.id


def test_the_queue_and_the_flag_say_when_the_answer_was_sent_beside_when_it_was_raised(
    app, make_campaign, staff_client
):
    from survey.models import utcnow

    now = utcnow().replace(second=0, microsecond=0)
    sent_earlier = now - timedelta(days=13, hours=2)
    later = _sent_flag(app, make_campaign, sent_earlier, now - timedelta(minutes=3))
    at_once = _sent_flag(app, make_campaign, now - timedelta(days=2), now - timedelta(days=2))
    unsent = _flag(app, unsent=True)
    lead = staff_client("safeguarding")
    queue = lead.get("/staff/safeguarding/").get_data(as_text=True)
    assert f"(answer sent {_uk(sent_earlier)})" in queue
    assert f"{_uk(now - timedelta(days=2))}, when it was sent" in queue
    assert "(answer not sent yet)" in queue
    page = lead.get(f"/staff/safeguarding/{later}").get_data(as_text=True)
    assert f"<dt>Sent</dt><dd>{_uk(sent_earlier)}</dd>" in page
    page = lead.get(f"/staff/safeguarding/{at_once}").get_data(as_text=True)
    assert f"<dt>Sent</dt><dd>{_uk(now - timedelta(days=2))}</dd>" in page
    page = lead.get(f"/staff/safeguarding/{unsent}").get_data(as_text=True)
    assert "Not sent yet" in page


def test_a_front_door_answers_send_time_is_shown_only_to_those_who_may_open_its_answers(
    app, staff_client
):
    """docs/access.md: only administrators open the front door's answers; the lead reads the
    flag on them, not when the complaint was sent."""
    from survey.extensions import db
    from survey.models import Campaign, CampaignStatus, utcnow

    now = utcnow().replace(second=0, microsecond=0)
    with app.app_context():
        db.session.add(
            Campaign(
                slug="front-door",
                title="Compliments and complaints",
                questionnaire_id="compliments-complaints",
                questionnaire_version=1,
                status=CampaignStatus.OPEN,
                opens_at=now - timedelta(days=30),
                closes_at=now + timedelta(days=300),
            )
        )
        db.session.commit()
    sent = now - timedelta(days=4)
    flag_id = _sent_flag(app, None, sent, now - timedelta(hours=1), slug="front-door")
    lead = staff_client("safeguarding")
    assert _uk(sent) not in lead.get("/staff/safeguarding/").get_data(as_text=True)
    page = lead.get(f"/staff/safeguarding/{flag_id}").get_data(as_text=True)
    assert _uk(sent) not in page and "<dt>Sent</dt><dd>Yes</dd>" in page
    admin = staff_client("admin")
    assert f"(answer sent {_uk(sent)})" in admin.get("/staff/safeguarding/").get_data(as_text=True)
    page = admin.get(f"/staff/safeguarding/{flag_id}").get_data(as_text=True)
    assert f"<dt>Sent</dt><dd>{_uk(sent)}</dd>" in page
