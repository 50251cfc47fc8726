"""Precision and recall of the account-balance rule (privacy.pii.account_balance) on
blind sets of single utterances, against a naive baseline.

Three sets in benchmarks/balance/, each written by a helper session that saw only a
definition and a list of hard-negative kinds, never the code (README.md there):

- set1: the recognizer was built and tuned on it (in-sample);
- set2: scored once blind, then tuned on (its errors showed historical balances, repeated
  customer claims, points and hotlines);
- set3: scored once, after all tuning: the figure to quote.

    python benchmarks/balance_eval.py [--set set3] [--errors N]

Each line is one utterance in a conversation of its own, inspected with the privacy pack as
shipped; a line counts as found when the rule fires. Customer lines are negatives (the rule
reads agent and bot turns only). The baseline fires on any agent or bot line holding a
balance word (余额, 可用资金, 市值, 账户价值, 还剩) and a figure.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from hegui.engine.normalise import normalise
from hegui.formats.jsonl import LineError, read_conversations
from hegui.inspector import Inspector

HERE = Path(__file__).resolve().parent / "balance"
RULE = "privacy.pii.account_balance"
_BASELINE_WORDS = re.compile(r"余额|可用资金|可取资金|市值|账户价值|还剩")


def baseline(role: str, text: str) -> bool:
    compact = normalise(text, compact=True).text
    return (
        role != "customer"
        and bool(_BASELINE_WORDS.search(compact))
        and any(ch.isdigit() for ch in compact)
    )


def load(name: str) -> list[tuple[bool, dict[str, str]]]:
    rows = []
    for kind, positive in (("disclosures", True), ("non_disclosures", False)):
        path = HERE / f"{name}_{kind}.jsonl"
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                rows.append((positive, json.loads(line)))
    return rows


def score(name: str, errors: int) -> dict[str, dict[str, float | int]]:
    inspector = Inspector.build(packs=["privacy"], verdicts=False)
    counts = {"rule": [0, 0, 0], "baseline": [0, 0, 0]}
    shown = 0
    for i, (positive, row) in enumerate(load(name)):
        record = {
            "id": f"{name}-{i}",
            "channel": row["channel"],
            "industry": "banking",
            "utterances": [{"role": row["role"], "text": row["text"]}],
        }
        [conv] = list(read_conversations([json.dumps(record, ensure_ascii=False)], name))
        assert not isinstance(conv, LineError), conv
        fired = any(f.rule_id == RULE for f in inspector.inspect(conv))
        for method, found in (("rule", fired), ("baseline", baseline(row["role"], row["text"]))):
            tally = counts[method]
            tally[0] += found and positive
            tally[1] += found and not positive
            tally[2] += positive and not found
        if fired != positive and shown < errors:
            shown += 1
            print(f"{'FP' if fired else 'FN'} {row['text']} | {row.get('note', '')}")
    out: dict[str, dict[str, float | int]] = {}
    for method, (tp, fp, fn) in counts.items():
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        out[method] = {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 3),
                       "recall": round(r, 3), "f1": round(f1, 3)}  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", default="all", choices=("set1", "set2", "set3", "all"))
    parser.add_argument("--errors", type=int, default=0, help="print up to N mismatches")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    names = ("set1", "set2", "set3") if args.set == "all" else (args.set,)
    results = {name: score(name, args.errors) for name in names}
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
        return
    for name, result in results.items():
        for method, m in result.items():
            print(
                f"{name} {method:8} tp {m['tp']:4} fp {m['fp']:4} fn {m['fn']:4}"
                f"  P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}"
            )


if __name__ == "__main__":
    main()
