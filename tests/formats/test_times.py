"""The timestamp rule (docs/cli.md): naive `at` in the zone of `started_at`, else UTC+08:00."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

import pytest

from hegui.formats.jsonl import parse_line

CST = timezone(timedelta(hours=8))


def conv_at(at: str, started_at: str | None = None):  # type: ignore[no-untyped-def]
    obj: dict[str, object] = {"id": "c", "utterances": [{"role": "agent", "text": "x", "at": at}]}
    if started_at is not None:
        obj["started_at"] = started_at
    conv = parse_line(json.dumps(obj))
    assert conv is not None
    return conv


@pytest.mark.parametrize(
    ("at", "started_at", "expected"),
    [
        ("2026-11-01T10:00:00", None, datetime(2026, 11, 1, 10, tzinfo=CST)),
        ("2026-11-01T10:00:00", "2026-11-01T09:30:00", datetime(2026, 11, 1, 10, tzinfo=CST)),
        (
            "2026-11-01T10:00:00",
            "2026-11-01T09:30:00Z",
            datetime(2026, 11, 1, 10, tzinfo=UTC),
        ),
        (
            "2026-11-01T10:00:00+09:00",
            "2026-11-01T09:30:00Z",
            datetime(2026, 11, 1, 10, tzinfo=timezone(timedelta(hours=9))),
        ),
        ("2026-11-01 10:00", None, datetime(2026, 11, 1, 10, tzinfo=CST)),
    ],
)
def test_naive_at_is_read_in_the_conversation_zone(
    at: str, started_at: str | None, expected: datetime
) -> None:
    got = conv_at(at, started_at).utterances[0].at
    assert got == expected and got.utcoffset() == expected.utcoffset()


def test_naive_started_at_is_utc_plus_8() -> None:
    conv = conv_at("2026-11-01T10:00:00+00:00", "2026-11-01T09:30:00")
    assert conv.started_at == datetime(2026, 11, 1, 9, 30, tzinfo=CST)


def test_the_host_time_zone_does_not_matter() -> None:
    code = (
        "from hegui.formats.jsonl import parse_line;"
        'c = parse_line(\'{"id": "c", "utterances": [{"role": "agent", "text": "x",'
        ' "at": "2026-11-01T10:00:00"}]}\');'
        "print(c.utterances[0].at.timestamp())"
    )
    stamps = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "TZ": tz},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for tz in ("UTC", "America/New_York", "Asia/Shanghai")
    }
    assert stamps == {str(datetime(2026, 11, 1, 2, tzinfo=UTC).timestamp())}
