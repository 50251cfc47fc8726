"""Where `hegui inspect` reads and writes: inputs checked and the output opened before any
input is read; each conversation's findings written whole (one write, then flush)."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from rich.console import Console

from hegui.cli.inspect_table import Row, render
from hegui.cli.interrupt import Signals


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


class UsageError(Exception):
    """A mistake in how hegui was called (exit code 2); the message is for the user."""


class OutputFailed(UsageError):
    """The output could not be written (a full disk)."""


class OutputClosed(Exception):
    """The reader of our output went away (a closed pipe)."""


@dataclass(frozen=True)
class Inputs:
    names: tuple[str, ...]

    @classmethod
    def check(cls, names: list[str]) -> Inputs:
        """Every input exists and can be opened, before anything is read or written."""
        if names.count("-") > 1:
            raise UsageError("标准输入只能给一次 '-' (stdin) may be given only once")
        problems = [p for p in map(_unreadable, names) if p]
        if problems:
            raise UsageError("\n".join(problems))
        return cls(tuple(names))

    def regular_bytes(self) -> int | None:
        """Total size when every input is a regular file (progress by bytes), else None."""
        total = 0
        for name in self.names:
            if name == "-" or not Path(name).is_file():
                return None
            total += Path(name).stat().st_size
        return total

    @contextmanager
    def open(self, name: str) -> Iterator[BinaryIO]:
        if name == "-":
            yield sys.stdin.buffer
            return
        with open(name, "rb", buffering=0) as stream:
            yield stream


def _unreadable(name: str) -> str | None:
    if name == "-":
        return (
            None
            if sys.stdin is not None
            else "无法读取 cannot read -: 标准输入已关闭 stdin is closed"
        )
    try:
        if Path(name).is_dir():
            return f"无法读取 cannot read {name}: 是目录 is a directory"
        with open(name, "rb"):
            return None
    except OSError as exc:
        return f"无法读取 cannot read {name}: {exc.strerror or exc}"


def open_output(out: Path | None, inputs: Inputs) -> BinaryIO:
    """The output stream: --out (created or truncated now, so a bad path fails before any
    input is read) or stdout."""
    if out is None:
        if sys.stdout is None:
            raise UsageError("无法写入 cannot write: 标准输出已关闭 stdout is closed; use --out")
        return sys.stdout.buffer
    for name in inputs.names:
        if name != "-" and out.exists() and _same_file(out, Path(name)):
            raise UsageError(f"--out 与输入相同 --out {out} is also an input; it would be erased")
    if out.is_dir():
        raise UsageError(f"无法写入 cannot write --out {out}: 是目录 is a directory")
    try:
        return open(out, "wb")
    except OSError as exc:
        raise UsageError(f"无法写入 cannot write --out {out}: {exc.strerror or exc}") from exc


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


class Sink:
    """Writes each conversation's findings in one write + flush, with SIGINT/SIGTERM held
    back meanwhile: an interrupted run leaves whole conversations only."""

    def __init__(self, stream: BinaryIO, signals: Signals) -> None:
        self.stream = stream
        self._signals = signals

    def write(self, data: bytes) -> None:
        if data:
            with self._writing():
                self.stream.write(data)
                self.stream.flush()

    def draw(self, draw: Callable[[Console], None]) -> None:
        """Draw rich output on the stream (colours only on a terminal), then let go of it."""
        with self._writing():
            self.stream.flush()
            text = io.TextIOWrapper(self.stream, "utf-8", "backslashreplace", newline="\n")
            try:
                draw(Console(file=text, highlight=False))
            finally:
                text.detach()  # flushes; closing the wrapper would close our stream

    def abandon(self) -> None:
        """Give up on stdout: what it still buffers must not block the exit."""
        if self.stream is sys.stdout.buffer:
            _silence_stdout()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        with self._signals.held():
            try:
                yield
            except BrokenPipeError as exc:
                _silence_stdout()
                raise OutputClosed from exc
            except OSError as exc:
                raise OutputFailed(
                    f"写入失败 cannot write the output: {exc.strerror or exc}"
                ) from exc


def _silence_stdout() -> None:
    """After a closed pipe, Python's own flush at exit would fail again, noisily."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


class Output:
    """jsonl: findings as they come. json: an array, written incrementally."""

    def __init__(self, sink: Sink, output_format: OutputFormat) -> None:
        self.sink = sink
        self.format = output_format
        self._count = 0
        self._rows: list[Row] = []
        self._finished = False

    def start(self) -> None:
        if self.format is OutputFormat.json:
            self.sink.write(b"[")

    def add(self, payload: bytes | tuple[Row, ...]) -> None:
        if isinstance(payload, tuple):
            self._rows.extend(payload)  # a table needs every row to size its columns
        elif payload and self.format is OutputFormat.json:
            self.sink.write((b",\n" if self._count else b"\n") + payload)
        else:
            self.sink.write(payload)
        self._count += 1 if payload else 0

    def finish(self) -> None:
        """End the output (once, even if interrupted while ending it)."""
        if self._finished:
            return
        self._finished = True
        if self.format is OutputFormat.json:
            self.sink.write(b"\n]\n" if self._count else b"]\n")
        elif self.format is OutputFormat.table:
            self.sink.draw(lambda console: render(self._rows, console))
