"""`Inspector`: the Python API, and the one place the engine is wired together.

An Inspector is built from parts (a `Catalog` of compiled rules, a PII detector, a mask
policy); `build_inspector` makes those parts from an `EngineConfig`, for the CLI, the
service and the bot alike. An Inspector is safe to share between threads: `inspect`
keeps its state per call, and a `LiveSession` belongs to one conversation.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hegui.adapters.llm import ChatClient, HttpChatClient
from hegui.catalog import Catalog, EngineParts, LibraryCache, build_catalog
from hegui.engine.kinds import LlmRule
from hegui.engine.library import ModelOpinion
from hegui.engine.model import Conversation, Finding, Obligation, Utterance
from hegui.engine.pii import LeakPolicy, MaskPolicy, PiiDetector, TurnScan, mask_findings
from hegui.engine.sentiment.conversation import (
    CATEGORIES as SENTIMENT_CATEGORIES,
)
from hegui.engine.sentiment.conversation import Label, SentimentPolicy, SentimentWatcher
from hegui.engine.session import Session
from hegui.engine.textmodel import INTENT_ROLES, IntentScorer
from hegui.engine.textmodel.verdicts import AGENT_ROLES as VERDICT_AGENT_ROLES
from hegui.engine.textmodel.verdicts import VerdictLabel, apply_verdicts
from hegui.engine.vocabulary import Industry
from hegui.errors import Invalid
from hegui.lexicon import default_lexicon
from hegui.llmcheck import Judgement, LlmChecker, LlmOptions
from hegui.models import intent_scorer
from hegui.packs.source import RuleFiles, RuleSource
from hegui.packs.validate import require_valid_sources


class ClassifierConfig(BaseModel):
    """The intent model's second opinion: for these categories, an utterance the model
    scores at least `min_score` is a finding (rule id `model.<category>`, detector
    "model", with its score) even where no rule fired."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    categories: tuple[str, ...] = Field(min_length=1)
    min_score: float = Field(default=0.9, gt=0, lt=1)

    @field_validator("categories")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        usable = [i for i in INTENT_ROLES if not i.startswith("said.")]
        for category in value:
            if category not in usable:
                raise ValueError(
                    f"模型不能判定该类别 the model cannot judge {category!r}; choose from "
                    + ", ".join(usable)
                )
        return value


class SentimentConfig(BaseModel):
    """The sentiment model's findings beside the rules (off by default): rule ids
    `model.sentiment.<name>`, detector "model", with the model's score. A customer turn
    with P(negative) ≥ `customer_negative`; an agent turn scoring ≥ `rude` / `impatient`;
    a customer whose last third of turns is `rise` more negative than the first third and
    at least `end_floor` (service.complaint_escalation). A rule's finding of the same
    category on the same utterance wins."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    customer_negative: float = Field(default=0.9, gt=0, lt=1)
    rude: float = Field(default=0.85, gt=0, lt=1)
    impatient: float = Field(default=0.85, gt=0, lt=1)
    rise: float = Field(default=0.25, gt=0, lt=1)
    end_floor: float = Field(default=0.6, gt=0, lt=1)

    def policy(self) -> SentimentPolicy:
        return SentimentPolicy(**self.model_dump())


class EngineConfig(BaseModel):
    """What an Inspector runs: packs (by industry, or named), users' rule folders, the
    matcher backend, what counts as a PII leak and how evidence is masked; which model
    scores `semantic:` conditions (None: HEGUI_SEMANTIC_BACKEND, default the shipped
    n-gram model) and the model's optional second opinion (`classifier`, off by default).
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, extra="forbid")

    industry: Industry | None = None
    packs: tuple[str, ...] | None = None
    rules_dirs: tuple[Path, ...] = ()
    backend: Literal["auto", "hyperscan", "portable"] = "auto"
    leak_policy: Any = None  # LeakPolicy | None
    mask: Any = None  # MaskPolicy | None
    llm: LlmOptions | None = None  # the endpoint llm rules ask; None: they are not run
    semantic_backend: Literal["ngram", "embedding"] | None = None
    embedding_model: Path | None = None  # a local sentence-transformers folder
    classifier: ClassifierConfig | None = None
    # The sentiment model's findings: None → HEGUI_SENTIMENT (default off); False → off.
    sentiment: SentimentConfig | Literal[False] | None = None
    # The conversation verdict model on the missing-duty categories it was trained for (the
    # shipped one: missing risk warning, fee statement): None → on with the industry's packs
    # (off when `packs` names a selection) unless HEGUI_VERDICTS=0; True / False: on / off.
    verdicts: bool | None = None

    @field_validator("leak_policy")
    @classmethod
    def _leak_policy(cls, value: Any) -> LeakPolicy | None:
        if value is not None and not isinstance(value, LeakPolicy):
            raise ValueError("expected a LeakPolicy / 应为泄露判定策略")
        return value

    @field_validator("mask")
    @classmethod
    def _mask(cls, value: Any) -> MaskPolicy | None:
        if value is not None and not isinstance(value, MaskPolicy):
            raise ValueError("expected a MaskPolicy / 应为脱敏策略")
        return value


