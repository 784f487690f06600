"""Retention: free text goes when its time is up; closed answers and aggregates stay."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from survey.ops.retention import Retention, months_before

OLD = timedelta(days=800)  # past the 24 months kept for surveys by default
RECENT = timedelta(days=30)


def _answers(app):
    from survey.extensions import db
    from survey.models import Answer, Response

    with app.app_context():
        rows = db.session.execute(select(Response.reference, Answer.question_id).join(Answer))
        held: dict[str, set[str]] = {}
        for reference, question_id in rows:
            held.setdefault(reference, set()).add(question_id)
        return held


def _expired_draft(app, make_campaign):
    from survey.extensions import db
    from survey.models import Campaign, Draft, utcnow

    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "ops"))
        db.session.add(
            Draft(
                key="old-draft",
                campaign_id=campaign.id,
                answers={"worry-text": "x"},
                expires_at=utcnow() - timedelta(days=1),
            )
        )
        db.session.add(
            Draft(
                key="live-draft",
                campaign_id=campaign.id,
                answers={},
                expires_at=utcnow() + timedelta(days=1),
            )
        )
        db.session.commit()


def test_purge_removes_old_free_text_and_expired_drafts_only(
    app, stored_response, make_campaign, heard
):
    old, recent = stored_response(OLD), stored_response(RECENT)
    _expired_draft(app, make_campaign)

    dry = heard("purge", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Would remove 1 free-text answers from 1 responses" in dry.output
    assert "and 1 expired drafts" in dry.output
    assert "worry-text" in _answers(app)[old]  # a dry run removes nothing

    real = heard("purge")
    assert real.exit_code == 0, real.output
    assert "Removed 1 free-text answers" in real.output
    held = _answers(app)
    assert held[old] == {"feel-today", "feel-safe", "who-helped"}  # closed answers kept
    assert "worry-text" in held[recent]

    from survey.extensions import db
    from survey.models import AuditEvent, Draft

    with app.app_context():
        assert [d.key for d in db.session.scalars(select(Draft))] == ["live-draft"]
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "purge")).all()
        assert len(events) == 1
        assert '"free_text_answers": 1' in events[0].detail
        assert '"expired_drafts": 1' in events[0].detail


def test_retention_file_sets_months_per_kind_and_questionnaire(
    app, stored_response, heard, tmp_path, monkeypatch
):
    reference = stored_response(timedelta(days=70))
    settings = tmp_path / "retention.yaml"
    settings.write_text("kinds: {survey: 12}\nquestionnaires: {example-every-type: 2}\n")
    monkeypatch.setitem(app.config, "RETENTION_FILE", str(settings))
    assert heard("purge").exit_code == 0
    assert "worry-text" not in _answers(app)[reference]


@pytest.mark.parametrize("text", ["kinds: {survey: 0}", "default: many", "keep: {survey: 3}"])
def test_retention_file_mistakes_are_refused(text):
    import yaml

    with pytest.raises(ValueError, match="retention"):
        Retention.from_mapping(yaml.safe_load(text))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("kinds: {survy: 1}", "survy"),
        ("kinds: {survey: 0}", "kinds.survey"),
        ("default: many", "default"),
        ("kinds: [survey]", "kinds"),
        ("kinds: {survey: 1", "YAML"),
        ("1: 2\nfoo: 3", "unknown settings"),  # keys of two types (a code review)
        ("default: 100000", "default"),  # past any calendar
    ],
)
@pytest.mark.parametrize("dry_run", [True, False])
def test_a_mistaken_retention_file_stops_purge_with_one_clear_line(
    app, stored_response, heard, tmp_path, monkeypatch, text, words, dry_run
):
    reference = stored_response(OLD)
    settings = tmp_path / "retention.yaml"
    settings.write_text(text + "\n")
    monkeypatch.setitem(app.config, "RETENTION_FILE", str(settings))
    result = heard("purge", *(["--dry-run"] if dry_run else []))
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit)  # said, not a traceback
    [line] = result.output.strip().splitlines()
    assert words in line and str(settings) in line
    assert "worry-text" in _answers(app)[reference]  # nothing removed


def test_a_misspelt_kind_names_the_kinds_there_are(app, heard, tmp_path, monkeypatch):
    settings = tmp_path / "retention.yaml"
    settings.write_text("kinds: {survy: 1}\n")
    monkeypatch.setitem(app.config, "RETENTION_FILE", str(settings))
    output = heard("purge", "--dry-run").output
    assert "survey, feedback or complaint" in output


def test_a_retention_file_that_is_not_there_stops_purge(
    app, stored_response, heard, tmp_path, monkeypatch
):
    reference = stored_response(OLD)
    missing = tmp_path / "retenton.yaml"
    monkeypatch.setitem(app.config, "RETENTION_FILE", str(missing))
    for args in (["--dry-run"], []):
        result = heard("purge", *args)
        assert result.exit_code != 0 and isinstance(result.exception, SystemExit)
        assert str(missing) in result.output and "Traceback" not in result.output
    assert "worry-text" in _answers(app)[reference]


def test_an_unknown_questionnaire_is_warned_of_not_refused(
    app, stored_response, heard, tmp_path, monkeypatch
):
    stored_response(OLD)
    settings = tmp_path / "retention.yaml"
    settings.write_text("questionnaires: {no-such-questionnaire: 6, example-every-type: 12}\n")
    monkeypatch.setitem(app.config, "RETENTION_FILE", str(settings))
    result = heard("purge", "--dry-run")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("Warning")]
    assert len(warnings) == 1 and "'no-such-questionnaire'" in warnings[0]
    assert "Would remove 1 free-text answers" in result.output


def test_purge_says_which_settings_and_months_it_used(app, heard, tmp_path, monkeypatch):
    default = heard("purge", "--dry-run")
    assert default.exit_code == 0, default.output
    assert "the defaults" in default.output
    assert "survey 24 months, feedback 24 months, complaint 72 months" in default.output

    settings = tmp_path / "retention.yaml"
    settings.write_text(
        "default: 12\nkinds: {survey: 18}\nquestionnaires: {example-every-type: 6}\n"
    )
    monkeypatch.setitem(app.config, "RETENTION_FILE", str(settings))
    own = heard("purge", "--dry-run")
    assert own.exit_code == 0, own.output
    assert str(settings) in own.output
    assert "survey 18 months, feedback 24 months, complaint 72 months" in own.output
    assert "example-every-type 6 months" in own.output


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 3, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), 24, datetime(2024, 1, 15, tzinfo=UTC)),
        (datetime(2024, 5, 31, tzinfo=UTC), 3, datetime(2024, 2, 29, tzinfo=UTC)),
    ],
)
def test_months_before_counts_calendar_months(moment, months, expected):
    assert months_before(moment, months) == expected


def test_defaults_keep_complaints_longer_than_surveys():
    retention = Retention()
    assert retention.months_for("x", "complaint") > retention.months_for("x", "survey")
    assert retention.months_for("x", None) == retention.default


CHECK_IN = {
    "checkin-wanted": ("single_choice", "yes"),
    "checkin-consent": ("consent", True),
    "checkin-contact": ("free_text", "Sam, text me on 07700 900123"),
    "something-change": ("free_text", "More help with bills"),
}


def _care_leaver_answer(app, stored_response, age, *, passed_on=False):
    """A care leaver's response ``age`` ago that asked for a check-in; returns its id."""
    from survey.extensions import db
    from survey.models import CheckIn, Response

    reference = stored_response(age, "leavers", "care-leavers-16-25", CHECK_IN)
    with app.app_context():
        response = db.session.scalar(select(Response).where(Response.reference == reference))
        if passed_on:
            db.session.add(CheckIn(response_id=response.id, passed_on_at=response.submitted_at))
            db.session.commit()
        return response.id


