"""The rules API shows each rule's `stats` once its cases are reviewed."""

from __future__ import annotations

from hegui.services.access import Principal
from hegui.services.cases.schemas import ReviewIn
from tests.api.conftest import Api
from tests.api.seeding import OWN, conversation, inspected

RULE = "securities.promise.baoben"


def test_reviewed_cases_give_a_rule_its_stats(api: Api) -> None:
    inspected(api.platform, conversation("c-1", OWN), conversation("c-2", OWN))
    assert (
        api.client.get(f"/api/v1/rules/{RULE}", headers=api.auth("agent")).json()["stats"] is None
    )
    reviewer = Principal.of(api.seed.users["reviewer"])
    verdicts = iter(["confirmed", "dismissed"])
    for cid in ("c-1", "c-2"):
        items = api.client.get(
            f"/api/v1/conversations/{cid}/findings", headers=api.auth("admin")
        ).json()["items"]
        [case_id] = [f["case_id"] for f in items if f["rule_id"] == RULE]
        with api.platform.db.transaction() as session:
            api.platform.cases.review(session, reviewer, case_id, ReviewIn(verdict=next(verdicts)))
    stats = api.client.get(f"/api/v1/rules/{RULE}", headers=api.auth("agent")).json()["stats"]
    assert (stats["confirmed"], stats["dismissed"], stats["precision"]) == (1, 1, 0.5)
    listed = api.client.get(
        "/api/v1/rules", params={"pack": "securities", "limit": 1000}, headers=api.auth("agent")
    )
    [row] = [r for r in listed.json()["items"] if r["id"] == RULE]
    assert row["stats"] == stats
