"""A real chat-completions endpoint on 127.0.0.1 (a thread in the test process).

POST /v1/chat/completions answers from a queue of scripted `Reply`s (a 429, a 500, a slow
answer, malformed JSON), then from `responder(request) -> Reply`. Every request is kept.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def completion(
    content: str, prompt_tokens: int | None = 100, completion_tokens: int = 20, delay: float = 0.0
) -> Reply:
    """A chat completion whose message is `content`; `prompt_tokens=None`: no usage."""
    doc: dict[str, Any] = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "test-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}}],
    }
    if prompt_tokens is not None:
        doc["usage"] = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
    return Reply(200, json.dumps(doc, ensure_ascii=False).encode("utf-8"), delay=delay)


def yes(*evidence: int, reason: str = "承诺了收益") -> Reply:
    return completion(json.dumps({"answer": "yes", "evidence": list(evidence), "reason": reason}))


def no() -> Reply:
    return completion('{"answer": "no", "evidence": [], "reason": "没有承诺"}')


def error(status: int, retry_after: str | None = None) -> Reply:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return Reply(status, b'{"error": {"message": "busy"}}', headers)


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def conversation(self) -> str:
        return str(self.body["messages"][1]["content"])

    def lines(self) -> list[tuple[int, str]]:
        """The numbered utterances the model was shown: (index, "role: text")."""
        found = re.findall(r"^\[(\d+)\] (.*)$", self.conversation, re.M)
        return [(int(i), line) for i, line in found]


Responder = Callable[[Received], Reply]


class ChatServer:
    def __init__(self, responder: Responder | None = None) -> None:
        self.responder = responder or (lambda request: no())
        self.received: list[Received] = []
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._httpd.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._queue.extend(replies)

    def next_reply(self, request: Received) -> Reply:
        with self._lock:
            self.received.append(request)
            if self._queue:
                return self._queue.popleft()
        return self.responder(request)

    def __enter__(self) -> ChatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def _handler(server: ChatServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            request = Received(self.path, dict(self.headers.items()), body)
            if self.path != "/v1/chat/completions":
                reply = Reply(404, b'{"error": "not found"}')
            else:
                reply = server.next_reply(request)
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)

    return Handler
