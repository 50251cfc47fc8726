"""What the cases service takes (actions, filters) and hands back (cases as the API shows them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hegui.services.users.schemas import has_control_characters

MAX_COMMENT = 4000


def _printable(value: str | None) -> str | None:
    if value is not None and "\x00" in value:
        raise ValueError("不能包含 NUL 字符 must not contain NUL")
    return value


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ReviewIn(_Body):
    verdict: Literal["confirmed", "dismissed"]
    comment: str = Field("", max_length=MAX_COMMENT)

    _clean = field_validator("comment")(_printable)


class AppealIn(_Body):
    reason: str = Field(min_length=1, max_length=MAX_COMMENT)

    _clean = field_validator("reason")(_printable)


class RulingIn(_Body):
    verdict: Literal["upheld", "overturned"]
    comment: str = Field("", max_length=MAX_COMMENT)

    _clean = field_validator("comment")(_printable)


class CommentIn(_Body):
    text: str = Field(min_length=1, max_length=MAX_COMMENT)

    _clean = field_validator("text")(_printable)


class AssignIn(_Body):
    assignee: str | None = Field(
        max_length=64, description="a reviewer's or compliance manager's username; null unassigns"
    )

    @field_validator("assignee")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is not None and (not value or has_control_characters(value)):
            raise ValueError("用户名无效 invalid username")
        return value


class Assignee(BaseModel):
    """Someone a case may be assigned to: an active reviewer or compliance manager."""

    id: int
    username: str = Field(description="the name shown, and the value `assignee` takes")
    role: str


class LabelIn(_Body):
    verdict: Literal["clean", "violation"]
    category: str | None = Field(
        None, max_length=64, description="the taxonomy category the rules missed (violation)"
    )
    comment: str = Field("", max_length=MAX_COMMENT)

    _clean = field_validator("comment", "category")(_printable)


class CaseFilter(BaseModel):
    """`GET /cases` query: every field optional; `since`/`until` bound `occurred_at`."""

    kind: Literal["finding", "calibration", "all"] = "finding"
    status: str | None = None
    category: str | None = None
    severity: str | None = None
    agent_id: str | None = None
    team: str | None = None
    channel: str | None = None
    industry: str | None = None
    rule_id: str | None = None
    assignee: str | None = None
    q: str | None = None  # text in the conversation/rule/agent id, message or evidence
    since: datetime | None = None
    until: datetime | None = None
    overdue_at: datetime | None = None  # set by the service for ?overdue=true
    # The conversation's score (of the case's revision) in [score_min, score_below).
    score_min: float | None = None
    score_below: float | None = None


class EventRead(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    comment: str | None
    details: dict[str, Any]


class CommentRead(BaseModel):
    id: int
    at: datetime
    author: str
    text: str


class LabelRead(BaseModel):
    reviewer: str
    verdict: str
    category: str | None
    comment: str | None
    at: datetime


class Line(BaseModel):
    """One utterance of the transcript around the evidence, masked as stored."""

    index: int
    role: str
    text: str
    start: float | None = None
    end: float | None = None
    evidence: bool = False


class CaseRead(BaseModel):
    id: int
    kind: str
    conversation_id: str
    revision: int
    finding: dict[str, Any] | None = Field(description="the finding (null for calibration)")
    rule_id: str | None
    category: str | None
    severity: str
    status: str
    agent_id: str | None
    team: str | None
    channel: str
    occurred_at: datetime
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None
    appeal_until: datetime | None
    assignee: str | None
    escalation_level: int
    escalated_to: str
    superseded_at: datetime | None
    history: list[EventRead]
    comments: list[CommentRead]
    labels: list[LabelRead] = Field(default_factory=list)
    transcript: list[Line] | None = Field(
        default=None, description="utterances around the evidence (GET /cases/{id} only)"
    )
    audio: bool | None = Field(
        default=None,
        description="a recording of the case's revision is kept: "
        "GET /conversations/{id}/audio?revision= (GET /cases/{id} only)",
    )
    raw_kept: bool | None = Field(
        default=None,
        description="the raw text of the case's revision is kept: "
        "GET /conversations/{id}/raw?revision= (GET /cases/{id} only)",
    )

    def notice_payload(self) -> dict[str, Any]:
        """The case as notifications carry it (without the transcript)."""
        return self.model_dump(mode="json", exclude={"transcript", "labels", "audio", "raw_kept"})
