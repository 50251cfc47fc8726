from __future__ import annotations

import email
import email.policy
import re
from email.header import decode_header, make_header
from email.message import EmailMessage
from typing import Any

import pytest

from hegui.adapters.notify import EmailNotifier, Notice

from .conftest import TEXT, Certificate, Inbox, free_port, make_notice


def parsed(envelope: Any) -> EmailMessage:
    message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def notifier(server: tuple[str, int], **kw: Any) -> EmailNotifier:
    host, port = server
    fields: dict[str, Any] = {
        "host": host,
        "port": port,
        "security": "none",
        "sender": "合规告警 hegui <alerts@bank.example.cn>",
        "recipients": ["张经理 <zhang@bank.example.cn>", "audit@bank.example.cn"],
    }
    return EmailNotifier(**(fields | kw))


def test_message_arrives_intact(smtp_server: tuple[str, int], inbox: Inbox, notice: Notice) -> None:
    delivery = notifier(smtp_server).send(notice)
    assert delivery.ok and delivery.code == 250 and delivery.error is None
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "alerts@bank.example.cn"
    assert envelope.rcpt_tos == ["zhang@bank.example.cn", "audit@bank.example.cn"]
    message = parsed(envelope)
    folded = re.search(rb"(?:^|\r\n)Subject: (.*?)\r\n(?![ \t])", envelope.original_content, re.S)
    assert folded is not None and folded.group(1).isascii()  # RFC 2047, not raw UTF-8
    raw_subject = folded.group(1).decode().replace("\r\n", "")
    assert raw_subject.startswith("=?utf-8?")
    assert str(make_header(decode_header(raw_subject))) == (
        "[高 high] 承诺保本收益 Promised guaranteed returns"
    )
    assert message["Subject"] == "[高 high] 承诺保本收益 Promised guaranteed returns"
    assert message["From"].addresses[0].display_name == "合规告警 hegui"
    assert message["To"].addresses[0].display_name == "张经理"
    assert message["X-Hegui-Event"] == "case.created"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    text = plain.get_content().replace("\r\n", "\n")
    assert TEXT in text and "坐席 agent: A007" in text
    assert (
        "承诺“保本”" in html.get_content()
        and "<th align='left'>团队 team</th>" in html.get_content()
    )


def test_message_id_is_stable_per_idempotency_key(notice: Notice) -> None:
    sender = EmailNotifier(host="h", sender="a@bank.example.cn", recipients=["b@bank.example.cn"])
    first, again = sender.compose(notice)["Message-ID"], sender.compose(notice)["Message-ID"]
    other = sender.compose(make_notice(idempotency_key="case-43:created"))["Message-ID"]
    assert first == again != other and first.endswith("@bank.example.cn>")


def test_html_escapes_what_it_shows(smtp_server: tuple[str, int], inbox: Inbox) -> None:
    notifier(smtp_server).send(make_notice(text="<script>alert(1)</script> & 更多"))
    html = parsed(inbox.envelopes[0]).get_body(("html",))
    assert (
        html is not None
        and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 更多" in html.get_content()
    )


def test_one_refused_recipient_still_delivers_to_the_others(
    smtp_server: tuple[str, int], inbox: Inbox, notice: Notice
) -> None:
    delivery = notifier(
        smtp_server, recipients=["a@bank.example.cn", "nobody@bank.example.cn"]
    ).send(notice)
    assert delivery.ok and "nobody@bank.example.cn" in (delivery.error or "")
    assert inbox.envelopes[0].rcpt_tos == ["a@bank.example.cn"]


@pytest.mark.parametrize(
    ("recipient", "code", "retryable"), [("nobody@x.cn", 550, False), ("busy@x.cn", 451, True)]
)
def test_every_recipient_refused(
    smtp_server: tuple[str, int],
    inbox: Inbox,
    notice: Notice,
    recipient: str,
    code: int,
    retryable: bool,
) -> None:
    delivery = notifier(smtp_server, recipients=[recipient]).send(notice)
    assert delivery.status == "failed" and delivery.code == code and delivery.retryable is retryable
    assert inbox.envelopes == []


def test_nobody_listening_is_retryable(notice: Notice) -> None:
    delivery = notifier(("127.0.0.1", free_port())).send(notice)
    assert delivery.status == "failed" and delivery.retryable
    assert (delivery.error or "").startswith("无法连接邮件服务器 cannot reach SMTP server")


def test_starttls_missing_on_server_is_a_setup_error(
    smtp_server: tuple[str, int], notice: Notice
) -> None:
    delivery = notifier(smtp_server, security="starttls").send(notice)
    assert delivery.status == "failed" and not delivery.retryable
    assert "SMTP setup mismatch" in (delivery.error or "")


def _auth_server(inbox: Inbox, **tls: Any) -> Any:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    def authenticate(
        server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = data.login == b"alerts" and data.password == "密码-s3cret".encode()
        return AuthResult(success=ok, handled=False)

    options = {"auth_required": True} | tls
    return Controller(
        inbox, hostname="127.0.0.1", port=free_port(), authenticator=authenticate, **options
    )


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_and_login(
    certificate: Certificate, inbox: Inbox, notice: Notice, security: str
) -> None:
    server_tls = certificate.server_context()
    # aiosmtpd only knows about TLS it negotiated itself (STARTTLS); on an implicit-TLS
    # socket it must be told not to insist on TLS before AUTH.
    implicit = {"ssl_context": server_tls, "auth_require_tls": False, "auth_required": False}
    tls = (
        {"tls_context": server_tls, "require_starttls": True}
        if security == "starttls"
        else implicit
    )
    controller = _auth_server(inbox, **tls)
    controller.start()
    try:
        good = notifier(
            ("127.0.0.1", controller.port),
            security=security,
            username="alerts",
            password="密码-s3cret",
            ssl_context=certificate.client_context(),
        )
        bad = notifier(
            ("127.0.0.1", controller.port),
            security=security,
            username="alerts",
            password="wrong",
            ssl_context=certificate.client_context(),
        )
        delivered, refused = good.send(notice), bad.send(notice)
    finally:
        controller.stop()
    assert delivered.ok, delivered.error
    assert refused.status == "failed" and refused.code == 535 and not refused.retryable
    assert len(inbox.envelopes) == 1


def test_untrusted_certificate_is_not_retried(
    certificate: Certificate, inbox: Inbox, notice: Notice
) -> None:
    controller = _auth_server(inbox, ssl_context=certificate.server_context())
    controller.start()
    try:
        delivery = notifier(("127.0.0.1", controller.port), security="ssl").send(notice)
    finally:
        controller.stop()
    assert delivery.status == "failed" and not delivery.retryable
    assert "CERTIFICATE_VERIFY_FAILED" in (delivery.error or "")
