"""Precision and recall of the PII detector per type on the seeded evaluation set.

    python benchmarks/pii_eval.py [--seed 7] [--data FILE] [--errors N]
        [--cluener ../shared/data/pii/cluener_train.jsonl] [--dialogs ../shared/data/dialogs]

Strict: same type and exactly the labelled span. Overlap: same type and overlapping spans
(reported for address and person_name, whose boundaries are a matter of convention).
phone(mobile) counts labelled mobiles for recall and predicted 11-digit 1xx numbers for
precision. The forms beyond the mainland have rows of their own: phone(intl) (E.164, 852/853/
886, Hong Kong/Macau/Taiwan national forms), bank_card(<scheme>) per card scheme,
ip_address(v6) and email(idn); a prediction counts in a row by the subtype of the labelled
entity it matches, else by its shape. With --cluener, person_name and address predictions on real text (CLUENER2020
train, research use only, not shipped) are checked against its name/address labels.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from pii_throughput import load_generator

from hegui.engine.normalise import normalise
from hegui.engine.pii import PII_TYPES, PiiDetector, PiiEntity, scan_turns
from hegui.engine.pii.validators import card_scheme

ROOT = Path(__file__).resolve().parents[1]


def load_samples(seed: int, data: Path | None) -> list[dict[str, Any]]:
    if data is not None:
        return [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line]
    return [json.loads(s.to_json()) for s in load_generator().generate(seed)]


def is_mobile(text: str) -> bool:
    norm = normalise(text).text
    digits = "".join(c for c in norm if c.isdigit())
    if "+" in norm and not digits.startswith("86"):
        return False  # +1 201-555-0132: eleven digits from 1, not a mainland mobile
    digits = digits[2:] if len(digits) == 13 and digits.startswith("86") else digits
    digits = digits[4:] if len(digits) == 15 and digits.startswith("0086") else digits
    return len(digits) == 11 and digits[0] == "1"


SCHEMES = ("visa", "mastercard", "amex", "jcb", "diners", "discover", "unionpay", "domestic")
SUBTYPE_ROWS = {
    "phone": ("intl",),
    "bank_card": SCHEMES,
    "ip_address": ("v6",),
    "email": ("idn",),
}


def shape_subtype(kind: str, text: str) -> str | None:
    """The row beyond the type that an entity of this text counts in, read from its shape."""
    norm = normalise(text).text
    digits = "".join(c for c in norm if c.isdigit())
    if kind == "phone":
        foreign = ("+" in norm and not digits.startswith("86")) or (
            digits.startswith(("00", "852", "853", "886")) and not digits.startswith("0086")
        )
        return "intl" if foreign or (len(digits) == 10 and digits.startswith("09")) else None
    if kind == "bank_card":
        return card_scheme(digits)
    if kind == "ip_address":
        return "v6" if ":" in norm else None
    if kind == "email":
        return "idn" if not text.isascii() or "xn--" in norm else None
    return None


def gold_subtype(g: dict[str, Any]) -> str | None:
    if g["type"] in ("phone", "bank_card"):
        sub = g.get("subtype")
        return sub if isinstance(sub, str) and sub in SUBTYPE_ROWS[g["type"]] else None
    return shape_subtype(g["type"], g["text"])


def row_keys(kind: str, subtype: str | None) -> list[str]:
    return [f"{kind}({subtype})"] if subtype in SUBTYPE_ROWS.get(kind, ()) else []


def evaluate(samples: list[dict[str, Any]], detector: PiiDetector) -> dict[str, Counter[str]]:
    stats: dict[str, Counter[str]] = defaultdict(Counter)
    for sample in samples:
        gold = sample["entities"]
        predicted = detector.scan(sample["text"])
        for mode in ("strict", "overlap"):
            score(stats, mode, gold, predicted, sample["variant"])
    return stats


def score(
    stats: dict[str, Counter[str]],
    mode: str,
    gold: list[dict[str, Any]],
    predicted: list[PiiEntity],
    variant: str,
) -> None:
    def same(g: dict[str, Any], p: PiiEntity) -> bool:
        if g["type"] != p.type:
            return False
        if mode == "strict":
            return (g["start"], g["end"]) == (p.start, p.end)
        return g["start"] < p.end and p.start < g["end"]

    for g in gold:
        hit = any(same(g, p) for p in predicted)
        keys = [g["type"]] + (["phone(mobile)"] if g.get("subtype") == "mobile" else [])
        keys += row_keys(g["type"], gold_subtype(g))
        for key in keys:
            stats[f"{mode}:{key}"]["gold"] += 1
            stats[f"{mode}:{key}"]["tp_recall"] += hit
        stats[f"{mode}:variant:{variant}"]["gold"] += 1
        stats[f"{mode}:variant:{variant}"]["tp_recall"] += hit
    for p in predicted:
        matched = [g for g in gold if same(g, p)]
        ok = bool(matched)
        keys = [p.type] + (["phone(mobile)"] if p.type == "phone" and is_mobile(p.text) else [])
        sub = gold_subtype(matched[0]) if matched else shape_subtype(p.type, p.text)
        keys += row_keys(p.type, sub)
        for key in keys:
            stats[f"{mode}:{key}"]["pred"] += 1
            stats[f"{mode}:{key}"]["tp_precision"] += ok


def turn_pieces(turns: list[str], start: int, end: int) -> set[tuple[int, int, int]]:
    """A span of the joined turns as (turn, start, end) pieces of each turn it touches."""
    pieces, offset = set(), 0
    for index, text in enumerate(turns):
        lo, hi = max(start, offset), min(end, offset + len(text))
        if lo < hi:
            pieces.add((index, lo - offset, hi - offset))
        offset += len(text)
    return pieces


def evaluate_turns(samples: list[dict[str, Any]], detector: PiiDetector) -> Counter[str]:
    """Split samples as separate turns of one speaker (what `hegui mask` sees): each gold
    entity must come back as exactly its pieces in every turn it touches."""
    counts: Counter[str] = Counter()
    for sample in samples:
        if sample["variant"] != "split" or not sample.get("turns"):
            continue
        turns = sample["turns"]
        found = scan_turns(detector, [("customer", t) for t in turns])
        predicted = {(i, e.type, e.start, e.end) for i, es in enumerate(found) for e in es}
        gold: set[tuple[int, str, int, int]] = set()
        for g in sample["entities"]:
            pieces = {(i, g["type"], s, e) for i, s, e in turn_pieces(turns, g["start"], g["end"])}
            counts["gold"] += 1
            counts["hit"] += pieces <= predicted
            gold |= pieces
        counts["pred_pieces"] += len(predicted)
        counts["wrong_pieces"] += len(predicted - gold)
    return counts


def report_turns(counts: Counter[str]) -> None:
    print(
        f"\nsplit across turns (scan_turns): {counts['gold']} entities, all pieces exact "
        f"{ratio(counts['hit'], counts['gold'])}; {counts['wrong_pieces']} of "
        f"{counts['pred_pieces']} predicted pieces wrong"
    )


def ratio(a: int, b: int) -> str:
    return f"{a / b:.4f}" if b else "  -   "


def report(stats: dict[str, Counter[str]], n: int) -> None:
    print(f"utterances: {n}")
    head = ("gold", 6), ("pred", 6), ("P strict", 10), ("R strict", 10), ("P overlap", 11)
    print(f"{'type':<22}" + "".join(f"{h:>{w}}" for h, w in head) + f"{'R overlap':>11}")
    rows = [*PII_TYPES[:3], "phone(mobile)", *PII_TYPES[3:]]
    rows += [f"{kind}({sub})" for kind, subs in SUBTYPE_ROWS.items() for sub in subs]
    for kind in rows:
        s, o = stats[f"strict:{kind}"], stats[f"overlap:{kind}"]
        print(
            f"{kind:<22}{s['gold']:>6}{s['pred']:>6}{ratio(s['tp_precision'], s['pred']):>10}"
            f"{ratio(s['tp_recall'], s['gold']):>10}{ratio(o['tp_precision'], o['pred']):>11}"
            f"{ratio(o['tp_recall'], o['gold']):>11}"
        )
    print("\nrecall by variant (strict):")
    for key in sorted(k for k in stats if k.startswith("strict:variant:")):
        s = stats[key]
        print(f"  {key.split(':')[-1]:<12}{s['gold']:>6}  {ratio(s['tp_recall'], s['gold'])}")


def cluener(path: Path, detector: PiiDetector) -> None:
    """Names and addresses on real sentences vs CLUENER's name/address labels. Its labels
    cover every name and place (news text: 美国, 中山公园), while hegui reports names only
    where context marks them and street-level addresses only, so recall here is low by
    design; precision shows how often a detection is at least a labelled name/place."""
    counts: Counter[str] = Counter()
    kinds = {"person_name": "name", "address": "address"}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold = {
            kind: [(s, e + 1) for spans in row["label"].get(kind, {}).values() for s, e in spans]
            for kind in kinds.values()
        }
        found = detector.scan(row["text"])
        for entity in found:
            if entity.type not in kinds:
                counts["other"] += 1
                continue
            counts[f"{entity.type}:pred"] += 1
            spans = gold[kinds[entity.type]]
            counts[f"{entity.type}:tp"] += any(
                s < entity.end and entity.start < e for s, e in spans
            )
        for ours, theirs in kinds.items():
            for s, e in gold[theirs]:
                counts[f"{ours}:gold"] += 1
                counts[f"{ours}:hit"] += any(
                    p.type == ours and s < p.end and p.start < e for p in found
                )
    print(f"\nCLUENER2020 train ({path.name}), overlap matching:")
    for kind in kinds:
        print(
            f"  {kind:<12} pred {counts[f'{kind}:pred']:>5}  precision "
            f"{ratio(counts[f'{kind}:tp'], counts[f'{kind}:pred'])}  recall "
            f"{ratio(counts[f'{kind}:hit'], counts[f'{kind}:gold'])} of {counts[f'{kind}:gold']}"
        )
    print(f"  other types predicted: {counts['other']} (phones and cards in the text)")


def dialogs(root: Path, detector: PiiDetector) -> None:
    """Detections on real customer questions (BQ) and TV dialogue (CPED): text with almost
    no personal data, so nearly every detection here is a false positive to inspect."""
    texts: list[str] = []
    for name, column in (("bq_corpus/dev.csv", None), ("cped/valid_split.csv", "Utterance")):
        path = root / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8-sig") as f:
            if column is None:
                texts.extend(t for row in csv.reader(f) for t in row[:2])
            else:
                texts.extend(row[column] for row in csv.DictReader(f))
    texts = [t for t in texts if t and t not in ("sentence1", "sentence2")]
    found = [(e.type, e.text, t) for t in texts for e in detector.scan(t)]
    print(f"\nreal dialogue without PII labels ({len(texts)} utterances): {len(found)} detections")
    for kind, text, line in found[:20]:
        print(f"  {kind:<14}{text:<22}{line[:40]}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--cluener", type=Path)
    parser.add_argument("--dialogs", type=Path, help="../shared/data/dialogs (BQ, CPED)")
    parser.add_argument(
        "--errors", type=int, default=0, help="print up to N misses/false positives"
    )
    args = parser.parse_args(argv)
    samples = load_samples(args.seed, args.data)
    detector = PiiDetector()
    report(evaluate(samples, detector), len(samples))
    report_turns(evaluate_turns(samples, detector))
    if args.errors:
        print_errors(samples, detector, args.errors)
    if args.cluener:
        cluener(args.cluener, detector)
    if args.dialogs:
        dialogs(args.dialogs, detector)
    return 0


def print_errors(samples: list[dict[str, Any]], detector: PiiDetector, limit: int) -> None:
    print("\nerrors:")
    shown = 0
    for sample in samples:
        got = sorted((e.type, e.start, e.end) for e in detector.scan(sample["text"]))
        want = sorted((g["type"], g["start"], g["end"]) for g in sample["entities"])
        if got != want and shown < limit:
            print(
                f"  [{sample['variant']}] {sample['text']!r}\n      want {want}\n      got  {got}"
            )
            shown += 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
