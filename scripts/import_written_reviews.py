"""Import reviews written by helpers (who saw only a style sample of TRAINING rows) into
training/sentiment/written/, dropping any line that could leak a held-out review.

    python scripts/import_written_reviews.py --data /work/shared/data DOMAIN=FILE ...

A line is dropped when its normalised text repeats an earlier written line or a review
row (training or held-out), or shares any 10 consecutive normalised characters with a
held-out review row (a recalled review, even an edited one). Prints what was kept.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from hegui.engine.normalise import normalise_many

SHINGLE = 10


def shingles(text: str) -> set[str]:
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import train_sentiment as ts  # needs the [train] extra (scikit-learn)

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("sources", nargs="+", help="DOMAIN=FILE (domain: hotel or waimai)")
    args = parser.parse_args()
    held_texts, seen = [], set()
    for path in sorted((args.data / "sentiment").glob("*_train.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            found = [r["review"] or "" for r in csv.DictReader(f)]
        held = ts.held_out([str(i) for i in range(len(found))], ts.HELD_REVIEWS, path.name)
        norm = [n.text for n in normalise_many(found)]
        seen.update(norm)
        held_texts += [t for i, t in enumerate(norm) if str(i) in held]
    held_shingles: set[str] = set().union(*(shingles(t) for t in held_texts))
    written: set[str] = set()
    out_dir = ts.TRAINING / "written"
    out_dir.mkdir(exist_ok=True)
    for source in args.sources:
        domain, _, file = source.partition("=")
        if domain not in ("hotel", "waimai"):
            parser.error(f"领域须为 hotel 或 waimai / domain must be hotel or waimai: {source}")
        items = [json.loads(x) for x in Path(file).read_text("utf-8").splitlines() if x.strip()]
        kept, dropped = [], {"repeat": 0, "held-out overlap": 0}
        for item, norm in zip(items, normalise_many([i["text"] for i in items]), strict=True):
            if norm.text in seen:
                dropped["repeat"] += 1
            elif not shingles(norm.text).isdisjoint(held_shingles):
                dropped["held-out overlap"] += 1
            else:
                seen.add(norm.text)
                kept.append({"domain": domain, "label": int(item["label"]), "text": item["text"]})
        name = f"{Path(file).parent.name}.jsonl"
        if name in written:
            parser.error(f"两个来源同名 two sources would both write {name}: {source}")
        written.add(name)
        lines = [json.dumps(k, ensure_ascii=False) for k in kept]
        (out_dir / name).write_text("\n".join(lines) + "\n", "utf-8")
        print(f"{name}: kept {len(kept)} of {len(items)}; dropped {dropped}")


if __name__ == "__main__":
    main()
