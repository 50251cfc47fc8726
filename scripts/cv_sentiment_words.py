"""Word-view NBSVM heads in the stacked review ensemble, cross-validated on TRAINING rows only.

    python scripts/cv_sentiment_words.py [--cache PATH] [--out DIR]

Same seeded 5-fold split of the 13,433 non-held-out review rows as scripts/cv_sentiment.py
(salt `sent10-cv`); held-out rows are dropped as soon as they are loaded and never scored.
Reads the out-of-fold scores cached by scripts/cv_sentiment.py (3-way head, MLPs, CNNs),
re-fits the routed per-domain NBSVM heads of scripts/cv_sentiment_domain.py on the shipped
features (hashed char 1-3-grams + jieba word 1-2-grams) and adds a WORD view: per fold a
hotel and a delivery NBSVM head (same C = 16, alpha = 1, same rows + service lines x 5, via
cv_sentiment_domain.ReviewRows.nbsvm) over jieba word unigrams + bigrams alone (the
project's segmenter, hegui.models.sentiment.jieba_tokenizer, on the same normalised text the
char features read; hashed into 2^18 buckets by the runtime's WordNgrams, each row scaled by
1/sqrt(#buckets) as every head reads them), routed by the SAME per-fold domain head
(P(hotel) of cv_sentiment_domain.domain_heads on the shipped features).

PRE-REGISTERED (written down before this script was first run, 2026-12-08):
  variant = the shipped stack with part (a) replaced:
    (a') 0.5 x the 3-way head's split + 0.5 x mean(routed char heads, routed word heads)
    (b)  mean of the three MLPs, unchanged;  (c) mean of the three char CNNs, unchanged;
    mixed 1 : 1 : 1 on texts of >= 10 normalised characters, the 3-way head alone below.
  compared with the shipped stack (routed char heads in (a), + MLP x3 + CNN x3, 1 : 1 : 1;
  0.8989 in the fourth round) by the paired accuracy difference in points with a bootstrap
  95% interval over rows (500 resamples, cv_sentiment.report).
  Decision rule: "worth shipping" only if delta >= +0.30 points AND the 95% lower bound > 0.
Context only (chose nothing): the routed word heads alone; the shipped stack with the
routed word heads as a 4th equal part (1 : 1 : 1 : 1).
Also times the segmentation (jieba) over 2,000 review texts (training rows).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cv_sentiment as cv
import cv_sentiment_domain as cvd
import train_sentiment as ts

from hegui.engine.normalise import normalise_many
from hegui.models.sentiment import jieba_tokenizer

MIN_LOWER, MIN_DELTA = 0.0, 0.30  # the decision rule, in points


def word_features(texts: list[str]) -> sparse.csr_matrix:
    """Hashed jieba word 1-2-grams alone (ts.WORDS), one row per normalised text, scaled by
    1/sqrt(#buckets) as ts.featurize scales the char + word rows."""
    cut = jieba_tokenizer()
    indices: list[int] = []
    indptr = [0]
    for text in texts:
        indices.extend(sorted(ts.WORDS.buckets(cut(text)) if text else ()))
        indptr.append(len(indices))
    counts = np.diff(indptr)
    data = np.repeat(1.0 / np.sqrt(np.maximum(counts, 1)), counts)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(texts), ts.DIMS))


