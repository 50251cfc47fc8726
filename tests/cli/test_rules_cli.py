from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from hegui.cli.main import app

runner = CliRunner()

RULE = """pack: mine
rules:
  - id: mine.promise.baoben
    category: compliance.guarantee_return
    message: 承诺保本
    source: 《证券法》第一百三十五条
    when: {{keywords: [保本]}}
    examples:
      match: [这个保本的, 保本保息, {match3}]
      no_match: [不保本, 这个不保本的, 产品有风险]
"""


def write(tmp_path: Path, match3: str) -> Path:
    (tmp_path / "mine.yaml").write_text(RULE.format(match3=match3), "utf-8")
    return tmp_path


def test_rules_test_passes_and_reports_precision_recall(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "test", "--rules", str(write(tmp_path, "放心保本"))])
    assert result.exit_code == 0, result.output
    assert (
        "mine.promise.baoben" in result.output and "precision 1.000, recall 1.000" in result.output
    )


def test_rules_test_fails_on_a_miss(tmp_path: Path) -> None:
    result = runner.invoke(app, ["rules", "test", "--rules", str(write(tmp_path, "收益很好"))])
    assert result.exit_code == 1
    assert "收益很好" in result.output and "recall 0.667" in result.output


def test_list_show_lint_explain(tmp_path: Path) -> None:
    rules = str(write(tmp_path, "放心保本"))
    listed = runner.invoke(app, ["rules", "list", "--rules", rules])
    assert listed.exit_code == 0 and "mine.promise.baoben" in listed.output
    shown = runner.invoke(app, ["rules", "show", "mine.promise.baoben", "--rules", rules])
    assert shown.exit_code == 0 and "keywords" in shown.output
    linted = runner.invoke(app, ["rules", "lint", "--rules", rules])
    assert linted.exit_code == 0 and "0 errors" in linted.output
    why = runner.invoke(
        app, ["rules", "explain", "mine.promise.baoben", "这个不保本，那个保本", "--rules", rules]
    )
    assert why.exit_code == 0
    assert "negated" in why.output and "FIRES" in why.output
    why_not = runner.invoke(
        app,
        ["rules", "explain", "mine.promise.baoben", "保本", "--role", "customer", "--rules", rules],
    )
    assert "does not fire" in why_not.output


def test_shipped_rules_list_and_bad_pack_file(tmp_path: Path) -> None:
    assert runner.invoke(app, ["rules", "list", "--pack", "securities"]).exit_code == 0
    (tmp_path / "bad.yaml").write_text("pack: bad\nrules:\n  - id: BAD\n", "utf-8")
    result = runner.invoke(app, ["rules", "lint", "--rules", str(tmp_path)])
    assert result.exit_code == 2 and "bad.yaml:3" in result.output
