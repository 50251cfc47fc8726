"""Retries, backoff and once-only dispatch, against real local servers."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from hegui.adapters.notify import (
    Delivery,
    DeliveryRecord,
    Dispatcher,
    FakeNotifier,
    InMemoryDeliveryLog,
    Notice,
    RetryPolicy,
    WebhookNotifier,
    WeComNotifier,
    send_with_retry,
)

from .conftest import make_notice
from .servers import LocalServer, Reply, hegui_receiver, wecom_robot


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def test_500_twice_then_200(notice: Notice) -> None:
    sleeps = Sleeps()
    with LocalServer(hegui_receiver(None)) as server, WebhookNotifier(server.url("/")) as hook:
        server.script(Reply(500, "oops"), Reply(503, "busy"))
        delivery = send_with_retry(hook, notice, sleep=sleeps)
    assert delivery.ok and delivery.attempts == 3 and delivery.code == 200
    assert sleeps == [1.0, 2.0]
    assert len(server.received) == 3
    assert len({r.body for r in server.received}) == 1  # the same body every time


def test_400_is_not_retried(notice: Notice) -> None:
    sleeps = Sleeps()
    with (
        LocalServer(lambda r: Reply(400, {"detail": "bad"})) as server,
        WebhookNotifier(server.url("/")) as hook,
    ):
        delivery = send_with_retry(hook, notice, sleep=sleeps)
    assert delivery.status == "failed" and delivery.attempts == 1 and delivery.code == 400
    assert sleeps == [] and len(server.received) == 1
    assert delivery.error == "对方拒绝了请求 request rejected: HTTP 400"


def test_gives_up_after_max_attempts(notice: Notice) -> None:
    sleeps = Sleeps()
    policy = RetryPolicy(max_attempts=5, base_delay=0.5, factor=3, max_delay=5)
    with (
        LocalServer(lambda r: Reply(502, "bad gateway")) as server,
        WebhookNotifier(server.url("/")) as hook,
    ):
        delivery = send_with_retry(hook, notice, policy, sleep=sleeps)
    assert delivery.status == "failed" and delivery.retryable and delivery.attempts == 5
    assert sleeps == [0.5, 1.5, 4.5, 5.0]
    assert delivery.response == "bad gateway"


def test_429_honours_retry_after(notice: Notice) -> None:
    sleeps = Sleeps()
    with LocalServer(hegui_receiver(None)) as server, WebhookNotifier(server.url("/")) as hook:
        server.script(Reply(429, "slow down", headers={"Retry-After": "7"}))
        delivery = send_with_retry(hook, notice, sleep=sleeps)
    assert delivery.ok and delivery.attempts == 2 and sleeps == [7.0]


def test_vendor_rate_limit_is_retried(notice: Notice) -> None:
    sleeps = Sleeps()
    key = "k1"
    with (
        LocalServer(wecom_robot(key)) as robot,
        WeComNotifier(robot.url(f"/cgi-bin/webhook/send?key={key}")) as wecom,
    ):
        robot.script(Reply(body={"errcode": 45009, "errmsg": "api freq out of limit"}))
        delivery = send_with_retry(wecom, notice, sleep=sleeps)
    assert delivery.ok and delivery.attempts == 2


def test_timeout_is_reported_and_retried(notice: Notice) -> None:
    sleeps = Sleeps()
    with (
        LocalServer(hegui_receiver(None)) as server,
        WebhookNotifier(server.url("/"), timeout=0.2) as hook,
    ):
        server.script(Reply(200, {}, delay=1.0))
        delivery = send_with_retry(hook, notice, sleep=sleeps)
    assert delivery.ok and delivery.attempts == 2 and sleeps == [1.0]


def test_timeout_alone(notice: Notice) -> None:
    with (
        LocalServer(lambda r: Reply(delay=1.0)) as server,
        WebhookNotifier(server.url("/"), timeout=0.2) as hook,
    ):
        delivery = hook.send(notice)
    assert delivery.status == "failed" and delivery.retryable and delivery.code is None
    assert (delivery.error or "").startswith("请求超时 timed out after 0.2s")


def test_connection_refused_is_retryable(notice: Notice) -> None:
    with LocalServer(lambda r: Reply()) as server:
        url = server.url("/")
    with WebhookNotifier(url) as hook:  # the server is gone: nothing listens on the port
        delivery = hook.send(notice)
    assert delivery.status == "failed" and delivery.retryable
    assert (delivery.error or "").startswith("网络错误 network error")


@pytest.mark.parametrize("shared", [False, True])
def test_redirect_is_not_followed(notice: Notice, shared: bool) -> None:
    """Not even through a shared client that follows redirects itself."""
    moved = Reply(302, "", headers={"Location": "/elsewhere"})
    with (
        LocalServer(lambda r: moved) as server,
        httpx.Client(follow_redirects=True) as client,
        WebhookNotifier(server.url("/"), client=client if shared else None) as hook,
    ):
        delivery = hook.send(notice)
    assert delivery.status == "failed" and delivery.code == 302 and not delivery.retryable
    assert [r.path for r in server.received] == ["/"]


def test_a_notifier_that_raises_is_recorded_not_propagated(notice: Notice) -> None:
    class Broken:
        kind = "broken"

        def send(self, message: Notice) -> Delivery:
            raise KeyError("payload")

    log = InMemoryDeliveryLog()
    delivery = Dispatcher(log, sleep=Sleeps()).dispatch("n1", Broken(), notice)
    assert delivery.status == "failed" and not delivery.retryable
    assert "KeyError" in (delivery.error or "") and log.entries[0].status == "failed"


def test_every_attempt_is_logged(notice: Notice) -> None:
    log = InMemoryDeliveryLog()
    at = datetime(2024, 6, 11, 9, 30, tzinfo=UTC)
    dispatcher = Dispatcher(log, sleep=Sleeps(), now=lambda: at)
    with LocalServer(hegui_receiver(None)) as server, WebhookNotifier(server.url("/")) as hook:
        server.script(Reply(500, "oops"))
        assert dispatcher.dispatch("hook-1", hook, notice).ok
    assert log.entries == [
        DeliveryRecord(
            "hook-1",
            "webhook",
            "case-42:created",
            "case.created",
            1,
            "failed",
            500,
            "oops",
            "对方服务出错 server error: HTTP 500",
            at,
        ),
        DeliveryRecord(
            "hook-1",
            "webhook",
            "case-42:created",
            "case.created",
            2,
            "sent",
            200,
            '{"received": "case-42:created"}',
            None,
            at,
        ),
    ]


def test_nothing_is_sent_twice_across_a_restart(notice: Notice) -> None:
    log = InMemoryDeliveryLog()  # the database, surviving the restart
    with LocalServer(hegui_receiver(None)) as server:
        with WebhookNotifier(server.url("/")) as hook:
            first = Dispatcher(log, sleep=Sleeps()).dispatch("hook-1", hook, notice)
        with WebhookNotifier(server.url("/")) as hook:  # a new process: new objects
            again = Dispatcher(log, sleep=Sleeps()).dispatch("hook-1", hook, notice)
            other = Dispatcher(log, sleep=Sleeps()).dispatch(
                "hook-1", hook, make_notice(idempotency_key="case-42:overdue", event="case.overdue")
            )
    assert first.ok and again.status == "skipped" and again.attempts == 0 and other.ok
    assert [r.json()["id"] for r in server.received] == ["case-42:created", "case-42:overdue"]


def test_same_key_to_another_notifier_is_sent(notice: Notice) -> None:
    log, fake = InMemoryDeliveryLog(), FakeNotifier()
    dispatcher = Dispatcher(log, sleep=Sleeps())
    assert dispatcher.dispatch("a", fake, notice).ok
    assert dispatcher.dispatch("b", fake, notice).ok
    assert dispatcher.dispatch("a", fake, notice).status == "skipped"
    assert len(fake.sent) == 2


def test_a_notice_that_failed_is_tried_again_later(notice: Notice) -> None:
    log, fake = InMemoryDeliveryLog(), FakeNotifier(failures=4)
    assert Dispatcher(log, sleep=Sleeps()).dispatch("a", fake, notice).status == "failed"
    assert not log.already_sent(notice.idempotency_key, "a")
    assert Dispatcher(log, sleep=Sleeps()).dispatch("a", fake, notice).ok
    assert len(fake.attempts) == 5 and len(fake.sent) == 1


def test_fake_notifier_failure_not_retryable(notice: Notice) -> None:
    fake = FakeNotifier(failures=1, retryable=False)
    delivery = send_with_retry(fake, notice, sleep=Sleeps())
    assert delivery.status == "failed" and delivery.attempts == 1 and fake.sent == []


@pytest.mark.parametrize("bad", [{"max_attempts": 0}, {"base_delay": -1}, {"factor": 0.5}])
def test_policy_rejects_nonsense(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**bad)  # type: ignore[arg-type]


def test_undecodable_answer_is_a_failure_not_an_exception(notice: Notice) -> None:
    garbled = Reply(200, "not gzip at all", headers={"Content-Encoding": "gzip"})
    with LocalServer(lambda r: garbled) as server, WebhookNotifier(server.url("/")) as hook:
        delivery = hook.send(notice)
    assert delivery.status == "failed" and not delivery.retryable
    assert (delivery.error or "").startswith("对方应答无效 unusable answer")
