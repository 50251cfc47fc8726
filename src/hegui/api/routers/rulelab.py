"""The rule workbench over HTTP: validate a pack without publishing it, run a rule's
examples, try a rule (published, shipped or in a draft) on pasted text and see why it did
or did not fire, and the health of rules from reviewers' verdicts."""

from __future__ import annotations

import functools
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from hegui.api.deps import CurrentUser, PlatformDep, ReaderDep, requires
from hegui.api.errors import documented
from hegui.bootstrap import Platform
from hegui.catalog import ALL_SHIPPED
from hegui.engine.explain import Explanation, NodeTrace
from hegui.engine.library import PackedRule, RuleError
from hegui.engine.rules.schema import PackSpec
from hegui.errors import Invalid, NotFound
from hegui.packs import PackError
from hegui.packs.source import ShippedPacks
from hegui.services import rulelab
from hegui.services.access import Principal
from hegui.services.rulesets.checks import MAX_TEXT, shipped_rule_ids
from hegui.services.rulesets.repository import RuleSetRepository
from hegui.services.rulesets.source import loaded_pack
from hegui.services.rulestats import NoiseThresholds, rule_health
from hegui.services.users.schemas import Role

router = APIRouter(tags=["rules"], responses=documented(401, 403))
RuleAuthor = Annotated[Principal, Depends(requires(Role.admin, Role.compliance_manager))]
RuleId = Annotated[str, Path(min_length=1, max_length=128)]


# ---- bodies ---------------------------------------------------------------------------


class TurnIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: str = Field(max_length=16, description="agent | customer | bot | …")
    text: str = Field(max_length=rulelab.MAX_SAMPLE_TEXT)
    start: float | None = Field(default=None, description="seconds from the start")
    end: float | None = None


