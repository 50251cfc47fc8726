"""Storing an inspection's findings and reading them per conversation.

Other domains act on findings through hooks, called in the transaction that stores or
supersedes them (so a case opens exactly once, with its finding, or not at all)::

    platform.findings.on_stored.append(cases.open_for)        # (session, [StoredFinding])
    platform.findings.on_superseded.append(cases.close_for)   # (session, [StoredFinding])

`on_stored` gets new findings (and earlier ones a re-inspection made again after they were
superseded: their `case_id` tells whether a case exists); hooks must not commit.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from hegui.engine.model import Finding
from hegui.errors import NotFound
from hegui.services.clock import Clock
from hegui.services.conversations.models import ConversationRevision
from hegui.services.conversations.repository import ConversationRepository
from hegui.services.findings.models import AGAIN, FIRST, Inspection, StoredFinding
from hegui.services.findings.repository import FindingRepository
from hegui.services.findings.schemas import FindingRead

FindingsHook = Callable[[Session, Sequence[StoredFinding]], None]


def dedup_key(finding: Finding) -> str:
    span = "-" if finding.span is None else f"{finding.span[0]}-{finding.span[1]}"
    index = "-" if finding.utterance_index is None else str(finding.utterance_index)
    return f"{finding.rule_id}@{finding.rule_version}#{index}:{span}"


@dataclass(frozen=True, slots=True)
class InspectionRun:
    """What one run of the rules over a revision produced, and with what."""

    findings: Sequence[Finding]
    rules: dict[str, Any]
    text_source: str  # raw | masked
    job_id: int | None = None
    scope: Collection[str] | None = None  # re-inspection: the rule ids it files anew


class FindingService:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.on_stored: list[FindingsHook] = []
        self.on_superseded: list[FindingsHook] = []

    def record_first(
        self, session: Session, revision: ConversationRevision, run: InspectionRun
    ) -> Inspection:
        """The revision's first inspection: every finding is new."""
        inspection = self._inspection(revision, run, FIRST)
        FindingRepository(session).add(inspection)
        added = self._add(session, revision, inspection, _unique(run.findings))
        inspection.added = len(added)
        self._notify(self.on_stored, session, added)
        return inspection

    def record_again(
        self, session: Session, revision: ConversationRevision, run: InspectionRun
    ) -> Inspection:
        """A re-inspection: findings of the rules in `run.scope` filed anew; those made
        again stay untouched, new ones are added, the rest are marked superseded."""
        scope = set(run.scope) if run.scope is not None else None
        wanted = {
            dedup_key(f): f for f in _unique(run.findings) if scope is None or f.rule_id in scope
        }
        repo = FindingRepository(session)
        existing = {row.dedup_key: row for row in repo.of_revision(revision.id, rule_ids=scope)}
        inspection = self._inspection(revision, run, AGAIN)
        repo.add(inspection)
        revived = [row for key, row in existing.items() if key in wanted and row.superseded_at]
        for row in revived:
            row.superseded_at, row.superseded_by = None, None
        fresh = [f for key, f in wanted.items() if key not in existing]
        added = self._add(session, revision, inspection, fresh)
        gone = [row for key, row in existing.items() if key not in wanted and not row.superseded_at]
        now = self.clock.now()
        for row in gone:
            row.superseded_at, row.superseded_by = now, inspection.id
        inspection.added, inspection.superseded = len(added), len(gone)
        session.flush()
        self._notify(self.on_superseded, session, gone)
        self._notify(self.on_stored, session, added + revived)
        return inspection

    def for_conversation(
        self,
        session: Session,
        conversation_id: str,
        *,
        revision: int | None = None,
        include_superseded: bool = False,
    ) -> list[FindingRead]:
        """Findings of the newest revision (or the one asked for), in utterance order."""
        repo = ConversationRepository(session)
        conversation = repo.get(conversation_id)
        found = (
            repo.revision(conversation_id, revision or conversation.revision)
            if conversation
            else None
        )
        if found is None:
            raise NotFound(f"会话不存在 no conversation {conversation_id!r}")
        rows = FindingRepository(session).of_revision(found.id, current=not include_superseded)
        return [FindingRead.of(row, found.number) for row in rows]

    def added_by_job(self, session: Session, job_id: int) -> int:
        """How many findings the inspections of one job added."""
        return FindingRepository(session).added_by_job(job_id)

    def _inspection(
        self, revision: ConversationRevision, run: InspectionRun, kind: str
    ) -> Inspection:
        return Inspection(
            revision_id=revision.id,
            first_of=revision.id if kind == FIRST else None,
            job_id=run.job_id,
            kind=kind,
            rules=run.rules,
            text_source=run.text_source,
            added=0,
            superseded=0,
            at=self.clock.now(),
        )

    def _add(
        self,
        session: Session,
        revision: ConversationRevision,
        inspection: Inspection,
        findings: Sequence[Finding],
    ) -> list[StoredFinding]:
        now = self.clock.now()
        rows = [_row(f, revision, inspection.id, now) for f in findings]
        return FindingRepository(session).insert(rows)

    @staticmethod
    def _notify(
        hooks: Sequence[FindingsHook], session: Session, rows: Sequence[StoredFinding]
    ) -> None:
        if rows:
            for hook in hooks:
                hook(session, rows)


def _unique(findings: Sequence[Finding]) -> list[Finding]:
    """One finding per key: the engine's first wins."""
    seen: dict[str, Finding] = {}
    for finding in findings:
        seen.setdefault(dedup_key(finding), finding)
    return list(seen.values())


def _row(
    finding: Finding, revision: ConversationRevision, inspection_id: int, now: Any
) -> dict[str, Any]:
    span = finding.span
    return dict(
        conversation_id=revision.conversation_id,
        revision_id=revision.id,
        inspection_id=inspection_id,
        rule_id=finding.rule_id,
        rule_version=finding.rule_version,
        category=finding.category,
        severity=finding.severity,
        message=finding.message,
        utterance_index=finding.utterance_index,
        role=finding.role,
        span_start=span[0] if span is not None else None,
        span_end=span[1] if span is not None else None,
        evidence=finding.evidence,
        matched=finding.matched,
        start_seconds=finding.start,
        end_seconds=finding.end,
        related=[{"utterance_index": i, "span": [s, e]} for i, s, e in finding.related],
        dedup_key=dedup_key(finding),
        created_at=now,
        superseded_at=None,
        superseded_by=None,
        case_id=None,
    )
