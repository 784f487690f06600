"""Issue 17, part 4: a questionnaire version previewed as people will see it, page by page
at phone width, in each of its languages, before a campaign uses it. Nothing is kept."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.conftest import csrf_token_from

QID = "care-leavers-16-25"


def _version(app) -> int:
    from survey.library import library

    with app.app_context():
        return library().get(QID).version


def test_a_worker_walks_the_preview_page_by_page_and_nothing_is_kept(app, staff_client):
    from survey.extensions import db
    from survey.library import library
    from survey.models import Draft, SafeguardingFlag

    version = _version(app)
    worker = staff_client("participation")
    listing = worker.get(f"/staff/questionnaires/{QID}/v{version}").text
    start = BeautifulSoup(listing, "html.parser").find("a", string=lambda s: s and "Preview" in s)
    url = start["href"]
    assert url.endswith(f"/v{version}/preview/1")
    first = worker.get(url)
    assert first.status_code == 200
    soup = BeautifulSoup(first.text, "html.parser")
    assert "preview-phone" in soup.body.get("class", [])
    assert "nothing typed here is kept" in soup.get_text(" ")
    with app.app_context():
        questionnaire = library().get(QID, version)
        pages = questionnaire.pages
        first_ids = [q.id for q in pages[0].questions]
    assert all(soup.find(id=qid) or soup.find(attrs={"name": qid}) for qid in first_ids)
    token = csrf_token_from(first.text)
    # Continue checks the answers as the real page does: a wrong age is refused.
    refused = worker.post(url, data={"csrf_token": token, "action": "continue", "age": "abc"})
    assert refused.status_code == 400
    assert "error-summary" in refused.text
    # Walk every page with nothing typed where that is allowed, or go on by the address.
    for number in range(2, len(pages) + 1):
        page = worker.get(url.replace("/preview/1", f"/preview/{number}"))
        assert page.status_code == 200, number
    last = url.replace("/preview/1", f"/preview/{len(pages)}")
    data = {"csrf_token": token, "action": "continue"}
    for question in pages[-1].questions:
        if question.type == "free_text":  # a disclosure typed in a preview raises no flag
            data[question.id] = "my stepdad hits me when mum is at work"
        if question.type == "consent":
            data[question.id] = "y"
    done = worker.post(last, data=data)
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/staff/questionnaires/{QID}/v{version}")
    with app.app_context():
        assert db.session.query(Draft).count() == 0
        assert db.session.query(SafeguardingFlag).count() == 0
    assert worker.get(url.replace("/preview/1", f"/preview/{len(pages) + 1}")).status_code == 404


def test_the_preview_reads_in_polish_and_switches_language(app, staff_client):
    from survey.library import library

    version = _version(app)
    worker = staff_client("participation")
    url = f"/staff/questionnaires/{QID}/v{version}/preview/2"
    with app.app_context():
        english = library().get(QID, version).pages[1].questions[0].text
        polish = library().localised(library().get(QID, version), "pl").pages[1].questions[0].text
    assert english != polish
    page = worker.get(url + "?language=pl").text
    assert polish in page and english not in page
    switched = worker.post(
        url + "?language=pl", data={"csrf_token": csrf_token_from(page), "action": "language:ur"}
    )
    assert switched.status_code == 302 and switched.headers["Location"].endswith("language=ur")
    assert worker.get(url + "?language=xx").status_code == 200  # an unknown one: English


def test_only_staff_who_see_questionnaires_may_preview(app, staff_client, client):
    version = _version(app)
    url = f"/staff/questionnaires/{QID}/v{version}/preview/1"
    assert client.get(url).status_code in (302, 401)
    assert staff_client("complaints").get(url).status_code == 403
