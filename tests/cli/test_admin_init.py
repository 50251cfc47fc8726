"""`hegui admin init`: the first admin of a new installation, its password shown once and
kept in the data directory (mode 0600); nothing created when an admin exists."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from hegui.bootstrap import Platform
from hegui.cli.main import app
from tests.db_fixtures import ProvisionedDatabase

runner = CliRunner()
SHOWN = re.compile(r"username: (\S+)\n\s+密码 password: (\S+)")


def init(db: ProvisionedDatabase, data_dir: Path, *args: str) -> str:
    env = {"HEGUI_DATA_DIR": str(data_dir), "HEGUI_DATABASE_URL": db.url}
    result = runner.invoke(app, ["admin", "init", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_first_admin_is_created_shown_once_and_saved(
    fresh_platform: Platform, fresh_db: ProvisionedDatabase, tmp_path: Path
) -> None:
    out = init(fresh_db, tmp_path)
    found = SHOWN.search(out)
    assert found is not None, out
    username, password = found.groups()
    assert username == "admin" and re.fullmatch(r"[A-Za-z0-9]{16}", password)
    saved = tmp_path / "first-admin.txt"
    assert saved.stat().st_mode & 0o777 == 0o600
    assert saved.read_text("utf-8") == f"username: admin\npassword: {password}\n"
    with fresh_platform.db.transaction() as session:
        user = fresh_platform.users.authenticate(session, "admin", password)
        assert user.role == "admin"
    again = init(fresh_db, tmp_path)
    assert "an admin exists (admin): nothing created" in again
    assert password not in again and str(saved) in again
    assert saved.read_text("utf-8").endswith(f"{password}\n")


def test_a_chosen_username(fresh_db: ProvisionedDatabase, tmp_path: Path) -> None:
    out = init(fresh_db, tmp_path, "--username", "boss")
    assert "username: boss" in out


def test_an_existing_admin_means_nothing_is_created(
    fresh_platform: Platform, fresh_db: ProvisionedDatabase, tmp_path: Path
) -> None:
    with fresh_platform.db.transaction() as session:
        spec = {"username": "root", "password": "pw-123456", "role": "admin"}
        fresh_platform.users.create(session, spec, actor="seed")
    out = init(fresh_db, tmp_path)
    assert "an admin exists (root)" in out
    assert not (tmp_path / "first-admin.txt").exists()
    with fresh_platform.db.reader() as session:
        assert [u.username for u in fresh_platform.users.list(session)] == ["root"]
