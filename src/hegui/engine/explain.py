"""Why a rule did or did not fire on a conversation.

`trace` evaluates every node of a condition tree on one utterance (`hegui rules explain`
prints it); `explain` runs a conversation through a library and answers, for one rule,
which findings it made and — in `reasons` — why, each reason a code with a Chinese and an
English sentence (the codes are listed in `docs/rules.md`, *Why a rule did or did not
fire*). Only what the engine really checks is said: a keyword absent, a hit dropped by
negation or an exception, a role out of scope, a semantic score under its threshold, a
trigger never said, an obligation met, steps in order, too few occurrences.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hegui.engine.kinds import Rule
from hegui.engine.kinds.context import MustSayRule, SequenceRule
from hegui.engine.kinds.utterance import CountRule, WhenRule
from hegui.engine.library import RuleLibrary
from hegui.engine.model import Conversation, Finding
from hegui.engine.rules import conditions as c
from hegui.engine.session import Session

MAX_REASONS = 60  # a long conversation yields a few reasons per utterance: the first ones


@dataclass(frozen=True, slots=True)
class Hit:
    """One occurrence of a keyword or regex in the utterance (span in the original text)."""

    text: str
    span: c.Span
    dropped: str | None  # why it does not count (negation, exception …); None: it counts


@dataclass(slots=True)
class NodeTrace:
    label: str
    holds: bool
    span: c.Span | None
    notes: list[str] = field(default_factory=list)
    children: list[NodeTrace] = field(default_factory=list)
    kind: str = ""  # keywords regex semantic pii metadata role all any none near previous
    hits: list[Hit] = field(default_factory=list)
    score: float | None = None  # semantic leaves: the model's score (None: not scored)
    threshold: float | None = None
    min_chars: int | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason, e.g. code `negated`: "第1句「保本」被否定（不）" / "'保本' is negated"."""

    code: str
    zh: str
    en: str
    utterance_index: int | None = None
    condition: str = ""  # the named condition it concerns: when, must_say, after, step 2 …


@dataclass(frozen=True, slots=True)
class UtteranceTrace:
    index: int
    role: str
    text: str
    in_scope: bool  # spoken by one of the rule's roles
    normalised: str
    conditions: tuple[tuple[str, NodeTrace], ...]


@dataclass(frozen=True, slots=True)
class Explanation:
    rule_id: str
    kind: str
    fired: tuple[Finding, ...]
    reasons: tuple[Reason, ...]
    utterances: tuple[UtteranceTrace, ...]


_KINDS: tuple[tuple[type[c.Cond], str], ...] = (
    (c.SemanticLeaf, "semantic"),
    (c.PiiLeaf, "pii"),
    (c.MetadataLeaf, "metadata"),
    (c.RoleLeaf, "role"),
    (c.AllCond, "all"),
    (c.AnyCond, "any"),
    (c.NoneCond, "none"),
    (c.NearCond, "near"),
    (c.PreviousCond, "previous"),
)


def _kind(cond: c.Cond) -> str:
    if isinstance(cond, c.TextLeaf):
        return "regex" if cond.label.startswith("regex") else "keywords"
    for cls, name in _KINDS:
        if isinstance(cond, cls):
            return name
    return type(cond).__name__


def trace(cond: c.Cond, u: c.Prepared, session: Session) -> NodeTrace:
    hit = cond.evaluate(u, session)
    span = None if hit is None or hit == c.TRUE else hit
    node = NodeTrace(cond.describe(), hit is not None, span, kind=_kind(cond))
    if isinstance(cond, c.TextLeaf):
        if cond.pattern_ids.isdisjoint(u.hits) and not cond.unanchored:
            node.notes.append("no pattern of this leaf occurs (prefilter) / 未出现")
        for start, end, reason in cond.raw_hits(u, session.lexicon):
            a, b = u.norm.to_original(start, end)
            text = u.utterance.text[a:b]
            node.hits.append(Hit(text, (a, b), reason))
            verdict = f"dropped: {reason}" if reason else "counts"
            node.notes.append(f"'{text}' at [{a}, {b}) — {verdict}")
    if isinstance(cond, c.SemanticLeaf):
        node.threshold, node.min_chars = cond.min_score, cond.min_chars
        if not u.joined and len(u.norm.text) >= cond.min_chars:
            node.score = cond.score(u, session)
            node.notes.append(f"score {node.score:.3f} (needs ≥ {cond.min_score:g}) / 模型得分")
        else:
            node.notes.append(f"shorter than {cond.min_chars} chars: not scored / 过短不评分")
    for child in cond.children():
        node.children.append(trace(child, u, session))
    return node


