"""Fixtures for the public runner's tests: a journey through a questionnaire, what a
person sees on a page, and what the database holds afterwards.

The ``app`` fixture is session-scoped, so config changes go through ``monkeypatch`` and
are undone after each test.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

#: Valid answers for every page of questionnaires/examples/every-type.yaml.
EVERY_TYPE_ANSWERS: dict[str, dict[str, Any]] = {
    "feelings": {"feel-today": "4", "feel-safe": "sometimes"},
    "worries": {"worry-text": "Sometimes the other boy shouts at night"},
    "choices": {"who-helped": "alone", "activities": ["sport", "music"]},
    "numbers": {
        "happiness": "7",
        "moves": "3",
        "last-visit-day": "2",
        "last-visit-month": "3",
        "last-visit-year": "2025",
    },
    "agree": {"ok-to-share": "y"},
}


@pytest.fixture(autouse=True)
def _csrf_on(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """CSRF stays on, as in production: a journey posts the token its pages give it.

    Set per test (and undone after it) because ``app`` lives for the whole session.
    """
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def csrf_token_of(client: FlaskClient) -> str:
    """The token a page gives this browser; valid for the rest of its session."""
    html = client.get("/resume").get_data(as_text=True)
    tag = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "csrf_token"})
    assert tag is not None
    return str(tag["value"])


@pytest.fixture()
def smtp(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A real SMTP server (aiosmtpd) on a local port, set as HEARD_SMTP_URL."""
    from tests import mail_sink

    with mail_sink.running() as sink:
        monkeypatch.setitem(app.config, "SMTP_URL", sink.url)
        monkeypatch.setitem(app.config, "MAIL_FROM", "Heard <heard@council.example>")
        yield sink


