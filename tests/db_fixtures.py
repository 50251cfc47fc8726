"""Database fixtures: every test using them runs on SQLite and on PostgreSQL.

PostgreSQL comes from HEGUI_TEST_POSTGRES_URL (`bash scripts/test` starts a throwaway
server through scripts/postgres.sh). Without it the PostgreSQL half is skipped, saying
why — except under CI=true, where it fails.

- `platform`, `session`: one migrated database per backend for the whole run; each test
  works inside a transaction rolled back at its end (fast; single-threaded use).
- `fresh_db`, `fresh_platform`: a new, empty, migrated database per test with real
  commits (concurrency, several processes, the CLI, raw-SQL tampering).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.orm import Session

from hegui.bootstrap import Platform, bootstrap, wire
from hegui.db import Database, make_engine, migrate
from hegui.db.engine import WRITE_OPTION
from hegui.services.clock import FixedClock
from hegui.services.users.passwords import Passwords
from hegui.settings import Settings

POSTGRES_ENV = "HEGUI_TEST_POSTGRES_URL"
TEST_SECRET = "test-secret-" + "x" * 40
T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


@dataclass
class ProvisionedDatabase:
    backend: str
    url: str
    engine: Engine

    def settings(self, data_dir: Path) -> Settings:
        return Settings(data_dir=data_dir, database_url=self.url, secret_key=TEST_SECRET)


def postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV, "")
    if url:
        return url
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {POSTGRES_ENV} is unset: run the tests through bash scripts/test")
    pytest.skip(f"PostgreSQL: {POSTGRES_ENV} unset (bash scripts/test starts a server)")


@contextmanager
def new_database(backend: str, directory: Path) -> Iterator[str]:
    """The URL of an empty database of its own: a SQLite file, or a PostgreSQL schema."""
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'hegui.db'}"
        return
    base = postgres_url()
    schema = f"hegui_t_{secrets.token_hex(6)}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def cheap_passwords() -> Passwords:
    return Passwords(PasswordHasher.from_parameters(CHEAPEST))


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def db_backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql":
        postgres_url()
    return str(request.param)


@pytest.fixture(scope="session")
def shared_db(
    db_backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ProvisionedDatabase]:
    with new_database(db_backend, tmp_path_factory.mktemp(db_backend)) as url:
        engine = make_engine(url)
        migrate(engine)
        yield ProvisionedDatabase(db_backend, url, engine)
        engine.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def platform(
    shared_db: ProvisionedDatabase, clock: FixedClock, tmp_path: Path
) -> Iterator[Platform]:
    """Services over the shared database, inside a transaction rolled back after the test."""
    with shared_db.engine.connect() as connection:
        connection = connection.execution_options(**{WRITE_OPTION: True})
        outer = connection.begin()
        db = Database.joined(connection)
        yield wire(shared_db.settings(tmp_path), db, clock=clock, passwords=cheap_passwords())
        outer.rollback()


@pytest.fixture
def session(platform: Platform) -> Iterator[Session]:
    with platform.db.transaction() as session:
        yield session


@pytest.fixture
def fresh_db(db_backend: str, tmp_path: Path) -> Iterator[ProvisionedDatabase]:
    with new_database(db_backend, tmp_path) as url:
        engine = make_engine(url)
        migrate(engine)
        yield ProvisionedDatabase(db_backend, url, engine)
        engine.dispose()


@pytest.fixture
def fresh_platform(
    fresh_db: ProvisionedDatabase, clock: FixedClock, tmp_path: Path
) -> Iterator[Platform]:
    built = bootstrap(fresh_db.settings(tmp_path), clock=clock, passwords=cheap_passwords())
    yield built
    built.close()
