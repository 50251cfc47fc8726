"""Hyperscan backend (x86): literals and regexes in one streaming-free block database."""

from __future__ import annotations

import re
from collections.abc import Sequence

import hyperscan

from hegui.engine.match.base import Pattern

_BASE_FLAGS = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP | hyperscan.HS_FLAG_CASELESS
_FLAGS = _BASE_FLAGS | hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_ALLOWEMPTY


class HyperscanMatcher:
    name = "hyperscan"

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        expressions: list[bytes] = []
        ids: list[int] = []
        flags: list[int] = []
        self._always: list[int] = []
        for index, pattern in enumerate(patterns):
            if pattern.literal is not None:
                source = re.escape(pattern.literal)
            else:
                assert pattern.regex is not None
                source = pattern.regex
            flag = _FLAGS if _compiles(source, _FLAGS) else _FLAGS | hyperscan.HS_FLAG_PREFILTER
            if flag != _FLAGS and not _compiles(source, flag):
                self._always.append(index)
                continue
            expressions.append(source.encode("utf-8"))
            ids.append(index)
            flags.append(flag)
        self._db: hyperscan.Database | None = None
        if expressions:
            self._db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
            self._db.compile(expressions=expressions, ids=ids, elements=len(ids), flags=flags)
            self._scratch = hyperscan.Scratch(self._db)

    def scan(self, text: str) -> set[int]:
        hits: set[int] = set(self._always)
        if self._db is None:
            return hits

        def on_match(pid: int, start: int, end: int, flags: int, context: object) -> None:
            hits.add(pid)

        self._db.scan(text.encode("utf-8"), match_event_handler=on_match, scratch=self._scratch)
        return hits


def _compiles(source: str, flag: int) -> bool:
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        db.compile(expressions=[source.encode("utf-8")], ids=[0], elements=1, flags=[flag])
    except hyperscan.error:
        return False
    return True
