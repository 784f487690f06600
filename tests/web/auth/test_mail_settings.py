"""When Heard cannot email a set-password link, administrators are told which setting is
missing; the public forgot-password page says only that it cannot send email."""

from __future__ import annotations

import pytest

NO_BASE_URL = "HEARD_BASE_URL is not set: links in emails need it"
NO_SERVICE = "No email service is set up"
PAGES = ("/staff/alerts/", "/staff/admin/users", "/staff/admin/users/new")


@pytest.fixture()
def no_site_address(app, monkeypatch):
    """Neither HEARD_BASE_URL nor SERVER_NAME (the tests' app has SERVER_NAME)."""
    monkeypatch.setitem(app.config, "BASE_URL", "")
    monkeypatch.setitem(app.config, "SERVER_NAME", None)


@pytest.fixture()
def no_mail_service(app, monkeypatch):
    for key in ("SMTP_URL", "NOTIFY_API_KEY", "NOTIFY_EMAIL_TEMPLATE", "NOTIFY_SMS_TEMPLATE"):
        monkeypatch.setitem(app.config, key, "")


def _said(client, path):
    page = client.get(path)
    assert page.status_code == 200, page.text[:300]
    return " ".join(page.text.split())


def test_smtp_without_a_base_url_names_the_missing_setting_to_administrators(
    app, monkeypatch, no_site_address, staff_client, make_user
):
    monkeypatch.setitem(app.config, "SMTP_URL", "smtp://heard:secret@mail.council.example:587")
    admin = staff_client("admin")

    for path in PAGES:
        said = _said(admin, path)
        assert NO_BASE_URL in said, path
        assert NO_SERVICE not in said, path
        assert "secret" not in said  # the SMTP password is never shown

    alerts = _said(admin, "/staff/alerts/")
    assert "an alert gives only the path of the flag's page" in alerts

    public = _said(app.test_client(), "/staff/forgot-password")
    assert "cannot send email" in public
    assert "HEARD_" not in public and "SMTP" not in public
    assert "admin@example.org" not in public  # no administrator named


def test_with_nothing_set_administrators_are_told_both_settings(
    no_site_address, no_mail_service, staff_client
):
    admin = staff_client("admin")

    for path in PAGES:
        said = _said(admin, path)
        assert NO_SERVICE in said and "HEARD_SMTP_URL" in said, path
        assert NO_BASE_URL in said, path


def test_notify_without_its_email_template_names_the_template(
    app, monkeypatch, no_mail_service, staff_client
):
    monkeypatch.setitem(app.config, "NOTIFY_API_KEY", "key-abc")
    admin = staff_client("admin")

    said = _said(admin, "/staff/admin/users")

    assert "HEARD_NOTIFY_EMAIL_TEMPLATE is not set" in said
    assert NO_SERVICE not in said and NO_BASE_URL not in said  # SERVER_NAME is set here


def test_with_mail_and_an_address_nothing_is_said_missing(app, monkeypatch, staff_client):
    monkeypatch.setitem(app.config, "SMTP_URL", "smtp://mail.council.example:587")
    monkeypatch.setitem(app.config, "BASE_URL", "https://heard.council.example")
    admin = staff_client("admin")

    for path in PAGES:
        said = _said(admin, path)
        assert NO_BASE_URL not in said and NO_SERVICE not in said, path
        assert "Heard cannot email set-password links" not in said, path
    assert "https://heard.council.example" in _said(admin, "/staff/alerts/")
    assert 'name="email"' in app.test_client().get("/staff/forgot-password").text
