"""Alembic environment: runs on the connection `hegui.db.migrate` hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, MetaData

from hegui.db import Base


def _target_metadata() -> MetaData:
    # Imported here, not at module top: only autogenerate needs every model loaded.
    import hegui.services.models  # noqa: F401

    return Base.metadata


def run() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("run migrations through hegui.db.migrate(engine)")
    context.configure(
        connection=connection,
        target_metadata=_target_metadata(),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run()
