"""Every POST route refuses a form without a CSRF token: found from the URL map, so a new
route is covered the day it is added, whoever adds it."""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from tests.conftest import csrf_token_from

#: The words of the CSRF refusal page (templates/pages/errors/csrf.html), not a form's own 400.
CSRF_PAGE = b"This page timed out"
STAFF_PAGE = b"This form was not sent"  # the same refusal, to signed-in staff


def _post_urls(app):
    adapter = app.url_map.bind("heard.test")
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        values = {
            name: 1 if isinstance(converter, IntegerConverter) else "example"
            for name, converter in rule._converters.items()  # noqa: SLF001 - werkzeug has no public map
        }
        for name, converter in rule._converters.items():  # noqa: SLF001
            if hasattr(converter, "items"):  # <any(a, b):name>: take the first choice
                values[name] = sorted(converter.items)[0] if converter.items else "example"
        urls.append(adapter.build(rule.endpoint, values))
    return urls


def test_there_are_post_routes_to_check(app):
    assert len(_post_urls(app)) >= 8


def _row_counts(app):
    from sqlalchemy import func, select

    from survey.extensions import db

    with app.app_context():
        return {
            t.name: db.session.scalar(select(func.count()).select_from(t))
            for t in db.metadata.sorted_tables
        }


def _refused(response, signed_in: bool) -> bool:
    """The CSRF refusal page; or, for someone not signed in on a staff page, the way back to
    sign in (survey/auth/views.py: an expired staff session shows up as a missing token)."""
    if response.status_code == 400 and (CSRF_PAGE in response.data or STAFF_PAGE in response.data):
        return True
    location = response.headers.get("Location", "")
    return not signed_in and response.status_code == 302 and location.startswith("/staff/sign-in")


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "admin"])
def test_every_post_without_a_token_is_refused(app, client, staff_client, make_campaign, signed_in):
    make_campaign("example")
    browser = staff_client("admin") if signed_in else client
    before = _row_counts(app)
    accepted = {}
    for url in _post_urls(app):
        response = browser.post(url, data={"anything": "x"})
        if not _refused(response, signed_in):
            accepted[url] = response.status_code
    assert accepted == {}, f"POST not refused without a token: {accepted}"
    assert _row_counts(app) == before  # and nothing was written


def test_a_token_from_another_session_is_refused(app, client, make_campaign):
    make_campaign("example")
    other = app.test_client()
    stolen = csrf_token_from(other.get("/resume").get_data(as_text=True))
    client.get("/resume")
    assert client.post("/s/example", data={"csrf_token": stolen}).status_code == 400
