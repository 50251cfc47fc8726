"""`hegui scorecard lint|show` and the lines `hegui inspect --metrics --scorecard` adds."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hegui.cli.main import app
from hegui.scorecards import shipped

runner = CliRunner()
SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "calls.jsonl"
CARDS = Path(__file__).resolve().parents[2] / "src" / "hegui" / "scorecards"


def lines_of(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_inspect_adds_one_metrics_and_one_score_line_per_conversation(tmp_path: Path) -> None:
    plain, extra = tmp_path / "plain.jsonl", tmp_path / "extra.jsonl"
    assert runner.invoke(app, ["inspect", str(SAMPLE), "--out", str(plain)]).exit_code in (0, 4)
    args = ["inspect", str(SAMPLE), "--metrics", "--scorecard", "general", "--out", str(extra)]
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 4), result.output
    rows = lines_of(extra)
    findings = [r for r in rows if "kind" not in r]
    assert findings == lines_of(plain)  # the findings contract untouched
    conversations = len(SAMPLE.read_text("utf-8").splitlines())
    metrics = [r for r in rows if r.get("kind") == "metrics"]
    scores = [r for r in rows if r.get("kind") == "score"]
    assert len(metrics) == len(scores) == conversations
    assert all(0 <= float(s["score"]) <= 100 for s in scores)  # type: ignore[arg-type]
    # Each score follows its conversation's findings and cites them by position.
    first = rows.index(scores[0])
    own = [r for r in rows[:first] if r.get("conversation_id") == scores[0]["conversation_id"]]
    cited = {i for d in scores[0]["deductions"] for i in d["findings"]}  # type: ignore[attr-defined]
    assert cited <= set(range(len(own) - 1))  # less its metrics line


def test_inspect_with_jobs_gives_the_same_lines(tmp_path: Path) -> None:
    one, two = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    for out, jobs in ((one, "1"), (two, "2")):
        args = ["inspect", str(SAMPLE), "--metrics", "--scorecard", str(CARDS / "banking.yaml")]
        runner.invoke(app, [*args, "--jobs", jobs, "--out", str(out)])
    assert lines_of(one) == lines_of(two)


def test_inspect_refuses_extras_outside_jsonl_and_a_bad_card(tmp_path: Path) -> None:
    table = runner.invoke(app, ["inspect", str(SAMPLE), "--metrics", "--format", "table"])
    assert table.exit_code == 2 and "--format jsonl" in table.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("scorecard: x\nversion: 1\ntitle: t\nitems: []\n", encoding="utf-8")
    refused = runner.invoke(app, ["inspect", str(SAMPLE), "--scorecard", str(bad)])
    assert refused.exit_code == 2 and "items" in refused.output
    unknown = runner.invoke(app, ["inspect", str(SAMPLE), "--scorecard", "nope"])
    assert unknown.exit_code == 2 and "neither a file nor a shipped card" in unknown.output


def test_lint_accepts_the_shipped_cards_and_names_line_and_field(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["scorecard", "lint", *map(str, sorted(CARDS.glob("*.yaml")))])
    assert ok.exit_code == 0, ok.output
    assert ok.output.count("有效 ok") == len(shipped())
    text = (CARDS / "general.yaml").read_text("utf-8").replace("weight: 30", "weight: 60", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    failed = runner.invoke(app, ["scorecard", "lint", str(bad)])
    assert failed.exit_code == 1
    assert f"{bad}:" in failed.output and "weights add up to 130" in failed.output
    assert "Traceback" not in failed.output


def test_lint_warns_of_a_rule_no_shipped_pack_has(tmp_path: Path) -> None:
    text = (CARDS / "general.yaml").read_text("utf-8")
    text = text.replace('categories: ["compliance.*"]', "rules: [acme.own.rule]", 1)
    card = tmp_path / "own.yaml"
    card.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["scorecard", "lint", str(card)])
    assert result.exit_code == 0, result.output
    assert "items.0.rules" in result.output and "acme.own.rule" in result.output


def test_show_lists_and_prints_cards() -> None:
    listed = runner.invoke(app, ["scorecard", "show"])
    assert listed.exit_code == 0 and "securities" in listed.output
    shown = runner.invoke(app, ["scorecard", "show", "lending"])
    assert shown.exit_code == 0 and json.loads(shown.output)["scorecard"] == "lending"
    assert runner.invoke(app, ["scorecard", "show", "nope"]).exit_code == 2
