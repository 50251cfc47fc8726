"""The live WebSocket through the app (TestClient): the contract's messages in order,
whispers while there is time, scope, bad messages, disconnects."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIWebSocketRoute
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from hegui.api.routers import ROUTERS
from hegui.services.jobs import run_once
from tests.api.conftest import Api
from tests.services.live_support import (
    CREDENTIAL,
    DISCLOSE,
    END,
    GREETING,
    PROMISE,
    RECOMMEND,
    conversation,
    said,
    start,
)

LIVE = "/api/v1/live"
FEED = "/api/v1/live/feed"


@contextmanager
def streaming(api: Api, role: str = "agent", path: str = LIVE) -> Iterator[WebSocketTestSession]:
    with api.client.websocket_connect(f"{path}?access_token={api.tokens[role]}") as ws:
        yield ws


def until(ws: WebSocketTestSession, kind: str) -> list[dict[str, Any]]:
    """Messages up to and including the first of type `kind` (the server always answers)."""
    got = [ws.receive_json()]
    while got[-1]["type"] != kind:
        got.append(ws.receive_json())
    return got


def test_a_call_in_the_contract_s_order(api: Api) -> None:
    with streaming(api) as ws:
        ws.send_json(start(seq=0))
        assert ws.receive_json() == {"type": "ack", "seq": 0, "utterances": 0}
        live = 0  # the promise: a keyword finding, and the semantic pack's readings of it
        for n, text in enumerate([GREETING, RECOMMEND, PROMISE], start=1):
            ws.send_json(said(text, seq=n))
            got = until(ws, "ack")
            assert got[-1] == {"type": "ack", "seq": n, "utterance_index": n - 1}
            live += sum(1 for m in got if m["type"] == "finding")
        assert live >= 1
        ws.send_json(END)
        closing = until(ws, "closed")
        assert {m["type"] for m in closing[:-1]} == {"finding"}
        assert all(m["finding"]["utterance_index"] is None for m in closing[:-1])
        assert closing[-1]["findings"] == live + len(closing) - 1  # the promise, then these
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 1000
    assert api.platform.live.live == {} and api.platform.live.connections == set()


def test_a_finding_is_pushed_as_soon_as_it_is_known(api: Api) -> None:
    with streaming(api) as ws:
        ws.send_json(start())
        ws.send_json(said(GREETING))
        ws.send_json(said(PROMISE, seq=2))
        got = until(ws, "ack")  # the keyword rule's finding and whisper (and the model's readings)
        rule = "securities.promise.baoben"
        [finding] = [m for m in got if m["type"] == "finding" and m["finding"]["rule_id"] == rule]
        [whisper] = [m for m in got if m["type"] == "whisper" and m["rule_id"] == rule]
        assert got.index(whisper) > got.index(finding) and got[-1]["type"] == "ack"
        assert finding["finding"]["conversation_id"] == "call-1"
        assert finding["finding"]["span"] == [4, 6] and finding["finding"]["utterance_index"] == 1
        assert whisper == {
            "type": "whisper",
            "text": "请勿承诺收益或保本 / Do not promise returns",
            "rule_id": "securities.promise.baoben",
            "severity": "high",
            "category": "compliance.guarantee_return",
            "reason": "finding",
        }


def test_the_agent_is_prompted_for_the_risk_disclosure_before_the_call_ends(api: Api) -> None:
    with streaming(api) as ws:
        ws.send_json(start())
        ws.send_json(said(GREETING, seq=1))
        assert until(ws, "ack") == [{"type": "ack", "seq": 1, "utterance_index": 0}]
        ws.send_json(said(RECOMMEND, seq=2))
        whispers = [m for m in until(ws, "ack") if m["type"] == "whisper"]
        risk = [w for w in whispers if w["category"] == "compliance.missing_risk_disclosure"]
        assert [w["text"] for w in risk] == ["请进行风险提示 / Give the risk disclosure"]
        assert risk[0]["severity"] == "high" and risk[0]["rule_id"].startswith("securities.")
        ws.send_json(said(DISCLOSE))  # the agent follows the prompt
        ws.send_json(said("感谢来电，再见"))
        ws.send_json(END)
        assert until(ws, "closed")[-1] == {"type": "closed", "findings": 0}


def test_a_credential_request_is_whispered_at_once(api: Api) -> None:
    with streaming(api) as ws:
        ws.send_json(start(conversation("c-cred", "A-17", "east-1", GREETING)))
        ws.send_json(said(CREDENTIAL, seq=9))
        got = until(ws, "ack")
        assert [m["type"] for m in got] == ["finding", "whisper", "ack"]
        assert got[1]["text"] == "请勿索要验证码/密码 / Never ask for codes or passwords"
        assert got[1]["rule_id"] == got[0]["finding"]["rule_id"]


BAD_FRAMES: list[tuple[str | bytes, str]] = [
    ("{not json", "invalid JSON"),
    (b"\xff\xfe", "invalid UTF-8"),
    ('"a string"', "expected a JSON object"),
    ('{"type": "hello"}', "type: "),
    ('{"utterance": {}}', "type: "),
    ('{"type": "utterance", "utterance": {"role": "agent", "text": "早"}}', "send start before"),
    ('{"type": "end"}', "send start before end"),
    ('{"type": "start", "conversation": {"id": "c"}}', "conversation.utterances: "),
]


def test_bad_messages_are_answered_and_the_connection_stays_usable(api: Api) -> None:
    with streaming(api) as ws:
        for frame, words in BAD_FRAMES:
            if isinstance(frame, bytes):
                ws.send_bytes(frame)
            else:
                ws.send_text(frame)
            answer = ws.receive_json()
            assert answer["type"] == "error" and words in answer["detail"], (frame, answer)
            assert "Traceback" not in answer["detail"]
        ws.send_json(start(seq="s0"))
        assert ws.receive_json() == {"type": "ack", "seq": "s0", "utterances": 0}
        for message, field in [
            (start(), "type: "),  # a second start
            ({"type": "utterance", "utterance": {"role": "agent"}}, "utterance.text: "),
            (said("好", role="robot"), "utterance.role: "),
            (said("好", seq=[1]), "seq: "),
        ]:
            ws.send_json(message)
            answer = ws.receive_json()
            assert answer["type"] == "error" and answer["detail"].startswith(field), answer
        ws.send_bytes(
            b'{"type": "utterance", "utterance": {"role": "agent", "text": "\xe5\xa5\xbd"}, "seq": 1}'
        )
        assert ws.receive_json() == {"type": "ack", "seq": 1, "utterance_index": 0}


def test_an_oversized_frame_is_refused_by_name(api: Api) -> None:
    with streaming(api) as ws:
        ws.send_json(start())
        ws.send_json(said("好" * 100_000))
        answer = ws.receive_json()
        assert answer["type"] == "error" and "message too large" in answer["detail"]
        ws.send_json(said("好" * 9_000))
        assert ws.receive_json()["detail"].startswith("utterance.text: 太长 too long: 9000")


@pytest.mark.parametrize(
    ("role", "body", "field"),
    [
        ("agent", conversation(agent="A-30"), "conversation.agent.id"),
        ("agent", conversation(agent=None, team=None), "conversation.agent.id"),
        ("team_lead", conversation(team="west-2"), "conversation.agent.team"),
    ],
)
def test_a_user_cannot_stream_a_call_it_may_not_see(
    api: Api, role: str, body: dict[str, Any], field: str
) -> None:
    with streaming(api, role) as ws:
        ws.send_json(start(body))
        refused = ws.receive_json()
        assert refused["type"] == "error" and refused["detail"].startswith(f"{field}: 无权")
        ws.send_json(said("好"))
        assert "send start before" in ws.receive_json()["detail"]
    assert api.platform.live.live == {}


@pytest.mark.parametrize("role", ["admin", "compliance_manager", "reviewer", "team_lead"])
def test_other_roles_stream_what_they_may_see(api: Api, role: str) -> None:
    with streaming(api, role) as ws:
        ws.send_json(start(conversation(agent="A-99"), seq=0))
        assert ws.receive_json()["type"] == "ack"


@pytest.mark.parametrize("path", [LIVE, FEED])
@pytest.mark.parametrize("token", ["", "not-a-token"])
def test_without_a_valid_token_the_socket_closes_1008(api: Api, path: str, token: str) -> None:
    url = f"{path}?access_token={token}"
    with pytest.raises(WebSocketDisconnect) as refused, api.client.websocket_connect(url):
        pass
    assert refused.value.code == 1008


def test_the_token_may_come_in_the_header(api: Api) -> None:
    with api.client.websocket_connect(LIVE, headers=api.auth("agent")) as ws:
        ws.send_json(start(seq=1))
        assert ws.receive_json()["type"] == "ack"


def test_an_agent_may_not_open_the_feed(api: Api) -> None:
    with pytest.raises(WebSocketDisconnect) as refused, streaming(api, "agent", FEED):
        pass
    assert refused.value.code == 1008 and "the feed is for" in (refused.value.reason or "")


def test_a_disconnect_without_end_is_cleaned_up(api: Api) -> None:
    with streaming(api) as ws:
        ws.send_json(start(seq=0))
        ws.receive_json()
        ws.send_json(said(GREETING, seq=1))
        ws.receive_json()
        assert list(api.platform.live.live) == ["call-1"]
    # The socket closed without `end`: the server finished the conversation before the
    # TestClient returned.
    assert api.platform.live.live == {} and api.platform.live.connections == set()
    with streaming(api) as ws:  # the id is free again
        ws.send_json(start(seq=0))
        assert ws.receive_json()["type"] == "ack"


def test_every_websocket_route_is_in_docs_api_md() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text("utf-8")
    paths = [
        r.path for router in ROUTERS for r in router.routes if isinstance(r, APIWebSocketRoute)
    ]
    assert sorted(paths) == [LIVE, FEED]
    assert [p for p in paths if f"`WS {p}`" not in doc] == []


def test_a_finished_call_enters_the_ledger_like_any_other(api: Api) -> None:
    with streaming(api) as ws:
        ws.send_json(start(conversation("ledger-1", "A-17", "east-1", GREETING), seq=0))
        ws.receive_json()
        ws.send_json(said("我的手机号是13812345678", role="customer"))
        ws.send_json(said(CREDENTIAL))
        ws.send_json(END)
        live = [m["finding"] for m in until(ws, "closed") if m["type"] == "finding"]
    while run_once(api.platform):
        pass
    with api.platform.db.reader() as session:
        stored = api.platform.conversations.get(session, "ledger-1")
        ledger = api.platform.findings.for_conversation(session, "ledger-1")
    assert stored.status == "inspected" and stored.agent_id == "A-17" and stored.team == "east-1"
    assert stored.extra["live"] == {"outcome": "ended", "utterances": 3, "user": "li"}
    assert "13812345678" not in stored.utterances[1].text  # masked before it was stored
    key = lambda f: (f["rule_id"], f["utterance_index"], f["evidence"])  # noqa: E731
    assert sorted(map(key, live)) == sorted(key(f.contract()) for f in ledger)
    assert any(f["category"] == "privacy.credential_request" for f in live)


def test_a_call_cut_off_enters_the_ledger_as_abandoned(api: Api) -> None:
    with streaming(api) as ws:
        ws.send_json(start(conversation("ledger-2", "A-17", "east-1", GREETING), seq=0))
        ws.receive_json()
        ws.send_json(said(PROMISE, seq=1))
        until(ws, "ack")
    while run_once(api.platform):
        pass
    with api.platform.db.reader() as session:
        stored = api.platform.conversations.get(session, "ledger-2")
        ledger = api.platform.findings.for_conversation(session, "ledger-2")
    assert stored.extra["live"]["outcome"] == "abandoned" and len(stored.utterances) == 2
    assert "securities.promise.baoben" in {f.rule_id for f in ledger}


def test_a_conversation_the_platform_cannot_store_is_refused_at_start(api: Api) -> None:
    with streaming(api, "admin") as ws:
        ws.send_json(start(conversation("x" * 200)))
        assert ws.receive_json()["detail"].startswith("conversation.id: 过长")
        ws.send_json(start(seq=0))
        assert ws.receive_json()["type"] == "ack"
        ws.send_json(said("零\x00一"))
        assert ws.receive_json()["detail"].startswith("utterance.text: ")
