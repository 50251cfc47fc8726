"""DingTalk (钉钉) custom robot, with the optional signing ("加签") security setting.

As documented at https://open.dingtalk.com/document/orgapp/custom-robot-access (自定义机器人
接入) and its security page (自定义机器人安全设置): POST JSON to
`https://oapi.dingtalk.com/robot/send?access_token=TOKEN`, here
`{"msgtype": "markdown", "markdown": {"title": ..., "text": ...}}` (the title is what the
chat list previews). With a secret (the `SEC...` string) the URL also carries `timestamp`
(milliseconds) and `sign` = urlEncode(base64(HmacSHA256(key=secret,
msg=f"{timestamp}\\n{secret}"))); DingTalk refuses timestamps more than an hour off. The
answer is HTTP 200 with `{"errcode": 0, "errmsg": "ok"}`; 310000 means the signature,
keywords or IP allow-list did not match. A robot may send 20 messages a minute and is then
throttled for ten minutes: errcode 130101 "send too fast" (worth a retry), and during the
throttle users report HTTP 302 answers, which fail without retry; the notice stays unsent in
the delivery log for a later dispatch.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any, Unpack

import httpx

from hegui.adapters.notify.base import Delivery, Notice
from hegui.adapters.notify.render import heading, markdown, truncate_utf8
from hegui.adapters.notify.transport import HttpNotifier, HttpOptions, encode_json, vendor_check

# An alert longer than this belongs in the web UI, not in a chat message.
TEXT_MAX_BYTES = 16_000
RATE_LIMITED = frozenset({130101})

_check = vendor_check(
    "钉钉", "DingTalk", code_fields=("errcode",), message_field="errmsg", rate_limited=RATE_LIMITED
)


def dingtalk_sign(secret: str, timestamp_ms: str) -> str:
    """The `sign` query value before URL-encoding (httpx encodes query values)."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), to_sign, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


class DingTalkNotifier(HttpNotifier):
    kind = "dingtalk"

    def __init__(
        self, target: str, *, secret: str | None = None, **http: Unpack[HttpOptions]
    ) -> None:
        super().__init__(target, **http)
        self._secret = secret

    def body(self, message: Notice) -> dict[str, Any]:
        text = truncate_utf8(markdown(message), TEXT_MAX_BYTES)
        return {"msgtype": "markdown", "markdown": {"title": heading(message), "text": text}}

    def url(self) -> httpx.URL:
        url = httpx.URL(self._target)
        if not self._secret:
            return url
        timestamp = str(int(self._clock() * 1000))
        return url.copy_merge_params(
            {"timestamp": timestamp, "sign": dingtalk_sign(self._secret, timestamp)}
        )

    def send(self, message: Notice) -> Delivery:
        return self._poster.post(self.url(), encode_json(self.body(message)), check=_check)
