"""Emails that carry a set-password link: an invitation, or a reset the person asked for.

They go through the same SMTP or GOV.UK Notify settings as safeguarding alerts
(``survey/alerts/channels.py``). The link is built from HEARD_BASE_URL (or SERVER_NAME),
never from the request's Host header: otherwise anyone could ask for a reset of someone
else's account with their own site in the Host header, and the email would carry the
token there.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from survey.alerts import channels
from survey.alerts.channels import Message, SendError
from survey.extensions import db
from survey.models import User
from survey.urls import site_address, staff_link

from .services import record

log = logging.getLogger(__name__)
# One reset decided at a time in this process, so five asks at once still send three links.
_RESETS = threading.Lock()


def _gaps() -> list[str]:
    """The settings Heard lacks to email a working link: an email service and the site's
    address (HEARD_BASE_URL, or SERVER_NAME)."""
    config = current_app.config
    gaps = []
    if channels.routes(config)["email"] is None:
        notify_only = config.get("NOTIFY_API_KEY") and not config.get("SMTP_URL")
        gaps.append("notify_email_template" if notify_only else "email_service")
    if not site_address():
        gaps.append("base_url")
    return gaps


def ready() -> bool:
    """Whether Heard can email a working link: an email service and the site's address."""
    return not _gaps()


def missing() -> list[str]:
    """What to set so that Heard can email links, each naming its setting. For
    administrators' pages only: the public forgot-password page names no configuration."""
    words = {
        "email_service": _(
            "No email service is set up: set HEARD_SMTP_URL, or GOV.UK Notify's "
            "HEARD_NOTIFY_API_KEY and HEARD_NOTIFY_EMAIL_TEMPLATE."
        ),
        "notify_email_template": _(
            "HEARD_NOTIFY_EMAIL_TEMPLATE is not set: GOV.UK Notify sends email only from "
            "a template (the README gives its wording)."
        ),
        "base_url": _(
            "HEARD_BASE_URL is not set: links in emails need it. Set it to the address "
            "staff reach Heard at, for example https://heard.council.gov.uk."
        ),
    }
    return [str(words[gap]) for gap in _gaps()]


def link_message(user: User, token: str, purpose: str, hours: float) -> Message:
    link = staff_link("auth.set_password_page", token=token)
    if purpose == "invite":
        subject = _("You have been invited to Heard")
        opening = _(
            "%(name)s, an administrator has made you a Heard account. Choose your password "
            "with this link:",
            name=user.name,
        )
    elif purpose == "renewed":
        subject = _("Set a new password for Heard")
        opening = _(
            "%(name)s, an administrator has made you a new link to choose your Heard password:",
            name=user.name,
        )
    else:
        subject = _("Set a new password for Heard")
        opening = _(
            "Someone, probably you, asked to set a new password for %(email)s:", email=user.email
        )
    closing = ngettext(
        "The link works once, within %(num)d hour. If you did not expect this email, "
        "ignore it: nothing changes until the link is used.",
        "The link works once, within %(num)d hours. If you did not expect this email, "
        "ignore it: nothing changes until the link is used.",
        int(hours),
    )
    body = f"{opening}\n\n{link}\n\n{closing}\n"
    return Message(subject=subject, body=body, short=f"{subject}: {link}")


def send_link(user: User, token: str, purpose: str, hours: float) -> str:
    """Send now; "smtp" or "notify", or SendError with what went wrong."""
    if not ready():
        raise SendError(" ".join(missing()))
    message = link_message(user, token, purpose, hours)
    return channels.send(current_app.config, "email", user.email, message, f"password-{purpose}")


def reset_later(email: str, address: str) -> None:
    """Someone asked for a reset link for ``email``: decide and send from a thread.

    Whether an account exists never shows in the asker's answer, nor in its time. The token
    lives only in the thread's memory (never in a queue); if the send fails it is logged
    and audited, and the person can simply ask again.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    threading.Thread(target=_reset_in, args=(app, email, address), daemon=True).start()


def _reset_in(app: Flask, email: str, address: str) -> None:
    from .accounts import RESET_HOURS, RESETS_PER_HOUR, issue_reset, recent_resets, user_by_email
    from .sso import password_refusal

    # A request context of its own (the asker's has ended): translations and url_for need
    # one; its address is the site's own (SERVER_NAME), never the asker's Host header.
    with app.test_request_context(), _RESETS:
        user_id = None
        try:
            user = user_by_email(email)
            # No link for an account whose password cannot be used (single sign-on, or not
            # a break-glass administrator when passwords are switched off).
            if user is None or not user.active or password_refusal(email) is not None:
                return
            if recent_resets(user) >= RESETS_PER_HOUR:
                return
            user_id = user.id
            token = issue_reset(user, None, RESET_HOURS)
            record(user.id, "password_reset_asked", user.email, address)
            send_link(user, token, "reset", RESET_HOURS)
        except SendError as error:
            log.warning("password email for user %s not sent: %s", user_id, error)
            record(user_id, "password_email_failed", "", str(error)[:500])
        except Exception:  # noqa: BLE001 - logged; the person can ask again
            db.session.rollback()
            log.exception("password email for user %s not sent", user_id)
        finally:
            db.session.remove()
