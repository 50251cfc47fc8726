"""Realistic customer-service traffic for benchmarks: seeded, deterministic JSONL.

    python benchmarks/corpus.py --conversations 1000 --seed 7 > calls.jsonl

Each conversation has an industry (securities, banking, insurance, lending, general), a
channel (phone: ASR style without punctuation, with fillers, a speaker's turn split into
several segments; chat/app/wecom: punctuation and emoji), 10-60 utterances, a greeting and
a closing (sometimes missing), some personal information (phone, ID and bank-card numbers,
spoken as numerals on the phone, sometimes across segments) and a few violations.

Material, all already in the repository or beside it:
- violations: the shipped rule packs' `examples.match` lines and the labelled utterances
  of benchmarks/eval/*.jsonl;
- in-domain clean lines: the packs' `examples.no_match` (hard negatives) and the
  unlabelled utterances of benchmarks/eval/*.jsonl;
- everyday lines for the bulk: BQ (WeBank 微粒贷 customer questions, research use) and
  CPED (TV dialogue, Apache-2.0) from shared/data/dialogs when present (see its README),
  plus a few dozen service phrases written here.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import snippets as sn
import yaml

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "benchmarks" / "eval"
PACKS = ROOT / "src" / "hegui" / "packs"
INDUSTRIES = ("securities", "banking", "insurance", "lending", "general")
CHANNELS = (("phone", 0.65), ("chat", 0.2), ("app", 0.08), ("wecom", 0.07))
# Per conversation: chance of 1-2 inserted violations, of a PII exchange, of the agent
# reading a full number back (a leak), of a missing greeting or closing.
VIOLATION_P = 0.2
PII_P = 0.3
LEAK_P = 0.1
SLIP_P = 0.05


def dialog_dir() -> Path | None:
    """shared/data/dialogs beside the checkout (main repo or a worktree of it)."""
    for parent in ROOT.parents:
        candidate = parent / "shared" / "data" / "dialogs"
        if candidate.is_dir():
            return candidate
    return None


@dataclass(frozen=True)
class Line:
    role: str
    text: str


@dataclass
class Material:
    violations: dict[str, list[Line]] = field(default_factory=dict)
    negatives: dict[str, list[Line]] = field(default_factory=dict)
    agent: dict[str, list[str]] = field(default_factory=dict)
    customer: dict[str, list[str]] = field(default_factory=dict)
    bq: list[str] = field(default_factory=list)
    cped: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def _pack_lines(pack: dict[str, Any], kind: str) -> list[Line]:
    """Single-utterance examples without metadata, with the role the rule is about."""
    out = []
    for rule in pack["rules"]:
        roles = (rule.get("scope") or {}).get("roles") or ["agent"]
        for ex in (rule.get("examples") or {}).get(kind, []):
            if isinstance(ex, str):
                out.append(Line(roles[0], ex))
            elif isinstance(ex, dict) and "text" in ex and not ex.get("metadata"):
                out.append(Line(ex.get("role") or roles[0], str(ex["text"])))
    return out


def _industry_packs(industry: str) -> list[str]:
    """As hegui.packs.INDUSTRY_PACKS: the industry's own pack + general, privacy, service."""
    own = [industry] if industry != "general" else []
    return [p for p in [*own, "general", "privacy", "service"] if (PACKS / f"{p}.yaml").exists()]


def _eval_lines(m: Material) -> None:
    for path in sorted(EVAL.glob("*.jsonl")):
        for raw in path.read_text("utf-8").splitlines():
            conv = json.loads(raw)
            industry = conv.get("industry") or "general"
            labelled = {lab["utterance_index"] for lab in conv.get("labels", [])}
            for i, u in enumerate(conv["utterances"]):
                if i in labelled:
                    m.violations[industry].append(Line(u["role"], u["text"]))
                elif u["role"] == "agent":
                    m.agent[industry].append(u["text"])
                elif u["role"] == "customer":
                    m.customer[industry].append(u["text"])
    m.sources.append("benchmarks/eval/*.jsonl")


def _dialog_lines(m: Material) -> None:
    base = dialog_dir()
    if base is None:
        return
    bq, cped = base / "bq_corpus" / "dev.csv", base / "cped" / "valid_split.csv"
    if bq.exists():
        with bq.open(encoding="utf-8-sig") as f:
            m.bq = sorted(
                {t for row in csv.DictReader(f) for t in (row["sentence1"], row["sentence2"])}
            )
        m.sources.append("BQ dev")
    if cped.exists():
        with cped.open(encoding="utf-8-sig") as f:
            m.cped = [row["Utterance"] for row in csv.DictReader(f) if row["Utterance"]]
        m.sources.append("CPED valid")


