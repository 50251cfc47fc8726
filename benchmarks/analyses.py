"""What each analysis costs per utterance, on the realistic corpus of benchmarks/corpus.py.

    python benchmarks/analyses.py [--conversations 300] [--repeat 3] [--json]

Also section 4 of `python benchmarks/engine.py`. CPU time of this process (best of N,
garbage collector off), in µs per utterance, each analysis beside the rules alone:

- rules: every shipped pack but `semantic`, forced on every conversation;
- + semantic: the same with the `semantic` pack (the shipped n-gram intent model);
- + classifier: the model's second opinion on for every category it can judge;
- + sentiment: the sentiment model's findings (`HEGUI_SENTIMENT=1`);
- conversation metrics (talk time, silences, interruptions, responses) alone;
- a scorecard (the shipped `general` card) scored from the rules' findings alone;
- audio analysis (decode, VAD on both channels, silences, overlaps, peaks) of a
  synthesised stereo call, as CPU seconds per hour of audio.

`hegui inspect` as users run it routes packs by industry rather than forcing every pack,
so its own per-utterance figure (section 1 of engine.py) is lower than "rules" here.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import corpus
import hegui_api as api
import measure as m

import audio  # benchmarks/audio.py
from hegui.audio import analyse
from hegui.catalog import ALL_SHIPPED
from hegui.engine.metrics import measure as conversation_metrics
from hegui.engine.textmodel.intents import INTENT_ROLES
from hegui.inspector import ClassifierConfig, Inspector, SentimentConfig
from hegui.scorecards import Scoreable, Scorecards, score

AUDIO_MINUTES = 2.0


def _cpu_per_utterance(repeat: int, n: int, fn: Callable[[], object]) -> float:
    return round(1e6 * m.best_of(repeat, fn).cpu_s / n, 1)


def _audio(minutes: float) -> dict[str, float]:
    """CPU seconds to analyse one hour of a synthesised stereo WAV call."""
    with tempfile.TemporaryDirectory(prefix="hegui-audio-") as tmp:
        wav = Path(tmp) / "call.wav"
        audio.synthesise(wav, minutes)
        analyse(wav)  # warm: the VAD model and the decoder
        cpu = time.process_time()
        result = analyse(wav)
        cpu = time.process_time() - cpu
    return {
        "audio_seconds": round(result.duration, 1),
        "cpu_s_per_audio_hour": round(3600 * cpu / result.duration, 1),
        "audio_seconds_per_cpu_second": round(result.duration / cpu, 1),
    }


def measure_all(
    convs: Sequence[Any], repeat: int, audio_minutes: float = AUDIO_MINUTES
) -> dict[str, Any]:
    """Every analysis on `convs`, µs of CPU per utterance (see the module docstring)."""
    n = api.utterance_count(convs)
    without = [p for p in ALL_SHIPPED if p != "semantic"]
    categories = tuple(i for i in INTENT_ROLES if not i.startswith("said."))
    inspectors = {
        "rules": Inspector.build(packs=without, sentiment=False),
        "rules_semantic": Inspector.build(packs=list(ALL_SHIPPED), sentiment=False),
        "rules_semantic_classifier": Inspector.build(
            packs=list(ALL_SHIPPED),
            sentiment=False,
            classifier=ClassifierConfig(categories=categories),
        ),
        "rules_semantic_sentiment": Inspector.build(
            packs=list(ALL_SHIPPED), sentiment=SentimentConfig()
        ),
        # the conversation verdict model, on by default with the industry's packs
        "rules_semantic_verdicts": Inspector.build(
            packs=list(ALL_SHIPPED), sentiment=False, verdicts=True
        ),
    }
    for inspector in inspectors.values():  # warm: lexicon, tables, models, jieba
        for conv in convs[:20]:
            inspector.inspect(conv)
    out: dict[str, Any] = {"conversations": len(convs), "utterances": n}
    found: list[list[Any]] = []
    for name, inspector in inspectors.items():
        timing = m.best_of(repeat, lambda i=inspector: [i.inspect(c) for c in convs])
        out[f"{name}_us"] = round(1e6 * timing.cpu_s / n, 1)
        if name == "rules":
            found = timing.result
    base = out["rules_us"]
    for name in inspectors:
        if name != "rules":
            out[f"{name}_added_us"] = round(out[f"{name}_us"] - base, 1)
    out["metrics_us"] = _cpu_per_utterance(
        repeat, n, lambda: [conversation_metrics(c) for c in convs]
    )
    cards = Scorecards.load()
    scoreables = [
        (
            cards.for_conversation(c.industry, c.metadata.get("team")),
            [Scoreable(i, f.rule_id, f.category, f.severity) for i, f in enumerate(fs)],
        )
        for c, fs in zip(convs, found, strict=True)
    ]
    out["scorecard_us"] = _cpu_per_utterance(
        repeat, n, lambda: [score(card, fs) for card, fs in scoreables]
    )
    out["findings_per_1k_utterances"] = round(1000 * sum(len(f) for f in found) / n, 1)
    if audio_minutes > 0:
        out["audio"] = _audio(audio_minutes)
    return out


def table(r: dict[str, Any]) -> str:
    rows = [
        ("rules (every shipped pack but semantic)", r["rules_us"], ""),
        ("+ semantic pack", r["rules_semantic_us"], r["rules_semantic_added_us"]),
        (
            "+ semantic + classifier (second opinion)",
            r["rules_semantic_classifier_us"],
            r["rules_semantic_classifier_added_us"],
        ),
        (
            "+ semantic + sentiment findings",
            r["rules_semantic_sentiment_us"],
            r["rules_semantic_sentiment_added_us"],
        ),
        (
            "+ semantic + conversation verdicts",
            r["rules_semantic_verdicts_us"],
            r["rules_semantic_verdicts_added_us"],
        ),
        ("conversation metrics alone", r["metrics_us"], r["metrics_us"]),
        ("scorecard (from the rules' findings) alone", r["scorecard_us"], r["scorecard_us"]),
    ]
    lines = [
        f"{r['conversations']} conversations, {r['utterances']} utterances, "
        f"{r['findings_per_1k_utterances']} rule findings per 1,000 utterances",
        f"{'analysis':45} {'µs/utt':>9} {'added':>9}",
    ]
    for name, total, added in rows:
        lines.append(f"{name:45} {total:>9} {added!s:>9}")
    if "audio" in r:
        a = r["audio"]
        lines.append(
            f"audio analysis: {a['cpu_s_per_audio_hour']} CPU s per hour of audio "
            f"({a['audio_seconds_per_cpu_second']} audio s per CPU s, "
            f"{a['audio_seconds']} s synthesised stereo WAV)"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--audio-minutes", type=float, default=AUDIO_MINUTES)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-pin", action="store_true", help="do not pin to one core")
    args = parser.parse_args()
    if not args.no_pin:
        m.pin_to_one_core()
    lines = [json.dumps(c, ensure_ascii=False) for c in corpus.conversations(args.conversations)]
    result = measure_all(api.parse(lines), args.repeat, args.audio_minutes)
    print(json.dumps(result, ensure_ascii=False) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
