"""The composition root: from `Settings` to a wired `Platform` (database and services).

The HTTP API, the workers and the CLI each build one at start::

    platform = bootstrap(Settings.from_env())
    with platform.db.transaction() as session:
        platform.users.create(session, {...}, actor="admin")
    platform.close()
"""

from __future__ import annotations

from dataclasses import dataclass

from hegui.adapters.recordings import DirectoryStore
from hegui.db import Database, make_engine, migrate
from hegui.errors import Invalid
from hegui.inspector import default_detector
from hegui.llmcheck import LlmOptions
from hegui.scorecards import ScorecardError, Scorecards
from hegui.services.alerts import AlertService, SeverityPolicy
from hegui.services.audit import AuditService
from hegui.services.cases import Calibration, CaseOpener, CaseService
from hegui.services.clock import Clock, SystemClock
from hegui.services.conversations import ContentHasher, ConversationService, RawSealer
from hegui.services.findings import FindingService
from hegui.services.findings.jobs import InspectionStep
from hegui.services.jobs import JobService, Worker
from hegui.services.live import LiveService, PublishedRules, StoredConversations
from hegui.services.masking import Masker, mask_policy
from hegui.services.metrics.conversations import MetricsRecorder
from hegui.services.recordings import RecordingService
from hegui.services.rulesets import InspectorProvider, RuleSetService
from hegui.services.scorecards import ScorecardService
from hegui.services.training import TrainingService
from hegui.services.users import TokenSigner, UserService
from hegui.services.users.passwords import Passwords
from hegui.settings import Settings, prepare_data_dir, token_secret


@dataclass
class Platform:
    settings: Settings
    clock: Clock
    db: Database
    audit: AuditService
    users: UserService
    conversations: ConversationService
    jobs: JobService
    findings: FindingService
    rulesets: RuleSetService
    worker: Worker
    cases: CaseService
    calibration: Calibration
    alerts: AlertService
    training: TrainingService
    live: LiveService
    scorecards: ScorecardService
    recordings: RecordingService

    def close(self) -> None:
        self.alerts.close()
        self.db.close()


def bootstrap(
    settings: Settings,
    *,
    clock: Clock | None = None,
    passwords: Passwords | None = None,
    run_migrations: bool = True,
) -> Platform:
    """Create the data directory, open the database, migrate it, wire the services.

    `clock` and `passwords` replace the real ones (tests: a `FixedClock`, cheap hashing).
    """
    prepare_data_dir(settings)
    engine = make_engine(settings.sqlalchemy_url, busy_timeout=settings.db_busy_timeout)
    try:
        if run_migrations:
            migrate(engine)
        return wire(settings, Database(engine), clock=clock, passwords=passwords)
    except BaseException:
        engine.dispose()
        raise


def wire(
    settings: Settings,
    db: Database,
    *,
    clock: Clock | None = None,
    passwords: Passwords | None = None,
) -> Platform:
    """The services over a database that is already open and migrated."""
    clock = clock or SystemClock()
    secret = token_secret(settings)
    tokens = TokenSigner(secret, settings.token_lifetime, clock)
    audit = AuditService(clock)
    users = UserService(passwords or Passwords(), tokens, audit, clock)
    masker = Masker(mask_policy(settings), default_detector())
    sealer = RawSealer.from_settings(settings, secret)
    jobs = JobService(clock)
    conversations = ConversationService(
        masker, sealer, ContentHasher.from_secret(secret), jobs, audit, clock
    )
    findings = FindingService(clock)
    rulesets = RuleSetService(audit, jobs, clock)
    inspectors = InspectorProvider(masker.policy, masker.detector, llm=llm_options(settings))
    step = InspectionStep(db, conversations, inspectors, findings, clock)
    worker = Worker(db, clock, step, lease=settings.job_lease)
    live = LiveService(
        PublishedRules(db, inspectors), recorder=StoredConversations(db, conversations)
    )
    policy = SeverityPolicy.from_settings(settings)
    cases = ledger(settings, findings, conversations, audit, clock, policy)
    training = TrainingService(audit, clock, settings.training_threshold, settings.training_period)
    cases.on_confirmed.append(training.on_confirmed)
    scorecards = quality(settings, step, cases, clock)
    return Platform(
        settings,
        clock,
        db,
        audit,
        users,
        conversations,
        jobs,
        findings,
        rulesets,
        worker,
        cases,
        Calibration(cases, audit, clock, policy),
        AlertService(db, audit, clock, policy, secret),
        training,
        live,
        scorecards,
        RecordingService(
            DirectoryStore(settings.audio_path),
            audit,
            clock,
            max_bytes=settings.max_request_bytes,
            keep=settings.keep_audio,
        ),
    )


def ledger(
    settings: Settings,
    findings: FindingService,
    conversations: ConversationService,
    audit: AuditService,
    clock: Clock,
    policy: SeverityPolicy,
) -> CaseService:
    """The cases service, with every stored finding opening its case (findings hooks)
    and each new revision marking its conversation's older cases (conversations hook)."""
    opener = CaseOpener(audit, clock, policy)
    conversations.on_filed.append(opener.on_filed)
    findings.on_stored.append(opener.on_stored)
    findings.on_superseded.append(opener.on_superseded)
    return CaseService(audit, clock, policy, settings.appeal_window)


def quality(
    settings: Settings, step: InspectionStep, cases: CaseService, clock: Clock
) -> ScorecardService:
    """Metrics and scores stored by the inspection step; scores redone on case verdicts."""
    try:
        cards = Scorecards.load(settings.scorecards)
    except ScorecardError as exc:
        raise Invalid("HEGUI_SCORECARDS", str(exc)) from None
    scorecards = ScorecardService(cards, clock)
    step.on_inspected.append(MetricsRecorder(clock).on_inspected)
    step.on_inspected.append(scorecards.on_inspected)
    cases.on_verdict.append(scorecards.on_verdict)
    return scorecards


def llm_options(settings: Settings) -> LlmOptions | None:
    """The endpoint of llm rules from `HEGUI_LLM_*`, or None when none is set."""
    if not settings.llm_base_url or not settings.llm_model:
        return None
    try:
        return LlmOptions(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=settings.llm_api_key,
            timeout=settings.llm_timeout,
            token_budget=settings.llm_token_budget,
            cache_dir=settings.llm_cache_dir,
        )
    except ValueError as exc:
        raise Invalid("HEGUI_LLM_BASE_URL", f"大模型配置无效 bad LLM settings: {exc}") from exc
