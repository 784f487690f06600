"""The audit log: who created, opened, closed, exported and read raw answers, and when;
admins can filter it and download it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditEvent, User
from tests.conftest import csrf_token_from

FORM = {
    "questionnaire": "cic-wellbeing-11-17",
    "title": "Audited",
    "slug": "audited",
    "opens_at": "2026-01-05T09:00",
    "closes_at": "2030-02-05T17:00",
    "cohort_size": "10",
    "anonymous_link": "y",
    "invitations": "2",
    "action": "draft",
}


def test_campaign_actions_are_logged_with_who_and_when(app, staff_client):
    worker = staff_client("participation")
    token = csrf_token_from(worker.get("/staff/campaigns/new").text)
    worker.post("/staff/campaigns/new", data={**FORM, "csrf_token": token})
    worker.post("/staff/campaigns/audited/status", data={"csrf_token": token, "to": "open"})
    worker.get("/staff/campaigns/audited/invitations.csv")
    worker.get("/staff/campaigns/audited/responses.csv")
    worker.post("/staff/campaigns/audited/status", data={"csrf_token": token, "to": "closed"})

    admin = staff_client("admin")
    page = admin.get("/staff/admin/audit")
    text = " ".join(page.text.split())
    for label in (
        "Campaign created",
        "Campaign opened",
        "Personal links exported",
        "Responses exported",
        "Campaign closed",
    ):
        assert label in text
    assert "participation@example.org" in text
    today = datetime.now(UTC).strftime("%-d %b %Y")
    assert today in text or (datetime.now(UTC) + timedelta(hours=1)).strftime("%-d %b %Y") in text


def test_filters_by_action_person_campaign_and_date(app, staff_client, make_user):
    admin = staff_client("admin")
    with app.app_context():
        worker = db.session.scalar(select(User).where(User.email == "admin@example.org"))
        db.session.add_all(
            [
                AuditEvent(
                    user_id=worker.id,
                    action="campaign_opened",
                    target="alpha",
                    at=datetime(2026, 3, 1, 10, tzinfo=UTC),
                ),
                AuditEvent(
                    user_id=worker.id,
                    action="campaign_closed",
                    target="alpha",
                    at=datetime(2026, 3, 20, 10, tzinfo=UTC),
                ),
                AuditEvent(
                    user_id=None,
                    action="campaign_opened",
                    target="beta",
                    at=datetime(2026, 3, 31, 23, 30, tzinfo=UTC),
                ),  # 1 April in BST
            ]
        )
        db.session.commit()
        admin_id = worker.id

    def targets(**query):
        page = admin.get("/staff/admin/audit", query_string=query)
        assert page.status_code == 200, page.text[:300]
        return [(a, t) for a, t in _rows(page.text)]

    assert targets(action="campaign_opened") == [
        ("Campaign opened", "beta"),
        ("Campaign opened", "alpha"),
    ]
    assert targets(target="BET") == [("Campaign opened", "beta")]
    assert ("Campaign closed", "alpha") in targets(user=str(admin_id))
    assert ("Campaign opened", "beta") not in targets(user=str(admin_id))
    assert targets(date_from="2026-04-01", date_to="2026-04-01", action="campaign_opened") == [
        ("Campaign opened", "beta")
    ]
    assert targets(date_from="2026-03-02", date_to="2026-03-31") == [("Campaign closed", "alpha")]

    bad = admin.get(
        "/staff/admin/audit", query_string={"date_from": "2026-04-02", "date_to": "2026-04-01"}
    )
    assert bad.status_code == 400
    assert (
        "The &#39;to&#39; date must be the same as or after the &#39;from&#39; date" in bad.text
        or "The 'to' date must be the same as or after the 'from' date" in bad.text
    )

    exported = admin.get("/staff/admin/audit.csv", query_string={"target": "alpha"})
    rows = list(csv.DictReader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert [(r["action"], r["target"]) for r in rows] == [
        ("campaign_closed", "alpha"),
        ("campaign_opened", "alpha"),
    ]
    with app.app_context():
        assert (
            db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc()))
            == "audit_exported"
        )


def test_only_admins_see_the_audit_log(staff_client):
    for role in ("participation", "qa_reviewer", "complaints", "safeguarding"):
        assert staff_client(role).get("/staff/admin/audit").status_code == 403


def _rows(html: str) -> list[tuple[str, str]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    table = soup.find("table")
    if table is None:
        return []
    return [
        (cells[2].get_text(strip=True), cells[3].get_text(strip=True))
        for cells in (tr.find_all("td") for tr in table.find("tbody").find_all("tr"))
        if cells[2].get_text(strip=True) != "Signed in"
    ]


def _stored_answer(app, make_campaign, reference: str) -> tuple[str, int]:
    """A sent answer in campaign "heard-here" with a flag on it; its flag's id."""
    from survey.models import Answer, Campaign, Response, SafeguardingFlag, utcnow

    make_campaign("heard-here")
    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "heard-here"))
        response = Response(
            reference=reference,
            campaign_id=campaign.id,
            questionnaire_id=campaign.questionnaire_id,
            questionnaire_version=campaign.questionnaire_version,
            started_at=utcnow(),
            submitted_at=utcnow(),
            answers=[Answer(question_id="worry-text", answer_type="free_text", value="worried")],
        )
        db.session.add(response)
        db.session.flush()
        flag = SafeguardingFlag(
            category="physical_abuse",
            reason="test",
            response_id=response.id,
            campaign_id=campaign.id,
            question_ids=["worry-text"],
        )
        db.session.add(flag)
        db.session.commit()
        return campaign.slug, flag.id


