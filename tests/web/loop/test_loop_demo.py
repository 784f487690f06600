"""The loop demo: insights for bulk-loaded responses, actions from themes, a published
page; a second run adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from analysis.nonanswer import is_non_answer


def test_the_loop_demo_goes_all_the_way_round_and_is_idempotent(app, answered, client, monkeypatch):
    import survey.jobs
    from survey.demo.loop import load_loop_demo
    from survey.extensions import db
    from survey.models import Action, AnswerInsight, Publication

    monkeypatch.setattr(survey.jobs, "enqueue", lambda *a: None)  # as the bulk demo loader: no hook
    answered(texts=["my social worker never rings me back, it is so annoying"] * 8)
    with app.app_context():
        assert db.session.scalar(select(func.count(AnswerInsight.id))) == 0
        message = load_loop_demo("example")
        assert "/you-said-we-did/example" in message
        actions = db.session.scalar(select(func.count(Action.id)))
        again = load_loop_demo("example")
        assert db.session.scalar(select(func.count(AnswerInsight.id))) == 8
        # One action per theme with a demo plan that the comments carry (communication at
        # least); the second run adds none.
        assert actions >= 1
        assert db.session.scalar(select(func.count(Action.id))) == actions
        assert db.session.scalar(select(func.count(Publication.id))) == 1
        assert f"0 insights stored; {actions} actions" in again
    page = client.get("/you-said-we-did/example")
    assert page.status_code == 200
    assert "Hearing back from your worker" in page.text
    assert "Your worker now rings or texts you back" in page.text


def _queue_texts() -> list[tuple[str, str]]:
    """(how the answer begins, level) for each open flag raised on words: a "No" to feeling
    safe, ticked in a draft with nothing written, is a flag without words (the queue says
    so), not a non-answer in the net."""
    from survey.insights.flags import open_flags
    from survey.insights.services import CHOICE_CATEGORY

    return [
        (row.preview, row.flag.level)
        for row in open_flags()
        if row.flag.category != CHOICE_CATEGORY
    ]


def test_the_shipped_demo_goes_round_the_loop_with_its_disclosures_on_the_queue(app, client):
    from survey.demo import load_demo
    from survey.demo.loop import SHOWCASE, load_loop_demo
    from survey.extensions import db
    from survey.models import Publication, SafeguardingFlag

    with app.app_context():
        load_demo()
        load_loop_demo()
        [publication] = db.session.scalars(select(Publication)).all()
        assert len(publication.items) == 3
        assert {i["status"] for i in publication.items} == {"done", "in-progress", "planned"}
        assert db.session.scalar(select(func.count(SafeguardingFlag.id))) > 0
        # The lead's queue holds no non-answer ("No", "nothing", "n/a"...), and the current
        # risks in it are disclosures, not noise.
        rows = _queue_texts()
        assert rows and not [text for text, _ in rows if is_non_answer(text)]
        current = [text for text, level in rows if level == "current"]
        assert current and len(current) <= len(rows)
    page = client.get(f"/you-said-we-did/{SHOWCASE}")
    assert page.status_code == 200
    assert page.text.count('class="yswd"') == 3


def test_the_demos_flags_are_raised_when_their_answers_were_sent_and_alerted_as_real_ones(
    app, smtp, monkeypatch
):
    """Found by a user trial: every demo flag read "Raised" at the minute the demo was
    loaded, though its answer was sent weeks before, and none had an alert until
    `heard alerts` ran. A sent answer's flag is raised as it is sent, and its alerts are
    planned then (sent here by the next sweep: the demo starts no sending of its own)."""
    import survey.alerts.services
    from survey.demo import load_demo
    from survey.extensions import db
    from survey.models import Alert, Draft, Response, SafeguardingFlag

    monkeypatch.setattr(survey.alerts.services, "start_delivery", lambda: None)
    with app.app_context():
        load_demo()
        flags = db.session.scalars(select(SafeguardingFlag)).all()
        assert len([f for f in flags if f.response_id]) > 5
        for flag in flags:
            if flag.response_id is not None:
                sent = db.session.get(Response, flag.response_id).submitted_at
                assert flag.raised_at == sent, flag.id
            else:
                draft = db.session.get(Draft, flag.draft_id)
                assert flag.raised_at <= draft.updated_at, flag.id
        alerted = set(db.session.scalars(select(Alert.flag_id).where(Alert.reason == "new")))
        waiting = {f.id for f in flags if f.level == "current" and f.acknowledged_at is None}
        assert waiting and alerted == waiting
        leads = set(db.session.scalars(select(Alert.recipient)))
        assert leads == {"safeguarding@demo.heard.invalid"}
