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


@dataclass(frozen=True, slots=True)
class View:
    """Compact normalised text (spoken numerals as digits, case-folded, punctuation dropped)."""

    original: str
    norm: Normalized

    @property
    def text(self) -> str:
        return self.norm.text

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.norm.to_original(start, end)

    def gap(self, i: int) -> bool:
        """True when the original had dropped chars (space, punctuation) just before view[i]."""
        starts, ends = self.norm.starts, self.norm.ends
        if starts is None or ends is None or i <= 0 or i >= len(starts):
            return False
        return starts[i] > ends[i - 1]


def make_view(text: str, *, compact: bool = True) -> View:
    """compact=True drops spaces and punctuation (numbers said in groups join up);
    compact=False keeps them, for patterns whose boundaries are punctuation (emails, IPs)."""
    return View(text, normalise(text.translate(_PRE), compact=compact))
