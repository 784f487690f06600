"""Issue 17, the children's side: optional questions say so, a 0-10 scale never reads
"0 means 0 means...", "What do you worry about?" has no dangling "or", and the page
count never grows as follow-up pages appear."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import valid_answer

CHILDREN = [
    "cic-wellbeing-8-11",
    "cic-wellbeing-11-17",
    "cic-wellbeing-8-11-easy-read",
    "cic-wellbeing-11-17-easy-read",
    "care-leavers-16-25",
]


def _walk_counting(app, person, questionnaire_id: str, pick: int):
    """Every page's "Page n of m", and every page's text, walking to the check page."""
    from survey.library import library

    with app.app_context():
        questionnaire = library().get(questionnaire_id)
    person.start()
    counts, texts = [], {}
    location = f"/s/{person.slug}/q/{questionnaire.pages[0].id}"
    while "/q/" in location:
        page_id = location.split("/q/")[1].split("?")[0]
        text = person.page(page_id).get_data(as_text=True)
        texts[page_id] = text
        found = re.search(r"Page (\d+) of (\d+)", text)
        counts.append((int(found.group(1)), int(found.group(2))))
        data = {}
        for question in questionnaire.page(page_id).questions:
            data.update(valid_answer(question, pick))
        location = person.answer(page_id, data).headers["Location"]
    return counts, texts, questionnaire


@pytest.mark.parametrize("questionnaire_id", CHILDREN)
@pytest.mark.parametrize("pick", [0, -1])
def test_the_page_count_never_grows_and_each_page_is_the_next(
    app, client, make_campaign, journey, questionnaire_id, pick
):
    make_campaign("counted", questionnaire_id)
    counts, _, _ = _walk_counting(app, journey(client, "counted"), questionnaire_id, pick)
    totals = [total for _, total in counts]
    assert totals == sorted(totals, reverse=True), totals  # never grows
    assert [n for n, _ in counts] == list(range(1, len(counts) + 1))


@pytest.mark.parametrize("questionnaire_id", CHILDREN)
def test_optional_questions_are_marked_and_scales_read_once(
    app, client, make_campaign, journey, questionnaire_id
):
    make_campaign("marked", questionnaire_id)
    _, texts, questionnaire = _walk_counting(app, journey(client, "marked"), questionnaire_id, 0)
    for page_id, text in texts.items():
        plain = re.sub(r"<[^>]+>", " ", text)
        assert not re.search(r"\b(0|10) means (0|10)\b", plain), page_id
        assert not re.search(r"\b(0|10): (0|10)\b", plain), page_id
        for question in questionnaire.page(page_id).questions:
            marked = f"{question.text}" in plain and "(optional)" in plain
            if question.optional:
                assert marked, (page_id, question.id)
        if not any(q.optional for q in questionnaire.page(page_id).questions):
            assert "(optional)" not in plain, page_id


@pytest.mark.parametrize("questionnaire_id", ["cic-wellbeing-8-11", "cic-wellbeing-11-17"])
def test_what_do_you_worry_about_has_no_dangling_or(
    app, client, make_campaign, journey, questionnaire_id
):
    from bs4 import BeautifulSoup

    make_campaign("worries", questionnaire_id)
    _, texts, _ = _walk_counting(app, journey(client, "worries"), questionnaire_id, 0)
    page = BeautifulSoup(texts["what-worries"], "html.parser")
    choices = page.select(".choices")[0]
    items = [c for c in choices.children if getattr(c, "name", None)]
    assert "choice-divider" not in (items[-1].get("class") or [])
    divider = choices.select_one(".choice-divider")
    assert divider.get_text(strip=True) == "or"
    after = divider.find_next_sibling(class_="choice")
    assert "rather not say" in after.get_text(" ", strip=True)
