"""Building a notifier from what `POST /api/v1/notifiers` stores: kind, target, secret, options.

Each kind has a pydantic model that validates its target and options; `NOTIFIER_KINDS`
maps kind → model. Validation errors name the field (`target`, `options.timeout`) with a
message in Chinese first and English alongside.
"""

from __future__ import annotations

import re
import ssl
import time
from abc import abstractmethod
from collections.abc import Mapping
from email.utils import getaddresses
from pathlib import Path
from typing import Any, ClassVar, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, FilePath, SecretStr, ValidationError
from pydantic import field_validator as validates

from hegui.adapters.notify.base import Notifier
from hegui.adapters.notify.dingtalk import DingTalkNotifier
from hegui.adapters.notify.email import EmailNotifier
from hegui.adapters.notify.feishu import FeishuNotifier
from hegui.adapters.notify.transport import DEFAULT_TIMEOUT, Clock, HttpOptions
from hegui.adapters.notify.webhook import WebhookNotifier
from hegui.adapters.notify.wecom import WeComNotifier


class NotifierConfigError(ValueError):
    """A notifier configuration that cannot work; `errors` lists (field, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        detail = "; ".join(f"{field}: {message}" for field, message in errors)
        super().__init__(f"通知渠道配置无效 invalid notifier configuration: {detail}")


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    timeout: float = Field(default=DEFAULT_TIMEOUT, gt=0, le=120)
    ca_file: FilePath | None = None

    @validates("ca_file")
    @classmethod
    def _loadable(cls, ca_file: Path | None) -> Path | None:
        if ca_file is not None:
            try:
                ssl.create_default_context(cafile=str(ca_file))
            except (ssl.SSLError, OSError) as exc:
                raise ValueError(f"无法读取证书 cannot load CA file: {exc}") from None
        return ca_file

    def tls(self) -> ssl.SSLContext | None:
        """A context trusting `ca_file` (a private CA in front of a robot), else None."""
        return ssl.create_default_context(cafile=str(self.ca_file)) if self.ca_file else None


class NotifierConfig(BaseModel):
    """A validated configuration of one kind; `build` makes the notifier."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    takes_secret: ClassVar[bool] = True

    # Robot URLs carry their credential, so the target stays out of reprs and logs.
    target: str = Field(repr=False)
    secret: SecretStr | None = None
    options: _Options = _Options()

    @validates("secret")
    @classmethod
    def _secret(cls, secret: SecretStr | None) -> SecretStr | None:
        if secret is not None and not secret.get_secret_value():
            return None
        if secret is not None and not cls.takes_secret:
            raise ValueError("该渠道不使用密钥 this kind takes no secret")
        return secret

    def secret_text(self) -> str | None:
        return self.secret.get_secret_value() if self.secret else None

    @abstractmethod
    def build(self, *, client: httpx.Client | None = None, clock: Clock = time.time) -> Notifier:
        """The notifier; HTTP kinds share `client` unless they need a CA of their own."""


class _HttpConfig(NotifierConfig):
    https_only: ClassVar[bool] = True

    @validates("target")
    @classmethod
    def _url(cls, target: str) -> str:
        return _checked_url(target, https_only=cls.https_only)

    def _http(self, client: httpx.Client | None, clock: Clock) -> HttpOptions:
        tls = self.options.tls()
        return {
            "client": client if tls is None else None,
            "timeout": self.options.timeout,
            "verify": tls or True,
            "clock": clock,
        }


class WebhookConfig(_HttpConfig):
    # Receivers inside an institution's network are often plain http.
    https_only: ClassVar[bool] = False

    def build(self, *, client: httpx.Client | None = None, clock: Clock = time.time) -> Notifier:
        return WebhookNotifier(self.target, secret=self.secret_text(), **self._http(client, clock))


class _WeComOptions(_Options):
    msgtype: Literal["markdown", "text"] = "markdown"


class WeComConfig(_HttpConfig):
    takes_secret: ClassVar[bool] = False
    options: _WeComOptions = _WeComOptions()

    @validates("target")
    @classmethod
    def _key(cls, target: str) -> str:
        if not httpx.URL(target).params.get("key"):
            raise ValueError("地址缺少 key 参数 URL lacks the key=... parameter")
        return target

    def build(self, *, client: httpx.Client | None = None, clock: Clock = time.time) -> Notifier:
        http = self._http(client, clock)
        return WeComNotifier(self.target, msgtype=self.options.msgtype, **http)


class DingTalkConfig(_HttpConfig):
    @validates("target")
    @classmethod
    def _token(cls, target: str) -> str:
        if not httpx.URL(target).params.get("access_token"):
            raise ValueError("地址缺少 access_token 参数 URL lacks the access_token=... parameter")
        return target

    def build(self, *, client: httpx.Client | None = None, clock: Clock = time.time) -> Notifier:
        return DingTalkNotifier(self.target, secret=self.secret_text(), **self._http(client, clock))


