"""The dashboard's filters over HTTP: team, channel, industry and agent narrow every metrics
endpoint and the one-call `/metrics/dashboard` to the findings of the matching
conversations, the viewer's role still limits them, the ledger takes the same filters,
and a conversation's new revision stops its older revision's findings being counted."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from tests.api.seeding import OTHER, OWN, conversation, inspected
from tests.services.ingest_support import call

LOST = {"id": "C-3", "name": "张", "team": "south-5"}
# (id, agent, channel, industry)
CALLS = [
    ("a", OWN, "phone", "securities"),
    ("b", OWN, "chat", "banking"),
    ("c", OTHER, "phone", "securities"),
    ("d", OTHER, "phone", "insurance"),
    ("e", LOST, "chat", "banking"),
]
WHO = {cid: (agent, channel, industry) for cid, agent, channel, industry in CALLS}


@pytest.fixture
def seeded(api: Api) -> dict[str, int]:
    """Findings per conversation id (each makes some: the agent promises 保本)."""
    inspected(
        api.platform,
        *(
            conversation(cid, agent, channel=ch, industry=ind, started_at="2025-01-06T10:00:00Z")
            for cid, agent, ch, ind in CALLS
        ),
    )
    found = {
        cid: len(
            api.client.get(
                f"/api/v1/conversations/{cid}/findings", headers=api.auth("admin")
            ).json()["items"]
        )
        for cid, *_ in CALLS
    }
    assert all(found.values())
    return found


def get(api: Api, path: str, role: str = "admin", **params: str) -> Any:
    response = api.client.get(path, params=params, headers=api.auth(role))
    assert response.status_code == 200, response.text
    return response.json()


def counts(api: Api, group_by: str, role: str = "admin", **params: str) -> dict[Any, int]:
    answer = get(api, "/api/v1/metrics/findings", role, group_by=group_by, **params)
    return {g["key"]: g["count"] for g in answer["groups"]}


def matching(n: dict[str, int], **want: str) -> int:
    """Findings of the seeded conversations with these team, channel, industry, agent."""
    total = 0
    for cid, (agent, channel, industry) in WHO.items():
        values = {"team": agent["team"], "agent": agent["id"], "channel": channel}
        values["industry"] = industry
        if all(values[k] == v for k, v in want.items()):
            total += n[cid]
    return total


@pytest.mark.parametrize(
    "want",
    [
        {"team": "east-1"},
        {"team": "west-2"},
        {"channel": "chat"},
        {"industry": "securities"},
        {"industry": "banking"},
        {"agent": "B-9"},
        {"team": "east-1", "channel": "phone"},
        {"channel": "phone", "industry": "insurance"},
        {"team": "nobody"},
    ],
)
def test_each_filter_counts_the_matching_conversations(
    api: Api, seeded: dict[str, int], want: dict[str, str]
) -> None:
    expected = matching(seeded, **want)
    for group_by in ("category", "severity", "team", "channel", "agent", "day"):
        assert sum(counts(api, group_by, **want).values()) == expected
    summary = get(api, "/api/v1/metrics/dashboard", **want)
    assert summary["total"] == expected
    for group_by, groups in summary["groups"].items():
        assert {g["key"]: g["count"] for g in groups} == counts(api, group_by, **want)
    if "team" in want:
        assert set(counts(api, "team", **want)) <= {want["team"]}


def test_the_ledger_takes_the_same_filters(api: Api, seeded: dict[str, int]) -> None:
    for want in ({"team": "west-2"}, {"channel": "chat"}, {"industry": "banking"}):
        total = get(api, "/api/v1/metrics/dashboard", **want)["total"]
        ledger = get(api, "/api/v1/cases", **want)
        assert ledger["total"] == total == matching(seeded, **want)
    agent = get(api, "/api/v1/cases", agent_id="B-9")["total"]
    assert agent == get(api, "/api/v1/metrics/dashboard", agent="B-9")["total"]


def test_options_are_what_the_viewer_may_choose_whatever_the_filters(
    api: Api, seeded: dict[str, int]
) -> None:
    every = {
        "team": ["east-1", "south-5", "west-2"],
        "channel": ["chat", "phone"],
        "industry": ["banking", "insurance", "securities"],
    }
    assert get(api, "/api/v1/metrics/dashboard")["options"] == every
    assert get(api, "/api/v1/metrics/dashboard", team="west-2")["options"] == every
    own = {"team": ["east-1"], "channel": ["chat", "phone"], "industry": ["banking", "securities"]}
    assert get(api, "/api/v1/metrics/dashboard", "team_lead")["options"] == own
    assert get(api, "/api/v1/metrics/dashboard", "agent")["options"] == own
    january = {"since": "2025-02-01T00:00:00Z"}
    empty = {"team": [], "channel": [], "industry": []}
    assert get(api, "/api/v1/metrics/dashboard", **january)["options"] == empty


@pytest.mark.parametrize("role", ["team_lead", "agent"])
def test_a_filter_never_widens_what_a_role_sees(
    api: Api, seeded: dict[str, int], role: str
) -> None:
    own = seeded["a"] + seeded["b"]
    assert get(api, "/api/v1/metrics/dashboard", role)["total"] == own
    assert get(api, "/api/v1/metrics/dashboard", role, team="west-2")["total"] == 0
    assert get(api, "/api/v1/metrics/dashboard", role, agent="B-9")["total"] == 0
    assert counts(api, "agent", role, team="west-2") == {}
    chat = get(api, "/api/v1/metrics/dashboard", role, channel="chat")
    assert chat["total"] == seeded["b"]
    assert get(api, "/api/v1/cases", role, channel="chat")["total"] == seeded["b"]
    assert get(api, "/api/v1/metrics/heatmap", role, team="west-2")["cells"] == []


def test_conversation_metrics_scores_and_heat_map_take_the_filters(
    api: Api, seeded: dict[str, int]
) -> None:
    chats = get(api, "/api/v1/metrics/conversations", group_by="team", channel="chat")
    assert {g["key"]: g["conversations"] for g in chats["groups"]} == {"east-1": 1, "south-5": 1}
    scores = get(api, "/api/v1/metrics/scores", group_by="agent", industry="securities")
    assert {g["key"]: g["conversations"] for g in scores["groups"]} == {"A-17": 1, "B-9": 1}
    heat = get(api, "/api/v1/metrics/heatmap", team="west-2")["cells"]
    assert heat and {c["team"] for c in heat} == {"west-2"}
    everyone = get(api, "/api/v1/metrics/heatmap")["cells"]
    assert {c["team"] for c in everyone} == {"east-1", "west-2", "south-5"}


def test_a_new_revision_stops_the_old_one_being_counted(api: Api, seeded: dict[str, int]) -> None:
    before = get(api, "/api/v1/metrics/dashboard", team="west-2")["total"]
    assert before == seeded["c"] + seeded["d"]
    # "c" again, now without the promise: its first revision's findings no longer count.
    clean = call("c", "您好 请问有什么可以帮您", "这个基金保本吗", "基金有风险 不保本")
    inspected(api.platform, {**clean, "agent": OTHER, "started_at": "2025-01-06T10:00:00Z"})
    now = get(api, "/api/v1/conversations/c/findings")["items"]
    after = get(api, "/api/v1/metrics/dashboard", team="west-2")["total"]
    assert after == seeded["d"] + len(now)
    assert sum(counts(api, "agent", team="west-2").values()) == after


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"team": ""}, ["query", "team"]),
        ({"channel": "x" * 17}, ["query", "channel"]),
        ({"industry": ""}, ["query", "industry"]),
        ({"agent": "a" * 65}, ["query", "agent"]),
        ({"tz": "Asia/Shanghai"}, ["query", "tz"]),
        ({"since": "2025-02-01T00:00:00Z", "until": "2025-01-01T00:00:00Z"}, ["query", "until"]),
    ],
)
def test_bad_filters_are_422_naming_them(api: Api, params: dict[str, str], loc: list[str]) -> None:
    response = api.client.get("/api/v1/metrics/dashboard", params=params, headers=api.auth("admin"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == loc
