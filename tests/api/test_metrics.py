"""Findings metrics over HTTP: counts per group match the findings themselves, limited to
what the user may see, by day at an offset, in a period."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.api.conftest import Api
from tests.api.seeding import OTHER, OWN, conversation, inspected

URL = "/api/v1/metrics/findings"
# Shanghai evening of 5 January is 6 January in UTC+08:00 but 5 January in UTC.
CALLS = [
    ("a", OWN, "phone", "2025-01-05T20:30:00+08:00"),
    ("b", OWN, "chat", "2025-01-06T09:00:00+08:00"),
    ("c", OTHER, "phone", "2025-01-06T10:00:00+08:00"),
    ("d", None, "phone", "2025-02-01T10:00:00+08:00"),
]


@pytest.fixture
def seeded(api: Api) -> dict[str, list[dict[str, Any]]]:
    inspected(
        api.platform,
        *(conversation(cid, agent, channel=ch, started_at=at) for cid, agent, ch, at in CALLS),
    )
    return {
        cid: api.client.get(
            f"/api/v1/conversations/{cid}/findings", headers=api.auth("admin")
        ).json()["items"]
        for cid, *_ in CALLS
    }


def groups(api: Api, role: str = "admin", **params: str) -> dict[str | None, int]:
    response = api.client.get(URL, params=params, headers=api.auth(role))
    assert response.status_code == 200, response.text
    return {g["key"]: g["count"] for g in response.json()["groups"]}


def test_counts_by_category_match_the_findings(api: Api, seeded: dict[str, Any]) -> None:
    expected = Counter(f["category"] for items in seeded.values() for f in items)
    assert groups(api, group_by="category") == dict(expected)
    severity = Counter(f["severity"] for items in seeded.values() for f in items)
    assert groups(api, group_by="severity") == dict(severity)


def test_counts_by_who_and_where(api: Api, seeded: dict[str, Any]) -> None:
    n = {cid: len(items) for cid, items in seeded.items()}
    assert n["a"] > 0
    assert groups(api, group_by="agent") == {"A-17": n["a"] + n["b"], "B-9": n["c"], None: n["d"]}
    assert groups(api, group_by="team") == {
        "east-1": n["a"] + n["b"],
        "west-2": n["c"],
        None: n["d"],
    }
    assert groups(api, group_by="channel") == {"phone": n["a"] + n["c"] + n["d"], "chat": n["b"]}


def test_days_at_an_offset_in_date_order(api: Api, seeded: dict[str, Any]) -> None:
    n = {cid: len(items) for cid, items in seeded.items()}
    response = api.client.get(URL, params={"group_by": "day"}, headers=api.auth("admin"))
    assert [g["key"] for g in response.json()["groups"]] == [
        "2025-01-05",
        "2025-01-06",
        "2025-02-01",
    ]
    assert groups(api, group_by="day", tz="+08:00") == {
        "2025-01-05": n["a"],
        "2025-01-06": n["b"] + n["c"],
        "2025-02-01": n["d"],
    }
    assert groups(api, group_by="day", tz="-05:00")["2025-01-05"] == n["a"] + n["b"] + n["c"]


def test_a_period_limits_the_conversations(api: Api, seeded: dict[str, Any]) -> None:
    n = {cid: len(items) for cid, items in seeded.items()}
    january = {"since": "2025-01-06T00:00:00+08:00", "until": "2025-02-01T00:00:00+08:00"}
    assert groups(api, group_by="agent", **january) == {"A-17": n["b"], "B-9": n["c"]}


@pytest.mark.parametrize(
    ("role", "agents"),
    [("agent", {"A-17"}), ("team_lead", {"A-17"}), ("reviewer", {"A-17", "B-9", None})],
)
def test_each_user_counts_only_what_it_may_see(
    api: Api, seeded: dict[str, Any], role: str, agents: set[str | None]
) -> None:
    assert set(groups(api, role, group_by="agent")) == agents
    total = sum(groups(api, role, group_by="category").values())
    assert total == sum(groups(api, role, group_by="agent").values())


def test_nothing_to_count_is_no_group(api: Api) -> None:
    assert groups(api, group_by="category") == {}


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"group_by": "week"}, ["query", "group_by"]),
        ({}, ["query", "group_by"]),
        ({"group_by": "day", "tz": "Asia/Shanghai"}, ["query", "tz"]),
        ({"group_by": "day", "since": "2025-01-01T00:00:00"}, ["query", "since"]),
        (
            {"group_by": "day", "since": "2025-02-01T00:00:00Z", "until": "2025-01-01T00:00:00Z"},
            ["query", "until"],
        ),
    ],
)
def test_bad_parameters_are_422_naming_them(
    api: Api, params: dict[str, str], loc: list[str]
) -> None:
    response = api.client.get(URL, params=params, headers=api.auth("admin"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == loc
