"""Service-quality metrics of one conversation: talk time, silence, interruptions, speech
rate, response times, hold and dead air. Pure computation over a `Conversation`.

A conversation is read on one clock, as the rules read it: `start`/`end` seconds when its
first timed utterance has them, else `at` timestamps. What needs a clock the conversation
lacks is None (talk time, silence, interruptions, rates and hold need `start`/`end`;
response times work on either). Speech is what `agent`, `customer` and `bot` say;
`system` lines only mark hold (text with 保持, 等待音乐 or "hold", e.g. 通话保持中).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from hegui.engine.model import Conversation, Utterance

__all__ = ["DEAD_AIR_SECONDS", "HOLD_MARKERS", "ConversationMetrics", "measure"]

SPEAKERS = ("agent", "customer", "bot")
HOLD_MARKERS = ("保持", "等待音乐", "hold")
# A quiet stretch this long or longer (outside hold) is dead air.
DEAD_AIR_SECONDS = 3.0

Interval = tuple[float, float]


@dataclass(frozen=True, slots=True)
class ConversationMetrics:
    """Seconds, shares (0–1), counts and chars/s; None where the timestamps are absent."""

    utterances: int
    duration: float | None = None
    talk_agent: float | None = None
    talk_customer: float | None = None
    talk_ratio_agent: float | None = None
    talk_ratio_customer: float | None = None
    longest_silence: float | None = None
    interruptions_agent: int | None = None  # the agent starting over the customer
    interruption_seconds_agent: float | None = None
    interruptions_customer: int | None = None  # the customer starting over the agent
    interruption_seconds_customer: float | None = None
    speech_rate_agent: float | None = None
    speech_rate_customer: float | None = None
    first_response: float | None = None
    average_response: float | None = None
    responses: int | None = None
    hold_seconds: float | None = None
    hold_share: float | None = None
    dead_air_seconds: float | None = None
    dead_air_share: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {key: _rounded(value) for key, value in asdict(self).items()}


def _rounded(value: Any) -> Any:
    return round(value, 3) if isinstance(value, float) else value


def measure(
    conversation: Conversation, *, dead_air_seconds: float = DEAD_AIR_SECONDS
) -> ConversationMetrics:
    """Every metric of the conversation (linear in its utterances, after one sort)."""
    utterances = conversation.utterances
    first = next((u for u in utterances if u.start is not None or u.at is not None), None)
    responses = _responses(utterances, offset=first is not None and first.start is not None)
    base: dict[str, Any] = {
        "utterances": len(utterances),
        "first_response": responses[0] if responses else None,
        "average_response": sum(responses) / len(responses) if responses else None,
        "responses": len(responses) if first is not None else None,
    }
    if first is None:
        return ConversationMetrics(**base)
    if first.start is None:
        stamps = [u.at.timestamp() for u in utterances if u.at is not None]
        return ConversationMetrics(**base, duration=max(stamps) - min(stamps))
    return ConversationMetrics(**base, **_timed(conversation, dead_air_seconds))


def _spans(utterances: Iterable[Utterance]) -> list[tuple[Utterance, Interval]]:
    """Utterances with both `start` and `end` (end not before start), by start."""
    timed = [
        (u, (u.start, u.end))
        for u in utterances
        if u.start is not None and u.end is not None and u.end >= u.start
    ]
    return sorted(timed, key=lambda pair: pair[1][0])


def _timed(conversation: Conversation, dead_air: float) -> dict[str, Any]:
    spans = _spans(conversation.utterances)
    if not spans:
        return {}
    speech = [(u, span) for u, span in spans if u.role in SPEAKERS]
    begin = min(span[0] for _, span in spans)
    duration = max(span[1] for _, span in spans) - begin
    talk = {role: sum(b - a for u, (a, b) in speech if u.role == role) for role in SPEAKERS}
    total = sum(talk.values())
    holds = _union(_holds(conversation, spans))
    quiet = _minus(_gaps(_union(span for _, span in speech)), holds)
    lengths = [b - a for a, b in quiet]
    dead = sum((x for x in lengths if x >= dead_air), 0.0)
    held = sum((b - a for a, b in holds), 0.0)
    out: dict[str, Any] = {
        "duration": duration,
        "talk_agent": talk["agent"],
        "talk_customer": talk["customer"],
        "talk_ratio_agent": talk["agent"] / total if total else None,
        "talk_ratio_customer": talk["customer"] / total if total else None,
        "longest_silence": max(lengths, default=0.0),
        "speech_rate_agent": _rate(speech, "agent"),
        "speech_rate_customer": _rate(speech, "customer"),
        "hold_seconds": held,
        "hold_share": held / duration if duration else None,
        "dead_air_seconds": dead,
        "dead_air_share": dead / duration if duration else None,
    }
    for who, over in (("agent", "customer"), ("customer", "agent")):
        count, seconds = _interruptions(speech, who, over)
        out[f"interruptions_{who}"] = count
        out[f"interruption_seconds_{who}"] = seconds
    return out


def _interruptions(
    speech: Sequence[tuple[Utterance, Interval]], who: str, over: str
) -> tuple[int, float]:
    """How often `who` began while `over` was speaking, and for how long both spoke then.
    The latest end of `over` so far stands for everything `over` began earlier."""
    count, seconds, heard_until = 0, 0.0, float("-inf")
    for u, (start, end) in speech:
        if u.role == who and start < heard_until:
            count += 1
            seconds += min(heard_until, end) - start
        elif u.role == over:
            heard_until = max(heard_until, end)
    return count, seconds


def _rate(speech: Sequence[tuple[Utterance, Interval]], role: str) -> float | None:
    """Characters per second spoken (punctuation and spaces not counted)."""
    chars = seconds = 0.0
    for u, (start, end) in speech:
        if u.role == role and end > start:
            chars += _spoken(u.text)
            seconds += end - start
    return chars / seconds if seconds else None


def _spoken(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace() and unicodedata.category(ch)[0] != "P")


def _responses(utterances: Sequence[Utterance], *, offset: bool) -> list[float]:
    """Seconds from the customer's first unanswered line (its end, or its `at`) to the
    agent's next line, one per exchange; lines without the conversation's clock are skipped."""
    waits: list[float] = []
    waiting_since: float | None = None
    for u in utterances:
        began = u.start if offset else (u.at.timestamp() if u.at is not None else None)
        if began is None:
            continue
        if u.role == "customer" and waiting_since is None:
            ended = u.end if offset and u.end is not None else began
            waiting_since = ended
        elif u.role == "agent" and waiting_since is not None:
            waits.append(max(0.0, began - waiting_since))
            waiting_since = None
    return waits


def _holds(
    conversation: Conversation, spans: Sequence[tuple[Utterance, Interval]]
) -> list[Interval]:
    marked = [
        span
        for u, span in spans
        if u.role == "system" and any(m in u.text.lower() for m in HOLD_MARKERS)
    ]
    return marked + _metadata_holds(conversation.metadata.get("holds"))


def _metadata_holds(value: Any) -> list[Interval]:
    """`metadata.holds`: [[start, end], …] or [{"start", "end"}, …]; others ignored."""
    out: list[Interval] = []
    for item in value if isinstance(value, list) else []:
        pair = (item.get("start"), item.get("end")) if isinstance(item, dict) else item
        if isinstance(pair, (list, tuple)) and len(pair) == 2:
            a, b = pair
            numeric = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b))
            if numeric and b > a:
                out.append((float(a), float(b)))
    return out


def _union(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _gaps(merged: Sequence[Interval]) -> list[Interval]:
    return [(merged[i][1], merged[i + 1][0]) for i in range(len(merged) - 1)]


def _minus(gaps: Sequence[Interval], holds: Sequence[Interval]) -> list[Interval]:
    """The parts of each gap outside every hold (both sorted, disjoint): linear merge."""
    out: list[Interval] = []
    j = 0
    for a, b in gaps:
        while j < len(holds) and holds[j][1] <= a:
            j += 1
        k, cursor = j, a
        while k < len(holds) and holds[k][0] < b:
            if holds[k][0] > cursor:
                out.append((cursor, holds[k][0]))
            cursor = max(cursor, holds[k][1])
            k += 1
        if cursor < b:
            out.append((cursor, b))
    return out
