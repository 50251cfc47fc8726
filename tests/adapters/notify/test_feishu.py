from __future__ import annotations

import base64
import hashlib
import hmac
import time

import pytest

from hegui.adapters.notify import FeishuNotifier, Notice
from hegui.adapters.notify.feishu import feishu_sign

from .conftest import TEXT
from .servers import LocalServer, Reply, feishu_bot

TOKEN = "0f1e2d3c-4b5a-6978-8a9b-cadbecfd0e1f"
SECRET = "qJ9nkS7c1w2E3r4T5y6U7i"


def hook(server: LocalServer) -> str:
    return server.url(f"/open-apis/bot/v2/hook/{TOKEN}")


def test_sign_matches_the_documented_recipe() -> None:
    # Feishu's Python sample: hmac.new(f"{ts}\\n{secret}".encode(), b"", sha256), base64.
    mac = hmac.new(f"1700000000\n{SECRET}".encode(), b"", hashlib.sha256)
    assert feishu_sign(SECRET, "1700000000") == base64.b64encode(mac.digest()).decode()


def test_signed_card_is_accepted(notice: Notice) -> None:
    with (
        LocalServer(feishu_bot(TOKEN, SECRET)) as bot,
        FeishuNotifier(hook(bot), secret=SECRET) as feishu,
    ):
        delivery = feishu.send(notice)
    assert delivery.ok, delivery.error
    body = bot.received[0].json()
    assert abs(int(body["timestamp"]) - time.time()) < 60
    assert body["msg_type"] == "interactive"
    header = body["card"]["header"]
    assert header == {
        "title": {
            "tag": "plain_text",
            "content": "[高 high] 承诺保本收益 Promised guaranteed returns",
        },
        "template": "red",
    }
    (element,) = body["card"]["elements"]
    assert element["text"]["content"].startswith(TEXT)
    assert "**团队 team**: 理财一组" in element["text"]["content"]


def test_text_message_is_accepted(notice: Notice) -> None:
    with (
        LocalServer(feishu_bot(TOKEN, SECRET)) as bot,
        FeishuNotifier(hook(bot), secret=SECRET, msg_type="text") as feishu,
    ):
        assert feishu.send(notice).ok
    body = bot.received[0].json()
    assert set(body) == {"msg_type", "content", "timestamp", "sign"}
    assert TEXT in body["content"]["text"]


def test_wrong_secret_is_refused_and_not_retried(notice: Notice) -> None:
    with (
        LocalServer(feishu_bot(TOKEN, SECRET)) as bot,
        FeishuNotifier(hook(bot), secret="nope") as feishu,
    ):
        delivery = feishu.send(notice)
    assert delivery.status == "failed" and not delivery.retryable
    assert (delivery.error or "").startswith(
        "飞书返回错误 Feishu error: code=19021 sign match fail"
    )


def test_unsigned_message_to_a_signing_bot_is_refused(notice: Notice) -> None:
    with LocalServer(feishu_bot(TOKEN, SECRET)) as bot, FeishuNotifier(hook(bot)) as feishu:
        assert "code=19021" in (feishu.send(notice).error or "")


@pytest.mark.parametrize(
    ("answer", "ok", "retryable"),
    [
        ({"Extra": None, "StatusCode": 0, "StatusMessage": "success"}, True, False),
        ({"code": 11232, "msg": "frequency limited", "data": {}}, False, True),
        ({"code": 9499, "msg": "Bad Request", "data": {}}, False, False),
    ],
)
def test_vendor_answers(
    notice: Notice, answer: dict[str, object], ok: bool, retryable: bool
) -> None:
    with LocalServer(feishu_bot(TOKEN, None)) as bot, FeishuNotifier(hook(bot)) as feishu:
        bot.script(Reply(body=answer))
        delivery = feishu.send(notice)
    assert delivery.ok is ok and delivery.retryable is retryable


@pytest.mark.parametrize(
    ("severity", "colour"), [("high", "red"), ("medium", "orange"), ("low", "blue")]
)
def test_card_colour_follows_severity(severity: str, colour: str) -> None:
    from .conftest import make_notice

    feishu = FeishuNotifier("https://open.feishu.cn/open-apis/bot/v2/hook/x")
    try:
        card = feishu.body(make_notice(severity=severity))["card"]
    finally:
        feishu.close()
    assert card["header"]["template"] == colour
