"""`hegui ingest`: submit a JSONL file through the conversations service, inspect it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hegui.bootstrap import Platform
from hegui.cli.main import app
from tests.db_fixtures import TEST_SECRET, ProvisionedDatabase
from tests.services.ingest_support import PHONE, PROMISE, call, count, dump

runner = CliRunner()


def env_for(db: ProvisionedDatabase, data_dir: Path) -> dict[str, str]:
    return {
        "HEGUI_DATA_DIR": str(data_dir),
        "HEGUI_DATABASE_URL": db.url,
        "HEGUI_SECRET_KEY": TEST_SECRET,
    }


def test_ingest_inspects_and_is_idempotent(
    fresh_platform: Platform, fresh_db: ProvisionedDatabase, tmp_path: Path
) -> None:
    lines = [call("c-1", *PROMISE), call("c-2", f"您的手机号是{PHONE}对吧")]
    path = tmp_path / "calls.jsonl"
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in lines) + "\n", "utf-8")
    env = env_for(fresh_db, tmp_path)
    first = runner.invoke(app, ["ingest", str(path)], env=env)
    assert first.exit_code == 0, first.output
    assert "accepted 2 conversations, 2 to inspect" in first.output
    assert "done: 2/2 inspected" in first.output
    with fresh_platform.db.reader() as session:
        assert fresh_platform.conversations.get(session, "c-1").status == "inspected"
        assert fresh_platform.findings.for_conversation(session, "c-1")
        assert PHONE not in dump(session)
        [entry] = [
            e for e in fresh_platform.audit.entries(session) if e.action == "conversations.submit"
        ]
        assert entry.actor.startswith("cli")
    again = runner.invoke(app, ["ingest", str(path)], env=env)
    assert again.exit_code == 0 and "0 to inspect" in again.output
    with fresh_platform.db.reader() as session:
        assert count(session, "SELECT count(*) FROM inspections") == 2


def test_bad_lines_are_reported_and_the_rest_ingested(
    fresh_platform: Platform, fresh_db: ProvisionedDatabase, tmp_path: Path
) -> None:
    path = tmp_path / "calls.jsonl"
    good = json.dumps(call("c-1", "您好"), ensure_ascii=False)
    path.write_text(
        f'{good}\n{{"id": "c-2", "utterances": [{{"role": "boss", "text": "x"}}]}}\n', "utf-8"
    )
    result = runner.invoke(app, ["ingest", str(path), "--no-wait"], env=env_for(fresh_db, tmp_path))
    assert result.exit_code == 1
    assert f"{path}:2: utterances[0].role:" in result.output
    assert "accepted 1 conversations" in result.output
    with fresh_platform.db.reader() as session:
        assert fresh_platform.conversations.get(session, "c-1").status == "pending"


def test_a_missing_file_is_a_message(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["ingest", str(tmp_path / "nope.jsonl")], env={"HEGUI_DATA_DIR": str(tmp_path)}
    )
    assert result.exit_code == 2 and "cannot read" in result.output
