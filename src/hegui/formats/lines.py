"""Split a byte stream into JSON Lines: on b"\\n" only, as data arrives, in bounded memory.

JSON strings may hold raw U+2028, U+0085 or form feeds (valid JSON, and what `hegui mask`
writes), so lines are never split with `str.splitlines`. Bytes are decoded line by line:
invalid UTF-8 spoils one line, not the file.
"""

from __future__ import annotations

import select
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

BOM = b"\xef\xbb\xbf"
BLOCK = 1 << 16
MAX_LINE = 64 << 20
"""Longest line kept (64 MiB, far beyond any transcript): a file without newlines must not
be read whole into memory. A longer line is dropped and reported."""


class ByteSource(Protocol):
    def read(self, size: int = -1, /) -> bytes | None: ...


@dataclass(frozen=True, slots=True)
class RawLine:
    number: int
    data: bytes | None
    """The line without its newline (nor a BOM on line 1); None when longer than MAX_LINE."""
    size: int
    """Bytes this line took in the stream, newline included (for progress by bytes)."""


class LineReader:
    """Iterate a binary stream's lines. Reads unbuffered blocks, so a line written to a pipe
    is yielded as soon as its newline arrives (live `tail -f | hegui inspect -`)."""

    def __init__(self, stream: ByteSource, max_line: int = MAX_LINE) -> None:
        self._stream = _unbuffered(stream)
        self._max_line = max_line
        self._ready: deque[tuple[bytes | None, int]] = deque()
        self._parts: list[bytes] = []
        self._size = 0
        self._eof = False
        self.number = 0

    def __iter__(self) -> Iterator[RawLine]:
        while self._ready or self._fill():
            data, size = self._ready.popleft()
            self.number += 1
            if self.number == 1 and data is not None and data.startswith(BOM):
                data = data[len(BOM) :]
            yield RawLine(self.number, data, size)

    def line_ready(self) -> bool:
        """Whether the next line can be had without waiting for the writer."""
        return bool(self._ready) or self._eof or _readable_now(self._stream)

    def _fill(self) -> bool:
        """Read one block; False once the stream is exhausted and nothing is left."""
        while not self._ready and not self._eof:
            block = _read_block(self._stream)
            if not block:
                self._eof = True
                if self._size:
                    self._finish(0)
                break
            *whole, rest = block.split(b"\n")
            for part in whole:
                self._add(part)
                self._finish(1)
            self._add(rest)
        return bool(self._ready)

    def _add(self, part: bytes) -> None:
        self._size += len(part)
        if self._size <= self._max_line:
            self._parts.append(part)
        else:
            self._parts.clear()

    def _finish(self, newline: int) -> None:
        data = b"".join(self._parts) if self._size <= self._max_line else None
        self._ready.append((data, self._size + newline))
        self._parts = []
        self._size = 0


def _unbuffered(stream: ByteSource) -> ByteSource:
    # A BufferedReader's read(n) waits for n bytes; its raw stream returns what is there.
    raw = getattr(stream, "raw", None)
    return raw if raw is not None else stream


def _read_block(stream: ByteSource) -> bytes:
    while True:
        block = stream.read(BLOCK)
        if block is not None:
            return block
        _wait_readable(stream)  # a non-blocking descriptor (left so by another program)


def _fileno(stream: ByteSource) -> int | None:
    try:
        return int(stream.fileno())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return None


def _readable_now(stream: ByteSource) -> bool:
    fd = _fileno(stream)
    if fd is None:
        return True  # in-memory streams never wait
    try:
        return bool(select.select([fd], [], [], 0)[0])
    except (OSError, ValueError):
        return True


def _wait_readable(stream: ByteSource) -> None:
    fd = _fileno(stream)
    if fd is not None:
        select.select([fd], [], [])
