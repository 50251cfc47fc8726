"""The normalised view that detectors read, and the way back to original offsets."""

from __future__ import annotations

from dataclasses import dataclass
from operator import gt

from hegui.engine.normalise import Normalized, char_table, normalise

# Masking characters other than * (138××××5678, 138●●●●5678) read as *. One char to one
# char, so offsets are unchanged.
_PRE = str.maketrans({"×": "*", "●": "*"})


@dataclass(frozen=True, slots=True)
class Hit:
    """A candidate entity in view coordinates."""

    type: str
    start: int
    end: int
    score: float


class View:
    """Normalised text (spoken numerals as digits, case-folded; compact drops punctuation).
    Without `norm` the view is a char-for-char fold of the original (offsets unchanged)."""

    __slots__ = ("_gaps", "norm", "original", "text")

    def __init__(self, original: str, text: str, norm: Normalized | None = None) -> None:
        self.original = original
        self.text = text
        self.norm = norm
        self._gaps: bytes | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.norm.to_original(start, end) if self.norm is not None else (start, end)

    def gap(self, i: int) -> bool:
        """True when the original had dropped chars (space, punctuation) just before view[i]."""
        return self.gaps[i] == 1

    @property
    def gaps(self) -> bytes:
        """gaps[i] == 1 where `gap(i)`; one byte per char and one past the end, so hot loops
        find the nearest gap with `rfind`/`find` instead of testing each position."""
        if self._gaps is None:
            self._gaps = self._find_gaps()
        return self._gaps

    def _find_gaps(self) -> bytes:
        size = len(self.text) + 1
        starts = self.norm.starts if self.norm is not None else None
        ends = self.norm.ends if self.norm is not None else None
        if starts is None or ends is None or size < 2:
            return bytes(size)
        # gaps[i]: view[i] starts after view[i - 1] ended; never before the first char.
        marks = bytes(map(gt, starts[1:], ends))
        return b"\x00" + marks + b"\x00" * (size - len(marks) - 1)


def make_view(text: str, *, compact: bool = True) -> View:
    """compact=True drops spaces and punctuation (numbers said in groups join up);
    compact=False keeps them, for patterns whose boundaries are punctuation (emails, IPs)."""
    norm = normalise(text.translate(_PRE), compact=compact)
    return View(text, norm.text, norm)


_SPOKEN_DIGITS = frozenset("零〇一二三四五六七八九幺两洞拐勾")


def make_loose_view(text: str) -> View:
    """Punctuation kept. Text without spoken numerals needs only the normaliser's
    char-for-char fold (full-width → ASCII, lower case, traditional → simplified), which is
    much cheaper than full normalisation and keeps every offset."""
    if _SPOKEN_DIGITS.isdisjoint(text):
        return View(text, text.translate(char_table(False)))
    return make_view(text, compact=False)
