"""Actions made from a theme and its quotes, on the one board, overdue first; a theme that
disappears while actions point at it breaks nothing."""

from __future__ import annotations

from datetime import date, timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.web.loop.conftest import post_form

TEXT = "my social worker never rings me back"


def _communication(app, answered, n=6):
    answered(texts=[TEXT] * n)
    from survey.extensions import db
    from survey.models import AnswerInsight

    with app.app_context():
        for row in db.session.scalars(select(AnswerInsight)):
            row.reviewed_themes = ["communication"]
            row.redacted = "my [role] never rings me back"
        db.session.commit()


def test_an_action_made_from_a_theme_carries_its_campaign_theme_and_quote(
    app, answered, staff_client
):
    from survey.extensions import db
    from survey.models import Action, ActionSource

    _communication(app, answered)
    qa = staff_client("qa_reviewer")
    summary = BeautifulSoup(qa.get("/staff/review/?campaign=example").text, "html.parser")
    link = summary.find("a", href=lambda h: h and "theme=communication" in h)
    assert link is not None
    form = BeautifulSoup(qa.get(link["href"]).text, "html.parser")
    assert form.select_one("blockquote").get_text(strip=True) == "my [role] never rings me back"
    assert form.select_one("#public_said").get_text(strip=True) == "my [role] never rings me back"
    due = (date.today() + timedelta(days=30)).isoformat()
    sent = post_form(
        qa,
        link["href"],
        {
            "title": "Workers ring back within 2 working days",
            "owner": "Head of service",
            "due_on": due,
            "status": "planned",
            "forum": "children-in-care-council",
            "theme_ids": "communication",
            "public_said": "Your worker does not ring you back",
            "public_text": "Workers will ring you back within 2 days",
        },
    )
    assert sent.status_code == 302, sent.text[:2000]
    with app.app_context():
        action = db.session.scalars(select(Action)).one()
        assert action.source is ActionSource.THEME
        assert action.theme_ids == ["communication"]
        assert action.public_said == "Your worker does not ring you back"
        assert action.campaign_id is not None and action.forum == "children-in-care-council"
    board = qa.get("/staff/actions/").text
    assert "Workers ring back within 2 working days" in board


def test_no_quote_is_offered_for_a_theme_too_small_to_publish(app, answered, staff_client):
    _communication(app, answered, n=3)
    page = staff_client("qa_reviewer").get(
        "/staff/loop/actions/new?campaign=example&theme=communication"
    )
    assert page.status_code == 200
    assert "rings me back" not in page.text


def _action(app, slug="example", themes=("communication",), **fields):
    from survey.extensions import db
    from survey.models import Action, ActionSource, Campaign

    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
        action = Action(
            title=fields.get("title", "Ring back within 2 days"),
            owner="Head of service",
            due_on=fields.get("due_on", date(2027, 3, 31)),
            source=ActionSource.THEME,
            campaign_id=campaign.id,
            theme_ids=list(themes),
            public_said=fields.get("said", "Your worker does not ring back"),
            public_text=fields.get("did", "Workers will ring back within 2 days"),
        )
        db.session.add(action)
        db.session.commit()
        return action.id


def _action_on_a_custom_theme(app, make_campaign):
    """The example campaign, a custom theme "The online portal" and an action on it."""
    from survey.extensions import db
    from survey.models import CustomTheme

    make_campaign()
    with app.app_context():
        db.session.add(CustomTheme(theme_id="online_portal", name="The online portal"))
        db.session.commit()
    action_id = _action(app, themes=("online_portal",))
    return action_id


def test_a_theme_deleted_while_actions_point_at_it_breaks_nothing(app, make_campaign, staff_client):
    from survey.extensions import db
    from survey.models import CustomTheme

    action_id = _action_on_a_custom_theme(app, make_campaign)
    qa = staff_client("qa_reviewer")
    assert post_form(
        qa, "/staff/loop/example/publish", {"action_ids": [str(action_id)]}
    ).status_code in (
        200,
        302,
    )
    with app.app_context():
        db.session.query(CustomTheme).delete()
        db.session.commit()
    assert qa.get("/staff/actions/").status_code == 200
    assert qa.get("/staff/loop/example/publish").status_code == 200
    assert qa.get("/staff/review/?campaign=example").status_code == 200
    public = qa.get("/you-said-we-did/example")
    assert public.status_code == 200
    assert "Your worker does not ring back" in public.text


