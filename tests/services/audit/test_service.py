"""Recording into the chain on both databases: links, rollback, concurrent writers."""

from __future__ import annotations

import math
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from hegui.bootstrap import Platform
from hegui.errors import Invalid
from hegui.services.audit import GENESIS, ObjectRef
from hegui.services.audit.schemas import AuditRecord
from tests.db_fixtures import T0


def test_entries_link_into_a_chain(platform: Platform, session: Session) -> None:
    first = platform.audit.record(session, "admin", "case.review", ("case", 7), {"verdict": "ok"})
    second = platform.audit.record(session, "li", "case.appeal", ObjectRef("case", "7"))
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == GENESIS and second.prev_hash == first.hash
    assert second.details == {} and first.at == T0
    record = AuditRecord.of(first)
    assert record.at == "2025-01-06T09:00:00.000000Z" and record.object_id == "7"
    report = platform.audit.verify(session)
    assert report.ok and (report.entries, report.head_hash) == (2, second.hash)


@pytest.mark.parametrize("details", [{"x": math.nan}, {"x": {1, 2}}, {"x": object()}])
def test_details_must_be_json(platform: Platform, session: Session, details: dict) -> None:
    with pytest.raises(Invalid) as caught:
        platform.audit.record(session, "admin", "x", ("x", 1), details)
    assert caught.value.field == "details"


def test_details_are_stored_as_their_json_round_trip(platform: Platform, session: Session) -> None:
    entry = platform.audit.record(session, "a", "x", ("x", 1), {"t": (1, 2), "中": "文"})
    session.expire_all()
    [loaded] = platform.audit.entries(session)
    assert loaded.details == entry.details == {"t": [1, 2], "中": "文"}
    assert platform.audit.verify(session).ok


def test_rolled_back_entries_leave_no_trace(fresh_platform: Platform) -> None:
    db, audit = fresh_platform.db, fresh_platform.audit
    with pytest.raises(RuntimeError), db.transaction() as session:
        audit.record(session, "a", "x", ("x", 1))
        raise RuntimeError("the caller's change failed")
    with db.transaction() as session:
        assert audit.record(session, "a", "y", ("x", 1)).seq == 1
    with db.reader() as session:
        assert audit.verify(session).ok


def test_concurrent_writers_extend_one_chain(fresh_platform: Platform) -> None:
    db, audit = fresh_platform.db, fresh_platform.audit
    writers, each = 6, 15
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(name: str) -> None:
        start.wait()
        try:
            for i in range(each):
                with db.transaction() as session:
                    audit.record(session, name, "x", ("n", i), {"i": i})
        except BaseException as exc:  # checked on the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(f"w{i}",)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with db.reader() as session:
        report = audit.verify(session)
        assert report.ok and report.entries == writers * each
        actors = {e.actor for e in audit.entries(session, limit=1000)}
    assert actors == {f"w{i}" for i in range(writers)}


def test_a_second_writer_waits_and_chains_onto_the_first(fresh_platform: Platform) -> None:
    db, audit = fresh_platform.db, fresh_platform.audit
    second: list[tuple[int, str]] = []

    def write() -> None:
        with db.transaction() as session:
            entry = audit.record(session, "second", "x", ("x", 2))
            second.append((entry.seq, entry.prev_hash))

    with db.transaction() as session:
        first = audit.record(session, "first", "x", ("x", 1))
        thread = threading.Thread(target=write)
        thread.start()
        thread.join(timeout=0.5)
        assert thread.is_alive() and second == []  # waiting for the chain head
    thread.join()
    assert second == [(2, first.hash)]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor = 'mallory'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_head",
    ],
)
def test_database_refuses_changes_to_the_log(fresh_platform: Platform, statement: str) -> None:
    with fresh_platform.db.transaction() as session:
        fresh_platform.audit.record(session, "a", "x", ("x", 1))
    with pytest.raises(DBAPIError, match="append-only"), fresh_platform.db.transaction() as s:
        s.execute(text(statement))


def test_postgresql_refuses_truncate(fresh_platform: Platform) -> None:
    if fresh_platform.settings.is_sqlite:
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(DBAPIError, match="append-only"), fresh_platform.db.transaction() as s:
        s.execute(text("TRUNCATE audit_log"))
