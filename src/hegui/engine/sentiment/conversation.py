"""Per conversation: the customer's trajectory and the agent's tone, and the sentiment
model's findings beside the rules (rule ids `model.sentiment.*`, detector "model").

Pure functions over readings (hegui.engine.sentiment.model.Reading):

- `customer_trajectory`: did the customer end worse than they began? The mean P(negative)
  of the last third of their turns against the first third; worse when it rose by at
  least `policy.rise` and ends at least at `policy.end_floor`.
- `agent_tone`: how rude, impatient and cold the agent sounded (mean and peak per tone,
  and the share of turns read as each).

`SentimentWatcher` feeds a conversation's utterances one at a time (live or batch) and
turns readings into findings of service.customer_negative, service.rude,
service.impatient (per utterance) and service.complaint_escalation (at the end, from
the trajectory).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from hegui.engine.model import Finding, Utterance
from hegui.engine.sentiment.model import TONES, Reading

AGENT_ROLES = frozenset({"agent", "bot"})
CUSTOMER_ROLES = frozenset({"customer"})
RULE_PREFIX = "model.sentiment."


@dataclass(frozen=True, slots=True)
class SentimentPolicy:
    """Thresholds that turn readings into findings."""

    customer_negative: float = 0.9  # P(negative) of a customer turn
    rude: float = 0.85  # tone score of an agent turn
    impatient: float = 0.85
    rise: float = 0.25  # last third's mean P(negative) minus the first third's
    end_floor: float = 0.6  # the last third's mean P(negative) at least
    min_turns: int = 3  # customer turns needed to speak of a trajectory

    def __post_init__(self) -> None:
        for name in ("customer_negative", "rude", "impatient", "end_floor"):
            value = getattr(self, name)
            if not 0 < value < 1:
                raise ValueError(f"{name} must be between 0 and 1: {value}")
        if not 0 < self.rise < 1:
            raise ValueError(f"rise must be between 0 and 1: {self.rise}")
        if self.min_turns < 2:
            raise ValueError(f"min_turns must be at least 2: {self.min_turns}")


@dataclass(frozen=True, slots=True)
class Trajectory:
    turns: int
    first: float  # mean P(negative) of the first third of the customer's turns
    last: float  # ... and of the last third
    worse: bool

    @property
    def rise(self) -> float:
        return self.last - self.first


def thirds(count: int) -> tuple[range, range]:
    """The first and last third of `count` turns (at least one turn each, disjoint)."""
    size = max(1, count // 3)
    return range(0, size), range(count - size, count)


def customer_trajectory(
    negatives: Sequence[float], policy: SentimentPolicy | None = None
) -> Trajectory:
    """The trajectory of a customer's P(negative), turn by turn."""
    policy = policy or SentimentPolicy()
    count = len(negatives)
    if count < policy.min_turns:
        mean = sum(negatives) / count if count else 0.0
        return Trajectory(count, mean, mean, False)
    head, tail = thirds(count)
    first = sum(negatives[i] for i in head) / len(head)
    last = sum(negatives[i] for i in tail) / len(tail)
    worse = last - first >= policy.rise and last >= policy.end_floor
    return Trajectory(count, first, last, worse)


@dataclass(frozen=True, slots=True)
class AgentTone:
    turns: int
    mean: Mapping[str, float]  # per tone, the mean score over the agent's turns
    peak: Mapping[str, float]  # per tone, the highest score of one turn
    share: Mapping[str, float]  # per tone, the share of turns scoring at least 0.5

    def to_dict(self) -> dict[str, object]:
        return {
            "turns": self.turns,
            "mean": {k: round(v, 4) for k, v in self.mean.items()},
            "peak": {k: round(v, 4) for k, v in self.peak.items()},
            "share": {k: round(v, 4) for k, v in self.share.items()},
        }


def agent_tone(readings: Sequence[Reading]) -> AgentTone:
    """The agent's tone over their turns (readings of empty turns included as given)."""
    n = len(readings)
    mean, peak, share = {}, {}, {}
    for tone in TONES:
        scores = [r.tone.get(tone, 0.0) for r in readings]
        mean[tone] = sum(scores) / n if n else 0.0
        peak[tone] = max(scores, default=0.0)
        share[tone] = sum(s >= 0.5 for s in scores) / n if n else 0.0
    return AgentTone(n, mean, peak, share)


@dataclass(frozen=True, slots=True)
class Label:
    """How a model finding of one category reads: its severity and its message."""

    severity: str
    message: str


Reader = Callable[[str], Reading]


class SentimentWatcher:
    """One conversation's sentiment findings, utterance by utterance (not thread-safe:
    one watcher per conversation, as with the engine's Session)."""

    def __init__(
        self,
        conversation_id: str,
        read: Reader,
        labels: Mapping[str, Label],
        policy: SentimentPolicy | None = None,
    ) -> None:
        self.conversation_id = conversation_id
        self.policy = policy or SentimentPolicy()
        self._read = read
        self._labels = labels
        self._customer: list[tuple[int, Utterance, float]] = []
        self._agent: list[Reading] = []
        self._index = 0

    def feed(self, utterance: Utterance) -> list[Finding]:
        index = self._index
        self._index += 1
        role = utterance.role
        if role not in CUSTOMER_ROLES and role not in AGENT_ROLES:
            return []
        reading = self._read(utterance.text)
        out: list[Finding] = []
        if role in CUSTOMER_ROLES:
            self._customer.append((index, utterance, reading.negative))
            if reading.negative >= self.policy.customer_negative:
                out.append(
                    self._finding("service.customer_negative", index, utterance, reading.negative)
                )
        else:
            self._agent.append(reading)
            for tone, floor in (("rude", self.policy.rude), ("impatient", self.policy.impatient)):
                score = reading.tone.get(tone, 0.0)
                if score >= floor:
                    out.append(self._finding(f"service.{tone}", index, utterance, score))
        return out

    def trajectory(self) -> Trajectory:
        return customer_trajectory([neg for _, _, neg in self._customer], self.policy)

    def tone(self) -> AgentTone:
        return agent_tone(self._agent)

    def close(self) -> list[Finding]:
        """The conversation-level finding: the customer ended worse than they began (bound
        to the most negative customer turn of the last third)."""
        trajectory = self.trajectory()
        if not trajectory.worse:
            return []
        _, tail = thirds(len(self._customer))
        index, utterance, _ = max((self._customer[i] for i in tail), key=lambda c: c[2])
        return [self._finding("service.complaint_escalation", index, utterance, trajectory.last)]

    def _finding(self, category: str, index: int, utterance: Utterance, score: float) -> Finding:
        label = self._labels[category]
        text = utterance.text
        start = len(text) - len(text.lstrip())
        span = (start, max(start, len(text.rstrip())))
        return Finding(
            conversation_id=self.conversation_id,
            category=category,
            rule_id=RULE_PREFIX + category.removeprefix("service."),
            rule_version=1,
            severity=label.severity,
            message=label.message,
            utterance_index=index,
            role=utterance.role,
            span=span,
            evidence=text,
            start=utterance.start,
            end=utterance.end,
            matched=text[span[0] : span[1]],
            score=score,
            detector="model",
        )


CATEGORIES = (
    "service.customer_negative",
    "service.rude",
    "service.impatient",
    "service.complaint_escalation",
)