@dataclass(frozen=True, slots=True)
class Examination:
    """Everything one inspection says about a conversation: the findings asserted (what
    `Inspector.inspect` returns), llm findings below their rule's threshold that a person
    must review (never asserted), the confidence of each asserted llm finding by rule id,
    and notices about llm rules that could not be asked (budget, endpoint)."""

    findings: list[Finding]
    review: list[Judgement] = field(default_factory=list)
    confidence: Mapping[str, float] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    llm: list[Judgement] = field(default_factory=list)  # the asserted llm findings


NO_ENDPOINT = (
    "大模型规则未执行：未配置大模型地址 llm rules not run: no LLM endpoint configured "
    "(--llm-url/--llm-model, HEGUI_LLM_BASE_URL/HEGUI_LLM_MODEL)"
)


class Inspector:
    """Inspect conversations against compiled rule packs.

    >>> inspector = Inspector.build(industry="securities")
    >>> findings = inspector.inspect(conversation)          # batch
    >>> session = inspector.session(conversation)           # live: feed() / close()
    """

    def __init__(
        self,
        catalog: Catalog,
        *,
        detector: PiiDetector | None = None,
        mask: MaskPolicy | None = None,
        llm: LlmChecker | None = None,
        sentiment: SentimentFindings | None = None,
        verdicts: VerdictFindings | None = None,
    ) -> None:
        """`mask`: mask personal information in findings' evidence with `detector`;
        `llm`: what asks the library's llm rules (without it they are not run);
        `sentiment`: add the sentiment model's findings; `verdicts`: decide the
        missing-duty categories per conversation with the verdict model."""
        self.catalog = catalog
        self.sentiment = sentiment
        self.verdicts = verdicts
        self.library = catalog.library
        self.mask = mask
        self.detector = detector or self.library.pii_detector or default_detector()
        self.llm = llm
        self._told_no_endpoint = False

    @classmethod
    def build(cls, **config: Any) -> Inspector:
        """`Inspector.build(industry=..., packs=..., rules_dirs=..., backend=...,
        leak_policy=..., mask=...)`: see `EngineConfig`."""
        return build_inspector(EngineConfig(**config))

    def inspect(self, conversation: Conversation) -> list[Finding]:
        """The findings asserted (llm findings that need review are in `examine`)."""
        return self.examine(conversation).findings

    def examine(self, conversation: Conversation) -> Examination:
        """`inspect`, and what llm rules found below their threshold, and notices."""
        findings = self._engine(conversation)
        rules = self.llm_rules(conversation)
        if not rules:
            return Examination(findings)
        if self.llm is None:
            notices = [] if self._told_no_endpoint else [NO_ENDPOINT]
            self._told_no_endpoint = True
            return Examination(findings, notices=notices)
        found = self.llm.check(conversation, rules, self.detector)
        # A rule's exact span beats the model's word: an llm finding of a category the
        # engine already found in the same utterance is not reported twice.
        seen = {(f.category, f.utterance_index) for f in findings}
        fresh = [
            [j for j in found_ if (j.finding.category, j.finding.utterance_index) not in seen]
            for found_ in (found.asserted, found.review)
        ]
        asserted = self._masked_llm(conversation, fresh[0])
        review = self._masked_llm(conversation, fresh[1])
        merged = sorted([*findings, *(j.finding for j in asserted)], key=Finding.sort_key)
        confidence = {j.finding.rule_id: j.confidence for j in asserted}
        return Examination(merged, review, confidence, found.notices, asserted)

    def llm_rules(self, conversation: Conversation) -> list[LlmRule]:
        """The llm rules that apply to this conversation (its industry's packs, scope)."""
        if not self.library.external:
            return []
        packs = self.catalog.routes_for(conversation).packs
        return [
            rule
            for rule, group in self.library.external
            if isinstance(rule, LlmRule)
            and (packs is None or group in packs)
            and rule.scope.active(conversation)
        ]

    def _masked_llm(self, conversation: Conversation, found: list[Judgement]) -> list[Judgement]:
        if self.mask is None or not found:
            return found
        turns = [(u.role, u.text) for u in conversation.utterances]
        masked = mask_findings(turns, [j.finding for j in found], self.detector, self.mask)
        return [replace(j, finding=f) for j, f in zip(found, masked, strict=True)]

    def rule_run(self, conversation: Conversation) -> RuleRun:
        """The rules alone on a conversation, as a live session would see them: the findings
        made while it goes on and those made at its close (no model, no masking)."""
        session = Session(self.library, conversation, self.catalog.routes_for(conversation))
        during: list[Finding] = []
        for prepared in session.prepare_all(conversation.utterances):
            during.extend(session.feed_prepared(prepared))
        return RuleRun(session, during, session.close())

    def _engine(self, conversation: Conversation) -> list[Finding]:
        run = self.rule_run(conversation)
        session, out, final = run.session, list(run.during), run.at_close
        if self.verdicts is not None:
            final = self.verdicts.apply(session, out, final)
        out.extend(final)
        if self.sentiment is not None:
            watcher = self.sentiment.watcher(conversation.id)
            found = [f for u in conversation.utterances for f in watcher.feed(u)]
            out.extend(beside_rules(out, [*found, *watcher.close()]))
        out.sort(key=Finding.sort_key)
        if self.mask is None or not out:
            return out
        turns = [(u.role, u.text) for u in conversation.utterances]
        scans = [prepared.scan for prepared in session.history]  # what the rules scanned
        return mask_findings(turns, out, self.detector, self.mask, scans=scans)

    def session(self, conversation: Conversation) -> LiveSession:
        """A live session: `feed(utterance) -> new findings`, `close() -> final findings`."""
        routes = self.catalog.routes_for(conversation)
        return LiveSession(Session(self.library, conversation, routes), self)

    def masked(
        self,
        turns: Sequence[tuple[str, str]],
        findings: list[Finding],
        scans: TurnScan | None = None,
    ) -> list[Finding]:
        """Findings with their evidence masked (unchanged when the inspector does not mask);
        `scans`: the PII already found in these turns."""
        if self.mask is None or not findings:
            return findings
        return mask_findings(turns, findings, self.detector, self.mask, scans=scans)


