"""The composition root wires one platform per process from settings alone."""

from __future__ import annotations

from pathlib import Path

import hegui.bootstrap
from hegui.bootstrap import bootstrap
from hegui.db import current_revisions, head_revisions
from tests.db_fixtures import ProvisionedDatabase, cheap_passwords


def test_nothing_is_built_at_import() -> None:
    assert not any(
        isinstance(value, hegui.bootstrap.Platform | hegui.bootstrap.Settings)
        for value in vars(hegui.bootstrap).values()
    )


def test_two_processes_on_one_data_dir_share_users_and_tokens(
    fresh_db: ProvisionedDatabase, tmp_path: Path
) -> None:
    """What the CLI creates the server sees, and a token either issues the other accepts."""
    settings = fresh_db.settings(tmp_path).model_copy(update={"secret_key": None})
    server = bootstrap(settings, passwords=cheap_passwords())
    cli = bootstrap(settings, passwords=cheap_passwords())
    assert current_revisions(server.db.engine) == head_revisions()
    with cli.db.transaction() as session:
        data = {"username": "ops", "password": "pw-123456", "role": "admin"}
        cli.users.create(session, data, actor="cli")
        token = cli.users.login(session, "ops", "pw-123456").access_token
    with server.db.reader() as session:
        assert server.users.user_for_token(session, token).username == "ops"
    assert (tmp_path / "secret_key").is_file()
    server.close()
    cli.close()
