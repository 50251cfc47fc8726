"""Findings as stored: the contract's fields with rule version and case id, hooks that act
on them in the same transaction, and the unique guard against duplicates."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from sqlalchemy import inspect as orm_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hegui.bootstrap import Platform
from hegui.errors import Conflict
from hegui.services.findings import StoredFinding
from tests.services.ingest_support import PROMISE, call, count, drain, submit

CONTRACT = {
    "conversation_id",
    "category",
    "rule_id",
    "rule_version",
    "severity",
    "utterance_index",
    "role",
    "span",
    "evidence",
    "message",
    "start",
    "end",
    "case_id",
}


def test_findings_carry_the_contract_fields_and_rule_version(platform: Platform) -> None:
    submit(platform, call("c-1", *PROMISE))
    drain(platform)
    with platform.db.reader() as session:
        findings = platform.findings.for_conversation(session, "c-1")
        text = platform.conversations.get(session, "c-1").utterances[2].text
    promise = next(f for f in findings if f.rule_id == "securities.promise.baoben")
    item = promise.contract()
    assert set(item) >= CONTRACT
    assert item["category"] == "compliance.guarantee_return" and item["severity"] == "high"
    assert item["rule_version"] == 1 and item["utterance_index"] == 2 and item["role"] == "agent"
    assert item["case_id"] is None and item["revision"] == 1
    start, end = item["span"]
    assert text[start:end] == "保本" and item["evidence"] == text
    assert item["start"] == 6.0 and item["end"] == 8.5
    missing = [f for f in findings if f.utterance_index is None]
    assert missing and all(f.span is None for f in missing)
    # Utterance order; findings about something missing come last.
    order = [f.utterance_index for f in findings]
    assert order == sorted(order, key=lambda i: (i is None, i or 0))


def test_hooks_run_once_in_the_storing_transaction(platform: Platform) -> None:
    calls: list[list[int]] = []

    def open_cases(session: Session, rows: Sequence[StoredFinding]) -> None:
        calls.append([row.id for row in rows])
        for row in rows:
            row.case_id = 1000 + row.id

    platform.findings.on_stored.append(open_cases)
    submit(platform, call("c-1", *PROMISE))
    drain(platform)
    submit(platform, call("c-1", *PROMISE))
    drain(platform)
    with platform.db.reader() as session:
        findings = platform.findings.for_conversation(session, "c-1")
    assert len(calls) == 1 and sorted(calls[0]) == sorted(f.id for f in findings)
    assert all(f.case_id == 1000 + f.id for f in findings)


def test_a_failing_hook_stores_nothing_for_its_conversation(platform: Platform) -> None:
    def refuse(session: Session, rows: Sequence[StoredFinding]) -> None:
        if rows[0].conversation_id == "c-bad":
            raise Conflict("案件无法创建 cannot open cases")

    platform.findings.on_stored.append(refuse)
    job_id = submit(platform, call("c-bad", *PROMISE), call("c-good", *PROMISE)).job_id
    drain(platform)
    with platform.db.reader() as session:
        job = platform.jobs.read(session, job_id)
        assert platform.conversations.get(session, "c-bad").status == "pending"
        assert platform.conversations.get(session, "c-good").status == "inspected"
        bad = count(session, "SELECT count(*) FROM findings WHERE conversation_id = 'c-bad'")
        inspections = count(session, "SELECT count(*) FROM inspections")
    assert (job.status, job.done, job.failed) == ("failed", 1, 1)
    assert job.error is not None and "cannot open cases" in job.error
    assert bad == 0 and inspections == 1


def test_the_database_refuses_a_duplicate_finding(platform: Platform) -> None:
    submit(platform, call("c-1", *PROMISE))
    drain(platform)
    with platform.db.transaction() as session:
        row = session.query(StoredFinding).first()
        assert row is not None
        columns = {c.key: getattr(row, c.key) for c in orm_inspect(StoredFinding).column_attrs}
        del columns["id"]
        with pytest.raises(IntegrityError), session.begin_nested():
            session.add(StoredFinding(**columns))
            session.flush()
