"""Issue 17, part 3: "Copy this campaign" carries over the questionnaire (its newest
version), languages, groups, team and audience, as a draft with new dates and links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select
from staff_seed import add_link, audit_actions, new_campaign

from survey.extensions import db
from survey.models import Campaign, CampaignLink, CampaignStatus, LinkKind


def _form_data(html: str) -> dict[str, object]:
    """What a browser would send back from the copy form, as the page filled it."""
    form = BeautifulSoup(html, "html.parser").select_one("form[action$='/copy']")
    data: dict[str, object] = {}
    for field in form.select("input, select, textarea"):
        name = field.get("name")
        if not name or field.get("type") == "submit":
            continue
        if field.name == "select":
            chosen = [o["value"] for o in field.select("option[selected]")]
            data[name] = chosen if field.has_attr("multiple") else (chosen or [""])[0]
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, [])
                data[name].append(field.get("value", "y"))  # type: ignore[union-attr]
        else:
            data[name] = field.get("value", field.text)
    return data


def test_copying_last_years_campaign_keeps_its_setup_with_the_newest_version(
    app, versioned, staff_client
):
    last_year = datetime.now(UTC) - timedelta(days=380)
    source_id = new_campaign(
        app,
        "wellbeing-2025",
        last_year,
        last_year + timedelta(days=30),
        questionnaire_id="example-versioned",
        questionnaire_version=1,
        team="Children in care team",
        audience="children in care 11-17",
        status="closed",
    )
    add_link(app, source_id, label="Foster carers' children", cohort_size=12)
    add_link(app, source_id, label="Residential homes", cohort_size=7)
    worker = staff_client("participation")
    assert "Copy this campaign" in worker.get("/staff/campaigns/wellbeing-2025").text
    page = worker.get("/staff/campaigns/wellbeing-2025/copy")
    assert page.status_code == 200
    data = _form_data(page.text)
    assert data["slug"] == "wellbeing-2025-copy"
    data["slug"] = "wellbeing-2026"
    answer = worker.post("/staff/campaigns/wellbeing-2025/copy", data=data)
    assert answer.status_code == 302, answer.text[:3000]
    with app.app_context():
        copy = db.session.scalar(select(Campaign).where(Campaign.slug == "wellbeing-2026"))
        assert (copy.questionnaire_id, copy.questionnaire_version) == ("example-versioned", 2)
        assert copy.status == CampaignStatus.DRAFT
        assert (copy.team, copy.audience) == ("Children in care team", "children in care 11-17")
        assert copy.opens_at > datetime.now(UTC)
        assert copy.closes_at - copy.opens_at == timedelta(days=30)
        groups = db.session.scalars(
            select(CampaignLink).where(
                CampaignLink.campaign_id == copy.id, CampaignLink.kind == LinkKind.GROUP
            )
        ).all()
        assert sorted((g.label, g.cohort_size) for g in groups) == [
            ("Foster carers' children", 12),
            ("Residential homes", 7),
        ]
        old_codes = set(
            db.session.scalars(
                select(CampaignLink.code).where(CampaignLink.campaign_id == source_id)
            )
        )
        assert not old_codes & {g.code for g in groups}  # new links: old posters open nothing new
    assert ("campaign_copied", "wellbeing-2026") in audit_actions(app)


def test_a_copy_with_a_taken_short_name_says_so_and_keeps_what_was_typed(
    app, versioned, staff_client
):
    now = datetime.now(UTC)
    new_campaign(app, "taken", now, now + timedelta(days=5))
    worker = staff_client("participation")
    data = _form_data(worker.get("/staff/campaigns/taken/copy").text)
    data["slug"], data["title"] = "taken", "A new title"
    answer = worker.post("/staff/campaigns/taken/copy", data=data)
    assert answer.status_code == 400
    assert "already used by another campaign" in answer.text and "A new title" in answer.text
