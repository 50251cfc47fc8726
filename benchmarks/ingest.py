"""Sustained ingestion with inspection through the HTTP API of a real `hegui serve`.

    python benchmarks/ingest.py                                  # SQLite (and PostgreSQL if set)
    bash scripts/postgres.sh .venv/bin/python benchmarks/ingest.py --backend both
    python benchmarks/ingest.py --batch 50 --clients 4 --workers 2 --json
    python benchmarks/ingest.py --quick                          # tiny: does it run (~20 s)

Per database: a new store, `hegui serve` on 127.0.0.1 with its worker threads, one admin.
After a warm-up (the rules compile on the first job), `--clients` threads POST the
realistic corpus (benchmarks/corpus.py) to `/api/v1/conversations` in lists of `--batch`
as fast as the server answers, then poll `/api/v1/jobs/{id}` until everything is
inspected. Reported: conversations/s end to end (first submit to last inspection), the
submit phase alone, and the p50/p99 of the submit calls while the workers run.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import corpus
import serving
from measure import machine, percentiles


def run(backend: str, items: list[dict[str, Any]], args: argparse.Namespace) -> dict[str, Any]:
    deadline = time.monotonic() + args.timeout
    with serving.store(backend) as where:
        serving.create_admin(where)
        server = serving.Server(where, workers=args.workers)
        server.start()
        try:
            result = measure(server, items, args, deadline)
        finally:
            code = server.stop()
        result["exit_code_after_sigterm"] = code
        result["findings"] = serving.scalar(where, "SELECT count(*) FROM findings")
    return {"backend": backend, **result}


def measure(
    server: serving.Server, items: list[dict[str, Any]], args: argparse.Namespace, deadline: float
) -> dict[str, Any]:
    local = threading.local()

    def client() -> Any:
        if not hasattr(local, "client"):
            local.client = serving.login(server.url)
        return local.client

    warm = serving.login(server.url)
    receipt, _ = serving.submit(warm, [dict(items[0], id="warm-up")])
    serving.wait_for_jobs(warm, [receipt["job_id"]], deadline)

    def send(batch: list[dict[str, Any]]) -> tuple[int, float]:
        receipt, ms = serving.submit(client(), batch)
        return receipt["job_id"], ms

    started = time.perf_counter()
    with ThreadPoolExecutor(args.clients) as pool:
        sent = list(pool.map(send, serving.batches(items, args.batch)))
    submitted = time.perf_counter()
    jobs = serving.wait_for_jobs(warm, [job_id for job_id, _ in sent], deadline)
    finished = time.perf_counter()
    utterances = sum(len(item["utterances"]) for item in items)
    end_to_end = finished - started
    return {
        "conversations": len(items),
        "utterances": utterances,
        "batch": args.batch,
        "clients": args.clients,
        "workers": args.workers,
        "submit_s": round(submitted - started, 2),
        "submitted_per_s": round(len(items) / (submitted - started), 1),
        "end_to_end_s": round(end_to_end, 2),
        "conversations_per_s": round(len(items) / end_to_end, 1),
        "utterances_per_s": round(utterances / end_to_end),
        "submit_calls": len(sent),
        **{f"submit_{k}": round(v, 1) for k, v in percentiles([ms for _, ms in sent]).items()},
        "inspected": sum(job["done"] for job in jobs),
        "failed": sum(job["failed"] for job in jobs),
    }


def backends(choice: str) -> list[str]:
    if choice == "auto":
        return ["sqlite", "postgresql"] if os.environ.get(serving.POSTGRES_ENV) else ["sqlite"]
    return ["sqlite", "postgresql"] if choice == "both" else [choice]


def table(results: list[dict[str, Any]]) -> str:
    keys = [
        "conversations",
        "batch",
        "clients",
        "workers",
        "conversations_per_s",
        "utterances_per_s",
        "submitted_per_s",
        "submit_p50_ms",
        "submit_p99_ms",
        "findings",
        "failed",
        "exit_code_after_sigterm",
    ]
    lines = ["| measure | " + " | ".join(r["backend"] for r in results) + " |"]
    lines.append("|---|" + "---|" * len(results))
    lines += [f"| {k} | " + " | ".join(str(r[k]) for r in results) + " |" for k in keys]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=1, help="conversations per submit call")
    parser.add_argument("--clients", type=int, default=4, help="concurrent HTTP clients")
    parser.add_argument("--workers", type=int, default=1, help="hegui serve --workers")
    parser.add_argument(
        "--backend", choices=["auto", "sqlite", "postgresql", "both"], default="auto"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=900, help="seconds per database")
    parser.add_argument("--quick", action="store_true", help="40 conversations: does it run")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.conversations, args.batch, args.clients = 40, 5, 2
    items = list(corpus.conversations(args.conversations, args.seed))
    results = [run(backend, items, args) for backend in backends(args.backend)]
    report = {"machine": machine("server"), "results": results}
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else table(results))
    ok = all(r["failed"] == 0 and r["exit_code_after_sigterm"] == 0 for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