def explain_rule(rule: Rule, session: Session, index: int = -1) -> list[tuple[str, NodeTrace]]:
    """Trace each named condition of `rule` on utterance `index` of a fed session."""
    u = session.history[index]
    return [(name, trace(cond, u, session)) for name, cond in rule.conditions()]


def explain(library: RuleLibrary, rule_id: str, conversation: Conversation) -> Explanation:
    """Inspect `conversation` with `library` and explain what rule `rule_id` did.

    Raises KeyError when the library has no such (enabled, engine-run) rule. Findings are
    those the library reports (compile the rule alone for its own behaviour, as
    `hegui rules test` does: no other rule's finding can then take its place)."""
    rule = library.by_id[rule_id]
    session = Session(library, conversation)
    found: list[Finding] = []
    for prepared in session.prepare_all(conversation.utterances):
        found.extend(session.feed_prepared(prepared))
    found.extend(session.close())
    fired = tuple(sorted((f for f in found if f.rule_id == rule_id), key=Finding.sort_key))
    traces = tuple(
        UtteranceTrace(
            u.index,
            u.utterance.role,
            u.utterance.text,
            u.utterance.role in rule.scope.roles,
            u.norm.text,
            tuple((name, trace(cond, u, session)) for name, cond in rule.conditions()),
        )
        for u in session.history
    )
    reasons = _reasons(rule, conversation, fired, traces)
    return Explanation(rule_id, rule.kind, fired, tuple(reasons[:MAX_REASONS]), traces)


def _reasons(
    rule: Rule,
    conversation: Conversation,
    fired: tuple[Finding, ...],
    traces: tuple[UtteranceTrace, ...],
) -> list[Reason]:
    out = [_fired_reason(f) for f in fired]
    if not rule.scope.active(conversation):
        return [*out, _inactive(rule, conversation)]
    if not traces:
        empty = Reason("no_utterance", "会话没有任何语句", "the conversation has no utterance")
        return [*out, empty]
    if not fired:
        out += _roles_out_of_scope(rule, traces)
    if not any(t.in_scope for t in traces):
        return out
    if isinstance(rule, WhenRule):
        out += [] if fired else _when(traces)
    elif isinstance(rule, CountRule):
        out += [] if fired else _count(rule, traces)
    elif isinstance(rule, MustSayRule):
        out += [] if fired else _must_say(rule, traces)
    elif isinstance(rule, SequenceRule):
        out += [] if fired else _sequence(traces)
    elif not fired:
        out += [_timing(rule, conversation)]
    return out


def _fired_reason(f: Finding) -> Reason:
    i = f.utterance_index
    where_zh = f"第{i + 1}句" if i is not None else "整通会话"
    where_en = f"utterance {i + 1}" if i is not None else "the conversation"
    if f.score is not None:
        return Reason(
            "semantic_matched",
            f"{where_zh}语义模型得分 {f.score:.2f}，达到阈值：{f.message}",
            f"{where_en}: the intent model scores {f.score:.2f}, at or above the threshold",
            i,
        )
    if f.matched:
        return Reason(
            "matched",
            f"{where_zh}命中「{f.matched}」：{f.message}",
            f"{where_en} matches '{f.matched}': {f.message}",
            i,
        )
    return Reason("fired", f"{where_zh}：{f.message}", f"{where_en}: {f.message}", i)


def _inactive(rule: Rule, conversation: Conversation) -> Reason:
    scope = rule.scope
    if scope.channels is not None and conversation.channel not in scope.channels:
        want = ", ".join(sorted(scope.channels))
        return Reason(
            "conversation_out_of_scope",
            f"渠道 {conversation.channel} 不在规则范围（{want}）内",
            f"channel {conversation.channel} is not among the rule's channels ({want})",
        )
    industry = conversation.industry or "general"
    if scope.industries is not None and industry not in scope.industries:
        want = ", ".join(sorted(scope.industries))
        return Reason(
            "conversation_out_of_scope",
            f"行业 {industry} 不在规则范围（{want}）内",
            f"industry {industry} is not among the rule's industries ({want})",
        )
    failed = [m.describe() for m in scope.metadata if not m.holds(conversation)]
    detail = "; ".join(failed)
    return Reason(
        "conversation_out_of_scope",
        f"会话元数据不满足规则范围：{detail}",
        f"the conversation's metadata is out of the rule's scope: {detail}",
    )


