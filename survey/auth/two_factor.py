"""A second factor for local accounts: time-based one-time codes (RFC 6238) and recovery codes.

An authenticator app (Microsoft Authenticator, Google Authenticator, 1Password...) shows a
six-digit code that changes every 30 seconds. A code is accepted within one step either
side (clock drift), and never twice: the last accepted time step is stored, so a code read
over someone's shoulder cannot be used again in its window. Recovery codes are for a lost
phone: ten, shown once, stored as SHA-256 (each has 50 random bits, so a fast hash is
enough; a slow one would protect nothing more).

Single sign-on accounts are not asked: the council's identity provider holds their second
factor.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from sqlalchemy import delete, or_, select, update

from survey.extensions import db
from survey.models import RecoveryCode, Setting, User, utcnow

ISSUER = "Heard"
RECOVERY_CODES = 10
#: Crockford's base 32: no I, L, O or U, so a code read aloud or from paper is typed right.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REQUIRED_KEY = "require_two_factor"


def now() -> float:
    """The clock codes are checked against (tests move it on by whole steps)."""
    return time.time()


def new_secret() -> str:
    return pyotp.random_base32()


def derived_secret(key: str, nonce: str, user_id: int) -> str:
    """A 160-bit secret from the server's key, a nonce and the account (RFC 4226's size)."""
    digest = hmac.new(key.encode(), f"totp-setup:{user_id}:{nonce}".encode(), "sha256").digest()
    return base64.b32encode(digest[:20]).decode()


def grouped(secret: str) -> str:
    """The secret in fours, for someone typing it into their app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def setup_qr(user: User, secret: str) -> str:
    """An inline SVG QR code of the otpauth:// address the app scans."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    qr = segno.make(uri, error="m")
    svg: str = qr.svg_inline(scale=4, border=4)
    return svg


def _clean_code(code: str) -> str:
    return "".join(ch for ch in code if ch.isalnum()).upper()


def _matching_step(secret: str, code: str, at: float | None = None) -> int | None:
    """The time step whose code is ``code`` (this one or one either side), else None."""
    code = _clean_code(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    step = int((now() if at is None else at) // totp.interval)
    for candidate in (step, step - 1, step + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def code_fits(secret: str, code: str) -> bool:
    """Whether ``code`` is right for a secret being set up (nothing is stored)."""
    return _matching_step(secret, code) is not None


def check(user: User, code: str, at: float | None = None) -> str | None:
    """ "totp" or "recovery" when ``code`` lets ``user`` in (and is then used up), else None.

    The time step is claimed with a guarded update, so two requests racing with the same
    code cannot both get in.
    """
    secret = user.totp_secret
    if not secret:
        return None
    step = _matching_step(secret, code, at)
    if step is not None:
        claimed = db.session.execute(
            update(User)
            .where(
                User.id == user.id,
                or_(User.totp_last_step.is_(None), User.totp_last_step < step),
            )
            .values(totp_last_step=step)
        )
        db.session.commit()
        won = bool(claimed.rowcount == 1)  # type: ignore[attr-defined]
        return "totp" if won else None
    return "recovery" if _use_recovery_code(user, code) else None


def _digest(code: str) -> str:
    return hashlib.sha256(_clean_code(code).encode()).hexdigest()


def _use_recovery_code(user: User, code: str) -> bool:
    if len(_clean_code(code)) != 10:
        return False
    used = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _digest(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    db.session.commit()
    return bool(used.rowcount == 1)  # type: ignore[attr-defined]


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh codes (earlier ones stop working); shown once, only their hashes kept."""
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(code)) for code in codes)
    db.session.commit()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def recovery_codes_left(user: User) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


def enrol(user: User, secret: str, code: str) -> list[str] | None:
    """Turn the second factor on with ``secret`` if ``code`` proves the app has it; the new
    recovery codes, or None when the code is wrong."""
    step = _matching_step(secret, code)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_last_step = step  # the code just typed cannot be used to sign in
    db.session.commit()
    return new_recovery_codes(user)


def turn_off(user: User) -> None:
    """No second factor (the person lost their phone and codes; an admin resets it)."""
    user.totp_secret = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.commit()


def required() -> bool:
    """Whether an administrator requires a second factor for every local account."""
    setting = db.session.get(Setting, REQUIRED_KEY)
    return setting is not None and setting.value == "yes"


def set_required(value: bool, by: User) -> bool:
    """Record the administrator's choice; False when it was already so."""
    if value == required():
        return False
    setting = db.session.get(Setting, REQUIRED_KEY)
    if setting is None:
        setting = Setting(key=REQUIRED_KEY)
        db.session.add(setting)
    setting.value = "yes" if value else "no"
    setting.updated_by_id = by.id
    db.session.commit()
    return True
