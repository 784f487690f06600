"""No request to a staff route, from any role, produces a server error.

Every rule in the URL map whose endpoint is in ``survey.auth.policy.ROUTES`` is requested
as every role (admin, participation, qa_reviewer, complaints, safeguarding), against a seed
with one of everything a route can point at (a campaign with answers, insights and a
safeguarding flag, a complaint, a compliment, a published action, a custom theme, a
colleague's account), with:

- a fixed sweep: the valid request (and, where the view reads the query string, the same
  with every parameter set, sent twice, as a resubmitted form would be); then hostile
  values one at a time in each path argument, each query parameter the view reads
  (``request.args`` in survey/) and each form field, the rest valid: ids such as ``²`` or
  ``99999999999999999999``, dates such as ``0001-01-01`` and ``9999-12-31``, NUL
  characters, long text; and a themed-summary period with nothing in it straight after a
  busy one;
- then Hypothesis, mixing valid and hostile values in the path, the query string and the
  form (the form field names and choices are read from the pages an admin sees).

Every response must be below 500. A role the table permits must also reach the view (no
403, no sign-in redirect); one it does not permit must get 403. Every failure is collected
and reported at the end, each with its request and the app's last frames, so one run lists
them all. Some only fail on PostgreSQL (NUL characters, integers past its range, text past
a column's length); CI runs this file on both. Pages are not put through the HTML checks
here: other tests do that. ``HEARD_FUZZ_EXAMPLES=200`` searches longer.
"""

from __future__ import annotations

import logging
import os
import re
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote, unquote, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect, Rule

from survey.auth.policy import ROUTES, roles_with
from survey.models import Role
from tests.conftest import csrf_token_from, sign_in

ROLES = [role.value for role in Role]

#: Hypothesis examples per route: more where the role reaches the view's code.
#: HEARD_FUZZ_EXAMPLES raises the first for a longer search on a developer's machine.
EXAMPLES_PERMITTED = int(os.environ.get("HEARD_FUZZ_EXAMPLES") or 12)
EXAMPLES_REFUSED = 2

#: Seconds Hypothesis may spend shrinking what it found on one route for one role; after
#: that only the failures already seen still fail, so shrinking ends at once.
SHRINK_SECONDS = 4

SETTINGS = dict(
    deadline=None,
    phases=[Phase.generate, Phase.shrink],  # no "explain": it traces every line of a request
    database=None,
    print_blob=True,
    report_multiple_bugs=True,
    suppress_health_check=list(HealthCheck),
)

# -- hostile values ----------------------------------------------------------------------

HUGE = "99999999999999999999"
IDS = ["²", HUGE, "-" + HUGE, "0", "-1", "⑤", "٣", "1e999", "nan", "9" * 400]
DATES = [
    "0001-01-01",
    "9999-12-31",
    "2024-02-30",
    "0000-00-00",
    "10000-01-01",
    "-2024-01-01",
    "20240101",
    "2024-W01",
    "²⁰²⁴-01-01",
]
TEXT = ["", " ", "x" * 3000, "../../etc", "\x00", "%00", "' OR 1=1 --", "<b>", "😀", "\u202e"]
ALL_HOSTILE = [*IDS, *DATES, *TEXT]

#: The few values each kind of parameter gets in the fixed sweep.
SWEEP = {
    "id": ["²", HUGE, "-1", "\x00"],
    "date": ["0001-01-01", "9999-12-31", "²⁰²⁴-01-01"],
    "other": ["²", "\x00"],
}
#: Hostile values for one form field at a time, by the kind of its valid value.
FORM_SWEEP = {
    "date": ["0001-01-01", "9999-12-31"],
    "datetime": ["0001-01-01T00:00", "9999-12-31T23:59"],
    "id": ["²", HUGE, "9" * 400, "-1"],
}
NUMBERS = {"id", "user_id", "action", "insight", "custom_theme", "flag", "version"}


def _sweep(kind: str) -> list[str]:
    return SWEEP["id" if kind in NUMBERS else "date" if kind == "date" else "other"]


# -- what each route reads ----------------------------------------------------------------

#: endpoint -> the kind of seeded value its ``<reference>`` argument names.
REFERENCE = {
    "actions.edit": "action",
    "loop.public_words": "action",
    "review.correct": "insight",
    "review.change_theme": "custom_theme",
    "safeguarding.flag": "flag",
    "staff.response": "response",
    "complaints.compliment_detail": "compliment",
    "complaints.subject_access_export": "person_ref",
}

