"""SIGINT/SIGTERM during `hegui inspect`: stop cleanly between two conversations."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from hegui.cli.exits import ExitCode

_NAMES: dict[int, str] = {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM"}
GRACE = 2.0
"""Seconds a held-back signal waits for a write to finish. A write blocks that long only
when the reader of a pipe has stopped reading; then the run stops mid-write."""


class Interrupted(Exception):
    def __init__(self, signum: int, *, mid_write: bool = False) -> None:
        super().__init__(_NAMES.get(signum, str(signum)))
        self.signum = signum
        self.mid_write = mid_write
        """The output was left with part of a conversation's findings (a stuck pipe)."""

    @property
    def exit_code(self) -> int:
        return ExitCode.SIGINT if self.signum == signal.SIGINT else ExitCode.SIGTERM


class Signals:
    """Turn SIGINT and SIGTERM into `Interrupted`, except inside `held()`: a signal that
    arrives while a conversation's findings are written is raised once the write is whole
    (or after GRACE seconds stuck, or at a second signal)."""

    def __init__(self) -> None:
        self._held = 0
        self._pending: int | None = None
        self._previous: dict[int, Any] = {}
        self._timer = hasattr(signal, "setitimer")

    def __enter__(self) -> Signals:
        if threading.current_thread() is threading.main_thread():
            for signum in (*_NAMES, *((signal.SIGALRM,) if self._timer else ())):
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        self.restore()

    def restore(self) -> None:
        """Default handling again: a second Ctrl-C while finishing up stops at once."""
        self._alarm(0)
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        self._previous.clear()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if signum == getattr(signal, "SIGALRM", None):
            if self._held and self._pending is not None:
                self._stuck(self._pending)
            return
        if not self._held:
            raise Interrupted(signum)
        if self._pending is not None:
            self._stuck(signum)
        self._pending = signum
        self._alarm(GRACE)

    def _stuck(self, signum: int) -> None:
        self._pending = None
        raise Interrupted(signum, mid_write=True)

    def _alarm(self, seconds: float) -> None:
        if self._timer and self._previous:
            signal.setitimer(signal.ITIMER_REAL, seconds)

    @contextmanager
    def held(self) -> Iterator[None]:
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            if not self._held and self._pending is not None:
                pending, self._pending = self._pending, None
                self._alarm(0)
                raise Interrupted(pending)
