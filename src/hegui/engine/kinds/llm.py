"""The `llm` kind: a question about the whole conversation, asked of a language model.

The engine does no I/O, so it only compiles the rule — its identity, scope and question —
and never evaluates it; `hegui.llmcheck` asks the model (see docs/rules.md, "llm").
"""

from __future__ import annotations

from hegui.engine.kinds.base import Rule, RuleMeta, Scope
from hegui.engine.rules import schema as s
from hegui.engine.rules.compiler import PatternTable


class LlmRule(Rule):
    kind = "llm"
    external = True

    def __init__(self, meta: RuleMeta, scope: Scope, spec: s.LlmSpec) -> None:
        super().__init__(meta, scope)
        self.spec = spec

    @classmethod
    def from_spec(cls, spec: s.RuleSpec, meta: RuleMeta, table: PatternTable) -> Rule:
        assert spec.llm is not None
        return cls(meta, Scope(spec.scope), spec.llm)