_FILTERS = {
    "campaign": "slug",
    "questionnaire": "questionnaire_id",
    "audience": "audience",
    "team": "text",
    "conference_type": "conference_type",
    "start": "date",
    "end": "date",
}

#: endpoint -> {query parameter: kind}: every ``request.args`` read in survey/.
QUERY: dict[str, dict[str, str]] = {
    "staff.dashboard": {"show": "show"},
    "staff.responses": {"page": "id"},
    "staff.personal_letters": {"batch": "id"},
    "staff.qr_svg": {"link": "link", "inline": "inline"},
    "staff.qr_png": {"link": "link"},
    "staff.poster": {"link": "link"},
    "staff.letter": {"link": "link"},
    "staff.audit_log": {
        "action": "audit_action",
        "user": "user_id",
        "target": "text",
        "date_from": "date",
        "date_to": "date",
        "page": "id",
    },
    "staff.audit_csv": {
        "action": "audit_action",
        "user": "user_id",
        "target": "text",
        "date_from": "date",
        "date_to": "date",
    },
    "review.summary": _FILTERS,
    "review.themes_csv": _FILTERS,
    "review.themes_xlsx": _FILTERS,
    "review.report_pdf": {**_FILTERS, "report": "report"},
    "review.report_docx": {**_FILTERS, "report": "report"},
    "review.comments": {"campaign": "slug", "theme": "theme"},
    "review.topics_page": {"campaign": "slug"},
    "review.accept_topic": {"campaign": "slug"},
    "review.dismiss_topic": {"campaign": "slug"},
    "review.change_theme": {"campaign": "slug"},
    "loop.new_action": {"campaign": "slug", "theme": "theme"},
    "actions.new": {"complaint": "complaint"},
    "complaints.new": {"channel": "channel"},
    "complaints.report": {"year": "id", "quarter": "id"},
    "complaints.subject_access": {"q": "text"},
}

#: Form fields of POST-only routes whose forms a seeded page may not show.
FALLBACK_FIELDS: dict[str, dict[str, list[str]]] = {
    "review.accept_topic": {"name": ["New theme"], "key": ["bus|late"], "terms": ["bus|late"]},
    "review.dismiss_topic": {"key": ["bus|late"]},
    "review.change_theme": {"name": ["Renamed"], "delete": ["1"]},
    "staff.change_user": {"roles": ROLES},
    "staff.change_campaign_status": {"to": ["open", "closed", "archived", "draft"]},
}


def _valid_forms(today: date) -> dict[str, dict[str, str]]:
    """A complete, valid form for each route that takes one, so a hostile value in one field
    gets past the others to the code behind them."""
    day, soon = today.isoformat(), (today + timedelta(days=30)).isoformat()
    person = {"role": "parent", "name": "Rae", "contact_how": "email", "email": "r@example.org"}
    action = {"title": "Ring back", "owner": "Head", "due_on": soon, "status": "planned"}
    return {
        "actions.new": action,
        "actions.edit": action,
        "loop.new_action": {**action, "public_said": "You said", "public_text": "We did"},
        "staff.invite_user": {"name": "New", "email": "new@example.org", "roles": "participation"},
        "staff.new_conference": {"held_on": day, "conference_type": "icpc", "chair": "Chair"},
        "staff.new_group": {"label": "Group B", "cohort_size": "5"},
        "staff.new_invitations": {"number": "1", "group": ""},
        "staff.new_campaign": {
            "questionnaire": "example-every-type",
            "title": "Fuzzed",
            "slug": "fuzzed",
            "audience": "test",
            "opens_at": f"{day}T09:00",
            "closes_at": f"{soon}T09:00",
            "cohort_size": "10",
            "invitations": "1",
        },
        "complaints.new": {
            **person,
            "channel": "phone",
            "received_on": day,
            "procedure_id": "children-act-1989",
            "summary": "Nobody rang back",
            "points": "Calls not returned",
            "advocate_wanted": "no",
        },
        "complaints.compliment_new": {
            **person,
            "kind": "compliment",
            "channel": "phone",
            "received_on": day,
            "words": "Thank you",
        },
        "complaints.compliment_detail": {"shared_with": "Manager", "on": day},
        "complaints.step_close": {"on": day},
        "complaints.step_escalate": {"stage_id": "stage-2", "requested_on": day},
        "complaints.step_extend": {
            "stage_id": "stage-1",
            "total_days": "20",
            "reason": "Complex",
            "agreed_by": "Rae",
            "agreed_on": day,
        },
        "complaints.step_letter": {"on": day, "detail": "Letter"},
        "complaints.step_outcome": {"on": day, "point_1": "upheld"},
        "complaints.step_people": {"investigator": "Ivy", "independent_person": "Ian"},
        "complaints.step_point": {"summary": "Another point"},
        "complaints.step_record": {"on": day},
        "safeguarding.flag": {"outcome": "referred", "action_taken": "Rang the school"},
        "safeguarding.assign": {"assigned_to": "1"},
        "safeguarding.add_note": {"text": "Rang back: the visit is booked"},
        "review.correct": {"sentiment": "negative"},
    }


