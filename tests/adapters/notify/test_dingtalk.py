from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse

from hegui.adapters.notify import DingTalkNotifier, Notice
from hegui.adapters.notify.dingtalk import dingtalk_sign

from .servers import LocalServer, Reply, dingtalk_robot

TOKEN = "566cc69da782ec"
SECRET = "SEC5c1f6a3e0d1c4b8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d"


def test_sign_matches_the_documented_recipe() -> None:
    # DingTalk's Python sample: quote_plus(b64encode(hmac(secret, f"{ts}\\n{secret}")))
    timestamp = "1700000000000"
    mac = hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256)
    documented = urllib.parse.quote_plus(base64.b64encode(mac.digest()))
    assert urllib.parse.quote_plus(dingtalk_sign(SECRET, timestamp)) == documented


def test_signed_markdown_message_is_accepted(notice: Notice) -> None:
    with (
        LocalServer(dingtalk_robot(TOKEN, SECRET)) as robot,
        DingTalkNotifier(robot.url(f"/robot/send?access_token={TOKEN}"), secret=SECRET) as ding,
    ):
        delivery = ding.send(notice)
    assert delivery.ok, delivery.error
    (request,) = robot.received
    assert abs(int(request.query["timestamp"][0]) - time.time() * 1000) < 60_000
    assert request.json() == {
        "msgtype": "markdown",
        "markdown": {
            "title": "[高 high] 承诺保本收益 Promised guaranteed returns",
            "text": ding.body(notice)["markdown"]["text"],
        },
    }
    text = request.json()["markdown"]["text"]
    assert "坐席在通话中向客户承诺“保本”" in text and "- **坐席 agent**: A007" in text


def test_many_signatures_survive_url_encoding(notice: Notice) -> None:
    # Base64 often holds + / =; each must reach DingTalk intact. 40 timestamps cover them.
    with LocalServer(dingtalk_robot(TOKEN, SECRET)) as robot:
        clock_now = time.time()
        stamps = iter(clock_now + i / 1000 for i in range(40))
        with DingTalkNotifier(
            robot.url(f"/robot/send?access_token={TOKEN}"),
            secret=SECRET,
            clock=lambda: next(stamps),
        ) as ding:
            results = [ding.send(notice) for _ in range(40)]
    assert all(d.ok for d in results), [d.error for d in results if not d.ok]
    signs = "".join(r.query["sign"][0] for r in robot.received)
    assert "+" in signs and "/" in signs


def test_wrong_secret_is_refused_and_not_retried(notice: Notice) -> None:
    with (
        LocalServer(dingtalk_robot(TOKEN, SECRET)) as robot,
        DingTalkNotifier(robot.url(f"/robot/send?access_token={TOKEN}"), secret="SECwrong") as ding,
    ):
        delivery = ding.send(notice)
    assert delivery.status == "failed" and not delivery.retryable
    assert delivery.error == "钉钉返回错误 DingTalk error: errcode=310000 sign not match"


def test_timestamp_older_than_an_hour_is_refused(notice: Notice) -> None:
    with (
        LocalServer(dingtalk_robot(TOKEN, SECRET)) as robot,
        DingTalkNotifier(
            robot.url(f"/robot/send?access_token={TOKEN}"),
            secret=SECRET,
            clock=lambda: time.time() - 3700,
        ) as ding,
    ):
        assert "310000" in (ding.send(notice).error or "")


def test_without_secret_no_signature_is_added(notice: Notice) -> None:
    with (
        LocalServer(dingtalk_robot(TOKEN, None)) as robot,
        DingTalkNotifier(robot.url(f"/robot/send?access_token={TOKEN}")) as ding,
    ):
        assert ding.send(notice).ok
    assert set(robot.received[0].query) == {"access_token"}


def test_send_too_fast_is_retryable(notice: Notice) -> None:
    with (
        LocalServer(dingtalk_robot(TOKEN, None)) as robot,
        DingTalkNotifier(robot.url(f"/robot/send?access_token={TOKEN}")) as ding,
    ):
        robot.script(
            Reply(body={"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"})
        )
        delivery = ding.send(notice)
    assert delivery.status == "failed" and delivery.retryable
