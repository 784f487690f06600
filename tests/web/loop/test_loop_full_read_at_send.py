"""A disclosure only the full read sees (the encoder alone on a long English answer,
decision 0016) gets the thank-you page's help box with a job queue as it does without one,
and the lead's queue holds the same one flag either way."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

# Blind round 14: a disclosure that only the encoder sees (the request's quick screen
# leaves it; tests/web/loop/test_loop_flag_levels.py).
HINTED = (
    "babys nappy rash is bleeding now and they still havnt took her to the doctors even tho "
    "the health visitor told them to"
)
# As long, as English, and nothing to worry about.
ORDINARY = (
    "my foster carers take me swimming every saturday and we have pizza after, and my "
    "social worker came to see my new school last week which was nice"
)


def _send(app, client, journey, every_type_answers, make_campaign, slug: str, text: str):  # type: ignore[no-untyped-def]
    """One child sends ``text`` as their worry; returns the thank-you page's help box."""
    from bs4 import BeautifulSoup

    make_campaign(slug)
    every_type_answers["worries"]["worry-text"] = text
    person = journey(client, slug)
    person.start()
    person.answer_all(every_type_answers)
    assert person.submit().status_code == 302
    page = BeautifulSoup(client.get(f"/s/{slug}/done").get_data(as_text=True), "html.parser")
    panel = page.select_one(".help-panel")
    return " ".join(panel.get_text(" ").split()) if panel is not None else None


def _run_queued(app, queued: list[tuple[str, tuple[Any, ...]]]) -> None:
    """The worker catches up: every job queued so far runs, as ``heard worker`` runs it."""
    from survey.jobs import run

    with app.app_context():
        while queued:
            path, args = queued.pop(0)
            run(path, *args)


def _held(app, slug: str) -> list[tuple[Any, ...]]:
    """What the lead's queue holds for the campaign's responses, and the alerts planned."""
    from survey.extensions import db
    from survey.models import Alert, Campaign, SafeguardingFlag

    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
        flags = db.session.scalars(
            select(SafeguardingFlag).where(SafeguardingFlag.campaign_id == campaign.id)
        ).all()
        held = [
            (
                f.level,
                f.category,
                f.question_ids,
                f.unsent,
                f.insight_id is not None,
                len(db.session.scalars(select(Alert).where(Alert.flag_id == f.id)).all()),
            )
            for f in flags
        ]
        db.session.remove()
    return held


def test_the_full_reads_disclosure_gets_the_box_and_one_flag_with_or_without_a_queue(
    app, client, new_client, journey, every_type_answers, make_campaign, make_user, smtp, request
):
    make_user("safeguarding")  # alerts are sent to the lead (by the SMTP sink)
    # Given no job queue: the analysis, and its full read, run in the request.
    inline_box = _send(app, client, journey, every_type_answers, make_campaign, "inline", HINTED)
    # When a job queue runs the analysis instead (and the worker catches up later)
    queued = request.getfixturevalue("queued_jobs")
    other = new_client()
    queued_box = _send(
        app, other, journey, dict(every_type_answers), make_campaign, "queued", HINTED
    )
    _run_queued(app, queued)
    # Then the child is offered help now either way
    assert inline_box is not None and "Because of what you wrote" in inline_box
    assert queued_box == inline_box
    # and the lead has one flag, a current risk, linked to its insight, alerted on once.
    [(level, category, questions, unsent, linked, alerts)] = _held(app, "inline")
    assert (level, category, questions, unsent, linked) == (
        "current", "neglect", ["worry-text"], False, True
    )  # fmt: skip
    assert alerts >= 1
    assert _held(app, "queued") == _held(app, "inline")


@pytest.mark.parametrize("queue", [False, True], ids=["inline", "job-queue"])
def test_a_long_ordinary_answer_gets_no_box_and_no_flag(
    app, client, journey, every_type_answers, make_campaign, request, queue
):
    queued = request.getfixturevalue("queued_jobs") if queue else []
    box = _send(app, client, journey, every_type_answers, make_campaign, "ordinary", ORDINARY)
    assert box is None
    if queue:
        # the analysis is still the job's: the request read the answer, stored nothing
        from survey.extensions import db
        from survey.models import AnswerInsight

        with app.app_context():
            assert db.session.scalars(select(AnswerInsight)).all() == []
            db.session.remove()
        assert [path for path, _ in queued] == ["survey.insights.jobs:analyse_response"]
    _run_queued(app, queued)
    assert _held(app, "ordinary") == []