def test_a_custom_theme_shows_by_name_on_the_board_and_can_be_chosen_for_an_action(
    app, make_campaign, staff_client
):
    action_id = _action_on_a_custom_theme(app, make_campaign)
    qa = staff_client("qa_reviewer")
    board = BeautifulSoup(qa.get("/staff/actions/").text, "html.parser")
    row = board.find("td", string=lambda s: s and "Theme:" in s)
    assert row is not None and "The online portal" in row.get_text()
    assert "online_portal" not in row.get_text()
    for page in ("/staff/actions/new", f"/staff/actions/{action_id}"):
        form = BeautifulSoup(qa.get(page).text, "html.parser")
        choice = form.find("input", attrs={"name": "theme_ids", "value": "online_portal"})
        assert choice is not None, page
        label = form.find("label", attrs={"for": choice["id"]})
        assert label.get_text(strip=True) == "The online portal"
    edit = BeautifulSoup(qa.get(f"/staff/actions/{action_id}").text, "html.parser")
    kept = edit.find("input", attrs={"name": "theme_ids", "value": "online_portal"})
    assert kept.has_attr("checked")


def test_you_said_starts_from_a_negative_or_neutral_quote_never_praise(app, answered, staff_client):
    from survey.extensions import db
    from survey.models import AnswerInsight

    praise = "I really love my foster home, my carers are kind and wonderful and always there"
    answered(texts=[praise] * 6 + ["my worker never rings back"] * 5)
    with app.app_context():
        for row in db.session.scalars(select(AnswerInsight)):
            row.reviewed_themes = ["communication"]
            row.reviewed_sentiment = "positive" if "love" in row.redacted else "negative"
        db.session.commit()
    qa = staff_client("qa_reviewer")
    form = BeautifulSoup(
        qa.get("/staff/loop/actions/new?campaign=example&theme=communication").text,
        "html.parser",
    )
    assert praise in [q.get_text(strip=True) for q in form.select("blockquote")]
    assert form.select_one("#public_said").get_text(strip=True) == "my worker never rings back"


def test_you_said_is_empty_when_every_quote_is_praise(app, answered, staff_client):
    from survey.extensions import db
    from survey.models import AnswerInsight

    answered(texts=["I really love my foster home and my carers are kind"] * 6)
    with app.app_context():
        for row in db.session.scalars(select(AnswerInsight)):
            row.reviewed_themes, row.reviewed_sentiment = ["communication"], "positive"
        db.session.commit()
    page = staff_client("qa_reviewer").get(
        "/staff/loop/actions/new?campaign=example&theme=communication"
    )
    assert BeautifulSoup(page.text, "html.parser").select_one("#public_said").get_text() == ""


NEW_ACTION_URL = "/staff/loop/actions/new?campaign=example"
NEW_ACTION = {
    "title": "Ring back in two days",
    "owner": "Head of service",
    "status": "planned",
    "due_on": "2027-03-31",
    "public_said": "",
    "public_text": "",
}


def test_a_due_date_two_thousand_years_out_is_a_slip_and_a_direction_override_is_dropped(
    app, make_campaign, staff_client
):
    """ "0001-01-01" sat on the board as overdue; U+202E made a title read backwards."""
    from survey.extensions import db
    from survey.models import Action

    make_campaign()
    qa = staff_client("qa_reviewer")
    form = {**NEW_ACTION, "title": "Ring back \u202ein two days"}
    for slip in ("0001-01-01", "9999-12-31"):
        refused = post_form(qa, NEW_ACTION_URL, {**form, "due_on": slip})
        assert refused.status_code == 400 and "Enter a date from 1900 to 2099" in refused.text
    assert post_form(qa, NEW_ACTION_URL, form).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Action.title)).one() == "Ring back in two days"


def test_a_blank_choice_is_refused_not_stored(app, make_campaign, staff_client):
    """A RAG rating of " " passed WTForms' Optional (which treats a blank as no answer and
    clears "Not a valid choice") and reached the database code as Rag(" "): a 500, found
    by the staff fuzz test. Blank or unknown choices now get the field's message."""
    from survey.extensions import db
    from survey.models import Action

    make_campaign()
    qa = staff_client("qa_reviewer")
    for field, value in [("rag", " "), ("rag", "purple"), ("forum", " "), ("theme_ids", " ")]:
        refused = post_form(qa, NEW_ACTION_URL, {**NEW_ACTION, field: value})
        assert refused.status_code == 400, (field, value, refused.status_code)
        assert "not a valid choice" in refused.text.lower(), (field, value)
    assert post_form(qa, NEW_ACTION_URL, {**NEW_ACTION, "rag": ""}).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Action.rag)).one() is None