#: A route that ends the session it is called from; the role signs in again after it.
ENDS_SESSION = {"auth.sign_out_all"}

DISCLOSURE = "my step dad hits me when mum is out"
COMMENT = "my social worker never rings me back"


# -- seeding --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every role signs in, some more than once; password strength is tested elsewhere."""
    from argon2 import PasswordHasher

    import survey.auth.services

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(survey.auth.services, "_hasher", cheap)


def _seed(app: Flask, make_campaign: Callable[..., Any], make_user: Callable[..., str]) -> dict:
    """One of everything a staff route can point at; returns valid values by kind."""
    from survey.actions.services import ActionInput, create
    from survey.complaints.compliments import ComplimentInput, create_compliment
    from survey.complaints.services import ComplaintInput, PersonInput, create_complaint
    from survey.extensions import db
    from survey.insights.services import response_saved
    from survey.loop import services as loop
    from survey.models import (
        Answer,
        AnswerInsight,
        Campaign,
        ConferenceType,
        CustomTheme,
        Response,
        SafeguardingFlag,
        User,
        utcnow,
    )
    from survey.staff.links import add_conference, add_group

    slug, _tokens = make_campaign("matrix", invitations=3)
    make_campaign("door", "compliments-complaints")
    make_user("complaints", email="colleague@example.org")
    today = date.today()
    with app.app_context():
        campaign = db.session.query(Campaign).filter_by(slug=slug).one()
        group = add_group(campaign, "Group A", 10, None)
        add_conference(campaign, today, ConferenceType.ICPC, "Chair", None)
        now = utcnow()
        references = []
        for i, text in enumerate([DISCLOSURE, *[COMMENT] * 6]):
            response = Response(
                reference=f"HRD-FUZZ-{i:04d}",
                campaign_id=campaign.id,
                questionnaire_id=campaign.questionnaire_id,
                questionnaire_version=campaign.questionnaire_version,
                started_at=now - timedelta(hours=2),
                submitted_at=now - timedelta(hours=1),
            )
            response.answers.append(
                Answer(question_id="worry-text", answer_type="free_text", value=text)
            )
            response.answers.append(
                Answer(question_id="feel-safe", answer_type="single_choice", value="yes")
            )
            db.session.add(response)
            db.session.commit()
            response_saved(response.id)
            references.append(response.reference)
        for row in db.session.query(AnswerInsight).filter_by(flagged=False):
            row.reviewed_themes = ["communication"]
            row.redacted = "my [role] never rings me back"
        custom = CustomTheme(theme_id="custom-buses", name="Buses", keywords=["bus"])
        db.session.add(custom)
        db.session.commit()
        insight = db.session.query(AnswerInsight).filter_by(flagged=False).first()
        flag = db.session.query(SafeguardingFlag).first()
        assert insight is not None and flag is not None, "the seed needs an insight and a flag"

        person = PersonInput(role="parent", name="Rae Parent", email="rae@example.org")
        complaint = create_complaint(
            ComplaintInput(
                person=person,
                channel="phone",
                received_on=today - timedelta(days=3),
                summary="Nobody told us the plan had changed.",
                points=["Plan changed without telling us", "Calls not returned"],
                teams=["children-in-care"],
            )
        )
        compliment = create_compliment(
            ComplimentInput(
                person=person,
                channel="email",
                received_on=today - timedelta(days=2),
                words="Thank you",
                manager_name="Manager",
            )
        )
        action = create(
            ActionInput(
                title="Ring back within 2 days",
                owner="Head of service",
                due_on=today + timedelta(days=30),
                theme_ids=("communication",),
            ),
            complaint=None,
            today=today,
            user_id=None,
        )
        action.campaign_id = campaign.id
        action.public_said = "You said we do not ring back"
        action.public_text = "We ring back within 2 days"
        db.session.commit()
        loop.publish(campaign, [action], "What we did", None)
        colleague = db.session.query(User).filter_by(email="colleague@example.org").one()
        return {
            "slug": [slug, "door"],
            "questionnaire_id": [campaign.questionnaire_id],
            "version": [str(campaign.questionnaire_version)],
            "audience": [campaign.audience],
            "conference_type": ["icpc", "rcpc"],
            "user_id": [str(colleague.id)],
            "change": ["role", "on", "off", "unlock", "password"],
            "action": [str(action.id)],
            "insight": [str(insight.id)],
            "custom_theme": [str(custom.id)],
            "flag": [str(flag.id)],
            "response": references[:2],
            "complaint": [complaint.reference],
            "compliment": [compliment.reference],
            "person_ref": [complaint.reference, compliment.reference],
            "link": [group.code],
            "theme": ["communication", "custom-buses"],
            "report": ["qa", "board"],
            "channel": ["phone", "email"],
            "show": ["archived", ""],
            "inline": ["1", "0"],
            "audit_action": ["campaign_created"],
            "id": ["1", "2"],
            "date": [today.isoformat(), (today - timedelta(days=1)).isoformat()],
            "text": ["matrix", "Rae"],
        }