@lru_cache(maxsize=1)
def material() -> Material:
    m = Material()
    packs = {p.stem: yaml.safe_load(p.read_text("utf-8")) for p in sorted(PACKS.glob("*.yaml"))}
    for industry in INDUSTRIES:
        chosen = [packs[p] for p in _industry_packs(industry)]
        m.violations[industry] = [ln for p in chosen for ln in _pack_lines(p, "match")]
        m.negatives[industry] = [ln for p in chosen for ln in _pack_lines(p, "no_match")]
        m.agent[industry] = list(sn.AGENT)
        m.customer[industry] = list(sn.CUSTOMER)
    m.sources.append("src/hegui/packs/*.yaml examples")
    _eval_lines(m)
    _dialog_lines(m)
    return m


PUNCT = re.compile(
    r"[，。？！、,.?!；;：:“”\"'‘’（）()…~～【】\[\]《》]|[\U0001F300-\U0001FAFF☀-➿]"
)


def asr_style(text: str, rng: random.Random) -> str:
    """What a phone transcript looks like: no punctuation or emoji, some fillers."""
    text = " ".join(PUNCT.sub(" ", text).split())
    if rng.random() < 0.25:
        text = f"{rng.choice(sn.FILLERS)} {text}"
    words = text.split(" ")
    if len(words) > 2 and rng.random() < 0.1:
        words.insert(rng.randrange(1, len(words)), rng.choice(sn.FILLERS))
    return " ".join(words)


def chat_style(text: str, role: str, rng: random.Random) -> str:
    """What a chat message looks like: punctuation instead of pauses, sometimes emoji."""
    if not PUNCT.search(text):
        text = "，".join(text.split())
        text += "？" if text.endswith(("吗", "呢", "吧", "么")) else "。" if len(text) > 6 else ""
    if role == "agent" and rng.random() < 0.1:
        text = "亲，" + text
    if rng.random() < 0.12:
        text += rng.choice(sn.EMOJI)
    return text


