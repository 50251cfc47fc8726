"""`hegui audit verify|export`: tampering by raw SQL is found and named."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from hegui.bootstrap import Platform
from hegui.cli.main import app
from tests.db_fixtures import ProvisionedDatabase

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()

# Someone with owner rights on the database removes the append-only guards first.
UNGUARD = {
    "sqlite": [
        "DROP TRIGGER audit_log_no_update",
        "DROP TRIGGER audit_log_no_delete",
        "DROP TRIGGER audit_head_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER audit_log_no_change ON audit_log",
        "DROP TRIGGER audit_head_no_delete ON audit_head",
    ],
}


@pytest.fixture
def five_entries(fresh_platform: Platform) -> Platform:
    with fresh_platform.db.transaction() as session:
        for i in range(1, 6):
            details = {"username": f"u{i}", "role": "agent"}
            fresh_platform.audit.record(session, "admin", "user.create", ("user", i), details)
    return fresh_platform


def tamper(db: ProvisionedDatabase, *statements: str) -> None:
    with db.engine.begin() as connection:
        for statement in [*UNGUARD[db.backend], *statements]:
            connection.execute(text(statement))


def verify(db: ProvisionedDatabase, data_dir: Path) -> tuple[int, str]:
    env = {"HEGUI_DATA_DIR": str(data_dir), "HEGUI_DATABASE_URL": db.url}
    result = runner.invoke(app, ["audit", "verify"], env=env)
    return result.exit_code, result.output


def test_intact_chain_exits_0(
    five_entries: Platform, fresh_db: ProvisionedDatabase, tmp_path: Path
) -> None:
    code, output = verify(fresh_db, tmp_path)
    assert code == 0 and "audit chain intact: 5 entries, head #5" in output


def test_empty_chain_is_intact(fresh_db: ProvisionedDatabase, tmp_path: Path) -> None:
    assert verify(fresh_db, tmp_path)[0] == 0


@pytest.mark.parametrize(
    ("statements", "named"),
    [
        (
            [
                'UPDATE audit_log SET details = \'{"username": "u3", "role": "admin"}\' WHERE seq = 3'
            ],
            "entry #3 was altered",
        ),
        (["UPDATE audit_log SET actor = 'nobody' WHERE seq = 1"], "entry #1 was altered"),
        (["DELETE FROM audit_log WHERE seq = 2"], "entry #2 was removed"),
        (["DELETE FROM audit_log WHERE seq = 5"], "entries from #5 on were removed"),
        (["DELETE FROM audit_log WHERE seq >= 4"], "entries from #4 on were removed"),
        (["DELETE FROM audit_head"], "the chain head row was removed"),
        (
            ["DELETE FROM audit_log WHERE seq = 5", "UPDATE audit_head SET seq = 4"],
            "entry #4 was altered or replaced",
        ),
    ],
)
def test_tampering_exits_1_naming_the_first_entry(
    five_entries: Platform,
    fresh_db: ProvisionedDatabase,
    tmp_path: Path,
    statements: list[str],
    named: str,
) -> None:
    tamper(fresh_db, *statements)
    code, output = verify(fresh_db, tmp_path)
    assert code == 1, output
    assert "审计链损坏 audit chain broken" in output and named in output


def test_export_verifies_offline(
    five_entries: Platform, fresh_db: ProvisionedDatabase, tmp_path: Path
) -> None:
    out = tmp_path / "audit.jsonl"
    env = {"HEGUI_DATA_DIR": str(tmp_path), "HEGUI_DATABASE_URL": fresh_db.url}
    result = runner.invoke(app, ["audit", "export", "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    lines = out.read_text("utf-8").splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [1, 2, 3, 4, 5]
    head = json.loads(lines[-1])["hash"]
    assert f"head #5 {head}" in result.output
    offline = runner.invoke(app, ["audit", "verify", "--file", str(out)])
    assert offline.exit_code == 0 and f"head #5 {head}" in offline.output

    entry = json.loads(lines[2])
    entry["details"]["role"] = "admin"
    lines[2] = json.dumps(entry, ensure_ascii=False)
    out.write_text("\n".join(lines) + "\n", "utf-8")
    offline = runner.invoke(app, ["audit", "verify", "--file", str(out)])
    assert offline.exit_code == 1 and "entry #3 was altered" in offline.output


def test_export_to_stdout_and_of_a_broken_chain(
    five_entries: Platform, fresh_db: ProvisionedDatabase, tmp_path: Path
) -> None:
    env = {"HEGUI_DATA_DIR": str(tmp_path), "HEGUI_DATABASE_URL": fresh_db.url}
    tamper(fresh_db, "DELETE FROM audit_log WHERE seq = 2")
    result = runner.invoke(app, ["audit", "export", "--out", "-"], env=env)
    assert result.exit_code == 1 and "entry #2 was removed" in result.output
    exported = [
        json.loads(line)["seq"] for line in result.stdout.splitlines() if line.startswith("{")
    ]
    assert exported == [1, 3, 4, 5]  # the auditor still gets every entry there is


def test_verify_file_errors(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", "verify", "--file", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2 and "cannot read" in result.output


def test_documented_offline_check_works(
    five_entries: Platform, fresh_db: ProvisionedDatabase, tmp_path: Path
) -> None:
    """docs/platform.md's stdlib-only script agrees with `hegui audit verify`."""
    doc = (ROOT / "docs" / "platform.md").read_text("utf-8")
    found = re.search(r"```python\n(# verify_audit\.py.*?)```", doc, re.S)
    assert found is not None
    script = tmp_path / "verify_audit.py"
    script.write_text(found.group(1), "utf-8")
    out = tmp_path / "audit.jsonl"
    env = {"HEGUI_DATA_DIR": str(tmp_path), "HEGUI_DATABASE_URL": fresh_db.url}
    assert runner.invoke(app, ["audit", "export", "--out", str(out)], env=env).exit_code == 0
    ok = subprocess.run([sys.executable, str(script), str(out)], capture_output=True, text=True)
    assert ok.returncode == 0 and "intact" in ok.stdout, ok.stderr
    lines = out.read_text("utf-8").splitlines()
    out.write_text("\n".join(lines[:1] + lines[2:]) + "\n", "utf-8")
    bad = subprocess.run([sys.executable, str(script), str(out)], capture_output=True, text=True)
    assert bad.returncode == 1 and "#2" in bad.stdout + bad.stderr
