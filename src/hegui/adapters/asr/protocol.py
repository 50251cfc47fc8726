"""The speech recognition Protocol: 16 kHz mono samples of one channel in, text with times
out. Every adapter takes a LOCAL model directory; none downloads anything."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from hegui.errors import Invalid

Samples = npt.NDArray[np.float32]
"""Mono, 16 kHz, float32 in [-1, 1]."""


@dataclass(frozen=True)
class Recognised:
    """Text heard in the samples given, `start`/`end` in seconds from their first sample."""

    start: float
    end: float
    text: str


class Transcriber(Protocol):
    def transcribe(self, samples: Samples, *, channel: int) -> list[Recognised]:
        """What is said in `samples` (one stretch of speech of channel `channel`)."""
        ...


class AsrUnavailable(Invalid):
    """The adapter's package is not installed, or its model directory is unusable."""


def model_directory(model: str | Path | None, field: str) -> Path:
    """`model` as an existing directory, else `AsrUnavailable` naming `field`."""
    if model is None or str(model).strip() == "":
        raise AsrUnavailable(field, "缺少模型目录 a local model directory is required")
    path = Path(model).expanduser()
    if not path.is_dir():
        raise AsrUnavailable(field, f"模型目录不存在 {path} is not a directory")
    return path


def missing_package(field: str, package: str, extra: str) -> AsrUnavailable:
    return AsrUnavailable(
        field,
        f"未安装 {package} is not installed: pip install 'hegui[{extra}]' "
        "(the model itself is a local directory, never downloaded)",
    )
