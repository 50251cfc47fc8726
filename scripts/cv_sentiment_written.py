"""Does training on the written reviews (training/sentiment/written/) help review polarity?

    python scripts/cv_sentiment_written.py [--weights 0.5,1,2] [--json PATH]

Same seeded 5-fold split of the non-held-out review rows as scripts/cv_sentiment.py (no
held-out row is read). Per fold the shipped recipe (3-way head on the other folds'
reviews + CPED + service; NBSVM review head on the other folds' reviews + service; mixed
0.5/0.5 on texts of >= 10 characters) against the same recipe with every written review
added to both heads' training at a weight. Only real review rows are scored.
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
import train_sentiment as ts

from hegui.engine.normalise import normalise_many


def load_written() -> list[ts.Row]:
    """Reviews written for us (training/sentiment/written/; none is ever held out: the
    review figures are measured on the real reviews' held-out rows)."""
    rows = []
    for path in sorted((ts.TRAINING / "written").glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                pol = "positive" if item["label"] == 1 else "negative"
                rows.append(ts.Row(item["text"], "written", False, polarity=pol))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--weights", default="0.5,1,2")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows = [r for r in ts.load(args.data) if not r.held]
    written = load_written()
    x = sparse.csr_matrix(ts.featurize(rows + written))
    n = len(rows)
    rev = np.array([i for i, r in enumerate(rows) if r.source.startswith("reviews:")])
    other = np.array([i for i, r in enumerate(rows) if r.source in ("cped", "service")])
    service = np.array(
        [i for i, r in enumerate(rows) if r.source == "service" and r.polarity != "neutral"]
    )
    extra = np.arange(n, n + len(written))
    allrows = rows + written
    y = np.array([int(rows[i].polarity == "positive") for i in rev])
    src = np.array([int("waimai" in rows[i].source) for i in rev])
    lengths = np.array([len(t.text) for t in normalise_many([rows[i].text for i in rev])])
    fold = cv.folds(len(rev))
    print(f"{len(rev)} review rows, {len(written)} written", file=sys.stderr)

    polarity = [r.polarity or "" for r in allrows]
    label = np.array([int(r.polarity == "positive") for r in allrows])

    def weights(w_extra: float) -> np.ndarray:
        by_source = {"service": ts.SERVICE_WEIGHT, "written": w_extra}
        return np.array([by_source.get(r.source, 1.0) for r in allrows])

    def run(w_extra: float, nb_from_written: bool) -> np.ndarray:
        out = np.zeros(len(rev))
        add = extra if w_extra > 0 else np.array([], dtype=np.int64)
        w = weights(w_extra)
        for k in range(cv.FOLDS):
            tr, te = rev[fold != k], rev[fold == k]
            train = np.concatenate([tr, other, add]).astype(np.int64)
            three = cv.three_way_positive(x, polarity, w, train, te)
            ratio_rows = np.concatenate([tr, add]).astype(np.int64) if nb_from_written else tr
            train = np.concatenate([tr, service, add]).astype(np.int64)
            review = cv.nbsvm_positive(x, label, w, ratio_rows, train, te)
            mine = lengths[fold == k] >= ts.REVIEW_MIN_CHARS
            out[fold == k] = np.where(mine, 0.5 * three + 0.5 * review, three)
        return out

    t0 = time.time()
    base = run(0.0, False)
    print(f"  (baseline {time.time() - t0:.0f} s)", file=sys.stderr)
    cv.report("shipped recipe [baseline]", base, y, src, base)
    for w in [float(v) for v in args.weights.split(",")]:
        for nbw in (False, True):
            p = run(w, nbw)
            cv.report(f"+ written x{w}{' (NB ratios too)' if nbw else ''}", p, y, src, base)
    if args.json:
        args.json.write_text(json.dumps(cv.TABLE, ensure_ascii=False, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
