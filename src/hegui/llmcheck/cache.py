"""Answers already drawn, keyed by (rule id, rule version, conversation content hash, model):
the same conversation asked the same question of the same model costs nothing twice."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from hegui.llmcheck.prompt import Answer, Turn


def content_hash(turns: Sequence[Turn], channel: str) -> str:
    """SHA-256 of the conversation exactly as the model is shown it."""
    data = json.dumps([channel, [[t.role, t.text] for t in turns]], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def cache_key(rule_id: str, version: int, content: str, model: str) -> str:
    data = json.dumps([rule_id, version, content, model], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


class AnswerCache(Protocol):
    def get(self, key: str) -> tuple[Answer, ...] | None: ...

    def put(self, key: str, answers: Sequence[Answer]) -> None: ...


class MemoryCache:
    """In memory, least recently used dropped first; thread-safe."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._items: OrderedDict[str, tuple[Answer, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[Answer, ...] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: str, answers: Sequence[Answer]) -> None:
        with self._lock:
            self._items[key] = tuple(answers)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class DirectoryCache:
    """One small JSON file per key in a folder, kept across runs; written aside and renamed
    into place, so concurrent runs and a crash never leave half a file. A file that does
    not read back is a miss."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ValueError(
                f"无法创建缓存目录 cannot create the LLM cache folder {folder}: {exc}"
            ) from exc
        self._memory = MemoryCache(1000)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> tuple[Answer, ...] | None:
        found = self._memory.get(key)
        if found is not None:
            return found
        try:
            data = json.loads(self._path(key).read_text("utf-8"))
            answers = tuple(Answer.from_json(item) for item in data)
        except (OSError, ValueError, TypeError):
            return None
        self._memory.put(key, answers)
        return answers

    def put(self, key: str, answers: Sequence[Answer]) -> None:
        self._memory.put(key, answers)
        path = self._path(key)
        tmp = path.with_name(f".{key}.{os.getpid()}.{secrets.token_hex(4)}")
        try:
            path.parent.mkdir(exist_ok=True)
            tmp.write_text(json.dumps([a.to_json() for a in answers], ensure_ascii=False), "utf-8")
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)  # a cache that cannot write only costs tokens later
