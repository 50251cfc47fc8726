"""A small character CNN: P(positive | positive or negative) of a normalised text.

    ids    = the text's characters as rows of a vocabulary (unknown characters: row 1)
    e      = embedding[ids]                                    (length × dim)
    h_w    = max over positions of relu(window_w(e) · conv_w + bias_w)   for each width w
    P(pos) = 1 / (1 + exp(-(concat(h_w) · out + out_bias)))

One layer of convolutions of widths such as 2, 3, 4 over character embeddings, max-pooled
over the text: a view that sees the characters' order, which the bag of hashed n-grams of
the linear heads does not. Trained by scripts/sentiment_cnn.py (numpy back-propagation, no
framework). Three of them, averaged, are part of the shipped model's review-polarity
ensemble (hegui.engine.sentiment.model; training/sentiment/REPORT.md). The forward pass
needs no matrix product per text: each character's products with every kernel row are
tabled once per process. The bytes hold float16 arrays and a JSON vocabulary, no pickles.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hegui.engine.textmodel.linear import ModelFormatError, read_arrays, write_arrays

FORMAT = "hegui.charcnn/1"
PAD, UNKNOWN = 0, 1  # rows 0 and 1 of the embedding: padding (all zeros) and unknown


@dataclass(frozen=True, eq=False)
class CharCNN:
    vocabulary: str  # the known characters; character i is embedding row i + 2
    embedding: NDArray[np.float32]  # (len(vocabulary) + 2, dim)
    widths: tuple[int, ...]
    convs: tuple[NDArray[np.float32], ...]  # per width: (width · dim, filters)
    conv_bias: tuple[NDArray[np.float32], ...]  # per width: (filters,)
    out: NDArray[np.float32]  # (sum of filters,)
    out_bias: float
    max_chars: int = 256  # longer texts are read by their first max_chars characters
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        rows, dim = self.embedding.shape if self.embedding.ndim == 2 else (0, 0)
        if rows != len(self.vocabulary) + 2 or dim == 0:
            raise ModelFormatError("char CNN: the embedding does not match the vocabulary")
        if len(set(self.vocabulary)) != len(self.vocabulary):
            raise ModelFormatError("char CNN: the vocabulary repeats a character")
        if not self.widths or len(self.convs) != len(self.widths) != len(self.conv_bias):
            raise ModelFormatError("char CNN: one convolution per width")
        filters = 0
        for w, conv, bias in zip(self.widths, self.convs, self.conv_bias, strict=True):
            if w < 1 or conv.ndim != 2 or conv.shape[0] != w * dim:
                raise ModelFormatError(f"char CNN: width {w} convolution shape {conv.shape}")
            if bias.shape != (conv.shape[1],):
                raise ModelFormatError("char CNN: convolution bias shape")
            filters += conv.shape[1]
        if self.out.shape != (filters,):
            raise ModelFormatError("char CNN: output weights do not match the filters")
        if self.max_chars < max(self.widths):
            raise ModelFormatError("char CNN: max_chars below the widest window")
        for a in (self.embedding, self.out, *self.convs, *self.conv_bias):
            if not np.all(np.isfinite(a)):
                raise ModelFormatError("char CNN: a non-finite weight")
            a.setflags(write=False)
        if not math.isfinite(self.out_bias):
            raise ModelFormatError("char CNN: a non-finite bias")
        object.__setattr__(self, "_index", {c: i + 2 for i, c in enumerate(self.vocabulary)})
        widest, blocks = max(self.widths), []
        for w, conv in zip(self.widths, self.convs, strict=True):
            kernel = np.zeros((widest, dim, conv.shape[1]), np.float32)
            kernel[:w] = conv.reshape(w, dim, -1)
            blocks.append(kernel)
        fused = np.concatenate(blocks, axis=2).transpose(1, 0, 2).reshape(dim, -1)
        # every character's products with every kernel row, once per process (no matrix
        # product per text): (characters, widest, filters of all widths)
        table = (self.embedding @ fused).reshape(rows, widest, -1).astype(np.float32)
        object.__setattr__(self, "_table", table)

    def ids(self, text: str) -> NDArray[np.int64]:
        index: dict[str, int] = self.__dict__["_index"]
        return np.fromiter(
            (index.get(c, UNKNOWN) for c in text[: self.max_chars]), np.int64, count=-1
        )

    def positive(self, text: str) -> float:
        """P(positive) of a normalised text; 0.5 for the empty text."""
        ids = self.ids(text)
        if ids.shape[0] == 0:
            return 0.5
        size, widest = ids.shape[0], max(self.widths)
        table: NDArray[np.float32] = self.__dict__["_table"]
        # a[i, j] = e[i] · (rows j of every width's kernel), looked up per character; a
        # window of width w at i is the sum of a[i + j, j] for j < w
        a = table[ids]
        positions = max(size - min(self.widths) + 1, 1)
        sums = np.zeros((positions, a.shape[2]), np.float32)
        for j in range(widest):
            part = a[j : j + positions, j]
            sums[: part.shape[0]] += part
        pooled = []
        start = 0
        for w, bias in zip(self.widths, self.conv_bias, strict=True):
            n, stop = max(size - w + 1, 1), start + bias.shape[0]  # windows inside the text
            pooled.append(np.maximum(sums[:n, start:stop] + bias, 0.0).max(axis=0))
            start = stop
        z = float(np.concatenate(pooled) @ self.out.astype(np.float64)) + self.out_bias
        return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))

    # -- serialisation ---------------------------------------------------------------

    def to_bytes(self) -> bytes:
        header = {
            "format": FORMAT,
            "vocabulary": self.vocabulary,
            "widths": list(self.widths),
            "out_bias": self.out_bias,
            "max_chars": self.max_chars,
            "meta": dict(self.meta),
        }
        arrays: dict[str, NDArray[Any]] = {
            "header": np.frombuffer(json.dumps(header, ensure_ascii=False).encode(), np.uint8),
            "embedding": self.embedding.astype(np.float16),
            "out": self.out.astype(np.float16),
        }
        for w, conv, bias in zip(self.widths, self.convs, self.conv_bias, strict=True):
            arrays[f"conv{w}"] = conv.astype(np.float16)
            arrays[f"bias{w}"] = bias.astype(np.float16)
        return write_arrays(arrays)

    @classmethod
    def from_bytes(cls, data: bytes) -> CharCNN:
        arrays = read_arrays(data, "not a char CNN / 不是字符卷积模型")
        try:
            header = json.loads(bytes(arrays["header"]).decode("utf-8"))
            if header.get("format") != FORMAT:
                raise ModelFormatError(f"unsupported model format {header.get('format')!r}")
            widths = tuple(int(w) for w in header["widths"])

            def f32(name: str) -> NDArray[np.float32]:
                return np.asarray(arrays[name], dtype=np.float32)

            return cls(
                str(header["vocabulary"]),
                f32("embedding"),
                widths,
                tuple(f32(f"conv{w}") for w in widths),
                tuple(f32(f"bias{w}") for w in widths),
                f32("out"),
                float(header["out_bias"]),
                int(header.get("max_chars", 256)),
                header.get("meta", {}),
            )
        except ModelFormatError:
            raise
        except (KeyError, ValueError, TypeError, UnicodeDecodeError) as exc:
            raise ModelFormatError(f"char CNN is incomplete / 模型文件不完整: {exc!r}") from None


def batch_ids(
    index: Mapping[str, int], texts: Sequence[str], max_chars: int
) -> list[NDArray[np.int64]]:
    """Each text's character rows (unknown characters: row 1), cut at max_chars."""
    return [
        np.fromiter((index.get(c, UNKNOWN) for c in t[:max_chars]), np.int64, count=-1)
        for t in texts
    ]


