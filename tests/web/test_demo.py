"""The demo organisation that `make run` loads: fast, idempotent, and made only of answers
the runner itself could have stored, in the voices of the people who use the service."""

from __future__ import annotations

import re
from datetime import date, timedelta
from statistics import median
from typing import Any

import pytest
from sqlalchemy import delete, func, inspect, select

from survey.demo import DEMO_PASSWORD, load_demo
from survey.extensions import db
from survey.library import library
from survey.models import Answer, Campaign, Draft, Invitation, Response, User, utcnow
from survey.questionnaire.model import Question
from survey.questionnaire.routing import missing_required, relevant_answers

TABLES = (Answer, Response, Draft, Invitation, Campaign, User)
#: Words from the safeguarding disclosures the demo must contain (and the product flag).
DISCLOSURES = (
    "feel safe when",
    "hurts me",
    "touches me",
    "hurting myself",
    "send pics",
    "alive anymore",
    "carry stuff",
    "hits me",
    "scared of what",
    "cutting again",
    "hurt me if",
    "threatening messages",
    "any dinner",
)


@pytest.fixture(autouse=True)
def _empty(app):
    """The demo reuses whatever it finds, so each test starts from an empty database."""
    with app.app_context():
        wipe()


@pytest.fixture()
def answers_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's campaigns and answers without its loop (the insights of every answer, the
    actions, the published page): these tests read answers only, and the loop is loaded
    whole, and tested, by test_the_demo_loads_and_a_second_run_adds_nothing and
    tests/web/loop/test_loop_demo.py. It is most of the demo's time."""
    monkeypatch.setattr("survey.demo.load_loop_demo", lambda *args, **kwargs: "")


def row_counts() -> dict[str, int]:
    return {t.__name__: db.session.scalar(select(func.count()).select_from(t)) for t in TABLES}


def wipe() -> None:
    existing = set(inspect(db.engine).get_table_names())
    for table in reversed(db.metadata.sorted_tables):
        if table.name in existing:
            db.session.execute(delete(table))
    db.session.commit()


def free_texts() -> list[tuple[str, str, str]]:
    """(campaign slug, question id, text) for every free-text answer, in a stable order."""
    rows = db.session.execute(
        select(Campaign.slug, Answer.question_id, Answer.value)
        .join(Response, Response.id == Answer.response_id)
        .join(Campaign, Campaign.id == Response.campaign_id)
        .where(Answer.answer_type == "free_text")
        .order_by(Campaign.slug, Response.submitted_at, Response.id, Answer.question_id)
    )
    return [(slug, qid, value) for slug, qid, value in rows]


def check_value(question: Question, value: Any) -> None:
    """The value is one the runner's form handlers would store for this question."""
    options = [o.value for o in question.options]
    kind = question.type
    if kind in ("single_choice", "yes_no_sometimes"):
        assert isinstance(value, str) and value in options
    elif kind in ("faces", "scale"):
        low, high = (1, 5) if kind == "faces" else (0, 10)
        assert type(value) is int and low <= value <= high
    elif kind == "multiple_choice":
        assert isinstance(value, list) and value and len(set(value)) == len(value)
        assert set(value) <= set(options)
        exclusive = {o.value for o in question.options if o.exclusive}
        assert len(value) == 1 or not exclusive & set(value)
    elif kind == "free_text":
        assert isinstance(value, str) and value == value.strip() and value
        assert len(value) <= (question.max_length or 1000)
    elif kind == "number":
        assert type(value) is int if question.integer else isinstance(value, int | float)
        assert question.min_value is None or value >= question.min_value
        assert question.max_value is None or value <= question.max_value
    elif kind == "date":
        assert not question.past_only or date.fromisoformat(value) <= date.today()
    elif kind == "consent":
        assert value is True
    else:
        pytest.fail(f"unknown answer type {kind}")


