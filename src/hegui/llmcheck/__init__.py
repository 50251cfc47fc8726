"""llm rules: questions about a whole conversation, put to an OpenAI-compatible
chat-completions endpoint (docs/rules.md, "llm"). The engine compiles these rules and
never runs them; `LlmChecker` asks them, and the Inspector merges what it finds."""

from hegui.llmcheck.budget import TokenBudget, TokenUsage
from hegui.llmcheck.cache import AnswerCache, DirectoryCache, MemoryCache
from hegui.llmcheck.checker import Judgement, LlmChecker, LlmResult
from hegui.llmcheck.options import LlmOptions

__all__ = [
    "AnswerCache",
    "DirectoryCache",
    "Judgement",
    "LlmChecker",
    "LlmOptions",
    "LlmResult",
    "MemoryCache",
    "TokenBudget",
    "TokenUsage",
]
