"""`--format table` for people on an 80-column terminal; the progress bar's rules."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from hegui.cli.inspect_io import Inputs
from hegui.cli.inspect_report import PROGRESS_FROM, progress_bar
from hegui.cli.inspect_table import render, row
from hegui.engine.model import Finding

EVIDENCE = "您好，这个产品绝对保本保息，年化收益百分之八，稳赚不赔的，您放心购买吧"


def finding(**kw: object) -> Finding:
    base: dict[str, object] = {
        "conversation_id": "call-20261101-0001-a-very-long-identifier-without-spaces",
        "category": "compliance.guarantee_return",
        "rule_id": "securities.promise.a_rule_identifier_longer_than_any_column",
        "rule_version": 1,
        "severity": "high",
        "message": "坐席承诺保本保息 the agent promised principal and interest",
        "utterance_index": 4,
        "role": "agent",
        "span": (9, 13),
        "evidence": EVIDENCE,
        "matched": EVIDENCE[9:13],
    }
    base.update(kw)
    return Finding(**base)  # type: ignore[arg-type]


def draw(findings: list[Finding], width: int = 80) -> tuple[str, str]:
    plain, styled = io.StringIO(), io.StringIO()
    render([row(f) for f in findings], Console(file=plain, width=width))
    render([row(f) for f in findings], Console(file=styled, width=width, force_terminal=True))
    return plain.getvalue(), styled.getvalue()


def test_table_fits_80_columns_and_shows_the_match_in_its_context() -> None:
    findings = [
        finding(),
        finding(span=None, utterance_index=None, evidence=None, matched=None, severity="medium"),
        finding(span=(0, 2), evidence="保本\x1b[2J" + "长" * 200, matched="保本", severity="low"),
    ]
    text, styled = draw(findings)
    assert max(cell_len(line) for line in text.splitlines()) <= 80
    first = row(findings[0])
    assert (first.before, first.matched, first.after) == (
        "…好，这个产品绝对",
        "保本保息",
        "，年化收益百分之…",
    )
    evidence = "".join(line.rsplit("│", 2)[-2].strip() for line in text.splitlines()[4:8])
    assert evidence.startswith("…好，这个产品绝对保本保息，年化收益百分之…")
    assert "\x1b[2J" not in text and "\ufffd[2J" in text, "control characters are shown, not obeyed"
    assert "\x1b[1;7m保" in styled and "\x1b[1;7m…好" not in styled, "the match is highlighted"
    assert "#4" in text and "securities.promise" in text and "坐席承诺保本保息" in text


def test_no_findings_says_so() -> None:
    assert "no findings" in draw([])[0]


def test_the_table_from_the_cli_is_80_columns_wide_in_a_pipe(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from hegui.cli.main import app

    calls = tmp_path / "c.jsonl"
    calls.write_text(
        json.dumps({"id": "c", "utterances": [{"role": "agent", "text": EVIDENCE}]}) + "\n", "utf-8"
    )
    result = CliRunner().invoke(
        app, ["inspect", str(calls), "--format", "table"], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 0
    assert "#0" in result.stdout and "保" in result.stdout
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= 80


@pytest.mark.parametrize(
    ("names", "size", "terminal", "shown"),
    [
        (["big"], PROGRESS_FROM, True, True),
        (["big"], PROGRESS_FROM, False, False),
        (["big"], PROGRESS_FROM - 1, True, False),
        (["big", "-"], PROGRESS_FROM, True, False),
    ],
)
def test_progress_by_bytes_only_for_large_regular_files_on_a_terminal(
    tmp_path: Path, names: list[str], size: int, terminal: bool, shown: bool
) -> None:
    big = tmp_path / "big"
    big.write_bytes(b"\n" * size)
    inputs = Inputs(tuple(str(big) if n == "big" else n for n in names))
    err = Console(file=io.StringIO(), force_terminal=terminal)
    with progress_bar(inputs, err) as progress:
        assert (progress is not None) is shown
        if progress is not None:
            progress.advance(size, 3)
