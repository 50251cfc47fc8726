"""Run every rule's examples: a rule is code, and its examples are its tests.

Per rule: true positives (match examples that fire), false negatives, false positives
(no_match examples that fire) — hence precision and recall on its own examples.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from hegui.engine.library import PackedRule, RuleLibrary
from hegui.engine.model import Conversation, Utterance
from hegui.engine.rules import schema as s
from hegui.engine.session import inspect


@dataclass(slots=True)
class ExampleFailure:
    expected: str  # "match" | "no_match"
    number: int
    text: str
    fired: list[str]


@dataclass(slots=True)
class RuleReport:
    rule_id: str
    pack: str
    category: str
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    failures: list[ExampleFailure] = field(default_factory=list)
    skipped: str = ""  # why its examples were not run (an llm rule without an endpoint)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def passed(self) -> bool:
        return not self.failures


def switched_on(packed: Sequence[PackedRule]) -> list[PackedRule]:
    """Every rule enabled: a rule shipped off (an institution's option) is still tested —
    unless an enabled rule with its id replaces it (your copy switched on)."""
    on = {p.spec.id for p in packed if p.spec.enabled}
    return [
        p if p.spec.enabled else PackedRule(p.pack, p.spec.model_copy(update={"enabled": True}))
        for p in packed
        if p.spec.enabled or p.spec.id not in on
    ]


def example_conversation(
    rule: s.RuleSpec, example: s.Example, pack_industries: Sequence[str], cid: str
) -> Conversation:
    industry = _industry(rule, pack_industries)
    role = rule.scope.roles[0]
    channel = rule.scope.channels[0] if rule.scope.channels else "phone"
    if isinstance(example, str):
        return Conversation(cid, (Utterance(role, example),), channel, industry)
    if isinstance(example, s.SingleUtteranceExample):
        utt = Utterance(example.role or role, example.text)
        chan = example.channel if "channel" in example.model_fields_set else channel
        return Conversation(cid, (utt,), chan, industry, dict(example.metadata))
    utts = tuple(_utterance(u) for u in example.utterances)
    chan = example.channel if "channel" in example.model_fields_set else channel
    return Conversation(cid, utts, chan, example.industry or industry, dict(example.metadata))


CHINA_TIME = timezone(timedelta(hours=8))  # a naive `at` is read as the input format does


def _utterance(u: s.ExampleUtterance) -> Utterance:
    at = datetime.fromisoformat(u.at) if u.at else None
    if at is not None and at.tzinfo is None:
        at = at.replace(tzinfo=CHINA_TIME)
    return Utterance(u.role, u.text, u.start, u.end, at)


def _industry(rule: s.RuleSpec, pack_industries: Sequence[str]) -> str | None:
    if rule.scope.industries:
        return rule.scope.industries[0]
    return pack_industries[0] if pack_industries else None


def example_text(example: s.Example) -> str:
    if isinstance(example, str):
        return example
    if isinstance(example, s.SingleUtteranceExample):
        return f"[{example.role or '-'}] {example.text}"
    return " | ".join(f"{u.role}: {u.text}" for u in example.utterances)


# Whether an llm rule asserts a finding on a conversation (asking its model), or, when it
# cannot tell (endpoint down, budget spent), why not.
Judge = Callable[[str, Conversation], "bool | str"]
NO_JUDGE = "需要大模型地址 needs an LLM endpoint (--llm-url, --llm-model)"


def run_examples(
    packed: Sequence[PackedRule],
    library: RuleLibrary,
    industries: Mapping[str, Sequence[str]],
    progress: Callable[[int], None] | None = None,
    judge: Judge | None = None,
) -> list[RuleReport]:
    """`judge` runs llm rules' examples; without it they are reported skipped."""
    reports = []
    for packed_rule in packed:
        rule = packed_rule.spec
        report = RuleReport(rule.id, packed_rule.pack, rule.category)
        if rule.kind == "llm" and judge is None:
            report.skipped = NO_JUDGE
            reports.append(report)
            if progress is not None:
                progress(1)
            continue
        cases = [("match", e) for e in rule.examples.match]
        cases += [("no_match", e) for e in rule.examples.no_match]
        for number, (expected, example) in enumerate(cases, start=1):
            conv = example_conversation(
                rule, example, industries.get(packed_rule.pack, ()), f"example-{rule.id}-{number}"
            )
            undecided = ""
            if rule.kind == "llm" and judge is not None:
                verdict = judge(rule.id, conv)
                hit = verdict is True
                undecided = verdict if isinstance(verdict, str) else ""
                fired = [rule.id] if hit else ([undecided] if undecided else [])
            else:
                fired = [f.rule_id for f in inspect(library, conv)]
                hit = rule.id in fired
            if expected == "match":
                report.tp += hit
                report.fn += not hit
            else:
                report.fp += hit
                report.tn += not hit
            if undecided or hit != (expected == "match"):
                report.failures.append(
                    ExampleFailure(expected, number, example_text(example), fired)
                )
        reports.append(report)
        if progress is not None:
            progress(1)
    return reports
