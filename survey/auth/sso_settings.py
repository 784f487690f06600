"""Single sign-on settings, read from the environment through ``survey.config`` and checked
at start: a wrong one stops Heard starting, with what is wrong, rather than locking staff out.
No app is needed, so the configuration check can use it before one exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from survey.models.staff import Role

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
