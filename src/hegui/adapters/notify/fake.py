"""A notifier that only remembers what it was asked to send (tests and demos)."""

from __future__ import annotations

import threading

from hegui.adapters.notify.base import Delivery, Notice, failed, sent


class FakeNotifier:
    """Records notices; the first `failures` attempts fail, `retryable` or not.

    `attempts` holds every notice `send` was called with, `sent` those that succeeded.
    """

    kind = "fake"

    def __init__(self, *, failures: int = 0, retryable: bool = True) -> None:
        self._failures = failures
        self._retryable = retryable
        self._lock = threading.Lock()
        self.attempts: list[Notice] = []
        self.sent: list[Notice] = []

    def send(self, message: Notice) -> Delivery:
        with self._lock:
            self.attempts.append(message)
            if len(self.attempts) <= self._failures:
                return failed("模拟失败 simulated failure", retryable=self._retryable)
            self.sent.append(message)
            return sent()
