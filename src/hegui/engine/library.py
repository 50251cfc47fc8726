"""A compiled rule library: every rule, and ONE multi-pattern database for all their text.

A library is immutable once built and safe to share between threads; each conversation
gets its own `Session` (hegui.engine.session). Which of its packs apply to a conversation
is a `Routes` table, built once per pack selection.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from hegui.engine.kinds import KINDS, Rule, RuleMeta, WhenRule
from hegui.engine.match import make_matcher
from hegui.engine.model import ROLES
from hegui.engine.pii import LeakPolicy, PiiDetector
from hegui.engine.rules import conditions as c
from hegui.engine.rules.compiler import PatternTable
from hegui.engine.rules.schema import RuleSpec
from hegui.engine.taxonomy import Taxonomy
from hegui.engine.textmodel.intents import INTENT_ROLES, IntentScorer


class RuleError(ValueError):
    """A rule that cannot be compiled into a library (unknown category, duplicate id…)."""


@dataclass(frozen=True, slots=True)
class PackedRule:
    """A rule and its pack; `group` tells packs of the same name apart when routing."""

    pack: str
    spec: RuleSpec
    group: str | None = None


@dataclass(frozen=True, slots=True)
class ModelOpinion:
    """The intent model as a second opinion beside the rules: an utterance of the intent's
    roles scoring at least `min_score` for one of `categories` (intents named like
    taxonomy categories) is a finding of that category, rule id `model.<category>`,
    detector "model". A rule's finding on the same utterance and category wins."""

    categories: tuple[str, ...]
    min_score: float = 0.9

    def __post_init__(self) -> None:
        if not 0 < self.min_score < 1:
            raise ValueError(f"min_score must be between 0 and 1: {self.min_score}")


Wake = Mapping[int, tuple[int, ...]]  # literal id → rule indices it wakes


@dataclass(frozen=True, slots=True)
class Routes:
    """For one selection of packs, per speaker role: which rules each literal wakes, which
    see every utterance, which look across segment joins; and which run at close."""

    packs: frozenset[str] | None  # pack groups whose rules apply (None: all)
    woken: Mapping[str, Wake]
    always: Mapping[str, tuple[int, ...]]
    boundary_always: Mapping[str, tuple[int, ...]]
    boundary_gated: Mapping[str, Wake]
    closing: tuple[int, ...]
    pii_woken: Mapping[str, Mapping[str, tuple[int, ...]]]  # role → PII type → rules
    boundary_pii: Mapping[str, Mapping[str, tuple[int, ...]]]


