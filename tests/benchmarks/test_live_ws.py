"""The live WebSocket benchmark runs end to end on a tiny load and reports every figure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_tiny_live_load(tmp_path: Path) -> None:
    saved = tmp_path / "live.json"
    sizes = ["--connections", "4", "--duration", "3", "--ramp", "0.5", "--interval", "0.2"]
    argv = [sys.executable, str(ROOT / "benchmarks" / "live_ws.py"), *sizes, "--json"]
    argv += ["--save", str(saved)]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)
    assert json.loads(saved.read_text("utf-8")) == result
    run = result["run"]
    assert run["connections"] == 4 and run["errors"] == 0 and run["utterances_lost"] == 0
    assert run["utterances_acked"] == run["utterances_sent"] > 20
    assert run["calls_closed"] == run["calls"] >= 4
    assert 0 < run["ack_latency"]["p50_ms"] <= run["ack_latency"]["p99_ms"]
    assert run["server_cpu_s"] > 0
    assert result["engine"]["utterances"] > 1000 and result["engine"]["thread_hop"]["p50_ms"] > 0
