"""`Range` headers read as RFC 9110 says: one range within the body, the rest ignored
(whole body), a range wholly past the end unsatisfiable."""

from __future__ import annotations

import pytest

from hegui.api.ranges import ByteRange, Unsatisfiable, requested

SIZE = 1000


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-", ByteRange(0, 999)),
        ("bytes=0-0", ByteRange(0, 0)),
        ("bytes=10-19", ByteRange(10, 19)),
        ("bytes=990-5000", ByteRange(990, 999)),
        ("bytes=999-", ByteRange(999, 999)),
        ("bytes=-1", ByteRange(999, 999)),
        ("bytes=-5000", ByteRange(0, 999)),
        (" BYTES = 5 - 9 ", ByteRange(5, 9)),
        ("bytes=9-5", None),  # not a valid range: ignored
        ("bytes=0-1,4-5", None),  # several ranges: the whole body
        ("bytes=-", None),
        ("bytes=a-b", None),
        ("seconds=1-2", None),
        ("", None),
    ],
)
def test_ranges(header: str | None, expected: ByteRange | None) -> None:
    assert requested(header, SIZE) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0"])
def test_past_the_end_is_unsatisfiable(header: str) -> None:
    with pytest.raises(Unsatisfiable):
        requested(header, SIZE)


def test_an_empty_body_satisfies_no_range() -> None:
    with pytest.raises(Unsatisfiable):
        requested("bytes=0-", 0)
    with pytest.raises(Unsatisfiable):
        requested("bytes=-5", 0)
    assert requested(None, 0) is None
