"""Subject access for staff: the account and everything that points at it, secrets withheld."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.conftest import STAFF_PASSWORD, sign_in


def test_export_staff_gives_the_account_its_audit_trail_and_campaigns(
    app, client, make_user, heard, make_campaign, tmp_path
):
    from survey.extensions import db
    from survey.models import Campaign, User

    email = make_user("participation")
    sign_in(client, email)
    make_campaign("theirs")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.execute(Campaign.__table__.update().values(created_by_id=user.id))
        db.session.commit()

    out = tmp_path / "sar.json"
    result = heard("export-staff", email.upper(), "--output", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["account"]["email"] == email
    assert [g["role"] for g in data["held"]["staff_user_role"]] == ["participation"]
    assert data["account"]["password_hash"].startswith("(held, not shown")
    assert "sign_in" in [e["action"] for e in data["held"]["audit_event"]]
    assert [c["slug"] for c in data["held"]["campaign"]] == ["theirs"]
    assert STAFF_PASSWORD not in out.read_text() and "$argon2" not in out.read_text()
    assert out.stat().st_mode & 0o777 == 0o600

    again = json.loads(heard("export-staff", email).output)  # to standard output
    assert "subject_access_export" in [e["action"] for e in again["held"]["audit_event"]]


def test_export_staff_for_an_unknown_email_says_so(heard):
    result = heard("export-staff", "nobody@example.org")
    assert result.exit_code != 0
    assert "No staff account for nobody@example.org" in result.output
