"""Feishu / Lark (飞书) custom bot, with the optional signature check ("签名校验").

As documented at https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
(自定义机器人使用指南): POST JSON to `https://open.feishu.cn/open-apis/bot/v2/hook/TOKEN`
(Lark: open.larksuite.com), either `{"msg_type": "text", "content": {"text": ...}}` or
`{"msg_type": "interactive", "card": {...}}`; the request body may not exceed 20 KB. With a
secret the body also carries `timestamp` (seconds, as a string) and `sign` =
base64(HmacSHA256(key=f"{timestamp}\\n{secret}", msg=b"")) — note the key/message order is
the reverse of DingTalk's. The answer is `{"code": 0, "msg": "success", "data": {}}`, which
may also carry the legacy `StatusCode` fields (read when `code` is absent); 19021 means the
signature or timestamp did not match, and 11232 that the bot is sending too often (worth a
retry).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any, Literal, Unpack

from hegui.adapters.notify.base import Delivery, Notice
from hegui.adapters.notify.render import facts, heading, plain_text, truncate_utf8
from hegui.adapters.notify.transport import HttpNotifier, HttpOptions, encode_json, vendor_check

# Leaves room for the JSON around the text within Feishu's 20 KB request limit.
TEXT_MAX_BYTES = 16_000
RATE_LIMITED = frozenset({11232})
CARD_COLOURS = {"high": "red", "medium": "orange", "low": "blue"}

_check = vendor_check(
    "飞书",
    "Feishu",
    code_fields=("code", "StatusCode"),
    message_field="msg",
    rate_limited=RATE_LIMITED,
)


def feishu_sign(secret: str, timestamp_s: str) -> str:
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")


class FeishuNotifier(HttpNotifier):
    kind = "feishu"

    def __init__(
        self,
        target: str,
        *,
        secret: str | None = None,
        msg_type: Literal["interactive", "text"] = "interactive",
        **http: Unpack[HttpOptions],
    ) -> None:
        super().__init__(target, **http)
        self._secret = secret
        self.msg_type = msg_type

    def body(self, message: Notice) -> dict[str, Any]:
        body = self._card(message) if self.msg_type == "interactive" else self._text(message)
        if self._secret:
            timestamp = str(int(self._clock()))
            body |= {"timestamp": timestamp, "sign": feishu_sign(self._secret, timestamp)}
        return body

    def _text(self, message: Notice) -> dict[str, Any]:
        text = truncate_utf8(plain_text(message), TEXT_MAX_BYTES)
        return {"msg_type": "text", "content": {"text": text}}

    def _card(self, message: Notice) -> dict[str, Any]:
        lines = [message.text, *(f"**{label}**: {value}" for label, value in facts(message))]
        content = truncate_utf8("\n".join(lines), TEXT_MAX_BYTES)
        header = {
            "title": {"tag": "plain_text", "content": heading(message)},
            "template": CARD_COLOURS[message.severity],
        }
        element = {"tag": "div", "text": {"tag": "lark_md", "content": content}}
        return {"msg_type": "interactive", "card": {"header": header, "elements": [element]}}

    def send(self, message: Notice) -> Delivery:
        return self._poster.post(self._target, encode_json(self.body(message)), check=_check)