class _FeishuOptions(_Options):
    msg_type: Literal["interactive", "text"] = "interactive"


class FeishuConfig(_HttpConfig):
    options: _FeishuOptions = _FeishuOptions()

    @validates("target")
    @classmethod
    def _hook(cls, target: str) -> str:
        if "/bot/v2/hook/" not in httpx.URL(target).path:
            raise ValueError("不是飞书机器人地址 not a Feishu bot URL (…/open-apis/bot/v2/hook/…)")
        return target

    def build(self, *, client: httpx.Client | None = None, clock: Clock = time.time) -> Notifier:
        http = self._http(client, clock)
        return FeishuNotifier(
            self.target, secret=self.secret_text(), msg_type=self.options.msg_type, **http
        )


class _EmailOptions(_Options):
    host: str = Field(min_length=1)
    sender: str
    port: int | None = Field(default=None, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None

    @validates("sender")
    @classmethod
    def _sender(cls, sender: str) -> str:
        _addresses(sender)
        return sender


class EmailConfig(NotifierConfig):
    """`target` is the recipient list (comma-separated); `secret` is the SMTP password."""

    options: _EmailOptions

    @validates("target", mode="before")
    @classmethod
    def _recipients(cls, target: object) -> str:
        if not isinstance(target, str):
            raise ValueError("收件人须为字符串 recipients must be a string")
        return ", ".join(_addresses(target))

    def build(self, *, client: httpx.Client | None = None, clock: Clock = time.time) -> Notifier:
        o = self.options
        return EmailNotifier(
            host=o.host,
            port=o.port,
            sender=o.sender,
            recipients=_addresses(self.target),
            security=o.security,
            username=o.username,
            password=self.secret_text(),
            timeout=o.timeout,
            ssl_context=o.tls(),
            clock=clock,
        )


# The explicit mapping the API validates `kind` against.
NOTIFIER_KINDS: dict[str, type[NotifierConfig]] = {
    "webhook": WebhookConfig,
    "wecom": WeComConfig,
    "dingtalk": DingTalkConfig,
    "feishu": FeishuConfig,
    "email": EmailConfig,
}


def validate_config(
    kind: str, target: str, secret: str | None = None, options: Mapping[str, Any] | None = None
) -> NotifierConfig:
    """Check a configuration without building anything (for the API's 422 answers)."""
    model = NOTIFIER_KINDS.get(kind)
    if model is None:
        kinds = ", ".join(NOTIFIER_KINDS)
        raise NotifierConfigError([("kind", f"未知的通知渠道 unknown kind {kind!r} ({kinds})")])
    raw = {"target": target, "secret": secret, "options": {} if options is None else options}
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise NotifierConfigError([_field_error(e) for e in exc.errors()]) from None


def notifier_from_config(
    kind: str,
    target: str,
    secret: str | None = None,
    options: Mapping[str, Any] | None = None,
    *,
    client: httpx.Client | None = None,
    clock: Clock = time.time,
) -> Notifier:
    """Validate and build. HTTP notifiers share `client` when given (close it yourself)."""
    return validate_config(kind, target, secret, options).build(client=client, clock=clock)


_URL_NOISE = re.compile(r"\s")


def _checked_url(target: str, *, https_only: bool) -> str:
    if _URL_NOISE.search(target):
        raise ValueError("地址含空白字符 URL contains whitespace")
    try:
        url = httpx.URL(target)
    except httpx.InvalidURL as exc:
        raise ValueError(f"地址无效 not a valid URL: {exc}") from None
    allowed = ("https",) if https_only else ("https", "http")
    if url.scheme not in allowed or not url.host:
        need = "https" if https_only else "http(s)"
        raise ValueError(f"地址必须是 {need} URL target must be an {need} URL")
    return target


_ADDRESS = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+")


def _addresses(text: str) -> list[str]:
    pairs = getaddresses([text.replace(";", ",")])
    found = [f"{name} <{addr}>" if name else addr for name, addr in pairs if addr or name]
    bad = [addr or name for name, addr in pairs if (addr or name) and not _ADDRESS.fullmatch(addr)]
    if bad or not found:
        raise ValueError(f"邮件地址无效 invalid e-mail address: {', '.join(bad) or text!r}")
    return found


_GENERIC = {
    "missing": "必填 required",
    "extra_forbidden": "未知的选项 unknown option",
    "model_type": "须为 JSON 对象 must be a JSON object",
}


def _field_error(error: Any) -> tuple[str, str]:
    where = ".".join(str(part) for part in error["loc"])
    kind, message = error["type"], str(error["msg"])
    if kind == "value_error":
        return where, message.removeprefix("Value error, ")
    return where, _GENERIC.get(kind) or f"取值无效 invalid value: {message}"
