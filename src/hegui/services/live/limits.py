"""What one live connection may send, and how much the server holds for it.

The defaults fit an ASR or chat system forwarding one call: utterances come a few a
second, each at most a few hundred characters. `inline_chars` is where the engine work
leaves the event loop for a worker thread (docs/live.md gives the measurements).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class LiveLimits:
    max_message_bytes: int = 256 * 1024  # one frame
    max_text_chars: int = 8_000  # one utterance's text
    max_utterances: int = 10_000  # one conversation
    max_conversation_bytes: int = 8 * 1024 * 1024  # all frames of one conversation
    max_sessions: int = 5_000  # live conversations at once in this process
    rate: float = 20.0  # messages a second, sustained, per connection
    burst: int = 100  # messages at once (a `start` with history comes alone)
    inline_chars: int = 1_000  # feed longer texts in a worker thread
    feed_queue: int = 1_000  # events a supervisor may fall behind by (oldest dropped)
    store_threads: int = 2  # calls stored at once: their CPU (masking) competes for the GIL


class RateLimit:
    """A token bucket: `burst` messages at once, then `rate` a second."""

    def __init__(
        self, rate: float, burst: int, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = float(burst)
        self.monotonic = monotonic
        self._tokens = float(burst)
        self._at = monotonic()

    def allow(self) -> bool:
        now = self.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
        self._at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False
