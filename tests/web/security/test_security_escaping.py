"""What a child types is shown as text, never run: script and HTML in an answer stay inert
on the check-your-answers page and on every staff page (found from the URL map), so a
staff page added later is checked as soon as it exists."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.routes import path_value

PAYLOAD = '<script>alert("x")</script><img src=x onerror="alert(1)"><b id="bold">hi</b>'
STAFF_ARGUMENTS = {"slug": "example", "questionnaire_id": "example-every-type", "version": 1}


def assert_inert(html: str, where: str) -> None:
    assert PAYLOAD not in html, f"{where}: the answer is in the page unescaped"
    soup = BeautifulSoup(html, "html.parser")
    assert not [s for s in soup.find_all("script") if not s.get("src")], where
    assert not soup.find_all(attrs={"onerror": True}), where
    assert soup.find(id="bold") is None, where


def _answer_with_payload(client, journey, every_type_answers):
    answers = dict(every_type_answers)
    answers["worries"] = {"worry-text": PAYLOAD}
    person = journey(client)
    person.start()
    person.answer_all(answers)
    return person


def test_the_check_page_shows_the_answer_as_text(
    client, journey, every_type_answers, make_campaign
):
    make_campaign("example")
    person = _answer_with_payload(client, journey, every_type_answers)
    check = person.check().get_data(as_text=True)
    assert_inert(check, "check your answers")
    assert PAYLOAD in BeautifulSoup(check, "html.parser").get_text()  # shown, as words


def _staff_urls(app, reference: str) -> list[str]:
    adapter = app.url_map.bind("heard.test")
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.rule.startswith("/staff"):
            continue
        values = {**STAFF_ARGUMENTS, "reference": reference}
        values = {name: path_value(name, conv, values) for name, conv in rule._converters.items()}  # noqa: SLF001
        urls.append(adapter.build(rule.endpoint, values))
    return urls


def test_every_staff_page_shows_answers_inert(
    app, client, staff_client, journey, every_type_answers, make_campaign
):
    from survey.extensions import db
    from survey.models import Response

    make_campaign("example")
    _answer_with_payload(client, journey, every_type_answers).submit()
    with app.app_context():
        reference = db.session.scalar(select(Response.reference))
    admin = staff_client("admin")
    shown = []
    for url in _staff_urls(app, reference):
        response = admin.get(url)
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        assert_inert(html, url)
        if "alert(" in BeautifulSoup(html, "html.parser").get_text():
            shown.append(url)
    # The response page at least shows the answer, so the check above is not vacuous.
    assert f"/staff/campaigns/example/responses/{reference}" in shown, shown


def test_every_csv_export_keeps_a_formula_in_an_answer_as_text(
    app, client, staff_client, journey, every_type_answers, make_campaign
):
    """A spreadsheet runs a cell that starts with = + - @; every CSV route must defuse it."""
    import csv
    import io

    make_campaign("example")
    answers = dict(every_type_answers)
    answers["worries"] = {"worry-text": '=HYPERLINK("http://evil.example","click")'}
    person = journey(client)
    person.start()
    person.answer_all(answers)
    person.submit()
    admin = staff_client("admin")
    exports = [u for u in _staff_urls(app, "none") if u.endswith(".csv")]
    assert "/staff/campaigns/example/responses.csv" in exports
    for url in exports:
        response = admin.get(url)
        if response.status_code != 200:
            continue
        cells = [c for row in csv.reader(io.StringIO(response.get_data(as_text=True))) for c in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "@")], url
        assert not [c for c in cells if c[:1] == "-" and not c[1:].replace(".", "").isdigit()], url
