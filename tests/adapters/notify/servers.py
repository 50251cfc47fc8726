"""Real HTTP servers on 127.0.0.1 that answer like the vendors do.

Each emulator checks the documented payload shape, verifies the signature the way the
vendor describes it (recomputing the HMAC from the shared secret and the received
timestamp) and answers with the vendor's success or error body. `LocalServer.script`
queues replies (a 500, a slow answer) that are served before the emulator is asked.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: Message
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: Any = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Responder = Callable[[Received], Reply]


class LocalServer:
    def __init__(self, responder: Responder, tls: ssl.SSLContext | None = None) -> None:
        self.responder = responder
        self.received: list[Received] = []
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        # A client that timed out leaves a broken pipe behind: expected, not worth a traceback.
        self._httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self.scheme = "https" if tls else "http"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path_and_query: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path_and_query}"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._queue.extend(replies)

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def handle(self, request: Received) -> Reply:
        with self._lock:
            self.received.append(request)
            scripted = self._queue.popleft() if self._queue else None
        return scripted or self.responder(request)


def _handler_for(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            parts = urlsplit(self.path)
            request = Received(
                "POST", parts.path, parse_qs(parts.query), self.headers, self.rfile.read(length)
            )
            reply = server.handle(request)
            time.sleep(reply.delay)
            body = reply.body if isinstance(reply.body, str) else json.dumps(reply.body)
            raw = body.encode("utf-8")
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


def _json_body(request: Received) -> Any:
    assert request.headers["Content-Type"].startswith("application/json")
    assert "charset=utf-8" in request.headers["Content-Type"]
    return request.json()


def wecom_robot(key: str) -> Responder:
    """WeCom group robot: https://developer.work.weixin.qq.com/document/path/91770."""

    def respond(request: Received) -> Reply:
        if request.path != "/cgi-bin/webhook/send" or request.query.get("key") != [key]:
            return Reply(body={"errcode": 93000, "errmsg": "invalid webhook url"})
        data = _json_body(request)
        msgtype = data.get("msgtype")
        limits = {"markdown": 4096, "text": 2048}
        if msgtype not in limits or set(data) != {"msgtype", msgtype}:
            return Reply(body={"errcode": 40008, "errmsg": "invalid message type"})
        content = data[msgtype].get("content")
        if not isinstance(content, str) or not content:
            return Reply(body={"errcode": 44004, "errmsg": "empty content"})
        if len(content.encode("utf-8")) > limits[msgtype]:
            return Reply(body={"errcode": 40058, "errmsg": "content exceed max length"})
        return Reply(body={"errcode": 0, "errmsg": "ok"})

    return respond


def dingtalk_robot(token: str, secret: str | None) -> Responder:
    """DingTalk custom robot with 加签: recompute the sign from the received timestamp."""

    def respond(request: Received) -> Reply:
        if request.path != "/robot/send" or request.query.get("access_token") != [token]:
            return Reply(body={"errcode": 300001, "errmsg": "token is not exist"})
        if secret is not None and not _dingtalk_signed(request, secret):
            return Reply(body={"errcode": 310000, "errmsg": "sign not match"})
        data = _json_body(request)
        md = data.get("markdown")
        if data.get("msgtype") != "markdown" or not isinstance(md, dict):
            return Reply(body={"errcode": 40035, "errmsg": "缺少参数 json"})
        if not (isinstance(md.get("title"), str) and isinstance(md.get("text"), str)):
            return Reply(body={"errcode": 40035, "errmsg": "缺少参数 markdown"})
        return Reply(body={"errcode": 0, "errmsg": "ok"})

    return respond


def _dingtalk_signed(request: Received, secret: str) -> bool:
    (timestamp,) = request.query.get("timestamp", [""])
    (sign,) = request.query.get("sign", [""])  # parse_qs has undone the URL-encoding
    if not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > 3600_000:
        return False
    mac = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256)
    return hmac.compare_digest(base64.b64encode(mac.digest()).decode(), sign)


FEISHU_OK = {"code": 0, "msg": "success", "data": {}}


def feishu_bot(token: str, secret: str | None) -> Responder:
    """Feishu custom bot with 签名校验: the sign is keyed by timestamp + secret, over b""."""

    def respond(request: Received) -> Reply:
        if request.path != f"/open-apis/bot/v2/hook/{token}":
            return Reply(
                body={
                    "code": 19001,
                    "msg": "param invalid: incoming webhook access token invalid",
                    "data": {},
                }
            )
        data = _json_body(request)
        if secret is not None and not _feishu_signed(data, secret):
            return Reply(
                body={
                    "code": 19021,
                    "msg": "sign match fail or timestamp is not within one hour from current time",
                    "data": {},
                }
            )
        if not _feishu_shape_ok(data):
            return Reply(body={"code": 9499, "msg": "Bad Request", "data": {}})
        return Reply(body=FEISHU_OK)

    return respond


def _feishu_signed(data: dict[str, Any], secret: str) -> bool:
    timestamp, sign = str(data.get("timestamp", "")), str(data.get("sign", ""))
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 3600:
        return False
    mac = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256)
    return hmac.compare_digest(base64.b64encode(mac.digest()).decode(), sign)


def _feishu_shape_ok(data: dict[str, Any]) -> bool:
    if data.get("msg_type") == "text":
        return isinstance(data.get("content", {}).get("text"), str)
    if data.get("msg_type") == "interactive":
        card = data.get("card", {})
        title = card.get("header", {}).get("title", {})
        elements = card.get("elements", [])
        return (
            title.get("tag") == "plain_text"
            and isinstance(title.get("content"), str)
            and bool(elements)
            and all(e.get("tag") == "div" and e["text"]["tag"] == "lark_md" for e in elements)
        )
    return False


def hegui_receiver(secret: str | None) -> Responder:
    """An integrator's endpoint for our generic webhook, verifying as docs/notify.md says."""

    def respond(request: Received) -> Reply:
        if secret is not None:
            timestamp = request.headers.get("X-Hegui-Timestamp", "")
            signed = timestamp.encode() + b"." + request.body
            expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
            fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) <= 300
            if not fresh or not hmac.compare_digest(
                expected, request.headers.get("X-Hegui-Signature", "")
            ):
                return Reply(401, {"detail": "bad signature"})
        data = _json_body(request)
        resource = data["event"].partition(".")[0]
        if not isinstance(data.get(resource), dict) or data["id"] == "":
            return Reply(400, {"detail": "bad body"})
        return Reply(200, {"received": data["id"]})

    return respond
