"""Fine-tuning e5-small's layers on the real words, measured by grouped cross-validation.

Question (issue 12): every head so far has been trained on e5-small's vectors as they
come (decision 0017 and its addenda). Does tuning the encoder's own 12 layers on the
training folds' labels (sentiment and themes at once; the 250,037 word embeddings stay
frozen) give the shipped heads better vectors, on rows the tuning never saw?

Everything but the vectors is ``heads_experiments.py``'s: its outer splits (seed "none" =
the evaluate script's grouped 5-fold; seeds 1-7 = source pages shuffled into five folds),
its reimplemented shipped heads (sentiment: standardised logistic regression C=0.01,
balanced; themes: C=0.03 balanced with per-theme thresholds from grouped inner 4-fold
scores of the outer training part, phrase bonus 0.3, shrink 3, floor 0.5), short English
answers read by the rules. The encoder is tuned once per outer fold on that fold's
training rows (English and our Polish and Urdu translations of them), then embeds every
row; nothing of the held-out fold's pages reaches the tuning. The recipe is fixed in
advance (no choice made on the held-out rows): AdamW, learning rate 3e-5 for the layers and
1e-3 for two throw-away heads on the mean-pooled vector (3-way sentiment, class-weighted
cross-entropy; one logit per theme, binary cross-entropy), 5 epochs, batches of 16, a
linear schedule with 10% warm-up, texts cut at 256 tokens while tuning.

The theme thresholds are chosen on inner out-of-fold scores; with tuned vectors those
inner folds were part of the tuning, so with ``--inner`` the encoder is also tuned once per
inner fold (4 more per outer fold) and the inner scores come from vectors that did not see
their rows. Without it, the theme figure for tuned vectors uses the tuned encoder's own
theme head (sigmoid over 0.5, with the phrase bonus) and is reported as such.

PyTorch is needed for the tuning only, and the app's venv does not have it (nor should
it: issue 12 asks for no PyTorch at run time), so the work runs in three steps:

    # 1. app venv: texts, token ids, labels, folds and the dequantised weights
    .venv/bin/python benchmarks/finetune_experiments.py prepare --seeds none,1
    # 2. a scratch venv with torch and numpy only (pip install torch==2.13.0 numpy)
    /tmp/ftvenv/bin/python benchmarks/finetune_experiments.py tune --seeds none,1
    # 3. app venv: the cross-validation, tuned against untuned vectors on the same splits
    .venv/bin/python benchmarks/finetune_experiments.py cv --seeds none,1

``tune --objective setfit`` tunes by SetFit's pairs instead (sentiment only); ``sentiment``
drops the theme loss. Files go under ``HEARD_FT_CACHE`` (default /tmp/ftcache). Figures and
the decision: docs/decisions/0021-tuning-the-encoder-on-real-words.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

for _name in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402

OUT = Path(os.environ.get("HEARD_FT_CACHE", "/tmp/ftcache"))
HERE = Path(__file__).resolve().parent
MAX_TUNE_TOKENS = 256
WINDOW = 510


def _seeds(text: str) -> list[int | None]:
    return [None if s == "none" else int(s) for s in text.split(",")]


def _fold_name(seed: int | None, fold: int, inner: int | None = None) -> str:
    return f"s{seed}-f{fold}" + ("" if inner is None else f"-i{inner}")


# -- step 1 (app venv) -------------------------------------------------------------------
def prepare(seeds: list[int | None]) -> None:
    sys.path.insert(0, str(HERE))
    from heads_experiments import Data
    from sklearn.model_selection import GroupKFold

    from analysis.e5_weights import E5File, Tokenizer
    from analysis.onnx_encoder import PREFIX, _clean

    d = Data.__new__(Data)
    d.load_labels()
    model = E5File()
    tok = Tokenizer(model)
    content = tok.content_ids([PREFIX + _clean(t) for t in d.texts])
    used = sorted({i for ids in content for i in ids} | {model.bos, model.eos})
    index = {v: k for k, v in enumerate(used)}
    c = model.config
    tensors: dict[str, np.ndarray] = {
        "word": model.word_rows(np.asarray(used, dtype=np.int64)),
        "pos": model.f32("emb.pos").reshape(c.max_positions, c.hidden),
        "type": model.f32("emb.type")[: c.hidden],
        "emb.ln.w": model.f32("emb.ln.w"),
        "emb.ln.b": model.f32("emb.ln.b"),
    }
    shapes = {
        "q": (c.hidden, c.hidden),
        "k": (c.hidden, c.hidden),
        "v": (c.hidden, c.hidden),
        "ao": (c.hidden, c.hidden),
        "fi": (c.ffn, c.hidden),
        "fo": (c.hidden, c.ffn),
    }
    for i in range(c.layers):
        for name, (rows, cols) in shapes.items():
            tensors[f"l{i}.{name}.w"] = model.matrix(f"l{i}.{name}.w", rows, cols)
            tensors[f"l{i}.{name}.b"] = model.f32(f"l{i}.{name}.b")
        for name in ("aln", "oln"):
            for part in ("w", "b"):
                tensors[f"l{i}.{name}.{part}"] = model.f32(f"l{i}.{name}.{part}")
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez(OUT / "weights.npz", **tensors)
    classes = ["negative", "neutral", "positive"]
    folds: dict[str, dict[str, list[int]]] = {}
    for seed in seeds:
        for f, (fit, held) in enumerate(d.outer(seed)):
            folds[_fold_name(seed, f)] = {"fit": fit.tolist(), "held": held.tolist()}
            inner = GroupKFold(4).split(fit, groups=d.groups[fit])
            for k, (a, b) in enumerate(inner):
                folds[_fold_name(seed, f, k)] = {
                    "fit": fit[a].tolist(),
                    "held": fit[b].tolist(),
                }
    meta = {
        "config": {
            "hidden": c.hidden,
            "layers": c.layers,
            "heads": c.heads,
            "eps": c.eps,
            "themes": int(d.y.shape[1]),
        },
        "ids": [[index[model.bos], *[index[i] for i in ids], index[model.eos]] for ids in content],
        "sentiment": [classes.index(s) for s in d.sentiment],
        "themes": d.y.astype(int).tolist(),
        "lang": d.lang.tolist(),
        "texts_key": _key(d.texts),
        "folds": folds,
    }
    (OUT / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    lengths = [len(ids) for ids in content]
    print(
        f"{len(d.texts)} texts ({d.n_dev} English), {len(used)} distinct tokens, "
        f"tokens per text median {int(np.median(lengths))}, max {max(lengths)}; "
        f"{len(folds)} folds written to {OUT}"
    )


def _key(texts: list[str]) -> str:
    import hashlib

    return hashlib.sha1("\0".join(texts).encode()).hexdigest()


# -- step 2 (torch venv) -----------------------------------------------------------------
def tune(seeds: list[int | None], inner: bool, epochs: int, threads: int, objective: str) -> None:
    import torch

    torch.set_num_threads(threads)
    meta = json.loads((OUT / "meta.json").read_text(encoding="utf-8"))
    raw = dict(np.load(OUT / "weights.npz"))
    ids = meta["ids"]
    sentiment = torch.tensor(meta["sentiment"])
    themes = torch.tensor(meta["themes"], dtype=torch.float32)
    base_path = OUT / "vec-base.npy"
    if not base_path.exists():
        model = _Encoder(meta["config"], raw)
        np.save(base_path, _embed(model, ids)[0])
        print("untuned vectors written", flush=True)
    names = []
    for seed in seeds:
        for f in range(5):
            names.append(_fold_name(seed, f))
            if inner:
                names += [_fold_name(seed, f, k) for k in range(4)]
    for name in names:
        path = OUT / f"vec-{objective}-{name}.npy"
        if path.exists():
            continue
        fit = meta["folds"][name]["fit"]
        start, wall = time.process_time(), time.perf_counter()
        torch.manual_seed(0)
        model = _Encoder(meta["config"], raw)
        seqs = [ids[i] for i in fit]
        if objective == "setfit":
            loss = _train_pairs(model, seqs, sentiment[fit], epochs)
        else:
            loss = _train(model, seqs, sentiment[fit], themes[fit], epochs, objective)
        vectors, probs = _embed(model, ids, heads=objective != "setfit")
        np.save(path, vectors)
        if probs is not None:
            np.savez(OUT / f"heads-{objective}-{name}.npz", **probs)
        cpu, wall = time.process_time() - start, time.perf_counter() - wall
        print(
            f"{name}: {len(fit)} rows, last epoch loss {loss:.3f}, "
            f"{cpu:.0f} CPU s, {wall:.0f} s wall",
            flush=True,
        )


def _Encoder(config: dict, raw: dict):  # type: ignore[no-untyped-def]  # noqa: N802
    """e5-small's layers in PyTorch, as ``analysis.onnx_encoder._graph`` builds them (float32,
    the 4-bit weights dequantised), returning the masked mean of the last hidden states."""
    import torch
    from torch import nn

    h, n_heads, eps = config["hidden"], config["heads"], config["eps"]

    def linear(prefix: str) -> nn.Linear:
        w = torch.from_numpy(raw[prefix + ".w"])
        layer = nn.Linear(w.shape[1], w.shape[0])
        layer.weight.data.copy_(w)
        layer.bias.data.copy_(torch.from_numpy(raw[prefix + ".b"]))
        return layer

    def norm(prefix: str) -> nn.LayerNorm:
        layer = nn.LayerNorm(h, eps=eps)
        layer.weight.data.copy_(torch.from_numpy(raw[prefix + ".w"]))
        layer.bias.data.copy_(torch.from_numpy(raw[prefix + ".b"]))
        return layer

    class Layer(nn.Module):
        def __init__(self, i: int) -> None:
            super().__init__()
            p = f"l{i}"
            self.q, self.k, self.v = linear(p + ".q"), linear(p + ".k"), linear(p + ".v")
            self.ao, self.fi, self.fo = linear(p + ".ao"), linear(p + ".fi"), linear(p + ".fo")
            self.aln, self.oln = norm(p + ".aln"), norm(p + ".oln")
            self.drop = nn.Dropout(0.1)

        def forward(self, x, bias):  # type: ignore[no-untyped-def]
            b, length, _ = x.shape

            def split(t):  # type: ignore[no-untyped-def]
                return t.view(b, length, n_heads, h // n_heads).transpose(1, 2)

            q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
            att = torch.softmax(q @ k.transpose(-1, -2) / (h // n_heads) ** 0.5 + bias, -1)
            ctx = (self.drop(att) @ v).transpose(1, 2).reshape(b, length, h)
            x = self.aln(x + self.drop(self.ao(ctx)))
            mid = torch.nn.functional.gelu(self.fi(x))
            return self.oln(x + self.drop(self.fo(mid)))

    class Encoder(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.word = nn.Embedding.from_pretrained(torch.from_numpy(raw["word"]), freeze=True)
            self.register_buffer("pos", torch.from_numpy(raw["pos"]))
            self.register_buffer("type_row", torch.from_numpy(raw["type"]))
            self.ln = norm("emb.ln")
            self.layers = nn.ModuleList(Layer(i) for i in range(config["layers"]))
            self.sentiment = nn.Linear(h, 3)
            self.themes = nn.Linear(h, config["themes"])

        def forward(self, ids, mask):  # type: ignore[no-untyped-def]
            length = ids.shape[1]
            x = self.ln(self.word(ids) + self.pos[:length] + self.type_row)
            bias = ((mask - 1.0) * 1e9)[:, None, None, :]
            for layer in self.layers:
                x = layer(x, bias)
            return (x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)

    return Encoder()


def _batch(seqs: list[list[int]]):  # type: ignore[no-untyped-def]
    import torch

    length = max(len(s) for s in seqs)
    ids = torch.zeros((len(seqs), length), dtype=torch.long)
    mask = torch.zeros((len(seqs), length))
    for r, s in enumerate(seqs):
        ids[r, : len(s)] = torch.tensor(s)
        mask[r, : len(s)] = 1.0
    return ids, mask


def _train(model, seqs, sentiment, themes, epochs: int, objective: str) -> float:  # type: ignore[no-untyped-def]
    import torch

    seqs = [s if len(s) <= MAX_TUNE_TOKENS else [*s[: MAX_TUNE_TOKENS - 1], s[-1]] for s in seqs]
    counts = torch.bincount(sentiment, minlength=3).float().clamp(min=1)
    class_weight = counts.sum() / (3 * counts)
    positives = themes.sum(0).clamp(min=1)
    pos_weight = ((len(themes) - positives) / positives).clamp(max=10.0)
    heads = list(model.sentiment.parameters()) + list(model.themes.parameters())
    chosen = {id(p) for p in heads}
    body = [p for p in model.parameters() if p.requires_grad and id(p) not in chosen]
    opt = torch.optim.AdamW(
        [{"params": body, "lr": 3e-5}, {"params": heads, "lr": 1e-3}], weight_decay=0.01
    )
    batch = 16
    steps = epochs * ((len(seqs) + batch - 1) // batch)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm)))
    )
    ce = torch.nn.CrossEntropyLoss(weight=class_weight)
    bce = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight)
    model.train()
    g = torch.Generator().manual_seed(0)
    last = 0.0
    for _ in range(epochs):
        order = torch.randperm(len(seqs), generator=g).tolist()
        # similar lengths together, in shuffled chunks, so padding costs little
        chunks = [order[i : i + batch * 8] for i in range(0, len(order), batch * 8)]
        total, n = 0.0, 0
        for chunk in chunks:
            chunk.sort(key=lambda i: len(seqs[i]))
            for i in range(0, len(chunk), batch):
                rows = chunk[i : i + batch]
                ids, mask = _batch([seqs[r] for r in rows])
                pooled = model(ids, mask)
                loss = ce(model.sentiment(pooled), sentiment[rows])
                if objective == "multi":
                    loss = loss + bce(model.themes(pooled), themes[rows])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                total, n = total + float(loss.detach()) * len(rows), n + len(rows)
        last = total / n
    model.eval()
    return last


def _train_pairs(model, seqs, sentiment, epochs: int) -> float:  # type: ignore[no-untyped-def]
    """SetFit's recipe: pairs of training answers, cosine of their mean-pooled vectors
    pulled to 1 for the same sentiment and 0 for different ones (mean squared error);
    per epoch each answer is paired with 2 of its class and 2 of other classes."""
    import torch

    seqs = [s if len(s) <= MAX_TUNE_TOKENS else [*s[: MAX_TUNE_TOKENS - 1], s[-1]] for s in seqs]
    labels = sentiment.tolist()
    rng = np.random.default_rng(0)
    by_class = {c: [i for i, y in enumerate(labels) if y == c] for c in set(labels)}
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=2e-5, weight_decay=0.01)
    model.train()
    last = 0.0
    for _ in range(epochs):
        pairs = []
        for i, y in enumerate(labels):
            same = [j for j in by_class[y] if j != i]
            other = [j for j in range(len(labels)) if labels[j] != y]
            pairs += [(i, int(j), 1.0) for j in rng.choice(same, 2)]
            pairs += [(i, int(j), 0.0) for j in rng.choice(other, 2)]
        rng.shuffle(pairs)
        total = 0.0
        for k in range(0, len(pairs), 16):
            chunk = pairs[k : k + 16]
            a = model(*_batch([seqs[i] for i, _, _ in chunk]))
            b = model(*_batch([seqs[j] for _, j, _ in chunk]))
            target = torch.tensor([t for _, _, t in chunk])
            loss = ((torch.cosine_similarity(a, b) - target) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(chunk)
        last = total / len(pairs)
    model.eval()
    return last


def _embed(model, ids: list[list[int]], heads: bool = False):  # type: ignore[no-untyped-def]
    """Unit vectors as ``OnnxE5.query`` makes them: windows of 510 content tokens, each
    read alone, means averaged by length; with ``heads``, also the tuning heads'
    probabilities (sentiment, themes) on the pooled vector."""
    import torch

    model.eval()
    out, pooled_all = [], []
    with torch.no_grad():
        for seq in ids:
            bos, content, eos = seq[0], seq[1:-1], seq[-1]
            total, weight = 0.0, 0
            for start in range(0, max(len(content), 1), WINDOW):
                part = content[start : start + WINDOW]
                x, mask = _batch([[bos, *part, eos]])
                n = max(len(part), 1)
                total = total + n * model(x, mask)[0].numpy()
                weight += n
            v = np.asarray(total, dtype=np.float64) / weight
            pooled_all.append(v)
            out.append(v / np.linalg.norm(v))
        probs = None
        if heads:
            pooled = torch.tensor(np.vstack(pooled_all), dtype=torch.float32)
            probs = {
                "sentiment": torch.softmax(model.sentiment(pooled), -1).numpy(),
                "themes": torch.sigmoid(model.themes(pooled)).numpy(),
            }
    return np.vstack(out), probs


# -- step 3 (app venv) -------------------------------------------------------------------
def cv(seeds: list[int | None], inner: bool, objective: str) -> None:
    import warnings

    sys.path.insert(0, str(HERE))
    import heads_experiments as hx

    warnings.filterwarnings("ignore")
    meta = json.loads((OUT / "meta.json").read_text(encoding="utf-8"))
    d = hx.Data.__new__(hx.Data)
    d.load_labels()
    if _key(d.texts) != meta["texts_key"]:
        raise SystemExit("the cached folds were made for other texts: run prepare again")
    d.owner = np.arange(len(d.rows))
    shipped = hx.embed_cached(d.texts)
    shipped = shipped / np.linalg.norm(shipped, axis=1, keepdims=True)
    base = np.load(OUT / "vec-base.npy")
    print(
        "untuned float32 against the shipped int8 vectors: mean cosine "
        f"{float((base * shipped).sum(1).mean()):.4f}"
    )

    def lookup(fit: np.ndarray) -> str:
        key = sorted(fit.tolist())
        for name, fold in meta["folds"].items():
            if sorted(fold["fit"]) == key:
                return name
        raise KeyError("no tuned vectors for this training part")

    def tuned(method):  # type: ignore[no-untyped-def]
        """The method with d.x the vectors of the encoder tuned on ``fit``; in the inner
        folds of the theme head (with ``--inner``) the encoder tuned on the inner part."""

        def wrapped(d, fit, held):  # type: ignore[no-untyped-def]
            keep = d.x
            d.x = np.load(OUT / f"vec-{objective}-{lookup(fit)}.npy")
            try:
                return method(d, fit, held)
            finally:
                d.x = keep

        return wrapped

    def inner_scorer(d, fit, held):  # type: ignore[no-untyped-def]
        keep = d.x
        d.x = np.load(OUT / f"vec-{objective}-{lookup(fit)}.npy")
        try:
            return hx.lr_themes(d, fit, held)
        finally:
            d.x = keep

    def own_sentiment(d, fit, held):  # type: ignore[no-untyped-def]
        probs = np.load(OUT / f"heads-{objective}-{lookup(fit)}.npz")["sentiment"]
        return np.asarray(hx.CLASSES[probs[held].argmax(1)])

    def own_themes(d, fit, held):  # type: ignore[no-untyped-def]
        probs = np.load(OUT / f"heads-{objective}-{lookup(fit)}.npz")["themes"]
        return hx._decide(probs[held], d.hits[held], np.full(d.y.shape[1], 0.5), False)

    has_heads = (OUT / f"heads-{objective}-{_fold_name(seeds[0], 0)}.npz").exists()
    results: dict[str, dict[str, list]] = {"sentiment": {}, "themes": {}}
    print("\n| sentiment (macro-F1) | seed | en | pl | ur |\n| --- | --- | --- | --- | --- |")
    for label, x, method in (
        ("shipped vectors (baseline)", shipped, hx.sentiment_method("whole")),
        ("untuned float32", base, hx.sentiment_method("whole")),
        ("tuned per outer fold", shipped, tuned(hx.sentiment_method("whole"))),
        *([("the tuning's own head", shipped, own_sentiment)] if has_heads else []),
    ):
        d.x = x
        results["sentiment"][label] = hx.run(d, label, seeds, method, "sentiment")
    print("\n| themes (micro / macro-F1) | seed | en | pl | ur |\n| --- | --- | --- | --- | --- |")
    plain = hx.theme_method([hx.lr_themes], [(1.0,)], False)
    variants = [
        ("shipped vectors (baseline)", shipped, plain),
        ("untuned float32", base, plain),
    ]
    if has_heads and objective == "multi":
        variants.append(("the tuning's own theme head (0.5, phrase bonus)", shipped, own_themes))
    if inner:

        def outer_then_inner(d, fit, held):  # type: ignore[no-untyped-def]
            # thresholds from inner-tuned vectors; the final head on the outer-tuned ones
            name = lookup(fit)
            final = np.load(OUT / f"vec-{objective}-{name}.npy")

            def scorer(d2, f2, h2):  # type: ignore[no-untyped-def]
                if len(f2) == len(fit) and np.array_equal(np.sort(f2), np.sort(fit)):
                    keep = d2.x
                    d2.x = final
                    try:
                        return hx.lr_themes(d2, f2, h2)
                    finally:
                        d2.x = keep
                return inner_scorer(d2, f2, h2)

            return hx.theme_method([scorer], [(1.0,)], False)(d, fit, held)

        variants.append(("tuned, nested (inner folds tuned too)", shipped, outer_then_inner))
    for label, x, method in variants:
        d.x = x
        results["themes"][label] = hx.run(d, label, seeds, method, "themes")
    print(f"\nmeans over {len(seeds)} splits:")
    for group, by in results.items():
        for label, figs in by.items():
            if group == "sentiment":
                cells = [f"{np.mean([f[k] for f in figs]):.3f}" for k in ("en", "pl", "ur")]
            else:
                cells = []
                for k in ("en", "pl", "ur"):
                    micro, macro = (np.mean([f[k][i] for f in figs]) for i in (0, 1))
                    cells.append(f"{micro:.3f} / {macro:.3f}")
            print(f"| {group} | {label} | " + " | ".join(cells) + " |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--seeds", default="none")
    t = sub.add_parser("tune")
    t.add_argument("--seeds", default="none")
    t.add_argument("--inner", action="store_true")
    t.add_argument("--epochs", type=int, default=5)
    t.add_argument("--threads", type=int, default=2)
    t.add_argument("--objective", choices=("multi", "sentiment", "setfit"), default="multi")
    c = sub.add_parser("cv")
    c.add_argument("--seeds", default="none")
    c.add_argument("--inner", action="store_true")
    c.add_argument("--objective", choices=("multi", "sentiment", "setfit"), default="multi")
    args = parser.parse_args()
    if args.step == "prepare":
        prepare(_seeds(args.seeds))
    elif args.step == "tune":
        tune(_seeds(args.seeds), args.inner, args.epochs, args.threads, args.objective)
    else:
        cv(_seeds(args.seeds), args.inner, args.objective)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
