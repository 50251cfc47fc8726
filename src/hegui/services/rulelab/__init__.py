"""The rule workbench: validate a pack's YAML without publishing it (every problem with its
line and field), run a rule's examples, and try a rule on any text — which findings it
makes and why it did or did not fire (`hegui.engine.explain`).

What `validate` checks is what publishing checks (`hegui.services.rulesets.checks`), but
it reports every problem, not the first, each with the YAML line it is on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import ValidationError

from hegui.catalog import ALL_SHIPPED
from hegui.engine.explain import Explanation, explain
from hegui.engine.library import PackedRule, RuleError, RuleLibrary
from hegui.engine.model import CHANNELS, ROLES, Conversation, Utterance
from hegui.engine.rules.schema import PackSpec, RuleSpec
from hegui.engine.session import inspect
from hegui.errors import Invalid
from hegui.inspector import default_detector
from hegui.lexicon import default_lexicon
from hegui.models import semantic_model
from hegui.packs import PackError, _line_of, parse_located, safe_yaml, taxonomy
from hegui.packs.lint import lint_rules
from hegui.packs.testing import example_conversation, example_text, switched_on
from hegui.services.rulesets.checks import MAX_RULE_ID, MAX_TEXT, rule_digest

SOURCE = "text"
MAX_UTTERANCES = 200
MAX_SAMPLE_TEXT = 20_000


@dataclass(frozen=True, slots=True)
class Problem:
    level: str  # error | warning
    field: str  # rules[0].when.keywords, pack, text
    line: int | None
    rule_id: str | None
    message: str  # Chinese first, English alongside


@dataclass(frozen=True, slots=True)
class ExampleResult:
    rule_id: str
    expected: str  # match | no_match
    number: int  # 1-based, match examples first (as `hegui rules test` numbers them)
    text: str
    fired: bool | None  # None: not run (an llm rule needs a model endpoint)
    passed: bool | None
    line: int | None


@dataclass(frozen=True, slots=True)
class RuleLine:
    id: str
    line: int | None
    kind: str
    category: str
    version: int
    enabled: bool


@dataclass(slots=True)
class Validation:
    pack: str | None = None
    rules: list[RuleLine] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    examples: list[ExampleResult] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


def dotted(loc: Sequence[Any]) -> str:
    """("rules", 0, "when") → "rules[0].when", the form publishing's errors name."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


History = Mapping[str, Mapping[str, Any]]


def validate(text: str, taken: Mapping[str, str], history: Callable[[str], History]) -> Validation:
    """Every problem of a pack's text. `taken`: rule id → the pack that has it (shipped
    and published); `history(pack)`: rule id → its newest published {"version", "digest"}."""
    result = Validation()
    if not text.strip() or len(text) > MAX_TEXT:
        why = "规则包为空 the pack is empty" if not text.strip() else "规则包过大 too large"
        result.errors.append(Problem("error", SOURCE, None, None, why))
        return result
    root = _compose(text, result)
    if root is None:
        return result
    data = safe_yaml.construct(root)
    if not isinstance(data, dict):
        message = "规则包必须是映射 a pack must be a mapping with 'pack' and 'rules'"
        result.errors.append(Problem("error", SOURCE, 1, None, message))
        return result
    try:
        spec = PackSpec.model_validate(data)
    except ValidationError as exc:
        result.errors.extend(_schema_problems(exc, data, root))
        return result
    result.pack = spec.pack

    def line(*loc: Any) -> int | None:
        return _line_of(root, loc)

    result.rules = [
        RuleLine(r.id, line("rules", i), r.kind, r.category, r.version, r.enabled)
        for i, r in enumerate(spec.rules)
    ]
    if spec.pack in ALL_SHIPPED:
        message = f"与内置规则包重名 {spec.pack!r} is a shipped pack's name"
        result.errors.append(Problem("error", "pack", line("pack"), None, message))
    _names_and_versions(spec, taken, history(spec.pack), result, line)
    packed = [PackedRule(spec.pack, rule) for rule in spec.rules]
    index = {rule.id: i for i, rule in enumerate(spec.rules)}
    for problem in lint_rules(packed, taxonomy()):
        i = index.get(problem.rule_id)
        where = f"rules[{i}]" if i is not None else "rules"
        found = Problem(problem.level, where, line("rules", i), problem.rule_id, problem.message)
        (result.errors if problem.level == "error" else result.warnings).append(found)
    try:
        library = compile_rules(packed)
    except (RuleError, PackError) as exc:
        message = f"规则无法编译 rules do not compile: {exc}"
        result.errors.append(Problem("error", "rules", line("rules"), None, message))
        return result
    result.examples = run_examples(spec, library, line)
    for ex in result.examples:
        if ex.passed is False:
            i = index[ex.rule_id]
            message = (
                f"示例未通过 {ex.rule_id}: {ex.expected} 示例 {ex.number} ({ex.text!r}) "
                f"{'命中 fired' if ex.fired else '未命中 did not fire'}"
            )
            where = f"rules[{i}].examples.{ex.expected}"
            result.errors.append(Problem("error", where, ex.line, ex.rule_id, message))
    return result