def test_the_demo_loads_and_a_second_run_adds_nothing(ctx, monkeypatch):
    # How long it takes is not a unit test's business (shared, noisy machines): about 14 s
    # on a quiet two-core machine, the sentence encoder reading ~800 answers.
    monkeypatch.setenv("PORT", "8123")
    summary = load_demo(seed=5)
    first = row_counts()

    again = load_demo(seed=5)

    assert row_counts() == first
    assert again == summary
    shipped = {
        q.id
        for q in library().latest().values()
        if "examples" not in q.source and not q.easy_read_of
    }
    assert first["Campaign"] == len(shipped) >= 9
    assert first["User"] == 5
    assert 300 <= first["Response"] <= 800
    assert "http://127.0.0.1:8123/s/wellbeing-11-17" in summary
    assert "http://127.0.0.1:8123/staff/sign-in" in summary
    assert len(re.findall(r"http://127\.0\.0\.1:8123/i/[\w-]{16,}", summary)) == 2
    assert DEMO_PASSWORD in summary and "admin@demo.heard.invalid" in summary
    assert f"{first['Response']} responses" in summary
    assert_front_door_flags_settled_before_answers()


def assert_front_door_flags_settled_before_answers() -> None:
    """A complaint the demo's team answered was readable to it: the lead had acknowledged
    its answer's flag (docs/access.md), so the demo never shows an officer answering words
    withheld from them."""
    from survey.models import Complaint, ComplaintEvent, SafeguardingFlag

    worked = set(
        db.session.scalars(
            select(Complaint.response_id)
            .join(ComplaintEvent, ComplaintEvent.complaint_id == Complaint.id)
            .where(ComplaintEvent.kind != "received", Complaint.response_id.is_not(None))
        )
    )
    flags = db.session.scalars(
        select(SafeguardingFlag).where(SafeguardingFlag.response_id.in_(worked))
    ).all()
    assert flags, "the demo has a flagged front-door complaint that its team worked"
    for flag in flags:
        assert flag.acknowledged_at is not None and flag.acknowledged_by_id is not None
        assert flag.raised_at < flag.acknowledged_at < utcnow()


def test_every_stored_answer_is_valid_for_its_questionnaire(ctx, answers_only):
    load_demo()
    responses = db.session.scalars(select(Response)).all()
    for response in responses:
        questionnaire = library().get(response.questionnaire_id, response.questionnaire_version)
        answers = {a.question_id: a.value for a in response.answers}
        missing = missing_required(questionnaire, answers)
        assert missing == [], response.reference
        assert relevant_answers(questionnaire, answers) == answers, response.reference
        for answer in response.answers:
            question = questionnaire.question(answer.question_id)
            assert answer.answer_type == question.type
            check_value(question, answer.value)
    for draft in db.session.scalars(select(Draft)).all():
        campaign = db.session.get(Campaign, draft.campaign_id)
        questionnaire = library().get(campaign.questionnaire_id, campaign.questionnaire_version)
        assert draft.response_id is None and draft.answers
        assert relevant_answers(questionnaire, draft.answers) == draft.answers
        for qid, value in draft.answers.items():
            check_value(questionnaire.question(qid), value)


def test_campaigns_are_open_with_realistic_dates_and_invitations(ctx, answers_only):
    load_demo()
    now = date.today()
    for campaign in db.session.scalars(select(Campaign)).all():
        assert campaign.opens_at.date() < now < campaign.closes_at.date()
        responses = db.session.scalars(
            select(Response).where(Response.campaign_id == campaign.id)
        ).all()
        assert responses, campaign.slug
        if campaign.cohort_size:
            assert len(responses) < campaign.cohort_size * 0.6
        for response in responses:
            assert campaign.opens_at <= response.started_at < response.submitted_at
        minutes = median((r.submitted_at - r.started_at).total_seconds() / 60 for r in responses)
        assert 1.5 < minutes < 30, campaign.slug
    wellbeing = db.session.scalar(select(Campaign).where(Campaign.slug == "wellbeing-11-17"))
    used = db.session.scalars(
        select(Invitation).where(
            Invitation.campaign_id == wellbeing.id, Invitation.used_at.is_not(None)
        )
    ).all()
    by_link = db.session.scalar(
        select(func.count()).where(
            Response.campaign_id == wellbeing.id, Response.invitation_id.is_(None)
        )
    )
    assert used and by_link, "a mix of personal invitations and the anonymous link"
    for invitation in used:
        response = db.session.scalar(
            select(Response).where(Response.invitation_id == invitation.id)
        )
        assert response.submitted_at == invitation.used_at


