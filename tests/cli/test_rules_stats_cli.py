"""`hegui rules stats`: per-rule verdict statistics from the server's database."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hegui.bootstrap import Platform
from hegui.cli.main import app
from hegui.services.cases.schemas import ReviewIn
from tests.db_fixtures import ProvisionedDatabase
from tests.services.cases.support import REVIEWER, open_case

runner = CliRunner()


def test_rules_stats_table_and_json(
    fresh_platform: Platform, fresh_db: ProvisionedDatabase, tmp_path: Path
) -> None:
    env = {"HEGUI_DATA_DIR": str(tmp_path), "HEGUI_DATABASE_URL": fresh_db.url, "COLUMNS": "200"}
    empty = runner.invoke(app, ["rules", "stats"], env=env)
    assert empty.exit_code == 0 and "尚无复核结论 no verdicts yet" in empty.output
    for verdict in ("confirmed", "dismissed", "dismissed"):
        case_id = open_case(fresh_platform)
        with fresh_platform.db.transaction() as session:
            fresh_platform.cases.review(session, REVIEWER, case_id, ReviewIn(verdict=verdict))  # type: ignore[arg-type]
    table = runner.invoke(app, ["rules", "stats", "--min-verdicts", "3"], env=env)
    assert table.exit_code == 0, table.output
    assert "精确率 precision" in table.output and "securities.promise.baoben" in table.output
    assert "0.33" in table.output and "是 yes" in table.output
    assert "1 rules with verdicts, 1 noisy" in table.output
    raw = runner.invoke(app, ["rules", "stats", "--json", "--rule", "no.such.rule"], env=env)
    assert raw.exit_code == 0 and json.loads(raw.output) == {}
    raw = runner.invoke(app, ["rules", "stats", "--json"], env=env)
    stats = json.loads(raw.output)["securities.promise.baoben"]
    assert (stats["confirmed"], stats["dismissed"], stats["noisy"]) == (1, 2, False)


def test_a_bad_database_setting_exits_2(tmp_path: Path) -> None:
    env = {"HEGUI_DATA_DIR": str(tmp_path), "HEGUI_DATABASE_URL": "mysql://x/y"}
    result = runner.invoke(app, ["rules", "stats"], env=env)
    assert result.exit_code == 2 and "HEGUI_DATABASE_URL" in result.output
