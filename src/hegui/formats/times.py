"""Reading a conversation's times: `start`/`end` seconds, `at` and `started_at` instants.

A naive instant (no UTC offset) is read in the zone of the conversation's `started_at` when
that has one, else in UTC+08:00 (China Standard Time, where these conversations happen) —
never in the zone of the machine that runs hegui, so results do not depend on the host.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

from hegui.formats.errors import FormatError

DEFAULT_ZONE = timezone(timedelta(hours=8), "UTC+08:00")


def seconds(value: Any, field: str) -> float | None:
    """Seconds from the start of the conversation: a finite number ≥ 0, or absent."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FormatError(field, f"应为秒数 expected seconds as a number, got {value!r:.40}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise FormatError(field, f"应为有限数 must be a finite number, got {_short(value)}")
    if number < 0:
        raise FormatError(field, f"不能为负 must be ≥ 0, got {number}")
    return number


def instant(value: Any, field: str, zone: tzinfo | None) -> datetime | None:
    """An ISO-8601 timestamp; a naive one is placed in `zone` (default UTC+08:00)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise FormatError(
            field, f"应为 ISO-8601 字符串 expected an ISO-8601 string, got {value!r:.40}"
        )
    try:
        when = datetime.fromisoformat(value)
    except ValueError as exc:
        raise FormatError(field, f"不是 ISO-8601 时间 not ISO-8601: {value!r:.60}") from exc
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone or DEFAULT_ZONE)
    try:
        when.timestamp()  # the engine's clock; years 1 and 9999 can overflow near the edges
    except (OverflowError, ValueError) as exc:
        raise FormatError(field, f"超出范围 out of range: {value!r:.60}") from exc
    return when


def _short(value: int | float) -> str:
    if isinstance(value, float):
        return repr(value)
    return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