def test_the_return_curve_has_a_launch_and_a_reminder_spike(ctx, answers_only):
    load_demo()
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "wellbeing-11-17"))
    days = [
        (r - campaign.opens_at.replace(hour=0)).days
        for r in db.session.scalars(
            select(Response.submitted_at).where(Response.campaign_id == campaign.id)
        )
    ]
    launch = sum(d <= 2 for d in days)
    lull = sum(6 <= d <= 8 for d in days)
    reminder = sum(14 <= d <= 16 for d in days)
    assert launch > 3 * max(lull, 1) and reminder > 2 * max(lull, 1)
    assert db.session.scalar(select(func.count()).select_from(Draft)) >= 9


def test_the_same_seed_gives_the_same_free_text_on_any_day(ctx, monkeypatch, answers_only):
    load_demo(seed=11)
    first = sorted(free_texts())
    wipe()
    later = utcnow() + timedelta(days=3, hours=5)
    monkeypatch.setattr("survey.demo.utcnow", lambda: later)
    load_demo(seed=11)
    assert sorted(free_texts()) == first
    wipe()
    load_demo(seed=12)
    assert sorted(free_texts()) != first


def test_free_text_in_every_voice_with_some_disclosures(ctx, answers_only):
    load_demo()
    texts = free_texts()
    slugs = {slug for slug, _, _ in texts}
    for voice in (
        "wellbeing-4-7",
        "wellbeing-8-11",
        "wellbeing-11-17",
        "care-leavers",
        "conference-parents",
        "conference-professionals",
        "foster-carers",
        "complaints",
    ):
        assert voice in slugs
    children = [t for slug, _, t in texts if slug.startswith("wellbeing-")]
    assert any(t == t.lower() and "dont" in t or "im " in t for t in children)
    assert len(set(t for _, _, t in texts)) > len(texts) * 0.5, "varied wording"
    flagged = [t for _, _, t in texts if any(w in t.lower() for w in DISCLOSURES)]
    assert 1 <= len(flagged) <= len(texts) * 0.05


def test_staff_sign_in_with_the_printed_password(app):
    with app.app_context():
        summary = load_demo()
    password = re.search(r"password for every demo account: (\S+)", summary).group(1)
    emails = re.findall(r"\b[\w.]+@demo\.heard\.invalid\b", summary)
    assert len(emails) == 5
    for email in emails:
        client = app.test_client()  # a fresh browser for each account
        page = client.get("/staff/sign-in").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        response = client.post(
            "/staff/sign-in", data={"email": email, "password": password, "csrf_token": token}
        )
        assert response.status_code == 302, email


def test_demo_campaigns_open_and_close_by_the_clocks_in_england():
    """Found by a user trial: a campaign meant to close at 23:59 on 28 March 2027 said
    "closes on 29 March at 12:59 AM", 23:59 UTC read across the clock change."""
    from datetime import UTC, datetime

    from survey.demo import _london_time

    summer = _london_time(datetime(2027, 3, 28, 21, 30, tzinfo=UTC), 23, 59)
    assert summer == datetime(2027, 3, 28, 22, 59, tzinfo=UTC)  # 23:59 BST
    winter = _london_time(datetime(2026, 12, 6, 23, 30, tzinfo=UTC), 23, 59)
    assert winter == datetime(2026, 12, 6, 23, 59, tzinfo=UTC)  # 23:59 GMT
    assert _london_time(datetime(2026, 7, 1, 23, 30, tzinfo=UTC), 9, 0) == datetime(
        2026, 7, 2, 8, 0, tzinfo=UTC
    )  # 23:30 UTC on 1 July is already 2 July in England


