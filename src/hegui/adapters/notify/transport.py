"""Posting JSON to a chat vendor or webhook and turning every outcome into a Delivery.

One `httpx.Client` may be shared by every notifier (httpx documents `Client` as safe to
share between threads); a notifier given none makes its own and closes it in `close()`.
Redirects are not followed: a robot URL that redirects is misconfigured, and following
it would send the message (and any secret in the query) somewhere else.
"""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime
from typing import Any, Self, TypedDict

import httpx

from hegui.adapters.notify.base import Delivery, failed, sent

DEFAULT_TIMEOUT = 10.0
USER_AGENT = "hegui-notify/0.1"

ResponseCheck = Callable[[httpx.Response], Delivery]


def encode_json(body: Mapping[str, Any]) -> bytes:
    """UTF-8 JSON with Chinese kept as characters (vendors require UTF-8)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=_jsonable).encode(
        "utf-8"
    )


def _jsonable(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


class JsonPoster:
    """Posts JSON bodies; never raises for a failed send."""

    def __init__(
        self,
        *,
        client: httpx.Client | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.timeout = timeout
        self._owned = client is None
        self._client = client or httpx.Client(verify=verify, follow_redirects=False)

    def close(self) -> None:
        if self._owned:
            self._client.close()

    def post(
        self,
        url: httpx.URL | str,
        raw: bytes,
        *,
        check: ResponseCheck,
        headers: Mapping[str, str] | None = None,
    ) -> Delivery:
        all_headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            **(headers or {}),
        }
        try:
            # Per request, so that a shared client set to follow redirects does not.
            response = self._client.post(
                url, content=raw, headers=all_headers, timeout=self.timeout, follow_redirects=False
            )
        except httpx.TimeoutException as exc:
            return failed(
                f"请求超时 timed out after {self.timeout:g}s ({type(exc).__name__})", retryable=True
            )
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            return failed(f"地址无效 invalid target URL: {exc}", retryable=False)
        except httpx.TransportError as exc:
            # The message names the OS error, never the URL (which may carry a robot key).
            reason = str(exc) or type(exc).__name__
            if _caused_by(exc, ssl.SSLCertVerificationError):
                return failed(f"证书不受信任 untrusted certificate: {reason}", retryable=False)
            return failed(f"网络错误 network error: {reason}", retryable=True)
        except httpx.RequestError as exc:
            # A body that cannot be decoded: the far side may well have taken the message.
            return failed(f"对方应答无效 unusable answer: {exc}", retryable=False)
        return classify(response, check)


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return any(isinstance(link, kind) for link in chain)


def classify(response: httpx.Response, check: ResponseCheck) -> Delivery:
    code = response.status_code
    if code == 429 or code >= 500:
        reason = "对方限流 rate limited" if code == 429 else "对方服务出错 server error"
        return failed(
            f"{reason}: HTTP {code}",
            retryable=True,
            code=code,
            response=response.text,
            retry_after=retry_after(response),
        )
    if not 200 <= code < 300:
        return failed(
            f"对方拒绝了请求 request rejected: HTTP {code}",
            retryable=False,
            code=code,
            response=response.text,
        )
    return check(response)


def retry_after(response: httpx.Response) -> float | None:
    """The Retry-After header in seconds (the HTTP-date form is rare and ignored)."""
    value = response.headers.get("Retry-After", "").strip()
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def accept_2xx(response: httpx.Response) -> Delivery:
    return sent(response.status_code, response.text)


def vendor_check(
    zh: str,
    en: str,
    *,
    code_fields: tuple[str, ...],
    message_field: str,
    rate_limited: Collection[int],
) -> ResponseCheck:
    """A check for chat robots, which answer HTTP 200 and put the real outcome in the body."""

    def check(response: httpx.Response) -> Delivery:
        http_code, text = response.status_code, response.text
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            return failed(
                f"{zh}的应答无法解析 unreadable {en} answer",
                retryable=False,
                code=http_code,
                response=text,
            )
        errcode = next((data[f] for f in code_fields if f in data), None)
        if errcode == 0:
            return sent(http_code, text)
        return failed(
            f"{zh}返回错误 {en} error: {code_fields[0]}={errcode} "
            f"{data.get(message_field, '')}".rstrip(),
            retryable=errcode in rate_limited,
            code=http_code,
            response=text,
        )

    return check


Clock = Callable[[], float]
"""Seconds since the epoch (`time.time`); injected so signatures can be tested."""


class HttpOptions(TypedDict, total=False):
    """Keyword arguments every HTTP notifier takes."""

    client: httpx.Client | None
    timeout: float
    verify: ssl.SSLContext | bool
    clock: Clock


class HttpNotifier:
    """What the HTTP notifiers share: the poster, the clock, closing, a repr without secrets."""

    kind: str

    def __init__(
        self,
        target: str,
        *,
        client: httpx.Client | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        verify: ssl.SSLContext | bool = True,
        clock: Clock = time.time,
    ) -> None:
        self._target = target
        self._poster = JsonPoster(client=client, timeout=timeout, verify=verify)
        self._clock = clock

    def close(self) -> None:
        self._poster.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        # Robot URLs carry their key in the query (WeCom, DingTalk) or the path (Feishu).
        url = httpx.URL(self._target)
        port = f":{url.port}" if url.port else ""
        return f"{type(self).__name__}({url.scheme}://{url.host}{port})"
