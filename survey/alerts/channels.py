"""Sending one alert: email by SMTP or GOV.UK Notify, text messages by GOV.UK Notify.

Every failure (refused, 4xx or 5xx from Notify, a timeout, nothing configured) is raised
as ``SendError`` with a message an admin can act on; the caller keeps the alert and retries.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

TIMEOUT_SECONDS = 15
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_PHONE = re.compile(r"^\+?[0-9]{10,15}$")


@dataclass(frozen=True)
class Message:
    subject: str
    body: str  # an email's text
    short: str  # a text message's (160 characters or fewer where it can be)


class SendError(Exception):
    """A message was not sent; the text says why, for the admin who must fix it."""


def channel_of(recipient: str) -> str | None:
    """ "email" or "sms" for an address or a mobile number, None for neither."""
    value = recipient.strip()
    if _EMAIL.match(value):
        return "email"
    if _PHONE.match(re.sub(r"[\s()-]", "", value)):
        return "sms"
    return None


def routes(config: Mapping[str, Any]) -> dict[str, str | None]:
    """How each channel is sent with this configuration: Notify, SMTP or not at all."""
    notify = bool(config.get("NOTIFY_API_KEY"))
    email = None
    if notify and config.get("NOTIFY_EMAIL_TEMPLATE"):
        email = "notify"
    elif config.get("SMTP_URL"):
        email = "smtp"
    sms = "notify" if notify and config.get("NOTIFY_SMS_TEMPLATE") else None
    return {"email": email, "sms": sms}


def configured(config: Mapping[str, Any]) -> bool:
    return any(routes(config).values())


def send(
    config: Mapping[str, Any], channel: str, recipient: str, message: Message, reference: str
) -> str:
    """Send one message; returns how it went ("smtp" or "notify"), or raises SendError."""
    return send_for_id(config, channel, recipient, message, reference)[0]


def send_for_id(
    config: Mapping[str, Any], channel: str, recipient: str, message: Message, reference: str
) -> tuple[str, str]:
    """Send one message; returns how it went and Notify's id for it ("" by SMTP)."""
    via = routes(config).get(channel)
    if via is None:
        if channel == "sms":
            raise SendError(
                "No text message service: set HEARD_NOTIFY_API_KEY and HEARD_NOTIFY_SMS_TEMPLATE"
            )
        raise SendError("No email service: set HEARD_SMTP_URL, or GOV.UK Notify's settings")
    if via == "smtp":
        send_smtp(str(config["SMTP_URL"]), str(config.get("MAIL_FROM")), recipient, message)
        return via, ""
    return via, send_notify(config, channel, recipient, message, reference)


def smtp_parts(url: str) -> tuple[SplitResult, int]:
    """HEARD_SMTP_URL taken apart, or SendError saying what is wrong with it."""
    shape = "HEARD_SMTP_URL must look like smtp://user:password@host:587"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise SendError(f"{shape} ({error})") from error
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise SendError(shape)
    return parts, port or (465 if parts.scheme == "smtps" else 587)


def send_smtp(url: str, sender: str, recipient: str, message: Message) -> None:
    """One email through the server in ``url`` (smtp://user:pass@host:587 or smtps://...).

    smtp:// upgrades with STARTTLS whenever the server offers it, and refuses to send a
    password to a server that does not; smtps:// is TLS from the start.
    """
    parts, port = smtp_parts(url)
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = recipient
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain="heard.invalid")
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.body)
    context = ssl.create_default_context()
    user, password = unquote(parts.username or ""), unquote(parts.password or "")
    host = str(parts.hostname)
    try:
        if parts.scheme == "smtps":
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=TIMEOUT_SECONDS, context=context
            )
        else:
            server = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
        with server:
            server.ehlo()
            if parts.scheme == "smtp" and server.has_extn("starttls"):
                server.starttls(context=context)
                server.ehlo()
            elif parts.scheme == "smtp" and user:
                raise SendError(f"{host} offers no STARTTLS: the password is not sent in clear")
            if user:
                server.login(user, password)
            server.send_message(mail)
    except SendError:
        raise
    except smtplib.SMTPRecipientsRefused as error:
        refusals = "; ".join(
            f"{code} {raw.decode(errors='replace')}" for code, raw in error.recipients.values()
        )
        raise SendError(f"The mail server refused the address: {refusals}") from error
    except smtplib.SMTPResponseException as error:
        raw = error.smtp_error
        detail = raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw or "")
        raise SendError(f"The mail server refused: {error.smtp_code} {detail}".strip()) from error
    except (smtplib.SMTPException, OSError) as error:
        raise SendError(f"The mail server could not be reached: {error}") from error


def notify_client(config: Mapping[str, Any]) -> Any:
    """GOV.UK Notify's official Python client for this configuration."""
    from notifications_python_client.notifications import NotificationsAPIClient

    try:
        return NotificationsAPIClient(  # type: ignore[no-untyped-call]
            str(config["NOTIFY_API_KEY"]),
            base_url=str(config.get("NOTIFY_BASE_URL")),
            timeout=TIMEOUT_SECONDS,
        )
    except AssertionError as error:  # the client checks the key's shape this way
        raise SendError("HEARD_NOTIFY_API_KEY is not a GOV.UK Notify API key") from error


def notify_call(call: Any, *args: Any, **kwargs: Any) -> Any:
    """One call to Notify's client; every failure a SendError saying what happened."""
    from notifications_python_client.errors import HTTPError
    from requests import RequestException

    try:
        return call(*args, **kwargs)
    except HTTPError as error:
        if error.response is None:  # the client's word for a timeout or a refused connection
            raise SendError(
                f"GOV.UK Notify could not be reached: {error.__cause__ or error}"
            ) from error
        raise SendError(f"GOV.UK Notify answered {error.status_code}: {error.message}") from error
    except RequestException as error:
        raise SendError(f"GOV.UK Notify could not be reached: {error}") from error


def send_notify(
    config: Mapping[str, Any], channel: str, recipient: str, message: Message, reference: str
) -> str:
    """One email or text message through GOV.UK Notify; returns Notify's id for it."""
    client = notify_client(config)
    if channel == "sms":
        reply = notify_call(
            client.send_sms_notification,
            phone_number=recipient,
            template_id=str(config["NOTIFY_SMS_TEMPLATE"]),
            personalisation={"body": message.short},
            reference=reference,
        )
    else:
        reply = notify_call(
            client.send_email_notification,
            email_address=recipient,
            template_id=str(config["NOTIFY_EMAIL_TEMPLATE"]),
            personalisation={"subject": message.subject, "body": message.body},
            reference=reference,
        )
    return str((reply or {}).get("id", ""))
