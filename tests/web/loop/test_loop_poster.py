"""The "you said, we did" poster is one A4 page whatever the number of actions, and no
action is left out without saying so."""

from __future__ import annotations

import io
from datetime import date

import pytest

from tests.web.loop.conftest import post_form
from tests.web.loop.test_loop_actions import _action

SAID = "Action {i}: my worker changes too often and I have to tell my story again each time"
DID = "Action {i}: new workers will meet you with your old worker before the handover"


@pytest.mark.parametrize("n", [1, 4, 12])
def test_the_poster_is_one_a4_page_with_every_action_or_how_many_more(
    app, make_campaign, staff_client, n
):
    from pypdf import PdfReader

    make_campaign()
    ids = [_action(app, said=SAID.format(i=i), did=DID.format(i=i)) for i in range(1, n + 1)]
    client = staff_client("participation")
    published = post_form(
        client, "/staff/loop/example/publish", {"action_ids": [str(i) for i in ids]}
    )
    assert published.status_code == 302
    response = client.get("/staff/loop/example/poster.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = " ".join(reader.pages[0].extract_text().split())
    listed = [i for i in range(1, n + 1) if f"You said: Action {i}:" in text]
    assert listed == list(range(1, len(listed) + 1)) and listed
    if len(listed) < n:
        assert f"and {n - len(listed)} more at http://heard.test/you-said-we-did/example" in text
    if n <= 4:
        assert len(listed) == n  # a few actions always fit in full


def test_the_poster_says_by_when_and_gives_a_shared_quote_once(app, make_campaign, staff_client):
    """Found by a user trial: "We will..." with no date, the same "You said" printed twice
    for two actions answering it, and the items run together in justified lines."""
    from pypdf import PdfReader

    make_campaign()
    said = "Nobody tells me anything about my plan"
    ids = [
        _action(app, said=said, did="Your worker will go through your plan with you."),
        _action(app, said="My worker never rings back", due_on=date(2027, 1, 31)),
        _action(app, said=said, did="You will get a copy of your plan in words you can read."),
    ]
    client = staff_client("participation")
    post_form(client, "/staff/loop/example/publish", {"action_ids": [str(i) for i in ids]})
    response = client.get("/staff/loop/example/poster.pdf")
    text = " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
    assert text.count(said) == 1
    assert text.count("By March 2027") == 2  # each action's due month (31 March 2027)
    assert text.count("By January 2027") == 1
