"""Loop measures on crafted data: themes acted on, actions done on time, days to publish."""

from __future__ import annotations

from datetime import date, timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.web.loop.test_loop_actions import _action


def test_the_dashboard_counts_the_loop(app, answered, staff_client):
    from survey.extensions import db
    from survey.models import Action, ActionStatus, AnswerInsight, Campaign, Publication

    answered(texts=["x"] * 10)
    with app.app_context():
        rows = db.session.scalars(select(AnswerInsight).order_by(AnswerInsight.id)).all()
        for i, row in enumerate(rows):
            # communication on 5 (reported), timeliness on 5 (reported), roles on 3 (not)
            row.reviewed_themes = (["communication"] if i < 5 else ["timeliness"]) + (
                ["roles"] if i < 3 else []
            )
        db.session.commit()
    today = date.today()
    done = _action(app, themes=("communication",), due_on=today - timedelta(days=1))
    late = _action(app, themes=("communication",), due_on=today - timedelta(days=10))
    _action(app, themes=("roles",), due_on=today + timedelta(days=30))  # not yet due
    with app.app_context():
        first = db.session.get(Action, done)
        first.status, first.completed_on = ActionStatus.DONE, today - timedelta(days=3)
        second = db.session.get(Action, late)
        second.status, second.completed_on = ActionStatus.DONE, today  # done, but late
        campaign = db.session.scalar(select(Campaign))
        campaign.closes_at = campaign.opens_at + timedelta(hours=2)  # closed: days count
        db.session.add(
            Publication(
                campaign_id=campaign.id,
                title="t",
                items=[],
                first_published_at=campaign.closes_at + timedelta(days=12, hours=1),
                published_at=campaign.closes_at + timedelta(days=20),
            )
        )
        db.session.commit()
    soup = BeautifulSoup(
        staff_client("qa_reviewer").get("/staff/loop/measures").text, "html.parser"
    )
    assert soup.select_one("#measure-themes").get_text(strip=True) == "50% (1 of 2)"
    assert soup.select_one("#measure-on-time").get_text(strip=True) == "50% (1 of 2)"
    assert soup.select_one("#measure-days").get_text(strip=True) == "12"
    assert "No action yet: Being on time with replies, reports and minutes" in soup.get_text(" ")


def test_the_dashboard_with_nothing_yet(staff_client):
    soup = BeautifulSoup(
        staff_client("participation").get("/staff/loop/measures").text, "html.parser"
    )
    assert soup.select_one("#measure-themes").get_text(strip=True) == "-"


def _publish(app, opens_in, closes_in, first, latest=None):
    """The example campaign and its page, first published ``first`` after the close
    (negative: before it), and again ``latest`` after the close."""
    from survey.extensions import db
    from survey.models import Campaign, Publication

    with app.app_context():
        campaign = db.session.scalar(select(Campaign))
        campaign.opens_at = campaign.opens_at + opens_in
        campaign.closes_at = campaign.closes_at + closes_in
        db.session.add(
            Publication(
                campaign_id=campaign.id,
                title="t",
                items=[],
                first_published_at=campaign.closes_at + first,
                published_at=campaign.closes_at + (latest if latest is not None else first),
            )
        )
        db.session.commit()


def _days(staff_client):
    soup = BeautifulSoup(
        staff_client("qa_reviewer").get("/staff/loop/measures").text, "html.parser"
    )
    row = soup.select_one("table.table tbody tr")
    return soup.select_one("#measure-days").get_text(strip=True), row.find_all("td")[3].get_text(
        strip=True
    )


def test_an_open_survey_with_a_page_counts_no_days_from_close(app, answered, staff_client):
    answered(texts=["x"])  # open: it closes in 30 days; an update published 20 days before
    _publish(app, timedelta(0), timedelta(0), -timedelta(days=20))
    assert _days(staff_client) == ("-", "Still open")


def test_a_page_published_only_before_the_close_counts_no_days(app, answered, staff_client):
    answered(texts=["x"])  # closed 5 days ago; the page went up 20 days before that
    _publish(app, -timedelta(days=60), -timedelta(days=35), -timedelta(days=20))
    assert _days(staff_client) == ("-", "-")


