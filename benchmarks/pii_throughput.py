"""Throughput of PII detection on one core: `PiiDetector.scan` against a naive regex baseline
in the same run, and the engine's throughput with and without PII scanning.

    python benchmarks/pii_throughput.py [--n 20000] [--pii-rate 0.05] [--json] [--no-scaling]
        [--dialogs ../shared/data/dialogs]

Utterances: real customer questions and dialogue lines from ../shared/data/dialogs (BQ,
CPED) when present, else ordinary service phrases; a share (--pii-rate) is replaced by
labelled PII utterances from scripts/make_pii_eval.py (spoken, grouped, full-width…).

Scaling: one utterance of 100 KB and of 1 MB of each adversarial shape (digit groups,
numbers said digit by digit, spoken numerals, addresses, street suffixes); linear time
shows as a ratio near 10.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import platform
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hegui.engine.pii import PiiDetector, PiiEntity
from hegui.models import semantic_model

ROOT = Path(__file__).resolve().parents[1]
DIALOGS = ROOT.parent / "shared" / "data" / "dialogs"

# What a simple PII tool does: a few patterns, no validation, no spoken numbers.
NAIVE = [
    re.compile(p)
    for p in (
        r"[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[\dXx]",
        r"\d{16,19}",
        r"1[3-9]\d{9}",
        r"0\d{2,3}-?\d{7,8}",
        r"[\w.+-]+@[\w-]+\.[\w.]+",
    )
]


def load_generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_pii_eval", ROOT / "scripts/make_pii_eval.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_pii_eval"] = module
    spec.loader.exec_module(module)
    return module


def plain_texts(generator: Any, dialogs: Path = DIALOGS) -> list[str]:
    texts: list[str] = []
    bq, cped = dialogs / "bq_corpus" / "dev.csv", dialogs / "cped" / "valid_split.csv"
    if bq.exists():
        with bq.open(encoding="utf-8-sig") as f:
            texts.extend(t for row in csv.reader(f) for t in row[:2])
    if cped.exists():
        with cped.open(encoding="utf-8-sig") as f:
            texts.extend(row["Utterance"] for row in csv.DictReader(f))
    texts = [t for t in texts if t and t not in ("sentence1", "sentence2")]
    return texts or list(generator.SERVICE)


def corpus(
    n: int, pii_rate: float, seed: int, dialogs: Path = DIALOGS
) -> tuple[list[str], list[str], list[str]]:
    generator = load_generator()
    rng = random.Random(seed)
    plain = plain_texts(generator, dialogs)
    pii = [s.text for s in generator.generate(seed) if s.entities]
    mixed = [rng.choice(pii) if rng.random() < pii_rate else rng.choice(plain) for _ in range(n)]
    return mixed, [rng.choice(plain) for _ in range(n)], [rng.choice(pii) for _ in range(n)]


def naive_scan(text: str) -> list[tuple[int, int]]:
    return [m.span() for p in NAIVE for m in p.finditer(text)]


def rate(fn: Callable[[str], object], texts: Sequence[str], repeats: int = 3) -> float:
    """Best of `repeats` runs, utterances per second."""
    for text in texts[:200]:
        fn(text)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        for text in texts:
            fn(text)
        best = min(best, time.perf_counter() - t0)
    return len(texts) / best


class NoPii:
    """Stands in for PiiDetector to time the engine without PII scanning."""

    def scan(self, text: str) -> list[PiiEntity]:
        return []


def engine_rates(texts: list[str]) -> dict[str, float] | None:
    try:
        from hegui.engine.library import RuleLibrary
        from hegui.engine.model import Conversation, Utterance
        from hegui.engine.session import inspect
        from hegui.lexicon import default_lexicon
        from hegui.packs import load_rules, packs_for_industry, taxonomy
    except ImportError:
        return None
    rules = load_rules(packs_for_industry("banking"))
    convs = [
        Conversation(
            f"b{i}",
            tuple(
                Utterance("agent" if j % 2 else "customer", t)
                for j, t in enumerate(texts[i : i + 10])
            ),
            "chat",
            "banking",
        )
        for i in range(0, len(texts), 10)
    ]
    out: dict[str, float] = {}
    for name, detector in (("engine_without_pii", NoPii()), ("engine_with_pii", PiiDetector())):
        library = RuleLibrary(
            rules,
            taxonomy(),
            lexicon=default_lexicon(),
            pii_detector=detector,
            semantic=semantic_model(),
        )
        if not library.uses_pii:
            return None
        inspect(library, convs[0])
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            for conv in convs:
                inspect(library, conv)
            best = min(best, time.perf_counter() - t0)
        out[name] = len(texts) / best
    return out


SCALING_SHAPES = {
    "digit_groups": "1234 5678 ",
    "digits_one_by_one": "1-2-3-4-",
    "spoken_numerals": "幺三八 一二三四 ",
    "id_markers": "身份证号110105199003071239，",
    "addresses": "北京市朝阳区建国路88号",
    "street_suffixes": "路",
}


def scaling(sizes: Sequence[int] = (100_000, 1_000_000)) -> dict[str, float]:
    """Seconds to scan one utterance of each size, per shape, and the ratio between them."""
    detector = PiiDetector()
    out: dict[str, float] = {}
    for shape, unit in SCALING_SHAPES.items():
        times = []
        for size in sizes:
            text = (unit * (size // len(unit) + 1))[:size]
            t0 = time.perf_counter()
            detector.scan(text)
            times.append(time.perf_counter() - t0)
            out[f"scaling_{shape}_{size // 1000}KB_s"] = times[-1]
        out[f"scaling_{shape}_ratio"] = times[-1] / times[0]
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--pii-rate", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-engine", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-scaling", action="store_true")
    parser.add_argument(
        "--dialogs", type=Path, default=DIALOGS, help="BQ and CPED (../shared/data/dialogs)"
    )
    args = parser.parse_args(argv)
    mixed, plain, pii = corpus(args.n, args.pii_rate, args.seed, args.dialogs)
    if len(set(plain)) < 100:
        print(
            f"note: {args.dialogs} not found; plain utterances are service phrases", file=sys.stderr
        )
    detector = PiiDetector()
    result: dict[str, Any] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "utterances": args.n,
        "pii_rate": args.pii_rate,
        "pii_scan_utt_s": rate(detector.scan, mixed),
        "naive_regex_utt_s": rate(naive_scan, mixed),
        "pii_scan_no_pii_utt_s": rate(detector.scan, plain),
        "pii_scan_pii_only_utt_s": rate(detector.scan, pii),
    }
    result["ratio_to_naive"] = result["pii_scan_utt_s"] / result["naive_regex_utt_s"]
    result["us_per_utterance_no_pii"] = 1e6 / result["pii_scan_no_pii_utt_s"]
    engine = None if args.no_engine else engine_rates(mixed[: min(args.n, 5000)])
    if engine:
        result.update(engine)
        result["engine_ratio_with_to_without_pii"] = (
            engine["engine_with_pii"] / engine["engine_without_pii"]
        )
    if not args.no_scaling:
        result.update(scaling())
    if args.json:
        print(json.dumps(result))
        return 0
    for key, value in result.items():
        print(
            f"{key:<36}{value:>14,.2f}" if isinstance(value, float) else f"{key:<36}{value!s:>14}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
