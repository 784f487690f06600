"""The public "you said, we did" page shows exactly what was published, and nothing before
a staff member publishes it; archiving keeps it; the poster's QR code leads to it."""

from __future__ import annotations

import io
from datetime import date

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.web.loop.conftest import post_form
from tests.web.loop.test_loop_actions import _action

PAGE = "/you-said-we-did/example"


def _items(html):
    soup = BeautifulSoup(html, "html.parser")
    return [
        [p.get_text(" ", strip=True) for p in section.find_all(["h2", "h3", "p"])]
        for section in soup.select("section.yswd")
    ]


@pytest.fixture()
def published(app, make_campaign, staff_client):
    make_campaign()
    first = _action(
        app, said="Your worker does not ring back", did="Workers will ring back in 2 days"
    )
    second = _action(
        app,
        themes=("activities",),
        said="There is nothing to do at weekends",
        did="A Saturday club",
        due_on=date(2027, 6, 30),
    )
    _action(app, said="", did="Not ready yet")  # no public words: never published
    qa = staff_client("participation")
    assert (
        post_form(
            qa, "/staff/loop/example/publish", {"action_ids": [str(first), str(second)]}
        ).status_code
        == 302
    )
    return qa, first


def test_nothing_is_public_until_a_staff_member_publishes(app, client, make_campaign):
    make_campaign()
    _action(app)
    page = client.get(PAGE)
    assert page.status_code == 404
    assert "Your worker" not in page.text
    assert client.get("/you-said-we-did/no-such-campaign").status_code == 404


def test_the_page_shows_exactly_what_was_published(client, published):
    page = client.get(PAGE)
    assert page.status_code == 200
    assert _items(page.text) == [
        [
            "Hearing back from your worker",
            "You said",
            "Your worker does not ring back",
            "We will",
            "Workers will ring back in 2 days",
            "By March 2027",
        ],
        [
            "Things to do",
            "You said",
            "There is nothing to do at weekends",
            "We will",
            "A Saturday club",
            "By June 2027",
        ],
    ]
    assert "Not ready yet" not in page.text
    assert "Head of service" not in page.text  # staff details stay on the staff side


def test_later_edits_change_nothing_public_until_published_again(app, client, published):
    qa, first = published
    assert (
        post_form(
            qa,
            f"/staff/loop/actions/{first}/public",
            {"public_said": "Changed words", "public_text": "Changed"},
        ).status_code
        == 302
    )
    assert "Changed words" not in client.get(PAGE).text
    post_form(qa, "/staff/loop/example/publish", {"action_ids": [str(first)]})
    items = _items(client.get(PAGE).text)
    assert len(items) == 1 and items[0][2] == "Changed words"


def test_an_archived_campaign_keeps_its_published_page(app, client, published):
    from survey.extensions import db
    from survey.models import Campaign, CampaignStatus

    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "example"))
        campaign.status = CampaignStatus.ARCHIVED
        db.session.commit()
    assert client.get(PAGE).status_code == 200


def test_a_withdrawn_page_is_gone_from_public_view(client, published):
    qa, _ = published
    assert post_form(qa, "/staff/loop/example/publish", {}).status_code in (200, 400)
    token_page = qa.get("/staff/loop/example/publish").text
    from tests.conftest import csrf_token_from

    qa.post("/staff/loop/example/withdraw", data={"csrf_token": csrf_token_from(token_page)})
    assert client.get(PAGE).status_code == 404


def test_the_page_is_small_and_plain(client, published):
    page = client.get(PAGE)
    css = client.get("/static/heard.css")
    assert len(page.data) + len(css.data) < 14 * 1024
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.h1.get_text(strip=True) == "You said, we did"
    assert "Childline" in page.text


def test_the_poster_is_one_a4_page_whose_qr_code_opens_the_page(published):
    from PIL import Image  # noqa: F401 - pypdf's image extraction needs it
    from pypdf import PdfReader

    zxingcpp = pytest.importorskip("zxingcpp")
    qa, _ = published
    response = qa.get("/staff/loop/example/poster.pdf")
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "You said, we did" in text and "Your worker does not ring back" in text
    (image,) = reader.pages[0].images
    assert [r.text for r in zxingcpp.read_barcodes(image.image)] == [
        "http://heard.test/you-said-we-did/example"
    ]


def test_no_poster_before_the_page_is_published(app, make_campaign, staff_client):
    make_campaign()
    response = staff_client("participation").get("/staff/loop/example/poster.pdf")
    assert response.status_code == 302


def test_words_that_may_name_someone_wait_for_a_person_to_check_them(
    app, client, make_campaign, staff_client
):
    """Staff type the public words, so they go public as typed: what the redactor would
    change (a name, a phone number, a named home) is shown for a person to check first."""
    from survey.models import AuditEvent

    make_campaign()
    named = _action(
        app, said="Sarah Jones at Riverside House never rings back", did="Ring 07700 900555"
    )
    worker = staff_client("participation")
    held = post_form(
        worker, "/staff/loop/example/publish", {"action_ids": [str(named)], "intro": "Hello"}
    )
    assert held.status_code == 400
    page = held.text
    assert "Check these words before they go public" in page
    assert "[NAME] at [PLACE] never rings back" in page and "Ring [PHONE]" in page
    assert client.get(PAGE).status_code == 404  # nothing public yet

    checked = post_form(
        worker,
        "/staff/loop/example/publish",
        {"action_ids": [str(named)], "intro": "Hello", "details_checked": "y"},
    )
    assert checked.status_code == 302
    assert "Sarah Jones" in client.get(PAGE).text  # published as typed, once a person said so
    with app.app_context():
        from survey.extensions import db

        event = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "yswd_published")
        ).one()
        assert "checked 2 words the redactor would change" in event.detail


def test_the_public_words_hint_points_at_quotes_only_where_they_are_shown(
    app, make_campaign, staff_client
):
    make_campaign()
    action = _action(app, said="", did="")
    worker = staff_client("participation")
    alone = worker.get(f"/staff/loop/actions/{action}/public").text
    assert "pick one of the quotes above" not in alone
    assert "as the themed summary shows them" in alone
