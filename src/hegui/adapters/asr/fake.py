"""A scripted transcriber for tests and demos: each stretch of speech gets the next line of
its channel's script (or of the one shared script), spanning the whole stretch."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from pathlib import Path

from hegui.adapters.asr.protocol import AsrUnavailable, Recognised, Samples

RATE = 16_000


class FakeTranscriber:
    """`script`: a list of texts used in call order by every channel, or a mapping from a
    channel index to its own list. Past the script's end, speech gets empty text."""

    def __init__(self, script: Sequence[str] | Mapping[int, Sequence[str]] = ()) -> None:
        self._lock = threading.Lock()
        self._shared: deque[str] = deque()
        self._by_channel: dict[int, deque[str]] = {}
        if isinstance(script, Mapping):
            self._by_channel = {int(k): deque(v) for k, v in script.items()}
        else:
            self._shared = deque(script)
        self.calls: list[tuple[int, float]] = []  # (channel, seconds), for tests

    def transcribe(self, samples: Samples, *, channel: int) -> list[Recognised]:
        seconds = samples.size / RATE
        with self._lock:
            self.calls.append((channel, seconds))
            queue = self._by_channel.get(channel, self._shared)
            text = queue.popleft() if queue else ""
        return [Recognised(0.0, seconds, text)] if text else []

    @classmethod
    def from_file(
        cls, path: str | Path | None, roles: Sequence[str], field: str = "model"
    ) -> FakeTranscriber:
        """A script file (JSON): a list of texts, or an object keyed by role ("agent") or
        channel index ("0"); no file: every stretch of speech gets empty text."""
        if path is None or str(path) == "":
            return cls()
        try:
            data = json.loads(Path(path).read_text("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise AsrUnavailable(field, f"脚本无法读取 cannot read script {path}: {exc}") from exc
        if isinstance(data, list) and all(isinstance(t, str) for t in data):
            return cls(data)
        if isinstance(data, dict):
            script: dict[int, list[str]] = {}
            for key, texts in data.items():
                index = roles.index(key) if key in roles else _channel(key, field, path)
                if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
                    raise AsrUnavailable(field, f"{path}: {key!r} 应为字符串数组 must list texts")
                script[index] = texts
            return cls(script)
        raise AsrUnavailable(field, f"{path}: 应为数组或对象 expected a list or an object")


def _channel(key: str, field: str, path: str | Path) -> int:
    if key in ("0", "1"):
        return int(key)
    raise AsrUnavailable(field, f"{path}: 未知声道 unknown channel {key!r}: a role or 0/1")
