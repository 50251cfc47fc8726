"""Bring a database to the newest schema (Alembic revisions shipped in `hegui.migrations`)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, text

from hegui.db.engine import WRITE_OPTION
from hegui.errors import Conflict

# Any fixed number: PostgreSQL advisory lock taken while migrating ("hegui" in ASCII).
MIGRATION_LOCK = 0x6865677569


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", "hegui:migrations")
    return config


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def migrate(engine: Engine, revision: str = "heads") -> None:
    """Upgrade in one transaction; processes starting together take turns."""
    config = alembic_config()
    with engine.connect() as connection:
        connection = connection.execution_options(**{WRITE_OPTION: True})
        with connection.begin():
            _lock(connection)
            config.attributes["connection"] = connection
            try:
                command.upgrade(config, revision)
            except CommandError as exc:
                raise Conflict(
                    "数据库结构版本未知（比本程序新？）database schema is at a revision this "
                    f"hegui does not know (newer software?): {exc}"
                ) from exc


def _lock(connection: Connection) -> None:
    # SQLite: BEGIN IMMEDIATE already holds the write lock. PostgreSQL: an advisory lock
    # released with the transaction, so two servers starting at once do not both create.
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
