"""Sending each notice once per notifier, even across restarts, with a delivery log.

The `DeliveryLog` Protocol is what the dispatcher needs from storage; `InMemoryDeliveryLog`
ships here, the service implements the same Protocol on its database. Every attempt is
recorded; a key counts as delivered once an attempt for it was `sent`. A notice whose
attempts all failed is not marked, so dispatching it again later (after a restart, by a
sweep job) tries again.

The guarantee is at-least-once: a process killed after the far side accepted a message but
before the log recorded it sends it again. Receivers can fold such repeats: the webhook body
carries the key as `id`, and e-mails derive their Message-ID from it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, Protocol

from hegui.adapters.notify.base import Delivery, Notice, Notifier
from hegui.adapters.notify.retry import RetryPolicy, Sleep, send_with_retry


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """One attempt to send one notice through one notifier: one row of the delivery log."""

    notifier_id: str
    kind: str
    idempotency_key: str
    event: str
    attempt: int
    status: Literal["sent", "failed"]
    code: int | None
    response: str
    error: str | None
    at: datetime


class DeliveryLog(Protocol):
    def already_sent(self, key: str, notifier_id: str) -> bool:
        """Whether an attempt for this key through this notifier was recorded as sent."""
        ...

    def record(self, entry: DeliveryRecord) -> None: ...


class InMemoryDeliveryLog:
    """A DeliveryLog in memory (tests, demos, `hegui` without a database). Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[DeliveryRecord] = []
        self._sent: set[tuple[str, str]] = set()

    def already_sent(self, key: str, notifier_id: str) -> bool:
        with self._lock:
            return (key, notifier_id) in self._sent

    def record(self, entry: DeliveryRecord) -> None:
        with self._lock:
            self._entries.append(entry)
            if entry.status == "sent":
                self._sent.add((entry.idempotency_key, entry.notifier_id))

    @property
    def entries(self) -> list[DeliveryRecord]:
        with self._lock:
            return list(self._entries)


def utc_now() -> datetime:
    return datetime.now(UTC)


class Dispatcher:
    """Sends a notice through a notifier unless the log says it was already sent.

    Within one process, dispatches of the same (key, notifier) wait for each other, so two
    threads cannot both see "not sent yet" and both send. Across processes the log's own
    guarantees apply (run one dispatching worker, or make the database log claim rows).
    """

    _STRIPES = 64

    def __init__(
        self,
        log: DeliveryLog,
        policy: RetryPolicy | None = None,
        *,
        sleep: Sleep = time.sleep,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.log = log
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self._now = now
        # A fixed set of locks picked by hash: bounded memory, rare false sharing.
        self._locks = [threading.Lock() for _ in range(self._STRIPES)]

    def dispatch(self, notifier_id: str, notifier: Notifier, notice: Notice) -> Delivery:
        key = notice.idempotency_key
        with self._locks[hash((key, notifier_id)) % self._STRIPES]:
            if self.log.already_sent(key, notifier_id):
                return Delivery("skipped", attempts=0)

            def record(attempt: int, delivery: Delivery) -> None:
                self.log.record(self._entry(notifier_id, notifier, notice, attempt, delivery))

            return send_with_retry(
                notifier, notice, self.policy, sleep=self._sleep, on_attempt=record
            )

    def _entry(
        self, notifier_id: str, notifier: Notifier, notice: Notice, attempt: int, d: Delivery
    ) -> DeliveryRecord:
        return DeliveryRecord(
            notifier_id=notifier_id,
            kind=notifier.kind,
            idempotency_key=notice.idempotency_key,
            event=notice.event,
            attempt=attempt,
            status="sent" if d.ok else "failed",
            code=d.code,
            response=d.response,
            error=d.error,
            at=self._now(),
        )
