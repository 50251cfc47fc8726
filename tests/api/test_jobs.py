"""Following a job over HTTP: queued, done with progress, failed naming why."""

from __future__ import annotations

from sqlalchemy import text

from tests.api.conftest import Api
from tests.api.seeding import conversation
from tests.services.ingest_support import drain, submit


def job(api: Api, job_id: int, role: str = "compliance_manager") -> dict[str, object]:
    response = api.client.get(f"/api/v1/jobs/{job_id}", headers=api.auth(role))
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_job_goes_from_queued_to_done(api: Api) -> None:
    result = submit(api.platform, conversation("c-1"), conversation("c-2"), actor="cm")
    before = job(api, result.job_id)
    assert {k: before[k] for k in ("status", "total", "done", "kind")} == {
        "status": "queued",
        "total": 2,
        "done": 0,
        "kind": "inspect",
    }
    assert before["created_by"] == "cm" and before["finished_at"] is None
    drain(api.platform)
    after = job(api, result.job_id, role="admin")
    assert (after["status"], after["done"], after["failed"]) == ("done", 2, 0)
    assert after["finished_at"] is not None


def test_an_item_that_cannot_be_inspected_fails_the_job_naming_it(api: Api) -> None:
    result = submit(api.platform, conversation("c-1"))
    with api.platform.db.transaction() as session:  # the sealed raw text is damaged
        session.execute(text("UPDATE conversation_revisions SET raw_sealed = :b"), {"b": b"x"})
    drain(api.platform)
    failed = job(api, result.job_id)
    assert (failed["status"], failed["failed"], failed["done"]) == ("failed", 1, 0)
    assert failed["error"]


def test_an_unknown_job_is_404(api: Api) -> None:
    response = api.client.get("/api/v1/jobs/999999", headers=api.auth("admin"))
    assert response.status_code == 404
    assert response.json()["detail"] == "任务不存在 no job 999999"
