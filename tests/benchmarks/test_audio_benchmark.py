"""benchmarks/audio.py runs and reports its figure (a tiny size; no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_audio_benchmark_reports_throughput() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "audio.py"), "--minutes", "0.3"],
        capture_output=True,
        check=True,
        text=True,
    )
    result = json.loads(done.stdout)
    assert result["audio_seconds"] >= 17
    assert result["audio_seconds_per_cpu_second"] > 0
    assert all(count > 0 for count in result["segments"])
