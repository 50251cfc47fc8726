from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from hegui.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "calls.jsonl"
runner = CliRunner()


def test_inspect_sample_writes_findings(tmp_path: Path) -> None:
    out = tmp_path / "findings.jsonl"
    result = runner.invoke(app, ["inspect", str(SAMPLE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    findings = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    rules = {(f["conversation_id"], f["rule_id"]) for f in findings}
    assert any(cid == "call-20261101-0001" and "promise" in rule for cid, rule in rules)
    for f in findings:
        if f["span"] is not None:
            assert f["evidence"][f["span"][0] : f["span"][1]] == f["matched"]
    clean = [f for f in findings if f["conversation_id"] == "call-20261101-0002"]
    assert all(f["severity"] != "high" for f in clean), clean


def test_malformed_lines_are_reported_and_the_rest_inspected(tmp_path: Path) -> None:
    calls = tmp_path / "calls.jsonl"
    good = SAMPLE.read_text("utf-8").splitlines()[0]
    calls.write_text(
        good + "\n{oops\n" + json.dumps({"id": "x", "utterances": "no"}) + "\n", "utf-8"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "hegui", "inspect", str(calls)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert f"{calls}:2:" in proc.stderr and f"{calls}:3: utterances" in proc.stderr
    assert proc.stdout.count("\n") >= 1


def test_stdin_formats_and_jobs(tmp_path: Path) -> None:
    text = SAMPLE.read_text("utf-8")
    one = runner.invoke(app, ["inspect", "-", "--format", "json"], input=text)
    assert one.exit_code == 0
    as_json = json.loads(one.stdout)
    out = tmp_path / "f.jsonl"
    two = runner.invoke(app, ["inspect", str(SAMPLE), "--jobs", "2", "--out", str(out)])
    assert two.exit_code == 0
    assert [json.loads(x) for x in out.read_text("utf-8").splitlines()] == as_json
    table = runner.invoke(app, ["inspect", str(SAMPLE), "--format", "table"])
    assert table.exit_code == 0 and "call-20261101-0001" in table.stdout


def test_packs_and_custom_rules(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "pack: mine\nrules:\n  - id: mine.x.y\n    category: compliance.exaggeration\n    message: 夸大\n"
        "    when: {keywords: [宇宙第一]}\n    examples: {match: [宇宙第一, 宇宙第一哦, 是宇宙第一], no_match: [a, b, c]}\n",
        "utf-8",
    )
    calls = tmp_path / "c.jsonl"
    calls.write_text(
        json.dumps(
            {"id": "c", "utterances": [{"role": "agent", "text": "我们宇宙第一 保本的"}]},
            ensure_ascii=False,
        ),
        "utf-8",
    )
    only_mine = runner.invoke(app, ["inspect", str(calls), "--packs", "", "--rules", str(tmp_path)])
    assert [json.loads(x)["rule_id"] for x in only_mine.stdout.splitlines()] == ["mine.x.y"]
    bad = runner.invoke(app, ["inspect", str(calls), "--packs", "nope"])
    assert bad.exit_code == 2 and "no such pack" in bad.output
