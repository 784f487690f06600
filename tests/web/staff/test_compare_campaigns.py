"""Issue 17, part 3: the return rate is compared with the previous campaign of the same
questionnaire, on the same days since opening."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from staff_seed import add_response, new_campaign


def test_this_year_is_compared_with_last_year_at_the_same_point(app, staff_client):
    now = datetime.now(UTC)
    last_opened = now - timedelta(days=365)
    this_opened = now - timedelta(days=10, hours=1)
    last = new_campaign(
        app,
        "last-year",
        last_opened,
        last_opened + timedelta(days=30),
        cohort_size=40,
        status="closed",
    )
    this = new_campaign(
        app, "this-year", this_opened, this_opened + timedelta(days=30), cohort_size=20
    )
    other = new_campaign(
        app,
        "other-questionnaire",
        last_opened,
        last_opened + timedelta(days=30),
        questionnaire_id="example-routing",
        cohort_size=10,
        status="closed",
    )
    for day in (1, 2, 9):  # within last year's first 10 days
        add_response(
            app,
            last,
            last_opened + timedelta(days=day),
            last_opened + timedelta(days=day, minutes=5),
        )
    for day in (11, 20, 25):  # later in last year's: not counted against day 10
        add_response(
            app,
            last,
            last_opened + timedelta(days=day),
            last_opened + timedelta(days=day, minutes=5),
        )
    for day in (0, 3, 4, 5, 6):
        add_response(
            app,
            this,
            this_opened + timedelta(days=day),
            this_opened + timedelta(days=day, minutes=5),
        )
    add_response(app, other, last_opened, last_opened + timedelta(minutes=5))

    page = staff_client("qa_reviewer").get("/staff/campaigns/this-year/return-rates")
    text = " ".join(page.text.split())
    assert "After 10 days open" in text
    assert "Campaign last-year" in text and "Campaign other-questionnaire" not in text
    assert '<td class="num">5</td><td class="num">25%</td>' in text  # 5 of 20
    assert '<td class="num">3</td><td class="num">8%</td>' in text  # 3 of 40, not 6


def test_a_first_campaign_has_nothing_to_compare_with(app, staff_client):
    now = datetime.now(UTC)
    new_campaign(app, "first", now - timedelta(days=3), now + timedelta(days=3))
    page = staff_client("participation").get("/staff/campaigns/first/return-rates")
    assert page.status_code == 200 and "Against the previous campaign" not in page.text
