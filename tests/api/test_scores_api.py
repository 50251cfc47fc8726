"""Scores, conversation metrics and the heat map over HTTP: what each role sees, the
breakdown citing finding ids, and bad queries answered 422."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api
from tests.api.seeding import OTHER, OWN, conversation, inspected
from tests.services.ingest_support import call

CALLS = [
    ("m-a", OWN, "2025-01-05T20:30:00+08:00"),
    ("m-b", OTHER, "2025-01-06T10:00:00+08:00"),
]


@pytest.fixture
def seeded(api: Api) -> None:
    inspected(api.platform, *(conversation(c, agent, started_at=at) for c, agent, at in CALLS))


def get(api: Api, url: str, role: str = "admin", **params: str) -> Any:
    response = api.client.get(url, params=params, headers=api.auth(role))
    assert response.status_code == 200, response.text
    return response.json()


def test_a_conversation_score_cites_its_findings(api: Api, seeded: None) -> None:
    score = get(api, "/api/v1/scores/m-a")
    findings = get(api, "/api/v1/conversations/m-a/findings")["items"]
    assert score["scorecard"] == "securities" and score["revision"] == 1
    assert score["score"] == 0.0 and score["fatal"] is True
    baoben = [f for f in findings if f["rule_id"] == "securities.promise.baoben"]
    assert baoben and score["breakdown"]["fatal_items"][0]["item"] == "fatal_compliance"
    cited = {i for d in score["breakdown"]["deductions"] for i in d["findings"]}
    assert len(cited) == len(findings)
    assert api.client.get("/api/v1/scores/m-b", headers=api.auth("agent")).status_code == 404
    assert api.client.get("/api/v1/scores/nope", headers=api.auth("admin")).status_code == 404


def test_metrics_per_agent_and_day_by_role(api: Api, seeded: None) -> None:
    groups = get(api, "/api/v1/metrics/conversations", group_by="agent")["groups"]
    assert [(g["key"], g["conversations"]) for g in groups] == [("A-17", 1), ("B-9", 1)]
    assert groups[0]["averages"]["talk_agent"] == 5.0
    assert groups[0]["averages"]["hold_share"] == 0.0
    mine = get(api, "/api/v1/metrics/conversations", "agent", group_by="agent")["groups"]
    assert [g["key"] for g in mine] == ["A-17"]
    lead = get(api, "/api/v1/metrics/conversations", "team_lead", group_by="team")["groups"]
    assert [g["key"] for g in lead] == ["east-1"]
    days = get(api, "/api/v1/metrics/conversations", group_by="day", tz="+08:00")["groups"]
    assert [g["key"] for g in days] == ["2025-01-05", "2025-01-06"]
    period = {"since": "2025-01-06T00:00:00+08:00", "until": "2025-01-07T00:00:00+08:00"}
    one = get(api, "/api/v1/metrics/conversations", group_by="channel", **period)["groups"]
    assert [(g["key"], g["conversations"]) for g in one] == [("phone", 1)]


def test_scores_and_heatmap_by_role(api: Api, seeded: None) -> None:
    teams = get(api, "/api/v1/metrics/scores", group_by="team")["groups"]
    assert {g["key"]: (g["conversations"], g["fatal"]) for g in teams} == {
        "east-1": (1, 1),
        "west-2": (1, 1),
    }
    assert [
        g["key"] for g in get(api, "/api/v1/metrics/scores", "agent", group_by="agent")["groups"]
    ] == ["A-17"]
    cells = get(api, "/api/v1/metrics/heatmap")["cells"]
    assert {c["team"] for c in cells} == {"east-1", "west-2"}
    baoben = [c for c in cells if c["category"] == "compliance.guarantee_return"]
    assert [(c["team"], c["findings"], c["points"]) for c in baoben] == [
        ("east-1", 1, 10.0),
        ("west-2", 1, 10.0),
    ]
    lead = get(api, "/api/v1/metrics/heatmap", "team_lead")["cells"]
    assert {c["team"] for c in lead} == {"east-1"}


def test_scorecards_listed_and_shown(api: Api) -> None:
    items = get(api, "/api/v1/scorecards", "agent")["items"]
    assert {i["scorecard"] for i in items} >= {"general", "securities", "banking"}
    card = get(api, "/api/v1/scorecards/securities")
    assert card["industries"] == ["securities"] and card["definition"]["items"]
    assert api.client.get("/api/v1/scorecards/nope", headers=api.auth("admin")).status_code == 404


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/v1/metrics/conversations", {"group_by": "category"}, "group_by"),
        ("/api/v1/metrics/conversations", {}, "group_by"),
        ("/api/v1/metrics/scores", {"group_by": "agent", "tz": "+25:00"}, "tz"),
        (
            "/api/v1/metrics/heatmap",
            {"since": "2025-02-01T00:00:00Z", "until": "2025-01-01T00:00:00Z"},
            "until",
        ),
    ],
)
def test_bad_queries_answer_422_naming_the_field(
    api: Api, url: str, params: dict[str, str], field: str
) -> None:
    response = api.client.get(url, params=params, headers=api.auth("admin"))
    assert response.status_code == 422
    assert field in response.text


def test_the_score_distribution_and_the_cases_behind_a_band(api: Api, seeded: None) -> None:
    # A third call whose only finding is a low-severity one scores well above 0.
    inspected(
        api.platform,
        call(
            "m-c",
            "喂",
            "你好 我想问下基金的事",
            "嗯 您说",
            agent=OWN,
            started_at="2025-01-07T10:00:00+08:00",
        ),
    )
    third = get(api, "/api/v1/scores/m-c")
    assert third["score"] > 0 and not third["fatal"]
    answer = get(api, "/api/v1/metrics/scores", group_by="band")
    bands = answer["groups"]
    order = ["0-59", "60-69", "70-79", "80-89", "90-100"]
    # Every band with its bounds, empty ones too: a client links a band to /cases with them.
    assert [(b["key"], b["score_min"], b["score_below"]) for b in answer["bands"]] == [
        ("0-59", 0, 60),
        ("60-69", 60, 70),
        ("70-79", 70, 80),
        ("80-89", 80, 90),
        ("90-100", 90, None),
    ]
    assert get(api, "/api/v1/metrics/scores", group_by="team")["bands"] is None
    assert [g["key"] for g in bands] == sorted(
        {g["key"] for g in bands}, key=order.index
    )  # lowest band first
    assert sum(g["conversations"] for g in bands) == 3
    low = next(g for g in bands if g["key"] == "0-59")
    assert low["conversations"] == 2 and low["fatal"] == 2 and low["maximum"] < 60
    own = get(api, "/api/v1/metrics/scores", "agent", group_by="band")["groups"]
    assert sum(g["conversations"] for g in own) == 2  # A-17's two calls only

    def cases(**params: str) -> set[str]:
        items = get(api, "/api/v1/cases", **params, limit="100")["items"]
        return {c["conversation_id"] for c in items}

    assert cases(score_min="0", score_below="60") == {"m-a", "m-b"}
    above = cases(score_min=str(third["score"]))
    assert "m-a" not in above and "m-b" not in above
    assert above == {"m-c"}  # its low-severity case (the greeting it lacks)
    bad = api.client.get(
        "/api/v1/cases",
        params={"score_min": "70", "score_below": "60"},
        headers=api.auth("admin"),
    )
    assert bad.status_code == 422 and "score_below" in bad.text
    wrong = api.client.get(
        "/api/v1/metrics/scores", params={"group_by": "bands"}, headers=api.auth("admin")
    )
    assert wrong.status_code == 422 and "group_by" in wrong.text