# -- requests ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Req:
    """One request: shown in failure reports as the method, URL and form sent."""

    method: str
    url: str
    form: tuple[tuple[str, str], ...] | None = None
    token: bool = True

    def __repr__(self) -> str:
        text = f"{self.method} {self.url}"
        if self.form is not None:
            shown = {
                k: (v if len(v) < 60 else v[:20] + f"...({len(v)} chars)") for k, v in self.form
            }
            text += f" form={shown}" + ("" if self.token else " (no CSRF token)")
        return text


_ARGUMENT = re.compile(r"<(?:[^:>]+:)?([^>]+)>")


def _url(rule: Rule, path: dict[str, str], query: list[tuple[str, str]]) -> str:
    url = _ARGUMENT.sub(lambda m: quote(path[m.group(1)], safe=""), rule.rule)
    return url + ("?" + urlencode(query) if query else "")


def _path_kind(endpoint: str, name: str) -> str:
    if name == "reference":
        return REFERENCE.get(endpoint, "complaint")
    return name


def _methods(rule: Rule) -> list[str]:
    return sorted(m for m in rule.methods or () if m in ("GET", "POST"))


@dataclass
class Target:
    """A route and what it reads: path arguments, query parameters, form fields."""

    rule: Rule
    valid: dict[str, list[str]]
    fields: dict[str, list[str]] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)

    @property
    def endpoint(self) -> str:
        return self.rule.endpoint

    def path_kinds(self) -> dict[str, str]:
        return {name: _path_kind(self.endpoint, name) for name in sorted(self.rule.arguments)}

    def query_kinds(self) -> dict[str, str]:
        return QUERY.get(self.endpoint, {})

    def good(self, kind: str) -> str:
        return self.valid.get(kind, [""])[0]

    def good_path(self) -> dict[str, str]:
        return {name: self.good(kind) for name, kind in self.path_kinds().items()}

    def good_form(self) -> list[tuple[str, str]]:
        return [(name, self.form.get(name, values[0])) for name, values in self.fields.items()]

    def field_kinds(self) -> dict[str, str]:
        return {name: _field_kind(value) for name, value in self.good_form()}

    def sweep(self, refused: bool) -> Iterator[Req]:
        """The fixed hostile inputs, each alone with the rest valid. A role refused the route
        never reaches its view, so it gets the valid request and the hostile paths only."""
        for method in _methods(self.rule):
            form = self.good_form() if method == "POST" else None
            base = self.good_path()
            yield self.request(method, base, [], form)
            if self.query_kinds() and not refused:
                # every parameter valid, twice: a form sent again must not fail either
                query = [(name, self.good(kind)) for name, kind in self.query_kinds().items()]
                yield from [self.request(method, base, query, form)] * 2
            for name, kind in self.path_kinds().items():
                for value in [] if kind == "change" else SWEEP["id"]:
                    yield self.request(method, {**base, name: value}, [], form)
            if refused:
                continue
            for name, kind in self.query_kinds().items():
                for value in _sweep(kind):
                    yield self.request(method, base, [(name, value)], form)
            if {"start", "end"} <= set(self.query_kinds()):
                for period in _periods():
                    yield self.request(method, base, period, form)
            if form:
                kinds = self.field_kinds()
                for name, kind in kinds.items():
                    for value in FORM_SWEEP.get(kind, []):
                        changed = [(k, value if k == name else v) for k, v in form]
                        yield self.request(method, base, [], changed)
                for value in ("²", "x" * 3000, "a\x00b"):
                    changed = [(k, v if kinds[k] == "date" else value) for k, v in form]
                    yield self.request(method, base, [], changed)

    def request(
        self,
        method: str,
        path: dict[str, str],
        query: list[tuple[str, str]],
        form: list[tuple[str, str]] | None,
    ) -> Req:
        return Req(method, _url(self.rule, path, query), _frozen(form))


