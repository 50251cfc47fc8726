"""Splitting JSONL bytes into lines: on b"\\n" only, whatever the reads look like."""

from __future__ import annotations

import io
import json

from hypothesis import given
from hypothesis import strategies as st

from hegui.formats.lines import LineReader


class Trickle(io.RawIOBase):
    """A pipe that hands out a few bytes per read, as a slow writer would."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data = data
        self._step = step

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        piece, self._data = self._data[: self._step], self._data[self._step :]
        return piece


def lines_of(data: bytes, step: int = 1 << 16, max_line: int = 1 << 20) -> list[bytes | None]:
    return [raw.data for raw in LineReader(Trickle(data, step), max_line=max_line)]


@given(st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\n", b""))), st.integers(1, 50))
def test_lines_are_split_on_newline_only_however_the_bytes_arrive(
    parts: list[bytes], step: int
) -> None:
    data = b"\n".join(parts)
    expected: list[bytes | None] = list(data.split(b"\n"))
    if expected[-1] == b"":  # a final newline ends the last line; it does not start one
        expected.pop()
    if parts and parts[0].startswith(b"\xef\xbb\xbf"):
        expected[0] = parts[0][3:]
    assert lines_of(data, step) == expected


def test_unicode_line_separators_inside_json_strings_do_not_split_a_line() -> None:
    text = json.dumps({"id": "a", "t": "一\u2028二\u2029三\x85四\x0c五\r六"}, ensure_ascii=False)
    data = (text + "\n" + text + "\r\n").encode("utf-8")
    got = lines_of(data, step=3)
    assert len(got) == 2
    assert json.loads(got[0] or b"")["t"] == "一\u2028二\u2029三\x85四\x0c五\r六"
    assert got[1] == text.encode("utf-8") + b"\r"  # JSON whitespace: json.loads accepts it


def test_bom_is_dropped_on_the_first_line_only() -> None:
    assert lines_of(b"\xef\xbb\xbf{}\n\xef\xbb\xbf{}\n") == [b"{}", b"\xef\xbb\xbf{}"]


def test_a_line_longer_than_the_limit_is_dropped_and_the_next_one_read() -> None:
    got = lines_of(b"x" * 100 + b"\nok\n" + b"y" * 30, step=7, max_line=20)
    assert got == [None, b"ok", None]


def test_sizes_add_up_to_the_bytes_read() -> None:
    data = b'{"a": 1}\n\n\xef\xbb\xbf{}\nlast'
    reader = LineReader(Trickle(data, 4))
    assert sum(raw.size for raw in reader) == len(data)
    assert reader.number == 4
