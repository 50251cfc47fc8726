"""Which transcriber a name means (`--asr`, `HEGUI_ASR`), and one loaded model per process
for the server (loading a model takes seconds and memory)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from hegui.adapters.asr.fake import FakeTranscriber
from hegui.adapters.asr.protocol import Transcriber
from hegui.errors import Invalid

KINDS = ("none", "fake", "funasr", "faster-whisper")
"""none: no text, the skeleton alone (timing rules still apply); fake: a script file."""


def make_transcriber(
    kind: str, model: str | Path | None, *, roles: Sequence[str], field: str = "model"
) -> Transcriber | None:
    if kind == "none":
        return None
    if kind == "fake":
        return FakeTranscriber.from_file(model, roles, field)
    if kind == "funasr":
        from hegui.adapters.asr.funasr import FunAsrTranscriber

        return FunAsrTranscriber(model or "", field=field)
    if kind == "faster-whisper":
        from hegui.adapters.asr.whisper import WhisperTranscriber

        return WhisperTranscriber(model or "", field=field)
    raise Invalid(field, f"未知识别引擎 unknown ASR {kind!r}; one of {KINDS}")


_loaded: dict[tuple[str, str], Transcriber | None] = {}
_lock = threading.Lock()


def shared_transcriber(
    kind: str, model: str | Path | None, *, roles: Sequence[str], field: str
) -> Transcriber | None:
    """One transcriber per (kind, model) for the process; loaded once, under a lock.
    The fake is never shared: its script is consumed as it goes."""
    if kind == "fake":
        return make_transcriber(kind, model, roles=roles, field=field)
    key = (kind, str(model or ""))
    with _lock:
        if key not in _loaded:
            _loaded[key] = make_transcriber(kind, model, roles=roles, field=field)
        return _loaded[key]
