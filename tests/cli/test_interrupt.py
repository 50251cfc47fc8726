"""SIGINT/SIGTERM are raised between conversations, never in the middle of a write."""

from __future__ import annotations

import os
import signal
import time

import pytest

from hegui.cli import interrupt
from hegui.cli.interrupt import Interrupted, Signals


def test_a_signal_outside_a_write_interrupts_at_once() -> None:
    with Signals(), pytest.raises(Interrupted) as caught:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
    assert caught.value.exit_code == 143 and not caught.value.mid_write


def test_a_signal_during_a_write_waits_for_the_write() -> None:
    written = []
    with Signals() as signals, pytest.raises(Interrupted) as caught:
        with signals.held():
            os.kill(os.getpid(), signal.SIGINT)
            written.append("whole")
        written.append("never")
    assert written == ["whole"]
    assert caught.value.exit_code == 130 and not caught.value.mid_write


def test_a_write_stuck_past_the_grace_period_is_abandoned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interrupt, "GRACE", 0.2)
    with Signals() as signals, pytest.raises(Interrupted) as caught, signals.held():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # a pipe whose reader stopped reading
    assert caught.value.mid_write


def test_a_second_signal_does_not_wait() -> None:
    with Signals() as signals, pytest.raises(Interrupted) as caught, signals.held():
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)
    assert caught.value.mid_write


def test_handlers_are_restored() -> None:
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    with Signals():
        pass
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
