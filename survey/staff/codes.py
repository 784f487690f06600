"""How guessable a personal code is. A code a council types in (a case number, a pupil id)
opens a child's questionnaire to whoever holds it, so it must be as hard to guess as the
random ones Heard makes (128 bits): at least ``MIN_BITS`` by a cautious estimate.

The estimate is the code's length times log2 of the character pool its characters come
from (lower case, upper case, digits, hyphen and underscore), counted only over the part
that differs between the codes given together (``CASE000001``, ``CASE000002``... share
``CASE00000``, so only the last digit counts), and nothing at all for a run of four or more
repeated or consecutive characters (``0000``, ``1234``, ``abcd``).
"""

from __future__ import annotations

import math
import os
import secrets
import string

MIN_BITS = 64

_POOLS = (string.ascii_lowercase, string.ascii_uppercase, string.digits, "-_")


def _pool_bits(text: str) -> float:
    size = sum(len(pool) for pool in _POOLS if any(c in pool for c in text))
    return len(text) * math.log2(size) if size > 1 else 0.0


def _without_runs(text: str) -> str:
    """``text`` with every run of 4+ repeated or consecutive characters taken out."""
    kept: list[str] = []
    start = 0
    while start < len(text):
        end = start + 1
        step = None
        while end < len(text):
            delta = ord(text[end]) - ord(text[end - 1])
            if delta not in (-1, 0, 1) or (step is not None and delta != step):
                break
            step = delta
            end += 1
        if end - start < 4:
            end = start + 1
            kept.append(text[start])
        start = end
    return "".join(kept)


def bits(code: str, batch: list[str] | None = None) -> float:
    """The cautious estimate of ``code``'s entropy, given the other codes in its batch."""
    others = [c for c in (batch or []) if c != code]
    varying = code
    if others:
        group = [code, *others]
        prefix = len(os.path.commonprefix(group))
        suffix = len(os.path.commonprefix([c[::-1] for c in group]))
        varying = code[prefix : max(prefix, len(code) - suffix)]
    return _pool_bits(_without_runs(varying))


def weak(codes: list[str]) -> list[str]:
    """The codes in ``codes`` below MIN_BITS, in order."""
    return [code for code in codes if bits(code, codes) < MIN_BITS]


#: Letters and digits that cannot be mistaken for one another when read aloud, printed or
#: handwritten: none of 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V. 24 symbols, so a code of 16
#: has 16 x log2(24) = 73.4 bits of entropy (at least 64 is required: MIN_BITS).
ALPHABET = "ACDEFGHJKMNPQRTVWXY34679"
GROUPS = 4  # of four characters: ABCD-EFGH-JKMN-PQRT


def random_code() -> str:
    """A new personal code, ``XXXX-XXXX-XXXX-XXXX``: 16 characters from ``ALPHABET``, so
    16 x log2(len(ALPHABET)) bits of entropy (see ``CODE_BITS``), short enough to read
    aloud and type on a phone, and never starting with a character a spreadsheet would
    read as a formula."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * 4))
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))


def _heard_bare(typed: str) -> str | None:
    bare = "".join(typed.split()).replace("-", "").upper()
    return bare if len(bare) == GROUPS * 4 and all(c in ALPHABET for c in bare) else None


def is_heard_shape(typed: str) -> bool:
    """``typed`` is, in some spelling, a code of the shape Heard makes (16 of ``ALPHABET``)."""
    return _heard_bare(typed) is not None


def spellings(typed: str) -> list[str]:
    """The stored forms a typed code may have, exact first: for a code of Heard's shape,
    also the forms a council's typing was stored in before 2026-12-05 (no hyphens, lower
    case). A council's own codes are exact ("CASE-0042" and "CASE0042" may be two
    children)."""
    normal = normal_code(typed)
    found = [typed, normal]
    if is_heard_shape(normal):
        bare = normal.replace("-", "")
        found += [bare, normal.lower(), bare.lower()]
    return list(dict.fromkeys(found))


def normal_code(typed: str) -> str:
    """A code as typed (lower case, spaces, no hyphens) in its stored form, if it is one of
    Heard's own; anything else unchanged (older codes and a council's own are exact)."""
    bare = _heard_bare(typed)
    if bare is not None:
        return "-".join(bare[i : i + 4] for i in range(0, len(bare), 4))
    return typed


CODE_BITS = GROUPS * 4 * math.log2(len(ALPHABET))
