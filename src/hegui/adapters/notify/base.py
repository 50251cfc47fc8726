"""What every notifier takes (a Notice) and gives back (a Delivery), and the Protocol itself."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, get_args

Severity = Literal["high", "medium", "low"]
DeliveryStatus = Literal["sent", "failed", "skipped"]

SEVERITIES: tuple[str, ...] = get_args(Severity)
SEVERITY_LABELS: Mapping[str, str] = {"high": "高 high", "medium": "中 medium", "low": "低 low"}

# Event names travel in HTTP headers and e-mail headers, so they stay plain ASCII.
_EVENT = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*")

# Response bodies are kept for the delivery log, not for reading whole.
EXCERPT_CHARS = 500


@dataclass(frozen=True, slots=True)
class Notice:
    """One thing to tell people about.

    `event` is dotted (`case.created`, `case.overdue`) or a bare word (`digest`); the part
    before the first dot names what `payload` is (`case`), and the generic webhook nests
    the payload under that name. `text` is Chinese first, English alongside. The
    idempotency key is what makes a notice "the same notice" across retries and restarts.
    """

    event: str
    severity: Severity
    title: str
    text: str
    idempotency_key: str
    payload: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            known = ", ".join(SEVERITIES)
            raise ValueError(f"未知的严重程度 unknown severity {self.severity!r} ({known})")
        if not _EVENT.fullmatch(self.event):
            raise ValueError(
                f"事件名无效 invalid event name {self.event!r} (lower-case words joined by dots)"
            )
        for name in ("title", "idempotency_key"):
            if not getattr(self, name).strip():
                raise ValueError(f"{name} 不能为空 must not be empty")

    @property
    def resource(self) -> str:
        """What the payload is: `case` for `case.created`, `digest` for `digest`."""
        return self.event.partition(".")[0]

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]


@dataclass(frozen=True, slots=True)
class Delivery:
    """The outcome of sending one notice through one notifier.

    A notifier's `send` makes one attempt; `send_with_retry` returns the last attempt's
    outcome with `attempts` counting all of them. `code` is the HTTP status or the SMTP
    reply code, `response` an excerpt of what the far side answered, `error` (Chinese
    first, English alongside) says why it failed. `retryable` says whether trying again
    later may succeed (network errors, 5xx, 429, vendor rate limits), and `retry_after`
    carries a wait the far side asked for. `skipped` means the delivery log already holds
    a sent record for this key, so nothing was sent.
    """

    status: DeliveryStatus
    attempts: int = 1
    code: int | None = None
    response: str = ""
    error: str | None = None
    retryable: bool = False
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.status == "sent"


def sent(code: int | None = None, response: str = "", error: str | None = None) -> Delivery:
    return Delivery("sent", code=code, response=excerpt(response), error=error)


def failed(
    error: str,
    *,
    retryable: bool,
    code: int | None = None,
    response: str = "",
    retry_after: float | None = None,
) -> Delivery:
    return Delivery(
        "failed",
        code=code,
        response=excerpt(response),
        error=error,
        retryable=retryable,
        retry_after=retry_after,
    )


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Notifier(Protocol):
    """Sends a notice somewhere. One attempt, never raises for a failed send.

    Implementations must be safe to call from several threads at once.
    """

    kind: str

    def send(self, message: Notice) -> Delivery: ...