@pytest.fixture()
def notify(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The local stand-in for GOV.UK Notify's API, with both templates set."""
    from tests import notify_standin

    with notify_standin.running() as standin:
        monkeypatch.setitem(app.config, "NOTIFY_API_KEY", standin.api_key)
        monkeypatch.setitem(app.config, "NOTIFY_BASE_URL", standin.base_url)
        monkeypatch.setitem(app.config, "NOTIFY_EMAIL_TEMPLATE", standin.email_template)
        monkeypatch.setitem(app.config, "NOTIFY_SMS_TEMPLATE", standin.sms_template)
        yield standin


@pytest.fixture()
def csrf_token() -> Callable[[FlaskClient], str]:
    return csrf_token_of


@pytest.fixture()
def new_client(app: Flask, client: FlaskClient) -> Callable[[], FlaskClient]:
    """Another browser or device: a checked client with its own cookies."""
    return app.test_client


@pytest.fixture()
def every_type_answers() -> dict[str, dict[str, Any]]:
    return {page: dict(data) for page, data in EVERY_TYPE_ANSWERS.items()}


class Seen:
    """What a person sees on a rendered page."""

    def __init__(self, response: Any) -> None:
        self.response = response
        self.status = response.status_code
        self.soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")

    @property
    def h1(self) -> str:
        return self.soup.h1.get_text(" ", strip=True) if self.soup.h1 else ""

    @property
    def title(self) -> str:
        return self.soup.title.get_text(strip=True) if self.soup.title else ""

    @property
    def text(self) -> str:
        return " ".join(self.soup.get_text(" ").split())

    def summary(self) -> list[tuple[str, str]]:
        """(link target, message) for each item in the error summary."""
        return [
            (a["href"], a.get_text(" ", strip=True)) for a in self.soup.select(".error-summary a")
        ]

    def error_beside(self, field_id: str) -> str | None:
        tag = self.soup.find(id=f"{field_id}-error")
        if tag is None:
            return None
        return tag.get_text(" ", strip=True).removeprefix("Error:").strip()

    def checked(self, name: str) -> list[str]:
        return [
            i["value"]
            for i in self.soup.find_all("input", attrs={"name": name})
            if i.has_attr("checked")
        ]

    def value(self, name: str) -> str:
        tag = self.soup.find(["input", "textarea"], attrs={"name": name})
        assert tag is not None, name
        return tag.get_text() if tag.name == "textarea" else tag.get("value", "")

    def link(self, text: str) -> str:
        for a in self.soup.find_all("a"):
            if a.get_text(" ", strip=True).startswith(text):
                return a["href"]
        raise AssertionError(f"no link {text!r}")

    def progress(self) -> str:
        tag = self.soup.select_one(".progress")
        return tag.get_text(strip=True) if tag else ""


@pytest.fixture()
def seen() -> type[Seen]:
    return Seen


@dataclass
class Journey:
    """One person answering one campaign in one browser."""

    client: FlaskClient
    slug: str = "example"
    token: str = ""

    def post(self, url: str, data: dict[str, Any] | None = None) -> Any:
        if not self.token:
            self.token = csrf_token_of(self.client)
        return self.client.post(url, data={"csrf_token": self.token, **(data or {})})

    def start(self) -> Any:
        response = self.post(f"/s/{self.slug}")
        assert response.status_code == 302, response.status_code
        return response

    def open_invitation(self, token: str) -> Any:
        response = self.post(f"/i/{token}")
        assert response.status_code == 302, response.status_code
        return response

    def answer(
        self, page_id: str, data: dict[str, Any], *, action: str = "continue", query: str = ""
    ) -> Any:
        return self.post(f"/s/{self.slug}/q/{page_id}{query}", {**data, "action": action})

    def answer_all(self, answers: dict[str, dict[str, Any]]) -> None:
        for page_id, data in answers.items():
            response = self.answer(page_id, data)
            assert response.status_code == 302, (page_id, response.get_data(as_text=True)[:2000])

    def page(self, page_id: str, query: str = "") -> Any:
        return self.client.get(f"/s/{self.slug}/q/{page_id}{query}")

    def check(self) -> Any:
        return self.client.get(f"/s/{self.slug}/check")

    def submit(self) -> Any:
        return self.post(f"/s/{self.slug}/check")

    def resume(self, code: str) -> Any:
        return self.post("/resume", {"code": code})


@pytest.fixture()
def journey() -> type[Journey]:
    return Journey


CHOICES = {"single_choice", "multiple_choice", "yes_no_sometimes", "faces", "scale"}


def valid_answer(question: Any, pick: int) -> dict[str, Any]:
    """Form data a person could send: the first or last option, a number in range."""
    if question.type in CHOICES:
        options = [o for o in question.options if not o.exclusive] or list(question.options)
        value = options[pick].value
        return {question.id: [value] if question.type == "multiple_choice" else value}
    if question.type == "free_text":
        if question.format == "email":
            return {question.id: "someone@example.org"}
        return {question.id: "Something to say"}
    if question.type == "number":
        low = question.min_value if question.min_value is not None else 1
        return {question.id: str(int(low))}
    if question.type == "date":
        return {
            f"{question.id}-{p}": v for p, v in (("day", "1"), ("month", "2"), ("year", "2020"))
        }
    return {question.id: "y"}  # consent


def walk_questionnaire(
    person: Journey,
    questionnaire: Any,
    pick: int = 0,
    chosen: dict[str, Any] | None = None,
    text: str | None = None,
) -> list[str]:
    """Start, then open and answer every page shown, in order, until the check page:
    ``chosen`` answers where given, ``text`` in every other free-text box where given (not
    in an email box, which takes an address), else the ``pick`` of ``valid_answer``.

    Every page is fetched first, so the checked client checks each one a person sees, and
    each must say where to get help now.
    Returns the ids of the pages shown.
    """
    person.start()
    shown = []
    location = f"/s/{person.slug}/q/{questionnaire.pages[0].id}"
    while "/q/" in location:
        page_id = location.split("/q/")[1].split("?")[0]
        page = person.page(page_id)
        assert page.status_code == 200, page_id
        assert 'href="tel:999"' in page.get_data(as_text=True), page_id  # help now
        data: dict[str, Any] = {}
        for question in questionnaire.page(page_id).questions:
            data.update(valid_answer(question, pick))
            if chosen and question.id in chosen:
                data[question.id] = chosen[question.id]
            elif text is not None and question.type == "free_text" and question.format is None:
                data[question.id] = text
        response = person.answer(page_id, data)
        assert response.status_code == 302, (page_id, response.get_data(as_text=True)[:2000])
        shown.append(page_id)
        location = response.headers["Location"]
    assert location.endswith("/check"), location
    return shown


@pytest.fixture()
def walk() -> Callable[..., list[str]]:
    return walk_questionnaire


@pytest.fixture()
def send_shipped(app: Flask, client: Any, journey: Any, make_campaign: Any) -> Callable[..., None]:
    """Open a campaign of a shipped questionnaire under ``slug`` and send one response in
    ``client``: ``chosen`` answers where given, ``text`` in the other free-text boxes."""

    def send(
        slug: str,
        questionnaire_id: str,
        chosen: dict[str, Any] | None = None,
        text: str | None = None,
    ) -> None:
        from survey.library import library

        make_campaign(slug, questionnaire_id)
        with app.app_context():
            questionnaire = library().get(questionnaire_id)
        person = journey(client, slug)
        walk_questionnaire(person, questionnaire, chosen=chosen, text=text)
        assert person.submit().status_code == 302

    return send


class Store:
    """What the database holds, read in a fresh application context."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def _read(self, fn: Callable[[Any], Any]) -> Any:
        from survey.extensions import db

        with self.app.app_context():
            try:
                return fn(db.session)
            finally:
                db.session.remove()

    def drafts(self) -> list[dict[str, Any]]:
        from survey.models import Draft

        return self._read(
            lambda s: [
                {
                    "id": d.id,
                    "answers": d.answers,
                    "response_id": d.response_id,
                    "page": d.current_page,
                    "code_hash": d.resume_code_hash,
                    "invitation_id": d.invitation_id,
                }
                for d in s.scalars(select(Draft).order_by(Draft.id))
            ]
        )

    def draft_answers(self) -> dict[str, Any]:
        drafts = self.drafts()
        assert len(drafts) == 1, drafts
        return drafts[0]["answers"]

    def raw_draft_answers(self) -> list[Any]:
        """Every draft's answers parsed from the column's raw text: proves it is JSON."""
        return self._read(
            lambda s: [
                json.loads(raw) if isinstance(raw, str) else raw
                for raw in s.execute(text("SELECT CAST(answers AS TEXT) FROM draft")).scalars()
            ]
        )

    def responses(self) -> list[dict[str, Any]]:
        from survey.models import Response

        return self._read(
            lambda s: [
                {
                    "reference": r.reference,
                    "invitation_id": r.invitation_id,
                    "answers": {a.question_id: a.value for a in r.answers},
                }
                for r in s.scalars(select(Response).order_by(Response.id))
            ]
        )

    def used_invitations(self) -> int:
        from survey.models import Invitation

        return self._read(
            lambda s: len(
                list(s.scalars(select(Invitation).where(Invitation.used_at.is_not(None))))
            )
        )

    def set_campaign(self, slug: str, **values: Any) -> None:
        from survey.extensions import db
        from survey.models import Campaign

        with self.app.app_context():
            campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
            assert campaign is not None
            for name, value in values.items():
                setattr(campaign, name, value)
            db.session.commit()
            db.session.remove()

    def set_sent_at(self, when: Any) -> None:
        """Every response sent at ``when`` (an aware datetime): the thank-you page says
        when a safeguarding worker reads it from the time it was sent."""
        from survey.extensions import db
        from survey.models import Response

        with self.app.app_context():
            for response in db.session.scalars(select(Response)):
                response.submitted_at = when
            db.session.commit()
            db.session.remove()

    def set_draft_answers(self, answers: dict[str, Any], draft_id: int | None = None) -> None:
        """Put answers straight into a draft (every draft when no id is given)."""
        from survey.extensions import db
        from survey.models import Draft

        with self.app.app_context():
            query = select(Draft) if draft_id is None else select(Draft).where(Draft.id == draft_id)
            for draft in db.session.scalars(query):
                draft.answers = dict(answers)
            db.session.commit()
            db.session.remove()


@pytest.fixture()
def store(app: Flask) -> Store:
    return Store(app)
