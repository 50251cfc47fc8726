"""A linear model over hashed features, one calibrated score per class (one-vs-rest).

    margin[c] = bias[c] + sum(weights[b, c] for b in buckets(text)) / sqrt(len(buckets))
    score[c]  = 1 / (1 + exp(-(a[c] * margin[c] + b[c])))        (Platt calibration)

Only buckets that carry a weight are stored (`buckets`, sorted); the weights may be stored
as int8 with one scale per class. `to_bytes` / `from_bytes` use NumPy's .npz format
without pickles, so a model file can be read safely from anywhere.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hegui.engine.textmodel.features import HashedNgrams

FORMAT = "hegui.linear/1"


class ModelFormatError(ValueError):
    """Bytes that are not a usable model; the message says what is wrong."""


def write_arrays(arrays: Mapping[str, NDArray[Any]], compressed: bool = True) -> bytes:
    """Named arrays as .npz bytes (no pickles)."""
    out = io.BytesIO()
    save = np.savez_compressed if compressed else np.savez
    save(out, **arrays)  # type: ignore[arg-type]
    return out.getvalue()


def read_arrays(data: bytes, what: str) -> dict[str, NDArray[Any]]:
    """The named arrays of .npz bytes, read without pickles; `what` names the expected
    file in the error ("not a model file / 不是模型文件")."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ModelFormatError(f"{what}: {exc}") from None


def check_buckets(buckets: NDArray[Any], weights: NDArray[Any], k: int, dims: int) -> None:
    """A bucket table: sorted distinct ids below `dims`, one row of `k` weights each."""
    n = buckets.shape[0]
    if buckets.ndim != 1 or weights.shape != (n, k):
        raise ModelFormatError(f"weights shape {weights.shape} != ({n}, {k})")
    if n and (np.any(np.diff(buckets.astype(np.int64)) <= 0) or int(buckets[-1]) >= dims):
        raise ModelFormatError("buckets must be sorted, distinct and below dims")


@dataclass(frozen=True, eq=False)
class LinearModel:
    classes: tuple[str, ...]
    featurizer: HashedNgrams
    buckets: NDArray[np.uint32]  # sorted bucket ids that carry a weight
    weights: NDArray[np.float32]  # (len(buckets), len(classes))
    bias: NDArray[np.float32]  # (len(classes),)
    calibration: NDArray[np.float32]  # (len(classes), 2): Platt a, b
    meta: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        k = len(self.classes)
        if k == 0 or len(set(self.classes)) != k:
            raise ModelFormatError("a model needs distinct class names / 类别名须唯一且非空")
        check_buckets(self.buckets, self.weights, k, self.featurizer.dims)
        if self.bias.shape != (k,) or self.calibration.shape != (k, 2):
            raise ModelFormatError("bias / calibration do not match the classes")
        for name in ("weights", "bias", "calibration"):
            if not np.all(np.isfinite(getattr(self, name))):
                raise ModelFormatError(f"{name} holds a non-finite number")
        self.buckets.setflags(write=False)
        self.weights.setflags(write=False)
        self.bias.setflags(write=False)
        self.calibration.setflags(write=False)

    def margins(self, text: str) -> NDArray[np.float64]:
        """Uncalibrated margins of a normalised text, one per class."""
        found = self.featurizer.buckets(text)
        out = self.bias.astype(np.float64)
        if not found:
            return out
        row_of = self._rows()
        rows = [r for r in map(row_of.get, found) if r is not None]
        if rows:
            out += self.weights[rows].sum(axis=0, dtype=np.float64) / math.sqrt(len(found))
        return out

    def _rows(self) -> dict[int, int]:
        """bucket → row of `weights` (built on first use; a dict lookup beats a search)."""
        table = self.__dict__.get("_row_of")
        if table is None:
            table = {int(b): i for i, b in enumerate(self.buckets.tolist())}
            object.__setattr__(self, "_row_of", table)  # idempotent: a race builds it twice
        return table

    def calibrate(self, margins: NDArray[np.float64]) -> NDArray[np.float64]:
        z = self.calibration[:, 0] * margins + self.calibration[:, 1]
        return 1.0 / (1.0 + np.exp(-np.clip(z, -60.0, 60.0)))

    def scores(self, text: str) -> dict[str, float]:
        """Calibrated score per class of a normalised text (0..1)."""
        probs = self.calibrate(self.margins(text))
        return {name: float(p) for name, p in zip(self.classes, probs, strict=True)}

    # -- serialisation ---------------------------------------------------------------

    def to_bytes(self, quantise: bool = True) -> bytes:
        """An .npz file (no pickles); with `quantise`, weights as int8 + a scale per class."""
        arrays: dict[str, NDArray[Any]] = {
            "buckets": self.buckets,
            "bias": self.bias,
            "calibration": self.calibration,
        }
        if quantise:
            k = len(self.classes)  # a model with no weighted bucket: (0, k) weights
            peak = np.abs(self.weights).max(axis=0) if self.weights.size else np.zeros(k)
            scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
            arrays["weights_q"] = np.round(self.weights / scale).astype(np.int8)
            arrays["scale"] = scale.reshape(len(self.classes))
        else:
            arrays["weights"] = self.weights
        header = {
            "format": FORMAT,
            "classes": list(self.classes),
            "featurizer": self.featurizer.to_dict(),
            "meta": dict(self.meta),
        }
        arrays["header"] = np.frombuffer(json.dumps(header, ensure_ascii=False).encode(), np.uint8)
        return write_arrays(arrays)

    @classmethod
    def from_bytes(cls, data: bytes) -> LinearModel:
        arrays = read_arrays(data, "not a model file / 不是模型文件")
        try:
            header = json.loads(bytes(arrays.pop("header")).decode("utf-8"))
            if header.get("format") != FORMAT:
                raise ModelFormatError(f"unsupported model format {header.get('format')!r}")
            classes = tuple(str(c) for c in header["classes"])
            featurizer = HashedNgrams.from_dict(header["featurizer"])
            if "weights_q" in arrays:
                scale = arrays["scale"].astype(np.float32)
                weights = arrays["weights_q"].astype(np.float32) * scale
            else:
                weights = arrays["weights"].astype(np.float32)
            return cls(
                classes=classes,
                featurizer=featurizer,
                buckets=arrays["buckets"].astype(np.uint32),
                weights=weights,
                bias=arrays["bias"].astype(np.float32),
                calibration=arrays["calibration"].astype(np.float32),
                meta=dict(header.get("meta", {})),
            )
        except ModelFormatError:
            raise
        except (KeyError, ValueError, TypeError, UnicodeDecodeError) as exc:
            raise ModelFormatError(f"model file is incomplete / 模型文件不完整: {exc!r}") from None

    @classmethod
    def from_arrays(
        cls,
        classes: Sequence[str],
        featurizer: HashedNgrams,
        dense_weights: NDArray[Any],
        bias: NDArray[Any],
        calibration: NDArray[Any],
        meta: Mapping[str, Any] | None = None,
        prune: float = 0.0,
    ) -> LinearModel:
        """From a dense (dims, classes) weight matrix; buckets whose weights are all within
        `prune` of zero are dropped."""
        dense = np.asarray(dense_weights, dtype=np.float32)
        keep = np.flatnonzero(np.abs(dense).max(axis=1) > prune).astype(np.uint32)
        return cls(
            classes=tuple(classes),
            featurizer=featurizer,
            buckets=keep,
            weights=np.ascontiguousarray(dense[keep]),
            bias=np.asarray(bias, dtype=np.float32),
            calibration=np.asarray(calibration, dtype=np.float32),
            meta=dict(meta or {}),
        )
