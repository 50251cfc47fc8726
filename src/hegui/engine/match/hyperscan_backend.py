"""Hyperscan backend (x86): every literal of the library in one block-mode database.

UTF-8 is self-synchronising, so a literal's bytes can only match on character
boundaries and no UTF-8 mode is needed. The database is shared; a scan needs scratch
space of its own, so each thread gets a clone of the prototype scratch.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Sequence

import hyperscan


class HyperscanMatcher:
    name = "hyperscan"

    def __init__(self, literals: Sequence[str]) -> None:
        self._db: hyperscan.Database | None = None
        self._local = threading.local()
        if not literals:
            return
        self._db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._db.compile(
            expressions=[lit.encode("utf-8") for lit in literals],
            ids=list(range(len(literals))),
            elements=len(literals),
            flags=[0] * len(literals),
            literal=True,
        )
        self._prototype = hyperscan.Scratch(self._db)

    def _scratch(self) -> hyperscan.Scratch:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = self._prototype.clone()
        return scratch

    def scan(self, text: str) -> set[int]:
        hits: set[int] = set()
        if self._db is None:
            return hits

        def on_match(pid: int, start: int, end: int, flags: int, context: object) -> None:
            hits.add(pid)

        self._db.scan(
            text.encode("utf-8", "surrogatepass"),
            match_event_handler=on_match,
            scratch=self._scratch(),
        )
        return hits

    def scan_many(self, texts: Sequence[str]) -> list[set[int]]:
        hits: list[set[int]] = [set() for _ in texts]
        if self._db is None or not texts:
            return hits
        encoded = [text.encode("utf-8", "surrogatepass") for text in texts]
        ends, at = [], 0
        for chunk in encoded:
            at += len(chunk)
            ends.append(at)
            at += 1
        # Block mode reports matches in order of their end offset: walk the texts along.
        index, limit, add = 0, ends[0], hits[0].add

        def on_match(pid: int, start: int, end: int, flags: int, context: object) -> None:
            nonlocal index, limit, add
            if end > limit:
                index = bisect_left(ends, end, index)
                limit, add = ends[index], hits[index].add
            add(pid)

        self._db.scan(b"\x00".join(encoded), match_event_handler=on_match, scratch=self._scratch())
        return hits
