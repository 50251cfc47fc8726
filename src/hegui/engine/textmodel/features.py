"""Hashed character n-grams: the features of hegui's linear text models.

The text is the engine's normalised compact text (hegui.engine.normalise: half-width,
simplified, lower case, spoken numbers as digits, no spaces or punctuation), framed by a
start and an end mark so that n-grams at the edges differ from those inside. Each n-gram
is hashed (CRC-32 of its UTF-8 bytes, stable across processes and platforms) into one of
`dims` buckets. A text's feature vector is the set of its buckets, each weighted
1/sqrt(number of buckets) so that long and short utterances score on one scale.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

START, END = "\x02", "\x03"


@dataclass(frozen=True, slots=True)
class HashedNgrams:
    """Character n-grams of lengths n_min..n_max, hashed into `dims` buckets."""

    n_min: int = 1
    n_max: int = 3
    dims: int = 1 << 18

    def __post_init__(self) -> None:
        if not 1 <= self.n_min <= self.n_max <= 8:
            raise ValueError(f"n-gram lengths must satisfy 1 ≤ n_min ≤ n_max ≤ 8: {self}")
        if not 1 <= self.dims <= 1 << 32:
            raise ValueError(f"dims must be between 1 and 2**32: {self.dims}")

    def buckets(self, text: str) -> list[int]:
        """The sorted distinct buckets of a normalised text (empty text: no buckets)."""
        if not text:
            return []
        framed = START + text + END
        size, dims, crc = len(framed), self.dims, zlib.crc32
        found: set[int] = set()
        for n in range(self.n_min, self.n_max + 1):
            for i in range(size - n + 1):
                gram = framed[i : i + n]
                if gram in (START, END):
                    continue
                found.add(crc(gram.encode("utf-8")) % dims)
        return sorted(found)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "hashed_char_ngrams",
            "n_min": self.n_min,
            "n_max": self.n_max,
            "dims": self.dims,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> HashedNgrams:
        if data.get("kind") != "hashed_char_ngrams":
            raise ValueError(f"unknown featurizer {data.get('kind')!r}")
        return cls(int(data["n_min"]), int(data["n_max"]), int(data["dims"]))
