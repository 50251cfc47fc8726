"""Per-domain review heads: does a hotel head and a delivery head beat one review head?

    python scripts/cv_sentiment_domain.py [--json PATH]

Same seeded 5-fold split of the non-held-out review rows as scripts/cv_sentiment.py (no
held-out row is read). The shipped recipe (3-way head + NBSVM review head, mixed 0.5/0.5
on texts of >= 10 characters) against the same mix whose review head is one NBSVM per
domain (hotel, delivery), each trained on its own domain's rows (+ service lines), with a
text routed to them by a domain classifier trained on the same fold (P(hotel) weights the
two heads); and, as a ceiling, routed by the true domain.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cv_sentiment as cv
import train_sentiment as ts

from hegui.engine.normalise import normalise_many


@dataclass(frozen=True)
class ReviewRows:
    """The non-held-out rows as the CV scripts read them: review row ids, their labels,
    domains (1 = waimai), normalised lengths and folds; per row, positive label, hotel
    domain and sample weight; the service lines every review head also learns from."""

    rev: np.ndarray
    service: np.ndarray
    y: np.ndarray
    src: np.ndarray
    lengths: np.ndarray
    fold: np.ndarray
    label: np.ndarray
    hotel_row: np.ndarray
    weights: np.ndarray

    def nbsvm(self, x: sparse.csr_matrix, tr: np.ndarray, te: np.ndarray) -> np.ndarray:
        """The NBSVM review head trained on `tr` (+ the service lines), scored on `te`."""
        train = np.concatenate([tr, self.service])
        return cv.nbsvm_positive(x, self.label, self.weights, tr, train, te)


def review_rows(rows: list[ts.Row]) -> ReviewRows:
    rev = np.array([i for i, r in enumerate(rows) if r.source.startswith("reviews:")])
    return ReviewRows(
        rev=rev,
        service=np.array(
            [i for i, r in enumerate(rows) if r.source == "service" and r.polarity != "neutral"]
        ),
        y=np.array([int(rows[i].polarity == "positive") for i in rev]),
        src=np.array([int("waimai" in rows[i].source) for i in rev]),
        lengths=np.array([len(t.text) for t in normalise_many([rows[i].text for i in rev])]),
        fold=cv.folds(len(rev)),
        label=np.array([int(r.polarity == "positive") for r in rows]),
        hotel_row=np.array(["htl" in r.source for r in rows]),
        weights=np.where([r.source == "service" for r in rows], ts.SERVICE_WEIGHT, 1.0),
    )


def domain_heads(
    x: sparse.csr_matrix, rv: ReviewRows, tr: np.ndarray, te: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One fold: the hotel head's and the delivery head's P(positive) on `te`, and P(hotel)
    of a domain classifier trained on `tr`."""
    hotel = rv.nbsvm(x, tr[rv.hotel_row[tr]], te)
    waimai = rv.nbsvm(x, tr[~rv.hotel_row[tr]], te)
    dom = LogisticRegression(C=4, max_iter=3000)
    dom.fit(x[tr], rv.hotel_row[tr].astype(int))
    return hotel, waimai, dom.predict_proba(x[te])[:, 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows = [r for r in ts.load(args.data) if not r.held]
    x = sparse.csr_matrix(ts.featurize(rows))
    rv = review_rows(rows)
    rev, y, src, lengths, fold = rv.rev, rv.y, rv.src, rv.lengths, rv.fold
    other = np.array([i for i, r in enumerate(rows) if r.source in ("cped", "service")])
    polarity = [r.polarity or "" for r in rows]

    outs: dict[str, np.ndarray] = {
        k: np.zeros(len(rev)) for k in ("three", "one", "hotel", "waimai", "p_hotel")
    }
    for k in range(cv.FOLDS):
        tr, te = rev[fold != k], rev[fold == k]
        train = np.concatenate([tr, other])
        outs["three"][fold == k] = cv.three_way_positive(x, polarity, rv.weights, train, te)
        outs["one"][fold == k] = rv.nbsvm(x, tr, te)
        hotel, waimai, p_hotel = domain_heads(x, rv, tr, te)
        outs["hotel"][fold == k], outs["waimai"][fold == k] = hotel, waimai
        outs["p_hotel"][fold == k] = p_hotel
        print(f"  fold {k} done", file=sys.stderr, flush=True)
    three, one = outs["three"], outs["one"]

    def mixed(review: np.ndarray, w: float = 0.5) -> np.ndarray:
        return np.where(lengths >= ts.REVIEW_MIN_CHARS, w * three + (1 - w) * review, three)

    base = mixed(one)
    cv.report("shipped recipe [baseline]", base, y, src, base)
    ph = outs["p_hotel"]
    print(f"domain classifier accuracy {((ph > 0.5) == (src == 0)).mean():.4f}", file=sys.stderr)
    routed = ph * outs["hotel"] + (1 - ph) * outs["waimai"]
    truth = np.where(src == 0, outs["hotel"], outs["waimai"])
    cv.report("per-domain heads, routed by classifier", mixed(routed), y, src, base)
    cv.report("per-domain heads, routed by true domain", mixed(truth), y, src, base)
    cv.report("mean of one head and routed heads", mixed((routed + one) / 2), y, src, base)
    for w in (0.3, 0.4):
        cv.report(f"routed heads, mix weight {w}", mixed(routed, w), y, src, base)
    if args.json:
        args.json.write_text(json.dumps(cv.TABLE, ensure_ascii=False, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
