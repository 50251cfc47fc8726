"""Timing, memory and machine facts for benchmarks/engine.py (no hegui imports)."""

from __future__ import annotations

import cProfile
import gc
import io
import os
import platform
import pstats
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Timing:
    """Best wall-clock and best process-CPU seconds over the repeats. CPU time is what the
    code itself costs when other processes share the core; wall time is what a user waits."""

    wall_s: float
    cpu_s: float
    result: Any = None

    def rate(self, n: int) -> dict[str, float]:
        return {"per_s": round(n / self.wall_s, 1), "per_cpu_s": round(n / self.cpu_s, 1)}


def best_of(repeat: int, fn: Callable[[], Any]) -> Timing:
    """Shortest of `repeat` runs with the garbage collector off, as `timeit` measures."""
    wall = cpu = float("inf")
    result = None
    for _ in range(max(1, repeat)):
        gc.collect()
        gc.disable()
        try:
            w0, c0 = time.perf_counter(), time.process_time()
            result = fn()
            w1, c1 = time.perf_counter(), time.process_time()
        finally:
            gc.enable()
        wall, cpu = min(wall, w1 - w0), min(cpu, c1 - c0)
    return Timing(wall, cpu, result)


@dataclass(frozen=True)
class ChildRun:
    wall_s: float
    cpu_s: float  # user + system of the child and the workers it waited for
    max_rss_mb: float  # the largest resident set of the child or any of its workers
    returncode: int


# Linux carries a process's peak RSS across fork and exec, so a command started from this
# (large) process would report this process's peak. A small wrapper starts it instead and
# reports the command's own peak (wait4 from the wrapper) on its last stderr line.
_WRAPPER = (
    "import os, sys\n"
    "pid = os.fork()\n"
    "if pid == 0:\n"
    "    os.execvp(sys.argv[1], sys.argv[1:])\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "sys.stderr.write(f'\\nHEGUI_MAXRSS_KB={usage.ru_maxrss}\\n')\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)
_MARK = b"HEGUI_MAXRSS_KB="


def run_child(argv: Sequence[str], *, all_cpus: bool = False) -> ChildRun:
    """Run a command, its output discarded; measure it with wait4 (its own rusage, not that
    of every child this process ever had). `all_cpus` lifts the one-core pinning."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    every = set(range(os.cpu_count() or 1))

    def unpin() -> None:
        if all_cpus and cpus:
            os.sched_setaffinity(0, every)

    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRAPPER, *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=unpin,
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    proc.stderr.close()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = err.decode("utf-8", "replace")[-2000:]
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}:\n{tail}")
    peak = int(err[err.rindex(_MARK) + len(_MARK) :].split()[0]) if _MARK in err else 0
    return ChildRun(wall, usage.ru_utime + usage.ru_stime, peak / 1024, 0)


def pin_to_one_core() -> int | None:
    """Run on one core, as `taskset -c N` would; children inherit it. Returns the core."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


def machine(backend: str) -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "cores_used": usable,
        "arch": platform.machine(),
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
        "backend": backend,
        "load_avg_1m": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    if not ordered:
        return {"p50_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0}
    return {
        "p50_ms": round(ordered[len(ordered) // 2], 4),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 4),
        "max_ms": round(ordered[-1], 3),
    }


def timed_feed(session: Any, utterances: Sequence[Any]) -> list[float]:
    """Milliseconds per `session.feed(u)` call; the session is closed after."""
    samples = []
    for utterance in utterances:
        start = time.perf_counter_ns()
        session.feed(utterance)
        samples.append((time.perf_counter_ns() - start) / 1e6)
    session.close()
    return samples


def profile(fn: Callable[[], Any], top: int = 25) -> tuple[str, list[dict[str, Any]]]:
    """cProfile of one run: the report (top by cumulative and by own time) and the hotspots
    (own time, share of the total)."""
    profiler = cProfile.Profile()
    profiler.runcall(fn)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(row[2] for row in raw.values()) or 1.0
    rows = sorted(raw.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    hotspots = [
        {
            "function": f"{pstats.func_std_string(func)}",
            "calls": row[1],
            "tottime_pct": round(100 * row[2] / total, 1),
            "cumtime_pct": round(100 * row[3] / total, 1),
        }
        for func, row in rows
    ]
    return out.getvalue(), hotspots
