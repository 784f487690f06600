"""Single sign-on through the council's OpenID Connect provider (Microsoft Entra ID or any
other): the Authlib client, what each refusal tells the person, and which account a
verified ID token signs in to. Settings and the group-to-role mapping are in
``sso_settings``; the redirects in ``sso_views``.

Accounts are matched by (issuer, subject), never by email: an email address can be
reassigned or typed by anyone into a provider's profile, a subject id cannot. The provider
is the source of truth for roles: they are set again from the groups at every sign-in, so
someone removed from a group loses that role at their next sign-in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from survey.extensions import db
from survey.models import AuditEvent, Role, User, utcnow

from .accounts import UNUSABLE_PASSWORD, roles_words
from .services import record
from .sso_settings import PROVIDER_TIMEOUT, SettingError, SsoSettings, roles_for, settings_from

__all__ = ["SettingError", "SsoSettings", "account_for", "password_refusal", "settings_from"]

CLIENT_NAME = "council"
#: How a refusal names the provider's account in the audit log (``sso_link`` reads it back).
WHO = "issuer {issuer}, subject {subject}"


def init_app(app: Flask) -> None:
    """Register the provider with Authlib, only when single sign-on is set. One OAuth object
    per app (not a module global): Authlib keeps one app and caches its clients."""
    settings = settings_from(app.config)
    app.extensions["heard.sso"] = settings
    if settings is None:
        return
    from authlib.integrations.flask_client import OAuth

    from .sso_link import link_command

    app.cli.add_command(link_command)
    oauth = OAuth(app)
    app.extensions["heard.sso.client"] = oauth.register(
        CLIENT_NAME,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        server_metadata_url=settings.discovery_url,
        client_kwargs={
            "scope": "openid email profile",
            "code_challenge_method": "S256",
            # OIDC_TIMEOUT_SECONDS is for the tests (a provider that never answers)
            "default_timeout": float(app.config.get("OIDC_TIMEOUT_SECONDS") or PROVIDER_TIMEOUT),
        },
    )


def current_settings() -> SsoSettings | None:
    return current_app.extensions.get("heard.sso")


def client() -> Any:
    return current_app.extensions["heard.sso.client"]


# Refusals: what the person is told (title, what to do), the status, and the audit reason.
AGAIN = (
    _l("Your council sign-in could not be completed"),
    _l(
        "The sign-in was already used, or it took too long. Start again from the sign-in page. "
        "If this keeps happening, tell the council's IT service desk when it happened."
    ),
)
UNCHECKED = (
    _l("Heard could not check your council sign-in"),
    _l(
        "The answer from the council's sign-in service did not pass Heard's checks, so you are "
        "not signed in. Start again from the sign-in page. If this keeps happening, tell the "
        "council's IT service desk when it happened."
    ),
)
REFUSALS: dict[str, tuple[int, tuple[Any, Any]]] = {
    "state_mismatch": (400, AGAIN),
    "code_refused": (400, AGAIN),
    "id_token_replayed": (400, AGAIN),
    "id_token_expired": (400, AGAIN),
    "no_id_token": (400, UNCHECKED),
    "bad_signature": (400, UNCHECKED),
    "wrong_issuer": (400, UNCHECKED),
    "wrong_audience": (400, UNCHECKED),
    "wrong_nonce": (400, UNCHECKED),
    "bad_id_token": (400, UNCHECKED),
    "provider_unreachable": (
        424,
        (
            _l("The council sign-in service is not answering"),
            _l(
                "Heard could not reach the council's sign-in service. Try again in a few "
                "minutes. If it is still down, tell the council's IT service desk."
            ),
        ),
    ),
    "provider_refused": (
        403,
        (
            _l("The council sign-in did not let you in"),
            _l(
                "The sign-in was cancelled, or your council account may not use Heard. "
                "Ask the council's IT service desk for access to Heard."
            ),
        ),
    ),
    "no_matching_group": (
        403,
        (
            _l("You do not have a role in Heard"),
            _l(
                "Your council account is in none of the groups that give a role in Heard, so "
                "no Heard account was made or kept for it. Ask your manager or the council's "
                "IT service desk to add you to the right group, then sign in again."
            ),
        ),
    ),
    "existing_local_account": (
        403,
        (
            _l("There is already a Heard account with your email address"),
            _l(
                "Heard never joins a council sign-in to an existing account by email alone. "
                "An administrator must link your account to your council sign-in: ask a "
                "Heard administrator to link it, then sign in here again."
            ),
        ),
    ),
    "account_switched_off": (
        403,
        (
            _l("Your Heard account is switched off"),
            _l("Ask a Heard administrator if you need it again."),
        ),
    ),
    "no_email": (
        403,
        (
            _l("Your council account has no email address"),
            _l("Heard needs one to make your account. Ask the council's IT service desk."),
        ),
    ),
}


class Refusal(Exception):
    """A sign-in refused: shown with a 4xx status and written to the audit log."""

    def __init__(
        self, reason: str, detail: str = "", user_id: int | None = None, target: str = ""
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail
        self.user_id = user_id
        self.target = target
        self.status, (self.title, self.advice) = REFUSALS[reason]

    def audit(self) -> None:
        detail = f"{self.reason}: {self.detail}" if self.detail else self.reason
        record(self.user_id, "sso_refused", self.target, detail[:1000])


def _email(claims: Mapping[str, Any]) -> str:
    for key in ("email", "preferred_username", "upn"):
        value = claims.get(key)
        if isinstance(value, str) and "@" in value and len(value) <= 254:
            return value.strip().lower()
    return ""


def account_for(claims: Mapping[str, Any], settings: SsoSettings) -> User:
    """The account a verified ID token signs in to, made at the first sign-in, its roles
    set from the groups. Refusal when there is none to give; no account is ever made then."""
    issuer, subject = str(claims["iss"]), str(claims["sub"])
    roles = roles_for(claims, settings)
    user = db.session.scalar(
        select(User).where(User.sso_issuer == issuer, User.sso_subject == subject)
    )
    if user is None:
        user = _first_sign_in(claims, (issuer, subject), roles, settings)
    elif not user.active:
        raise Refusal("account_switched_off", user_id=user.id, target=user.email)
    else:
        _sync_roles(user, roles)
    user.last_sign_in_at = utcnow()
    db.session.commit()
    return user


def _first_sign_in(
    claims: Mapping[str, Any], who: tuple[str, str], roles: frozenset[Role], settings: SsoSettings
) -> User:
    issuer, subject = who
    email = _email(claims)
    if not email:
        raise Refusal("no_email", detail=f"subject {subject}", target=subject)
    existing = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if existing is not None:
        raise Refusal(
            "existing_local_account",
            detail=WHO.format(issuer=issuer, subject=subject),
            target=email,  # no user id: whoever this is, they are not (yet) that account
        )
    if not roles:
        raise Refusal("no_matching_group", detail=_groups_detail(claims, settings), target=email)
    name = str(claims.get("name") or "").strip()[:120] or email
    user = User(
        email=email,
        name=name,
        password_hash=UNUSABLE_PASSWORD,
        sso_issuer=issuer,
        sso_subject=subject,
    )
    user.roles = roles
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:  # the same person's second tab, a moment earlier
        db.session.rollback()
        raise Refusal("state_mismatch", detail="account made at the same moment") from None
    record(user.id, "sso_account_created", email, f"roles: {roles_words(roles)}")
    return user


def _sync_roles(user: User, roles: frozenset[Role]) -> None:
    """The groups decide: a role whose group the person left goes now; none left, refused."""
    old = user.roles
    if roles != old:
        user.roles = roles
        db.session.commit()
        record(
            user.id, "sso_roles_changed", user.email, f"{roles_words(old)} -> {roles_words(roles)}"
        )
    if not roles:
        raise Refusal(
            "no_matching_group", detail="no role left", user_id=user.id, target=user.email
        )


def _groups_detail(claims: Mapping[str, Any], settings: SsoSettings) -> str:
    value = claims.get(settings.roles_claim)
    return f"{settings.roles_claim}: {value!r}"[:500]


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def remember_token(user: User, raw: str) -> None:
    """Keep the used ID token's digest in the audit log, so a second use is named a replay."""
    record(user.id, "sso_sign_in", user.email, f"id token {token_digest(raw)}")


