"""The ledger over HTTP: the contract's case fields, filters, the status machine's 403, 404
and 409, bodies refused naming the field."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hegui.services.clock import FixedClock
from tests.api.conftest import PASSWORD, Api
from tests.api.ledger_seed import case_in
from tests.services.cases.support import open_case

CASES = "/api/v1/cases"
CONTRACT = {
    "id",
    "conversation_id",
    "finding",
    "category",
    "severity",
    "status",
    "agent_id",
    "team",
    "channel",
    "created_at",
    "due_at",
    "history",
}


def test_the_review_appeal_ruling_flow(api: Api) -> None:
    case_id = case_in(api.seed)
    case = api.client.get(f"{CASES}/{case_id}", headers=api.auth("agent")).json()
    assert set(case) >= CONTRACT | {"assignee", "comments", "transcript"}
    assert case["finding"]["rule_id"] == "securities.promise.baoben"
    assert case["finding"]["case_id"] == case_id
    assert [line["evidence"] for line in case["transcript"]] == [False, False, True]
    review = {"verdict": "confirmed", "comment": "属实 confirmed"}
    answer = api.client.post(f"{CASES}/{case_id}/review", json=review, headers=api.auth("reviewer"))
    assert answer.status_code == 200 and answer.json()["status"] == "confirmed"
    again = api.client.post(f"{CASES}/{case_id}/review", json=review, headers=api.auth("reviewer"))
    assert again.status_code == 409 and "confirmed" in again.json()["detail"]
    appeal = api.client.post(
        f"{CASES}/{case_id}/appeal", json={"reason": "客户听错了"}, headers=api.auth("agent")
    )
    assert appeal.json()["status"] == "appealed"
    ruling = {"verdict": "overturned", "comment": "撤销 overturned"}
    wrong = api.client.post(f"{CASES}/{case_id}/ruling", json=ruling, headers=api.auth("reviewer"))
    assert wrong.status_code == 403
    done = api.client.post(
        f"{CASES}/{case_id}/ruling", json=ruling, headers=api.auth("compliance_manager")
    )
    assert done.status_code == 200 and done.json()["status"] == "overturned"
    actions = [e["action"] for e in done.json()["history"]]
    assert actions == ["open", "review", "appeal", "ruling"]
    audit = api.client.get("/api/v1/audit?limit=1000", headers=api.auth("admin")).json()
    assert [e["action"] for e in audit["items"]][-3:] == [
        "case.review",
        "case.appeal",
        "case.ruling",
    ]


def test_others_cases_are_404(api: Api) -> None:
    theirs = open_case(api.platform, agent="B-2", team="west-2")
    for role in ("agent", "team_lead"):
        assert api.client.get(f"{CASES}/{theirs}", headers=api.auth(role)).status_code == 404
        answer = api.client.post(
            f"{CASES}/{theirs}/comments", json={"text": "x"}, headers=api.auth(role)
        )
        assert answer.status_code == 404
    appeal = api.client.post(
        f"{CASES}/{theirs}/appeal", json={"reason": "x"}, headers=api.auth("agent")
    )
    assert appeal.status_code == 404
    assert api.client.get(f"{CASES}/999999", headers=api.auth("admin")).status_code == 404
    listed = api.client.get(CASES, headers=api.auth("agent")).json()
    assert theirs not in [c["id"] for c in listed["items"]]


def test_list_filters_and_pages(api: Api, clock: FixedClock) -> None:
    mine = [case_in(api.seed) for _ in range(3)]
    early = open_case(api.platform, started_at="2024-12-31T23:30:00")  # no zone: UTC+8
    headers = api.auth("admin")

    def ids(**query: object) -> tuple[list[int], int]:
        body = api.client.get(CASES, params=query, headers=headers).json()
        return [c["id"] for c in body["items"]], body["total"]

    assert ids() == ([early, *reversed(mine)], 4)
    assert ids(limit=2, offset=1) == ([mine[2], mine[1]], 4)
    assert ids(until="2025-01-01") == ([early], 1)
    assert ids(since="2025-01-01T00:00:00+08:00")[1] == 3
    assert ids(status="new", severity="high", team="east-1", channel="phone")[1] == 4
    assert ids(agent_id="nobody") == ([], 0)
    clock.advance(timedelta(hours=2))
    assert ids(overdue="true")[1] == 4
    assert ids(kind="calibration") == ([], 0)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("review", {"verdict": "maybe"}, "verdict"),
        ("review", {"verdict": "confirmed", "extra": 1}, "extra"),
        ("appeal", {"reason": ""}, "reason"),
        ("ruling", {"verdict": "confirmed"}, "verdict"),
        ("comments", {"text": "a\u0000b"}, "text"),
        ("assign", {}, "assignee"),
        ("labels", {"verdict": "clean", "category": "x" * 65}, "category"),
    ],
)
def test_bad_bodies_name_the_field(
    api: Api, path: str, body: dict[str, object], field: str
) -> None:
    case_id = case_in(api.seed)
    answer = api.client.post(
        f"{CASES}/{case_id}/{path}", json=body, headers=api.auth("compliance_manager")
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", field]


@pytest.mark.parametrize(
    "query", ["status=open", "severity=urgent", "since=yesterday", "kind=x", "limit=0"]
)
def test_bad_filters_are_422(api: Api, query: str) -> None:
    answer = api.client.get(f"{CASES}?{query}", headers=api.auth("admin"))
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"][0] == "query"


def test_assigning_to_someone_who_cannot_review_is_422(api: Api) -> None:
    case_id = case_in(api.seed)
    answer = api.client.post(
        f"{CASES}/{case_id}/assign", json={"assignee": "li"}, headers=api.auth("team_lead")
    )
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"] == ["assignee"]


def test_search_finds_the_text_in_ids_message_and_evidence_literally(api: Api) -> None:
    promise = open_case(api.platform, "search-Conv-1")
    other = open_case(
        api.platform,
        "search-conv-2",
        rule_id="service.closing.phone_agent",
        category="service.closing",
        severity="low",
    )
    theirs = open_case(api.platform, "search-conv-3", agent="B-2", team="west-2")
    headers = api.auth("admin")

    def ids(q: str, role: str = "admin") -> list[int]:
        body = api.client.get(CASES, params={"q": q}, headers=api.auth(role)).json()
        assert body["total"] == len(body["items"])
        return sorted(c["id"] for c in body["items"])

    assert ids("search-conv-1") == [promise]  # the conversation id, Latin case ignored
    assert ids("  SEARCH-CONV  ") == sorted([promise, other, theirs])  # trimmed
    assert ids("phone_agent") == [other]  # the rule id
    assert ids("B-2") == [theirs]  # the agent id
    assert promise in ids("承诺保本")  # the finding's message
    assert promise in ids("principal protection")
    assert other in ids("放心")  # the (masked) evidence
    # % and _ are literal, not wildcards.
    assert ids("search%conv") == [] and ids("search_conv") == []
    assert ids("phone%agent") == []
    # Narrows the other filters and the role's scope; never widens them.
    assert ids("search-conv", role="team_lead") == sorted([promise, other])
    assert ids("search-conv", role="agent") == sorted([promise, other])
    narrowed = api.client.get(
        CASES, params={"q": "search-conv", "severity": "low"}, headers=headers
    )
    assert [c["id"] for c in narrowed.json()["items"]] == [other]


@pytest.mark.parametrize("q", ["", "   ", "x" * 101, "x" * 2000])
def test_a_search_of_no_text_or_too_long_is_422_naming_q(api: Api, q: str) -> None:
    answer = api.client.get(CASES, params={"q": q}, headers=api.auth("admin"))
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "q"]


def test_assignees_are_the_active_reviewers_and_managers_for_the_roles_that_assign(
    api: Api,
) -> None:
    with api.platform.db.transaction() as session:
        for name, role in (("rev-2", "reviewer"), ("gone", "reviewer"), ("lead-2", "team_lead")):
            spec = {"username": name, "password": PASSWORD, "role": role, "team": "east-1"}
            user = api.platform.users.create(session, spec, actor="seed")
            user.is_active = name != "gone"
    for role in ("reviewer", "compliance_manager", "team_lead"):
        answer = api.client.get(f"{CASES}/assignees", headers=api.auth(role))
        assert answer.status_code == 200
        items = answer.json()["items"]
        assert [(i["username"], i["role"]) for i in items] == [
            ("cm", "compliance_manager"),
            ("rev", "reviewer"),
            ("rev-2", "reviewer"),
        ]
        assert all(set(i) == {"id", "username", "role"} for i in items)  # nothing more
        assert items[1]["id"] == api.seed.users["reviewer"].id
    for role in ("admin", "agent"):
        refused = api.client.get(f"{CASES}/assignees", headers=api.auth(role))
        assert refused.status_code == 403 and "指派" in refused.json()["detail"]
    # Each one listed is accepted by assign; the inactive one is not.
    case_id = case_in(api.seed)
    for name, status in (("rev-2", 200), ("gone", 422)):
        answer = api.client.post(
            f"{CASES}/{case_id}/assign", json={"assignee": name}, headers=api.auth("team_lead")
        )
        assert answer.status_code == status, answer.text
