"""Submitting and reading conversations over HTTP: the contract's shapes, errors by index
and line, visibility per role, masking, and nothing stored by a refused request."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from hegui.api import create_app
from hegui.bootstrap import Platform
from tests.api.conftest import Api
from tests.api.seeding import OTHER, OWN, conversation, inspected, json_line
from tests.services.ingest_support import PHONE, PROMISE, count, drain, keeping_raw

URL = "/api/v1/conversations"
NDJSON = {"Content-Type": "application/x-ndjson"}


def post(api: Api, body: Any, role: str = "compliance_manager") -> Any:
    return api.client.post(URL, json=body, headers=api.auth(role))


def upload(api: Api, body: bytes, headers: dict[str, str] | None = None) -> Any:
    headers = {**api.auth("compliance_manager"), **(NDJSON if headers is None else headers)}
    return api.client.post(f"{URL}/upload", content=body, headers=headers)


def rows(platform: Platform, table: str) -> int:
    with platform.db.reader() as session:
        return count(session, f"SELECT count(*) FROM {table}")


def stored(platform: Platform) -> list[int]:
    """What a refused request must leave as it was."""
    return [rows(platform, t) for t in ("conversations", "jobs", "job_items", "audit_log")]


def test_one_conversation_is_accepted_with_its_job(api: Api) -> None:
    response = post(api, conversation("c-1", OWN))
    assert response.status_code == 202
    body = response.json()
    assert body["accepted"] == ["c-1"] and body["rejected"] == []
    assert response.headers["Location"] == f"/api/v1/jobs/{body['job_id']}"
    job = api.client.get(response.headers["Location"], headers=api.auth("admin")).json()
    assert (job["status"], job["total"], job["done"]) == ("queued", 1, 0)


def test_a_list_reports_refused_items_by_index(api: Api) -> None:
    items = [
        conversation("c-1"),
        {"id": "c-2", "utterances": [{"role": "robot", "text": "x"}]},
        "not an object",
        conversation("c-3"),
    ]
    body = post(api, items).json()
    assert body["accepted"] == ["c-1", "c-3"]
    assert [r["index"] for r in body["rejected"]] == [1, 2]
    assert "utterances[0].role" in body["rejected"][0]["error"]


@pytest.mark.parametrize("body", [[], "text", 7, None])
def test_a_body_that_holds_no_conversation_is_422_and_stores_nothing(api: Api, body: Any) -> None:
    before = stored(api.platform)
    response = post(api, body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "body"
    assert stored(api.platform) == before


def test_reading_back_pending_then_inspected_masked(api: Api) -> None:
    call = conversation("c-1", OWN)
    call["utterances"].append({"role": "customer", "text": f"我的手机号是{PHONE}"})
    post(api, call)
    read = api.client.get(f"{URL}/c-1", headers=api.auth("reviewer")).json()
    assert (read["status"], read["revision"]) == ("pending", 1)
    assert read["agent"] == OWN and read["channel"] == "phone"
    assert PHONE not in json.dumps(read, ensure_ascii=False)
    assert "138****5678" in read["utterances"][3]["text"]
    drain(api.platform)
    read = api.client.get(f"{URL}/c-1", headers=api.auth("reviewer")).json()
    assert read["status"] == "inspected"


def test_findings_are_the_contract_with_case_id(api: Api) -> None:
    inspected(api.platform, conversation("c-1", OWN))
    response = api.client.get(f"{URL}/c-1/findings", headers=api.auth("agent"))
    assert response.status_code == 200
    items = response.json()["items"]
    promise = next(f for f in items if f["rule_id"] == "securities.promise.baoben")
    start = PROMISE[2].index("保本")
    # case_id: null until the ledger opens the finding's case (one per finding).
    assert promise["conversation_id"] == "c-1" and "case_id" in promise
    assert promise["utterance_index"] == 2 and promise["span"] == [start, start + 2]
    assert {"category", "rule_version", "severity", "role", "evidence", "message"} <= set(promise)


def test_findings_of_a_pending_conversation_are_empty(api: Api) -> None:
    post(api, conversation("c-1"))
    response = api.client.get(f"{URL}/c-1/findings", headers=api.auth("admin"))
    assert response.json() == {"items": []}


def test_same_content_again_adds_nothing_new_content_a_revision(api: Api) -> None:
    inspected(api.platform, conversation("c-1", OWN))
    findings = rows(api.platform, "findings")
    again = post(api, conversation("c-1", OWN)).json()
    job = api.client.get(f"/api/v1/jobs/{again['job_id']}", headers=api.auth("admin")).json()
    assert (job["status"], job["total"]) == ("done", 0)
    assert drain(api.platform) == 0 and rows(api.platform, "findings") == findings
    changed = conversation("c-1", OWN)
    changed["utterances"][2]["text"] = "这个产品不保本 有风险"
    post(api, changed)
    drain(api.platform)
    read = api.client.get(f"{URL}/c-1", headers=api.auth("admin")).json()
    assert (read["revision"], read["status"]) == (2, "inspected")
    rules = {
        f["rule_id"]
        for f in api.client.get(f"{URL}/c-1/findings", headers=api.auth("admin")).json()["items"]
    }
    assert "securities.promise.baoben" not in rules


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [("agent", 200, 404), ("team_lead", 200, 404), ("reviewer", 200, 200)],
)
def test_agents_and_team_leads_see_only_their_own(
    api: Api, role: str, own: int, other: int
) -> None:
    inspected(api.platform, conversation("mine", OWN), conversation("theirs", OTHER))
    for cid, expected in (("mine", own), ("theirs", other)):
        for path in (f"{URL}/{cid}", f"{URL}/{cid}/findings"):
            response = api.client.get(path, headers=api.auth(role))
            assert response.status_code == expected, path
    hidden = api.client.get(f"{URL}/theirs", headers=api.auth("agent"))
    assert "保本" not in hidden.text and "B-9" not in hidden.text


def test_unknown_and_hidden_answer_alike(api: Api) -> None:
    inspected(api.platform, conversation("theirs", OTHER))
    unknown = api.client.get(f"{URL}/nobody", headers=api.auth("agent"))
    hidden = api.client.get(f"{URL}/theirs", headers=api.auth("agent"))
    assert unknown.status_code == hidden.status_code == 404
    assert unknown.json()["detail"].startswith("会话不存在 no conversation")


def test_an_upload_reports_lines_and_accepts_the_rest(api: Api) -> None:
    lines = [
        json_line(conversation("u-1")),
        '{"id": "u-2", "utterances": [',
        "",
        json_line({"id": "u-3", "utterances": [], "channel": "fax"}),
        json_line(conversation("u-4")),
    ]
    response = upload(api, "\n".join(lines).encode())
    assert response.status_code == 202
    body = response.json()
    assert set(body) == {"job_id", "accepted", "errors"}
    assert body["accepted"] == 2
    assert [e["line"] for e in body["errors"]] == [2, 4]
    assert "channel" in body["errors"][1]["error"]
    drain(api.platform)
    job = api.client.get(f"/api/v1/jobs/{body['job_id']}", headers=api.auth("admin")).json()
    assert (job["status"], job["done"]) == ("done", 2)


@pytest.mark.parametrize("media", ["application/jsonl", "application/x-ndjson; charset=utf-8"])
def test_an_upload_reads_json_lines_types(api: Api, media: str) -> None:
    response = upload(api, json_line(conversation("u-1")).encode(), {"Content-Type": media})
    assert response.status_code == 202 and response.json()["accepted"] == 1


def test_an_upload_of_another_type_is_415_naming_the_type(api: Api) -> None:
    response = upload(api, b'{"id": "x"}', {"Content-Type": "application/json"})
    assert response.status_code == 415
    assert "application/x-ndjson" in response.json()["detail"]
    assert rows(api.platform, "jobs") == 0


@pytest.mark.parametrize("body", [b"", b"\n\n  \n"])
def test_an_empty_upload_is_422(api: Api, body: bytes) -> None:
    response = upload(api, body)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body"]
    assert rows(api.platform, "jobs") == 0


def test_an_upload_over_the_limit_stores_nothing(api: Api) -> None:
    settings = api.platform.settings.model_copy(update={"max_request_bytes": 2000})
    platform = dataclasses.replace(api.platform, settings=settings)
    lines = "\n".join(json_line(conversation(f"u-{i}")) for i in range(20)).encode()
    with TestClient(create_app(platform)) as client:
        response = client.post(
            f"{URL}/upload", content=lines, headers={**api.auth("admin"), **NDJSON}
        )
    assert response.status_code == 413
    assert rows(api.platform, "conversations") == 0 and rows(api.platform, "jobs") == 0


def test_reviewers_team_leads_and_agents_may_not_submit(api: Api) -> None:
    for role in ("reviewer", "team_lead", "agent"):
        assert post(api, conversation("c-1"), role).status_code == 403
        assert (
            upload(
                api, json_line(conversation("c-1")).encode(), {**NDJSON, **api.auth(role)}
            ).status_code
            == 403
        )
    assert rows(api.platform, "conversations") == 0


def test_raw_text_is_read_by_compliance_managers_and_audited(api: Api, clock: Any) -> None:
    platform = keeping_raw(api.platform, clock)
    call = conversation("c-1", OWN)
    call["utterances"].append({"role": "customer", "text": f"手机{PHONE}"})
    inspected(platform, call)
    with TestClient(create_app(platform)) as client:
        url = f"{URL}/c-1/raw"
        read = client.get(url, params={"reason": "投诉 42"}, headers=api.auth("compliance_manager"))
        assert read.status_code == 200
        assert read.json()["utterances"][3]["text"] == f"手机{PHONE}"
        assert client.get(url, params={"reason": "x"}, headers=api.auth("admin")).status_code == 403
        missing = client.get(url, headers=api.auth("compliance_manager"))
        assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == [
            "query",
            "reason",
        ]
    entries = api.client.get("/api/v1/audit", headers=api.auth("admin")).json()["items"]
    [raw_read] = [e for e in entries if e["action"] == "conversation.raw_read"]
    assert (raw_read["actor"], raw_read["object_id"]) == ("cm", "c-1")
    assert raw_read["details"]["reason"] == "投诉 42"


def test_raw_text_not_kept_is_404(api: Api) -> None:
    inspected(api.platform, conversation("c-1"))
    response = api.client.get(
        f"{URL}/c-1/raw", params={"reason": "x"}, headers=api.auth("compliance_manager")
    )
    assert response.status_code == 404 and "not kept" in response.json()["detail"]


def test_an_upload_names_undecodable_lines_and_reads_a_bom(api: Api) -> None:
    first = b"\xef\xbb\xbf" + json_line(conversation("u-1")).encode()
    body = b"\n".join([first, b"\xff\xfe{not utf-8", json_line(conversation("u-3")).encode()])
    response = upload(api, body)
    assert response.status_code == 202
    receipt = response.json()
    assert receipt["accepted"] == 2
    [error] = receipt["errors"]
    assert error["line"] == 2 and "UTF-8" in error["error"]
