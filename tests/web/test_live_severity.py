"""The live page shows findings of every severity, each named in words, and its labelled
severity filter, worked from the keyboard, hides and shows them — including those that
arrive while it filters. A call streamed as the agent through `WS /api/v1/live`, watched by
its team lead in a real browser."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from websockets.sync.client import ClientConnection, connect

from tests.services.live_support import IMPATIENT
from tests.web.conftest import Console, shot
from tests.web.test_console import api_token, log_in
from tests.web.test_pages import CREDENTIAL, open_page, ws_url

CARD = "[data-conversation='live-sev-1']"
WORDS = {"high": "高风险", "medium": "中风险", "low": "低风险"}


@contextmanager
def streamed(console: Console) -> Iterator[ClientConnection]:
    with api_token(console, "agent") as api:
        token = api.headers["Authorization"].removeprefix("Bearer ")
    call = {"id": "live-sev-1", "channel": "phone", "industry": "securities",
            "agent": {"id": "A-17", "team": "east-1"}, "utterances": []}  # fmt: skip
    with connect(ws_url(console, "/api/v1/live"), subprotocols=["hegui", f"bearer.{token}"]) as ws:  # type: ignore[list-item]
        ws.send(json.dumps({"type": "start", "conversation": call, "seq": 0}))
        assert json.loads(ws.recv(10))["type"] == "ack"
        yield ws
        ws.send(json.dumps({"type": "end"}))
        while json.loads(ws.recv(10))["type"] != "closed":
            pass


def say(ws: ClientConnection, text: str, seq: int) -> list[dict[str, Any]]:
    """The findings the agent's screen gets for `text`."""
    ws.send(
        json.dumps({"type": "utterance", "utterance": {"role": "agent", "text": text}, "seq": seq})
    )
    got = [json.loads(ws.recv(10))]
    while got[-1]["type"] != "ack":
        got.append(json.loads(ws.recv(10)))
    return [m["finding"] for m in got if m["type"] == "finding"]


def visible(page: Any, severity: str) -> list[bool]:
    return [
        item.is_visible()
        for item in page.locator(f"{CARD} .live-finding[data-severity='{severity}']").all()
    ]


def choose(page: Any, key: str, expect: str) -> None:
    """A key on the focused filter (no mouse), the choice it makes, and what then shows:
    the findings of that severity (all of them for "")."""
    page.keyboard.press(key)
    assert page.locator("#live-severity").input_value() == expect
    for severity in WORDS:
        seen = visible(page, severity)
        assert seen == [expect in ("", severity)] * len(seen), (expect, severity, seen)


def test_every_severity_arrives_and_the_filter_shows_one(page: Any, console: Console) -> None:
    log_in(page, console, "team_lead")
    open_page(page, console, "live", "#live-state[data-state='connected']")
    with streamed(console) as ws:
        medium = say(ws, IMPATIENT, 1)
        assert [f["severity"] for f in medium] == ["medium"]
        page.locator(f"{CARD} .live-finding[data-severity='medium']").wait_for()
        high = say(ws, CREDENTIAL, 2)
        assert "high" in {f["severity"] for f in high}
        page.wait_for_function(  # every finding pushed to the agent, on the supervisor's page
            "(n) => document.querySelectorAll(\"[data-conversation='live-sev-1'] "
            '.live-finding").length === n',
            arg=len(medium + high),
        )
        page.locator(f"{CARD} .live-whisper").first.wait_for()  # whispers as before

        # Each finding says its severity in words, not by colour alone.
        for severity, word in WORDS.items():
            badges = page.locator(f"{CARD} .live-finding[data-severity='{severity}'] .sev-badge")
            assert badges.all_inner_texts() == [word] * badges.count()
        shown = {s: len(visible(page, s)) for s in WORDS}  # each finding pushed to the agent
        assert shown == {s: sum(f["severity"] == s for f in medium + high) for s in WORDS}
        for severity, n in shown.items():  # the card's tally per severity, in words too
            tally = page.locator(f"{CARD} [data-severity-count='{severity}']")
            assert tally.locator("[data-count]").inner_text() == str(n)
            assert WORDS[severity] in tally.inner_text()
        assert all(visible(page, "medium")) and all(visible(page, "high"))
        assert all(visible(page, "low"))
        shot(page, "live-every-severity")

        # The filter, by its label, from the keyboard.
        page.get_by_label("显示严重度").focus()
        assert page.evaluate("document.activeElement.id") == "live-severity"
        choose(page, "ArrowDown", "high")
        hidden = shown["medium"] + shown["low"]
        assert page.locator("#live-hidden").get_attribute("data-hidden") == str(hidden)
        assert "已按严重度筛选隐藏" in page.locator("#live-hidden").inner_text()
        shot(page, "live-filter-high")

        # A medium finding arriving while only high ones show is kept, hidden.
        again = say(ws, "你听不懂吗，我都说了几遍了", 3)
        assert "medium" in {f["severity"] for f in again}
        mediums = shown["medium"] + sum(f["severity"] == "medium" for f in again)
        page.wait_for_function(
            "(n) => document.querySelectorAll(\"[data-conversation='live-sev-1'] "
            ".live-finding[data-severity='medium']\").length === n",
            arg=mediums,
        )
        assert not any(visible(page, "medium"))

        choose(page, "ArrowDown", "medium")
        assert len(visible(page, "medium")) == mediums
        shot(page, "live-filter-medium")
        choose(page, "ArrowDown", "low")
        choose(page, "Home", "")
        assert page.locator("#live-hidden").inner_text() == ""
