"""`hegui report` and `hegui audit regulator` over the server's database."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner

from hegui.bootstrap import Platform
from hegui.cli.main import app
from hegui.services.audit.chain import verify_jsonl
from tests.db_fixtures import ProvisionedDatabase
from tests.services.reports.seed import seed_month

runner = CliRunner()


@pytest.fixture
def env(fresh_platform: Platform, fresh_db: ProvisionedDatabase, tmp_path: Path) -> dict[str, str]:
    seed_month(fresh_platform)
    return {"HEGUI_DATA_DIR": str(tmp_path), "HEGUI_DATABASE_URL": fresh_db.url, "COLUMNS": "200"}


def test_html_report_holds_the_figures(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "--period", "2026-11", "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert "统计违规 counting findings" in result.output and "已写入 wrote" in result.output
    page = out.read_text("utf-8")
    assert "合规质检报告" in page and "2026-11" in page and "<svg" in page
    assert "east-1组的泄露住址违规占全部该类违规的86%（6/7）" in page
    assert "privacy.address.spoken" in page and "A-17" in page
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")  # no CDN


def test_pdf_report_of_a_team(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "east.pdf"
    args = ["report", "--period", "2026-11", "--team", "east-1", "--out", str(out)]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "合规质检报告" in text and "east-1" in text and "泄露住址" in text
    assert "west-2" not in text  # the team's report holds only its team


def test_json_by_format_and_a_range(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "r.out"
    args = ["report", "--since", "2026-11-01", "--until", "2026-11-05", "--out", str(out)]
    result = runner.invoke(app, [*args, "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text("utf-8"))
    assert report["scope"]["period"] == "2026-11-01~2026-11-05"
    assert report["scope"]["previous"] == "2026-10-27~2026-10-31"
    assert report["totals"]["findings"]["current"] == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-13"], "无法识别的报告期 unrecognised period '2026-13'"),
        (["--period", "11/2026"], "use one of 2026-11, 2026-W45"),
        (["--period", "2026-11", "--team", "nobody"], "未知团队 unknown team 'nobody'"),
        (["--since", "2026-11-09", "--until", "2026-11-01"], "结束日期早于开始日期"),
        (["--period", "2026-11", "--since", "2026-11-01"], "报告期与起止日期只能选一种"),
    ],
)
def test_bad_input_is_a_clear_error(
    env: dict[str, str], tmp_path: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["report", *args, "--out", str(tmp_path / "r.html")], env=env)
    assert result.exit_code == 2 and message in result.output
    assert "Traceback" not in result.output and not (tmp_path / "r.html").exists()


def test_unknown_extension(env: dict[str, str], tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--out", str(tmp_path / "r.docx")], env=env)
    assert result.exit_code == 2 and "name it .html, .pdf or .json" in result.output


def test_regulator_export(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "regulator.jsonl"
    result = runner.invoke(
        app, ["audit", "regulator", "--period", "2026-11", "--out", str(out)], env=env
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert lines[0]["type"] == "scope" and lines[-1]["type"] == "chain" and lines[-1]["ok"]
    cases = [line for line in lines if line["type"] == "case"]
    assert len(cases) == 10  # November only: October's two are left out
    reviewed = next(c for c in cases if c["status"] == "confirmed")
    assert reviewed["rule_id"] == "privacy.address.spoken" and reviewed["rule_version"] == 1
    assert reviewed["handled_at"] and reviewed["due_at"] and reviewed["on_time"] is True
    assert [e["action"] for e in reviewed["events"]][-1] == "review"
    assert reviewed["events"][-1]["actor"] == "rev"
    assert any(a["action"] == "case.review" for a in reviewed["audit"])
    # Every case's audit hash lies on the chain the full export verifies.
    full = tmp_path / "audit.jsonl"
    assert runner.invoke(app, ["audit", "export", "--out", str(full)], env=env).exit_code == 0
    chain = {json.loads(line)["hash"] for line in full.read_text("utf-8").splitlines()}
    assert {a["hash"] for c in cases for a in c["audit"]} <= chain
    with full.open(encoding="utf-8") as stream:
        assert verify_jsonl(stream).head_hash == lines[-1]["head_hash"]
