"""Notifiers and the dispatcher used from several threads at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from hegui.adapters.notify import (
    Dispatcher,
    FeishuNotifier,
    InMemoryDeliveryLog,
    Notice,
    WebhookNotifier,
)

from .conftest import make_notice
from .servers import LocalServer, Reply, feishu_bot, hegui_receiver

SECRET = "s3cret"


def test_one_notifier_many_threads_shared_client() -> None:
    notices = [make_notice(idempotency_key=f"case-{i}:created") for i in range(40)]
    with (
        LocalServer(hegui_receiver(SECRET)) as server,
        httpx.Client() as client,
        ThreadPoolExecutor(8) as pool,
    ):
        hook = WebhookNotifier(server.url("/"), secret=SECRET, client=client)
        results = list(pool.map(hook.send, notices))
    assert all(d.ok for d in results), [d.error for d in results if not d.ok]
    assert sorted(r.json()["id"] for r in server.received) == sorted(
        n.idempotency_key for n in notices
    )


def test_signed_bot_from_many_threads(notice: Notice) -> None:
    with (
        LocalServer(feishu_bot("t", SECRET)) as bot,
        FeishuNotifier(bot.url("/open-apis/bot/v2/hook/t"), secret=SECRET) as feishu,
        ThreadPoolExecutor(8) as pool,
    ):
        results = list(pool.map(feishu.send, [notice] * 24))
    assert all(d.ok for d in results) and len(bot.received) == 24


def test_concurrent_dispatch_of_one_key_sends_once(notice: Notice) -> None:
    log = InMemoryDeliveryLog()
    dispatcher = Dispatcher(log, sleep=lambda s: None)
    with (
        LocalServer(lambda r: Reply(delay=0.05)) as server,
        WebhookNotifier(server.url("/")) as hook,
        ThreadPoolExecutor(8) as pool,
    ):
        results = list(pool.map(lambda _: dispatcher.dispatch("h", hook, notice), range(16)))
    assert sorted(d.status for d in results) == ["sent"] + ["skipped"] * 15
    assert len(server.received) == 1
