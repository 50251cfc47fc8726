"""Cost of the sentiment model per utterance (CPU time, one thread).

    python benchmarks/sentiment.py [--n 5000] [--json]

Utterances: CPED dialogue lines and review rows from ../shared/data when present, else
the customer-service lines of training/sentiment/. Reports µs of CPU per utterance for
`SentimentModel.read` (normalise + jieba + three heads), for the heads alone on
pre-normalised text, and the one-time load of the model (with jieba's dictionary).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path("/work/shared/data")


def utterances(n: int) -> list[str]:
    texts: list[str] = []
    cped = SHARED / "dialogs" / "cped" / "valid_split.csv"
    if cped.exists():
        with cped.open(encoding="utf-8-sig") as f:
            texts += [r["Utterance"] for r in csv.DictReader(f)]
    for path in sorted((SHARED / "sentiment").glob("*_train.csv")):
        with path.open(encoding="utf-8") as f:
            texts += [r["review"] or "" for r in csv.DictReader(f)]
    if not texts:
        for path in sorted((ROOT / "training" / "sentiment").glob("service_*.jsonl")):
            texts += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()]
    random.Random(7).shuffle(texts)
    return [texts[i % len(texts)] for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    t0 = time.process_time()
    from hegui.engine.normalise import normalise_many
    from hegui.models.sentiment import sentiment_model

    model = sentiment_model()
    load_s = time.process_time() - t0
    texts = utterances(args.n)
    model.read(texts[0])  # warm
    t0 = time.process_time()
    for text in texts:
        model.read(text)
    full = (time.process_time() - t0) / len(texts) * 1e6
    compact = [n.text for n in normalise_many(texts)]
    t0 = time.process_time()
    for text in compact:
        model.read_compact(text)
    heads = (time.process_time() - t0) / len(texts) * 1e6
    result = {
        "utterances": len(texts),
        "mean_chars": round(sum(map(len, texts)) / len(texts), 1),
        "load_cpu_s": round(load_s, 2),
        "us_per_utterance_read": round(full, 1),
        "us_per_utterance_pre_normalised": round(heads, 1),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:34} {value}")


if __name__ == "__main__":
    main()