class CharCNNMean:
    """The mean P(positive) of several char CNNs, read in one pass when they share a
    vocabulary, widths, filters per width and max_chars (nets trained alike from other
    seeds): their per-character tables side by side, one look-up per character for all."""

    def __init__(self, nets: Sequence[CharCNN]) -> None:
        if not nets:
            raise ModelFormatError("char CNNs: at least one")
        self.nets = tuple(nets)
        first = self.nets[0]
        shape = [b.shape[0] for b in first.conv_bias]
        self._fused = all(
            n.vocabulary == first.vocabulary
            and n.widths == first.widths
            and n.max_chars == first.max_chars
            and [b.shape[0] for b in n.conv_bias] == shape
            for n in self.nets
        )
        if self._fused:
            self._table: NDArray[np.float32] = np.concatenate(
                [n.__dict__["_table"] for n in self.nets], axis=2
            )
            self._bias = np.concatenate([b for n in self.nets for b in n.conv_bias])
            self._out = np.stack([n.out.astype(np.float64) for n in self.nets])
            self._out_bias = np.array([n.out_bias for n in self.nets])
            self._blocks = [
                (w, f) for _ in self.nets for w, f in zip(first.widths, shape, strict=True)
            ]

    def positive(self, text: str) -> float:
        """Mean P(positive) of the nets for a normalised text; 0.5 for the empty text."""
        if not self._fused:
            return sum(n.positive(text) for n in self.nets) / len(self.nets)
        first = self.nets[0]
        ids = first.ids(text)
        if ids.shape[0] == 0:
            return 0.5
        size, widths = ids.shape[0], first.widths
        a = self._table[ids]
        positions = max(size - min(widths) + 1, 1)
        sums = np.zeros((positions, a.shape[2]), np.float32)
        for j in range(max(widths)):
            part = a[j : j + positions, j]
            sums[: part.shape[0]] += part
        sums += self._bias
        pooled = np.empty(a.shape[2], np.float64)
        start = 0
        for w, f in self._blocks:
            n = max(size - w + 1, 1)  # windows that start inside the text
            pooled[start : start + f] = sums[:n, start : start + f].max(axis=0)
            start += f
        hidden = np.maximum(pooled, 0.0).reshape(len(self.nets), -1)
        z = (hidden * self._out).sum(axis=1) + self._out_bias
        return float((1.0 / (1.0 + np.exp(-np.clip(z, -60.0, 60.0)))).mean())