def _field_kind(value: str) -> str:
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return "date"
    if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", value):
        return "datetime"
    return "id" if re.fullmatch(r"-?\d+", value) else "text"


def _frozen(data: list[tuple[str, str]] | None) -> tuple[tuple[str, str], ...] | None:
    return None if data is None else tuple(data)


def _periods() -> list[list[tuple[str, str]]]:
    """Edges of the calendar, and an empty period straight after a busy one."""
    today = date.today()
    return [
        [("start", "0001-01-01"), ("end", "0001-01-01")],
        [("start", "9999-12-31"), ("end", "9999-12-31")],
        [("start", "0001-01-01"), ("end", "9999-12-31")],
        [
            ("start", (today + timedelta(days=1)).isoformat()),
            ("end", (today + timedelta(days=2)).isoformat()),
        ],
        [
            ("start", (today + timedelta(days=5)).isoformat()),
            ("end", (today + timedelta(days=20)).isoformat()),
        ],
    ]


text = st.text(st.characters(codec="utf-8", exclude_characters="{"), max_size=40)


def _value(valid: list[str], kind: str) -> st.SearchStrategy[str]:
    pools = [st.sampled_from(valid)] if valid else []
    if kind == "date":
        pools.append(st.sampled_from(DATES))
        pools.append(st.dates().map(date.isoformat))
    if kind == "datetime":
        pools.append(st.sampled_from([f"{d}T00:00" for d in DATES]))
        pools.append(st.datetimes().map(lambda d: d.isoformat(timespec="minutes")))
    pools += [
        st.sampled_from(IDS),
        st.sampled_from(ALL_HOSTILE),
        st.integers(-(10**30), 10**30).map(str),
        text,
    ]
    return st.one_of(*pools)


@st.composite
def requests(draw: st.DrawFn, target: Target) -> Req:
    rule = target.rule
    method = draw(st.sampled_from(_methods(rule)))
    path = {
        name: draw(_value(target.valid.get(kind, []), kind))
        for name, kind in target.path_kinds().items()
    }
    if "change" in path:  # the route's own converter admits these five words only
        path["change"] = draw(st.sampled_from(target.valid["change"]))
    kinds = target.query_kinds()
    names = draw(st.lists(st.sampled_from(sorted(kinds)), max_size=4)) if kinds else []
    query = [(name, draw(_value(target.valid.get(kinds[name], []), kinds[name]))) for name in names]
    form = None
    token = True
    if method == "POST":
        # Mostly the valid form, with a few fields changed, left out or sent twice.
        form = []
        kinds = target.field_kinds()
        for name, good in target.good_form():
            how = draw(st.sampled_from(["keep", "keep", "change", "omit", "twice"]))
            if how == "keep":
                form.append((name, good))
            elif how in ("change", "twice"):
                choices = [good, *target.fields.get(name, [])]
                form += [
                    (name, draw(_value(choices, kinds[name]))) for _ in range(1 + (how == "twice"))
                ]
        form += draw(st.lists(st.tuples(text, _value([], "text")), max_size=2))
        token = draw(st.integers(0, 9)) > 0
    return Req(method, _url(rule, path, query), _frozen(form), token)


# -- running one request -------------------------------------------------------------------------


class ServerError(AssertionError):
    pass


