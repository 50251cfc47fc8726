"""Chat-completions endpoints (OpenAI-compatible: vLLM, Ollama, DeepSeek, Qwen …) behind
one Protocol, `ChatClient.complete`; `HttpChatClient` speaks HTTP, `FakeChatClient` answers
from a script."""

from hegui.adapters.llm.base import (
    ChatClient,
    ChatMessage,
    ChatReply,
    ChatRequest,
    LlmError,
    Usage,
)
from hegui.adapters.llm.fake import FakeChatClient
from hegui.adapters.llm.http import HttpChatClient

__all__ = [
    "ChatClient",
    "ChatMessage",
    "ChatReply",
    "ChatRequest",
    "FakeChatClient",
    "HttpChatClient",
    "LlmError",
    "Usage",
]
