"""The lead's queue: possible current risk first, then answers a person must read (a
language the screen cannot read with confidence), then past harm; oldest first within
each; every row shows its level and how the answer begins. Non-answers never reach it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

PAST = "when i lived with my birth dad he used to hit us, im safe now with my carers"
CURRENT = "my step dad hits me when mum is out"
POLISH = "moja opiekunka jest bardzo miła i zabiera mnie na basen"


def _rows(page: str) -> list[list[str]]:
    soup = BeautifulSoup(page, "html.parser")
    table = soup.find("table")
    assert table is not None
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in table.find("tbody").find_all("tr")
    ]


def test_queue_orders_by_level_then_age_and_shows_level_and_preview(answered, staff_client):
    # The past-harm mention and the Polish answer are older than the current risk.
    answered(texts=[PAST], submitted_ago=timedelta(days=3))
    answered(texts=[POLISH], submitted_ago=timedelta(days=2))
    answered(texts=[CURRENT], submitted_ago=timedelta(hours=1))
    lead = staff_client("safeguarding")
    rows = _rows(lead.get("/staff/safeguarding/").get_data(as_text=True))
    assert [r[1] for r in rows] == [
        "Possible current risk",
        "Needs a reader",
        "Past harm or distress",
    ]
    assert rows[0][2] == CURRENT
    assert rows[1][2] == POLISH and "Polish" in rows[1][3]
    assert rows[2][2].startswith("when i lived with my birth dad")


def test_a_flag_page_names_its_level_and_language(app, answered, staff_client):
    from survey.extensions import db
    from survey.models import SafeguardingFlag

    answered(texts=["Nie chcę już żyć, nikt mnie nie słucha"])
    with app.app_context():
        [flag] = db.session.scalars(select(SafeguardingFlag)).all()
        assert (flag.level, flag.language, flag.category) == ("current", "pl", "self_harm")
    page = staff_client("safeguarding").get(f"/staff/safeguarding/{flag.id}").get_data(as_text=True)
    assert "Possible current risk" in page and "Polish" in page


def test_non_answers_never_reach_the_queue(app, answered):
    from survey.extensions import db
    from survey.models import AnswerInsight, SafeguardingFlag

    answered(texts=["No", "Nothing", "Nothing to add.", "n/a", "dont know", "nie", "کچھ نہیں"])
    with app.app_context():
        assert db.session.scalars(select(SafeguardingFlag)).all() == []
        insights = db.session.scalars(select(AnswerInsight)).all()
        assert len(insights) == 7
        assert {(i.sentiment, tuple(i.themes), i.needs_reader) for i in insights} == {
            ("neutral", (), False)
        }


def test_the_screen_in_the_request_levels_flags_too(app, answered, monkeypatch):
    """With a job queue the flag is raised in the request (screen_now), at its level."""
    import survey.jobs
    from survey.extensions import db
    from survey.models import SafeguardingFlag

    monkeypatch.setattr(survey.jobs, "queue_url", lambda: "redis://example.invalid/0")
    monkeypatch.setattr(survey.jobs, "enqueue", lambda *args: None)
    answered(texts=[PAST, POLISH, "No"])
    with app.app_context():
        levels = sorted(f.level for f in db.session.scalars(select(SafeguardingFlag)))
    assert levels == ["reader", "review"]


# Blind round 14 (development data since, in neither learned model's training): a
# disclosure that only the encoder sees.
HINTED = (
    "babys nappy rash is bleeding now and they still havnt took her to the doctors even tho "
    "the health visitor told them to"
)


def test_what_only_the_full_read_sees_is_flagged_by_the_job_after_the_send(
    app, answered, queued_jobs
):
    """The request's screen leaves the hinted disclosure; the job that stores the
    insights (queued, then run as the worker would) raises it as a current risk."""
    from survey.extensions import db
    from survey.jobs import run
    from survey.models import SafeguardingFlag

    answered(texts=[HINTED])
    with app.app_context():
        assert db.session.scalars(select(SafeguardingFlag)).all() == []
        [(path, args)] = queued_jobs
        run(path, *args)
        [flag] = db.session.scalars(select(SafeguardingFlag)).all()
    assert (flag.level, flag.category) == ("current", "neglect")


def _sent(client, journey, every_type_answers, make_campaign, text):  # type: ignore[no-untyped-def]
    """One child answers the example questionnaire with ``text`` as their worry, and sends."""
    make_campaign()
    every_type_answers["worries"]["worry-text"] = text
    person = journey(client)
    person.start()
    person.answer_all(every_type_answers)
    assert person.submit().status_code == 302


@pytest.mark.parametrize(("text", "level"), [(PAST, "review"), (POLISH, "reader")])
def test_a_child_who_sends_is_screened_in_the_request(
    app, client, journey, every_type_answers, make_campaign, queued_jobs, text, level
):
    """With a job queue, "send" screens the answers in the request: the flag is there, at
    its level, before any job runs."""
    from survey.extensions import db
    from survey.models import SafeguardingFlag

    _sent(client, journey, every_type_answers, make_campaign, text)
    with app.app_context():
        [flag] = db.session.scalars(select(SafeguardingFlag)).all()
        assert (flag.level, flag.question_id, flag.response_id is not None) == (
            level,
            "worry-text",
            True,
        )


def test_what_send_screens_is_what_the_database_holds(
    app, client, journey, every_type_answers, make_campaign, queued_jobs, monkeypatch
):
    """The screen at "send" reads the runner's own record of the free-text answers
    (``Sent``), not the database; it holds exactly the answers, in the order, that reading
    them back gives."""
    from survey.insights import services as insights

    given = []
    screen_now = insights.screen_now

    def spy(response_id, sent=None):  # type: ignore[no-untyped-def]
        given.append((response_id, sent))
        return screen_now(response_id, sent)

    monkeypatch.setattr(insights, "screen_now", spy)
    _sent(client, journey, every_type_answers, make_campaign, "  my foster carer is kind  ")
    [(response_id, sent)] = given
    with app.app_context():
        read_back = [(a.question_id, a.value) for a, _ in insights._pending([response_id])]
    assert sent is not None and sent.id == response_id
    assert read_back and list(sent.texts) == read_back
