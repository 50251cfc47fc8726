"""The normalised view that detectors read, and the way back to original offsets."""

from __future__ import annotations

from dataclasses import dataclass

from hegui.engine.normalise import Normalized, normalise

# normalise() drops some full-width forms of the chars it keeps (＠ ＊ － ＋); fold them first.
# Each maps one char to one char, so offsets are unchanged.
_PRE = str.maketrans({"＠": "@", "＊": "*", "－": "-", "＋": "+", "×": "*", "●": "*"})


@dataclass(frozen=True, slots=True)
class Hit:
    """A candidate entity in view coordinates."""

    type: str
    start: int
    end: int
    score: float


class View:
    """Normalised text (spoken numerals as digits, case-folded; compact drops punctuation)."""

    __slots__ = ("_gaps", "norm", "original")

    def __init__(self, original: str, norm: Normalized) -> None:
        self.original = original
        self.norm = norm
        self._gaps: frozenset[int] | None = None

    @property
    def text(self) -> str:
        return self.norm.text

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.norm.to_original(start, end)

    def gap(self, i: int) -> bool:
        """True when the original had dropped chars (space, punctuation) just before view[i]."""
        if self._gaps is None:
            self._gaps = self._find_gaps()
        return i in self._gaps

    def _find_gaps(self) -> frozenset[int]:
        starts, ends = self.norm.starts, self.norm.ends
        if starts is None or ends is None:
            return frozenset()
        return frozenset(i for i in range(1, len(starts)) if starts[i] > ends[i - 1])


def make_view(text: str, *, compact: bool = True) -> View:
    """compact=True drops spaces and punctuation (numbers said in groups join up);
    compact=False keeps them, for patterns whose boundaries are punctuation (emails, IPs)."""
    return View(text, normalise(text.translate(_PRE), compact=compact))
