"""Engine throughput on one core: shipped packs and a generated 5,000-rule library,
against a naive baseline in the same run (one compiled `re` per rule, looped).

    python benchmarks/throughput.py            # a table
    python benchmarks/throughput.py --json     # one JSON object

Timings are the best of 3 with the garbage collector off (as `timeit`), engine and
baseline alike. Utterances come from the public dialogue data in ../shared/data when present (BQ
customer questions, CPED TV dialogue), else from the shipped packs' own examples.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from hegui.engine.library import PackedRule, RuleLibrary
from hegui.engine.model import Conversation, Utterance
from hegui.engine.rules import schema as s
from hegui.engine.session import Session, inspect
from hegui.formats.jsonl import finding_json, read_conversations
from hegui.lexicon import default_lexicon
from hegui.models import semantic_model
from hegui.packs import available_packs, load_rules, packs_for_industry, taxonomy

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "dialogs"
CATEGORIES = [
    c for c in taxonomy().categories if c.startswith(("compliance.", "service.", "risk."))
]


def corpus(n: int, seed: int) -> list[str]:
    texts: list[str] = []
    bq, cped = SHARED / "bq_corpus" / "dev.csv", SHARED / "cped" / "valid_split.csv"
    if bq.exists():
        with bq.open(encoding="utf-8-sig") as f:
            for row in csv.reader(f):
                texts.extend(row[:2])
    if cped.exists():
        with cped.open(encoding="utf-8-sig") as f:
            texts.extend(row["Utterance"] for row in csv.DictReader(f))
    for packed in load_rules(available_packs()):
        for example in packed.spec.examples.match + packed.spec.examples.no_match:
            if isinstance(example, str):
                texts.append(example)
    texts = [t for t in texts if t and t not in ("sentence1", "sentence2")]
    rng = random.Random(seed)
    return [rng.choice(texts) for _ in range(n)]


def conversations(texts: list[str], industry: str, per: int = 10) -> list[Conversation]:
    out = []
    for i in range(0, len(texts), per):
        utts = tuple(
            Utterance("agent" if j % 2 else "customer", t, 3.0 * j, 3.0 * j + 2.0)
            for j, t in enumerate(texts[i : i + per])
        )
        out.append(Conversation(f"bench-{i}", utts, "phone", industry))
    return out


def vocabulary(seed: int) -> list[str]:
    """Common Chinese words (jieba's dictionary), to build realistic keyword phrases."""
    words = sorted(w for w, f in default_lexicon().items() if f >= 200 and 2 <= len(w) <= 3)
    random.Random(seed).shuffle(words)
    return words


def generated_rules(n: int, seed: int) -> list[PackedRule]:
    """A rule library shaped like a large institution's: mostly phrase rules, some regex,
    proximity and exception rules, a few must-say obligations."""
    rng = random.Random(seed)
    words = vocabulary(seed)

    def phrase() -> str:
        return rng.choice(words) + rng.choice(words)

    rules = []
    for i in range(n):
        roll = rng.random()
        body: dict[str, object]
        if roll < 0.70:
            body = {"when": {"keywords": [phrase() for _ in range(rng.randint(1, 4))]}}
        elif roll < 0.85:
            a, b = rng.sample(words, 2), rng.sample(words, 2)
            body = {"when": {"regex": f"({a[0]}|{a[1]}).{{0,6}}({b[0]}|{b[1]})"}}
        elif roll < 0.95:
            body = {
                "when": {
                    "all": [
                        {
                            "near": [
                                {"keywords": [rng.choice(words)]},
                                {"keywords": [rng.choice(words)]},
                            ],
                            "within": 8,
                        },
                        {"none": [{"keywords": [phrase()]}]},
                    ]
                }
            }
        else:
            body = {
                "after": {"keywords": [phrase()]},
                "must_say": {"keywords": [phrase(), phrase()]},
            }
        spec = {
            "id": f"gen.rule.r{i:05d}",
            "category": rng.choice(CATEGORIES),
            "message": "生成规则 generated rule",
            "examples": {"match": ["x"], "no_match": ["y"]},
            **body,
        }
        rules.append(PackedRule("gen", s.RuleSpec.model_validate(spec)))
    return rules


def naive_patterns(rules: list[PackedRule]) -> list[re.Pattern[str]]:
    """The baseline: one regex per rule, as a simple keyword system would compile it."""
    out = []
    for packed in rules:
        spec = packed.spec
        cond = spec.when if spec.when is not None else spec.after
        out.append(re.compile(_naive(cond)))
    return out


def _naive(cond: object) -> str:
    if isinstance(cond, s.KeywordsCond):
        return "|".join(map(re.escape, cond.keywords))
    if isinstance(cond, s.RegexCond):
        return "|".join(cond.regex)
    if isinstance(cond, s.AllCond):
        return _naive(cond.all[0])
    if isinstance(cond, s.NearCond):
        a, b = (_naive(c) for c in cond.near)
        return f"(?:{a}).{{0,{cond.within}}}(?:{b})|(?:{b}).{{0,{cond.within}}}(?:{a})"
    raise TypeError(cond)


def timed(fn, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def best_of(repeat: int, fn) -> float:  # type: ignore[no-untyped-def]
    """Shortest of `repeat` timings with the garbage collector off, as `timeit` measures."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            _, seconds = timed(fn)
        finally:
            gc.enable()
        best = min(best, seconds)
    return best


REPEAT = 3


def engine_rate(library: RuleLibrary, convs: list[Conversation]) -> float:
    n = sum(len(c.utterances) for c in convs)
    return n / best_of(REPEAT, lambda: [inspect(library, c) for c in convs])


def baseline_rate(patterns: list[re.Pattern[str]], texts: list[str]) -> float:
    def run() -> int:
        hits = 0
        for text in texts:
            for pattern in patterns:
                if pattern.search(text):
                    hits += 1
        return hits

    return len(texts) / best_of(REPEAT, run)


def feed_latency_ms(library: RuleLibrary, convs: list[Conversation]) -> tuple[float, float]:
    samples = []
    for conv in convs:
        session = Session(library, conv)
        for utterance in conv.utterances:
            start = time.perf_counter_ns()
            session.feed(utterance)
            samples.append((time.perf_counter_ns() - start) / 1e6)
        session.close()
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99)]


def jsonl_rate(library: RuleLibrary, convs: list[Conversation]) -> float:
    lines = [
        json.dumps(
            {
                "id": c.id,
                "channel": c.channel,
                "industry": c.industry,
                "utterances": [
                    {"role": u.role, "text": u.text, "start": u.start, "end": u.end}
                    for u in c.utterances
                ],
            },
            ensure_ascii=False,
        )
        for c in convs
    ]

    def run() -> Iterator[str]:
        for item in read_conversations(lines):
            assert isinstance(item, Conversation)
            for finding in inspect(library, item):
                yield finding_json(finding)

    n = sum(len(c.utterances) for c in convs)
    return n / best_of(REPEAT, lambda: list(run()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rules", type=int, default=5000)
    parser.add_argument("--utterances", type=int, default=20000)
    parser.add_argument("--baseline-utterances", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N timings")
    parser.add_argument("--backend", default="auto")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    global REPEAT
    REPEAT = args.repeat

    texts = corpus(args.utterances, args.seed)
    convs = conversations(texts, "securities")
    lexicon = default_lexicon()

    generated = generated_rules(args.rules, args.seed)
    big, compile_s = timed(
        lambda: RuleLibrary(generated, taxonomy(), backend=args.backend, lexicon=lexicon)
    )
    shipped_rules, load_s = timed(lambda: load_rules(packs_for_industry("securities")))
    shipped, shipped_compile_s = timed(
        lambda: RuleLibrary(
            shipped_rules,
            taxonomy(),
            backend=args.backend,
            lexicon=lexicon,
            semantic=semantic_model(),
        )
    )
    engine_rate(big, convs[:50])  # warm caches (lexicon, char tables)

    big_rate = engine_rate(big, convs)
    base_rate = baseline_rate(naive_patterns(generated), texts[: args.baseline_utterances])
    p50, p99 = feed_latency_ms(big, convs[: max(1, len(convs) // 2)])
    shipped_rate = engine_rate(shipped, convs)
    shipped_base = baseline_rate(
        naive_patterns(
            [r for r in shipped_rules if r.spec.when is not None and _plain(r.spec.when)]
        ),
        texts[: args.baseline_utterances],
    )
    e2e_rate = jsonl_rate(shipped, convs)
    result = {
        "machine": f"{platform.machine()} {platform.processor() or ''} python {platform.python_version()}".strip(),
        "backend": big.backend,
        "rules": len(generated),
        "literals": len(big.literals),
        "utterances": len(texts),
        "utterances_per_s": round(big_rate),
        "baseline_utterances_per_s": round(base_rate, 1),
        "ratio": round(big_rate / base_rate, 1),
        "feed_p50_ms": round(p50, 4),
        "feed_p99_ms": round(p99, 4),
        "compile_s": round(compile_s, 3),
        "shipped_rules": len(shipped_rules),
        "shipped_utterances_per_s": round(shipped_rate),
        "shipped_baseline_utterances_per_s": round(shipped_base, 1),
        "shipped_ratio": round(shipped_rate / shipped_base, 1),
        "shipped_load_and_compile_s": round(load_s + shipped_compile_s, 3),
        "shipped_jsonl_end_to_end_utterances_per_s": round(e2e_rate),
    }
    if args.json:
        print(json.dumps(result))
        return
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")


def _plain(cond: object) -> bool:
    try:
        _naive(cond)
    except TypeError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