def seen_before(raw: str) -> bool:
    """True when this ID token has already signed someone in (within a day: ID tokens live
    an hour or so, and an older one fails its expiry check anyway)."""
    since = utcnow() - timedelta(days=1)
    found = db.session.scalar(
        select(AuditEvent.id).where(
            AuditEvent.at > since,
            AuditEvent.action == "sso_sign_in",
            AuditEvent.detail == f"id token {token_digest(raw)}",
        )
    )
    return found is not None


def password_refusal(email: str) -> str | None:
    """None when a password may be tried for ``email``; else what the sign-in page says.

    With single sign-on in break-glass mode only the administrators listed in
    HEARD_BREAK_GLASS_ADMINS may use a password. An account made by single sign-on never
    signs in with a password (its roles come from the provider's groups), in either mode.
    """
    settings = current_settings()
    if settings is None:
        return None
    email = email.strip().lower()
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    linked = user is not None and user.sso_subject is not None
    admin = user is not None and Role.ADMIN in user.roles
    if settings.break_glass and (linked or not (email in settings.break_glass_admins and admin)):
        return str(
            _(
                "Sign in with your council account. Passwords work here only for "
                "break-glass administrators."
            )
        )
    if linked:
        return str(
            _(
                "This account signs in with your council account: use the button "
                "'Sign in with your council account'."
            )
        )
    return None
