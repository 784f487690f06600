"""What every step of the respondent's journey shares: its error, its clock and its codes.

The other modules call ``journey.now()`` through this module, not a copy of the name, so a
test that moves the clock (``monkeypatch.setattr(journey, "now", ...)``) moves it for the
whole journey at once: the time a confirmation or a code was stored and the time it is
read again come from the same clock.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from survey.models import utcnow

# No 0/O, 1/I/L, 5/S, 2/Z: codes are read off a screen and typed back on a phone.
CODE_ALPHABET = "346789ABCDEFGHJKMNPQRTUVWXY"


class JourneyError(Exception):
    """Why a person cannot go on; ``kind`` picks the page shown to them."""

    def __init__(self, kind: str, opens_at: datetime | None = None) -> None:
        super().__init__(kind)
        self.kind = kind
        self.opens_at = opens_at  # a scheduled campaign's page says when it opens


def now() -> datetime:
    return utcnow()


def short_code(length: int = 8) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def hash_code(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"
