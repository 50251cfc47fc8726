"""The one-command benchmark runs end to end on tiny sizes and reports every figure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import report

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    saved = tmp_path_factory.mktemp("bench") / "quick.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "engine.py"),
            "--quick",
            "--json",
            "--save",
            str(saved),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out: dict[str, Any] = json.loads(proc.stdout)
    assert json.loads(saved.read_text("utf-8")) == out
    return out


def test_shipped_figures(result: dict[str, Any]) -> None:
    s = result["shipped"]
    assert s["utterances"] == result["corpus"]["utterances"] > 0
    assert s["findings"] > 0 and s["findings_per_1k_utterances"] > 0  # realistic: rules fire
    for part in ("cli_subprocess", "cli_inprocess", "parse", "inspect", "serialise", "naive"):
        assert s[part]["per_s"] > 0 and s[part]["per_cpu_s"] > 0
    assert set(s["naive"]["rules_per_industry"]) <= {
        "securities",
        "banking",
        "insurance",
        "lending",
        "general",
    }
    assert s["feed"]["p99_ms"] >= s["feed"]["p50_ms"] > 0


def test_generated_memory_and_jobs(result: dict[str, Any]) -> None:
    assert [g["rules"] for g in result["generated"]] == [100, 300]
    for g in result["generated"]:
        assert g["ratio"] > 0 and g["compile_s"] > 0 and g["literals"] >= g["rules"]
    assert [r["conversations"] for r in result["memory"]] == [30, 90]
    assert all(r["max_rss_mb"] > 10 for r in result["memory"])
    assert result["jobs"]["identical_output"] is True
    assert result["machine"]["python"] and result["machine"]["backend"]


def test_every_target_judged_and_printed(result: dict[str, Any]) -> None:
    keys = [t["key"] for t in result["targets"]]
    assert keys == [
        "e2e_subprocess",
        "e2e_inprocess",
        "ratio",
        "compile",
        "rss_30",
        "rss_90",
        "jobs",
        "feed",
    ]
    text = report.table(result)
    assert text.count("PASS") + text.count("MISS") >= len(keys)
    assert "findings per 1,000 utterances" in text


def test_target_judgement() -> None:
    assert report._target("k", "n", 40_000, ">=", 40_000, "u")["pass"]
    assert not report._target("k", "n", 39_999, ">=", 40_000, "u")["pass"]
    assert not report._target("k", "n", 401, "<=", 400, "MB")["pass"]


def test_analysis_costs(result: dict[str, Any]) -> None:
    a = result["analyses"]
    assert a["utterances"] > 0
    for key in (
        "rules",
        "rules_semantic",
        "rules_semantic_classifier",
        "rules_semantic_sentiment",
        "rules_semantic_verdicts",
    ):
        assert a[f"{key}_us"] > 0
    # each model adds work on top of the rules alone, and the table says how much
    assert a["rules_semantic_sentiment_us"] > a["rules_us"]
    assert a["metrics_us"] > 0 and a["scorecard_us"] > 0
    assert a["audio"]["audio_seconds"] > 0 and a["audio"]["cpu_s_per_audio_hour"] > 0
    text = report.table(result)
    assert "4. what each analysis costs" in text and "+ semantic + sentiment findings" in text
