"""Record keys for the summary's perturbed counts (``analysis.perturb``, decision 0014).

A record's key is a keyed hash of its id. The key comes from ``HEARD_CELL_KEY_SECRET``, or
else from ``SECRET_KEY``: without it nobody can work out a cell's adjustment, and with it
fixed every figure stays the same from one day to the next. Changing it changes the
adjustments, and figures read before and after could then be averaged: set
``HEARD_CELL_KEY_SECRET`` once if ``SECRET_KEY`` is ever rotated.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from flask import current_app

from analysis.perturb import record_key


def _secret() -> bytes:
    own = current_app.config.get("CELL_KEY_SECRET") or ""
    if own:
        return hashlib.blake2b(own.encode(), digest_size=32).digest()
    base = str(current_app.config.get("SECRET_KEY") or "")
    return hashlib.blake2b(base.encode(), key=b"heard cell keys", digest_size=32).digest()


def perturbing() -> bool:
    """Whether counts are perturbed (``HEARD_PERTURB_COUNTS``, on unless set to 0)."""
    return bool(current_app.config.get("PERTURB_COUNTS", True))


def record_keys(kind: str, ids: Iterable[int]) -> list[int]:
    """The keys of the records of one kind ("answer", "response") with these ids."""
    secret = _secret()
    return [record_key(secret, f"{kind}:{i}") for i in ids]
