"""Migrations build exactly the tables the models describe, on both databases."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

import hegui.services.models  # noqa: F401  (every table registered on Base.metadata)
from hegui.db import Base, current_revisions, head_revisions, make_engine, migrate
from hegui.db.migrate import alembic_config
from hegui.errors import Conflict
from tests.db_fixtures import ProvisionedDatabase, new_database


def test_migrated_schema_matches_the_models(fresh_db: ProvisionedDatabase) -> None:
    with fresh_db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_database_is_at_head_and_migrating_again_changes_nothing(
    fresh_db: ProvisionedDatabase,
) -> None:
    assert current_revisions(fresh_db.engine) == head_revisions()
    migrate(fresh_db.engine)
    assert current_revisions(fresh_db.engine) == head_revisions()
    with fresh_db.engine.connect() as connection:
        assert connection.execute(text("SELECT seq, hash FROM audit_head")).all() == [(0, "0" * 64)]


def test_downgrade_to_nothing_and_up_again(fresh_db: ProvisionedDatabase) -> None:
    config = alembic_config()
    with fresh_db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert not {"users", "audit_log"} & set(inspect(fresh_db.engine).get_table_names())
    migrate(fresh_db.engine)
    assert {"users", "audit_log", "audit_head"} <= set(inspect(fresh_db.engine).get_table_names())


def test_unknown_revision_in_the_database_is_a_clear_error(fresh_db: ProvisionedDatabase) -> None:
    with fresh_db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(Conflict, match="newer software"):
        migrate(fresh_db.engine)


def test_processes_starting_together_migrate_once(db_backend: str, tmp_path: Path) -> None:
    with new_database(db_backend, tmp_path) as url:
        engines = [make_engine(url) for _ in range(4)]
        errors: list[BaseException] = []

        def start(index: int) -> None:
            try:
                migrate(engines[index])
            except BaseException as exc:  # reported below, on the test's thread
                errors.append(exc)

        threads = [threading.Thread(target=start, args=(i,)) for i in range(len(engines))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert current_revisions(engines[0]) == head_revisions()
        for engine in engines:
            engine.dispose()