def time_jieba(texts: list[str]) -> dict[str, float]:
    """CPU µs per text of the project's segmenter (HMM off) and of plain jieba.lcut."""
    import jieba

    cut = jieba_tokenizer()
    jieba.lcut("预热")  # load the default dictionary outside the timing
    out: dict[str, float] = {
        "texts": len(texts),
        "mean_chars": round(float(np.mean([len(t) for t in texts])), 1),
    }
    for name, fn in (("project_cut_hmm_off", cut), ("jieba_lcut_default", jieba.lcut)):
        best = float("inf")
        for _ in range(3):
            t0 = time.process_time()
            for t in texts:
                fn(t)
            best = min(best, time.process_time() - t0)
        out[f"{name}_us_per_text"] = round(best / len(texts) * 1e6, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--cache", type=Path, default=Path("/tmp/sent10_cv.npz"))
    parser.add_argument("--out", type=Path, help="write result.txt and result.json here")
    args = parser.parse_args()
    rows = [r for r in ts.load(args.data) if not r.held]  # held-out rows dropped at once
    x = sparse.csr_matrix(sparse.load_npz(args.cache))
    scores = dict(np.load(args.cache.with_suffix(".scores.npz")))
    rv = cvd.review_rows(rows)
    y, src, lengths, fold = rv.y, rv.src, rv.lengths, rv.fold
    compact = [n.text for n in normalise_many([r.text for r in rows])]
    t0 = time.process_time()
    xw = word_features(compact)
    print(f"word features: {time.process_time() - t0:.0f} s CPU", file=sys.stderr)

    routed, routed_w = np.zeros(len(rv.rev)), np.zeros(len(rv.rev))
    for k in range(cv.FOLDS):
        tr, te = rv.rev[fold != k], rv.rev[fold == k]
        hotel, waimai, p_hotel = cvd.domain_heads(x, rv, tr, te)
        routed[fold == k] = p_hotel * hotel + (1 - p_hotel) * waimai
        hotel_w = rv.nbsvm(xw, tr[rv.hotel_row[tr]], te)
        waimai_w = rv.nbsvm(xw, tr[~rv.hotel_row[tr]], te)
        routed_w[fold == k] = p_hotel * hotel_w + (1 - p_hotel) * waimai_w
        print(f"  fold {k} done", file=sys.stderr, flush=True)
    if args.out:
        np.savez(args.out / "words_oof.npz", routed_char=routed, routed_word=routed_w)

    three, one = scores["three_way"], scores["nbsvm_c16"]
    mlp = np.mean([scores[f"mlp h32 top30k e3 s{s}"] for s in range(3)], axis=0)
    cnn = np.mean([scores[name] for name, _, _ in cv.CNNS], axis=0)
    long = lengths >= ts.REVIEW_MIN_CHARS
    before = np.where(long, 0.5 * three + 0.5 * one, three)  # shipped before the 4th round
    part_a = np.where(long, 0.5 * three + 0.5 * routed, three)
    part_a_w = np.where(long, 0.5 * three + 0.5 * (routed + routed_w) / 2, three)
    shipped = np.where(long, (part_a + mlp + cnn) / 3, three)
    variant = np.where(long, (part_a_w + mlp + cnn) / 3, three)
    four = np.where(long, (part_a + mlp + cnn + routed_w) / 4, three)

    lines: list[str] = []

    def table(title: str, base: np.ndarray, variants: list[tuple[str, np.ndarray]]) -> list:
        cv.TABLE.clear()
        print(title, flush=True)
        lines.append(title)
        for name, p in variants:
            cv.report(name, p, y, src, base)
            t = cv.TABLE[-1]
            lines.append(
                f"{name:58} all {t['accuracy']:.4f}  hotel {t['hotel']:.4f}  "
                f"waimai {t['waimai']:.4f}  Δ {t['minus_baseline_points']:+.2f} "
                f"[{t['bootstrap_95'][0]:+.2f}, {t['bootstrap_95'][1]:+.2f}]"
            )
        return list(cv.TABLE)

    reproduced = table(
        "Reproduction (Δ vs the model shipped before the fourth round, as in cv_stack.json):",
        before,
        [
            ("shipped before: 0.5 3-way + 0.5 one NBSVM [baseline]", before),
            ("routed per-domain heads in the mix (part a alone)", part_a),
            ("SHIPPED STACK: routed mix + MLP x3 + CNN x3 (1:1:1)", shipped),
        ],
    )
    main_rows = table(
        "\nPre-registered (Δ vs the shipped stack):",
        shipped,
        [
            ("shipped stack [baseline]", shipped),
            ("(a) with mean(routed char, routed word) + MLP + CNN", variant),
        ],
    )
    context = table(
        "\nContext, chose nothing (Δ vs the shipped stack):",
        shipped,
        [
            ("(i) routed word heads alone (all texts)", routed_w),
            ("(i') routed char heads alone (all texts), for scale", routed),
            ("(ii) shipped stack + routed word heads, 1:1:1:1", four),
        ],
    )
    delta, (lo, hi) = main_rows[1]["minus_baseline_points"], main_rows[1]["bootstrap_95"]
    worth = delta >= MIN_DELTA and lo > MIN_LOWER
    decision = (
        f"Decision (pre-registered: Δ ≥ +{MIN_DELTA:.2f} points and 95% lower bound > 0): "
        f"Δ {delta:+.2f} [{lo:+.2f}, {hi:+.2f}] → "
        + ("WORTH SHIPPING" if worth else "NOT worth shipping")
    )
    print("\n" + decision)
    lines += ["", decision]
    reviews = [compact[i] for i in rv.rev]
    cost = time_jieba(reviews[:2000])
    cost_line = (
        f"jieba over {cost['texts']} training review texts (mean {cost['mean_chars']} chars): "
        f"project cut (HMM off) {cost['project_cut_hmm_off_us_per_text']} µs/text, "
        f"jieba.lcut (default, HMM on) {cost['jieba_lcut_default_us_per_text']} µs/text (CPU)"
    )
    print(cost_line)
    lines.append(cost_line)
    if args.out:
        (args.out / "result.txt").write_text("\n".join(lines) + "\n", "utf-8")
        result = {
            "reproduction_vs_shipped_before": reproduced,
            "pre_registered_vs_shipped_stack": main_rows,
            "context_chose_nothing": context,
            "decision": {"delta_points": delta, "bootstrap_95": [lo, hi], "worth": worth},
            "jieba_cost": cost,
        }
        (args.out / "result.json").write_text(
            json.dumps(result, ensure_ascii=False, indent=1) + "\n", "utf-8"
        )


if __name__ == "__main__":
    main()
