"""A compiled rule library: every rule, and ONE multi-pattern database for all their text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hegui.engine.kinds import KINDS, Rule, RuleMeta, WhenRule
from hegui.engine.match import make_matcher
from hegui.engine.model import ROLES, Conversation, Finding
from hegui.engine.rules import conditions as c
from hegui.engine.rules.compiler import PatternTable
from hegui.engine.rules.schema import RuleSpec
from hegui.engine.session import Session
from hegui.engine.taxonomy import Taxonomy


class RuleError(ValueError):
    """A rule that cannot be compiled into a library (unknown category, duplicate id…)."""


@dataclass(frozen=True, slots=True)
class PackedRule:
    pack: str
    spec: RuleSpec


class RuleLibrary:
    def __init__(
        self,
        rules: Iterable[PackedRule],
        taxonomy: Taxonomy,
        *,
        backend: str = "auto",
        pii_detector: Any = None,
        lexicon: c.Lexicon | None = None,
        dedupe: bool = True,
        leak_policy: Any = None,
    ) -> None:
        """`lexicon` (word → frequency) lets sound-alike matches respect word edges;
        `dedupe` keeps one finding per category and evidence span (the earlier rule wins)."""
        self.lexicon = lexicon
        self.dedupe = dedupe
        self.leak_policy = leak_policy  # a pii.LeakPolicy: what the `pii:` leaf counts
        table = PatternTable()
        self.rules: list[Rule] = []
        seen: set[str] = set()
        for packed in rules:
            spec = packed.spec
            if not spec.enabled:
                continue
            if spec.id in seen:
                raise RuleError(f"duplicate rule id {spec.id} / 规则编号重复")
            seen.add(spec.id)
            if spec.category not in taxonomy:
                raise RuleError(f"rule {spec.id}: unknown category {spec.category!r} / 未知类别")
            meta = RuleMeta(
                id=spec.id,
                version=spec.version,
                category=spec.category,
                severity=spec.severity or taxonomy.default_severity(spec.category),
                message=spec.message,
                message_en=spec.message_en or "",
                pack=packed.pack,
                description=spec.description,
                source=spec.source,
            )
            self.rules.append(KINDS[spec.kind].from_spec(spec, meta, table))
        self.by_id = {rule.meta.id: rule for rule in self.rules}
        self.order = {rule.meta.id: index for index, rule in enumerate(self.rules)}
        self.literals = table.literals
        self.uses_canonical = table.uses_canonical
        self.matcher = make_matcher(self.literals, backend)
        self.backend = self.matcher.name
        self._route()
        self.uses_pii = any(_has_pii(cond) for r in self.rules for _, cond in r.conditions())
        self.pii_detector = pii_detector if self.uses_pii else None
        if self.uses_pii and self.pii_detector is None:
            from hegui.engine.pii import PiiDetector

            self.pii_detector = PiiDetector()

    def _route(self) -> None:
        """Per speaker role: which rules each literal wakes and which see every utterance;
        and which rules must run at close."""
        self.pattern_rules: dict[str, list[list[int]]] = {}
        self.always: dict[str, list[int]] = {}
        self.boundary_always: dict[str, list[int]] = {}
        self.boundary_gated: dict[str, list[list[int]]] = {}
        for role in ROLES:
            self.pattern_rules[role] = [[] for _ in self.literals]
            self.boundary_gated[role] = [[] for _ in self.literals]
            self.always[role] = []
            self.boundary_always[role] = []
        self.closing = [i for i, rule in enumerate(self.rules) if rule.closes()]
        for index, rule in enumerate(self.rules):
            gate = rule.wake_gate()
            boundary = isinstance(rule, WhenRule) and not rule.scope.positional
            for role in rule.scope.roles:
                if gate is None:
                    self.always[role].append(index)
                else:
                    for pid in gate:
                        self.pattern_rules[role][pid].append(index)
                if boundary and rule.gate is None:
                    self.boundary_always[role].append(index)
                elif boundary and rule.gate is not None:
                    for pid in rule.gate:
                        self.boundary_gated[role][pid].append(index)

    def session(self, conversation: Conversation) -> Session:
        return Session(self, conversation)

    def inspect(self, conversation: Conversation) -> list[Finding]:
        """Batch inspection: feed every utterance, then close."""
        session = Session(self, conversation)
        out: list[Finding] = []
        for prepared in session.prepare_all(conversation.utterances):
            out.extend(session.feed_prepared(prepared))
        out.extend(session.close())
        return sorted(out, key=Finding.sort_key)


def _has_pii(cond: c.Cond) -> bool:
    return isinstance(cond, c.PiiLeaf) or any(_has_pii(child) for child in cond.children())