def _roles_out_of_scope(rule: Rule, traces: tuple[UtteranceTrace, ...]) -> list[Reason]:
    want = ", ".join(sorted(rule.scope.roles))
    return [
        Reason(
            "role_out_of_scope",
            f"第{t.index + 1}句由 {t.role} 说出，规则只看 {want}",
            f"utterance {t.index + 1} is spoken by {t.role}; the rule looks at {want} only",
            t.index,
        )
        for t in traces
        if not t.in_scope
    ]


def _when(traces: tuple[UtteranceTrace, ...]) -> list[Reason]:
    out: list[Reason] = []
    for t in traces:
        if not t.in_scope:
            continue
        for name, node in t.conditions:
            if node.holds:
                out.append(
                    Reason(
                        "position_out_of_scope",
                        f"第{t.index + 1}句满足条件，但不在规则的位置范围（first/last）内",
                        f"utterance {t.index + 1} meets the condition but lies outside the "
                        "rule's first/last window",
                        t.index,
                        name,
                    )
                )
            else:
                out += why_not(node, t.index, name)
    return out


def _count(rule: CountRule, traces: tuple[UtteranceTrace, ...]) -> list[Reason]:
    held = [t for t in traces if t.in_scope and t.conditions[0][1].holds]
    out = [
        Reason(
            "count_below",
            f"条件满足 {len(held)} 次，少于规则要求的 {rule.at_least} 次",
            f"the condition holds {len(held)} times, fewer than the {rule.at_least} required",
        )
    ]
    if not held:
        for t in traces:
            if t.in_scope:
                out += why_not(t.conditions[0][1], t.index, "count")
    return out


def _named(t: UtteranceTrace, name: str) -> NodeTrace:
    return next(node for n, node in t.conditions if n == name)


def _must_say(rule: MustSayRule, traces: tuple[UtteranceTrace, ...]) -> list[Reason]:
    members = [t for t in traces if t.in_scope]
    start = 0
    if rule.after is not None:
        trigger = next((k for k, t in enumerate(members) if _named(t, "after").holds), None)
        if trigger is None:
            return [
                Reason(
                    "trigger_absent",
                    "未出现触发条件（after），无需说明",
                    "the trigger (`after`) never occurs: nothing is required",
                    None,
                    "after",
                )
            ]
        start = trigger
        # said shortly before the trigger counts too (as the engine does)
        earlier = [
            t
            for k, t in enumerate(members[:start])
            if _named(t, "must_say").holds and (rule.window is None or start - k <= rule.window)
        ]
        if earlier:
            return [
                Reason(
                    "obligation_met",
                    f"第{earlier[-1].index + 1}句已说明所需内容（在触发之前）",
                    f"utterance {earlier[-1].index + 1} says what is required (before the trigger)",
                    earlier[-1].index,
                    "must_say",
                )
            ]
    for k, t in enumerate(members[start:], start=start):
        if _named(t, "must_say").holds:
            late = rule.window is not None and k - start >= rule.window
            if late:
                continue
            return [
                Reason(
                    "obligation_met",
                    f"第{t.index + 1}句已说明所需内容",
                    f"utterance {t.index + 1} says what is required",
                    t.index,
                    "must_say",
                )
            ]
    return [
        Reason(
            "not_decided",
            "所需内容未说，但会话未结束前或窗口未过不判定",
            "what is required was not said, but the rule decides only when its window "
            "passes or the conversation ends",
        )
    ]


def _sequence(traces: tuple[UtteranceTrace, ...]) -> list[Reason]:
    members = [t for t in traces if t.in_scope]
    if not members:
        return []
    out: list[Reason] = []
    steps = len(members[0].conditions)
    for k in range(1, steps):
        name, before = f"step {k + 1}", f"step {k}"
        at = next((t for t in members if _named(t, name).holds), None)
        if at is None:
            out.append(
                Reason(
                    "step_absent",
                    f"第{k + 1}步从未出现，不存在顺序问题",
                    f"step {k + 1} never occurs: no order to break",
                    None,
                    name,
                )
            )
            continue
        prior = next((t for t in members if t.index < at.index and _named(t, before).holds), None)
        if prior is not None:
            out.append(
                Reason(
                    "order_kept",
                    f"第{k + 1}步（第{at.index + 1}句）之前已有第{k}步（第{prior.index + 1}句）",
                    f"step {k + 1} (utterance {at.index + 1}) comes after step {k} "
                    f"(utterance {prior.index + 1})",
                    at.index,
                    name,
                )
            )
    return out


