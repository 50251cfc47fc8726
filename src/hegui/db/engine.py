"""Engines for the two supported databases, configured for many processes at once.

SQLite: WAL (readers never block the writer, so the CLI works while the server runs),
foreign keys on, a busy timeout, and write transactions opened with BEGIN IMMEDIATE so
a transaction that reads before it writes waits for the write lock instead of failing
(or, worse, deciding on a stale read). PostgreSQL: psycopg 3, pre-pinged pool.
"""

from __future__ import annotations

import sqlite3
import time
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
        _ensure_wal(cursor, busy_timeout)
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        writes = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def _ensure_wal(cursor: Any, busy_timeout: float) -> None:
    """Switch the file to WAL unless it already is, waiting out other connections.

    WAL is a property of the database file: set it once, when it is not WAL yet. The
    switch needs an exclusive lock that SQLite refuses at once, without calling the
    busy handler ("database is locked"), while another connection opening the same
    new file is mid-switch or mid-transaction; so retry, re-reading the mode, until the
    busy timeout runs out.
    """
    deadline = time.monotonic() + busy_timeout
    pause = 0.005
    while True:
        if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
            return
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            code = getattr(exc, "sqlite_errorcode", None)
            busy = code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
            if not (busy or "locked" in str(exc)) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)
