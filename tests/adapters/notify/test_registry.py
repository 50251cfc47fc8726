from __future__ import annotations

from typing import Any

import httpx
import pytest

from hegui.adapters.notify import (
    NOTIFIER_KINDS,
    DingTalkNotifier,
    EmailNotifier,
    FeishuNotifier,
    Notice,
    NotifierConfigError,
    WebhookNotifier,
    WeComNotifier,
    notifier_from_config,
    validate_config,
)

from .conftest import Certificate, Inbox
from .servers import LocalServer, dingtalk_robot, hegui_receiver

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6"
DING = "https://oapi.dingtalk.com/robot/send?access_token=566cc69d"
FEISHU = "https://open.feishu.cn/open-apis/bot/v2/hook/0f1e2d3c"
SMTP = {"host": "smtp.bank.example.cn", "sender": "alerts@bank.example.cn"}


def test_kinds_are_those_of_the_api() -> None:
    assert sorted(NOTIFIER_KINDS) == ["dingtalk", "email", "feishu", "webhook", "wecom"]


@pytest.mark.parametrize(
    ("kind", "target", "secret", "options", "cls"),
    [
        ("webhook", "http://10.0.0.5:8080/hegui", None, None, WebhookNotifier),
        ("webhook", "https://hooks.example.cn/x", "s", {"timeout": 3}, WebhookNotifier),
        ("wecom", WECOM, None, {"msgtype": "text"}, WeComNotifier),
        ("wecom", WECOM, "", None, WeComNotifier),
        ("dingtalk", DING, "SECabc", None, DingTalkNotifier),
        ("feishu", FEISHU, "s", {"msg_type": "text"}, FeishuNotifier),
        (
            "feishu",
            "https://open.larksuite.com/open-apis/bot/v2/hook/x",
            None,
            None,
            FeishuNotifier,
        ),
        (
            "email",
            "a@bank.example.cn; 张三 <z@bank.example.cn>",
            "pw",
            SMTP | {"port": 465, "security": "ssl"},
            EmailNotifier,
        ),
    ],
)
def test_valid_configurations_build(
    kind: str, target: str, secret: str | None, options: Any, cls: type
) -> None:
    notifier = notifier_from_config(kind, target, secret, options)
    assert isinstance(notifier, cls) and notifier.kind == kind
    if hasattr(notifier, "close"):
        notifier.close()


@pytest.mark.parametrize(
    ("kind", "target", "secret", "options", "field", "message"),
    [
        ("sms", "x", None, None, "kind", "未知的通知渠道 unknown kind 'sms'"),
        (
            "dingtalk",
            DING.replace("https", "http"),
            None,
            None,
            "target",
            "target must be an https URL",
        ),
        (
            "dingtalk",
            "https://oapi.dingtalk.com/robot/send",
            None,
            None,
            "target",
            "lacks the access_token",
        ),
        (
            "wecom",
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send",
            None,
            None,
            "target",
            "lacks the key",
        ),
        ("wecom", WECOM, "s", None, "secret", "this kind takes no secret"),
        (
            "feishu",
            "https://open.feishu.cn/open-apis/other",
            None,
            None,
            "target",
            "not a Feishu bot URL",
        ),
        ("webhook", "ftp://example.cn/x", None, None, "target", "target must be an http(s) URL"),
        ("webhook", "https://exa mple.cn/", None, None, "target", "URL contains whitespace"),
        ("webhook", "not a url", None, None, "target", "URL"),
        (
            "webhook",
            "https://example.cn/",
            None,
            {"timeout": 0},
            "options.timeout",
            "取值无效 invalid value",
        ),
        (
            "webhook",
            "https://example.cn/",
            None,
            {"retries": 3},
            "options.retries",
            "未知的选项 unknown option",
        ),
        (
            "webhook",
            "https://example.cn/",
            None,
            {"ca_file": "/nonexistent.pem"},
            "options.ca_file",
            "invalid value",
        ),
        ("webhook", "https://example.cn/", None, ["timeout"], "options", "must be a JSON object"),
        ("feishu", FEISHU, None, {"msg_type": "post"}, "options.msg_type", "invalid value"),
        ("email", "a@bank.example.cn", None, None, "options.host", "必填 required"),
        (
            "email",
            "not-an-address",
            None,
            SMTP,
            "target",
            "invalid e-mail address: 'not-an-address'",
        ),
        (
            "email",
            "a@bank.example.cn",
            None,
            SMTP | {"port": 70000},
            "options.port",
            "invalid value",
        ),
        (
            "email",
            "a@bank.example.cn",
            None,
            SMTP | {"security": "tls"},
            "options.security",
            "invalid value",
        ),
        (
            "email",
            "a@bank.example.cn",
            None,
            SMTP | {"sender": "alerts"},
            "options.sender",
            "invalid e-mail address",
        ),
    ],
)
def test_invalid_configurations_name_the_field(
    kind: str, target: str, secret: str | None, options: Any, field: str, message: str
) -> None:
    with pytest.raises(NotifierConfigError) as caught:
        validate_config(kind, target, secret, options)
    fields = dict(caught.value.errors)
    assert field in fields and message in fields[field], caught.value.errors
    assert str(caught.value).startswith("通知渠道配置无效 invalid notifier configuration: ")


def test_secrets_stay_out_of_reprs() -> None:
    config = validate_config("dingtalk", DING, "SECtopsecret")
    notifier = config.build()
    try:
        for text in (repr(config), repr(notifier)):
            assert "SECtopsecret" not in text and "566cc69d" not in text
    finally:
        notifier.close()  # type: ignore[attr-defined]


def test_built_notifier_shares_the_callers_client(notice: Notice) -> None:
    with LocalServer(hegui_receiver("k")) as server, httpx.Client() as client:
        notifier = notifier_from_config("webhook", server.url("/in"), "k", client=client)
        notifier.close()  # type: ignore[attr-defined]  # does not close a client it does not own
        assert notifier.send(notice).ok


def test_https_robot_behind_a_private_ca(certificate: Certificate, notice: Notice) -> None:
    """Built from configuration, over real TLS, trusting the CA given in options.ca_file."""
    secret = "SEC0123456789"
    with LocalServer(dingtalk_robot("tok", secret), tls=certificate.server_context()) as robot:
        target = robot.url("/robot/send?access_token=tok")
        trusted = notifier_from_config(
            "dingtalk", target, secret, {"ca_file": str(certificate.cert)}
        )
        untrusted = notifier_from_config("dingtalk", target, secret)
        try:
            delivered, refused = trusted.send(notice), untrusted.send(notice)
        finally:
            trusted.close()  # type: ignore[attr-defined]
            untrusted.close()  # type: ignore[attr-defined]
    assert delivered.ok, delivered.error
    assert refused.status == "failed" and not refused.retryable
    assert (refused.error or "").startswith("证书不受信任 untrusted certificate")
    assert "CERTIFICATE_VERIFY_FAILED" in (refused.error or "")
    assert len(robot.received) == 1


def test_email_built_from_configuration_sends(
    smtp_server: tuple[str, int], inbox: Inbox, notice: Notice
) -> None:
    host, port = smtp_server
    options = {
        "host": host,
        "port": port,
        "security": "none",
        "sender": "合规 <alerts@bank.example.cn>",
    }
    notifier = notifier_from_config("email", "a@bank.example.cn, b@bank.example.cn", None, options)
    assert notifier.send(notice).ok
    assert inbox.envelopes[0].rcpt_tos == ["a@bank.example.cn", "b@bank.example.cn"]
