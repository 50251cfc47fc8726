"""HTTP byte ranges (RFC 9110 §14): what a `Range` header asks of a body of known size, and
the response that answers it from a seekable stream (206 with `Content-Range`, 200 for the
whole body, 416 when nothing asked for exists).

Browsers seek in `<audio>` with `Range: bytes=N-`. One range per request: a header asking
for several, or one that cannot be parsed, is ignored and the whole body sent, as the RFC
allows. Bodies served here never change under their URL's key, so `If-Range` needs no check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from starlette.responses import Response, StreamingResponse

CHUNK = 64 * 1024
SPEC = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class ByteRange:
    first: int  # inclusive
    last: int  # inclusive

    @property
    def length(self) -> int:
        return self.last - self.first + 1


class Unsatisfiable(Exception):
    """The range starts past the end (416)."""


def requested(header: str | None, size: int) -> ByteRange | None:
    """The range `header` asks for within `size` bytes; None for the whole body.

    `Unsatisfiable` when it is well formed but lies wholly past the end."""
    if header is None or "," in header:
        return None
    match = SPEC.match(header)
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first_text, last_text = match.groups()
    if first_text == "":  # bytes=-N: the last N bytes
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return ByteRange(max(0, size - suffix), size - 1)
    first = int(first_text)
    if last_text and int(last_text) < first:
        return None  # not a valid range: ignored
    if first >= size:
        raise Unsatisfiable
    last = int(last_text) if last_text else size - 1
    return ByteRange(first, min(last, size - 1))


def ranged_response(
    stream: BinaryIO,
    size: int,
    header: str | None,
    media_type: str,
    headers: dict[str, str],
) -> Response:
    """The body of `stream` (closed once sent), whole or the range `header` asks for."""
    try:
        wanted = requested(header, size)
    except Unsatisfiable:
        stream.close()
        return Response(
            content=f'{{"detail":"请求范围无效 range not satisfiable: the body has {size} bytes"}}',
            status_code=416,
            media_type="application/json",
            headers={**headers, "Content-Range": f"bytes */{size}"},
        )
    span = wanted or ByteRange(0, size - 1)
    out = {**headers, "Accept-Ranges": "bytes", "Content-Length": str(max(span.length, 0))}
    if wanted is not None:
        out["Content-Range"] = f"bytes {span.first}-{span.last}/{size}"
    return StreamingResponse(
        _read(stream, span),
        status_code=206 if wanted is not None else 200,
        media_type=media_type,
        headers=out,
    )


def _read(stream: BinaryIO, span: ByteRange) -> Iterator[bytes]:
    try:
        stream.seek(span.first)
        left = span.length
        while left > 0:
            chunk = stream.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        stream.close()
