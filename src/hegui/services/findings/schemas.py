"""Findings as the API returns them: the contract's finding plus `case_id`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from hegui.services.findings.models import StoredFinding


class FindingRead(BaseModel):
    id: int
    conversation_id: str
    revision: int
    category: str
    rule_id: str
    rule_version: int
    severity: str
    utterance_index: int | None
    role: str | None
    span: tuple[int, int] | None
    evidence: str | None
    message: str
    start: float | None
    end: float | None
    matched: str | None
    related: list[dict[str, Any]]
    case_id: int | None
    created_at: datetime
    superseded_at: datetime | None

    @classmethod
    def of(cls, row: StoredFinding, revision: int) -> FindingRead:
        span = None
        if row.span_start is not None and row.span_end is not None:
            span = (row.span_start, row.span_end)
        return cls(
            id=row.id,
            conversation_id=row.conversation_id,
            revision=revision,
            category=row.category,
            rule_id=row.rule_id,
            rule_version=row.rule_version,
            severity=row.severity,
            utterance_index=row.utterance_index,
            role=row.role,
            span=span,
            evidence=row.evidence,
            message=row.message,
            start=row.start_seconds,
            end=row.end_seconds,
            matched=row.matched,
            related=list(row.related),
            case_id=row.case_id,
            created_at=row.created_at,
            superseded_at=row.superseded_at,
        )

    def contract(self) -> dict[str, Any]:
        """An item of `GET /conversations/{id}/findings`: the finding format + `case_id`."""
        out = self.model_dump(exclude={"created_at", "superseded_at", "related", "matched"})
        out["span"] = list(self.span) if self.span is not None else None
        if self.matched is not None:
            out["matched"] = self.matched
        if self.related:
            out["related"] = self.related
        return out
