"""The generic webhook: the notice as JSON, optionally signed with HMAC-SHA256.

Body (api.md contract, plus fields of our own): `{"event": "case.created", "id": <the
idempotency key>, "severity", "title", "text", "case": {...}}`; the payload sits under the
notice's resource name (`case` for `case.*` events, `digest` for `digest`).

With a secret the request carries `X-Hegui-Timestamp: <unix seconds>` and
`X-Hegui-Signature: sha256=<hex>`, the HMAC-SHA256 under the secret of
`<timestamp>.<raw body>`. The timestamp is inside the signed bytes so that a captured
request cannot be replayed later under a fresh timestamp; receivers reject timestamps more
than five minutes away from their clock (`verify_signature`).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any, Unpack

from hegui.adapters.notify.base import Delivery, Notice
from hegui.adapters.notify.transport import HttpNotifier, HttpOptions, accept_2xx, encode_json

SIGNATURE_HEADER = "X-Hegui-Signature"
TIMESTAMP_HEADER = "X-Hegui-Timestamp"
EVENT_HEADER = "X-Hegui-Event"
SIGNATURE_TOLERANCE_S = 300


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The `X-Hegui-Signature` value for a body sent at `timestamp`."""
    signed = timestamp.encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def verify_signature(
    secret: str,
    timestamp: str,
    body: bytes,
    header: str,
    *,
    now: float,
    tolerance: float = SIGNATURE_TOLERANCE_S,
) -> bool:
    """What a receiver does: recompute, compare in constant time, check the timestamp's age."""
    try:
        age = abs(now - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance and hmac.compare_digest(signature(secret, timestamp, body), header)


class WebhookNotifier(HttpNotifier):
    kind = "webhook"

    def __init__(
        self,
        target: str,
        *,
        secret: str | None = None,
        **http: Unpack[HttpOptions],
    ) -> None:
        super().__init__(target, **http)
        self._secret = secret

    def body(self, message: Notice) -> dict[str, Any]:
        return {
            "event": message.event,
            "id": message.idempotency_key,
            "severity": message.severity,
            "title": message.title,
            "text": message.text,
            message.resource: dict(message.payload),
        }

    def send(self, message: Notice) -> Delivery:
        raw = encode_json(self.body(message))
        headers = {EVENT_HEADER: message.event}
        if self._secret:
            timestamp = str(int(self._clock()))
            headers[TIMESTAMP_HEADER] = timestamp
            headers[SIGNATURE_HEADER] = signature(self._secret, timestamp, raw)
        return self._poster.post(self._target, raw, headers=headers, check=accept_2xx)