class RuleLibrary:
    def __init__(
        self,
        rules: Iterable[PackedRule],
        taxonomy: Taxonomy,
        *,
        backend: str = "auto",
        pii_detector: PiiDetector | None = None,
        lexicon: c.Lexicon | None = None,
        dedupe: bool = True,
        leak_policy: LeakPolicy | None = None,
        semantic: IntentScorer | None = None,
        opinion: ModelOpinion | None = None,
    ) -> None:
        """`lexicon` (word → frequency) lets sound-alike matches respect word edges;
        `dedupe` keeps one finding per category and evidence span (the earlier rule wins);
        `pii_detector` serves `pii:` conditions (a default one when they need it) and
        `leak_policy` decides what they count; `semantic` scores `semantic:` conditions
        (required when a rule has one: the engine reads no model file itself) and
        `opinion` adds the model's own findings for some categories."""
        self.lexicon = lexicon
        self.dedupe = dedupe
        self.leak_policy = leak_policy
        table = PatternTable()
        self.rules: list[Rule] = []
        self.packs: list[str] = []
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
            self.rules.append(KINDS[spec.kind].from_spec(spec, _meta(packed, taxonomy), table))
            self.packs.append(packed.group or packed.pack)
        self.by_id = {rule.meta.id: rule for rule in self.rules}
        self.needs = [rule.needs for rule in self.rules]
        self.dynamic = [rule.changes_liveness() for rule in self.rules]
        self.close_hooks = [rule.closes() or rule.acts_on_close() for rule in self.rules]
        self.can_pend = [type(rule).pending is not Rule.pending for rule in self.rules]
        self.order = {rule.meta.id: index for index, rule in enumerate(self.rules)}
        self.literals = table.literals
        self.uses_canonical = table.uses_canonical
        self.matcher = make_matcher(self.literals, backend)
        self.backend = self.matcher.name
        self.uses_pii = any(_has_pii(cond) for r in self.rules for _, cond in r.conditions())
        self.pii_detector = pii_detector if self.uses_pii else None
        if self.uses_pii and self.pii_detector is None:
            self.pii_detector = PiiDetector()
        self.semantic, self.opinion = self._semantic(semantic, opinion, taxonomy)
        self.opinion_roles: Mapping[str, tuple[tuple[str, RuleMeta], ...]] = {}
        if self.opinion is not None:
            roles: dict[str, list[tuple[str, RuleMeta]]] = {}
            for category in self.opinion.categories:
                meta = _opinion_meta(category, taxonomy)
                for role in INTENT_ROLES[category]:
                    roles.setdefault(role, []).append((category, meta))
            self.opinion_roles = MappingProxyType({r: tuple(v) for r, v in roles.items()})
        self._routes: dict[frozenset[str] | None, Routes] = {}
        self._lock = threading.Lock()
        self.all_routes = self.routes(None)

    def _semantic(
        self, scorer: IntentScorer | None, opinion: ModelOpinion | None, taxonomy: Taxonomy
    ) -> tuple[IntentScorer | None, ModelOpinion | None]:
        wanted: dict[str, str] = {}
        for rule in self.rules:
            for _, cond in rule.conditions():
                for leaf in _semantic_leaves(cond):
                    wanted.setdefault(leaf.intent, rule.meta.id)
        if opinion is not None:
            for category in opinion.categories:
                if category not in taxonomy or category not in INTENT_ROLES:
                    raise RuleError(
                        f"模型第二意见的类别不可用 classifier category {category!r} is not an "
                        "intent of the semantic model that is also a taxonomy category"
                    )
                wanted.setdefault(category, "classifier")
        if not wanted:
            return None, opinion
        if scorer is None:
            first = next(iter(wanted.values()))
            raise RuleError(
                f"rule {first}: semantic conditions need an intent model / 语义条件需要意图模型"
                " (hegui.models.semantic_model())"
            )
        for intent, where in wanted.items():
            if intent not in scorer.intents:
                raise RuleError(
                    f"rule {where}: the {scorer.name} model does not score {intent!r} / "
                    "模型不支持该意图"
                )
        return scorer, opinion

    def routes(self, packs: frozenset[str] | None) -> Routes:
        """The routing table for the rules of `packs` (None: every rule); built once."""
        found = self._routes.get(packs)
        if found is None:
            with self._lock:
                found = self._routes.get(packs)
                if found is None:
                    found = self._routes[packs] = self._build_routes(packs)
        return found

    def _build_routes(self, packs: frozenset[str] | None) -> Routes:
        woken: dict[str, dict[int, list[int]]] = {role: {} for role in ROLES}
        gated: dict[str, dict[int, list[int]]] = {role: {} for role in ROLES}
        always: dict[str, list[int]] = {role: [] for role in ROLES}
        boundary_always: dict[str, list[int]] = {role: [] for role in ROLES}
        closing: list[int] = []
        by_pii: dict[str, dict[str, list[int]]] = {role: {} for role in ROLES}
        boundary_pii: dict[str, dict[str, list[int]]] = {role: {} for role in ROLES}
        for index, rule in enumerate(self.rules):
            if packs is not None and self.packs[index] not in packs:
                continue
            if rule.closes():
                closing.append(index)
            gate = rule.wake_gate()
            boundary = isinstance(rule, WhenRule) and not rule.scope.positional
            pii = rule.wake_pii()
            for role in rule.scope.roles:
                if gate is None and not pii:
                    always[role].append(index)
                for pid in gate or ():
                    woken[role].setdefault(pid, []).append(index)
                for kind in pii or ():
                    by_pii[role].setdefault(kind, []).append(index)
                if not boundary:
                    continue
                if rule.gate is None and not rule.pii_gate:
                    boundary_always[role].append(index)
                for pid in rule.gate or ():
                    gated[role].setdefault(pid, []).append(index)
                for kind in rule.pii_gate or ():
                    boundary_pii[role].setdefault(kind, []).append(index)
        return Routes(
            packs=packs,
            woken=_freeze_wake(woken),
            always=MappingProxyType({r: tuple(v) for r, v in always.items()}),
            boundary_always=MappingProxyType({r: tuple(v) for r, v in boundary_always.items()}),
            boundary_gated=_freeze_wake(gated),
            closing=tuple(closing),
            pii_woken=_freeze_wake(by_pii),
            boundary_pii=_freeze_wake(boundary_pii),
        )


def _freeze_wake(table: Mapping[str, Mapping[Any, list[int]]]) -> Mapping[str, Any]:
    return MappingProxyType(
        {
            role: MappingProxyType({pid: tuple(ids) for pid, ids in wake.items()})
            for role, wake in table.items()
        }
    )


def _meta(packed: PackedRule, taxonomy: Taxonomy) -> RuleMeta:
    spec = packed.spec
    return RuleMeta(
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


def _opinion_meta(category: str, taxonomy: Taxonomy) -> RuleMeta:
    zh = taxonomy.categories[category].zh
    return RuleMeta(
        id=f"model.{category}",
        version=1,
        category=category,
        severity=taxonomy.default_severity(category),
        message=f"模型判定：{zh}",
        message_en=f"The intent model reads this as {category}",
        pack="model",
    )


def _semantic_leaves(cond: c.Cond) -> list[c.SemanticLeaf]:
    if isinstance(cond, c.SemanticLeaf):
        return [cond]
    return [leaf for child in cond.children() for leaf in _semantic_leaves(child)]


def _has_pii(cond: c.Cond) -> bool:
    return isinstance(cond, c.PiiLeaf) or any(_has_pii(child) for child in cond.children())
