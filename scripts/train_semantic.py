"""Train hegui's shipped semantic intent model (src/hegui/models/semantic.npz).

    .venv/bin/pip install -e '.[train]'            # scikit-learn, for training only
    python scripts/train_semantic.py [--data DIR ...] [--out PATH] [--report PATH]

Data (deterministic, seed fixed):
- training/semantic/<intent>.jsonl, training/semantic/batch2/, each folder under
  training/semantic/batch3/ (and every --data DIR):
  one utterance a line, {"text", "role", "label": 1 | 0 (a hard negative), "style"};
- training/semantic/seed.jsonl: the same with an "intent" field;
- every shipped rule's examples (not those of the semantic pack itself): `match` examples
  are positives of the intent named like the rule's category, `no_match` ones spoken by
  that intent's roles are its hard negatives; must-say keywords of the risk-warning and
  fee-disclosure rules are positives of said.risk_warning / said.fee_disclosure;
- background negatives: ../shared/data/bot training files (AFQMC, SMP, BANKING77),
  ../shared/data/sentiment training files and two of CPED's five TV series
  (CPED_TRAIN_SERIES; benchmarks/false_positives.py measures on the other three) —
  negative reviews and negative CPED lines are not used as negatives of the
  customer-side and rude/impatient intents.

Per intent, a logistic regression over hashed character 1–3-grams of the engine's
normalised text (hegui.engine.textmodel, the code the engine scores with). Negatives of an
intent: its own hard negatives, the background, and the positives of intents that cannot
overlap with it (another CLUSTER). Platt calibration on out-of-fold margins (5 folds),
so a score of 0.8 is right about 80% of the time on data like the training data.

The report (training/semantic/REPORT.md) gives precision/recall per intent on a held-out
20% of the labelled data (model trained on the other 80%) and on the labelled utterances
of benchmarks/eval's DEV split; the test split and /work/wt/_data are never read.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

try:
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression
except ImportError:  # pragma: no cover - a training-only dependency
    sys.exit("训练需要 scikit-learn: .venv/bin/pip install -e '.[train]'")

from hegui.engine.normalise import normalise_many
from hegui.engine.rules import schema as s
from hegui.engine.textmodel import INTENT_ROLES, SEMANTIC_INTENTS, HashedNgrams, LinearModel
from hegui.packs import SHIPPED, load_pack_file, shipped_path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
if not SHARED.exists():
    SHARED = Path("/work/shared/data")
SEED = 20261206
FEATURES = HashedNgrams(n_min=1, n_max=3, dims=1 << 18)
C_REG = 4.0  # inverse L2 strength
POS_WEIGHT = 8.0  # positives are few beside the background
PRUNE = 0.05  # drop buckets whose weights are all this close to zero (model size)
FOLDS = 5
BACKGROUND_CAP = {
    "afqmc": 16000,
    "banking77": 2000,
    "cped": 6000,
    "sentiment": 12000,
    "smp": 4000,
}
# Everyday dialogue (CPED, TV series) as background: only these series; the others are
# benchmarks/false_positives.py's unseen everyday speech (it reads the same constant).
CPED_TRAIN_SERIES = frozenset({"32", "44"})
# Intents whose positives may also mean another intent of the cluster: not negatives there.
CLUSTERS = (
    {
        "compliance.guarantee_return",
        "compliance.exaggeration",
        "compliance.deposit_confusion",
        "compliance.unauthorized_commitment",
    },
    {"compliance.collection_abuse", "service.rude", "service.impatient"},
    {
        "compliance.account_operation",
        "privacy.credential_request",
        "privacy.improper_retention",
        "privacy.private_channel",
    },
    {"compliance.suitability"},
    {"service.customer_negative", "service.complaint_escalation"},
    {"said.risk_warning", "said.fee_disclosure"},
    {"risk.transfer_failure"},
)
NOT_NEGATIVE_REVIEWS = {
    "service.customer_negative",
    "service.complaint_escalation",
    "service.rude",
    "service.impatient",
}
MUST_SAY_INTENT = {
    "compliance.missing_risk_disclosure": "said.risk_warning",
    "compliance.fee_disclosure": "said.fee_disclosure",
}


@dataclass(frozen=True, slots=True)
class Row:
    text: str
    intent: str | None  # None: background
    label: int
    source: str
    review_negative: bool = False


def cluster_of(intent: str) -> int:
    return next(i for i, c in enumerate(CLUSTERS) if intent in c)


# -- data ---------------------------------------------------------------------------


def intent_files(dirs: Sequence[Path]) -> list[Row]:
    rows: list[Row] = []
    seen_files: set[Path] = set()
    for folder in dirs:
        for path in sorted(folder.glob("*.jsonl")):
            intent = path.stem
            if path.resolve() in seen_files:
                continue  # the same folder named twice
            seen_files.add(path.resolve())
            if intent == "seed":
                rows.extend(_seed(path))
                continue
            if intent not in INTENT_ROLES:
                continue
            for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                item = json.loads(line)
                text, label = str(item["text"]).strip(), int(item["label"])
                if text and label in (0, 1):
                    rows.append(Row(text, intent, label, f"{path.name}:{number}"))
    return rows


def _seed(path: Path) -> list[Row]:
    out = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.strip():
            item = json.loads(line)
            if item["intent"] not in INTENT_ROLES:
                raise SystemExit(f"{path}:{number}: unknown intent {item['intent']!r}")
            out.append(Row(item["text"], item["intent"], int(item["label"]), f"seed:{number}"))
    return out


def rule_examples() -> list[Row]:
    rows: list[Row] = []
    for name in SHIPPED:
        if name == "semantic":
            continue  # its examples test the model: never trained on
        spec = load_pack_file(shipped_path(name))
        for rule in spec.rules:
            intent = rule.category if rule.category in INTENT_ROLES else None
            if rule.must_say is not None and rule.category in MUST_SAY_INTENT:
                for phrase in _keywords(rule.must_say):
                    rows.append(Row(phrase, MUST_SAY_INTENT[rule.category], 1, f"{rule.id}"))
            if intent is None or rule.kind not in ("when", "count"):
                continue
            roles = set(INTENT_ROLES[intent])
            for label, examples in ((1, rule.examples.match), (0, rule.examples.no_match)):
                for example in examples:
                    if isinstance(example, str):
                        text, role = example, rule.scope.roles[0]
                    elif isinstance(example, s.SingleUtteranceExample):
                        text, role = example.text, example.role or rule.scope.roles[0]
                    else:
                        continue
                    if role in roles:
                        rows.append(Row(text, intent, label, f"{rule.id}"))
    return rows


def _keywords(cond: Any) -> list[str]:
    if isinstance(cond, s.KeywordsCond):
        return list(cond.keywords)
    if isinstance(cond, s.AnyCond):
        return [k for part in cond.any for k in _keywords(part)]
    return []


def background(rng: random.Random) -> list[Row]:
    pools: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    with (SHARED / "bot/afqmc/train.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            pools["afqmc"] += [(row["sentence1"], False), (row["sentence2"], False)]
    with (SHARED / "bot/banking77/train.csv").open(encoding="utf-8") as f:
        pools["banking77"] += [(row["text"], False) for row in csv.DictReader(f)]
    with (SHARED / "bot/smp2017_ecdt_task1/train.tsv").open(encoding="utf-8") as f:
        pools["smp"] += [(row["text"], False) for row in csv.DictReader(f, delimiter="\t")]
    for line in (SHARED / "bot/smp2019_ecdt_nlu/train.jsonl").read_text("utf-8").splitlines():
        if line.strip():
            pools["smp"].append((json.loads(line)["text"], False))
    with (SHARED / "dialogs/cped/valid_split.csv").open(encoding="utf-8-sig") as f:
        pools["cped"] += [
            (row["Utterance"], row["Sentiment"] == "negative")
            for row in csv.DictReader(f)
            if row["TV_ID"] in CPED_TRAIN_SERIES
        ]
    for name in ("chnsenticorp_htl_train.csv", "waimai_10k_train.csv"):
        with (SHARED / "sentiment" / name).open(encoding="utf-8") as f:
            pools["sentiment"] += [(r["review"], r["label"] == "0") for r in csv.DictReader(f)]
    rows = []
    for name in sorted(pools):
        unique = sorted({(t.strip(), neg) for t, neg in pools[name] if t and t.strip()})
        rng.shuffle(unique)
        for text, neg in unique[: BACKGROUND_CAP[name]]:
            rows.append(Row(text[:200], None, 0, name, review_negative=neg))
    return rows


# -- training -----------------------------------------------------------------------


def featurize(texts: Sequence[str]) -> sparse.csr_matrix:
    indptr, indices, values = [0], [], []
    for norm in normalise_many(list(texts)):
        found = FEATURES.buckets(norm.text)
        indices.extend(found)
        values.extend([1.0 / np.sqrt(len(found))] * len(found) if found else [])
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.asarray(values, np.float32), np.asarray(indices, np.int64), np.asarray(indptr)),
        shape=(len(texts), FEATURES.dims),
    )


def targets(rows: Sequence[Row], intent: str) -> tuple[np.ndarray, np.ndarray]:
    """Labels (1, 0, or -1: not used) and sample weights of every row for one intent."""
    home = cluster_of(intent)
    y = np.full(len(rows), -1, np.int8)
    for i, row in enumerate(rows):
        if row.intent == intent:
            y[i] = row.label
        elif row.intent is None:
            if not (row.review_negative and intent in NOT_NEGATIVE_REVIEWS):
                y[i] = 0
        elif row.label == 1 and cluster_of(row.intent) != home:
            y[i] = 0
    w = np.where(y == 1, POS_WEIGHT, 1.0)
    return y, w


def fit_one(x: sparse.csr_matrix, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, float]:
    use = y >= 0
    model = LogisticRegression(C=C_REG, solver="liblinear", max_iter=200, random_state=SEED)
    model.fit(x[use], y[use], sample_weight=w[use])
    return model.coef_[0].astype(np.float32), float(model.intercept_[0])


def folds_of(rows: Sequence[Row], k: int, salt: str) -> np.ndarray:
    """A fold per row, by a hash of its text (duplicates land in the same fold)."""
    return np.array(
        [int(hashlib.sha1((salt + r.text).encode()).hexdigest()[:8], 16) % k for r in rows],
        np.int8,
    )


def platt(margins: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    lr = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
    lr.fit(margins.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def train(
    rows: Sequence[Row], x: sparse.csr_matrix, log: Any = print
) -> tuple[LinearModel, LinearModel]:
    """The model of every intent from all `rows` (features `x`), and a probe: the same
    trained without fold 0 (its calibration too), for the held-out report on fold 0."""
    intents = list(SEMANTIC_INTENTS)
    fold = folds_of(rows, FOLDS, "folds")
    dense = np.zeros((FEATURES.dims, len(intents)), np.float32)
    probe = np.zeros_like(dense)
    bias = np.zeros(len(intents), np.float32)
    probe_bias = np.zeros_like(bias)
    calibration = np.zeros((len(intents), 2), np.float32)
    probe_cal = np.zeros_like(calibration)
    for k, intent in enumerate(intents):
        y, w = targets(rows, intent)
        if (y == 1).sum() < 5:
            raise SystemExit(f"{intent}: fewer than 5 positives / 正例不足")
        oof = np.zeros(len(rows))
        for f in range(FOLDS):
            coef, b = fit_one(x, np.where(fold == f, -1, y), w)
            held = (fold == f) & (y >= 0)
            oof[held] = x[held] @ coef + b
            if f == 0:
                probe[:, k], probe_bias[k] = coef, b
        used = y >= 0
        calibration[k] = platt(oof[used], y[used])
        rest = used & (fold != 0)
        probe_cal[k] = platt(oof[rest], y[rest])
        dense[:, k], bias[k] = fit_one(x, y, w)
        log(f"  {intent:36} pos {int((y == 1).sum()):5} neg {int((y == 0).sum()):6}")
    meta = {
        "trained_by": "scripts/train_semantic.py",
        "seed": SEED,
        "C": C_REG,
        "pos_weight": POS_WEIGHT,
        "prune": PRUNE,
        "rows": len(rows),
    }
    model = LinearModel.from_arrays(intents, FEATURES, dense, bias, calibration, meta, PRUNE)
    held = LinearModel.from_arrays(intents, FEATURES, probe, probe_bias, probe_cal, meta, PRUNE)
    return model, held


# -- evaluation ---------------------------------------------------------------------


def prf(scores: Sequence[float], gold: Sequence[int], threshold: float) -> dict[str, float]:
    tp = sum(1 for s_, g in zip(scores, gold, strict=True) if s_ >= threshold and g)
    fp = sum(1 for s_, g in zip(scores, gold, strict=True) if s_ >= threshold and not g)
    fn = sum(1 for s_, g in zip(scores, gold, strict=True) if s_ < threshold and g)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"tp": tp, "fp": fp, "fn": fn, "p": p, "r": r}


def holdout_eval(model: LinearModel, rows: Sequence[Row]) -> dict[str, dict[str, Any]]:
    norms = normalise_many([r.text for r in rows])
    scored = [model.scores(n.text) for n in norms]
    out = {}
    for intent in model.classes:
        y, _ = targets(rows, intent)
        idx = [i for i in range(len(rows)) if y[i] >= 0]
        s_ = [scored[i][intent] for i in idx]
        g = [int(y[i]) for i in idx]
        out[intent] = {t: prf(s_, g, t) for t in (0.5, 0.8)}
        out[intent]["n_pos"] = sum(g)
        # calibration check: among scores in [0.7, 0.9), the share that are positives
        band = [gi for si, gi in zip(s_, g, strict=True) if 0.7 <= si < 0.9]
        out[intent]["band_0.7_0.9"] = (sum(band), len(band))
    return out


def dev_utterances() -> list[tuple[str, str, set[str]]]:
    """(role, text, labelled categories) of every utterance of the eval DEV split."""
    out = []
    for path in sorted((ROOT / "benchmarks" / "eval").glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            item = json.loads(line)
            if item.get("split") != "dev":
                continue  # never the test split
            labels: dict[int, set[str]] = defaultdict(set)
            for lab in item.get("labels", []):
                if lab.get("utterance_index") is not None:
                    labels[lab["utterance_index"]].add(lab["category"])
            for i, u in enumerate(item["utterances"]):
                out.append((u["role"], u["text"], labels.get(i, set())))
    return out


def dev_eval(model: LinearModel, exclude: set[str] | None = None) -> dict[str, dict[str, Any]]:
    """Per intent on the DEV utterances (`exclude`: normalised texts left out)."""
    utts = dev_utterances()
    norms = normalise_many([t for _, t, _ in utts])
    if exclude:
        keep = [i for i, n in enumerate(norms) if n.text not in exclude]
        utts, norms = [utts[i] for i in keep], [norms[i] for i in keep]
    scored = [model.scores(n.text) for n in norms]
    out = {}
    for intent in model.classes:
        if intent.startswith("said."):
            continue  # the dev labels say what is missing, not what was said
        roles = INTENT_ROLES[intent]
        idx = [i for i, (role, _, _) in enumerate(utts) if role in roles]
        s_ = [scored[i][intent] for i in idx]
        g = [int(intent in utts[i][2]) for i in idx]
        res: dict[str, Any] = {t: prf(s_, g, t) for t in (0.5, 0.8, 0.9)}
        best = None
        for t in [x / 100 for x in range(30, 100, 5)]:
            m = prf(s_, g, t)
            f1 = 2 * m["p"] * m["r"] / (m["p"] + m["r"]) if m["p"] + m["r"] else 0.0
            if m["p"] >= 0.8 and m["tp"] and (best is None or f1 > best[1]):
                best = (t, f1, m)
        res["n_pos"] = sum(g)
        res["n"] = len(g)
        res["best"] = best
        out[intent] = res
    return out


def report(
    path: Path,
    held: dict[str, Any],
    devs: list[tuple[str, dict[str, Any]]],
    info: dict[str, Any],
) -> None:
    lines = [
        "# Semantic intent model: evaluation",
        "",
        "Written by `scripts/train_semantic.py` (do not edit by hand). Model: "
        f"`{info['model']}`, {info['size']:,} bytes, {info['buckets']:,} weighted buckets of "
        f"{FEATURES.dims:,}; char {FEATURES.n_min}–{FEATURES.n_max}-grams; seed {SEED}.",
        "",
        f"Training rows: {info['rows']:,} ({info['by_source']}).",
        f"Intent data folders: {', '.join(info['dirs'])}.",
        "",
        "## Held-out fold: a fifth of the rows (model and calibration fitted on the others)",
        "",
        "Negatives include the background and other intents' positives (see the script). "
        "`0.7–0.9` is the share of positives among held-out rows scored in [0.7, 0.9): "
        "calibration means it should be near 0.8.",
        "",
        "| intent | pos | P@0.5 | R@0.5 | P@0.8 | R@0.8 | 0.7–0.9 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for intent, m in held.items():
        pos, n = m["band_0.7_0.9"]
        band = f"{pos}/{n}" if n else "–"
        lines.append(
            f"| {intent} | {m['n_pos']} | {m[0.5]['p']:.2f} | {m[0.5]['r']:.2f} | "
            f"{m[0.8]['p']:.2f} | {m[0.8]['r']:.2f} | {band} |"
        )
    for title, dev in devs:
        lines += _dev_table(title, dev)
    lines += [
        "",
        "said.risk_warning and said.fee_disclosure have no utterance labels in the eval "
        "data (it labels the missing warning); they are measured by the held-out fold and "
        "by the semantic pack's examples.",
        "",
    ]
    path.write_text("\n".join(lines), "utf-8")


def _dev_table(title: str, dev: dict[str, Any]) -> list[str]:
    lines = [
        "",
        f"## {title}",
        "",
        "Every utterance of the intent's roles in the DEV conversations; a positive is an "
        "utterance labelled with the category of the same name (counts: true positives / "
        "false positives / false negatives). `best`: the threshold with the best F1 at "
        "precision ≥ 0.8. The intent data mines every DEV label, so DEV cannot measure "
        "recall here: the first table (DEV utterances absent from the training rows, "
        "compared after normalisation) counts false positives on unseen agent/customer "
        "speech; the second is optimistic.",
        "",
        "| intent | utterances | pos | tp/fp/fn @0.5 | tp/fp/fn @0.8 | tp/fp/fn @0.9 | best |",
        "|---|---:|---:|---|---|---|---|",
    ]
    for intent, m in dev.items():
        best = m["best"]
        shown = f"{best[0]:.2f} (P {best[2]['p']:.2f} R {best[2]['r']:.2f})" if best else "none"
        cells = " | ".join(f"{m[t]['tp']}/{m[t]['fp']}/{m[t]['fn']}" for t in (0.5, 0.8, 0.9))
        lines.append(f"| {intent} | {m['n']} | {m['n_pos']} | {cells} | {shown} |")
    return lines


def write_exemplars(rows: Sequence[Row], path: Path, cap: int = 150) -> None:
    """Exemplars of the optional embedding backend: per intent, positives and negatives
    (hard negatives, other clusters' positives) from OUR labelled data only — no
    background data set is shipped."""
    rng = random.Random(SEED)
    positives, negatives = {}, {}
    for intent in SEMANTIC_INTENTS:
        pos = sorted({r.text for r in rows if r.intent == intent and r.label == 1})
        hard = sorted({r.text for r in rows if r.intent == intent and r.label == 0})
        home = cluster_of(intent)
        other = sorted(
            {r.text for r in rows if r.intent and r.label == 1 and cluster_of(r.intent) != home}
        )
        for pool in (pos, hard, other):
            rng.shuffle(pool)
        positives[intent] = sorted(pos[:cap])
        negatives[intent] = sorted(hard[:cap] + other[:cap])
    data = json.dumps({"positives": positives, "negatives": negatives}, ensure_ascii=False)
    path.write_bytes(gzip.compress(data.encode("utf-8"), mtime=0))


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, action="append", default=[])
    parser.add_argument("--out", type=Path, default=ROOT / "src/hegui/models/semantic.npz")
    parser.add_argument("--report", type=Path, default=ROOT / "training/semantic/REPORT.md")
    args = parser.parse_args(list(argv) if argv is not None else None)
    rng = random.Random(SEED)
    base = ROOT / "training" / "semantic"
    # Later batches live in their own folders (batch3/<writer>/...), each read in name order.
    batches = sorted(p for p in (base / "batch3").glob("*") if p.is_dir())
    dirs = [base, base / "batch2", *batches, *args.data]
    rows = intent_files(dirs) + rule_examples() + background(rng)
    by_source = Counter(
        "intent data"
        if r.intent and ":" in r.source and not r.source.startswith("seed")
        else "seed"
        if r.source.startswith("seed")
        else "rule examples"
        if r.intent
        else r.source
        for r in rows
    )
    print(f"{len(rows)} rows: {dict(by_source)}")
    x = featurize([r.text for r in rows])
    model, probe = train(rows, x)
    # Held-out evaluation: the probe never saw fold 0 (a fifth of the rows).
    held_idx = np.flatnonzero(folds_of(rows, FOLDS, "folds") == 0)
    held = holdout_eval(probe, [rows[i] for i in held_idx])
    data = model.to_bytes()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    write_exemplars(rows, args.out.with_name("semantic_exemplars.json.gz"))
    shipped = LinearModel.from_bytes(data)  # what the package will load (int8 weights)
    trained = {n.text for n in normalise_many([r.text for r in rows if r.intent])}
    devs = [
        (
            "benchmarks/eval DEV split, utterances not in the training data",
            dev_eval(shipped, exclude=trained),
        ),
        (
            "benchmarks/eval DEV split, all utterances (the intent data mines DEV: optimistic)",
            dev_eval(shipped),
        ),
    ]
    info = {
        "model": args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out,
        "size": len(data),
        "buckets": int(shipped.buckets.shape[0]),
        "rows": len(rows),
        "by_source": ", ".join(f"{k} {v:,}" for k, v in sorted(by_source.items())),
        "dirs": [str(d.relative_to(ROOT)) if d.is_relative_to(ROOT) else str(d) for d in dirs],
    }
    report(args.report, held, devs, info)
    print(f"wrote {args.out} ({len(data):,} bytes) and {args.report}")


if __name__ == "__main__":
    main()
