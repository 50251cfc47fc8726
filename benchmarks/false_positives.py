"""False positives of the shipped packs on real public dialogue (../shared/data/dialogs).

CPED: the three TV series that are not the semantic model's background negatives
(scripts/train_semantic.py trains on series 32 and 44). The data holds no
financial-compliance violations (its README says so), so every
`compliance.*` or `privacy.*` finding on it, with each line spoken by the AGENT, is a
false positive. COLD's labelled comments also give a proxy for rude-agent detection.

    python benchmarks/false_positives.py [--json] [--no-semantic] [--classifier CATS]
                                         [--series heldout|train] [--show] [--no-verdicts]

--series train measures the two CPED series the model trains on instead (for diagnosis:
failure patterns are looked for there and on BQ, never on the held-out series); --show
prints each false positive (rule, score, line), refused for the held-out series.

With the semantic pack by default (--no-semantic: without it); --classifier adds the
intent model's second opinion for these categories ("all": every one it can judge).
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter
from pathlib import Path

from hegui.engine.model import Conversation, Utterance
from hegui.engine.textmodel import INTENT_ROLES
from hegui.inspector import ClassifierConfig, Inspector

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "dialogs"
# CPED series that scripts/train_semantic.py uses as background negatives: not measured here.
CPED_TRAIN_SERIES = frozenset({"32", "44"})
if not DATA.exists():  # a worktree one level deeper (…/wt/NAME) beside the same shared/
    DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "dialogs"


def lines(name: str, series: str = "heldout") -> list[tuple[str, str]]:
    """(text, label) pairs of one data set; label is '' where the set has none. CPED:
    the three series the semantic model never saw as background, or with
    series="train" the two it trains on (for diagnosis only)."""
    if name == "cped":
        train = series == "train"
        with (DATA / "cped" / "valid_split.csv").open(encoding="utf-8-sig") as f:
            return [
                (row["Utterance"], row["Emotion"])
                for row in csv.DictReader(f)
                if (row["TV_ID"] in CPED_TRAIN_SERIES) == train
            ]
    if name == "bq":
        with (DATA / "bq_corpus" / "dev.csv").open(encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
        return sorted({(r["sentence1"], "") for r in rows} | {(r["sentence2"], "") for r in rows})
    with (DATA / "cold" / "dev.csv").open(encoding="utf-8-sig") as f:
        return [(row["TEXT"], row["label"]) for row in csv.DictReader(f)]


def inspect_as(
    inspector: Inspector, texts: list[str], role: str, shown: list[str] | None = None
) -> list[Counter[str]]:
    """Categories found per line; with `shown`, a line per compliance/privacy finding."""
    out = []
    for i, text in enumerate(texts):
        conv = Conversation(f"fp-{i}", (Utterance(role, text),), "chat", "general")
        found = [f for f in inspector.inspect(conv) if f.utterance_index is not None]
        out.append(Counter(f.category for f in found))
        if shown is not None:
            for f in found:
                if f.category.startswith(("compliance.", "privacy.")):
                    score = "" if f.score is None else f" {f.score:.3f}"
                    shown.append(f"{f.rule_id}{score}\t{text}")
    return out


def classifier_config(categories: str, min_score: float) -> ClassifierConfig | None:
    if not categories:
        return None
    names = (
        [i for i in INTENT_ROLES if not i.startswith("said.")]
        if categories == "all"
        else categories.split(",")
    )
    return ClassifierConfig(categories=tuple(names), min_score=min_score)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-semantic", action="store_true", help="without the semantic pack")
    parser.add_argument("--classifier", default="", help="categories of the model's opinion")
    parser.add_argument("--classifier-min", type=float, default=0.9)
    parser.add_argument(
        "--series",
        choices=("heldout", "train"),
        default="heldout",
        help="CPED series: the three held out (default) or the two trained on (diagnosis)",
    )
    parser.add_argument("--show", action="store_true", help="print each false positive")
    parser.add_argument(
        "--no-verdicts", action="store_true", help="without the conversation verdict model"
    )
    args = parser.parse_args()
    if args.show and args.series != "train":
        parser.error("--show only with --series train: the held-out series are not inspected")
    if not DATA.exists():
        raise SystemExit(f"no dialogue data at {DATA}")
    packs = ["securities", "banking", "insurance", "lending", "general", "privacy", "service"]
    every_pack = Inspector.build(
        packs=packs if args.no_semantic else [*packs, "semantic"],
        classifier=classifier_config(args.classifier, args.classifier_min),
        # as shipped: the conversation verdict model on (a named pack list turns it off)
        verdicts=not args.no_verdicts,
    )
    result: dict[str, object] = {"cped_series": args.series}
    for name in ("cped", "bq"):
        texts = [t for t, _ in lines(name, args.series)]
        shown: list[str] | None = [] if args.show else None
        found = inspect_as(every_pack, texts, "agent", shown)
        wrong = sum(1 for c in found if any(k.startswith(("compliance.", "privacy.")) for k in c))
        by_category = Counter(k for c in found for k in c)
        entry: dict[str, object] = {
            "utterances": len(texts),
            "compliance_or_privacy_false_positives": wrong,
            "per_1000": round(1000 * wrong / len(texts), 2),
            "top_categories": by_category.most_common(6),
        }
        if shown is not None:
            entry["false_positives"] = shown
        result[name] = entry
    cold = lines("cold")
    found = inspect_as(every_pack, [t for t, _ in cold], "agent")
    flagged = [("service.rude" in c) for c in found]
    offensive = [f for f, (_, label) in zip(flagged, cold, strict=True) if label == "1"]
    safe = [f for f, (_, label) in zip(flagged, cold, strict=True) if label == "0"]
    result["cold_rude_proxy"] = {
        "offensive": len(offensive),
        "flagged_rude_of_offensive": round(sum(offensive) / len(offensive), 3),
        "flagged_rude_of_safe": round(sum(safe) / len(safe), 3),
        "note": "COLD is about race/region/gender, not service speech: a proxy only",
    }
    print(json.dumps(result, ensure_ascii=False, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