def test_a_search_by_answer_reference_finds_every_view_of_its_words(
    app, staff_client, make_campaign
):
    """Given an answer viewed on its own page and on its flag's page, when the admin searches
    the log for its reference, then both views are found, with who looked."""
    slug, flag_id = _stored_answer(app, make_campaign, "HRD-3BUK-739C")
    with app.app_context():  # another answer's view is not found
        db.session.add(
            AuditEvent(user_id=None, action="response_viewed", target=slug, detail="HRD-OTHER-0001")
        )
        db.session.commit()
    worker = staff_client("participation")
    assert worker.get(f"/staff/campaigns/{slug}/responses/HRD-3BUK-739C").status_code == 200
    lead = staff_client("safeguarding")
    assert lead.get(f"/staff/safeguarding/{flag_id}").status_code == 200

    admin = staff_client("admin")
    page = admin.get("/staff/admin/audit", query_string={"target": "hrd-3buk-739c"})
    assert page.status_code == 200
    found = _rows(page.text)
    assert ("Raw response viewed", slug) in found
    assert any(action != "Raw response viewed" for action, _ in found)  # the flag view
    assert len(found) == 2, found
    text = " ".join(page.text.split())
    assert "participation@example.org" in text and "safeguarding@example.org" in text
    assert "Downloads of answers are logged per campaign" in text  # and where to look

    exported = admin.get("/staff/admin/audit.csv", query_string={"target": "HRD-3BUK-739C"})
    rows = list(csv.DictReader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert sorted(r["action"] for r in rows) == ["flag_viewed", "response_viewed"]


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "2026-13-01"},
        {"date_to": "yesterday"},
        {"date_from": "2026-04-02", "date_to": "2026-04-01"},
    ],
)
def test_an_impossible_date_filter_lists_and_exports_nothing(app, staff_client, query):
    admin = staff_client("admin")
    with app.app_context():
        db.session.add(AuditEvent(user_id=None, action="campaign_opened", target="alpha"))
        db.session.commit()

    page = admin.get("/staff/admin/audit", query_string=query)
    assert page.status_code == 400
    assert _rows(page.text) == []
    assert "Download these events" not in page.text

    exported = admin.get("/staff/admin/audit.csv", query_string=query)
    assert exported.status_code == 400
    assert exported.mimetype == "text/plain"
    assert "alpha" not in exported.get_data(as_text=True)
    assert "date" in exported.get_data(as_text=True).lower()
    with app.app_context():
        assert not db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "audit_exported")
        ).all()


def test_the_csv_gives_uk_time_with_its_offset_and_a_label_beside_each_code(app, staff_client):
    """Given events in winter and in summer time, when the admin downloads the log, then each
    time is UK time with its offset, and each action has its written label beside its code."""
    admin = staff_client("admin")
    with app.app_context():
        db.session.add_all(
            [
                AuditEvent(
                    action="sign_in_code_refused",
                    target="winter",
                    at=datetime(2026, 1, 15, 10, tzinfo=UTC),
                ),
                AuditEvent(
                    action="sso_linked",
                    target="summer",
                    at=datetime(2026, 3, 31, 23, 30, tzinfo=UTC),  # 1 April, 00:30 BST
                ),
            ]
        )
        db.session.commit()

    exported = admin.get("/staff/admin/audit.csv", query_string={"date_to": "2026-04-30"})

    assert exported.status_code == 200
    reader = csv.DictReader(io.StringIO(exported.data.decode("utf-8-sig")))
    assert reader.fieldnames == ["at_uk_time", "who", "action", "action_label", "target", "detail"]
    rows = {r["target"]: r for r in reader}
    assert rows["summer"]["at_uk_time"] == "2026-04-01T00:30:00+01:00"
    assert rows["winter"]["at_uk_time"] == "2026-01-15T10:00:00+00:00"
    assert rows["winter"]["action"] == "sign_in_code_refused"
    assert rows["winter"]["action_label"] == "Sign-in refused: wrong code from the app"
    assert rows["summer"]["action_label"] == "Account linked to a council sign-in"


def test_the_page_shows_written_labels_for_sign_in_and_account_events(app, staff_client):
    admin = staff_client("admin")
    with app.app_context():
        for action in ("sign_in_code_refused", "sso_refused", "two_factor_enrolled"):
            db.session.add(AuditEvent(action=action, target=action))
        db.session.commit()

    page = admin.get("/staff/admin/audit")

    shown = dict((target, label) for label, target in _rows(page.text))
    assert shown["sign_in_code_refused"] == "Sign-in refused: wrong code from the app"
    assert shown["sso_refused"] == "Council sign-in refused"
    assert shown["two_factor_enrolled"] == "Second factor set up"
