"""Every questionnaire we ship can be answered end to end in the runner: each page it
shows passes the page checks (valid HTML, one h1, unique ids, labels), and the answers
arrive as one response."""

from __future__ import annotations

from pathlib import Path

import pytest

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "questionnaires"
SHIPPED = sorted(path.stem for path in QUESTIONNAIRES.glob("*.yaml"))


@pytest.mark.parametrize("questionnaire_id", SHIPPED)
def test_a_shipped_questionnaire_can_be_answered_with_first_and_last_options(
    app, client, new_client, make_campaign, journey, walk, seen, store, questionnaire_id
):
    from survey.library import library

    make_campaign("shipped", questionnaire_id)
    with app.app_context():
        questionnaire = library().get(questionnaire_id)
    for pick, browser in ((0, client), (-1, new_client())):
        person = journey(browser, "shipped")
        walk(person, questionnaire, pick)
        check = seen(person.check())
        assert check.status == 200 and not check.summary()
        assert person.submit().headers["Location"].endswith("/s/shipped/done")
        assert seen(browser.get("/s/shipped/done")).h1 == "Thank you: your answers have arrived"
    assert len(store.responses()) == 2
