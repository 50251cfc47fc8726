"""Train hegui's shipped sentiment model (src/hegui/models/sentiment.npz).

    .venv/bin/pip install -e '.[train]'            # scikit-learn, for training only
    python scripts/train_sentiment.py [--data DIR] [--out PATH] [--report PATH]

Deterministic: fixed seeds, fixed splits, the engine's own featurizer. Data (see
training/sentiment/README.md for the recipe):

- ChnSentiCorp hotel + waimai review TRAINING rows (DIR/sentiment/*.csv): label 1/0 →
  positive/negative; a seeded 15% of each file is held out and never trained on;
- CPED valid_split.csv (DIR/dialogs/cped): polarity from `Sentiment`, emotion from
  `Emotion` mapped to 7 (CPED_EMOTIONS; negative-other has no place among the 7 and is
  used for polarity only); a seeded 20% of the Dialogue_IDs is held out;
- COLD dev.csv (DIR/dialogs/cold): offensive → tone "rude" (a proxy: Weibo comments, not
  agents), safe → not rude; a seeded 20% held out;
- training/sentiment/service_*.jsonl: customer-service lines we wrote; a seeded 20% held out.

No test split of any dataset is read. Heads: multinomial logistic regressions (polarity,
emotion), one binary logistic regression per tone, over hashed character 1–3-grams and
jieba word 1–2-grams of the normalised text, each row scaled by 1/sqrt(#buckets) — exactly
what hegui.engine.sentiment computes at run time. Review polarity (texts of ≥ 10
characters) is the stacked ensemble of hegui.engine.sentiment.model.ReviewStack, trained on
the review rows and the service lines (positive vs negative only): two per-domain review
heads (NB-weighted logistic regressions, "NBSVM": each feature scaled by its log-count
ratio in the domain's review rows, the scale folded back into the weights; hotel, delivery)
routed by a domain head (logistic regression, hotel vs delivery, review rows), three MLPs
(scikit-learn, 32 ReLU units over the 30,000 buckets seen in most review rows) and three
char CNNs (scripts/sentiment_cnn.py). All of it was chosen in cross-validation on training
rows (scripts/cv_sentiment*.py; training/sentiment/REPORT.md), not on held-out rows. The
report scores the shipped bytes (int8 / float16 weights) through the runtime code on the
held-out rows.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

try:
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score, precision_recall_fscore_support, roc_auc_score
except ImportError:  # pragma: no cover - a training-only dependency
    sys.exit("训练需要 scikit-learn: .venv/bin/pip install -e '.[train]'")

from hegui.engine.normalise import normalise_many
from hegui.engine.sentiment.charcnn import CharCNN
from hegui.engine.sentiment.model import (
    DOMAIN,
    EMOTIONS,
    POLARITIES,
    REVIEW,
    TONES,
    HashedMLP,
    Reading,
    ReviewStack,
    SentimentModel,
)
from hegui.engine.textmodel import HashedNgrams, LinearModel
from hegui.engine.textmodel.words import WordNgrams
from hegui.models.sentiment import jieba_tokenizer

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sentiment_cnn import fit_charcnn  # scripts/sentiment_cnn.py

ROOT = Path(__file__).resolve().parents[1]
TRAINING = ROOT / "training" / "sentiment"
SEED = 20240601
DIMS = 1 << 18
CHARS = HashedNgrams(1, 3, DIMS)
WORDS = WordNgrams(2, DIMS)
HELD_REVIEWS, HELD_CPED, HELD_COLD, HELD_SERVICE = 0.15, 0.20, 0.20, 0.20
C_POLARITY, C_EMOTION, C_TONE = 8.0, 4.0, 4.0
SERVICE_WEIGHT = 5.0  # our few service lines count five times
C_REVIEW, NB_ALPHA = 16.0, 1.0  # the review head: NB-weighted logistic regression
REVIEW_WEIGHT = 0.5  # part (a): 0.5 · 3-way head's split + 0.5 · routed review heads ...
REVIEW_MIN_CHARS = 10  # ... on texts of at least 10 characters (normalised)
C_DOMAIN = 4.0  # the domain head (hotel vs delivery)
MLP_HIDDEN, MLP_TOP, MLP_EPOCHS, MLP_ALPHA = 32, 30000, 3, 1e-4
MLP_SEEDS = CNN_SEEDS = (0, 1, 2)
PRUNE = 0.02  # drop buckets whose weights are all this close to zero (model size)

CPED_EMOTIONS = {
    "neutral": "neutral",
    "anger": "anger",
    "disgust": "disgust",
    "fear": "fear",
    "worried": "fear",
    "sadness": "sadness",
    "depress": "sadness",
    "happy": "happiness",
    "relaxed": "happiness",
    "grateful": "happiness",
    "positive-other": "happiness",
    "astonished": "surprise",
    "negative-other": None,
}


@dataclass
class Row:
    text: str
    source: str  # reviews:<file> | cped | cold | service
    held: bool
    polarity: str | None = None
    emotion: str | None = None
    tone: dict[str, int] | None = None  # per tone 1/0; None: not a tone example
    group: str = ""  # CPED dialogue id


def held_out(keys: Sequence[str], share: float, salt: str) -> set[str]:
    ordered = sorted(set(keys))
    random.Random(f"{SEED}:{salt}").shuffle(ordered)
    return set(ordered[: round(len(ordered) * share)])


def load(data: Path) -> list[Row]:
    rows: list[Row] = []
    for path in sorted((data / "sentiment").glob("*_train.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            found = [(r["review"] or "", int(r["label"])) for r in csv.DictReader(f)]
        held = held_out([str(i) for i in range(len(found))], HELD_REVIEWS, path.name)
        for i, (text, label) in enumerate(found):
            pol = "positive" if label == 1 else "negative"
            rows.append(Row(text, f"reviews:{path.stem}", str(i) in held, polarity=pol))
    with (data / "dialogs" / "cped" / "valid_split.csv").open(encoding="utf-8-sig") as f:
        cped = list(csv.DictReader(f))
    held = held_out([r["Dialogue_ID"] for r in cped], HELD_CPED, "cped")
    for r in cped:
        rows.append(
            Row(
                r["Utterance"],
                "cped",
                r["Dialogue_ID"] in held,
                polarity=r["Sentiment"],
                emotion=CPED_EMOTIONS[r["Emotion"]],
                group=r["Dialogue_ID"],
            )
        )
        if r["Sentiment"] != "negative":  # calm and glad drama lines: not rude, impatient, cold
            rows[-1].tone = dict.fromkeys(TONES, 0)
    with (data / "dialogs" / "cold" / "dev.csv").open(encoding="utf-8") as f:
        cold = list(csv.DictReader(f))
    held = held_out([str(i) for i in range(len(cold))], HELD_COLD, "cold")
    for i, r in enumerate(cold):
        tone = {"rude": int(r["label"]), "impatient": 0, "cold": 0}
        rows.append(Row(r["TEXT"], "cold", str(i) in held, tone=tone))
    service = []
    for path in sorted(TRAINING.glob("service_*.jsonl")):
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if line.strip():
                service.append((f"{path.name}:{n}", json.loads(line)))
    held = held_out([k for k, _ in service], HELD_SERVICE, "service")
    for key, item in service:
        tone = None
        if item["role"] == "agent" or item["polarity"] != "negative":
            tone = {t: int(item.get("tone") == t) for t in TONES}
        emotion = item.get("emotion") if item["role"] == "customer" else None
        rows.append(Row(item["text"], "service", key in held, item["polarity"], emotion, tone))
    return rows


def featurize(rows: Sequence[Row]) -> sparse.csr_matrix:
    texts = [n.text for n in normalise_many([r.text for r in rows])]
    cut = jieba_tokenizer()
    indices: list[int] = []
    indptr = [0]
    for text in texts:
        found = set(CHARS.buckets(text))
        if text:
            found |= WORDS.buckets(cut(text))
        indices.extend(sorted(found))
        indptr.append(len(indices))
    counts = np.diff(indptr)
    data = np.repeat(1.0 / np.sqrt(np.maximum(counts, 1)), counts)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), DIMS))


def fit_softmax(
    x: sparse.csr_matrix, labels: list[str], weights: np.ndarray, classes: Sequence[str], c: float
) -> LinearModel:
    lr = LogisticRegression(C=c, max_iter=3000)
    lr.fit(x, labels, sample_weight=weights)
    order = [list(lr.classes_).index(k) for k in classes]
    coef = lr.coef_[order].T
    bias = lr.intercept_[order]
    calibration = np.tile([1.0, 0.0], (len(classes), 1))
    meta = {"probability": "softmax", "temperature": 1.0}
    return LinearModel.from_arrays(classes, CHARS, coef, bias, calibration, meta, prune=PRUNE)


def fit_tones(x: sparse.csr_matrix, rows: Sequence[Row], weights: np.ndarray) -> LinearModel:
    coef = np.zeros((DIMS, len(TONES)))
    bias = np.zeros(len(TONES))
    for j, tone in enumerate(TONES):
        y = np.array([r.tone[tone] for r in rows if r.tone is not None])  # type: ignore[index]
        lr = LogisticRegression(C=C_TONE, max_iter=3000, class_weight="balanced")
        lr.fit(x, y, sample_weight=weights)
        coef[:, j], bias[j] = lr.coef_[0], lr.intercept_[0]
    calibration = np.tile([1.0, 0.0], (len(TONES), 1))  # the regression's own probabilities
    meta = {"probability": "one-vs-rest logistic"}
    return LinearModel.from_arrays(TONES, CHARS, coef, bias, calibration, meta, prune=PRUNE)


def nb_ratio(x: sparse.csr_matrix, y: np.ndarray, alpha: float = NB_ALPHA) -> np.ndarray:
    """Log-count ratio per bucket: log of (share of positive rows' bucket occurrences) over
    (the same for negative rows), each count smoothed by alpha."""
    seen = (x > 0).astype(np.float64)
    p = alpha + np.asarray(seen[y == 1].sum(axis=0)).ravel()
    q = alpha + np.asarray(seen[y == 0].sum(axis=0)).ravel()
    return np.log((p / p.sum()) / (q / q.sum()))  # type: ignore[no-any-return]


def fit_review(
    x: sparse.csr_matrix, rows: Sequence[Row], weights: np.ndarray, domain: str = "all"
) -> LinearModel:
    """Binary positive-vs-negative head. The NB ratios come from the review rows only;
    the regression sees reviews and service lines (x · diag(r)); weights = coef · r."""
    y = np.array([int(r.polarity == "positive") for r in rows])
    reviews = np.array([r.source.startswith("reviews:") for r in rows])
    ratio = nb_ratio(x[reviews], y[reviews])
    lr = LogisticRegression(C=C_REVIEW, max_iter=5000)
    lr.fit(x @ sparse.diags(ratio), y, sample_weight=weights)
    coef = (lr.coef_[0] * ratio).reshape(-1, 1)
    meta = {"probability": "logistic: P(positive | positive or negative)", "domain": domain}
    calibration = np.array([[1.0, 0.0]])
    return LinearModel.from_arrays(REVIEW, CHARS, coef, lr.intercept_, calibration, meta, PRUNE)


def is_hotel(row: Row) -> bool:
    return "htl" in row.source


def fit_domain(x: sparse.csr_matrix, rows: Sequence[Row]) -> LinearModel:
    """P(hotel) of a text: logistic regression on review rows, hotel vs delivery."""
    lr = LogisticRegression(C=C_DOMAIN, max_iter=3000)
    lr.fit(x, np.array([int(is_hotel(r)) for r in rows]))
    meta = {"probability": "logistic: P(hotel review | a review)"}
    calibration = np.array([[1.0, 0.0]])
    coef = lr.coef_[0].reshape(-1, 1)
    return LinearModel.from_arrays(DOMAIN, CHARS, coef, lr.intercept_, calibration, meta, PRUNE)


def fit_mlps(x: sparse.csr_matrix, rows: Sequence[Row]) -> HashedMLP:
    """MLP_SEEDS nets (scikit-learn MLPClassifier: MLP_HIDDEN ReLU units, Adam, batch 64,
    MLP_EPOCHS epochs) over the MLP_TOP buckets seen in most review rows; rows = reviews
    and service lines (± only), unweighted, as in scripts/cv_sentiment.py."""
    keep, nets = train_mlps(x, rows)
    return mlp_from_sklearn(keep, nets)


def train_mlps(x: sparse.csr_matrix, rows: Sequence[Row]) -> tuple[np.ndarray, list[Any]]:
    """The kept buckets (columns of x, in the order the nets read them) and the nets."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    y = np.array([int(r.polarity == "positive") for r in rows])
    reviews = np.array([r.source.startswith("reviews:") for r in rows])
    df = np.asarray((x[reviews] > 0).sum(axis=0)).ravel()
    keep = np.argsort(-df, kind="stable")[:MLP_TOP]
    nets = []
    for seed in MLP_SEEDS:
        net = MLPClassifier(
            (MLP_HIDDEN,), alpha=MLP_ALPHA, batch_size=64, max_iter=MLP_EPOCHS, random_state=seed
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            net.fit(x[:, keep], y)
        nets.append(net)
    return keep, nets


def mlp_from_sklearn(keep: np.ndarray, nets: Sequence[Any]) -> HashedMLP:
    """scikit-learn's binary MLPs over the columns `keep` of x as the runtime's HashedMLP."""
    order = np.argsort(keep)  # the runtime wants its buckets sorted
    firsts = [(net.coefs_[0][order], net.intercepts_[0]) for net in nets]
    outs = [net.coefs_[1][:, 0] for net in nets]
    return mlp_from_weights(keep[order], firsts, outs, [net.intercepts_[1][0] for net in nets])


def mlp_from_weights(
    buckets: np.ndarray,
    firsts: Sequence[tuple[np.ndarray, np.ndarray]],
    outs: Sequence[np.ndarray],
    biases: Sequence[float],
) -> HashedMLP:
    """The runtime's HashedMLP from float nets: per net its first layer (weights over the
    sorted `buckets`, hidden bias), output weights and output bias."""
    units = outs[0].shape[0]
    classes = tuple(f"h{k}.{j}" for k in range(len(outs)) for j in range(units))
    hidden = LinearModel(
        classes,
        CHARS,
        np.asarray(buckets, dtype=np.uint32),
        np.ascontiguousarray(np.concatenate([w for w, _ in firsts], axis=1), dtype=np.float32),
        np.concatenate([b for _, b in firsts]).astype(np.float32),
        np.tile([1.0, 0.0], (len(classes), 1)).astype(np.float32),
        {"probability": "hidden layer: relu(margin)"},
    )
    return HashedMLP(hidden, np.array(outs, dtype=np.float32), np.array(biases, dtype=np.float32))


def fit_cnns(rows: Sequence[Row], weights: np.ndarray) -> tuple[CharCNN, ...]:
    """The char CNNs (fit_charcnn's default settings) on reviews and service lines."""
    texts = [n.text for n in normalise_many([r.text for r in rows])]
    y = np.array([int(r.polarity == "positive") for r in rows])
    nets = []
    for seed in CNN_SEEDS:
        t0 = time.process_time()
        nets.append(fit_charcnn(texts, y, weights, seed))
        print(f"  char CNN seed {seed}: {time.process_time() - t0:.0f} s CPU", file=sys.stderr)
    return tuple(nets)


def fit_stack(x: sparse.csr_matrix, rows: Sequence[Row], weights: np.ndarray) -> ReviewStack:
    """The review ensemble from the review rows and service lines (± only); `weights`
    count service lines SERVICE_WEIGHT times (the NBSVM heads and the CNNs use them)."""
    reviews = np.array([r.source.startswith("reviews:") for r in rows])
    service = ~reviews
    hotel = np.array([is_hotel(r) for r in rows])
    heads = {}
    for name, want in (("hotel", hotel), ("delivery", reviews & ~hotel)):
        ids = np.flatnonzero(want | service)
        heads[name] = fit_review(x[ids], [rows[i] for i in ids], weights[ids], name)
    ids = np.flatnonzero(reviews)
    domain = fit_domain(x[ids], [rows[i] for i in ids])
    print("  domain and review heads done", file=sys.stderr, flush=True)
    mlp = fit_mlps(x, rows)
    print("  MLPs done", file=sys.stderr, flush=True)
    cnns = fit_cnns(rows, weights)
    return ReviewStack(
        domain, heads["hotel"], heads["delivery"], mlp, cnns, REVIEW_WEIGHT, REVIEW_MIN_CHARS
    )


def train(rows: Sequence[Row], x: sparse.csr_matrix) -> SentimentModel:
    train_idx = [i for i, r in enumerate(rows) if not r.held]

    def part(want: str) -> list[int]:
        return [i for i in train_idx if getattr(rows[i], want) is not None]

    def weight(ids: list[int]) -> np.ndarray:
        return np.array([SERVICE_WEIGHT if rows[i].source == "service" else 1.0 for i in ids])

    ids = part("polarity")
    polarity = fit_softmax(
        x[ids], [rows[i].polarity for i in ids], weight(ids), POLARITIES, C_POLARITY
    )
    ids = part("emotion")
    emotion = fit_softmax(x[ids], [rows[i].emotion for i in ids], weight(ids), EMOTIONS, C_EMOTION)
    ids = part("tone")
    tone = fit_tones(x[ids], [rows[i] for i in ids], weight(ids))
    ids = [
        i
        for i in part("polarity")
        if rows[i].polarity != "neutral" and rows[i].source != "cped"  # reviews, service
    ]
    stack = fit_stack(x[ids], [rows[i] for i in ids], weight(ids))
    meta = {"trained_by": "scripts/train_sentiment.py", "seed": SEED}
    return SentimentModel(polarity, emotion, tone, WORDS, None, meta, stack=stack)


# -- evaluation -------------------------------------------------------------------------


def prf(gold: list[bool], pred: list[bool]) -> dict[str, float]:
    p, r, f, _ = precision_recall_fscore_support(gold, pred, average="binary", zero_division=0)
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def evaluate(rows: Sequence[Row], model: SentimentModel) -> dict[str, object]:
    held = [r for r in rows if r.held]
    compact = [n.text for n in normalise_many([r.text for r in held])]
    t0 = time.process_time()
    reads = [model.read_compact(t) for t in compact]
    cpu = (time.process_time() - t0) / max(len(held), 1) * 1e6
    out: dict[str, object] = {"held_out_rows": len(held), "us_per_utterance": round(cpu, 1)}
    pairs = list(zip(held, reads, strict=True))

    # the 3-way polarity head alone (no review ensemble mixed in), for comparison
    plain = SentimentModel(
        model.polarity, model.emotion, model.tone, model.words, model.tokenizer, model.meta
    )

    def pos_vs_neg(m: Reading, gold: str | None) -> bool:
        return (
            "positive" if m.polarity["positive"] > m.polarity["negative"] else "negative"
        ) == gold

    rev = [
        (r, m, t)
        for (r, m), t in zip(pairs, compact, strict=True)
        if r.source.startswith("reviews:")
    ]
    for name in [*sorted({r.source for r, _, _ in rev}), "reviews:all"]:
        sel = [(r, m, t) for r, m, t in rev if name == "reviews:all" or r.source == name]
        majority = Counter(r.polarity for r, _, _ in sel).most_common(1)[0][1] / len(sel)
        out[name] = {
            "rows": len(sel),
            "accuracy_pos_vs_neg": round(
                float(np.mean([pos_vs_neg(m, r.polarity) for r, m, _ in sel])), 4
            ),
            "accuracy_3way_argmax": round(
                float(np.mean([m.top_polarity == r.polarity for r, m, _ in sel])), 4
            ),
            "accuracy_polarity_head_alone": round(
                float(np.mean([pos_vs_neg(plain.read_compact(t), r.polarity) for r, _, t in sel])),
                4,
            ),
            "majority_baseline": round(majority, 4),
        }

    cped = [(r, m) for r, m in pairs if r.source == "cped"]
    gold = [r.polarity for r, _ in cped]
    pred = [m.top_polarity for _, m in cped]
    emo = [(r, m) for r, m in cped if r.emotion is not None]
    out["cped"] = {
        "rows": len(cped),
        "dialogues": len({r.group for r, _ in cped}),
        "polarity_accuracy_3way": round(
            float(np.mean([g == p for g, p in zip(gold, pred, strict=True)])), 4
        ),
        "polarity_macro_f1": round(f1_score(gold, pred, average="macro"), 4),
        "polarity_majority_baseline": round(Counter(gold).most_common(1)[0][1] / len(gold), 4),
        "anger_argmax": prf(
            [r.emotion == "anger" for r, _ in cped], [m.top_emotion == "anger" for _, m in cped]
        ),
        "anger_p_at_least_0.5": prf(
            [r.emotion == "anger" for r, _ in cped], [m.anger >= 0.5 for _, m in cped]
        ),
        "anger_auc": round(
            roc_auc_score([r.emotion == "anger" for r, _ in cped], [m.anger for _, m in cped]), 4
        ),
        "emotion_rows_mapped": len(emo),
        "emotion_accuracy_7way": round(
            float(np.mean([r.emotion == m.top_emotion for r, m in emo])), 4
        ),
        "emotion_macro_f1": round(
            f1_score(
                [r.emotion for r, _ in emo],
                [m.top_emotion for _, m in emo],
                average="macro",
                labels=list(EMOTIONS),
            ),
            4,
        ),
        "per_emotion_f1": {
            e: prf([r.emotion == e for r, _ in emo], [m.top_emotion == e for _, m in emo])["f1"]
            for e in EMOTIONS
        },
    }
    cold = [(r, m) for r, m in pairs if r.source == "cold"]
    gold_rude = [bool(r.tone and r.tone["rude"]) for r, _ in cold]
    out["cold_rude"] = {
        "rows": len(cold),
        "auc": round(roc_auc_score(gold_rude, [m.tone["rude"] for _, m in cold]), 4),
        "at_0.5": prf(gold_rude, [m.tone["rude"] >= 0.5 for _, m in cold]),
    }
    svc = [(r, m) for r, m in pairs if r.source == "service"]
    out["service"] = {
        "rows": len(svc),
        "polarity_accuracy_3way": round(
            float(np.mean([r.polarity == m.top_polarity for r, m in svc])), 4
        ),
        "tone_correct_at_0.5": {
            t: f"{sum((m.tone[t] >= 0.5) == bool(r.tone[t]) for r, m in svc if r.tone)}"
            f"/{sum(1 for r, _ in svc if r.tone)}"
            for t in TONES
        },
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--out", type=Path, default=ROOT / "src/hegui/models/sentiment.npz")
    parser.add_argument("--metrics", type=Path, default=TRAINING / "metrics.json")
    args = parser.parse_args()
    t0 = time.process_time()
    rows = load(args.data)
    print(f"{len(rows)} rows, {sum(r.held for r in rows)} held out", file=sys.stderr)
    x = featurize(rows)
    model = train(rows, x)
    data = model.to_bytes()
    args.out.write_bytes(data)
    shipped = SentimentModel.from_bytes(data, jieba_tokenizer())
    metrics = evaluate(rows, shipped)
    metrics["model_bytes"] = len(data)
    metrics["buckets"] = {
        "polarity": int(shipped.polarity.buckets.shape[0]),
        "emotion": int(shipped.emotion.buckets.shape[0]),
        "tone": int(shipped.tone.buckets.shape[0]),
    }
    if shipped.stack is not None:
        stack = shipped.stack
        metrics["buckets"].update(  # type: ignore[attr-defined]
            {
                "domain": int(stack.domain.buckets.shape[0]),
                "review_hotel": int(stack.hotel.buckets.shape[0]),
                "review_delivery": int(stack.delivery.buckets.shape[0]),
                "mlp": int(stack.mlp.hidden.buckets.shape[0]),
            }
        )
        metrics["char_cnn_vocabulary"] = [len(net.vocabulary) for net in stack.cnns]
    metrics["train_rows"] = dict(Counter(r.source for r in rows if not r.held))
    metrics["training_cpu_s"] = round(time.process_time() - t0, 1)
    text = json.dumps(metrics, ensure_ascii=False, indent=2)
    args.metrics.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
