"""What the conversations service hands back: submission receipts and stored conversations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class Rejected(BaseModel):
    """A conversation of a submitted list that was refused: its position and why."""

    index: int
    error: str


class SubmitResult(BaseModel):
    """`POST /conversations`: the job inspecting what was accepted, and what was refused."""

    job_id: int
    accepted: list[str]
    rejected: list[Rejected]


class LineProblem(BaseModel):
    line: int
    error: str


class UploadResult(BaseModel):
    """`POST /conversations/upload`: a JSONL body, problems by line number (from 1)."""

    job_id: int
    accepted: int
    errors: list[LineProblem]
    accepted_ids: list[str]


class UtteranceRead(BaseModel):
    role: str
    text: str
    start: float | None = None
    end: float | None = None
    at: str | None = None


class ConversationRead(BaseModel):
    """A stored revision in the contract's format (text masked as stored), plus its status."""

    id: str
    revision: int
    status: str
    channel: str
    industry: str | None
    metadata: dict[str, Any]
    utterances: list[UtteranceRead]
    extra: dict[str, Any]  # unknown fields, as submitted (masked)
    agent_id: str | None
    team: str | None
    started_at: datetime | None
    received_at: datetime
    inspected_at: datetime | None
    raw_kept: bool

    def contract(self) -> dict[str, Any]:
        """The conversation object of `GET /conversations/{id}` (times in UTC)."""
        utterances = [u.model_dump(exclude_none=True) for u in self.utterances]
        started = {"started_at": self.started_at.isoformat()} if self.started_at else {}
        return {
            **self.extra,
            **started,
            "id": self.id,
            "channel": self.channel,
            "industry": self.industry,
            "metadata": self.metadata,
            "utterances": utterances,
            "status": self.status,
            "revision": self.revision,
        }
