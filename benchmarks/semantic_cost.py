"""What the semantic pack costs: CPU per utterance with the model on vs off.

    python benchmarks/semantic_cost.py [--conversations 300] [--repeat 3] [--json]

The realistic corpus of benchmarks/corpus.py, inspected in process by every shipped pack
(forced on every conversation) with and without the `semantic` pack, best of N by CPU
time (time.process_time, GC off); plus the model alone: scoring one utterance for every
intent, and how many utterances were scored.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from collections.abc import Callable
from typing import Any

import corpus
import hegui_api as api

from hegui.catalog import ALL_SHIPPED
from hegui.engine.normalise import normalise
from hegui.inspector import Inspector
from hegui.models import semantic_model


def best_cpu(repeat: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.disable()
        try:
            t = time.process_time()
            fn()
            best = min(best, time.process_time() - t)
        finally:
            gc.enable()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    lines = [json.dumps(c, ensure_ascii=False) for c in corpus.conversations(args.conversations)]
    convs = api.parse(lines)
    utterances = sum(len(c.utterances) for c in convs)
    without = [p for p in ALL_SHIPPED if p != "semantic"]
    off = Inspector.build(packs=without)
    on = Inspector.build(packs=list(ALL_SHIPPED))
    for inspector in (off, on):  # warm: lexicon, tables, model pages
        for c in convs[:20]:
            inspector.inspect(c)

    def run(inspector: Inspector) -> Callable[[], object]:
        return lambda: [inspector.inspect(c) for c in convs]

    off_s = best_cpu(args.repeat, run(off))
    on_s = best_cpu(args.repeat, run(on))
    model = semantic_model()
    texts = [u.text for c in convs for u in c.utterances]
    norms = [normalise(t).text for t in texts]
    score_s = best_cpu(
        args.repeat, lambda: [model.score(t, n) for t, n in zip(texts, norms, strict=True)]
    )
    semantic_findings = sum(
        1 for c in convs for f in on.inspect(c) if f.rule_id.startswith("semantic.")
    )
    result: dict[str, Any] = {
        "conversations": len(convs),
        "utterances": utterances,
        "cpu_us_per_utterance_without_semantic": round(1e6 * off_s / utterances, 1),
        "cpu_us_per_utterance_with_semantic": round(1e6 * on_s / utterances, 1),
        "model_us_per_scored_utterance": round(1e6 * score_s / len(texts), 1),
        "semantic_findings": semantic_findings,
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:45} {value}")


if __name__ == "__main__":
    main()
