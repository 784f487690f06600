"""Cell-key perturbation: published counts that cannot be differenced to reveal a person.

Suppression hides a small count, but a user who can choose selections (a date range, a
campaign, a conference type) can subtract one shown count from another: January to March
less January less March is February, however small February is. The ONS protected the
2021 Census tables against exactly this with the cell-key method (after the Australian
Bureau of Statistics' TableBuilder), and Heard uses the same method:

- every record (an answer, a response) has a *record key*, a number from 0 to 255 drawn
  from a keyed hash of its id, so it looks random but never changes;
- a published cell's *cell key* is the sum of its records' keys, modulo 256;
- the cell's count is moved by an *adjustment* that the cell key picks from a fixed table
  (-2 to +2, 0 most often).

The same records always give the same figure, so asking again, or asking for the same
records in another way, averages nothing out. Two selections that differ by a few people
have unrelated adjustments, so their difference no longer says how many people, or which
answers, separate them. Zero stays zero; counts under the threshold are left as they are,
since suppression hides them; a count at or above the threshold is never moved below it.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping
from typing import TypeVar

KEY_SPACE = 256
#: How many of the 256 cell keys give each adjustment: 0 for 102, -1 and +1 for 51 each,
#: -2 and +2 for 26 each (mean 0, variance about 1.2).
_SHARES = {-2: 26, -1: 51, 0: 102, 1: 51, 2: 26}


def _table() -> tuple[int, ...]:
    """The adjustment of each cell key, shuffled by a fixed seed: in runs, one added record
    with a small key would often leave the adjustment as it was, and the difference exact."""
    table = [adjustment for adjustment, n in sorted(_SHARES.items()) for _ in range(n)]
    random.Random(2021).shuffle(table)
    return tuple(table)


ADJUSTMENTS = _table()

K = TypeVar("K")


def record_key(secret: bytes, ident: str) -> int:
    """A record's key, 0 to 255: stable for the record, unpredictable without ``secret``."""
    return hashlib.blake2b(ident.encode(), key=secret[:64], digest_size=1).digest()[0]


def cell_key(keys: Iterable[int]) -> int:
    """The key of a cell holding records with these keys."""
    return sum(keys) % KEY_SPACE


def perturb(count: int, key: int, threshold: int) -> int:
    """The count to publish for a cell of ``count`` records whose cell key is ``key``."""
    if count < threshold:
        return count  # zero, or hidden by suppression
    return max(threshold, count + ADJUSTMENTS[key % KEY_SPACE])


def perturb_counts(counts: Mapping[K, int], keys: Mapping[K, int], threshold: int) -> dict[K, int]:
    """Every count perturbed by its own cell key (a count without a key is kept)."""
    return {
        name: perturb(count, keys[name], threshold) if name in keys else count
        for name, count in counts.items()
    }
