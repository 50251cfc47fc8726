"""HttpChatClient against a real local server; FakeChatClient's script."""

from __future__ import annotations

import pytest

from hegui.adapters.llm import (
    ChatMessage,
    ChatReply,
    ChatRequest,
    FakeChatClient,
    HttpChatClient,
    LlmError,
    Usage,
)
from hegui.adapters.llm import http as llm_http
from tests.llmcheck.server import ChatServer, Reply, completion, error

REQUEST = ChatRequest("m", (ChatMessage("user", "问"),), temperature=0.5, max_tokens=50)


def test_a_completion_and_its_usage() -> None:
    with ChatServer(lambda r: completion("答", 12, 3)) as server:
        reply = HttpChatClient(server.base_url + "/").complete(REQUEST)
        (sent,) = server.received
    assert reply == ChatReply("答", Usage(12, 3), "test-model")
    assert sent.path == "/v1/chat/completions" and "Authorization" not in sent.headers
    assert sent.body["messages"] == [{"role": "user", "content": "问"}]
    assert sent.body["max_tokens"] == 50 and sent.body["stream"] is False


@pytest.mark.parametrize(
    ("reply", "retryable", "says"),
    [
        (error(429, "3"), True, "HTTP 429"),
        (error(503), True, "HTTP 503"),
        (error(401), False, "HTTP 401"),
        (Reply(200, b"<html>gateway</html>"), False, "not a chat completion"),
        (Reply(200, b'{"choices": []}'), False, "not a chat completion"),
    ],
)
def test_failures_say_whether_to_retry(reply: Reply, retryable: bool, says: str) -> None:
    with ChatServer(lambda r: reply) as server, pytest.raises(LlmError) as caught:
        HttpChatClient(server.base_url).complete(REQUEST)
    assert caught.value.retryable is retryable and says in str(caught.value)
    if reply.status == 429:
        assert caught.value.retry_after == 3.0


def test_an_oversized_answer_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(llm_http, "MAX_BODY", 1000)
    server = ChatServer(lambda r: completion("长" * 2000))
    with server, pytest.raises(LlmError, match="over"):
        HttpChatClient(server.base_url).complete(REQUEST)


def test_a_missing_or_odd_usage_is_none() -> None:
    with ChatServer(lambda r: completion("x", prompt_tokens=None)) as server:
        assert HttpChatClient(server.base_url).complete(REQUEST).usage is None


def test_bad_construction() -> None:
    with pytest.raises(ValueError, match="http"):
        HttpChatClient("localhost:8000")
    with pytest.raises(ValueError, match="timeout"):
        HttpChatClient("http://x", timeout=0)


def test_the_fake_answers_from_its_script() -> None:
    fake = FakeChatClient(["a", LlmError("busy", retryable=True), "b"])
    assert fake.complete(REQUEST).content == "a"
    with pytest.raises(LlmError):
        fake.complete(REQUEST)
    assert [fake.complete(REQUEST).content for _ in range(2)] == ["b", "b"]
    assert len(fake.requests) == 4
    by_function = FakeChatClient(answer=lambda request: request.model)
    assert by_function.complete(REQUEST).content == "m"
    with pytest.raises(ValueError):
        FakeChatClient()
