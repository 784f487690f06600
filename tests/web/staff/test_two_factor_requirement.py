"""Found in an administrator's trial: requiring a second factor for every account took one
click, though it changes everyone's next sign-in. Turning it on now asks first, saying how
many accounts have yet to set one up; turning it off stays one click."""

from __future__ import annotations

from sqlalchemy import select

from survey.auth import two_factor
from survey.extensions import db
from survey.models import AuditEvent, User
from tests.conftest import csrf_token_from


def _accounts(app, make_user) -> None:
    """The signed-in admin and another local account have no second factor (2); one has
    an app set up, one signs in through the council, one is switched off (none counted)."""
    make_user("qa_reviewer", email="no-app@example.org")
    make_user("participation", email="has-app@example.org")
    make_user("complaints", email="council@example.org")
    make_user("safeguarding", email="left@example.org")
    with app.app_context():
        people = {u.email: u for u in db.session.scalars(select(User))}
        people["has-app@example.org"].totp_secret = two_factor.new_secret()
        people["council@example.org"].sso_subject = "council-123"
        people["left@example.org"].active = False
        db.session.commit()


def _post(admin, **data):
    token = csrf_token_from(admin.get("/staff/admin/users").text)
    return admin.post("/staff/admin/two-factor", data={"csrf_token": token, **data})


def _required(app) -> bool:
    with app.app_context():
        return two_factor.required()


def test_requiring_it_asks_first_with_the_number_not_set_up(app, staff_client, make_user):
    admin = staff_client("admin")
    _accounts(app, make_user)

    asked = _post(admin, required="yes")

    assert asked.status_code == 200
    said = " ".join(asked.text.split())
    assert "2 active accounts sign in with a password and have no second factor yet" in said
    assert "asked to set one up at their next sign-in" in said
    assert "This includes your own account" in said
    assert "council's sign-in are not affected" in said
    assert 'name="confirm" value="yes"' in asked.text
    assert not _required(app)
    with app.app_context():
        assert (
            db.session.scalar(
                select(AuditEvent).where(AuditEvent.action == "two_factor_requirement")
            )
            is None
        )


def test_confirmed_it_is_required_and_turning_it_off_is_one_click(app, staff_client, make_user):
    admin = staff_client("admin")
    _accounts(app, make_user)

    on = _post(admin, required="yes", confirm="yes")

    assert on.status_code == 302 and on.headers["Location"].endswith("/staff/admin/users")
    assert _required(app)
    assert "Required:" in admin.get("/staff/admin/users").text

    off = _post(admin, required="no")

    assert off.status_code == 302
    assert not _required(app)


def test_one_account_is_counted_in_the_singular(app, staff_client):
    admin = staff_client("admin")

    said = " ".join(_post(admin, required="yes").text.split())

    assert "1 active account signs in with a password and has no second factor yet" in said
    assert not _required(app)
