"""Text normalisation for matching, with an offset map back to the original text.

NFKC (full-width → half-width), traditional → simplified, case folding, spoken numbers →
digits, and — in compact mode — spaces, punctuation, symbols and the fillers 嗯 呃 dropped,
so that "保 本", "保、本" and "保嗯本" all read "保本".
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc

from hegui.engine.numerals import QUICK, Piece, convert_runs

DROP = "\x01"
KEEP_PUNCT = frozenset("%.@+-_:/*")
FILLERS = "嗯呃"
_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
_EXTRA_DROP_RANGES = ((0x1F000, 0x1FB00),)


class Normalized:
    """A normalised text and the way back to the original. The offset map is built only
    when a span is mapped (only hits are), since most utterances have none."""

    __slots__ = ("_edits", "_ends", "_folded", "_starts", "original", "text")

    def __init__(
        self,
        original: str,
        text: str,
        folded: str | None = None,
        edits: list[tuple[int, int, list[Piece]]] | None = None,
    ) -> None:
        self.original, self.text = original, text
        self._folded, self._edits = folded, edits
        self._starts: list[int] | None = None
        self._ends: list[int] | None = None

    def _maps(self) -> tuple[list[int], list[int]] | None:
        if self._folded is None and not self._edits:
            return None
        if self._starts is None:
            starts: list[int] | None = None
            ends: list[int] | None = None
            if self._folded is not None:
                starts = [i for i, ch in enumerate(self._folded) if ch != DROP]
                ends = [i + 1 for i in starts]
            if self._edits:
                compact = self._folded.replace(DROP, "") if self._folded is not None else None
                base = compact if compact is not None else self.original
                _, starts, ends = _apply(base, starts, ends, self._edits)
            self._starts, self._ends = starts, ends
        assert self._starts is not None and self._ends is not None
        return self._starts, self._ends

    @property
    def starts(self) -> list[int] | None:
        """Per char of `text`, where its source starts in `original` (None: identical)."""
        maps = self._maps()
        return maps[0] if maps else None

    @property
    def ends(self) -> list[int] | None:
        maps = self._maps()
        return maps[1] if maps else None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of `text` to a span of `original`."""
        maps = self._maps()
        if maps is None:
            return start, end
        starts, ends = maps
        if end <= start:
            pos = starts[start] if start < len(starts) else len(self.original)
            return pos, pos
        # Reordered output ("百分之八" → "8%") means the extremes need not sit at the edges.
        return min(starts[start:end]), max(ends[start:end])


def _is_dropped(char: str) -> bool:
    if char in KEEP_PUNCT:
        return False
    category = unicodedata.category(char)
    return category[0] in "ZPC" or category in ("Sm", "Sk", "So")


def _fold(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    if len(folded) != 1:
        return char
    for lowered in (folded.casefold(), folded.lower()):
        if len(lowered) == 1:
            return lowered
    return folded


@lru_cache(maxsize=1)
def _simplified() -> dict[str, str]:
    chars = [chr(cp) for lo, hi in _CJK_RANGES for cp in range(lo, hi)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    return {a: b for a, b in zip(chars, converted, strict=True) if len(b) == 1 and a != b}


@lru_cache(maxsize=2)
def char_table(compact: bool) -> dict[int, str]:
    """A `str.translate` table that changes no lengths: every char maps to one char."""
    table: dict[int, str] = {}
    for cp in range(0x80 if not compact else 0, 0x10000):
        char = chr(cp)
        if 0xD800 <= cp < 0xE000:
            continue
        folded = _fold(char)
        if compact and _is_dropped(char) and folded not in KEEP_PUNCT:
            table[cp] = DROP
            continue
        if compact and folded != char and _is_dropped(folded):
            table[cp] = DROP
        elif folded != char:
            table[cp] = folded
    for lo, hi in _EXTRA_DROP_RANGES:
        for cp in range(lo, hi):
            table[cp] = DROP if compact else chr(cp)
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = chr(cp).lower()
    for trad, simp in _simplified().items():
        table[ord(trad)] = simp
    if compact:
        for filler in FILLERS:
            table[ord(filler)] = DROP
    table[ord(JOIN)] = JOIN
    return table


# Joins texts for one `translate` call over many; maps to itself and is never in a text.
JOIN = "\ue000"


def normalise_many(texts: list[str]) -> list[Normalized]:
    """`normalise` of each text (compact), translating them all in one pass."""
    joined = JOIN.join(texts)
    if joined.count(JOIN) != len(texts) - 1:
        return [normalise(text) for text in texts]
    folded = joined.translate(char_table(True)).split(JOIN)
    return [_finish(text, f, True) for text, f in zip(texts, folded, strict=True)]


def normalise(text: str, *, compact: bool = True) -> Normalized:
    """Normalise `text`; spans of the result map back with `Normalized.to_original`."""
    return _finish(text, text.translate(char_table(compact)), compact)


def _finish(text: str, folded: str, compact: bool) -> Normalized:
    dropped = compact and DROP in folded
    plain = folded.replace(DROP, "") if dropped else folded
    edits = convert_runs(plain) if QUICK.search(plain) is not None else None
    if edits:
        plain = _replace(plain, edits)
    if not dropped and not edits:
        return Normalized(text, plain)
    return Normalized(text, plain, folded if dropped else None, edits or None)


def _replace(text: str, edits: list[tuple[int, int, list[Piece]]]) -> str:
    out, last = [], 0
    for start, end, pieces in edits:
        out.append(text[last:start])
        out.extend(char for char, _, _ in pieces)
        last = end
    out.append(text[last:])
    return "".join(out)


def _apply(
    text: str,
    starts: list[int] | None,
    ends: list[int] | None,
    edits: list[tuple[int, int, list[Piece]]],
) -> tuple[str, list[int], list[int]]:
    """Replace edited runs of `text`, composing the offset maps."""
    if starts is None or ends is None:
        starts = list(range(len(text)))
        ends = [i + 1 for i in starts]
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    last = 0
    for start, end, pieces in edits:
        out.append(text[last:start])
        new_starts.extend(starts[last:start])
        new_ends.extend(ends[last:start])
        for char, src_start, src_end in pieces:
            out.append(char)
            new_starts.append(starts[src_start])
            new_ends.append(ends[src_end - 1])
        last = end
    out.append(text[last:])
    new_starts.extend(starts[last:])
    new_ends.extend(ends[last:])
    return "".join(out), new_starts, new_ends
