"""faster-whisper (CTranslate2) from a local model directory; `faster_whisper` is imported
only when used (`pip install 'hegui[asr-whisper]'`)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from hegui.adapters.asr.protocol import (
    Recognised,
    Samples,
    missing_package,
    model_directory,
)


class WhisperTranscriber:
    def __init__(
        self,
        model: str | Path,
        *,
        language: str = "zh",
        device: str = "cpu",
        compute_type: str = "int8",
        field: str = "model",
    ) -> None:
        directory = model_directory(model, field)
        try:
            from faster_whisper import WhisperModel
        except ImportError as exc:
            raise missing_package(field, "faster-whisper", "asr-whisper") from exc
        self._model: Any = WhisperModel(
            str(directory), device=device, compute_type=compute_type, local_files_only=True
        )
        self._language = language
        self._lock = threading.Lock()

    def transcribe(self, samples: Samples, *, channel: int) -> list[Recognised]:
        with self._lock:
            segments, _info = self._model.transcribe(
                samples,
                language=self._language,
                beam_size=5,
                vad_filter=False,  # our VAD already cut the speech out
                condition_on_previous_text=False,
            )
            found = [
                Recognised(float(s.start), float(s.end), s.text.strip())
                for s in segments  # a generator: decoding happens while iterating
            ]
        return [r for r in found if r.text]
