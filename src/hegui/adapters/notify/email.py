"""E-mail over SMTP (standard library smtplib), plain text with a simple HTML alternative.

The message is built with `email.policy.SMTP`, which writes a Chinese subject or sender
name as RFC 2047 encoded words (`=?utf-8?b?...?=`) and bodies as UTF-8. A new connection is
opened for each notice, so one notifier can be used from several threads at once.
"""

from __future__ import annotations

import base64
import hashlib
import html
import smtplib
import ssl
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, parseaddr
from typing import Literal

from hegui.adapters.notify.base import Delivery, Notice, failed, sent
from hegui.adapters.notify.render import facts, heading, plain_text
from hegui.adapters.notify.transport import DEFAULT_TIMEOUT, Clock

Security = Literal["starttls", "ssl", "none"]
DEFAULT_PORTS: dict[str, int] = {"starttls": 587, "ssl": 465, "none": 25}


class EmailNotifier:
    kind = "email"

    def __init__(
        self,
        *,
        host: str,
        sender: str,
        recipients: Sequence[str],
        port: int | None = None,
        security: Security = "starttls",
        username: str | None = None,
        password: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        ssl_context: ssl.SSLContext | None = None,
        clock: Clock = time.time,
    ) -> None:
        self.host, self.sender, self.recipients = host, sender, tuple(recipients)
        self.port = port or DEFAULT_PORTS[security]
        self.security: Security = security
        self._username, self._password = username, password
        self.timeout = timeout
        self._tls = ssl_context or ssl.create_default_context()
        self._clock = clock

    def __repr__(self) -> str:
        return f"EmailNotifier({self.host}:{self.port}, {len(self.recipients)} recipients)"

    def compose(self, message: Notice) -> EmailMessage:
        mail = EmailMessage(policy=policy.SMTP)
        mail["Subject"] = heading(message)
        mail["From"] = self.sender
        mail["To"] = ", ".join(self.recipients)
        mail["Date"] = format_datetime(datetime.fromtimestamp(self._clock(), UTC))
        mail["Message-ID"] = _message_id(message.idempotency_key, self.sender)
        mail["X-Hegui-Event"] = message.event
        mail.set_content(plain_text(message))
        mail.add_alternative(_html(message), subtype="html")
        return mail

    def send(self, message: Notice) -> Delivery:
        mail = self.compose(message)
        try:
            refused = self._deliver(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            return failed(
                "所有收件人均被拒绝 every recipient was refused",
                retryable=400 <= code < 500,
                code=code,
                response=_text(reply),
            )
        except smtplib.SMTPResponseException as exc:
            return failed(
                f"邮件服务器拒绝 SMTP server refused: {exc.smtp_code}",
                retryable=400 <= exc.smtp_code < 500,
                code=exc.smtp_code,
                response=_text(exc.smtp_error),
            )
        except (smtplib.SMTPNotSupportedError, ssl.SSLCertVerificationError) as exc:
            return failed(f"邮件服务器配置不符 SMTP setup mismatch: {exc}", retryable=False)
        except (smtplib.SMTPException, OSError) as exc:
            # Refused or dropped connections, timeouts, DNS failures: may pass later.
            reason = str(exc) or type(exc).__name__
            return failed(f"无法连接邮件服务器 cannot reach SMTP server: {reason}", retryable=True)
        if refused:
            # Those accepted already have the mail; sending again would duplicate it.
            who = ", ".join(sorted(refused))
            return sent(250, error=f"部分收件人被拒绝 some recipients refused: {who}")
        return sent(250)

    def _deliver(self, mail: EmailMessage) -> dict[str, tuple[int, bytes]]:
        smtp: smtplib.SMTP
        if self.security == "ssl":
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self._tls)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with smtp:
            if self.security == "starttls":
                smtp.starttls(context=self._tls)
            if self._username:
                _login(smtp, self._username, self._password or "")
            envelope_to = [address for _, address in getaddresses(self.recipients)]
            return smtp.send_message(mail, parseaddr(self.sender)[1], envelope_to)


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    if (username + password).isascii():
        smtp.login(username, password)
        return
    # smtplib encodes credentials as ASCII; AUTH PLAIN is defined over UTF-8 (RFC 4616),
    # and a Chinese password is a real possibility.
    smtp.ehlo_or_helo_if_needed()
    token = base64.b64encode(f"\0{username}\0{password}".encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _message_id(key: str, sender: str) -> str:
    """The same notice always gets the same Message-ID, so mail clients can fold repeats."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "hegui.invalid"
    return f"<hegui.{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply


def _html(message: Notice) -> str:
    paragraphs = "".join(
        f"<p>{html.escape(block).replace(chr(10), '<br>')}</p>"
        for block in message.text.split("\n\n")
    )
    rows = "".join(
        f"<tr><th align='left'>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>"
        for label, value in facts(message)
    )
    table = f"<table>{rows}</table>" if rows else ""
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        f"<h3>{html.escape(heading(message))}</h3>{paragraphs}{table}</body></html>"
    )
