from __future__ import annotations

import time

import pytest

from hegui.adapters.notify import Notice, WebhookNotifier, verify_signature
from hegui.adapters.notify.webhook import signature

from .conftest import CASE, TEXT, make_notice
from .servers import LocalServer, Reply, hegui_receiver

SECRET = "whsec-测试-0123"


def test_body_follows_the_api_contract(notice: Notice) -> None:
    with LocalServer(hegui_receiver(None)) as server, WebhookNotifier(server.url("/hook")) as hook:
        delivery = hook.send(notice)
    assert delivery.ok and delivery.code == 200 and delivery.attempts == 1
    (request,) = server.received
    assert request.path == "/hook"
    assert request.json() == {
        "event": "case.created",
        "id": "case-42:created",
        "severity": "high",
        "title": "承诺保本收益 Promised guaranteed returns",
        "text": TEXT,
        "case": CASE,
    }
    assert request.headers["X-Hegui-Event"] == "case.created"
    assert "X-Hegui-Signature" not in request.headers
    assert "保本".encode() in request.body  # UTF-8 on the wire, not \\u escapes


def test_signed_request_verifies_at_the_receiver(notice: Notice) -> None:
    with (
        LocalServer(hegui_receiver(SECRET)) as server,
        WebhookNotifier(server.url("/hook"), secret=SECRET) as hook,
    ):
        delivery = hook.send(notice)
    assert delivery.ok, delivery.error
    (request,) = server.received
    timestamp = request.headers["X-Hegui-Timestamp"]
    assert abs(int(timestamp) - time.time()) < 60
    assert verify_signature(
        SECRET, timestamp, request.body, request.headers["X-Hegui-Signature"], now=time.time()
    )


def test_wrong_secret_is_refused_and_not_retried(notice: Notice) -> None:
    with (
        LocalServer(hegui_receiver(SECRET)) as server,
        WebhookNotifier(server.url("/hook"), secret="another") as hook,
    ):
        delivery = hook.send(notice)
    assert delivery.status == "failed" and delivery.code == 401
    assert not delivery.retryable and "bad signature" in delivery.response


def test_digest_payload_sits_under_its_own_name() -> None:
    digest = make_notice(event="digest", idempotency_key="digest:2024-06-11", payload={"open": 3})
    with LocalServer(hegui_receiver(None)) as server, WebhookNotifier(server.url("/")) as hook:
        assert hook.send(digest).ok
    body = server.received[0].json()
    assert body["event"] == "digest" and body["digest"] == {"open": 3} and "case" not in body


@pytest.mark.parametrize(
    ("change", "valid"),
    [
        ({}, True),
        ({"body": b'{"event":"case.created"}'}, False),
        ({"secret": "other"}, False),
        ({"now": 1_700_000_000 + 301}, False),
        ({"now": 1_700_000_000 - 301}, False),
        ({"timestamp": "abc"}, False),
    ],
)
def test_verify_signature(change: dict[str, object], valid: bool) -> None:
    body = b'{"event":"case.created","id":"k"}'
    header = signature(SECRET, "1700000000", body)
    args: dict[str, object] = {
        "secret": SECRET, "timestamp": "1700000000", "body": body, "now": 1_700_000_000,
    } | change  # fmt: skip
    assert verify_signature(header=header, **args) is valid  # type: ignore[arg-type]


def test_timestamp_comes_from_the_injected_clock(notice: Notice) -> None:
    with (
        LocalServer(lambda r: Reply()) as server,
        WebhookNotifier(server.url("/"), secret=SECRET, clock=lambda: 1_700_000_000.9) as hook,
    ):
        hook.send(notice)
    assert server.received[0].headers["X-Hegui-Timestamp"] == "1700000000"


def test_repr_hides_path_and_query() -> None:
    hook = WebhookNotifier("https://hooks.example.cn/secret-path?token=abc")
    try:
        assert repr(hook) == "WebhookNotifier(https://hooks.example.cn)"
    finally:
        hook.close()
