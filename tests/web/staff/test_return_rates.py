"""Return rates against a seeded data set: every figure is worked out by hand below.

Campaign: cohort 10, open from Friday 27 March 2026 09:00 (GMT) to 10 April 2026. British
Summer Time starts on Sunday 29 March, so 23:30 UTC that night is 00:30 on Monday 30 March
in the UK, and counts for the Monday.

    response  submitted (UTC)      UK day   took      link
    1         27 Mar 10:00         27 Mar   10 min    group A
    2         27 Mar 23:30         27 Mar    5 min    group A
    3         29 Mar 23:30         30 Mar   20 min    group B
    4         30 Mar 08:00         30 Mar   15 min    none
    drafts not sent: 2 in group A, 1 with no group

Return rate 4/10 = 40%; median time (5, 10, 15, 20 min) = 12.5 min; group A 2/4 = 50%,
group B 1/6 = 17%.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from staff_seed import add_draft, add_link, add_response, new_campaign

T = datetime(2026, 3, 27, 9, 0, tzinfo=UTC)


@pytest.fixture()
def seeded(app):
    campaign_id = new_campaign(
        app, "rates", T, datetime(2026, 4, 10, 17, 0, tzinfo=UTC), cohort_size=10
    )
    group_a, _ = add_link(app, campaign_id, label="Group A", cohort_size=4)
    group_b, _ = add_link(app, campaign_id, label="Group B", cohort_size=6)
    for submitted, minutes, link in [
        (datetime(2026, 3, 27, 10, 0, tzinfo=UTC), 10, group_a),
        (datetime(2026, 3, 27, 23, 30, tzinfo=UTC), 5, group_a),
        (datetime(2026, 3, 29, 23, 30, tzinfo=UTC), 20, group_b),
        (datetime(2026, 3, 30, 8, 0, tzinfo=UTC), 15, None),
    ]:
        add_response(
            app, campaign_id, submitted - timedelta(minutes=minutes), submitted, link_id=link
        )
    add_draft(app, campaign_id, group_a)
    add_draft(app, campaign_id, group_a)
    add_draft(app, campaign_id)
    return campaign_id


def test_figures_match_the_hand_worked_values(app, seeded):
    from survey.extensions import db
    from survey.models import Campaign
    from survey.staff.stats import return_rates

    with app.app_context():
        figures = return_rates(
            db.session.get(Campaign, seeded), now=datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
        )
    assert (figures.responses, figures.cohort_size, figures.rate) == (4, 10, 0.4)
    assert figures.started_not_finished == 3
    assert figures.median_minutes == 12.5
    days = {d.day: (d.responses, d.cumulative, d.cumulative_rate) for d in figures.days}
    assert figures.days[0].day == date(2026, 3, 27)
    assert figures.days[-1].day == date(2026, 4, 1)  # today, not the closing day
    assert days[date(2026, 3, 27)] == (2, 2, 0.2)
    assert days[date(2026, 3, 29)] == (0, 2, 0.2)
    assert days[date(2026, 3, 30)] == (2, 4, 0.4)  # 23:30 UTC on the 29th is the 30th in BST
    groups = [(g.label, g.responses, g.cohort_size, g.rate, g.started) for g in figures.groups]
    assert groups == [
        ("Group A", 2, 4, 0.5, 2),
        ("Group B", 1, 6, 1 / 6, 0),
        ("", 1, None, None, 1),  # answers through the campaign's own link
    ]


def test_after_closing_the_chart_stops_on_the_closing_day(app, seeded):
    from survey.extensions import db
    from survey.models import Campaign
    from survey.staff.stats import return_rates

    with app.app_context():
        figures = return_rates(
            db.session.get(Campaign, seeded), now=datetime(2026, 6, 1, tzinfo=UTC)
        )
    assert figures.days[-1].day == date(2026, 4, 10)
    assert len(figures.days) == 15


def test_the_page_shows_the_figures_a_chart_and_a_table(staff_client, seeded):
    client = staff_client("qa_reviewer")
    page = client.get("/staff/campaigns/rates/return-rates")
    assert page.status_code == 200
    text = " ".join(page.text.split())
    assert "40%" in text and "12.5" in text
    assert '<svg class="chart" role="img"' in page.text
    assert '<title id="chart-title">Answers per day for Campaign rates</title>' in page.text
    assert "Show the figures as a table" in text
    assert 'Mon 30 Mar 2026</td><td class="num">2</td><td class="num">4</td>' in text.replace(
        "> <", "><"
    )
    assert (
        'Group A</td><td class="num">2</td><td class="num">4</td><td class="num">50%'
        in text.replace("> <", "><")
    )
    assert "17%" in text
    assert (
        "No group (the campaign&#39;s own link)" in page.text
        or "No group (the campaign's own link)" in text
    )
    overview = client.get("/staff/campaigns/rates")
    assert "40%" in overview.text and "12.5" in overview.text


def test_a_campaign_with_no_answers_shows_dashes_not_errors(app, staff_client):
    new_campaign(app, "empty", T, T + timedelta(days=3), cohort_size=None)
    client = staff_client("participation")
    page = client.get("/staff/campaigns/empty/return-rates")
    assert page.status_code == 200
    assert "This campaign has no audience groups" in page.text


def test_conference_feedback_is_grouped_by_conference(app, staff_client):
    campaign_id = new_campaign(app, "conferences", T, T + timedelta(days=60))
    first, _ = add_link(
        app, campaign_id, "conference", held_on=date(2026, 3, 30), type="icpc", chair="Chris Chair"
    )
    second, _ = add_link(
        app, campaign_id, "conference", held_on=date(2026, 4, 2), type="rcpc", chair="Dana Chair"
    )
    for link in (first, first, first, second):
        add_response(app, campaign_id, T, T + timedelta(minutes=7), link_id=link)
    add_draft(app, campaign_id, second)
    page = staff_client("participation").get("/staff/campaigns/conferences/return-rates")
    rows = " ".join(page.text.split()).replace("> <", "><")
    num = '<td class="num">'
    # A conference is about one family: 3 and 1 answers are shown as "fewer than 5".
    few = "fewer than 5"
    assert f"30 Mar 2026</td><td>ICPC</td><td>Chris Chair</td>{num}{few}</td>{num}0</td>" in rows
    assert f"2 Apr 2026</td><td>RCPC</td><td>Dana Chair</td>{num}{few}</td>{num}{few}</td>" in rows
    # Found by a privacy probe: a quality assurance reviewer, who reads the answers (each
    # with its conference's type and time), was given each conference's date and chair.
    page = staff_client("qa_reviewer").get("/staff/campaigns/conferences/return-rates")
    rows = " ".join(page.text.split()).replace("> <", "><")
    assert page.status_code == 200
    assert "Chris Chair" not in rows and "Dana Chair" not in rows
    assert "30 Mar 2026</td><td>ICPC" not in rows and "2 Apr 2026</td><td>RCPC" not in rows
    assert f"<td>ICPC</td>{num}{few}</td>{num}0</td>" in rows


def test_a_conference_count_cannot_be_worked_out_from_the_campaign_total(app, staff_client):
    campaign_id = new_campaign(app, "subtract", T, T + timedelta(days=60))
    small, _ = add_link(
        app, campaign_id, "conference", held_on=date(2026, 3, 30), type="icpc", chair="A"
    )
    big, _ = add_link(
        app, campaign_id, "conference", held_on=date(2026, 4, 2), type="rcpc", chair="B"
    )
    for link in [small] * 2 + [big] * 9:
        add_response(app, campaign_id, T, T + timedelta(minutes=7), link_id=link)
    page = staff_client("participation").get("/staff/campaigns/subtract/return-rates").text
    rows = " ".join(page.split()).replace("> <", "><")
    num = '<td class="num">'
    # 11 in all is shown above: showing 9 would give the 2 away, so 9 is hidden too.
    assert f"<td>A</td>{num}fewer than 5</td>" in rows
    assert f"<td>B</td>{num}9</td>" not in rows
