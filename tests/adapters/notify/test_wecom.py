from __future__ import annotations

import pytest

from hegui.adapters.notify import Notice, WeComNotifier

from .conftest import make_notice
from .servers import LocalServer, Reply, wecom_robot

KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"


@pytest.fixture
def robot() -> LocalServer:
    with LocalServer(wecom_robot(KEY)) as server:
        yield server  # type: ignore[misc]


def test_markdown_message(robot: LocalServer, notice: Notice) -> None:
    with WeComNotifier(robot.url(f"/cgi-bin/webhook/send?key={KEY}")) as wecom:
        delivery = wecom.send(notice)
    assert delivery.ok, delivery.error
    assert delivery.response == '{"errcode": 0, "errmsg": "ok"}'
    body = robot.received[0].json()
    assert body["msgtype"] == "markdown"
    content = body["markdown"]["content"]
    assert content.startswith("### [高 high] 承诺保本收益 Promised guaranteed returns")
    assert "坐席在通话中向客户承诺“保本”" in content
    assert "> **案件 case**: case-42" in content
    assert "> **规则 rule**: securities.promise.baoben" in content


def test_text_message(robot: LocalServer, notice: Notice) -> None:
    with WeComNotifier(robot.url(f"/cgi-bin/webhook/send?key={KEY}"), msgtype="text") as wecom:
        assert wecom.send(notice).ok
    body = robot.received[0].json()
    assert set(body) == {"msgtype", "text"}
    assert (
        body["text"]["content"].splitlines()[0]
        == "[高 high] 承诺保本收益 Promised guaranteed returns"
    )


@pytest.mark.parametrize(("msgtype", "limit"), [("markdown", 4096), ("text", 2048)])
def test_long_chinese_text_is_cut_to_the_byte_limit(
    robot: LocalServer, msgtype: str, limit: int
) -> None:
    long = make_notice(text="违规" * 3000)
    with WeComNotifier(robot.url(f"/cgi-bin/webhook/send?key={KEY}"), msgtype=msgtype) as wecom:  # type: ignore[arg-type]
        assert wecom.send(long).ok
    content = robot.received[0].json()[msgtype]["content"]
    assert len(content.encode()) <= limit and content.endswith("…")


def test_wrong_key_is_a_vendor_error(robot: LocalServer, notice: Notice) -> None:
    with WeComNotifier(robot.url("/cgi-bin/webhook/send?key=wrong")) as wecom:
        delivery = wecom.send(notice)
    assert delivery.status == "failed" and not delivery.retryable
    assert delivery.code == 200 and "errcode=93000" in (delivery.error or "")


def test_rate_limit_errcode_is_retryable(robot: LocalServer, notice: Notice) -> None:
    robot.script(Reply(body={"errcode": 45009, "errmsg": "api freq out of limit"}))
    with WeComNotifier(robot.url(f"/cgi-bin/webhook/send?key={KEY}")) as wecom:
        delivery = wecom.send(notice)
    assert delivery.status == "failed" and delivery.retryable
    assert delivery.error == "企业微信返回错误 WeCom error: errcode=45009 api freq out of limit"


def test_answer_that_is_not_json(robot: LocalServer, notice: Notice) -> None:
    robot.script(Reply(body="<html>gateway</html>"))
    with WeComNotifier(robot.url(f"/cgi-bin/webhook/send?key={KEY}")) as wecom:
        delivery = wecom.send(notice)
    assert delivery.status == "failed" and "unreadable WeCom answer" in (delivery.error or "")
    assert delivery.response == "<html>gateway</html>"
