"""Stacked review-polarity ensemble in cross-validation, on TRAINING rows only.

    python scripts/cv_sentiment_stack.py [--cache PATH] [--json PATH]

Reads the out-of-fold scores that scripts/cv_sentiment.py cached (the 3-way head, the
NBSVM review head, three MLPs and three char CNNs, same seeded 5-fold split, salt
`sent10-cv`), adds the per-domain NBSVM heads of scripts/cv_sentiment_domain.py (a hotel
head and a delivery head, routed by a domain classifier trained on the same fold), and
scores the combination written down before it was run (round 16): the shipped mix with the
routed heads in place of the single review head, averaged 1 : 1 : 1 with the mean of the
three MLPs and the mean of the three CNNs, on texts of >= 10 normalised characters.
No held-out row is read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy import sparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cv_sentiment as cv
import cv_sentiment_domain as cvd
import train_sentiment as ts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--cache", type=Path, default=Path("/tmp/sent10_cv.npz"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows = [r for r in ts.load(args.data) if not r.held]
    x = sparse.csr_matrix(sparse.load_npz(args.cache))
    scores = dict(np.load(args.cache.with_suffix(".scores.npz")))
    rv = cvd.review_rows(rows)
    y, src, lengths, fold = rv.y, rv.src, rv.lengths, rv.fold
    routed = np.zeros(len(rv.rev))
    for k in range(cv.FOLDS):
        tr, te = rv.rev[fold != k], rv.rev[fold == k]
        hotel, waimai, p_hotel = cvd.domain_heads(x, rv, tr, te)
        routed[fold == k] = p_hotel * hotel + (1 - p_hotel) * waimai
        print(f"  fold {k} done", file=sys.stderr, flush=True)
    three, one = scores["three_way"], scores["nbsvm_c16"]
    mlp = np.mean([scores[f"mlp h32 top30k e3 s{s}"] for s in range(3)], axis=0)
    cnn = np.mean([scores[name] for name, _, _ in cv.CNNS], axis=0)
    long = lengths >= ts.REVIEW_MIN_CHARS
    base = np.where(long, 0.5 * three + 0.5 * one, three)
    mix_routed = np.where(long, 0.5 * three + 0.5 * routed, three)
    cv.report("shipped recipe [baseline]", base, y, src, base)
    cv.report("routed per-domain heads in the mix", mix_routed, y, src, base)
    cv.report(
        "shipped mix + MLP x3 + CNN x3 (1:1:1)",
        np.where(long, (base + mlp + cnn) / 3, base),
        y,
        src,
        base,
    )
    cv.report(
        "ROUTED mix + MLP x3 + CNN x3 (1:1:1) [pre-registered]",
        np.where(long, (mix_routed + mlp + cnn) / 3, base),
        y,
        src,
        base,
    )
    cv.report(
        "routed mix + CNN x3 (2:1)", np.where(long, (2 * mix_routed + cnn) / 3, base), y, src, base
    )
    cv.report(
        "routed mix + MLP x3 (1:1)", np.where(long, (mix_routed + mlp) / 2, base), y, src, base
    )
    if args.json:
        args.json.write_text(json.dumps(cv.TABLE, ensure_ascii=False, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
