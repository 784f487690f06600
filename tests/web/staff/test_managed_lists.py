"""Issue 17, part 3: team and audience are chosen from managed lists, so "Children in care
team" and "Children in care teams" cannot split the filters."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import csrf_token_from


def _post(client, **data):
    token = csrf_token_from(client.get("/staff/lists").text)
    return client.post("/staff/lists", data={"csrf_token": token, **data})


def test_a_second_spelling_is_refused_and_the_form_offers_only_the_list(
    app, staff_client, make_campaign
):
    worker = staff_client("participation")
    assert _post(worker, kind="team", label="Children in care team").status_code == 302
    refused = _post(worker, kind="team", label="children in care  Teams")
    assert refused.status_code == 400
    text = refused.text.replace("&#39;", "'")
    assert "'Children in care team' is already on the list" in text
    assert 'value="children in care  Teams"' in text  # what was typed is kept
    _post(worker, kind="audience", label="Care leavers 16-25")

    form = worker.get("/staff/campaigns/new").text
    assert '<select class="select" id="team" name="team"' in form
    assert '<option value="Children in care team">' in form

    make_campaign("listed")
    token = csrf_token_from(worker.get("/staff/campaigns/listed/edit").text)
    page = worker.get("/staff/campaigns/listed/edit").text
    assert '<option value="test" selected>' in page  # its own audience stays choosable
    typed = worker.post(
        "/staff/campaigns/listed/edit",
        data={
            "csrf_token": token,
            "title": "Listed",
            "slug": "listed",
            "team": "Children in care teams",
            "audience": "test",
            "opens_at": "2026-01-01T09:00",
            "closes_at": "2030-01-01T09:00",
        },
    )
    assert typed.status_code == 400 and "Choose from the list" in typed.text


def test_taking_an_entry_off_the_list_changes_no_campaign(app, staff_client, make_campaign):
    from survey.extensions import db
    from survey.models import Campaign

    worker = staff_client("participation")
    _post(worker, kind="audience", label="test")
    make_campaign("kept")
    assert _post(worker, kind="audience", label="test", remove="1").status_code == 302
    assert "test" not in worker.get("/staff/lists").text.split("<h2>Audiences</h2>")[1][:200]
    with app.app_context():
        assert db.session.scalar(select(Campaign.audience).where(Campaign.slug == "kept")) == "test"


def test_only_those_who_run_campaigns_manage_the_lists(staff_client):
    assert staff_client("qa_reviewer").get("/staff/lists").status_code in (403, 404)


def test_a_name_of_hidden_characters_blanks_or_too_long_is_refused_and_nothing_stored(
    app, staff_client
):
    """Control characters are stripped from staff text (SECURITY.md): a name made only of
    them, or of spaces, is no name; a name over 120 characters is refused, not cut."""
    from survey.extensions import db
    from survey.models import ManagedChoice

    worker = staff_client("participation")
    for label in ("\x00\x01\x02", "   ", "\u202e\x7f"):
        refused = _post(worker, kind="team", label=label)
        assert refused.status_code == 400 and "Enter a name to add" in refused.text
    long = _post(worker, kind="team", label="x" * 121)
    assert long.status_code == 400 and "120 characters or fewer" in long.text
    assert _post(worker, kind="team", label="Fostering\x00 \u202eteam").status_code == 302
    with app.app_context():
        assert list(db.session.scalars(select(ManagedChoice.label))) == ["Fostering team"]


def test_an_entry_stored_with_a_control_character_can_still_be_taken_off(app, staff_client):
    """Entries added before control characters were stripped keep them: removing one by its
    stored name works, and the page it lands on is valid HTML."""
    from survey.extensions import db
    from survey.models import ManagedChoice

    with app.app_context():
        db.session.add(ManagedChoice(kind="team", label="Old\x0bteam"))
        db.session.commit()
    worker = staff_client("participation")
    assert _post(worker, kind="team", label="Old\x0bteam", remove="1").status_code == 302
    assert worker.get("/staff/lists").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(ManagedChoice.label)) is None