def test_a_page_published_again_after_the_close_counts_from_the_close(app, answered, staff_client):
    answered(texts=["x"])  # closed 30 days ago; first up mid-survey, again 9 days after close
    _publish(app, -timedelta(days=90), -timedelta(days=60), -timedelta(days=20), timedelta(days=9))
    assert _days(staff_client) == ("9", "9")


def test_flag_measures_give_time_to_acknowledge_and_outcomes_suppressed(app, staff_client):
    """Seven possible current risks acknowledged after 1, 2, 3, 4, 5, 6 and 30 hours (median 4;
    4 of 7 within the 4-hour window), six referred and one with no concern; and
    two still waiting. Counts under 5 are shown as "fewer than 5", and with the total shown
    a second cell is hidden so the small one cannot be worked out."""
    from datetime import timedelta

    from survey.extensions import db
    from survey.models import SafeguardingFlag, utcnow

    now = utcnow()
    with app.app_context():
        for i, hours in enumerate((1, 2, 3, 4, 5, 6, 30)):
            raised = now - timedelta(days=10 + i)
            db.session.add(
                SafeguardingFlag(
                    category="physical_abuse",
                    level="current",
                    raised_at=raised,
                    acknowledged_at=raised + timedelta(hours=hours),
                    action_taken="done",
                    outcome="no-concern" if i == 0 else "referred",
                )
            )
        for _ in range(2):
            db.session.add(SafeguardingFlag(category="physical_abuse", raised_at=now))
        db.session.commit()
        from survey.loop.measures import flag_measures

        found = flag_measures(now)
    assert found.acknowledged.count == 7 and found.median_hours == 4
    assert found.within_window == 4 / 7
    assert found.waiting.shown == "fewer than 5"
    shown = dict(found.outcomes)
    assert shown["no-concern"].shown == "fewer than 5"
    # the total (7) and "referred" (6) would give "no concern" (1) away: "referred" is hidden
    assert shown["referred"].shown == "hidden" and found.acknowledged.count == 7
    page = staff_client("qa_reviewer").get("/staff/loop/measures").text
    assert "Median hours to acknowledge a possible current risk" in page
    assert "Referred to the front door or MASH" in page


def test_flag_measures_hide_the_time_when_too_few_were_acknowledged(app):
    from datetime import timedelta

    from survey.extensions import db
    from survey.loop.measures import flag_measures
    from survey.models import SafeguardingFlag, utcnow

    now = utcnow()
    with app.app_context():
        raised = now - timedelta(days=2)
        db.session.add(
            SafeguardingFlag(
                category="x",
                level="current",
                raised_at=raised,
                acknowledged_at=raised + timedelta(hours=1),
                action_taken="done",
                outcome="referred",
            )
        )
        db.session.commit()
        found = flag_measures(now)
    assert found.median_hours is None and found.within_window is None
    assert found.acknowledged.shown == "fewer than 5"


def test_flag_counts_are_perturbed_so_two_days_cannot_be_subtracted(app, perturbed):
    """The 12 months roll on each day: yesterday's count and today's, one flag apart, must
    not say that one flag was raised. Perturbed, the count moves by up to 2, the same way
    for the same flags, and differently once one more flag joins them."""
    from datetime import timedelta

    from survey.extensions import db
    from survey.loop.measures import flag_measures
    from survey.models import SafeguardingFlag, utcnow

    now = utcnow()
    seen = []
    with app.app_context():
        for i in range(40):
            raised = now - timedelta(days=20 + i)
            db.session.add(
                SafeguardingFlag(
                    category="physical_abuse",
                    level="current",
                    raised_at=raised,
                    acknowledged_at=raised + timedelta(hours=1),
                    action_taken="done",
                    outcome="referred",
                )
            )
            db.session.commit()
            found = flag_measures(now)
            count = found.acknowledged.count
            if i + 1 >= 5:
                assert count is not None and abs(count - (i + 1)) <= 2
                assert flag_measures(now).acknowledged.count == count  # stable
                seen.append(count)
    steps = [b - a for a, b in zip(seen, seen[1:], strict=False)]
    assert any(step != 1 for step in steps)  # exact counts would always step by one
