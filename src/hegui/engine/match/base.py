"""The multi-pattern prefilter: one compiled database for the whole rule library.

A backend answers "which patterns may occur in this text" in one pass. It is only a
prefilter: every hit is verified (spans, negation, exceptions) by the rule leaves, so
backends must return a superset of the true hits and all backends give identical findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Pattern:
    """A literal (exact, lower-case compact text) or a Python-syntax regex."""

    literal: str | None = None
    regex: str | None = None


class MultiMatcher(Protocol):
    name: str

    def scan(self, text: str) -> set[int]:
        """Indices (into the compiled pattern list) of patterns that may occur in `text`."""
        ...


class MatcherFactory(Protocol):
    def __call__(self, patterns: Sequence[Pattern]) -> MultiMatcher: ...
