"""The multi-pattern prefilter: one compiled database of every literal in the library.

A backend answers "which literals occur in this text" in one pass. Keywords are literals;
regexes contribute their required atoms; homophone keywords their pinyin-canonical
form. Every hit is then verified (spans, regex, negation, exceptions) by the rule
leaves, and since every backend reports exactly the literals present, all backends give
identical findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class MultiMatcher(Protocol):
    name: str

    def scan(self, text: str) -> set[int]:
        """Indices (into the compiled literal list) of the literals occurring in `text`."""
        ...

    def scan_many(self, texts: Sequence[str]) -> list[set[int]]:
        """`scan` of each text, in one pass over all of them."""
        ...
