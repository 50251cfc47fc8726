"""`hegui admin`: users on the server's own database, also while the server runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hegui.bootstrap import Platform
from hegui.cli.main import app
from tests.db_fixtures import ProvisionedDatabase

runner = CliRunner()


def env_for(db: ProvisionedDatabase, data_dir: Path) -> dict[str, str]:
    return {"HEGUI_DATA_DIR": str(data_dir), "HEGUI_DATABASE_URL": db.url}


def test_create_user_then_log_in(
    fresh_platform: Platform, fresh_db: ProvisionedDatabase, tmp_path: Path
) -> None:
    args = ["admin", "create-user", "zhao", "--password", "pw-123456", "--role", "team_lead"]
    result = runner.invoke(app, [*args, "--team", "east-1"], env=env_for(fresh_db, tmp_path))
    assert result.exit_code == 0, result.output
    assert "created user zhao" in result.output
    with fresh_platform.db.transaction() as session:
        user = fresh_platform.users.authenticate(session, "zhao", "pw-123456")
        assert (user.role, user.team, user.agent_id) == ("team_lead", "east-1", None)
        [entry] = fresh_platform.audit.entries(session)
        assert entry.action == "user.create" and entry.actor.startswith("cli")


def test_default_database_lives_in_the_data_dir(tmp_path: Path) -> None:
    data_dir = tmp_path / "new" / "hegui-data"
    args = ["admin", "create-user", "a1", "--password", "pw-123456", "--role", "agent"]
    env = {"HEGUI_DATA_DIR": str(data_dir), "HEGUI_DATABASE_URL": ""}
    result = runner.invoke(app, [*args, "--agent-id", "A-1"], env=env)
    assert result.exit_code == 0, result.output
    assert (data_dir / "hegui.db").is_file()
    assert (data_dir / "secret_key").stat().st_mode & 0o777 == 0o600
    listed = runner.invoke(app, ["admin", "list-users"], env=env)
    assert listed.exit_code == 0 and "a1" in listed.output and "A-1" in listed.output


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (["--role", "boss"], "role"),
        (["--role", "agent"], "agent_id"),
        (["--role", "admin", "--password", "short"], "password"),
    ],
)
def test_invalid_input_names_the_field_and_exits_2(
    fresh_db: ProvisionedDatabase, tmp_path: Path, extra: list[str], field: str
) -> None:
    args = ["admin", "create-user", "qian", "--password", "pw-123456", *extra]
    result = runner.invoke(app, args, env=env_for(fresh_db, tmp_path))
    assert result.exit_code == 2
    assert f"{field}: 取值无效 invalid value" in result.output
    assert "Traceback" not in result.output


def test_duplicate_username_exits_2(fresh_db: ProvisionedDatabase, tmp_path: Path) -> None:
    args = ["admin", "create-user", "sun", "--password", "pw-123456", "--role", "reviewer"]
    env = env_for(fresh_db, tmp_path)
    assert runner.invoke(app, args, env=env).exit_code == 0
    again = runner.invoke(app, args, env=env)
    assert again.exit_code == 2
    assert "用户名已存在 username already exists: sun" in again.output


def test_bad_settings_name_the_variable(tmp_path: Path) -> None:
    args = ["admin", "list-users"]
    result = runner.invoke(app, args, env={"HEGUI_DATABASE_URL": "mysql://x/y"})
    assert result.exit_code == 2 and "HEGUI_DATABASE_URL" in result.output
    result = runner.invoke(
        app, args, env={"HEGUI_DATA_DIR": str(tmp_path), "HEGUI_TOKEN_LIFETIME": "soon"}
    )
    assert result.exit_code == 2 and "HEGUI_TOKEN_LIFETIME" in result.output


def test_password_is_prompted_when_left_out(
    fresh_platform: Platform, fresh_db: ProvisionedDatabase, tmp_path: Path
) -> None:
    args = ["admin", "create-user", "zhou", "--role", "compliance_manager"]
    result = runner.invoke(
        app, args, env=env_for(fresh_db, tmp_path), input="pw-123456\npw-123456\n"
    )
    assert result.exit_code == 0, result.output
    assert "pw-123456" not in result.output
    with fresh_platform.db.reader() as session:
        fresh_platform.users.authenticate(session, "zhou", "pw-123456")


def test_set_password_revokes_tokens(
    fresh_platform: Platform, fresh_db: ProvisionedDatabase, tmp_path: Path
) -> None:
    with fresh_platform.db.transaction() as session:
        data = {"username": "wu", "password": "pw-123456", "role": "admin"}
        fresh_platform.users.create(session, data, actor="t")
        token = fresh_platform.users.login(session, "wu", "pw-123456").access_token
    args = ["admin", "set-password", "wu", "--password", "pw-999999"]
    result = runner.invoke(app, args, env=env_for(fresh_db, tmp_path))
    assert result.exit_code == 0, result.output
    with fresh_platform.db.reader() as session:
        fresh_platform.users.authenticate(session, "wu", "pw-999999")
        with pytest.raises(Exception, match="revoked"):
            fresh_platform.users.user_for_token(session, token)
    missing = runner.invoke(app, [*args[:2], "nobody", *args[3:]], env=env_for(fresh_db, tmp_path))
    assert missing.exit_code == 2 and "no user 'nobody'" in missing.output


def test_works_from_another_process_while_the_server_runs(
    fresh_platform: Platform, fresh_db: ProvisionedDatabase, tmp_path: Path
) -> None:
    """The server holds connections and a long read open; the CLI process still writes."""
    env = os.environ | env_for(fresh_db, tmp_path)
    with fresh_platform.db.transaction() as session:
        data = {"username": "server-side", "password": "pw-123456", "role": "admin"}
        fresh_platform.users.create(session, data, actor="api")
    with fresh_platform.db.reader() as reading:
        assert len(fresh_platform.users.list(reading)) == 1
        cli = [sys.executable, "-m", "hegui", "admin", "create-user", "cli-side"]
        cli += ["--password", "pw-123456", "--role", "reviewer"]
        done = subprocess.run(cli, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    with fresh_platform.db.transaction() as session:
        assert [u.username for u in fresh_platform.users.list(session)] == [
            "server-side",
            "cli-side",
        ]
        fresh_platform.audit.record(session, "api", "after", ("x", 1))
        assert fresh_platform.audit.verify(session).entries == 3


def test_unreachable_database_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://nobody@/hegui?host={tmp_path}"
    result = runner.invoke(
        app,
        ["admin", "list-users"],
        env={"HEGUI_DATA_DIR": str(tmp_path), "HEGUI_DATABASE_URL": url},
    )
    assert result.exit_code == 2
    assert "无法打开数据库 cannot open the database: OperationalError" in result.output
    assert "Traceback" not in result.output


def test_other_commands_start_without_the_database_stack() -> None:
    code = "import sys, hegui.cli.main; print(sorted({'sqlalchemy', 'alembic'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr
