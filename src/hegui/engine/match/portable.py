"""Portable backend: an Aho-Corasick automaton (ahocorasick_rs), for any platform."""

from __future__ import annotations

from bisect import bisect_right
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

    def scan_many(self, texts: Sequence[str]) -> list[set[int]]:
        hits: list[set[int]] = [set() for _ in texts]
        if self._automaton is None:
            return hits
        bounds, at = [], 0
        for text in texts:
            bounds.append(at)
            at += len(text) + 1
        joined = SEPARATOR.join(texts)
        for pid, start, _ in self._automaton.find_matches_as_indexes(joined, overlapping=True):
            hits[bisect_right(bounds, start) - 1].add(pid)
        return hits


SEPARATOR = "\x00"  # never in a literal: normalisation drops control characters
