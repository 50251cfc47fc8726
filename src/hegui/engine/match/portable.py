"""Portable backend: an Aho-Corasick automaton (ahocorasick_rs), for any platform."""

from __future__ import annotations

from collections.abc import Sequence

import ahocorasick_rs


class PortableMatcher:
    name = "portable"

    def __init__(self, literals: Sequence[str]) -> None:
        self._automaton = (
            ahocorasick_rs.AhoCorasick(list(literals), matchkind=ahocorasick_rs.MatchKind.Standard)
            if literals
            else None
        )

    def scan(self, text: str) -> set[int]:
        if self._automaton is None:
            return set()
        return {m[0] for m in self._automaton.find_matches_as_indexes(text, overlapping=True)}
