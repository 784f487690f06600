"""Found in an administrator's trial: the account page showed a set-password link to copy
without saying why Heard had not emailed it. It now names what is missing, as the Staff
accounts and Invite pages do."""

from __future__ import annotations

from tests.conftest import csrf_token_from

NO_SERVICE = "No email service is set up: set HEARD_SMTP_URL"
NOT_EMAILED = "Heard cannot email set-password links"


def _no_mail(app, monkeypatch) -> None:
    for key in ("SMTP_URL", "NOTIFY_API_KEY", "NOTIFY_EMAIL_TEMPLATE", "NOTIFY_SMS_TEMPLATE"):
        monkeypatch.setitem(app.config, key, "")


def _invite(admin):
    token = csrf_token_from(admin.get("/staff/admin/users/new").text)
    data = {"csrf_token": token, "name": "Nia New", "email": "nia@example.org"}
    return admin.post("/staff/admin/users/new", data={**data, "roles": "participation"})


def _said(page) -> str:
    return " ".join(page.text.split())


def test_a_link_to_copy_says_mail_is_not_set_up_and_what_to_set(app, monkeypatch, staff_client):
    _no_mail(app, monkeypatch)
    admin = staff_client("admin")

    invited = _invite(admin)
    shown = _said(admin.get(invited.headers["Location"]))

    assert "Send this link to nia@example.org" in shown
    assert NOT_EMAILED in shown and NO_SERVICE in shown
    assert shown.index(NOT_EMAILED) < shown.index("Send this link to")  # why, then the link

    again = _said(admin.get(invited.headers["Location"]))  # the link is shown once
    assert "Send this link to" not in again and NOT_EMAILED not in again


def test_a_new_link_made_on_the_account_page_says_why_too(app, monkeypatch, staff_client):
    _no_mail(app, monkeypatch)
    monkeypatch.setitem(app.config, "BASE_URL", "")
    monkeypatch.setitem(app.config, "SERVER_NAME", None)
    admin = staff_client("admin")
    account = _invite(admin).headers["Location"]
    admin.get(account)  # the invitation's link, seen

    token = csrf_token_from(admin.get(account).text)
    made = admin.post(f"{account}/password", data={"csrf_token": token})
    shown = _said(admin.get(made.headers["Location"]))

    assert "Send this link to" in shown
    assert NO_SERVICE in shown and "HEARD_BASE_URL is not set" in shown
