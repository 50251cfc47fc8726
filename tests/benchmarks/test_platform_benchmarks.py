"""The platform benchmarks run on tiny sizes (`--quick`): ingestion through the HTTP API,
and the crash test, which must find every accepted conversation inspected exactly once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.db_fixtures import POSTGRES_ENV, postgres_url

ROOT = Path(__file__).resolve().parents[2]


def quick(script: str, backend: str) -> dict[str, Any]:
    if backend == "postgresql":
        postgres_url()  # skips (or fails under CI) without a server
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / script),
            "--quick",
            "--json",
            "--backend",
            backend,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-8000:]
    [result] = json.loads(proc.stdout)["results"]
    assert result["backend"] == backend
    return dict(result)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_crash_loses_and_repeats_nothing(backend: str) -> None:
    result = quick("crash.py", backend)
    assert result["verdict"] == "PASS"
    assert result["acknowledged_at_kill"] < result["lists"] or result["inspected_at_kill"] < 60
    assert result["missing"] == result["duplicate_findings"] == result["inspected_twice"] == 0
    assert result["first_inspections"] == result["revisions"] == 60
    assert result["findings_unlike_hegui_inspect"] == 0 and result["findings"] > 0
    assert result["exit_code_after_sigterm"] == 0


def test_ingest_reports_rates_and_latencies() -> None:
    result = quick("ingest.py", "sqlite")
    assert result["inspected"] == result["conversations"] == 40
    assert result["failed"] == 0 and result["findings"] > 0
    assert result["conversations_per_s"] > 0 and result["submit_p99_ms"] >= result["submit_p50_ms"]
    assert result["exit_code_after_sigterm"] == 0


def test_the_postgres_variable_is_the_tests_own() -> None:
    import serving

    assert serving.POSTGRES_ENV == POSTGRES_ENV
