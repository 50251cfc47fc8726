"""FunASR (Paraformer) from a local model directory; `funasr` is imported only when used
(`pip install 'hegui[asr-funasr]'`)."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from hegui.adapters.asr.protocol import (
    Recognised,
    Samples,
    missing_package,
    model_directory,
)

RATE = 16_000
# Paraformer spaces its tokens ("欢 迎 您"): drop the spaces between CJK characters.
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff\uff00-\uffef，。？！、])\s+(?=[\u3400-\u9fff])")


class FunAsrTranscriber:
    def __init__(self, model: str | Path, *, device: str = "cpu", field: str = "model") -> None:
        directory = model_directory(model, field)
        try:
            from funasr import AutoModel
        except ImportError as exc:
            raise missing_package(field, "funasr", "asr-funasr") from exc
        # disable_update: never ask the network for a newer version of anything.
        self._model: Any = AutoModel(
            model=str(directory), device=device, disable_update=True, disable_pbar=True
        )
        self._lock = threading.Lock()  # one inference at a time per loaded model

    def transcribe(self, samples: Samples, *, channel: int) -> list[Recognised]:
        with self._lock:
            results = self._model.generate(input=samples, disable_pbar=True)
        seconds = samples.size / RATE
        return [r for r in (_recognised(item, seconds) for item in results or []) if r]


def _recognised(item: dict[str, Any], seconds: float) -> Recognised | None:
    text = _CJK_SPACE.sub("", str(item.get("text", ""))).strip()
    if not text:
        return None
    stamps = item.get("timestamp") or []
    if stamps and isinstance(stamps[0], list | tuple) and len(stamps[0]) == 2:
        start, end = stamps[0][0] / 1000, stamps[-1][1] / 1000
        return Recognised(max(0.0, start), min(seconds, max(start, end)), text)
    return Recognised(0.0, seconds, text)
