"""What a chat-completions call takes and gives back, and the one-method Protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol


@dataclass(frozen=True, slots=True)
class ChatMessage:
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True, slots=True)
class ChatRequest:
    model: str
    messages: tuple[ChatMessage, ...]
    temperature: float = 0.7
    max_tokens: int = 400
    json_mode: bool = True  # ask for `response_format: {"type": "json_object"}`


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens as the endpoint counted them (`usage` of its response)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True, slots=True)
class ChatReply:
    content: str
    usage: Usage | None  # None: the endpoint did not say
    model: str = ""


class LlmError(Exception):
    """A call that gave no answer. `retryable`: a timeout, a network error, HTTP 429 or 5xx
    (the same call may succeed later); otherwise a 4xx or an answer that is not a
    chat completion, which would fail the same way again. `retry_after`: seconds the
    endpoint asked us to wait."""

    def __init__(
        self,
        message: str,
        *,
        retryable: bool,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after


class ChatClient(Protocol):
    """Anything that answers a chat-completions request; raises `LlmError` when it cannot."""

    def complete(self, request: ChatRequest) -> ChatReply: ...
