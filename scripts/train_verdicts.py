"""Train the conversation verdict model (src/hegui/models/verdicts.npz) and evaluate it.

    python scripts/train_verdicts.py            # cross-validate, train, write the model
    python scripts/train_verdicts.py --cv-only  # the evaluation alone

Data: the compliance conversations of the development sets that the packs were tuned on
(the first set's dev split, benchmarks/dev2 … dev17), each labelled by writers who never saw
the rules. Never the first set's test split, dev18 or the held-out set: those score the
result (`benchmarks/pack_eval.py`), and a test checks that no conversation of theirs is read
here. Features: hegui.engine.textmodel.verdicts (agent text n-grams and the tokens of what
the shipped packs found, with the verdict model off). One L2 logistic regression per
category (scikit-learn, the `train` extra).

Evaluation: leave one set out over dev3 … dev15 (each left-out set scored by a model trained
on all the others), conversation level per category, against the packs alone. The packs were
tuned on these sets over earlier rounds, so the packs' own figures here are in-sample and
flattering; the model's are not (its input includes the packs' findings, though).
Writes training/verdicts/metrics.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from hegui.engine.model import Conversation, Finding  # noqa: E402
from hegui.engine.textmodel.features import HashedNgrams  # noqa: E402
from hegui.engine.textmodel.verdicts import (  # noqa: E402
    VerdictLabel,
    VerdictModel,
    apply_verdicts,
    bucket_value,
    text_buckets,
    verdict_tokens,
)
from hegui.formats.jsonl import LineError, read_conversations  # noqa: E402

# The first set's dev split, then the later development sets (each once tuned on).
TRAIN_SETS = ("dev", *(f"dev{n}" for n in range(2, 18)))  # dev, dev2 … dev17
CV_SETS = TRAIN_SETS[2:]
# Never read: they score the model.
CLEAN_SETS = ("test", "dev18", "heldout")
# category → the probability at and above which the duty is judged owed and unmet; chosen on
# the cross-validation below (each near the middle of a plateau, not its single best point).
THRESHOLDS = {
    "compliance.missing_risk_disclosure": 0.30,
    "compliance.fee_disclosure": 0.30,
}
# category → the probability at and above which the model ADDS the category where no rule
# found it (setting the packs' findings aside keeps THRESHOLDS). Swept on the same
# cross-validation in round 17 (`add_sweep` in metrics.json, 0.3–0.7): 0.30 stays best for
# fee disclosure (0.768 against 0.717 at 0.5) and within noise of the best for missing risk
# warnings (0.858 against 0.862 at 0.4), so an addition asks no more than a set-aside.
ADD_THRESHOLDS: dict[str, float] = {
    "compliance.missing_risk_disclosure": 0.30,
    "compliance.fee_disclosure": 0.30,
}
ADD_SWEEP = (0.3, 0.4, 0.5, 0.6, 0.7)
# compliance.suitability was a third category in round 13 (threshold 0.50, chosen the same
# way). It only ever set aside the packs' "sold without an assessment" findings, and on the
# sets it never saw that cost more than it saved (dev12: F1 0.522 → 0.500, dev13: 0.727 →
# 0.667; training/verdicts/REPORT.md), so from round 14 the packs decide it alone.
FEATURIZER = HashedNgrams(1, 3, 1 << 18)
TOKEN_VALUE = 0.15
C = 16.0
MIN_CONVERSATIONS = 2  # a bucket seen in fewer training conversations carries no weight
OUT = REPO / "src" / "hegui" / "models" / "verdicts.npz"
METRICS = REPO / "training" / "verdicts" / "metrics.json"


@dataclass(frozen=True, slots=True)
class Example:
    split: str
    conversation: Conversation
    compacts: tuple[str, ...]  # the agent's utterances, normalised (the runtime's input)
    buckets: tuple[int, ...]  # their n-gram buckets
    tokens: tuple[str, ...]
    during: tuple[Finding, ...]  # the packs' findings while the call went on
    at_close: tuple[Finding, ...]  # … and at its close
    gold: frozenset[str]


def split_files(split: str) -> list[Path]:
    folder = REPO / "benchmarks" / ("eval" if split in ("dev", "test") else split)
    return sorted(folder.glob("compliance*.jsonl"))


def conversations(split: str) -> list[tuple[Conversation, frozenset[str]]]:
    if split in CLEAN_SETS:
        raise ValueError(f"{split} scores the model and is never read for training")
    out = []
    for path in split_files(split):
        for item in read_conversations(path.read_text("utf-8").splitlines(), str(path)):
            if isinstance(item, LineError):
                raise SystemExit(str(item))
            if item.extra.get("split") != split:
                continue
            gold = frozenset(str(lab["category"]) for lab in item.extra.get("labels", []))
            out.append((item, gold))
    return out


def examples(splits: Sequence[str]) -> list[Example]:
    from hegui.inspector import Inspector, agent_compacts

    inspector = Inspector.build(verdicts=False)
    rows = []
    for split in splits:
        for conv, gold in conversations(split):
            run = inspector.rule_run(conv)  # what the runtime's verdicts read, exactly
            compacts = tuple(agent_compacts(run.session))
            found = [*run.during, *run.at_close]
            rows.append(
                Example(
                    split,
                    conv,
                    compacts,
                    tuple(text_buckets(FEATURIZER, compacts)),
                    tuple(verdict_tokens(conv, found)),
                    tuple(run.during),
                    tuple(run.at_close),
                    gold,
                )
            )
        print(
            f"[verdicts] {split}: {sum(r.split == split for r in rows)} conversations", flush=True
        )
    return rows


def matrix(rows: Sequence[Example], buckets: np.ndarray, tokens: Sequence[str]):  # type: ignore[no-untyped-def]
    from scipy.sparse import csr_matrix

    bucket_col = {int(b): i for i, b in enumerate(buckets)}
    token_col = {t: len(buckets) + i for i, t in enumerate(tokens)}
    data, cols, ptr = [], [], [0]
    for r in rows:
        value = bucket_value(len(r.buckets))
        for b in r.buckets:
            if b in bucket_col:
                cols.append(bucket_col[b])
                data.append(value)
        for t in r.tokens:
            if t in token_col:
                cols.append(token_col[t])
                data.append(TOKEN_VALUE)
        ptr.append(len(cols))
    return csr_matrix((data, cols, ptr), shape=(len(rows), len(buckets) + len(tokens)))


def fit(rows: Sequence[Example]) -> VerdictModel:
    from sklearn.linear_model import LogisticRegression

    seen: dict[int, int] = {}
    for r in rows:
        for b in r.buckets:
            seen[b] = seen.get(b, 0) + 1
    buckets = np.array(sorted(b for b, n in seen.items() if n >= MIN_CONVERSATIONS), np.uint32)
    tokens = sorted({t for r in rows for t in r.tokens})
    x = matrix(rows, buckets, tokens)
    categories = tuple(THRESHOLDS)
    weights = np.zeros((len(buckets), len(categories)), np.float32)
    token_weights = np.zeros((len(tokens), len(categories)), np.float32)
    bias = np.zeros(len(categories), np.float32)
    for k, category in enumerate(categories):
        y = np.array([category in r.gold for r in rows])
        model = LogisticRegression(C=C, max_iter=5000).fit(x, y)
        coef = model.coef_[0]
        weights[:, k] = coef[: len(buckets)]
        token_weights[:, k] = coef[len(buckets) :]
        bias[k] = model.intercept_[0]
    return VerdictModel(
        categories=categories,
        featurizer=FEATURIZER,
        buckets=buckets,
        weights=weights,
        tokens=tuple(tokens),
        token_weights=token_weights,
        token_value=TOKEN_VALUE,
        bias=bias,
        thresholds=np.array([THRESHOLDS[c] for c in categories], np.float32),
        meta={
            "version": 1,
            "trained_on": list(TRAIN_SETS),
            "C": C,
            "add_thresholds": dict(ADD_THRESHOLDS),
        },
    )


def f1(tp: int, fp: int, fn: int) -> float:
    return round(2 * tp / (2 * tp + fp + fn), 3) if tp + fp + fn else 1.0


def decided(model: VerdictModel, r: Example) -> set[str]:
    """The categories a conversation ends with at run time (`apply_verdicts` itself)."""
    labels = {c: VerdictLabel("high", c) for c in model.categories}
    final = apply_verdicts(model, r.conversation, r.compacts, r.during, r.at_close, labels)
    return {f.category for f in (*r.during, *final)}


def tally(got: bool, want: bool, *counters: list[int]) -> None:
    """Count one conversation's decision as a true positive, false positive or false
    negative ([tp, fp, fn]) in each counter; a true negative counts nowhere."""
    slot = 0 if got and want else 1 if got else 2 if want else None
    if slot is not None:
        for counter in counters:
            counter[slot] += 1


def cross_validate(rows: Sequence[Example]) -> dict[str, object]:
    counts = {c: {"packs": [0, 0, 0], "verdicts": [0, 0, 0]} for c in THRESHOLDS}
    sweep = {c: {str(t): [0, 0, 0] for t in ADD_SWEEP} for c in THRESHOLDS}
    per_set: dict[str, dict[str, float]] = {}
    for held in CV_SETS:
        train = [r for r in rows if r.split != held]
        test = [r for r in rows if r.split == held]
        model = fit(train)
        for t in ADD_SWEEP:
            adds = {c: max(t, THRESHOLDS[c]) for c in THRESHOLDS}
            variant = replace(model, meta={**model.meta, "add_thresholds": adds})
            for r in test:
                got = decided(variant, r)
                for c in THRESHOLDS:
                    tally(c in got, c in r.gold, sweep[c][str(t)])
        local = {c: {"packs": [0, 0, 0], "verdicts": [0, 0, 0]} for c in THRESHOLDS}
        for r in test:
            packs = {f.category for f in (*r.during, *r.at_close)}
            verdicts = decided(model, r)
            for c in THRESHOLDS:
                want = c in r.gold
                for name, got in (("packs", c in packs), ("verdicts", c in verdicts)):
                    tally(got, want, local[c][name], counts[c][name])
        per_set[held] = {
            f"{c}:{name}": f1(*local[c][name]) for c in THRESHOLDS for name in ("packs", "verdicts")
        }
        print(f"[verdicts] left out {held}: {per_set[held]}", flush=True)
    summary = {
        c: {name: {"tp_fp_fn": v, "f1": f1(*v)} for name, v in by.items()}
        for c, by in counts.items()
    }
    add_sweep = {
        c: {t: {"tp_fp_fn": v, "f1": f1(*v)} for t, v in by.items()} for c, by in sweep.items()
    }
    for c, by in add_sweep.items():
        line = "  ".join(f"{t}: {v['f1']:.3f}" for t, v in by.items())
        print(f"[verdicts] add threshold sweep {c}: {line}", flush=True)
    return {"per_category": summary, "per_set": per_set, "add_sweep": add_sweep}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv-only", action="store_true", help="evaluate, write no model")
    args = parser.parse_args()
    rows = examples(TRAIN_SETS)
    report = cross_validate(rows)
    for c, by in report["per_category"].items():  # type: ignore[union-attr]
        print(f"{c:40} packs F1 {by['packs']['f1']:.3f}  with verdicts {by['verdicts']['f1']:.3f}")
    METRICS.parent.mkdir(parents=True, exist_ok=True)
    report["thresholds"] = THRESHOLDS
    report["conversations"] = len(rows)
    METRICS.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", "utf-8")
    if args.cv_only:
        return
    model = fit(rows)
    OUT.write_bytes(model.to_bytes())
    print(f"[verdicts] wrote {OUT.relative_to(REPO)} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
