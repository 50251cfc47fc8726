"""What the console needs of the API beyond the contract: a browser's WebSocket token as a
subprotocol (never in the URL), the supervisors' feed with the whispers, and the severity
policy the alerts page shows."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from tests.api.conftest import Api
from tests.services.live_support import CREDENTIAL, END, GREETING, said, start

LIVE = "/api/v1/live"
FEED = "/api/v1/live/feed"


def bearer(api: Api, role: str) -> list[str]:
    return ["hegui", f"bearer.{api.tokens[role]}"]


def until(ws: WebSocketTestSession, kind: str) -> list[dict[str, Any]]:
    got = [ws.receive_json()]
    while got[-1]["type"] != kind:
        got.append(ws.receive_json())
    return got


def test_a_browser_passes_its_token_as_a_subprotocol(api: Api) -> None:
    with api.client.websocket_connect(LIVE, subprotocols=bearer(api, "agent")) as ws:
        assert ws.accepted_subprotocol == "hegui"  # or the browser fails the connection
        ws.send_json(start(seq=1))
        assert ws.receive_json() == {"type": "ack", "seq": 1, "utterances": 0}
    with api.client.websocket_connect(FEED, subprotocols=bearer(api, "reviewer")) as feed:
        assert feed.accepted_subprotocol == "hegui"


@pytest.mark.parametrize(
    "protocols",
    [["hegui"], ["hegui", "bearer."], ["hegui", "bearer.hg1.forged.token"]],
)
def test_a_missing_or_bad_subprotocol_token_is_refused(api: Api, protocols: list[str]) -> None:
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        api.client.websocket_connect(FEED, subprotocols=protocols),
    ):
        pass
    assert refused.value.code == 1008


def test_the_subprotocol_does_not_lift_the_feed_s_role_check(api: Api) -> None:
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        api.client.websocket_connect(FEED, subprotocols=bearer(api, "agent")),
    ):
        pass
    assert refused.value.code == 1008 and "the feed is for" in (refused.value.reason or "")


def stream_credential_request(api: Api) -> None:
    with api.client.websocket_connect(LIVE, subprotocols=bearer(api, "agent")) as ws:
        ws.send_json(start(seq=0))
        ws.send_json(said(GREETING))
        ws.send_json(said(CREDENTIAL, seq=2))
        until(ws, "ack")
        until(ws, "ack")
        ws.send_json(END)
        until(ws, "closed")


def test_the_feed_carries_whispers_only_to_those_who_ask(api: Api) -> None:
    path = f"{FEED}?whispers=true"
    with (
        api.client.websocket_connect(path, subprotocols=bearer(api, "team_lead")) as lead,
        api.client.websocket_connect(FEED, subprotocols=bearer(api, "admin")) as admin,
    ):
        stream_credential_request(api)
        with_whispers = until(lead, "end")
        without = until(admin, "end")
    kinds = [m["type"] for m in with_whispers]
    assert kinds[0] == "start" and "whisper" in kinds and "finding" in kinds
    [whisper] = [m for m in with_whispers if m["type"] == "whisper"]
    assert whisper["conversation_id"] == "call-1"
    assert whisper["category"] == "privacy.credential_request"
    assert whisper["text"].startswith("请勿索要验证码")
    finding = next(m for m in with_whispers if m["type"] == "finding")
    assert with_whispers.index(finding) < with_whispers.index(whisper)  # as the agent saw them
    assert "whisper" not in {m["type"] for m in without}
    assert [m for m in without if m["type"] != "whisper"] == [
        m for m in with_whispers if m["type"] != "whisper"
    ]


def test_whispers_keep_the_feed_s_scope(api: Api) -> None:
    """A team lead of another team asks for whispers and gets nothing of east-1's call."""
    with api.platform.db.transaction() as session:
        spec = {"username": "lead-w", "password": "pw-123456", "role": "team_lead", "team": "w"}
        other = api.platform.users.create(session, spec, actor="seed")
        token = api.platform.users.tokens.issue(other.id, other.token_generation).access_token
    protocols = ["hegui", f"bearer.{token}"]
    with (
        api.client.websocket_connect(f"{FEED}?whispers=true", subprotocols=protocols) as west,
        api.client.websocket_connect(
            f"{FEED}?whispers=true", subprotocols=bearer(api, "admin")
        ) as admin,
    ):
        stream_credential_request(api)
        until(admin, "end")
        west.send_text("hello")  # the feed answers a message with an error: nothing before it
        assert west.receive_json()["type"] == "error"


def test_the_severity_policy_is_shown_to_managers_only(api: Api) -> None:
    answer = api.client.get("/api/v1/notifications/policy", headers=api.auth("compliance_manager"))
    assert answer.status_code == 200
    body = answer.json()
    notify = {r["severity"]: (r["notify"], r["due_hours"]) for r in body["severities"]}
    assert notify == {"high": ("immediate", 1), "medium": ("daily", 24), "low": ("weekly", 168)}
    assert body["digest_event"] == "digest" and body["timezone"] == "+08:00"
    for role in ("reviewer", "team_lead", "agent"):
        refused = api.client.get("/api/v1/notifications/policy", headers=api.auth(role))
        assert refused.status_code == 403
    assert api.client.get("/api/v1/notifications/policy").status_code == 401
