"""WeCom (企业微信) group robot.

Payload and answers as documented at https://developer.work.weixin.qq.com/document/path/91770
(群机器人配置说明): POST JSON to `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY`,
`{"msgtype": "markdown", "markdown": {"content": ...}}` (at most 4096 bytes of UTF-8) or
`{"msgtype": "text", "text": {"content": ...}}` (at most 2048 bytes). The answer is HTTP 200
with `{"errcode": 0, "errmsg": "ok"}` on success; each robot may send 20 messages a minute,
and beyond that WeCom answers errcode 45009 (api freq out of limit), which is worth a retry.
WeCom robots have no signing: the key in the URL is the only credential.
"""

from __future__ import annotations

from typing import Any, Literal, Unpack

from hegui.adapters.notify.base import Delivery, Notice
from hegui.adapters.notify.render import markdown, plain_text, truncate_utf8
from hegui.adapters.notify.transport import HttpNotifier, HttpOptions, encode_json, vendor_check

MARKDOWN_MAX_BYTES = 4096
TEXT_MAX_BYTES = 2048
RATE_LIMITED = frozenset({45009})

_check = vendor_check(
    "企业微信", "WeCom", code_fields=("errcode",), message_field="errmsg", rate_limited=RATE_LIMITED
)


class WeComNotifier(HttpNotifier):
    kind = "wecom"

    def __init__(
        self,
        target: str,
        *,
        msgtype: Literal["markdown", "text"] = "markdown",
        **http: Unpack[HttpOptions],
    ) -> None:
        super().__init__(target, **http)
        self.msgtype = msgtype

    def body(self, message: Notice) -> dict[str, Any]:
        if self.msgtype == "text":
            content = truncate_utf8(plain_text(message), TEXT_MAX_BYTES)
            return {"msgtype": "text", "text": {"content": content}}
        # WeCom's Markdown subset has headings, bold and quotes but no lists.
        content = truncate_utf8(markdown(message, bullet="> "), MARKDOWN_MAX_BYTES)
        return {"msgtype": "markdown", "markdown": {"content": content}}

    def send(self, message: Notice) -> Delivery:
        return self._poster.post(self._target, encode_json(self.body(message)), check=_check)