class LiveSession:
    """The engine's session, with evidence masked when the inspector masks."""

    def __init__(self, session: Session, inspector: Inspector) -> None:
        self.engine = session
        self._inspector = inspector
        self._turns: list[tuple[str, str]] = []
        self._scans = TurnScan(inspector.detector) if inspector.mask is not None else None
        sentiment = inspector.sentiment
        self._watcher = sentiment.watcher(session.conversation.id) if sentiment else None
        self._ruled: list[Finding] = []  # the rules' findings the model's must not repeat
        self._fed: list[Finding] = []  # the rules' findings so far (the verdicts' input)
        self._closed = False

    def feed(self, utterance: Utterance) -> list[Finding]:
        self._turns.append((utterance.role, utterance.text))
        found = self.engine.feed(utterance)
        if self._inspector.verdicts is not None:
            self._fed.extend(found)
        if self._watcher is not None:
            self._ruled.extend(f for f in found if f.category in SENTIMENT_CATEGORIES)
            found.extend(beside_rules(self._ruled, self._watcher.feed(utterance)))
        if self._scans is not None:  # the PII the rules already scanned, kept for masking
            self._scans.append(utterance.role, utterance.text, self.engine.history[-1].scan)
        return self._inspector.masked(self._turns, found, self._scans)

    def pending(self) -> list[Obligation]:
        """Obligations opened and not yet met (e.g. a risk disclosure owed since a product
        was recommended): what a whisper to the agent can remind of while there is time."""
        return self.engine.pending()

    def close(self) -> list[Finding]:
        """The findings made at the end of the call; a second close makes none."""
        if self._closed:
            return []
        self._closed = True
        found = self.engine.close()
        if self._inspector.verdicts is not None:
            found = self._inspector.verdicts.apply(self.engine, self._fed, found)
        if self._watcher is not None:
            self._ruled.extend(f for f in found if f.category in SENTIMENT_CATEGORIES)
            found.extend(beside_rules(self._ruled, self._watcher.close()))
        return self._inspector.masked(self._turns, found, self._scans)


