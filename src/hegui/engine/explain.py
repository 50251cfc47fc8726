"""Why a rule did or did not fire on a text: every node of its condition trees, evaluated."""

from __future__ import annotations

from dataclasses import dataclass, field

from hegui.engine.kinds import Rule
from hegui.engine.rules import conditions as c
from hegui.engine.session import Session


@dataclass(slots=True)
class NodeTrace:
    label: str
    holds: bool
    span: c.Span | None
    notes: list[str] = field(default_factory=list)
    children: list[NodeTrace] = field(default_factory=list)


def trace(cond: c.Cond, u: c.Prepared, session: Session) -> NodeTrace:
    hit = cond.evaluate(u, session)
    span = None if hit is None or hit == c.TRUE else hit
    node = NodeTrace(cond.describe(), hit is not None, span)
    if isinstance(cond, c.TextLeaf):
        if cond.pattern_ids.isdisjoint(u.hits):
            node.notes.append("no pattern of this leaf occurs (prefilter) / 未出现")
        for start, end, reason in cond.raw_hits(u):
            a, b = u.norm.to_original(start, end)
            text = u.utterance.text[a:b]
            verdict = f"dropped: {reason}" if reason else "counts"
            node.notes.append(f"'{text}' at [{a}, {b}) — {verdict}")
    if isinstance(cond, c.SemanticLeaf):
        score = cond.score(u, session)
        node.notes.append(f"score {score:.3f} (needs ≥ {cond.min_score:g}) / 模型得分")
    for child in cond.children():
        node.children.append(trace(child, u, session))
    return node


def explain_rule(rule: Rule, session: Session, index: int = -1) -> list[tuple[str, NodeTrace]]:
    """Trace each named condition of `rule` on utterance `index` of a fed session."""
    u = session.history[index]
    return [(name, trace(cond, u, session)) for name, cond in rule.conditions()]
