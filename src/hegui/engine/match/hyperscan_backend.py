"""Hyperscan backend (x86): every literal of the library in one block-mode database.

UTF-8 is self-synchronising, so a literal's bytes can only match on character
boundaries and no UTF-8 mode is needed.
"""

from __future__ import annotations

from collections.abc import Sequence

import hyperscan


class HyperscanMatcher:
    name = "hyperscan"

    def __init__(self, literals: Sequence[str]) -> None:
        self._db: hyperscan.Database | None = None
        if not literals:
            return
        self._db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._db.compile(
            expressions=[lit.encode("utf-8") for lit in literals],
            ids=list(range(len(literals))),
            elements=len(literals),
            flags=[hyperscan.HS_FLAG_SINGLEMATCH] * len(literals),
            literal=True,
        )
        self._scratch = hyperscan.Scratch(self._db)

    def scan(self, text: str) -> set[int]:
        hits: set[int] = set()
        if self._db is None:
            return hits

        def on_match(pid: int, start: int, end: int, flags: int, context: object) -> None:
            hits.add(pid)

        self._db.scan(text.encode("utf-8"), match_event_handler=on_match, scratch=self._scratch)
        return hits
