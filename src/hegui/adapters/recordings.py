"""Where uploaded recordings are kept: a small `RecordingStore` Protocol and its directory
implementation (`HEGUI_AUDIO_DIR`, default `<HEGUI_DATA_DIR>/audio`).

A recording is named by a key the store makes (32 hex digits, random), never by the file
name a user sent; its bytes never change under a key. Files are written aside and renamed
into place (a reader never sees half a recording), owner-only (0600, folders 0700): a
recording is personal information in clear.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

CHUNK = 64 * 1024
KEY = re.compile(r"^[0-9a-f]{32}$")


class StoreError(Exception):
    """The store cannot be written or read (a full disk, a folder it may not create)."""


class RecordingTooLarge(StoreError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"录音过大 recording larger than {limit} bytes")
        self.limit = limit


@dataclass(frozen=True)
class Saved:
    """A recording just written: its key, size in bytes and SHA-256 (hex)."""

    key: str
    size: int
    sha256: str


class RecordingStore(Protocol):
    def put(self, source: BinaryIO, *, max_bytes: int) -> Saved:
        """Copy `source` (from where it stands to its end) under a new key."""
        ...

    def open(self, key: str) -> BinaryIO | None:
        """The recording's bytes, seekable (the caller closes it); None when missing."""
        ...

    def delete(self, key: str) -> None:
        """Remove the recording; a missing one is no error."""
        ...


class DirectoryStore:
    """Recordings as files `<root>/<key[:2]>/<key>`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def put(self, source: BinaryIO, *, max_bytes: int) -> Saved:
        key = secrets.token_hex(16)
        target = self._path(key)
        digest = hashlib.sha256()
        size = 0
        try:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            tmp = target.with_name(f".{key}.part")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                with os.fdopen(fd, "wb") as out:
                    while chunk := source.read(CHUNK):
                        size += len(chunk)
                        if size > max_bytes:
                            raise RecordingTooLarge(max_bytes)
                        digest.update(chunk)
                        out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp, target)
            finally:
                tmp.unlink(missing_ok=True)
        except OSError as exc:
            raise StoreError(f"无法写入录音 cannot write to {self.root}: {exc.strerror}") from exc
        return Saved(key, size, digest.hexdigest())

    def open(self, key: str) -> BinaryIO | None:
        try:
            return self._path(key).open("rb")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"无法读取录音 cannot read from {self.root}: {exc.strerror}") from exc

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as exc:
            message = f"无法删除录音 cannot delete from {self.root}: {exc.strerror}"
            raise StoreError(message) from exc

    def _path(self, key: str) -> Path:
        # Keys come from `put`; checked all the same, so no stored value can name a path.
        if not KEY.fullmatch(key):
            raise ValueError(f"not a recording key: {key!r:.40}")
        return self.root / key[:2] / key
