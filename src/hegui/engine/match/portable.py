"""Portable backend: Aho-Corasick (ahocorasick_rs) for literals and an RE2 set for regexes."""

from __future__ import annotations

import re
from collections.abc import Sequence

import ahocorasick_rs
import re2

from hegui.engine.match.base import Pattern


class PortableMatcher:
    name = "portable"

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        literal_ids: dict[str, list[int]] = {}
        regexes: list[tuple[int, str]] = []
        for index, pattern in enumerate(patterns):
            if pattern.literal is not None:
                literal_ids.setdefault(pattern.literal, []).append(index)
            elif pattern.regex is not None:
                regexes.append((index, pattern.regex))
        self._literals = list(literal_ids)
        self._literal_ids = [literal_ids[k] for k in self._literals]
        self._automaton = (
            ahocorasick_rs.AhoCorasick(
                self._literals, matchkind=ahocorasick_rs.MatchKind.Standard
            )
            if self._literals
            else None
        )
        self._always: list[int] = []
        self._set_ids: list[int] = []
        options = re2.Options()
        options.case_sensitive = False
        self._set = re2.Set.SearchSet(options)
        for index, regex in regexes:
            if not re2_compatible(regex):
                self._always.append(index)
                continue
            self._set.Add(regex)
            self._set_ids.append(index)
        self._set.Compile()
        self._has_set = bool(self._set_ids)

    def scan(self, text: str) -> set[int]:
        hits: set[int] = set(self._always)
        if self._automaton is not None:
            for key in self._automaton.find_matches_as_indexes(text, overlapping=True):
                hits.update(self._literal_ids[key[0]])
        if self._has_set:
            for key in self._set.Match(text) or ():
                hits.add(self._set_ids[key])
        return hits


_RE2_UNSUPPORTED = re.compile(r"\(\?[=!<]|\\[1-9]|\(\?P=")


def re2_compatible(regex: str) -> bool:
    """RE2 has no lookaround or backreferences; such regexes are verified on every text."""
    return _RE2_UNSUPPORTED.search(regex) is None
