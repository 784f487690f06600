"""Single sign-on through the council's OpenID Connect provider (Microsoft Entra ID or any
other): its settings, the mapping from the provider's groups to Heard's roles, and which
account a verified ID token signs in to. The redirects live in ``sso_views``.

Accounts are matched by (issuer, subject), never by email: an email address can be
reassigned or typed by anyone into a provider's profile, a subject id cannot. The provider
is the source of truth for roles: they are set again from the groups at every sign-in, so
someone removed from a group loses that role at their next sign-in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from survey.extensions import db
from survey.models import AuditEvent, Role, User, utcnow

from .accounts import UNUSABLE_PASSWORD, roles_words
from .services import record

CLIENT_NAME = "council"
LOCAL_MODES = ("on", "break-glass")
#: Seconds to wait for the provider (discovery, keys, token): a sign-in page, not a queue.
PROVIDER_TIMEOUT = 5
#: Seconds of clock difference allowed when checking the ID token's times.
LEEWAY = 60
#: Signature algorithms accepted for ID tokens: public-key ones only ("none" and shared-secret
#: algorithms never), whatever the provider's discovery document offers.
SAFE_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


class SettingError(ValueError):
    """A single sign-on setting that would stop staff signing in: refused at start."""


@dataclass(frozen=True)
class SsoSettings:
    issuer: str
    client_id: str
    client_secret: str
    roles_claim: str = "groups"
    role_map: tuple[tuple[str, Role], ...] = ()
    default_role: Role | None = None
    session_hours: float | None = None
    break_glass: bool = False
    break_glass_admins: frozenset[str] = field(default_factory=frozenset)

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"

    @property
    def lifetime(self) -> timedelta | None:
        return timedelta(hours=self.session_hours) if self.session_hours else None


def _text(config: Mapping[str, object], key: str) -> str:
    return str(config.get(key) or "").strip()


def settings_from(config: Mapping[str, object]) -> SsoSettings | None:
    """The single sign-on settings, None when it is off; SettingError saying what is wrong."""
    issuer = _text(config, "OIDC_ISSUER")
    mode = _text(config, "LOCAL_SIGN_IN") or "on"
    if mode not in LOCAL_MODES:
        raise SettingError(f"HEARD_LOCAL_SIGN_IN must be 'on' or 'break-glass', not {mode!r}")
    if not issuer:
        stray = [
            f"HEARD_{key}"
            for key in (
                "OIDC_CLIENT_ID",
                "OIDC_CLIENT_SECRET",
                "OIDC_ROLE_MAP",
                "OIDC_DEFAULT_ROLE",
            )
            if _text(config, key)
        ]
        if mode == "break-glass":
            stray.append("HEARD_LOCAL_SIGN_IN=break-glass")
        if stray:
            raise SettingError(f"{', '.join(stray)} need HEARD_OIDC_ISSUER (single sign-on)")
        return None
    _check_issuer(issuer, production=config.get("ENV_NAME") == "production")
    if config.get("ENV_NAME") == "production" and not _text(config, "BASE_URL"):
        raise SettingError(
            "HEARD_BASE_URL must be set with single sign-on: the provider sends staff back there"
        )
    client_id, secret = _text(config, "OIDC_CLIENT_ID"), _text(config, "OIDC_CLIENT_SECRET")
    if not client_id or not secret:
        raise SettingError(
            "HEARD_OIDC_CLIENT_ID and HEARD_OIDC_CLIENT_SECRET must be set with HEARD_OIDC_ISSUER"
        )
    claim = _text(config, "OIDC_ROLES_CLAIM") or "groups"
    role_map = parse_role_map(_text(config, "OIDC_ROLE_MAP"))
    default = _role(_text(config, "OIDC_DEFAULT_ROLE"), "HEARD_OIDC_DEFAULT_ROLE") or None
    if not role_map and default is None:
        raise SettingError(
            "HEARD_OIDC_ROLE_MAP (or HEARD_OIDC_DEFAULT_ROLE) must be set: without either, "
            "nobody could sign in with the council account"
        )
    admins = frozenset(
        part.strip().lower() for part in _text(config, "BREAK_GLASS_ADMINS").split(",") if part
    )
    if mode == "break-glass" and not admins:
        raise SettingError(
            "HEARD_LOCAL_SIGN_IN=break-glass needs HEARD_BREAK_GLASS_ADMINS (administrators' "
            "emails), or nobody could sign in when the council's provider is down"
        )
    return SsoSettings(
        issuer=issuer,
        client_id=client_id,
        client_secret=secret,
        roles_claim=claim,
        role_map=role_map,
        default_role=default,
        session_hours=_hours(_text(config, "OIDC_SESSION_HOURS")),
        break_glass=mode == "break-glass",
        break_glass_admins=admins,
    )


def _check_issuer(issuer: str, production: bool) -> None:
    parts = urlsplit(issuer)
    local = parts.scheme == "http" and parts.hostname in _LOCAL_HOSTS and not production
    if (
        not parts.hostname
        or parts.query
        or parts.fragment
        or (parts.scheme != "https" and not local)
    ):
        raise SettingError(
            "HEARD_OIDC_ISSUER must be the provider's https address, like "
            f"https://login.microsoftonline.com/<tenant id>/v2.0, not {issuer!r}"
        )


def _role(value: str, setting: str) -> Role | None:
    if not value:
        return None
    try:
        return Role(value)
    except ValueError:
        names = ", ".join(role.value for role in Role)
        raise SettingError(f"{setting}: {value!r} is not a role (roles: {names})") from None


def _hours(value: str) -> float | None:
    if not value:
        return None
    try:
        hours = float(value)
    except ValueError:
        hours = 0
    if not 0 < hours <= 24 * 7:
        raise SettingError(f"HEARD_OIDC_SESSION_HOURS must be a number of hours, not {value!r}")
    return hours


def parse_role_map(text: str) -> tuple[tuple[str, Role], ...]:
    """``"heard-admins=admin,heard-qa=qa_reviewer"``; a group named twice gives two roles."""
    pairs = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        group, sep, role = (piece.strip() for piece in entry.partition("="))
        if not sep or not group or not role:
            raise SettingError(
                f"HEARD_OIDC_ROLE_MAP: {entry!r} must be group=role, like heard-admins=admin"
            )
        pairs.append((group, _role(role, "HEARD_OIDC_ROLE_MAP") or Role.ADMIN))
    return tuple(pairs)


def roles_for(claims: Mapping[str, Any], settings: SsoSettings) -> frozenset[Role]:
    """The Heard roles the token's groups give; the default role when none matches."""
    value = claims.get(settings.roles_claim)
    groups = {value} if isinstance(value, str) else set(value) if isinstance(value, list) else set()
    roles = frozenset(role for group, role in settings.role_map if group in groups)
    if not roles and settings.default_role is not None:
        return frozenset({settings.default_role})
    return roles


def init_app(app: Flask) -> None:
    """Register the provider with Authlib, only when single sign-on is set. One OAuth object
    per app (not a module global): Authlib keeps one app and caches its clients."""
    settings = settings_from(app.config)
    app.extensions["heard.sso"] = settings
    if settings is None:
        return
    from authlib.integrations.flask_client import OAuth

    oauth = OAuth(app)
    app.extensions["heard.sso.client"] = oauth.register(
        CLIENT_NAME,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        server_metadata_url=settings.discovery_url,
        client_kwargs={
            "scope": "openid email profile",
            "code_challenge_method": "S256",
            "default_timeout": PROVIDER_TIMEOUT,
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
                "Heard administrator."
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
            detail=f"issuer {issuer}, subject {subject}",
            user_id=existing.id,
            target=email,
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
        return _(
            "Sign in with your council account. Passwords work here only for "
            "break-glass administrators."
        )
    if linked:
        return _(
            "This account signs in with your council account: use the button "
            "'Sign in with your council account'."
        )
    return None
