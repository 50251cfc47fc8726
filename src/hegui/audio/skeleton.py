"""Speech segments as a conversation in the contract's format (shared/spec/conversation.md):
one utterance per segment, in order of start, with role, start and end, so the timing rules
(silence, interruption, response time) apply even before any text is known."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from hegui.audio.analysis import STEREO_ROLES, AudioAnalysis


@dataclass(frozen=True)
class Turn:
    """One utterance to be: a channel's speech (or part of it), with text once recognised."""

    channel: int
    role: str
    start: float
    end: float
    text: str = ""


def turns(analysis: AudioAnalysis, stereo_roles: tuple[str, str] = STEREO_ROLES) -> list[Turn]:
    """Every segment as a turn, ordered by start. A mono file gives its one role, or with
    the `alternate` rule agent and customer in turn (starting with `stereo_roles[0]`)."""
    found: list[Turn] = []
    for index, channel in enumerate(analysis.channels):
        found.extend(Turn(index, channel.role, s.start, s.end) for s in channel.segments)
    found.sort(key=lambda t: (t.start, t.channel))
    if analysis.mono_rule == "alternate":
        found = [
            Turn(t.channel, stereo_roles[i % 2], t.start, t.end, t.text)
            for i, t in enumerate(found)
        ]
    return found


def conversation(
    conversation_id: str,
    utterances: Iterable[Turn],
    *,
    analysis: AudioAnalysis | None = None,
    fields: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A conversation object (channel `phone`); `analysis` goes to `metadata.audio`.
    `fields` adds or overrides top-level fields (industry, agent, started_at, …)."""
    ordered = sorted(utterances, key=lambda t: (t.start, t.channel))
    obj: dict[str, Any] = {
        "id": conversation_id,
        "channel": "phone",
        "metadata": {},
        "utterances": [
            {"role": t.role, "text": t.text, "start": round(t.start, 2), "end": round(t.end, 2)}
            for t in ordered
        ],
    }
    if fields:
        obj.update(fields)
    if analysis is not None:
        obj["metadata"] = {**obj.get("metadata", {}), "audio": analysis.to_dict()}
    return obj


def skeleton(
    analysis: AudioAnalysis, conversation_id: str, *, with_analysis: bool = False
) -> dict[str, Any]:
    """The conversation skeleton of `analysis`: utterances with role, start, end, no text."""
    return conversation(
        conversation_id, turns(analysis), analysis=analysis if with_analysis else None
    )
