"""`HttpChatClient`: an OpenAI-compatible chat-completions endpoint over HTTP (httpx).

`base_url` is what the vendor documents as the API root — `http://localhost:8000/v1`
(vLLM), `http://localhost:11434/v1` (Ollama), `https://api.deepseek.com/v1` — and the
client POSTs to `{base_url}/chat/completions`. One client serves any number of threads.
"""

from __future__ import annotations

import json
import math
import time
from typing import Any

import httpx

from hegui.adapters.llm.base import ChatReply, ChatRequest, LlmError, Usage

MAX_BODY = 4 * 1024 * 1024  # a chat completion is a few KiB; a larger answer is refused
EXCERPT = 300


class HttpChatClient:
    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """`timeout`: seconds for the whole call, connecting to the last byte."""
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(
                f"大模型地址须以 http(s):// 开头 LLM base URL must be http(s): {base_url!r}"
            )
        if not timeout > 0:
            raise ValueError("超时须大于 0 timeout must be > 0")
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.timeout = timeout
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._client = httpx.Client(
            headers=headers, timeout=httpx.Timeout(timeout), transport=transport
        )

    def close(self) -> None:
        self._client.close()

    def complete(self, request: ChatRequest) -> ChatReply:
        body: dict[str, Any] = {
            "model": request.model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "temperature": request.temperature,
            "max_tokens": request.max_tokens,
            "stream": False,
        }
        if request.json_mode:
            body["response_format"] = {"type": "json_object"}
        deadline = time.monotonic() + self.timeout
        try:
            with self._client.stream("POST", self.url, json=body) as response:
                data = _read(response, deadline, self.timeout)
                status = response.status_code
                retry_after = _retry_after(response.headers.get("retry-after"))
        except httpx.TimeoutException:
            raise LlmError(
                f"大模型超时 the LLM endpoint did not answer within {self.timeout:g} s",
                retryable=True,
            ) from None
        except httpx.HTTPError as exc:
            raise LlmError(
                f"无法连接大模型 cannot reach the LLM endpoint {self.url}: {exc}", retryable=True
            ) from None
        if status != 200:
            raise LlmError(
                f"大模型返回 HTTP {status} the LLM endpoint answered HTTP {status}: "
                f"{_excerpt(data)}",
                retryable=status == 429 or status >= 500,
                status=status,
                retry_after=retry_after,
            )
        return _reply(data, request.model)


def _read(response: httpx.Response, deadline: float, timeout: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BODY:
            raise LlmError(
                f"大模型应答过大 the LLM answer is over {MAX_BODY >> 20} MiB", retryable=False
            )
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout(f"no complete answer within {timeout:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


def _retry_after(value: str | None) -> float | None:
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None  # an HTTP date: the backoff decides
    return seconds if seconds is not None and math.isfinite(seconds) and seconds >= 0 else None


def _excerpt(data: bytes) -> str:
    return data[:EXCERPT].decode("utf-8", "replace").replace("\n", " ")


def _reply(data: bytes, model: str) -> ChatReply:
    try:
        doc = json.loads(data)
        content = doc["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise LlmError(
            f"大模型应答不是 chat completion the answer is not a chat completion: {_excerpt(data)}",
            retryable=False,
        ) from None
    if not isinstance(content, str):
        content = ""  # a refusal or a tool call: no verdict in it
    return ChatReply(content, _usage(doc.get("usage")), str(doc.get("model") or model))


def _usage(value: Any) -> Usage | None:
    if not isinstance(value, dict):
        return None
    prompt, completion = _count(value.get("prompt_tokens")), _count(value.get("completion_tokens"))
    if prompt is None or completion is None:
        return None
    return Usage(prompt, completion)


def _count(n: object) -> int | None:
    return n if isinstance(n, int) and not isinstance(n, bool) and n >= 0 else None
