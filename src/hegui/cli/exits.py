"""Exit codes of `hegui` (docs/cli.md), and how an unexpected error is reported."""

from __future__ import annotations

import os
import sys
import traceback
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    SKIPPED = 1
    """Some input lines were malformed and skipped; the rest was inspected."""
    USAGE = 2
    """Bad option, rule pack, policy, unreadable input or unwritable output."""
    INTERNAL = 3
    """A bug in hegui: message + "please report"; HEGUI_DEBUG=1 adds the traceback."""
    FAIL_ON = 4
    """`--fail-on`: a finding at or above the given severity was found."""
    SIGINT = 130
    OUTPUT_CLOSED = 141
    """The reader of stdout went away (`hegui inspect big.jsonl | head`), as SIGPIPE."""
    SIGTERM = 143


def debug() -> bool:
    return os.environ.get("HEGUI_DEBUG", "") not in ("", "0")


def describe(exc: BaseException) -> str:
    """An unexpected exception as one line; the traceback too when HEGUI_DEBUG=1."""
    text = f"{type(exc).__name__}: {exc}"
    if debug():
        text += "\n" + "".join(traceback.format_exception(exc)).rstrip()
    return text


def report_internal(exc: BaseException) -> int:
    sys.stderr.write(
        f"内部错误 internal error: {describe(exc)}\n"
        "请报告此问题 please report this at the hegui issue tracker"
        + ("" if debug() else " (HEGUI_DEBUG=1 shows the traceback)")
        + "\n"
    )
    return ExitCode.INTERNAL
