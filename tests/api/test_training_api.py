"""Training over HTTP: the agent's own assignments, acknowledged then completed; courses."""

from __future__ import annotations

from tests.api.conftest import Api
from tests.api.ledger_seed import assignment

TRAINING = "/api/v1/training"


def test_an_agent_works_through_its_assignment(api: Api) -> None:
    mine = assignment(api.seed)
    listed = api.client.get(f"{TRAINING}/assignments", headers=api.auth("agent")).json()
    assert [a["id"] for a in listed["items"]] == [mine] and listed["total"] == 1
    done = api.client.post(f"{TRAINING}/assignments/{mine}/complete", headers=api.auth("agent"))
    assert done.status_code == 409
    step = api.client.post(f"{TRAINING}/assignments/{mine}/acknowledge", headers=api.auth("agent"))
    assert step.json()["status"] == "acknowledged"
    done = api.client.post(f"{TRAINING}/assignments/{mine}/complete", headers=api.auth("agent"))
    assert done.json()["status"] == "completed"
    query = api.client.get(
        f"{TRAINING}/assignments?status=completed&agent_id=A-17", headers=api.auth("team_lead")
    )
    assert query.json()["total"] == 1
    assert (
        api.client.post(
            f"{TRAINING}/assignments/999999/acknowledge", headers=api.auth("agent")
        ).status_code
        == 404
    )


def test_courses(api: Api) -> None:
    courses = api.client.get(f"{TRAINING}/courses", headers=api.auth("agent")).json()
    assert {c["category"] for c in courses} >= {"privacy.phone", "service.rude"}
    spec = {"title": "礼貌用语 必修", "url": "javascript:alert(1)"}
    bad = api.client.put(f"{TRAINING}/courses/service.rude", json=spec, headers=api.auth("admin"))
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "url"]
    spec["url"] = "https://lms.example/rude"
    ok = api.client.put(f"{TRAINING}/courses/service.rude", json=spec, headers=api.auth("admin"))
    assert ok.json()["configured"] and ok.json()["url"] == "https://lms.example/rude"
    missing = api.client.put(f"{TRAINING}/courses/no.such", json=spec, headers=api.auth("admin"))
    assert missing.status_code == 404
