"""Engine settings and units of work that the rest of the platform relies on."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from hegui.bootstrap import Platform
from hegui.db import Database, make_engine
from hegui.services.users import User
from tests.db_fixtures import ProvisionedDatabase


def test_sqlite_runs_in_wal_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}", busy_timeout=7.5)
    with engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 7500
    engine.dispose()


def test_sqlite_switch_to_wal_waits_for_a_writer_on_the_old_journal(tmp_path: Path) -> None:
    """SQLite refuses the WAL switch at once, without the busy handler, while another
    connection holds the write lock on a rollback-journal file (processes starting
    together on a new database): the switch must wait, as every other lock does."""
    path = tmp_path / "x.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE t (n INTEGER)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES (1)")
    release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    release.daemon = True
    release.start()
    engine = make_engine(f"sqlite:///{path}", busy_timeout=10)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("SELECT n FROM t").scalar() == 1
    finally:
        release.join()
        other.close()
        engine.dispose()


def test_sqlite_write_units_wait_for_each_other(tmp_path: Path) -> None:
    """BEGIN IMMEDIATE: a second writer waits for the first instead of reading stale data."""
    db = Database(make_engine(f"sqlite:///{tmp_path / 'x.db'}"))
    with db.transaction() as session:
        session.execute(text("CREATE TABLE counter (n INTEGER)"))
        session.execute(text("INSERT INTO counter VALUES (0)"))

    def bump() -> None:
        with db.transaction() as session:
            n = session.execute(text("SELECT n FROM counter")).scalar_one()
            time.sleep(0.05)  # read-then-write: lost updates without the write lock
            session.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})

    threads = [threading.Thread(target=bump) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with db.reader() as session:
        assert session.execute(text("SELECT n FROM counter")).scalar_one() == 5
    db.close()


def test_readers_see_committed_data_while_a_writer_holds_its_transaction(
    fresh_platform: Platform,
) -> None:
    db = fresh_platform.db
    with db.transaction() as writer:
        fresh_platform.users.create(
            writer, {"username": "w", "password": "p" * 8, "role": "admin"}, actor="t"
        )
        with db.reader() as reader:  # not blocked by the open write transaction
            assert fresh_platform.users.list(reader) == []
    with db.reader() as reader:
        assert [u.username for u in fresh_platform.users.list(reader)] == ["w"]


def test_reader_refuses_or_discards_writes(fresh_db: ProvisionedDatabase) -> None:
    db = Database(fresh_db.engine)
    statement = text("INSERT INTO audit_head (id, seq, hash) VALUES (2, 0, 'x')")
    if fresh_db.backend == "postgresql":
        with pytest.raises(DBAPIError, match="read-only"), db.reader() as session:
            session.execute(statement)
    else:
        with db.reader() as session:
            session.execute(text("DROP TRIGGER audit_head_no_delete"))
    with fresh_db.engine.connect() as connection:
        triggers = connection.execute(
            text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
            if fresh_db.backend == "sqlite"
            else text("SELECT count(*) FROM audit_head")
        ).scalar_one()
        assert triggers == (3 if fresh_db.backend == "sqlite" else 1)


def test_times_come_back_aware_utc(session: object, platform: Platform) -> None:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    china = timezone(timedelta(hours=8))
    user = platform.users.create(
        session, {"username": "tz", "password": "p" * 8, "role": "admin"}, actor="t"
    )
    user.created_at = datetime(2025, 3, 1, 17, 30, 0, 123456, tzinfo=china)
    session.flush()
    session.expire_all()
    loaded = session.get(User, user.id)
    assert loaded is not None
    assert loaded.created_at == datetime(2025, 3, 1, 9, 30, 0, 123456, tzinfo=UTC)
    assert loaded.created_at.tzinfo == UTC
    user.created_at = datetime(2025, 3, 1)  # naive: which zone? refused
    with pytest.raises(Exception, match="naive datetime"):
        session.flush()


def test_a_reader_leaves_its_pooled_connection_writable(fresh_platform: Platform) -> None:
    """Read-only and snapshot settings end with the reader (PostgreSQL resets them)."""
    db, audit = fresh_platform.db, fresh_platform.audit
    for i in range(3):
        with db.reader() as session:
            assert audit.verify(session).entries == i
        with db.transaction() as session:
            audit.record(session, "t", "x", ("x", i))


def test_ping(fresh_db: ProvisionedDatabase, tmp_path: Path) -> None:
    Database(fresh_db.engine).ping()
    down = Database(make_engine("postgresql+psycopg://nobody@/hegui?host=" + str(tmp_path)))
    with pytest.raises(DBAPIError):
        down.ping()
    down.close()


def test_sqlite_statistics_steer_the_newest_first_page_off_a_sort(tmp_path: Path) -> None:
    """Without statistics SQLite takes an index on a column every row shares and sorts all
    rows for "newest 10"; after `refresh_statistics` it walks the primary key backwards."""
    db = Database(make_engine(f"sqlite:///{tmp_path / 'x.db'}"))
    with db.transaction() as session:
        session.execute(text("CREATE TABLE c (id INTEGER PRIMARY KEY, kind TEXT, n INTEGER)"))
        session.execute(text("CREATE INDEX ix_c_kind ON c (kind, n)"))
        session.execute(
            text("INSERT INTO c (kind, n) VALUES ('finding', :n)"),
            [{"n": i} for i in range(3000)],
        )
    page = "EXPLAIN QUERY PLAN SELECT * FROM c WHERE kind = 'finding' ORDER BY id DESC LIMIT 10"

    def plan() -> str:
        with db.reader() as session:
            return " | ".join(str(row[-1]) for row in session.execute(text(page)))

    assert "TEMP B-TREE" in plan()
    db.refresh_statistics()
    assert "TEMP B-TREE" not in plan()
    with db.reader() as session:
        assert session.execute(text("SELECT count(*) FROM sqlite_stat1")).scalar_one() > 0
    db.close()
