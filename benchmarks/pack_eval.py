"""Precision and recall of the shipped packs on independent labelled conversations.

The conversations in benchmarks/eval/*.jsonl were written by people who did not see the
rules. Each file is scored on its own categories only (compliance_* on compliance.*,
privacy_risk on privacy.* and risk.*, service on service.*). Two levels:

- utterance: a finding counts if its category AND utterance (null for "missing") match a label;
- conversation: per conversation and category, "has at least one" vs "labelled at least one".

    python benchmarks/pack_eval.py [--split test|dev|dev2…dev17|heldout|all] [--errors N] [--json]
    python benchmarks/pack_eval.py --split heldout   # reads benchmarks/heldout (dev2-dev17: their folders)
        [--no-semantic | --packs a,b,...] [--classifier CATS|all] [--classifier-min 0.9]

Packs are chosen by each conversation's industry, the semantic pack included; --no-semantic
drops the semantic pack's findings (the same as not compiling it: it is compiled last, so
it never suppresses another pack's finding); --packs forces these packs on every
conversation; --classifier adds the intent model's second opinion (model.<category>).

Use the dev split to improve rules; report the test split. `benchmarks/heldout/` is a
second independent set (split "heldout"), scored once before and once after a change,
never tuned on.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from hegui.engine.model import Conversation
from hegui.engine.textmodel import INTENT_ROLES
from hegui.formats.jsonl import LineError, read_conversations
from hegui.inspector import ClassifierConfig, Inspector

HERE = Path(__file__).resolve().parent
EVAL = HERE / "eval"
# Later sets, each in its own folder named like its split.
FOLDERS = {name: HERE / name for name in (*(f"dev{n}" for n in range(2, 19)), "heldout")}
SCORED = {
    "compliance": ("compliance.",),
    "privacy_risk": ("privacy.", "risk."),
    "service": ("service.",),
}
Key = tuple[str, int | None]


def scored_prefixes(path: Path) -> tuple[str, ...]:
    for stem, prefixes in SCORED.items():
        if path.stem.startswith(stem):
            return prefixes
    raise SystemExit(f"{path.name}: no scored categories for this file name")


def load(split: str, folder: Path = EVAL) -> list[tuple[Conversation, tuple[str, ...], set[Key]]]:
    items = []
    for path in sorted(folder.glob("*.jsonl")):
        prefixes = scored_prefixes(path)
        for item in read_conversations(path.read_text("utf-8").splitlines(), str(path)):
            if isinstance(item, LineError):
                raise SystemExit(str(item))
            if split != "all" and item.extra.get("split") != split:
                continue
            # A file is scored on its own families only: a writer's label of another family
            # (a risk signal noted in a service call) is neither expected nor counted.
            gold = {
                (lab["category"], lab["utterance_index"])
                for lab in item.extra.get("labels", [])
                if str(lab["category"]).startswith(prefixes)
            }
            items.append((item, prefixes, gold))
    return items


def score(
    split: str,
    errors: int,
    packs: list[str] | None = None,
    semantic: bool = True,
    classifier: ClassifierConfig | None = None,
    folder: Path = EVAL,
    verdicts: bool | None = None,
) -> dict[str, Any]:
    inspector = Inspector.build(packs=packs, classifier=classifier, verdicts=verdicts)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    shown = 0
    for conv, prefixes, gold in load(split, folder):
        found: dict[Key, Any] = {}
        for f in inspector.inspect(conv):
            if not f.category.startswith(prefixes):
                continue
            if not semantic and f.rule_id.startswith("semantic."):
                continue
            found.setdefault((f.category, f.utterance_index), f)
        predicted = set(found)
        for level, pred, want in (
            ("utterance", predicted, gold),
            ("conversation", {c for c, _ in predicted}, {c for c, _ in gold}),
        ):
            for key in pred | want:
                category = key[0] if isinstance(key, tuple) else key
                outcome = "tp" if key in pred and key in want else ("fp" if key in pred else "fn")
                counts[f"{level}:{category}"][outcome] += 1
        for key in sorted(predicted ^ gold, key=str):
            if shown >= errors:
                break
            shown += 1
            kind = "FP" if key in predicted else "FN"
            rule = found[key].rule_id if key in found else ""
            text = conv.utterances[key[1]].text if key[1] is not None else "(missing)"
            print(f"{kind} {conv.id} {key[0]} @{key[1]} {rule} | {text}")
    return summarise(counts)


def summarise(counts: dict[str, Counter[str]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for level in ("utterance", "conversation"):
        rows = {k.split(":", 1)[1]: v for k, v in counts.items() if k.startswith(level + ":")}
        total: Counter[str] = Counter()
        per_category = {}
        for category in sorted(rows):
            c = rows[category]
            total.update(c)
            per_category[category] = metrics(c)
        result[level] = {"micro": metrics(total), "categories": per_category}
    return result


def metrics(c: Counter[str]) -> dict[str, float | int]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f1, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--split",
        default="test",
        choices=("test", "dev", *FOLDERS, "all"),
    )
    parser.add_argument(
        "--data", type=Path, default=None, help="folder of labelled *.jsonl (default: the split's)"
    )
    parser.add_argument("--errors", type=int, default=0, help="print up to N mismatches")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-semantic", action="store_true", help="without the semantic pack")
    parser.add_argument("--packs", default="", help="comma-separated packs for every conversation")
    parser.add_argument(
        "--classifier", default="", help="categories of the model's opinion, or all"
    )
    parser.add_argument("--classifier-min", type=float, default=0.9)
    parser.add_argument(
        "--no-verdicts", action="store_true", help="without the conversation verdict model"
    )
    args = parser.parse_args()
    classifier = None
    if args.classifier:
        names = (
            [i for i in INTENT_ROLES if not i.startswith("said.")]
            if args.classifier == "all"
            else args.classifier.split(",")
        )
        classifier = ClassifierConfig(categories=tuple(names), min_score=args.classifier_min)
    packs = args.packs.split(",") if args.packs else None
    folder = args.data or FOLDERS.get(args.split, EVAL)
    if not load(args.split, folder):
        parser.error(f"no {args.split} conversations in {folder} / 该目录下没有此划分的对话")
    verdicts = False if args.no_verdicts else None
    result = score(
        args.split, args.errors, packs, not args.no_semantic, classifier, folder, verdicts
    )
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    for level, data in result.items():
        m = data["micro"]
        print(
            f"\n{level} level, split {args.split}: P {m['precision']} R {m['recall']} F1 {m['f1']}"
        )
        print(f"{'category':40} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6}")
        for category, c in data["categories"].items():
            print(
                f"{category:40} {c['tp']:4} {c['fp']:4} {c['fn']:4} {c['precision']:6} {c['recall']:6}"
            )


if __name__ == "__main__":
    main()
