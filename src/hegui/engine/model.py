"""The domain objects the engine reads and writes: conversations, utterances, findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hegui.engine.vocabulary import CHANNELS, INDUSTRIES, ROLES, SEVERITIES

__all__ = [
    "CHANNELS",
    "INDUSTRIES",
    "OFFSET_CLOCK",
    "ROLES",
    "SEVERITIES",
    "WALL_CLOCK",
    "Conversation",
    "Finding",
    "Obligation",
    "Utterance",
]

# A conversation's timing rules read one clock, never both: seconds from its start
# (`start`/`end`), or wall-clock timestamps (`at`) — whichever its first timed utterance has.
OFFSET_CLOCK = "start"
WALL_CLOCK = "at"


@dataclass(frozen=True, slots=True)
class Utterance:
    role: str
    text: str
    start: float | None = None
    end: float | None = None
    at: datetime | None = None

    # No time of its own: which of `start` and `at` counts is the session's choice of one
    # clock per conversation (hegui.engine.session), never a mix of the two.


@dataclass(frozen=True, slots=True)
class Conversation:
    id: str
    utterances: tuple[Utterance, ...] = ()
    channel: str = "chat"
    industry: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    started_at: datetime | None = None

    def __post_init__(self) -> None:
        # Built in Python with metadata=None (the JSONL reader never does): none is empty.
        for name in ("metadata", "extra"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, {})


@dataclass(frozen=True, slots=True)
class Finding:
    """One violation, bound to its evidence in the original text."""

    conversation_id: str
    category: str
    rule_id: str
    rule_version: int
    severity: str
    message: str
    utterance_index: int | None = None
    role: str | None = None
    span: tuple[int, int] | None = None
    evidence: str | None = None
    start: float | None = None
    end: float | None = None
    matched: str | None = None
    related: tuple[tuple[int, int, int], ...] = ()
    score: float | None = None  # a model's calibrated score (0..1), when a model decided
    # "model" for a model's finding (the classifier's second opinion, sentiment, the
    # conversation verdicts); None: a rule
    detector: str | None = None

    def sort_key(self) -> tuple[int, int, str]:
        index = -1 if self.utterance_index is None else self.utterance_index
        pos = -1 if self.span is None else self.span[0]
        return (index if index >= 0 else 1 << 30, pos, self.rule_id)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "conversation_id": self.conversation_id,
            "category": self.category,
            "rule_id": self.rule_id,
            "rule_version": self.rule_version,
            "severity": self.severity,
            "utterance_index": self.utterance_index,
            "role": self.role,
            "span": list(self.span) if self.span is not None else None,
            "evidence": self.evidence,
            "message": self.message,
            "start": self.start,
            "end": self.end,
        }
        if self.matched is not None:
            out["matched"] = self.matched
        if self.related:
            out["related"] = [{"utterance_index": i, "span": [s, e]} for i, s, e in self.related]
        if self.score is not None:
            out["score"] = round(self.score, 4)
        if self.detector is not None:
            out["detector"] = self.detector
        return out


@dataclass(frozen=True, slots=True)
class Obligation:
    """Something a rule still requires in a live conversation: e.g. a risk disclosure owed
    since utterance `since`, due within `turns_left` more turns (None: before the end)."""

    rule_id: str
    category: str
    severity: str
    message: str
    since: int
    turns_left: int | None = None