def _timing(rule: Rule, conversation: Conversation) -> Reason:
    timed = any(u.start is not None or u.at is not None for u in conversation.utterances)
    if not timed:
        return Reason(
            "no_timestamps",
            "语句没有时间戳，时间类规则跳过",
            "the utterances carry no timestamps: timing rules are skipped",
        )
    return Reason(
        "within_limit",
        f"没有语句超出 {rule.kind} 的限值",
        f"no turn breaks the rule's {rule.kind} limit",
    )


def why_not(node: NodeTrace, index: int, condition: str) -> list[Reason]:
    """The reasons a condition node that does not hold on utterance `index` fails."""
    if node.holds:
        return []
    n = index + 1
    if node.kind in ("keywords", "regex"):
        if not node.hits:
            return [
                Reason(
                    "keyword_absent",
                    f"第{n}句未出现 {node.label}",
                    f"utterance {n} contains none of {node.label}",
                    index,
                    condition,
                )
            ]
        return [_dropped(hit, n, index, condition) for hit in node.hits if hit.dropped]
    if node.kind == "semantic":
        if node.score is None:
            return [
                Reason(
                    "semantic_short",
                    f"第{n}句少于 {node.min_chars} 个字，语义模型不评分",
                    f"utterance {n} is shorter than {node.min_chars} characters: not scored",
                    index,
                    condition,
                )
            ]
        return [
            Reason(
                "semantic_below",
                f"第{n}句语义得分 {node.score:.2f}，低于阈值 {node.threshold:g}（{node.label}）",
                f"utterance {n} scores {node.score:.2f}, below the threshold "
                f"{node.threshold:g} ({node.label})",
                index,
                condition,
            )
        ]
    simple = {
        "pii": ("pii_absent", "未发现未脱敏的个人信息", "no unmasked personal data found"),
        "metadata": ("metadata_false", "会话元数据不满足", "the metadata condition fails"),
        "role": ("role_mismatch", "说话人角色不符", "spoken by another role"),
        "previous": ("previous_absent", "此前几句中未出现", "not found in the previous turns"),
    }
    if node.kind in simple:
        code, zh, en = simple[node.kind]
        label = node.label
        return [
            Reason(code, f"第{n}句{zh}：{label}", f"utterance {n}: {en}: {label}", index, condition)
        ]
    if node.kind == "none":
        return [
            Reason(
                "excluded",
                f"第{n}句出现了排除条件（none）：{child.label}",
                f"utterance {n} meets an excluding (`none`) condition: {child.label}",
                index,
                condition,
            )
            for child in node.children
            if child.holds
        ]
    if node.kind == "near" and all(child.holds for child in node.children):
        return [
            Reason(
                "too_far",
                f"第{n}句两者都出现但距离超出 {node.label}",
                f"utterance {n} has both, but not {node.label}",
                index,
                condition,
            )
        ]
    out: list[Reason] = []
    for child in node.children:
        out += why_not(child, index, condition)
    return out


def _dropped(hit: Hit, n: int, index: int, condition: str) -> Reason:
    why = hit.dropped or ""
    if why.startswith("inside exception"):
        phrase = why.removeprefix("inside exception ").strip("'")
        return Reason(
            "exception",
            f"第{n}句「{hit.text}」位于例外词「{phrase}」中，不计",
            f"utterance {n}: '{hit.text}' lies inside the exception '{phrase}'",
            index,
            condition,
        )
    if why.startswith("sound-alike"):
        return Reason(
            "sound_alike",
            f"第{n}句同音匹配「{hit.text}」跨越了常用词边界，不计（{why}）",
            f"utterance {n}: the sound-alike '{hit.text}' is not counted: {why}",
            index,
            condition,
        )
    return Reason(
        "negated",
        f"第{n}句「{hit.text}」被否定或引述，不计（{why}）",
        f"utterance {n}: '{hit.text}' is negated or quoted: {why}",
        index,
        condition,
    )
