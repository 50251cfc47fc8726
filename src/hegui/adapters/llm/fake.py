"""A scripted `ChatClient`: answers in turn from a list, or from a function of the request."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TypeAlias

from hegui.adapters.llm.base import ChatReply, ChatRequest, LlmError, Usage

Scripted: TypeAlias = "str | LlmError | ChatReply"


class FakeChatClient:
    """`FakeChatClient(['{"answer": "no", "evidence": []}', LlmError(...)])` answers each
    call with the next item (a string becomes a reply counting 10 + 5 tokens; an LlmError
    is raised), the last one repeating; or `FakeChatClient(answer=lambda request: ...)`.
    `requests` records every request, in order. Thread-safe."""

    def __init__(
        self,
        script: Iterable[Scripted] = (),
        *,
        answer: Callable[[ChatRequest], Scripted] | None = None,
    ) -> None:
        self._script = list(script)
        self._answer = answer
        if not self._script and answer is None:
            raise ValueError("给出脚本或应答函数 give a script or an answer function")
        self._lock = threading.Lock()
        self.requests: list[ChatRequest] = []

    def complete(self, request: ChatRequest) -> ChatReply:
        with self._lock:
            self.requests.append(request)
            if self._answer is not None:
                item = self._answer(request)
            else:
                item = self._script.pop(0) if len(self._script) > 1 else self._script[0]
        if isinstance(item, LlmError):
            raise item
        if isinstance(item, ChatReply):
            return item
        return ChatReply(item, Usage(10, 5), request.model)
