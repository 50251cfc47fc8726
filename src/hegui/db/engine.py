"""Engines for the two supported databases, configured for many processes at once.

SQLite: WAL (readers never block the writer, so the CLI works while the server runs),
foreign keys on, a busy timeout, and write transactions opened with BEGIN IMMEDIATE so
a transaction that reads before it writes waits for the write lock instead of failing
(or, worse, deciding on a stale read). PostgreSQL: psycopg 3, pre-pinged pool.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event

# Execution option marking connections that will write (see `hegui.db.session`).
WRITE_OPTION = "hegui_write"


def make_engine(url: str, *, busy_timeout: float = 30.0) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": busy_timeout})
        _configure_sqlite(engine, busy_timeout)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine, busy_timeout: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: object) -> None:
        # Take BEGIN away from the sqlite3 module: it opens transactions lazily, only
        # before DML, which leaves a transaction's first reads outside it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        # WAL is a property of the database file: set it once, when it is not WAL yet.
        # Asking again on every new connection needs a lock that SQLite may refuse at
        # once, without waiting ("database is locked"), while other processes are busy.
        if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        writes = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