class SentimentFindings:
    """The shipped sentiment model and the thresholds that make its findings."""

    def __init__(self, config: SentimentConfig) -> None:
        from hegui.models.sentiment import sentiment_model
        from hegui.packs import taxonomy

        self.model = sentiment_model()
        self.policy = config.policy()
        tax = taxonomy()
        self.labels = {
            c: Label(tax.default_severity(c), f"情绪模型判定：{tax.categories[c].zh}")
            for c in SENTIMENT_CATEGORIES
        }

    def watcher(self, conversation_id: str) -> SentimentWatcher:
        return SentimentWatcher(conversation_id, self.model.read, self.labels, self.policy)


# What each verdict category owes, in the English half of its message (for any category a
# model may be trained for; the shipped one holds the first two).
VERDICT_DUTY_EN = {
    "compliance.missing_risk_disclosure": "a risk warning owed but",
    "compliance.fee_disclosure": "a fee statement owed but",
    "compliance.suitability": "a suitability check owed but",
}


class VerdictFindings:
    """The shipped verdict model and how its findings read (hegui.engine.textmodel.verdicts)."""

    def __init__(self) -> None:
        from hegui.models import verdict_model
        from hegui.packs import taxonomy

        self.model = verdict_model()
        tax = taxonomy()
        self.labels = {
            c: VerdictLabel(
                tax.default_severity(c),
                f"会话判定模型：{tax.categories[c].zh}（整通对话未听到应有的说明）"
                f" / Verdict model: {VERDICT_DUTY_EN.get(c, c)} heard nowhere in the conversation",
            )
            for c in self.model.categories
            if c in tax.categories
        }

    def apply(
        self, session: Session, earlier: list[Finding], final: list[Finding]
    ) -> list[Finding]:
        return apply_verdicts(
            self.model, session.conversation, agent_compacts(session), earlier, final, self.labels
        )


def agent_compacts(session: Session) -> list[str]:
    """The normalised texts of a session's agent and bot utterances: the verdicts' reading."""
    return [u.norm.text for u in session.history if u.utterance.role in VERDICT_AGENT_ROLES]