def _compose(text: str, result: Validation) -> yaml.Node | None:
    try:
        root = safe_yaml.compose(text, SOURCE)
    except safe_yaml.UnsafeYaml as exc:
        result.errors.append(Problem("error", SOURCE, None, None, str(exc)))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        message = f"YAML 语法错误 syntax error: {problem}"
        result.errors.append(Problem("error", SOURCE, line, None, message))
        return None
    if root is None:
        result.errors.append(Problem("error", SOURCE, 1, None, "规则包为空 the pack is empty"))
    return root


def _schema_problems(exc: ValidationError, data: dict[str, Any], root: Any) -> list[Problem]:
    out = []
    found = data.get("rules")
    rules: list[Any] = found if isinstance(found, list) else []
    for error in exc.errors()[:50]:
        loc = tuple(error["loc"])
        rule_id = None
        if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
            item = rules[loc[1]] if loc[1] < len(rules) else None
            rule_id = str(item.get("id")) if isinstance(item, dict) and "id" in item else None
        message = str(error["msg"]).removeprefix("Value error, ")
        given = error.get("input")
        if isinstance(given, str | int | float) and len(str(given)) <= 60:
            message += f" (got {given!r})"
        message = f"规则包校验失败 invalid: {message}"
        out.append(Problem("error", dotted(loc), _line_of(root, loc), rule_id, message))
    return out


def _names_and_versions(
    spec: PackSpec,
    taken: Mapping[str, str],
    history: History,
    result: Validation,
    line: Any,
) -> None:
    for i, rule in enumerate(spec.rules):
        if len(rule.id) > MAX_RULE_ID:
            message = f"编号过长 longer than {MAX_RULE_ID} characters"
            at = line("rules", i, "id")
            result.errors.append(Problem("error", f"rules[{i}].id", at, rule.id, message))
        owner = taken.get(rule.id)
        if owner is not None and owner != spec.pack:
            message = f"编号已被规则包 {owner} 使用 {rule.id} is in {owner}"
            result.errors.append(
                Problem("error", f"rules[{i}].id", line("rules", i, "id"), rule.id, message)
            )
        before = history.get(rule.id)
        if before is None:
            continue
        where, at = f"rules[{i}].version", line("rules", i, "version") or line("rules", i)
        if rule.version < before["version"]:
            message = (
                f"版本不能回退 {rule.id}: version {rule.version} < published {before['version']}"
            )
            result.errors.append(Problem("error", where, at, rule.id, message))
        elif rule.version == before["version"] and rule_digest(rule) != before["digest"]:
            message = (
                f"规则已修改，请提高版本 {rule.id} changed: raise its version above "
                f"{before['version']}"
            )
            result.errors.append(Problem("error", where, at, rule.id, message))


def compile_rules(packed: Sequence[PackedRule]) -> RuleLibrary:
    """Rules compiled as `hegui rules test` compiles them: each on, none deduplicated away."""
    return RuleLibrary(
        switched_on(packed),
        taxonomy(),
        pii_detector=default_detector(),
        lexicon=default_lexicon(),
        semantic=semantic_model(),
        dedupe=False,
    )


