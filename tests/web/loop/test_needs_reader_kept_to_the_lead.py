"""An answer the engine cannot screen with confidence (written in Polish or Urdu) goes on
the lead's queue as "needs a reader": until a person has read it, it may hold a disclosure.
So, like a flagged answer's, its words are the safeguarding lead's and admins' only: never
in the reviewers' comment list, a comment's page or the themed summary's quotes; it is not
counted as flagged. Found by a privacy probe, which read three such answers word for word
as a QA reviewer."""

from __future__ import annotations

from sqlalchemy import select

POLISH = "Spotkanie było bardzo długie i nikt mnie nie słuchał, czułam się ignorowana"


def test_a_polish_answer_waiting_for_a_reader_is_kept_from_the_reviewers(
    app, send_shipped, staff_client
):
    from survey.extensions import db
    from survey.models import AnswerInsight, SafeguardingFlag

    send_shipped("wellbeing", "cic-wellbeing-11-17", text=POLISH)
    with app.app_context():
        insights = list(db.session.scalars(select(AnswerInsight)))
        flags = list(db.session.scalars(select(SafeguardingFlag)))
        polish = [i for i in insights if i.needs_reader]
        assert polish and all(i.withheld and not i.flagged for i in polish)
        assert [f.level for f in flags] == ["reader"]
        ids = [i.id for i in polish]
    for role in ("qa_reviewer", "participation"):
        person = staff_client(role)
        pages = [
            person.get("/staff/review/comments?campaign=wellbeing"),
            person.get("/staff/review/comments?q=Spotkanie"),
            person.get("/staff/review/?campaign=wellbeing"),
            *(person.get(f"/staff/review/comments/{i}") for i in ids),
        ]
        for page in pages:
            assert page.status_code in (200, 302, 403, 404), (role, page.status_code)
            assert "nikt mnie nie" not in page.get_data(as_text=True), role
    lead = staff_client("safeguarding").get(f"/staff/safeguarding/{flags[0].id}").text
    assert "nikt mnie nie" in lead


def test_the_summary_quotes_no_answer_waiting_for_a_reader_and_counts_it_unflagged(
    app, client, new_client, send_shipped, journey, staff_client
):
    """Enough answers on one theme for quotes to be shown (at least 5): the English ones
    may be quoted; the Polish one, on the same theme, is counted but never quoted."""
    from survey.library import library
    from tests.web.conftest import walk_questionnaire

    english = "The meeting was far too long and nobody listened to me at all"
    send_shipped("wellbeing", "cic-wellbeing-11-17", text=POLISH)
    with app.app_context():
        questionnaire = library().get("cic-wellbeing-11-17")
    for _ in range(6):
        person = journey(new_client(), "wellbeing")
        walk_questionnaire(person, questionnaire, text=english)
        assert person.submit().status_code == 302
    page = staff_client("qa_reviewer").get("/staff/review/?campaign=wellbeing").text
    assert "nobody listened" in page  # quotes are shown at this size
    assert "nikt mnie nie" not in page
