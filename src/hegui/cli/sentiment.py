"""`hegui sentiment`: the shipped sentiment model on text lines (stdin → JSON lines).

Each input line gives exactly one output line, written as soon as the line is read:
{"polarity": "negative"|"neutral"|"positive", "negative": P(negative),
 "emotion": top of anger/disgust/fear/sadness/happiness/surprise/neutral, "anger": P(anger)}.
An empty line reads as neutral. A line that is not UTF-8 (or longer than MAX_LINE bytes)
stops the run with a message naming it (exit 2): every line before it has its answer.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, BinaryIO

import typer

from hegui.cli.exits import ExitCode

if TYPE_CHECKING:
    from hegui.engine.sentiment.model import Reading

MAX_LINE = 1 << 20  # bytes; a longer line is refused, so memory stays bounded


def sentiment_command() -> None:
    """情绪识别 Read text lines on stdin; write one JSON object per line:
    {"polarity", "negative", "emotion", "anger"} (docs/cli.md, "hegui sentiment")."""
    from hegui.models.sentiment import sentiment_model

    model = sentiment_model()
    code = stream(model.read, sys.stdin.buffer, sys.stdout.buffer)
    if code != ExitCode.OK:
        raise typer.Exit(code)


def stream(read: Callable[[str], Reading], source: BinaryIO, sink: BinaryIO) -> int:
    """Answer each line of `source` on `sink` as it comes; the exit code."""
    number = 0
    while True:
        raw = source.readline(MAX_LINE + 1)
        if not raw:
            return ExitCode.OK
        number += 1
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            return _refuse(number, f"行过长 line longer than {MAX_LINE} bytes")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            return _refuse(number, f"不是 UTF-8 编码 not valid UTF-8 (byte {exc.start + 1})")
        reading = read(text.rstrip("\r\n"))
        try:
            sink.write(json.dumps(reading.to_dict(), ensure_ascii=False).encode() + b"\n")
            sink.flush()
        except BrokenPipeError:
            _silence_stdout()
            return ExitCode.OUTPUT_CLOSED


def _refuse(number: int, why: str) -> int:
    sys.stderr.write(f"错误 error: 第 {number} 行 line {number}: {why}\n")
    return ExitCode.USAGE


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