def run_examples(
    spec: PackSpec, library: RuleLibrary, line: Any = None, only: str | None = None
) -> list[ExampleResult]:
    """Every example of every rule (or of rule `only`), run on `library`."""
    out: list[ExampleResult] = []
    for i, rule in enumerate(spec.rules):
        if only is not None and rule.id != only:
            continue
        cases = [("match", n, e) for n, e in enumerate(rule.examples.match)]
        cases += [("no_match", n, e) for n, e in enumerate(rule.examples.no_match)]
        for number, (expected, n, example) in enumerate(cases, start=1):
            at = line("rules", i, "examples", expected, n) if line is not None else None
            text = example_text(example)
            if rule.kind == "llm":
                out.append(ExampleResult(rule.id, expected, number, text, None, None, at))
                continue
            conv = example_conversation(rule, example, spec.industries, f"example-{number}")
            hit = any(f.rule_id == rule.id for f in inspect(library, conv))
            passed = hit == (expected == "match")
            out.append(ExampleResult(rule.id, expected, number, text, hit, passed, at))
    return out


@dataclass(frozen=True, slots=True)
class SampleUtterance:
    role: str
    text: str
    start: float | None = None
    end: float | None = None


@dataclass(frozen=True, slots=True)
class Sample:
    """What to try a rule on: one text (spoken by `role`) or a few utterances."""

    text: str | None = None
    role: str | None = None
    channel: str | None = None
    industry: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    utterances: Sequence[SampleUtterance] = ()


def sample_conversation(rule: RuleSpec, industries: Sequence[str], sample: Sample) -> Conversation:
    """The conversation a sample stands for; defaults as for a rule's string examples."""
    if (sample.text is None) == (not sample.utterances):
        raise Invalid("text", "请给出文本或语句之一 give either text or utterances")
    channel = sample.channel or (rule.scope.channels[0] if rule.scope.channels else "phone")
    if channel not in CHANNELS:
        raise Invalid("channel", f"未知渠道 unknown channel {channel!r}: {', '.join(CHANNELS)}")
    if sample.text is not None:
        role = sample.role or rule.scope.roles[0]
        turns = [SampleUtterance(role, sample.text)]
        if not sample.text.strip():
            raise Invalid("text", "文本为空 the text is empty")
    else:
        turns = list(sample.utterances)
    if len(turns) > MAX_UTTERANCES:
        raise Invalid("utterances", f"语句过多 at most {MAX_UTTERANCES} utterances")
    if sum(len(t.text) for t in turns) > MAX_SAMPLE_TEXT:
        raise Invalid("text", f"文本过长 at most {MAX_SAMPLE_TEXT} characters in all")
    for n, turn in enumerate(turns):
        if turn.role not in ROLES:
            where = "role" if sample.text is not None else f"utterances.{n}.role"
            raise Invalid(where, f"未知角色 unknown role {turn.role!r}: {', '.join(ROLES)}")
    industry = sample.industry or (
        rule.scope.industries[0]
        if rule.scope.industries
        else (industries[0] if industries else None)
    )
    utterances = tuple(Utterance(t.role, t.text, t.start, t.end) for t in turns)
    return Conversation("try", utterances, channel, industry, dict(sample.metadata))


def try_rule(spec: PackSpec, rule_id: str, sample: Sample) -> Explanation:
    """Rule `rule_id` of `spec`, compiled alone, explained on the sample."""
    rule = next((r for r in spec.rules if r.id == rule_id), None)
    if rule is None:
        raise Invalid("rule_id", f"规则包中没有这条规则 no rule {rule_id[:128]!r} in the pack")
    if rule.kind == "llm":
        raise Invalid(
            "rule_id",
            f"大模型规则由模型判断，无法逐条解释 {rule_id} is an llm rule: the model decides",
        )
    conversation = sample_conversation(rule, spec.industries, sample)
    try:
        library = compile_rules([PackedRule(spec.pack, rule)])
    except (RuleError, PackError) as exc:
        raise Invalid("text", f"规则无法编译 the rule does not compile: {exc}") from exc
    return explain(library, rule_id, conversation)


def parse_draft(text: str) -> PackSpec:
    """A draft pack's text, or Invalid("text") naming its line and field."""
    if not text.strip():
        raise Invalid("text", "规则包为空 the pack is empty")
    try:
        return parse_located(text, SOURCE).spec
    except PackError as exc:
        raise Invalid("text", str(exc)) from exc