def segments(text: str, rng: random.Random) -> list[str]:
    """An ASR engine cuts a long turn at pauses into several same-speaker segments."""
    if len(text) < 16 or rng.random() < 0.4:
        return [text]
    words = text.split(" ")
    pieces = rng.randint(2, 3)
    if len(words) >= pieces:
        cuts = sorted(rng.sample(range(1, len(words)), pieces - 1))
        bounds = [0, *cuts, len(words)]
        return [" ".join(words[a:b]) for a, b in itertools.pairwise(bounds)]
    cut = rng.randrange(len(text) // 3, 2 * len(text) // 3)
    return [text[:cut], text[cut:]]


class Builder:
    """One conversation: turns are added as (role, text), styled and timed per channel."""

    def __init__(self, channel: str, rng: random.Random) -> None:
        self.phone = channel == "phone"
        self.rng = rng
        self.clock = rng.uniform(0.0, 1.5)
        self.utterances: list[dict[str, Any]] = []

    def say(self, role: str, text: str, *, split: bool = True) -> None:
        rng = self.rng
        if self.phone:
            text = asr_style(text, rng)
            parts = segments(text, rng) if split else [text]
        else:
            parts = [chat_style(text, role, rng)]
        last = self.utterances[-1]["role"] if self.utterances else None
        for k, part in enumerate(parts):
            if not part:
                continue
            same = k > 0 or last == role
            if self.phone:
                self.clock += rng.uniform(0.15, 0.6) if same else rng.uniform(0.3, 1.4)
                if rng.random() < 0.01:
                    self.clock += rng.uniform(3.0, 14.0)  # a hold or a slow answer
                end = self.clock + max(0.5, len(part) / rng.uniform(3.5, 5.5))
            else:
                self.clock += rng.uniform(2.0, 8.0) if same else rng.uniform(4.0, 35.0)
                end = self.clock
            self.utterances.append(
                {"role": role, "text": part, "start": round(self.clock, 2), "end": round(end, 2)}
            )
            self.clock = end


def _institution(industry: str, rng: random.Random) -> str:
    return rng.choice(sn.INSTITUTIONS[industry])


def _greeting(b: Builder, industry: str, rng: random.Random) -> None:
    if rng.random() < SLIP_P:
        b.say("agent", rng.choice(sn.BAD_GREETINGS), split=False)
        return
    who = _institution(industry, rng)
    if b.phone:
        job = sn.spoken(str(rng.randint(1000, 9999)), rng)
        b.say("agent", rng.choice(sn.PHONE_GREETINGS).format(who=who, job=job), split=False)
    else:
        name = rng.choice(sn.AGENT_NAMES)
        b.say("agent", rng.choice(sn.CHAT_GREETINGS).format(who=who, name=name))


def _closing(b: Builder, rng: random.Random) -> None:
    if rng.random() < SLIP_P:
        b.say("agent", rng.choice(sn.BAD_CLOSINGS), split=False)
        return
    b.say("agent", rng.choice(sn.CLOSING_QUESTIONS), split=False)
    b.say("customer", rng.choice(sn.CUSTOMER_DONE), split=False)
    b.say("agent", rng.choice(sn.PHONE_CLOSINGS if b.phone else sn.CHAT_CLOSINGS), split=False)


def _pii(b: Builder, rng: random.Random) -> None:
    kind = rng.choice(("phone", "id_number", "bank_card"))
    number = sn.NUMBERS[kind](rng)
    b.say("agent", rng.choice(sn.PII_ASKS[kind]), split=False)
    if b.phone:
        spoken = sn.spoken(number, rng)
        cut = rng.randrange(3, len(spoken) - 3)
        if rng.random() < 0.5:  # the customer pauses mid-number: two segments
            b.say("customer", f"{rng.choice(sn.PII_LEADS)} {spoken[:cut]}", split=False)
            b.say("customer", spoken[cut:], split=False)
        else:
            b.say("customer", f"{rng.choice(sn.PII_LEADS)} {spoken}", split=False)
    else:
        b.say("customer", f"{rng.choice(sn.PII_LEADS)}{number}")
    if rng.random() < LEAK_P:
        shown = sn.spoken(number, rng) if b.phone else number
        b.say("agent", f"好的 跟您核对一下 是{shown}对吧", split=False)
    else:
        tail = sn.spoken(number[-4:], rng) if b.phone else number[-4:]
        b.say("agent", f"好的 尾号{tail}的 对吧 我这边帮您查一下", split=False)


def _line(m: Material, industry: str, role: str, rng: random.Random) -> str:
    roll = rng.random()
    if role == "agent":
        if roll < 0.12:
            negatives = [ln.text for ln in m.negatives[industry] if ln.role == "agent"]
            return rng.choice(negatives)
        return rng.choice(m.agent[industry])
    if roll < 0.35 and m.bq and industry in ("banking", "lending", "general"):
        return rng.choice(m.bq)
    if roll < 0.5 and m.cped:
        return rng.choice(m.cped)
    if roll < 0.55:
        return rng.choice([ln.text for ln in m.negatives[industry] if ln.role == "customer"])
    return rng.choice(m.customer[industry])


def conversation(index: int, rng: random.Random) -> dict[str, Any]:
    m = material()
    industry = rng.choice(INDUSTRIES)
    channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
    b = Builder(channel, rng)
    # The body stops at target - 3; its last step adds at most 7 (a PII exchange of 4 and
    # a line cut in 3), the closing 3 or 1: every conversation has 10-60 utterances.
    target = rng.randint(12, 54)
    _greeting(b, industry, rng)
    body = max(2, target - 4)
    pii_at = rng.randrange(body) if rng.random() < PII_P else -1
    bad = rng.randint(1, 2) if rng.random() < VIOLATION_P else 0
    bad_at = set(rng.sample(range(body), min(bad, body)))
    role = "customer"
    turn = 0
    while len(b.utterances) < target - 3:
        if turn == pii_at:
            _pii(b, rng)
        if turn in bad_at:
            line = rng.choice(m.violations[industry])
            b.say(line.role, line.text)
        else:
            b.say(role, _line(m, industry, role, rng))
            role = "agent" if role == "customer" else "customer"
        turn += 1
    _closing(b, rng)
    out: dict[str, Any] = {
        "id": f"bench-{index:07d}",
        "channel": channel,
        "industry": industry,
        "agent": {"id": f"A{rng.randint(100, 999)}"},
        "customer": {"id": f"C{rng.randint(10000, 99999)}"},
        "utterances": b.utterances,
    }
    if industry in ("securities", "banking", "insurance") and rng.random() < 0.4:
        out["metadata"] = sn.product(rng)
    return out


def conversations(n: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for i in range(n):
        yield conversation(i, rng)


@dataclass
class CorpusStats:
    conversations: int = 0
    utterances: int = 0
    bytes: int = 0
    channels: Counter[str] = field(default_factory=Counter)
    industries: Counter[str] = field(default_factory=Counter)

    def add(self, conv: dict[str, Any], line: str) -> None:
        self.conversations += 1
        self.utterances += len(conv["utterances"])
        self.bytes += len(line.encode("utf-8"))
        self.channels[conv["channel"]] += 1
        self.industries[conv["industry"]] += 1

    def summary(self) -> dict[str, Any]:
        def share(c: Counter[str]) -> dict[str, float]:
            return {k: round(v / max(1, self.conversations), 3) for k, v in sorted(c.items())}

        return {
            "conversations": self.conversations,
            "utterances": self.utterances,
            "mb": round(self.bytes / 2**20, 2),
            "channels": share(self.channels),
            "industries": share(self.industries),
        }


def write_jsonl(path: Path, n: int, seed: int = 7) -> CorpusStats:
    stats = CorpusStats()
    with path.open("w", encoding="utf-8") as f:
        for conv in conversations(n, seed):
            line = json.dumps(conv, ensure_ascii=False) + "\n"
            f.write(line)
            stats.add(conv, line)
    return stats


def prefix(source: Path, target: Path, n: int) -> CorpusStats:
    """The first `n` conversations of a corpus file (the same as generating `n`)."""
    stats = CorpusStats()
    with source.open(encoding="utf-8") as f, target.open("w", encoding="utf-8") as out:
        for line, _ in zip(f, range(n), strict=False):
            out.write(line)
            stats.add(json.loads(line), line)
    return stats


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    for conv in conversations(args.conversations, args.seed):
        sys.stdout.write(json.dumps(conv, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