class _Caught(logging.Handler):
    """Keeps the exception the app logs with a 500, for the report."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.errors: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.errors.append(record.exc_info[1])


@dataclass
class Browser:
    """A signed-in role; signs in again whenever a request ended its session."""

    app: Flask
    role: str
    email: str
    client: FlaskClient = field(init=False)
    token: str = field(init=False)
    account: tuple[Any, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.sign_in()

    def sign_in(self) -> None:
        self.client = FlaskClient(self.app, self.app.response_class, use_cookies=True)
        assert sign_in(self.client, self.email).status_code == 302
        page = self.client.get("/staff/")
        self.token = csrf_token_from(page.get_data(as_text=True))
        self.account = self._account()

    def _account(self) -> tuple[Any, ...]:
        from survey.extensions import db
        from survey.models import User

        with self.app.app_context():
            user = db.session.query(User).filter_by(email=self.email).one()
            return (user.roles, user.active, user.session_version)

    def restore(self) -> None:
        """Undo what a request did to this role's own account, then sign in again."""
        from survey.extensions import db
        from survey.models import Setting, User

        with self.app.app_context():
            user = db.session.query(User).filter_by(email=self.email).one()
            user.roles, user.active = frozenset({Role(self.role)}), True
            user.failed_sign_ins, user.locked_until = 0, None
            # An admin's request may have required a second factor for everyone: the
            # account signs in with its password alone again.
            db.session.query(Setting).delete()
            db.session.commit()
        self.sign_in()

    def send(self, req: Req) -> Any:
        data = None
        if req.form is not None:
            data = MultiDict([*req.form, *([("csrf_token", self.token)] if req.token else [])])
        return self.client.open(req.url, method=req.method, data=data)


def _matches(app: Flask, req: Req, endpoint: str) -> bool:
    """Whether the request reaches this route at all (a '/' in an argument may not)."""
    adapter = app.url_map.bind("heard.test")
    try:
        found, _args = adapter.match(unquote(urlsplit(req.url).path), method=req.method)
    except (HTTPException, RequestRedirect):
        return False
    return found == endpoint


def _app_frames(error: BaseException) -> list[traceback.FrameSummary]:
    frames = traceback.extract_tb(error.__traceback__)
    return [f for f in frames if "/survey/" in f.filename and "site-packages" not in f.filename]


def _tail(error: BaseException) -> str:
    """The app's own last frames, the frame that raised, and the exception's first line."""
    frames = traceback.extract_tb(error.__traceback__)
    shown = {(f.filename, f.lineno): f for f in [*_app_frames(error)[-2:], *frames[-1:]]}
    lines = [
        f"  {_short(f.filename)}:{f.lineno} in {f.name}: {(f.line or '').strip()}"
        for f in shown.values()
    ]
    cause = getattr(error, "orig", None) or error  # the driver's words, for a database error
    first = (str(cause).splitlines() or [""])[0][:300]
    return "\n".join([*lines, f"  {type(error).__module__}.{type(error).__name__}: {first}"])


def _short(filename: str) -> str:
    for marker in ("/site-packages/", "/survey/"):
        if marker in filename:
            return filename[filename.index(marker) + 1 :].removeprefix("site-packages/")
    return filename


def check(app: Flask, browser: Browser, caught: _Caught, target: Target, req: Req) -> None:
    caught.errors.clear()
    response = browser.send(req)
    status = response.status_code
    if target.endpoint in ENDS_SESSION or (
        req.method == "POST" and browser._account() != browser.account
    ):
        browser.restore()
    if status >= 500:
        error = caught.errors[-1] if caught.errors else None
        message = f"{status} for {browser.role}: {req!r}"
        if error is not None:
            raise ServerError(message + "\n" + _tail(error)) from error
        raise ServerError(message)
    if not _matches(app, req, target.endpoint) or not req.token:
        return
    allowed = Role(browser.role) in roles_with(ROUTES[target.endpoint])
    if allowed:
        location = response.headers.get("Location", "")
        if target.endpoint in ENDS_SESSION:  # signed out, it lands on the sign-in page
            location = ""
        assert status != 403 and "/staff/sign-in" not in location, (
            f"{browser.role} may open {target.endpoint} but got {status} {location}: {req!r}"
        )
    else:
        assert status == 403, f"{browser.role} may not open {target.endpoint}: {status} {req!r}"


# -- the form fields each route takes, read from the pages as an admin sees them ----------------


