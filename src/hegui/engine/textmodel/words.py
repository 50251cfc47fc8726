"""Hashed word n-grams: the second feature family of hegui's sentiment model.

The engine does not segment text itself (a segmenter reads its dictionary from disk): the
layer above hands it a `Tokenizer`, a function from a normalised text to its words, and
`WordNgrams` hashes the words and word pairs into buckets of the same space as the
character n-grams (hegui.engine.textmodel.features). A leading \\x01 keeps a one-word gram
from landing where the character gram of the same letters does.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hegui.engine.textmodel.linear import LinearModel

Tokenizer = Callable[[str], Sequence[str]]

MARK, JOIN = "\x01", "\x1f"


@dataclass(frozen=True, slots=True)
class WordNgrams:
    """Word n-grams of lengths 1..n_max, hashed into `dims` buckets."""

    n_max: int = 2
    dims: int = 1 << 18

    def __post_init__(self) -> None:
        if not 1 <= self.n_max <= 4:
            raise ValueError(f"word n-gram length must be 1..4: {self.n_max}")
        if not 1 <= self.dims <= 1 << 32:
            raise ValueError(f"dims must be between 1 and 2**32: {self.dims}")

    def buckets(self, words: Sequence[str]) -> set[int]:
        dims, crc, found = self.dims, zlib.crc32, set()
        size = len(words)
        for n in range(1, self.n_max + 1):
            for i in range(size - n + 1):
                gram = MARK + JOIN.join(words[i : i + n])
                found.add(crc(gram.encode("utf-8")) % dims)
        return found

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "hashed_word_ngrams", "n_max": self.n_max, "dims": self.dims}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WordNgrams:
        if data.get("kind") != "hashed_word_ngrams":
            raise ValueError(f"unknown word featurizer {data.get('kind')!r}")
        return cls(int(data["n_max"]), int(data["dims"]))


def text_buckets(
    model: LinearModel, text: str, words: WordNgrams | None, tokenizer: Tokenizer | None
) -> list[int]:
    """The sorted buckets of a normalised text: the model's character n-grams, and with a
    word featurizer and a tokenizer, its word n-grams too."""
    found = set(model.featurizer.buckets(text))
    if words is not None and tokenizer is not None and text:
        found |= words.buckets(tokenizer(text))
    return sorted(found)


def bucket_margins(model: LinearModel, found: Sequence[int]) -> NDArray[np.float64]:
    """A linear model's margins for a sorted list of buckets (the sum of their weights over
    the square root of their number, plus the bias), as `LinearModel.margins` computes
    them for character n-grams alone."""
    out = model.bias.astype(np.float64)
    if not found:
        return out
    ids = np.fromiter(found, dtype=np.uint32, count=len(found))
    rows = np.searchsorted(model.buckets, ids)
    inside = rows < model.buckets.shape[0]
    rows, ids = rows[inside], ids[inside]
    rows = rows[model.buckets[rows] == ids]
    if rows.shape[0]:
        out += model.weights[rows].sum(axis=0, dtype=np.float64) / np.sqrt(len(found))
    return out


def softmax(margins: NDArray[np.float64], temperature: float = 1.0) -> NDArray[np.float64]:
    """Class probabilities from a multinomial model's margins."""
    z = margins / temperature
    z = np.exp(z - z.max())
    return z / z.sum()  # type: ignore[no-any-return]
