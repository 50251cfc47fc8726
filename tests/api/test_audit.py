"""The audit log over HTTP: entries with their hash chain, pages, and verification."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import text

from hegui.services.audit import GENESIS, entry_hash
from tests.api.conftest import PASSWORD, Api
from tests.cli.test_audit_cli import UNGUARD

AUDIT = "/api/v1/audit"


def test_entries_carry_their_hash_chain(api: Api) -> None:
    body = api.client.get(AUDIT, headers=api.auth("compliance_manager")).json()
    assert body["total"] == 5 and body["next_after"] is None
    items = body["items"]
    assert [e["seq"] for e in items] == [1, 2, 3, 4, 5]
    assert items[0]["prev_hash"] == GENESIS
    for before, entry in itertools.pairwise(items):
        assert entry["prev_hash"] == before["hash"]
    for entry in items:
        assert entry["hash"] == entry_hash(entry)
    assert items[4]["action"] == "user.create" and items[4]["details"]["username"] == "li"


def test_pages_follow_next_after(api: Api) -> None:
    headers, seen, after = api.auth("admin"), [], 0
    while after is not None:
        page = api.client.get(AUDIT, params={"after": after, "limit": 2}, headers=headers).json()
        assert page["total"] == 5 and len(page["items"]) <= 2
        seen += [entry["seq"] for entry in page["items"]]
        after = page["next_after"]
    assert seen == [1, 2, 3, 4, 5]


def test_changes_made_over_http_are_audited_with_their_actor(api: Api) -> None:
    spec = {"username": "zhou", "password": PASSWORD, "role": "reviewer"}
    created = api.client.post("/api/v1/users", json=spec, headers=api.auth("admin")).json()
    last = api.client.get(AUDIT, params={"after": 5}, headers=api.auth("admin")).json()["items"]
    assert [(e["actor"], e["action"], e["object_id"]) for e in last] == [
        ("root", "user.create", str(created["id"]))
    ]


def test_verify_reports_an_intact_chain(api: Api) -> None:
    body = api.client.get(f"{AUDIT}/verify", headers=api.auth("admin")).json()
    entries = api.client.get(AUDIT, headers=api.auth("admin")).json()["items"]
    assert body == {
        "ok": True,
        "entries": 5,
        "head_seq": 5,
        "head_hash": entries[-1]["hash"],
        "problem": None,
        "problem_seq": None,
    }


@pytest.mark.parametrize(
    ("statement", "seq", "named"),
    [
        ("UPDATE audit_log SET actor = 'nobody' WHERE seq = 2", 2, "entry #2 was altered"),
        ("DELETE FROM audit_log WHERE seq = 3", 3, "entry #3 was removed"),
    ],
)
def test_verify_names_the_first_entry_tampered_with(
    api: Api, statement: str, seq: int, named: str
) -> None:
    backend = api.platform.db.engine.dialect.name
    # DDL is transactional on both databases: the test's rollback restores the guards.
    with api.platform.db.transaction() as session:
        for sql in [*UNGUARD[backend], statement]:
            session.execute(text(sql))
    body = api.client.get(f"{AUDIT}/verify", headers=api.auth("compliance_manager")).json()
    assert body["ok"] is False and body["problem_seq"] == seq and named in body["problem"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"after": -1}, "after"), ({"after": 2**63}, "after"), ({"limit": 0}, "limit")],
)
def test_bad_page_is_422(api: Api, params: dict[str, int], field: str) -> None:
    response = api.client.get(AUDIT, params=params, headers=api.auth("admin"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", field]
