"""Tokens a run may spend on llm rules, counted from each response's `usage`.

A check reserves what its samples may cost (prompt estimate + `max_tokens`, per sample)
before it asks; if that does not fit what is left, the budget is spent: this check and
every later one are skipped, with a notice. After the answers, the reservation is
replaced by the tokens the endpoint reported (the estimate, where it reported none).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TokenUsage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    cache_hits: int = 0
    estimated_calls: int = 0  # calls whose endpoint reported no usage: counted by estimate

    @property
    def total(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class TokenBudget:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._prompt = self._completion = self._reserved = 0
        self._calls = self._hits = self._estimated = 0
        self.exhausted = False

    def reserve(self, tokens: int) -> bool:
        """Hold `tokens` for a check; False (and spent from now on) when they do not fit."""
        with self._lock:
            if self.exhausted:
                return False
            if self._prompt + self._completion + self._reserved + tokens > self.limit:
                self.exhausted = True
                return False
            self._reserved += tokens
            return True

    def release(self, tokens: int) -> None:
        with self._lock:
            self._reserved -= tokens

    def spend(self, prompt: int, completion: int, *, estimated: bool = False) -> None:
        with self._lock:
            self._prompt += prompt
            self._completion += completion
            self._calls += 1
            self._estimated += estimated

    def hit(self) -> None:
        with self._lock:
            self._hits += 1

    def usage(self) -> TokenUsage:
        with self._lock:
            return TokenUsage(
                self._prompt, self._completion, self._calls, self._hits, self._estimated
            )