def _forms(app: Flask, browser: Browser, targets: list[Target]) -> dict[str, dict[str, list[str]]]:
    adapter = app.url_map.bind("heard.test")
    found: dict[str, dict[str, list[str]]] = {}
    for target in targets:
        if "GET" not in (target.rule.methods or ()):
            continue
        page = browser.client.get(_url(target.rule, target.good_path(), []))
        if page.mimetype != "text/html":
            continue
        soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
        for form in soup.find_all("form", method=lambda m: (m or "").lower() == "post"):
            try:
                endpoint, _args = adapter.match(
                    urlsplit(form.get("action", "")).path, method="POST"
                )
            except (HTTPException, RequestRedirect):
                continue
            fields = found.setdefault(endpoint, {})
            for tag in form.find_all(["input", "select", "textarea"]):
                name = tag.get("name")
                if not name or name == "csrf_token":
                    continue
                values = fields.setdefault(name, [])
                if tag.name == "select":
                    values += [o.get("value", "") for o in tag.find_all("option")]
                elif tag.name == "textarea":
                    values.append(tag.get_text())
                else:
                    values.append(tag.get("value", "") or "")
    for fields in found.values():
        for name, values in fields.items():
            unique = list(dict.fromkeys(v for v in values if v)) or [""]
            fields[name] = unique
    return found


# -- the test ---------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_no_staff_route_gives_a_server_error(app, make_campaign, make_user, role):
    valid = _seed(app, make_campaign, make_user)
    browser = Browser(app, role, make_user(role))
    admin = browser if role == "admin" else Browser(app, "admin", make_user("admin"))
    rules = sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint in ROUTES),
        key=lambda r: (r.endpoint in ENDS_SESSION, r.rule),
    )
    assert {r.endpoint for r in rules} == set(ROUTES)
    targets = [Target(rule, valid) for rule in rules]
    fields = _forms(app, admin, targets)
    forms = _valid_forms(date.today())
    for target in targets:
        target.fields = {
            **FALLBACK_FIELDS.get(target.endpoint, {}),
            **fields.get(target.endpoint, {}),
        }
        target.form = forms.get(target.endpoint, {})
        for name, value in target.form.items():
            target.fields.setdefault(name, [value])

    caught = _Caught()
    app.logger.addHandler(caught)
    failures: list[str] = []
    try:
        for target in targets:
            failures += _run(app, browser, caught, target)
    finally:
        app.logger.removeHandler(caught)
    assert not failures, f"{len(failures)} failures for {role}:\n\n" + "\n\n".join(failures)


def _run(app: Flask, browser: Browser, caught: _Caught, target: Target) -> list[str]:
    failures: list[str] = []
    seen: set[tuple[Any, ...]] = set()

    def note(how: str, error: BaseException) -> None:
        site = _site(error)
        if site not in seen:
            seen.add(site)
            failures.append(f"[{how}] {target.endpoint}: {error}")

    allowed = Role(browser.role) in roles_with(ROUTES[target.endpoint])
    for req in target.sweep(refused=not allowed):
        try:
            check(app, browser, caught, target, req)
        except AssertionError as error:
            note("sweep", error)

    failed: set[str] = set()
    first_failure: list[float] = []

    @settings(max_examples=EXAMPLES_PERMITTED if allowed else EXAMPLES_REFUSED, **SETTINGS)
    @given(req=requests(target))
    def fuzz(req: Req) -> None:
        spent = first_failure and time.monotonic() - first_failure[0] > SHRINK_SECONDS
        if spent and repr(req) not in failed:
            return
        try:
            check(app, browser, caught, target, req)
        except AssertionError:
            failed.add(repr(req))
            first_failure[:] = first_failure or [time.monotonic()]
            raise

    try:
        fuzz()
    except (AssertionError, ExceptionGroup) as error:
        found = error.exceptions if isinstance(error, ExceptionGroup) else [error]
        for one in found:
            notes = "\n".join(getattr(one, "__notes__", []))
            if isinstance(one, AssertionError):
                one.args = (f"{one}\n{notes}",)
            note("hypothesis", one)
    return failures


def _site(error: BaseException) -> tuple[Any, ...]:
    """Where the app failed (type, its own last frame), so one bug is reported once a route."""
    cause = error.__cause__
    if cause is None:
        return (type(error), str(error).split(":")[0])
    frames = _app_frames(cause) or traceback.extract_tb(cause.__traceback__)[-1:]
    return (type(cause), frames[-1].filename, frames[-1].lineno) if frames else (type(cause),)
