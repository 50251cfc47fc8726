"""Cross-validation of review-polarity variants on TRAINING rows only (no held-out row is read).

    python scripts/cv_sentiment.py [--data DIR] [--cache PATH] [--only NAME,...]

A seeded 5-fold split (salt `sent10-cv`) of the non-held-out review rows. Per fold: the
3-way polarity head is trained on the other folds' reviews plus every non-held-out CPED
and service row (as scripts/train_sentiment.py does), the review heads on the other
folds' reviews plus the service rows. Every variant is scored on the fold's reviews
(positive vs negative); out-of-fold scores are cached so that mixes and ensembles are
compared on the same rows. Prints one line per variant: accuracy overall, hotel, waimai,
and its paired difference to the baseline (the shipped mix) with a bootstrap 95% interval.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from hegui.engine.normalise import normalise_many

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_sentiment as ts

FOLDS = 5


def folds(n: int) -> np.ndarray:
    order = list(range(n))
    random.Random(f"{ts.SEED}:sent10-cv").shuffle(order)
    out = np.zeros(n, dtype=np.int64)
    for k, i in enumerate(order):
        out[i] = k % FOLDS
    return out


def three_way_positive(
    x: sparse.csr_matrix,
    polarity: list[str],
    weights: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
) -> np.ndarray:
    """P(positive | positive or negative) on `test` of the 3-way polarity head trained on
    `train` (polarity and weights are indexed like the rows of x)."""
    head = LogisticRegression(C=ts.C_POLARITY, max_iter=3000)
    head.fit(x[train], [polarity[i] for i in train], sample_weight=weights[train])
    p = head.predict_proba(x[test])
    cls = list(head.classes_)
    pos, neg = p[:, cls.index("positive")], p[:, cls.index("negative")]
    return np.asarray(pos / (pos + neg))


def nbsvm_positive(
    x: sparse.csr_matrix,
    label: np.ndarray,
    weights: np.ndarray,
    ratio_rows: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    c: float = ts.C_REVIEW,
) -> np.ndarray:
    """P(positive) on `test` of the NBSVM review head: log-count ratios from `ratio_rows`,
    logistic regression on `train` (label 1 = positive, indexed like the rows of x)."""
    ratio = ts.nb_ratio(x[ratio_rows], label[ratio_rows])
    head = LogisticRegression(C=c, max_iter=5000)
    head.fit(x[train] @ sparse.diags(ratio), label[train], sample_weight=weights[train])
    return head.predict_proba(x[test] @ sparse.diags(ratio))[:, 1]  # type: ignore[no-any-return]


TABLE: list[dict[str, object]] = []


def report(name: str, p: np.ndarray, y: np.ndarray, src: np.ndarray, base: np.ndarray) -> None:
    right = (p > 0.5) == (y == 1)
    right0 = (base > 0.5) == (y == 1)
    diff = right.astype(float) - right0
    rng = np.random.default_rng(0)
    boots = [diff[rng.integers(0, len(diff), len(diff))].mean() for _ in range(500)]
    lo, hi = np.percentile(boots, [2.5, 97.5])
    TABLE.append(
        {
            "variant": name.strip(),
            "accuracy": round(float(right.mean()), 4),
            "hotel": round(float(right[src == 0].mean()), 4),
            "waimai": round(float(right[src == 1].mean()), 4),
            "minus_baseline_points": round(float(diff.mean()) * 100, 2),
            "bootstrap_95": [round(float(lo) * 100, 2), round(float(hi) * 100, 2)],
        }
    )
    print(
        f"{name:48} all {right.mean():.4f}  hotel {right[src == 0].mean():.4f}  "
        f"waimai {right[src == 1].mean():.4f}  Δ {diff.mean() * 100:+.2f} "
        f"[{lo * 100:+.2f}, {hi * 100:+.2f}]",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--cache", type=Path, default=Path("/tmp/sent10_cv.npz"))
    parser.add_argument("--json", type=Path, help="also write the table here")
    parser.add_argument(
        "--cached-only", action="store_true", help="skip the variants not yet in the cache"
    )
    args = parser.parse_args()
    rows = [r for r in ts.load(args.data) if not r.held]  # held-out rows dropped at once
    if args.cache.exists():
        x = sparse.load_npz(args.cache)
    else:
        x = ts.featurize(rows)
        sparse.save_npz(args.cache, x)
    x = sparse.csr_matrix(x)
    rev = np.array([i for i, r in enumerate(rows) if r.source.startswith("reviews:")])
    other = [i for i, r in enumerate(rows) if r.source in ("cped", "service")]
    service = [i for i, r in enumerate(rows) if r.source == "service" and r.polarity != "neutral"]
    y = np.array([int(rows[i].polarity == "positive") for i in rev])
    src = np.array([int("waimai" in rows[i].source) for i in rev])
    lengths = np.array([len(t.text) for t in normalise_many([rows[i].text for i in rev])])
    fold = folds(len(rev))
    print(f"{len(rev)} review rows (training only), {FOLDS} folds", file=sys.stderr)

    scores: dict[str, np.ndarray] = {}
    cache_scores = args.cache.with_suffix(".scores.npz")
    if cache_scores.exists():
        scores = dict(np.load(cache_scores))

    def oof(name: str, fit: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> np.ndarray:
        """Out-of-fold P(positive) (or the 3-way split) of one variant."""
        if name not in scores and args.cached_only:
            return None  # type: ignore[return-value]
        if name not in scores:
            t0 = time.process_time()
            out = np.zeros(len(rev))
            for k in range(FOLDS):
                tr, te = rev[fold != k], rev[fold == k]
                out[fold == k] = fit(tr, te)
            scores[name] = out
            np.savez(cache_scores, **scores)  # type: ignore[arg-type]
            print(f"  ({name}: {time.process_time() - t0:.0f} s CPU)", file=sys.stderr)
        return scores[name]

    def weight(ids: np.ndarray) -> np.ndarray:
        return np.array([ts.SERVICE_WEIGHT if rows[i].source == "service" else 1.0 for i in ids])

    every = np.arange(len(rows))
    weights, polarity = weight(every), [r.polarity or "" for r in rows]
    label = np.array([int(r.polarity == "positive") for r in rows])

    def three_way(tr: np.ndarray, te: np.ndarray) -> np.ndarray:
        return three_way_positive(x, polarity, weights, np.concatenate([tr, other]), te)

    def nbsvm(tr: np.ndarray, te: np.ndarray, c: float = ts.C_REVIEW) -> np.ndarray:
        train = np.concatenate([tr, service])
        return nbsvm_positive(x, label, weights, tr, train, te, c)

    def mixed(three: np.ndarray, review: np.ndarray, w: float, min_chars: int) -> np.ndarray:
        return np.where(lengths >= min_chars, w * three + (1 - w) * review, three)

    p3 = oof("three_way", three_way)
    pnb = oof("nbsvm_c16", nbsvm)
    base = mixed(p3, pnb, 0.5, 10)  # the model shipped before (sent9)
    report("3-way head alone", p3, y, src, base)
    report("NBSVM C16 alone", pnb, y, src, base)
    report("shipped mix (0.5, >= 10 chars) [baseline]", base, y, src, base)
    # -- variants ------------------------------------------------------------------
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    warnings.filterwarnings("ignore", category=ConvergenceWarning)

    def mlp(
        hidden: int, top: int, epochs: int, seed: int, alpha: float = 1e-4
    ) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
        def fit(tr: np.ndarray, te: np.ndarray) -> np.ndarray:
            ids = np.concatenate([tr, service])
            yy = np.array([int(rows[i].polarity == "positive") for i in ids])
            df = np.asarray((x[tr] > 0).sum(axis=0)).ravel()
            keep = np.argsort(-df, kind="stable")[:top]
            net = MLPClassifier(
                (hidden,), alpha=alpha, batch_size=64, max_iter=epochs, random_state=seed
            )
            net.fit(x[ids][:, keep], yy)
            return net.predict_proba(x[te][:, keep])[:, 1]  # type: ignore[no-any-return]

        return fit

    for name, args_ in [
        ("mlp h32 top30k e3 s0", (32, 30000, 3, 0)),
        ("mlp h32 top30k e3 s1", (32, 30000, 3, 1)),
        ("mlp h32 top30k e3 s2", (32, 30000, 3, 2)),
    ]:
        p = oof(name, mlp(*args_))
        report(name, p, y, src, base)
    pm = np.mean([scores[f"mlp h32 top30k e3 s{s}"] for s in range(3)], axis=0)
    report("mlp x3 seeds mean", pm, y, src, base)
    report("mix + mlp3 (1/3 each)", mixed((p3 + pnb + pm) / 3, pnb, 1.0, 0), y, src, base)
    report(
        "mix(0.5) then 0.5 mlp3", np.where(lengths >= 10, 0.5 * base + 0.5 * pm, base), y, src, base
    )

    from sentiment_cnn import fit_charcnn

    compact = [n.text for n in normalise_many([r.text for r in rows])]

    def cnn(seed: int, **kw: object) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
        def fit(tr: np.ndarray, te: np.ndarray) -> np.ndarray:
            ids = np.concatenate([tr, service])
            yy = np.array([int(rows[i].polarity == "positive") for i in ids])
            net = fit_charcnn([compact[i] for i in ids], yy, weight(ids), seed, **kw)  # type: ignore[arg-type]
            return np.array([net.positive(compact[i]) for i in te])

        return fit

    def blend(name: str, parts: list[tuple[float, np.ndarray]], min_chars: int = 10) -> None:
        total = sum(w for w, _ in parts)
        p = sum(w * q for w, q in parts) / total
        report(name, np.where(lengths >= min_chars, p, base), y, src, base)

    done = []
    for name, seed, kw in CNNS:
        pc = oof(name, cnn(seed, **kw))
        if pc is None:
            continue
        done.append(pc)
        report(name, pc, y, src, base)
        for wc in (0.2, 0.33, 0.5):
            blend(f"  base + {wc} {name}", [(1 - wc, base), (wc, pc)])
        blend(f"  base + mlp3 + {name} (1/3)", [(1, base), (1, pm), (1, pc)])
    if len(done) > 1:
        pc = np.mean(done, axis=0)
        report(f"cnn, mean of {len(done)} seeds", pc, y, src, base)
        for wc in (0.2, 0.25, 0.33, 0.4, 0.5):
            blend(f"  base + {wc} cnn x{len(done)}", [(1 - wc, base), (wc, pc)])
        blend(f"  base + mlp3 + cnn x{len(done)} (1/3)", [(1, base), (1, pm), (1, pc)])
    if args.json:
        args.json.write_text(json.dumps(TABLE, ensure_ascii=False, indent=1) + "\n", "utf-8")


CNNS: list[tuple[str, int, dict[str, object]]] = [
    ("cnn d32 f64 w234 e5 s0", 0, {}),
    ("cnn32 d32 f64 w234 e5 s1", 1, {}),
    ("cnn32 d32 f64 w234 e5 s2", 2, {}),
]


if __name__ == "__main__":
    main()
