"""Found by a user trial: "Add a conference link" said to give the link to everyone at the
conference, but it opens one campaign's questionnaire (the parents', say), so a child or a
professional given it answered the parents' questions. The page says who the link is for,
from the campaign's questionnaire, and that the others need a link from their own survey."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup


def _words(client, slug: str) -> str:
    page = client.get(f"/staff/campaigns/{slug}/conferences/new")
    assert page.status_code == 200
    main = BeautifulSoup(page.text, "html.parser").select_one("main")
    return " ".join(main.get_text(" ", strip=True).split())


@pytest.mark.parametrize(
    ("questionnaire", "for_whom", "others"),
    [
        (
            "cp-conference-parents",
            "Give this link to the parents and family at one conference.",
            "The child or young person and the professionals have their own surveys: "
            "make a conference link on each of those campaigns too.",
        ),
        (
            "cp-conference-child",
            "Give this link to the child or young person at one conference.",
            "The parents and family and the professionals have their own surveys: "
            "make a conference link on each of those campaigns too.",
        ),
        (
            "cp-conference-professionals",
            "Give this link to the professionals at one conference.",
            "The parents and family and the child or young person have their own surveys: "
            "make a conference link on each of those campaigns too.",
        ),
    ],
)
def test_the_page_says_who_the_link_is_for(
    staff_client, make_campaign, questionnaire, for_whom, others
):
    make_campaign("conference", questionnaire)
    words = _words(staff_client("participation"), "conference")
    assert "Give this link to everyone at one conference" not in words
    assert for_whom in words and others in words
    assert "Do not enter the names of the child or family anywhere." in words


def test_a_campaign_for_anyone_else_says_the_link_opens_its_survey_only(
    staff_client, make_campaign
):
    make_campaign("other", "cic-wellbeing-8-11")
    words = _words(staff_client("participation"), "other")
    assert "Give this link to everyone at one conference" not in words
    assert "It opens this campaign's survey only" in words
