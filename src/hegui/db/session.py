"""Units of work: the caller (request, job, command) opens one, services work inside it."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from hegui.db.engine import WRITE_OPTION

log = logging.getLogger(__name__)
ANALYSIS_LIMIT = 1000  # rows sampled per index by ANALYZE (SQLite's recommended bound)


class Database:
    """Session factories over one engine: `transaction()` writes, `reader()` only reads."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        writer = engine.execution_options(**{WRITE_OPTION: True})
        reader = engine
        if engine.dialect.name == "postgresql":
            # One snapshot for the whole unit (a verification must not see half an append);
            # SQLite's deferred transaction already reads one snapshot.
            reader = engine.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        self._writes = sessionmaker(bind=writer, expire_on_commit=False)
        self._reads = sessionmaker(bind=reader, expire_on_commit=False)
        self._owns_engine = True

    @classmethod
    def joined(cls, connection: Connection) -> Database:
        """Units of work inside a transaction already open on `connection`.

        Each commit only releases a savepoint; whoever opened the outer transaction
        decides its fate (tests roll it back, so each test starts from the same data).
        """
        database = cls(connection.engine)
        factory = sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        database._writes = database._reads = factory
        database._owns_engine = False
        return database

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Commits when the block ends normally, rolls back when it raises."""
        with self._writes.begin() as session:
            yield session

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """A read-only unit on one snapshot; never takes SQLite's write lock.

        PostgreSQL refuses writes in it; on SQLite anything written is rolled back.
        """
        with self._reads() as session:
            try:
                yield session
            finally:
                session.rollback()

    def ping(self) -> None:
        """Raises when the database cannot be reached (for health checks)."""
        with self.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")

    def refresh_statistics(self) -> None:
        """SQLite: sample the tables' statistics (`ANALYZE`, bounded by `analysis_limit`, a
        few milliseconds at any size) so the planner knows that, say, most cases are
        findings and walks the primary key for "newest 50" instead of sorting them all
        (100,000 cases: 142 ms → 4 ms). PostgreSQL keeps its own (autovacuum): nothing."""
        if self.engine.dialect.name != "sqlite" or not self._owns_engine:
            return
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
                connection.exec_driver_sql("ANALYZE")
                connection.commit()
        except (OperationalError, sqlite3.OperationalError) as error:  # busy: next round
            log.warning("ANALYZE skipped: %s", error)

    def close(self) -> None:
        if self._owns_engine:
            self.engine.dispose()