def _free_text(app, response_id):
    from survey.extensions import db
    from survey.models import Answer

    with app.app_context():
        return set(
            db.session.scalars(
                select(Answer.question_id).where(
                    Answer.response_id == response_id, Answer.answer_type == "free_text"
                )
            )
        )


def _flag(app, response_id, *, acknowledged):
    from survey.extensions import db
    from survey.models import Response, SafeguardingFlag, utcnow

    with app.app_context():
        response = db.session.get(Response, response_id)
        db.session.add(
            SafeguardingFlag(
                response_id=response.id,
                campaign_id=response.campaign_id,
                question_id="something-change",
                question_ids=["something-change"],
                category="harm",
                raised_at=response.submitted_at,
                draft_words={"something-change": ["typed before send"]},
                acknowledged_at=utcnow() if acknowledged else None,
            )
        )
        db.session.commit()


def test_purge_keeps_what_someone_has_still_to_act_on_and_says_so(app, stored_response, heard):
    """A check-in nobody has passed on, or a flag nobody has acknowledged, is work still to
    do: its words stay past retention (the run says how many), and go once it is done."""
    waiting = _care_leaver_answer(app, stored_response, OLD)
    passed_on = _care_leaver_answer(app, stored_response, OLD, passed_on=True)
    open_flag = _care_leaver_answer(app, stored_response, OLD, passed_on=True)
    _flag(app, open_flag, acknowledged=False)
    handled_flag = _care_leaver_answer(app, stored_response, OLD, passed_on=True)
    _flag(app, handled_flag, acknowledged=True)

    dry = heard("purge", "--dry-run")
    assert "Would remove 5 free-text answers from 3 responses" in dry.output, dry.output
    assert "Would keep 3 free-text answers of 2 responses" in dry.output, dry.output

    real = heard("purge")
    assert real.exit_code == 0, real.output
    assert "Kept 3 free-text answers of 2 responses past retention" in real.output
    assert "open safeguarding flag or a check-in not yet passed on" in real.output
    oldest = re.search(r"the oldest was sent on (\d{4}-\d{2}-\d{2})", real.output)
    assert oldest, real.output  # so the data protection officer sees how long past its date
    age = datetime.now(UTC).date() - date.fromisoformat(oldest.group(1))
    assert OLD.days - 1 <= age.days <= OLD.days + 1
    assert _free_text(app, waiting) == {"checkin-contact"}  # only the request itself
    assert _free_text(app, open_flag) == {
        "checkin-contact",
        "something-change",
    }  # the lead reads both
    assert _free_text(app, passed_on) == _free_text(app, handled_flag) == set()

    from survey.extensions import db
    from survey.models import AuditEvent, SafeguardingFlag

    with app.app_context():
        words = {
            flag.acknowledged_at is None: flag.draft_words
            for flag in db.session.scalars(select(SafeguardingFlag))
        }
        assert words == {True: {"something-change": ["typed before send"]}, False: {}}
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "purge")).one()
        assert '"held_answers": 3' in event.detail

    # Passed on at last: the next run removes it.
    from survey.models import CheckIn

    with app.app_context():
        db.session.add(CheckIn(response_id=waiting))
        db.session.commit()
    assert "Removed 1 free-text answers from 1 responses" in heard("purge").output
    assert _free_text(app, waiting) == set()
