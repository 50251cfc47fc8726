"""Sending with retries and exponential backoff.

Only failures a notifier marks `retryable` are tried again: network errors and timeouts,
HTTP 5xx and 429, vendor rate-limit codes, SMTP 4xx. A 4xx answer or a configuration error
would fail the same way every time. `sleep` is injected so tests run without waiting.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from hegui.adapters.notify.base import Delivery, Notice, Notifier, failed

logger = logging.getLogger(__name__)

Sleep = Callable[[float], None]
AttemptHook = Callable[[int, Delivery], None]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Attempt n (n ≥ 1) failed: wait base_delay · factor^(n-1), at most max_delay.

    A Retry-After the far side sent is honoured when it is longer, still capped at max_delay.
    The defaults try four times over about seven seconds.
    """

    max_attempts: int = 4
    base_delay: float = 1.0
    factor: float = 2.0
    max_delay: float = 60.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts 至少为 1 must be at least 1")
        if self.base_delay < 0 or self.factor < 1 or self.max_delay < 0:
            raise ValueError("延迟参数无效 delays must be ≥ 0 and factor ≥ 1")

    def delay(self, failed_attempts: int, asked: float | None = None) -> float:
        backoff = self.base_delay * self.factor ** (failed_attempts - 1)
        return min(self.max_delay, max(backoff, asked or 0.0))


def send_with_retry(
    notifier: Notifier,
    notice: Notice,
    policy: RetryPolicy | None = None,
    *,
    sleep: Sleep = time.sleep,
    on_attempt: AttemptHook | None = None,
) -> Delivery:
    """Send until sent, a failure that is not retryable, or the policy's last attempt.

    Returns the last attempt's Delivery with `attempts` counting all of them; `on_attempt`
    sees every attempt as it happens (the dispatcher records each in its log).
    """
    policy = policy or RetryPolicy()
    attempt = 0
    while True:
        attempt += 1
        delivery = _attempt(notifier, notice)
        if on_attempt is not None:
            on_attempt(attempt, delivery)
        if delivery.ok or not delivery.retryable or attempt >= policy.max_attempts:
            return replace(delivery, attempts=attempt)
        sleep(policy.delay(attempt, delivery.retry_after))


def _attempt(notifier: Notifier, notice: Notice) -> Delivery:
    try:
        return notifier.send(notice)
    except Exception as exc:
        # Notifiers report failures instead of raising; one that raises has a bug, and a bug
        # in one notifier must not stop the others from being told.
        logger.exception("notifier %r raised", notifier)
        error = f"通知程序内部错误 notifier bug: {type(exc).__name__}: {exc}"
        return failed(error, retryable=False)