@dataclass(frozen=True, slots=True)
class RuleRun:
    """What the rules found on one conversation: while it went on, and at its close."""

    session: Session
    during: list[Finding]
    at_close: list[Finding]


def verdicts_on(config: EngineConfig) -> bool:
    """The config's choice, else on with the industry's packs unless HEGUI_VERDICTS=0."""
    if config.verdicts is not None:
        return config.verdicts
    if config.packs is not None:
        return False
    from hegui.settings import Settings

    return Settings.from_env().verdicts


def beside_rules(rules: Sequence[Finding], model: list[Finding]) -> list[Finding]:
    """The model's findings but those a rule already made (same category and utterance)."""
    if not model:
        return model
    taken = {(f.category, f.utterance_index) for f in rules}
    return [f for f in model if (f.category, f.utterance_index) not in taken]


def sentiment_config(config: EngineConfig) -> SentimentConfig | None:
    """The config's choice, else the environment's (HEGUI_SENTIMENT=1: default thresholds)."""
    if config.sentiment is False:
        return None
    if config.sentiment is not None:
        return config.sentiment
    from hegui.settings import Settings

    return SentimentConfig() if Settings.from_env().sentiment else None


_detector: PiiDetector | None = None
_detector_lock = threading.Lock()


def default_detector() -> PiiDetector:
    """One PII detector for the process (it holds no per-call state)."""
    global _detector
    with _detector_lock:
        if _detector is None:
            _detector = PiiDetector()
        return _detector


def semantic_scorer(config: EngineConfig) -> IntentScorer:
    """The model of `semantic:` conditions: the config's choice, else the environment's
    (HEGUI_SEMANTIC_BACKEND=ngram|embedding, HEGUI_EMBEDDING_MODEL=folder)."""
    backend, path = config.semantic_backend, config.embedding_model
    if backend is None:
        from hegui.settings import Settings

        settings = Settings.from_env()
        backend, path = settings.semantic_backend, path or settings.embedding_model
    try:
        return intent_scorer(backend, path)
    except ValueError as exc:
        raise Invalid("HEGUI_SEMANTIC_BACKEND", str(exc)) from exc


def build_inspector(
    config: EngineConfig,
    *,
    sources: Sequence[RuleSource] = (),
    cache: LibraryCache | None = None,
    detector: PiiDetector | None = None,
    llm_client: ChatClient | None = None,
) -> Inspector:
    """The composition root of the engine: packs, PII detector, lexicon and policies;
    with `config.llm`, the checker that asks llm rules (over `llm_client`, default an
    HTTP client of `config.llm`'s endpoint)."""
    detector = detector or default_detector()
    opinion = None
    if config.classifier is not None:
        opinion = ModelOpinion(config.classifier.categories, config.classifier.min_score)
    parts = EngineParts(
        backend=config.backend,
        detector=detector,
        leak_policy=config.leak_policy,
        lexicon=default_lexicon(),
        semantic=semantic_scorer(config),
        opinion=opinion,
    )
    if config.rules_dirs:  # every problem of the users' files, with file:line, up front
        require_valid_sources(config.rules_dirs, packs=config.packs, industry=config.industry)
    users: list[RuleSource] = [RuleFiles(config.rules_dirs)] if config.rules_dirs else []
    catalog = build_catalog(
        industry=config.industry,
        packs=config.packs,
        sources=[*users, *sources],
        parts=parts,
        cache=cache,
    )
    checker = None
    if config.llm is not None:
        client = llm_client or HttpChatClient(
            config.llm.base_url, api_key=config.llm.key, timeout=config.llm.timeout
        )
        checker = LlmChecker(client, config.llm)
    chosen = sentiment_config(config)
    sentiment = SentimentFindings(chosen) if chosen is not None else None
    verdicts = VerdictFindings() if verdicts_on(config) else None
    return Inspector(
        catalog,
        detector=detector,
        mask=config.mask,
        llm=checker,
        sentiment=sentiment,
        verdicts=verdicts,
    )