class SampleIn(BaseModel):
    """One text (`text`, spoken by `role`), or a few `utterances`."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, max_length=rulelab.MAX_SAMPLE_TEXT)
    role: str | None = Field(default=None, max_length=16, description="default: the rule's first")
    channel: str | None = Field(default=None, max_length=16, description="default: phone")
    industry: str | None = Field(default=None, max_length=32, pattern=r"^[a-z0-9_]+$")
    metadata: dict[str, Any] = Field(default_factory=dict, description="conversation metadata")
    utterances: list[TurnIn] | None = Field(default=None, max_length=rulelab.MAX_UTTERANCES)

    def sample(self) -> rulelab.Sample:
        turns = [
            rulelab.SampleUtterance(t.role, t.text, t.start, t.end) for t in self.utterances or []
        ]
        return rulelab.Sample(
            self.text, self.role, self.channel, self.industry, self.metadata, tuple(turns)
        )


class PackText(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=MAX_TEXT, description="the pack as YAML (`pack:`, `rules:`)")


class DraftTry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pack_text: str = Field(max_length=MAX_TEXT, description="the draft pack as YAML")
    rule_id: str = Field(min_length=1, max_length=128)
    sample: SampleIn


# ---- answers --------------------------------------------------------------------------


class ProblemOut(BaseModel):
    level: str = Field(description="error | warning")
    field: str = Field(description="what is wrong: text, pack, rules[0].when.keywords …")
    line: int | None = Field(description="the YAML line (1-based), when known")
    rule_id: str | None
    message: str = Field(description="Chinese first, English alongside")


class ExampleOut(BaseModel):
    rule_id: str
    expected: str = Field(description="match | no_match")
    number: int
    text: str
    fired: bool | None = Field(description="null: not run (an llm rule needs a model)")
    passed: bool | None
    line: int | None


class RuleLineOut(BaseModel):
    id: str
    line: int | None
    kind: str
    category: str
    version: int
    enabled: bool


class ValidationOut(BaseModel):
    valid: bool = Field(description="true: publishing would accept it")
    pack: str | None
    rules: list[RuleLineOut]
    errors: list[ProblemOut]
    warnings: list[ProblemOut]
    examples: list[ExampleOut]


class ExamplesOut(BaseModel):
    rule_id: str
    passed: bool = Field(description="every example that ran passed")
    examples: list[ExampleOut]


class HitOut(BaseModel):
    text: str
    span: tuple[int, int]
    dropped: str | None = Field(description="why the occurrence does not count; null: counts")


class NodeOut(BaseModel):
    label: str
    kind: str = Field(description="keywords regex semantic pii metadata role all any none …")
    holds: bool
    span: tuple[int, int] | None
    hits: list[HitOut]
    score: float | None
    threshold: float | None
    children: list[NodeOut]


class ConditionOut(BaseModel):
    name: str = Field(description="when | must_say | after | step 2 | count")
    trace: NodeOut


class UtteranceOut(BaseModel):
    index: int
    role: str
    text: str
    normalised: str
    in_scope: bool
    conditions: list[ConditionOut]


class FindingOut(BaseModel):
    utterance_index: int | None
    role: str | None
    span: tuple[int, int] | None
    evidence: str | None
    matched: str | None
    message: str
    score: float | None


class ReasonOut(BaseModel):
    code: str = Field(description="matched, keyword_absent, negated, exception, … (docs/rules.md)")
    zh: str
    en: str
    utterance_index: int | None
    condition: str


class TryOut(BaseModel):
    rule_id: str
    kind: str
    fired: bool
    findings: list[FindingOut]
    reasons: list[ReasonOut]
    utterances: list[UtteranceOut]


class SuggestionOut(BaseModel):
    phrase: str
    dismissed_cases: int = Field(description="dismissed cases with this phrase around the match")


class HealthOut(BaseModel):
    rule_id: str
    pack: str | None = Field(description="null: the rule is no longer shipped or published")
    category: str | None
    findings: int = Field(description="current findings the rule has made")
    confirmed: int
    dismissed: int
    precision: float | None
    noisy: bool
    suggested_exceptions: list[SuggestionOut]


class HealthPage(BaseModel):
    items: list[HealthOut]
    min_precision: float = Field(description="below this (with enough verdicts): noisy")
    min_verdicts: int


# ---- endpoints ------------------------------------------------------------------------


@router.post("/api/v1/rule-packs/validate", response_model=ValidationOut, responses=documented(422))
def validate_pack(
    body: PackText, _user: RuleAuthor, platform: PlatformDep, session: ReaderDep
) -> ValidationOut:
    """校验规则包 Check a pack as publishing would, without publishing (admin, compliance_manager).

    Answers 200 with every problem (`errors`, `warnings`), each naming its `field` and YAML
    `line`, and every example's result; `valid` is whether publishing would accept it.
    """
    repo = RuleSetRepository(session)
    taken = shipped_rule_ids()
    for row in repo.published():
        taken.update(dict.fromkeys(row.rules, row.pack))

    def history(pack: str) -> rulelab.History:
        newest: dict[str, Any] = {}
        for version in repo.versions(pack):  # oldest first: later versions overwrite
            newest.update(version.rules)
        return newest

    found = rulelab.validate(body.text, taken, history)
    return ValidationOut(
        valid=found.valid,
        pack=found.pack,
        rules=[RuleLineOut.model_validate(r, from_attributes=True) for r in found.rules],
        errors=[ProblemOut.model_validate(p, from_attributes=True) for p in found.errors],
        warnings=[ProblemOut.model_validate(p, from_attributes=True) for p in found.warnings],
        examples=[ExampleOut.model_validate(e, from_attributes=True) for e in found.examples],
    )


@router.post("/api/v1/rule-packs/try", response_model=TryOut, responses=documented(422))
def try_draft(body: DraftTry, _user: RuleAuthor) -> TryOut:
    """试一试（草稿）Try a rule of a draft pack on a text (admin, compliance_manager).

    422 naming the field: a pack that does not parse (`text`, with its line), a rule the
    pack lacks or an llm rule (`rule_id`), a bad role or channel.
    """
    spec = rulelab.parse_draft(body.pack_text)
    return _answer(rulelab.try_rule(spec, body.rule_id, body.sample.sample()))


@router.post(
    "/api/v1/rules/{rule_id}/examples", response_model=ExamplesOut, responses=documented(404)
)
def run_examples(
    rule_id: RuleId, _user: CurrentUser, platform: PlatformDep, session: ReaderDep
) -> ExamplesOut:
    """运行样例 Run a shipped or published rule's examples, on the rule alone (any role)."""
    spec = _pack_of(platform, session, rule_id)
    rule = next(r for r in spec.rules if r.id == rule_id)
    try:
        library = rulelab.compile_rules([PackedRule(spec.pack, rule)])
    except (RuleError, PackError) as exc:  # a stored pack always compiled: defensive
        raise Invalid("rule_id", f"规则无法编译 the rule does not compile: {exc}") from exc
    results = rulelab.run_examples(spec, library, only=rule_id)
    return ExamplesOut(
        rule_id=rule_id,
        passed=all(e.passed is not False for e in results),
        examples=[ExampleOut.model_validate(e, from_attributes=True) for e in results],
    )


