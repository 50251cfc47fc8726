"""`hegui inspect --jobs N` end to end: wall time, rate and speed-up over `--jobs 1`.

    python benchmarks/inspect_jobs.py                       # 20,000 conversations, jobs 1,2,4…
    python benchmarks/inspect_jobs.py --conversations 100000 --jobs 1,8,16 --json

The input repeats examples/calls.jsonl with unique ids. `--industry securities` is passed so
that the rules are compiled once in the parent and shared by forked workers: the timings
are of streaming, parsing, inspecting and encoding, not of compiling. The parent's own CPU
time is reported too (it includes compiling the rules): it only splits lines and writes,
so beyond that it must stay a small share of the workers' CPU time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import resource, sys, time
from hegui.cli.main import run
start = time.perf_counter()
try:
    run()
finally:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime
    sys.stderr.write(f"@@ {time.perf_counter() - start} {cpu[0]} {cpu[1]}\\n")
"""


def make_input(path: Path, count: int) -> None:
    lines = [
        json.loads(x) for x in (ROOT / "examples" / "calls.jsonl").read_text("utf-8").splitlines()
    ]
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            obj = dict(lines[i % len(lines)], id=f"bench-{i}")
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")


def timed(path: Path, jobs: int) -> tuple[float, float, float]:
    args = [sys.executable, "-c", PROBE, "inspect", str(path), "--out", os.devnull]
    args += ["--industry", "securities", "--jobs", str(jobs)]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    marks = [line for line in done.stderr.splitlines() if line.startswith("@@ ")]
    if done.returncode != 0 or not marks:
        raise SystemExit(f"--jobs {jobs} failed ({done.returncode}): {done.stderr[-500:]}")
    wall, parent_cpu, workers_cpu = map(float, marks[-1].split()[1:])
    return wall, parent_cpu, workers_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=20_000)
    cpus = os.cpu_count() or 1
    default_jobs = sorted({1, *(n for n in (2, 4, 8, 16) if n <= cpus), cpus})
    parser.add_argument("--jobs", default=",".join(map(str, default_jobs)))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "calls.jsonl"
        make_input(path, args.conversations)
        rows = []
        for jobs in (int(j) for j in args.jobs.split(",")):
            wall, parent, workers = timed(path, jobs)
            rows.append(
                {
                    "jobs": jobs,
                    "wall_s": round(wall, 2),
                    "parent_cpu_s": round(parent, 2),
                    "workers_cpu_s": round(workers, 2),
                    "conversations_per_s": round(args.conversations / wall),
                }
            )
    base = rows[0]["wall_s"]
    for row in rows:
        row["speedup"] = round(base / row["wall_s"], 2)
    if args.json:
        print(json.dumps({"cpus": cpus, "conversations": args.conversations, "runs": rows}))
        return
    print(f"{args.conversations} conversations, {cpus} CPUs")
    print("jobs  wall s  conv/s  speed-up  parent CPU s  workers CPU s")
    for r in rows:
        print(
            f"{r['jobs']:>4}  {r['wall_s']:>6}  {r['conversations_per_s']:>6}  "
            f"{r['speedup']:>8}  {r['parent_cpu_s']:>12}  {r['workers_cpu_s']:>13}"
        )


if __name__ == "__main__":
    main()
