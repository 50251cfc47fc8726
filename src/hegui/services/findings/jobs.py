"""The inspection job: run the rules over leased revisions and file their findings.

`compute` reads the revisions (raw text while it is sealed for inspection or kept, else
the masked text) and inspects them outside any transaction; `store` locks the revision,
checks it still needs this inspection, files the findings and marks it inspected, all in
the transaction that marks the job item done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from hegui.db import Database
from hegui.engine.metrics import ConversationMetrics, measure
from hegui.engine.model import Conversation, Finding
from hegui.errors import HeguiError
from hegui.services.clock import Clock
from hegui.services.conversations.models import INSPECTED, PENDING, ConversationRevision
from hegui.services.conversations.repository import ConversationRepository
from hegui.services.conversations.service import ConversationService
from hegui.services.findings.service import FindingService, InspectionRun
from hegui.services.jobs.models import INSPECT
from hegui.services.jobs.repository import Claim
from hegui.services.jobs.worker import Outcome
from hegui.services.rulesets.source import InspectorProvider, Rules

log = logging.getLogger(__name__)
# Called in the storing transaction after the findings are filed (metrics, scores); the
# metrics are measured on the first inspection only (None on a re-inspection).
InspectedHook = Callable[[Session, ConversationRevision, ConversationMetrics | None], None]


@dataclass(frozen=True, slots=True)
class Inspected:
    revision_id: int
    first: bool
    run: InspectionRun | None  # None: nothing to do (already inspected, or not yet)
    metrics: ConversationMetrics | None = None


class InspectionStep:
    def __init__(
        self,
        db: Database,
        conversations: ConversationService,
        inspectors: InspectorProvider,
        findings: FindingService,
        clock: Clock,
    ) -> None:
        self.db = db
        self.conversations = conversations
        self.inspectors = inspectors
        self.findings = findings
        self.clock = clock
        self.on_inspected: list[InspectedHook] = []

    def compute(self, claims: Sequence[Claim]) -> list[Outcome]:
        with self.db.reader() as session:
            rules = self.inspectors.current(session)
            revisions = ConversationRepository(session).revisions(c.revision_id for c in claims)
            loaded = [
                (claim, self._load(session, claim, revisions.get(claim.revision_id)))
                for claim in claims
            ]
        return [self._inspect(claim, rules, found) for claim, found in loaded]

    def _load(
        self, session: Session, claim: Claim, revision: ConversationRevision | None
    ) -> tuple[Conversation, str] | str | None:
        """The conversation and its text source; None when there is nothing to do; a str
        saying why it cannot be read."""
        if revision is None:
            return "会话版本不存在 the revision no longer exists"
        wanted = PENDING if claim.kind == INSPECT else INSPECTED
        if revision.status != wanted:
            return None
        try:
            return self.conversations.for_inspection(session, revision)
        except HeguiError as exc:
            return exc.message
        except ValueError as exc:  # sealed content that no longer parses
            return f"无法读取 cannot read the stored conversation: {exc}"

    def _inspect(
        self, claim: Claim, rules: Rules, found: tuple[Conversation, str] | str | None
    ) -> Outcome:
        first = claim.kind == INSPECT
        if isinstance(found, str):
            return Outcome(claim, error=found, order=claim.revision_id)
        if found is None:
            return Outcome(
                claim, Inspected(claim.revision_id, first, None), order=claim.revision_id
            )
        conversation, source = found
        try:
            findings: list[Finding] = rules.inspector.inspect(conversation)
            metrics = measure(conversation) if first else None
        except Exception as exc:  # one conversation breaking the engine fails alone
            log.exception("inspecting revision %s failed", claim.revision_id)
            return Outcome(
                claim, error=f"检查出错 inspection failed: {exc!r}", order=claim.revision_id
            )
        scope = None if first else claim.params.get("rule_ids")
        run = InspectionRun(findings, rules.versions, source, claim.job_id, scope)
        inspected = Inspected(claim.revision_id, first, run, metrics)
        return Outcome(claim, inspected, order=claim.revision_id)

    def store(self, session: Session, outcome: Outcome) -> None:
        inspected = outcome.result
        if not isinstance(inspected, Inspected) or inspected.run is None:
            return
        revision = ConversationRepository(session).revision_by_id(inspected.revision_id, lock=True)
        if revision is None:
            return
        if inspected.first:
            if revision.status != PENDING:
                return  # another job's item inspected it first
            self.findings.record_first(session, revision, inspected.run)
            revision.status, revision.inspected_at = INSPECTED, self.clock.now()
            if not revision.raw_kept:
                revision.raw_sealed = None  # the transit copy: its only use is over
        elif revision.status == INSPECTED:
            self.findings.record_again(session, revision, inspected.run)
        else:
            return
        session.flush()
        for hook in self.on_inspected:
            hook(session, revision, inspected.metrics)