@router.post("/api/v1/rules/{rule_id}/try", response_model=TryOut, responses=documented(404, 422))
def try_rule(
    rule_id: RuleId,
    body: SampleIn,
    _user: CurrentUser,
    platform: PlatformDep,
    session: ReaderDep,
) -> TryOut:
    """试一试 Why a shipped or published rule does or does not fire on a text (any role).

    The rule runs alone; the answer has its findings, `reasons` (codes in docs/rules.md)
    and the trace of every condition on every utterance.
    """
    spec = _pack_of(platform, session, rule_id)
    return _answer(rulelab.try_rule(spec, rule_id, body.sample()))


@router.get("/api/v1/rule-health", response_model=HealthPage)
def health(_user: CurrentUser, platform: PlatformDep, session: ReaderDep) -> HealthPage:
    """规则健康度 Rules with reviewers' verdicts: noisy ones first, then by precision (any role).

    Each with its findings, confirmed and dismissed cases, precision, and the phrases its
    dismissed cases suggest as exceptions (with how many dismissed cases each covers).
    """
    limits = NoiseThresholds()
    where = {rule.id: (spec.pack, rule.category) for spec in _packs(platform, session)
             for rule in spec.rules}  # fmt: skip
    items = []
    for h in rule_health(session, thresholds=limits):
        pack, category = where.get(h["rule_id"], (None, None))
        suggestions = [
            SuggestionOut(phrase=p, dismissed_cases=n) for p, n in h["suggested_exceptions"]
        ]
        items.append(
            HealthOut(
                rule_id=h["rule_id"],
                pack=pack,
                category=category,
                findings=h["findings"],
                confirmed=h["confirmed"],
                dismissed=h["dismissed"],
                precision=h["precision"],
                noisy=h["noisy"],
                suggested_exceptions=suggestions,
            )
        )
    return HealthPage(items=items, min_precision=limits.precision, min_verdicts=limits.min_verdicts)


# ---- helpers --------------------------------------------------------------------------


@functools.cache
def _shipped() -> tuple[PackSpec, ...]:
    return tuple(p.spec for p in ShippedPacks(ALL_SHIPPED).packs())


def _packs(platform: Platform, session: Session) -> list[PackSpec]:
    published = [loaded_pack(row).spec for row in platform.rulesets.published(session)]
    return [*_shipped(), *published]


def _pack_of(platform: Platform, session: Session, rule_id: str) -> PackSpec:
    for spec in _packs(platform, session):
        if any(rule.id == rule_id for rule in spec.rules):
            return spec
    raise NotFound(f"没有这条规则 no rule {rule_id[:128]!r}")


def _node(node: NodeTrace) -> NodeOut:
    return NodeOut(
        label=node.label,
        kind=node.kind,
        holds=node.holds,
        span=node.span,
        hits=[HitOut(text=h.text, span=h.span, dropped=h.dropped) for h in node.hits],
        score=node.score,
        threshold=node.threshold,
        children=[_node(child) for child in node.children],
    )


def _answer(found: Explanation) -> TryOut:
    return TryOut(
        rule_id=found.rule_id,
        kind=found.kind,
        fired=bool(found.fired),
        findings=[
            FindingOut(
                utterance_index=f.utterance_index,
                role=f.role,
                span=f.span,
                evidence=f.evidence,
                matched=f.matched,
                message=f.message,
                score=f.score,
            )
            for f in found.fired
        ],
        reasons=[ReasonOut.model_validate(r, from_attributes=True) for r in found.reasons],
        utterances=[
            UtteranceOut(
                index=t.index,
                role=t.role,
                text=t.text,
                normalised=t.normalised,
                in_scope=t.in_scope,
                conditions=[ConditionOut(name=n, trace=_node(node)) for n, node in t.conditions],
            )
            for t in found.utterances
        ],
    )