#: The demo's unsent drafts that hold a possible current risk (seed 2026): words and a "No".
UNSENT_DISCLOSURES = (
    "my carer hits me when shes angry",
    "I've been cutting again and I haven't told anyone.",
    "a big boy at school hurts me",
)


def test_the_demos_unsent_disclosures_are_on_the_queue_at_once_raised_when_typed(ctx, answers_only):
    """Found by a user trial: the demo's drafts holding disclosures reached the queue only
    after `heard alerts` read them in full; a page save screens words at once, and so does
    the demo now, each draft page by page, at the time it was saved."""
    from survey.insights.flags import open_flags
    from survey.models import SafeguardingFlag

    summary = load_demo()
    unsent = [row.flag for row in open_flags() if row.flag.unsent]
    words = [w for flag in unsent for typed in flag.draft_words.values() for w in typed]
    for disclosure in UNSENT_DISCLOSURES:
        assert any(w.startswith(disclosure) for w in words), disclosure
    assert any(flag.category == "choice" for flag in unsent)  # a "No" to feeling safe
    assert all(flag.level == "current" and flag.draft_id for flag in unsent)
    for flag in unsent:
        draft = db.session.get(Draft, flag.draft_id)
        assert draft.read_in_full_at is None  # the page saves' screen, not the sweep's read
        assert draft.started_at <= flag.raised_at <= draft.updated_at
    assert "heard alerts" in summary
    flags = db.session.scalar(select(func.count(SafeguardingFlag.id)))
    unsent_flags = select(func.count(SafeguardingFlag.id)).where(
        SafeguardingFlag.response_id.is_(None)
    )
    assert db.session.scalar(unsent_flags) == len(unsent)
    again = load_demo()
    assert again == summary
    assert db.session.scalar(select(func.count(SafeguardingFlag.id))) == flags


def test_every_response_the_demo_records_has_the_findings_its_letter_needs(ctx):
    """The record page refuses a stage's response before its findings, as the letter does;
    the demo's online complaints were answered with none, so their letters were refused."""
    from survey.complaints import services
    from survey.complaints.steps import findings_missing
    from survey.models import Complaint

    load_demo()
    answered = 0
    for complaint in db.session.scalars(select(Complaint)):
        procedure = services.procedure_for(complaint)
        for stage in complaint.stages:
            if procedure.stage(stage.stage_id).final.id in (stage.done or {}):
                answered += 1
                assert findings_missing(complaint, stage.stage_id) is None, complaint.reference
    assert answered >= 3


def test_a_sent_no_to_feeling_safe_is_flagged_when_it_was_sent(ctx, answers_only):
    """Found by a staff trial: the send raises a flag for an answer the questionnaire marks
    ("No" to "Do you feel safe where you live?"), but the demo wrote its sent answers
    straight to the database and raised none, so its queue showed none of them."""
    from survey.insights.services import CHOICE_CATEGORY, chosen_flag
    from survey.models import SafeguardingFlag

    load_demo()
    marked = set()
    for response in db.session.scalars(select(Response)):
        questionnaire = library().get(response.questionnaire_id, response.questionnaire_version)
        if any(
            chosen_flag(questionnaire.question(a.question_id), a.value) for a in response.answers
        ):
            marked.add(response.id)
    assert len(marked) >= 10
    flags = db.session.scalars(
        select(SafeguardingFlag).where(SafeguardingFlag.category == CHOICE_CATEGORY)
    ).all()
    assert {flag.response_id for flag in flags if flag.response_id} == marked
    for flag in flags:
        if flag.response_id:
            assert flag.raised_at == db.session.get(Response, flag.response_id).submitted_at
