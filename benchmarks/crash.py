"""Crash test: kill -9 `hegui serve` in the middle of an ingestion, restart it, and show
that every accepted conversation is inspected exactly once.

    python benchmarks/crash.py                                   # SQLite (and PostgreSQL if set)
    bash scripts/postgres.sh .venv/bin/python benchmarks/crash.py --backend both
    python benchmarks/crash.py --quick                           # tiny: does it run (~30 s)

Per database: `hegui serve` (its worker threads inside) on 127.0.0.1; `--clients` threads
POST the corpus in lists of `--batch`; once `--kill-at` of the lists are acknowledged the
server gets SIGKILL, mid-submission and mid-inspection. Lists that got no 202 are sent
again to the restarted server (as a client retries: idempotent by id and content), then
every job is awaited. Checked in the database: each conversation stored once with one
revision, inspected by exactly one first inspection, no finding twice, every job done
and none failed, the findings equal to `hegui inspect` on the same conversations, and, once the
ledger exists, one case per finding and no notice queued twice.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import corpus
import httpx
import serving
from measure import machine

Key = tuple[str, str, int | None]  # conversation, rule, utterance


class Ingestion:
    """Submits every list once; lists that get no 202 (the server died) are kept aside."""

    def __init__(self, url: str, lists: list[list[dict[str, Any]]]) -> None:
        self.url = url
        self.lists = lists
        self.jobs: list[int] = []
        self.unacknowledged: list[int] = []
        self.acknowledged = threading.Semaphore(0)
        self._lock = threading.Lock()
        self._local = threading.local()

    def send(self, index: int) -> None:
        try:
            client = getattr(self._local, "client", None) or serving.login(self.url)
            self._local.client = client
            receipt, _ = serving.submit(client, self.lists[index])
        except (httpx.TransportError, httpx.HTTPStatusError, RuntimeError):
            with self._lock:
                self.unacknowledged.append(index)
            return
        with self._lock:
            self.jobs.append(receipt["job_id"])
        self.acknowledged.release()


def run(backend: str, items: list[dict[str, Any]], args: argparse.Namespace) -> dict[str, Any]:
    deadline = time.monotonic() + args.timeout
    with serving.store(backend) as where:
        serving.create_admin(where)
        server = serving.Server(where, workers=args.workers, lease=args.lease)
        with server.running():
            server.start()
            warm_up(server, items[0], deadline)
            lists = serving.batches(items, args.batch)
            ingestion = Ingestion(server.url, lists)
            at_kill = crash(server, ingestion, args)
            killed_at = time.perf_counter()
            server.start()
            retried = list(ingestion.unacknowledged)
            resend_until_acknowledged(ingestion, deadline)
            client = serving.login(server.url)
            serving.wait_for_jobs(client, ingestion.jobs, deadline)
            wait_for_queue(where, deadline)  # jobs whose 202 was lost in the crash too
            recovered_s = time.perf_counter() - killed_at
            code = server.stop()
        checks = verify(where, items)
    return {
        "backend": backend,
        "conversations": len(items),
        "lists": len(lists),
        **at_kill,
        "resent_lists": len(retried),
        "still_unacknowledged": len(ingestion.unacknowledged),
        "restart_to_all_inspected_s": round(recovered_s, 1),
        "exit_code_after_sigterm": code,
        **checks,
    }


def resend_until_acknowledged(ingestion: Ingestion, deadline: float) -> None:
    """What a client does with lists the crash left unanswered: send them again (it is
    idempotent by id and content) until each is acknowledged, pausing between rounds."""
    while ingestion.unacknowledged and time.monotonic() < deadline:
        with ingestion._lock:
            pending, ingestion.unacknowledged = ingestion.unacknowledged, []
        for index in pending:
            ingestion.send(index)
        if ingestion.unacknowledged:
            time.sleep(0.5)


def crash(server: serving.Server, ingestion: Ingestion, args: argparse.Namespace) -> dict[str, Any]:
    """Submit concurrently; SIGKILL the server once enough lists are acknowledged."""
    wanted = max(1, int(len(ingestion.lists) * args.kill_at))
    state: dict[str, Any] = {}

    def killer() -> None:
        for _ in range(wanted):
            ingestion.acknowledged.acquire()
        # Past the warm-up's conversation: inspection is under way too.
        deadline = time.monotonic() + 60
        while inspected(server.where) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        server.kill()
        state["acknowledged_at_kill"] = len(ingestion.jobs)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    with ThreadPoolExecutor(args.clients) as pool:
        list(pool.map(ingestion.send, range(len(ingestion.lists))))
    thread.join(60)
    if thread.is_alive():
        raise SystemExit("the server was never killed: too few lists acknowledged")
    where = server.where
    state["stored_at_kill"] = serving.scalar(where, "SELECT count(*) FROM conversations")
    state["inspected_at_kill"] = inspected(where)
    return state


def inspected(where: serving.Store) -> int:
    sql = "SELECT count(*) FROM conversation_revisions WHERE status = 'inspected'"
    return int(serving.scalar(where, sql))


def warm_up(server: serving.Server, first: dict[str, Any], deadline: float) -> None:
    """The first conversation alone: the rules compile before the crash phase starts."""
    client = serving.login(server.url)
    receipt, _ = serving.submit(client, [first])
    serving.wait_for_jobs(client, [receipt["job_id"]], deadline)


def wait_for_queue(where: serving.Store, deadline: float) -> None:
    while serving.scalar(where, "SELECT count(*) FROM jobs WHERE status IN ('queued', 'running')"):
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the job queue to drain")
        time.sleep(0.2)


DUPLICATE_FINDINGS = """
SELECT count(*) FROM (
  SELECT revision_id, rule_id, rule_version, utterance_index, span_start, span_end
  FROM findings GROUP BY revision_id, rule_id, rule_version, utterance_index, span_start, span_end
  HAVING count(*) > 1) AS twice
"""
INSPECTED_TWICE = """
SELECT count(*) FROM (
  SELECT revision_id FROM inspections WHERE kind = 'first'
  GROUP BY revision_id HAVING count(*) > 1) AS twice
"""


def verify(where: serving.Store, items: list[dict[str, Any]]) -> dict[str, Any]:
    ids = {item["id"] for item in items}
    stored = {row[0] for row in serving.rows(where, "SELECT id FROM conversations")}
    stored_findings = findings_in(where)
    expected = reference(items)
    mismatched = sorted(
        cid for cid in ids if stored_findings.get(cid, Counter()) != expected.get(cid, Counter())
    )
    checks = {
        "missing": len(ids - stored),
        "revisions": serving.scalar(where, "SELECT count(*) FROM conversation_revisions"),
        "pending": serving.scalar(
            where, "SELECT count(*) FROM conversation_revisions WHERE status <> 'inspected'"
        ),
        "first_inspections": serving.scalar(
            where, "SELECT count(*) FROM inspections WHERE kind = 'first'"
        ),
        "inspected_twice": serving.scalar(where, INSPECTED_TWICE),
        "findings": sum(sum(c.values()) for c in stored_findings.values()),
        "duplicate_findings": serving.scalar(where, DUPLICATE_FINDINGS),
        "findings_unlike_hegui_inspect": len(mismatched),
        "failed_items": serving.scalar(
            where, "SELECT count(*) FROM job_items WHERE state <> 'done'"
        ),
        **duplicate_cases(where),
    }
    passed = (
        checks["missing"] == checks["pending"] == checks["inspected_twice"] == 0
        and checks["revisions"] == checks["first_inspections"] == len(ids)
        and checks["duplicate_findings"] == checks["findings_unlike_hegui_inspect"] == 0
        and checks["failed_items"] == 0
        and checks.get("duplicate_cases", 0) == checks.get("duplicate_alerts", 0) == 0
        and checks.get("findings_without_a_case", 0) == 0
    )
    if mismatched:
        checks["example_unlike"] = mismatched[0]
    return {**checks, "verdict": "PASS" if passed else "FAIL"}


def findings_in(where: serving.Store) -> dict[str, Counter[Key]]:
    out: dict[str, Counter[Key]] = {}
    sql = (
        "SELECT conversation_id, rule_id, utterance_index FROM findings WHERE superseded_at IS NULL"
    )
    for cid, rule_id, index in serving.rows(where, sql):
        out.setdefault(cid, Counter())[(cid, rule_id, index)] += 1
    return out


def reference(items: list[dict[str, Any]]) -> dict[str, Counter[Key]]:
    """What `hegui inspect` finds in the same conversations, without any server."""
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in.jsonl", Path(folder) / "out.jsonl"
        lines = (json.dumps(item, ensure_ascii=False) for item in items)
        source.write_text("\n".join(lines) + "\n", "utf-8")
        command = serving.hegui("inspect", str(source), "--out", str(target))
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode not in (0, 1) or not target.exists():
            raise SystemExit(f"hegui inspect failed: {done.stderr[-500:]}")
        out: dict[str, Counter[Key]] = {}
        for line in target.read_text("utf-8").splitlines():
            f = json.loads(line)
            key = (f["conversation_id"], f["rule_id"], f["utterance_index"])
            out.setdefault(f["conversation_id"], Counter())[key] += 1
        return out


LEDGER_CHECKS = {
    "cases": ("cases", "SELECT count(*) FROM cases WHERE finding_id IS NOT NULL"),
    "findings_without_a_case": (
        "cases",
        "SELECT count(*) FROM findings f WHERE NOT EXISTS "
        "(SELECT 1 FROM cases c WHERE c.finding_id = f.id)",
    ),
    "duplicate_cases": (
        "cases",
        "SELECT count(*) FROM (SELECT finding_id FROM cases WHERE finding_id IS NOT NULL "
        "GROUP BY finding_id HAVING count(*) > 1) AS twice",
    ),
    "duplicate_alerts": (
        "outbox",
        "SELECT count(*) FROM (SELECT key FROM outbox GROUP BY key HAVING count(*) > 1) AS twice",
    ),
}


def duplicate_cases(where: serving.Store) -> dict[str, int]:
    """Once the ledger exists: every finding opened one case, and no notice twice."""
    tables = {t.lower() for t in table_names(where)}
    return {
        name: int(serving.scalar(where, sql))
        for name, (table, sql) in LEDGER_CHECKS.items()
        if table in tables
    }


def table_names(where: serving.Store) -> list[str]:
    if where.backend == "sqlite":
        return [
            r[0] for r in serving.rows(where, "SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
    sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    return [r[0] for r in serving.rows(where, sql)]


def backends(choice: str) -> list[str]:
    if choice == "auto":
        return ["sqlite", "postgresql"] if os.environ.get(serving.POSTGRES_ENV) else ["sqlite"]
    return ["sqlite", "postgresql"] if choice == "both" else [choice]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=10, help="conversations per submit call")
    parser.add_argument("--clients", type=int, default=4, help="concurrent HTTP clients")
    parser.add_argument("--workers", type=int, default=2, help="hegui serve --workers")
    parser.add_argument("--kill-at", type=float, default=0.5, help="share of lists acknowledged")
    parser.add_argument("--lease", type=int, default=5, help="HEGUI_JOB_LEASE seconds")
    parser.add_argument(
        "--backend", choices=["auto", "sqlite", "postgresql", "both"], default="auto"
    )
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--timeout", type=float, default=900, help="seconds per database")
    parser.add_argument("--quick", action="store_true", help="60 conversations: does it run")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.conversations, args.batch, args.clients = 60, 3, 3
    items = list(corpus.conversations(args.conversations, args.seed))
    results = [run(backend, items, args) for backend in backends(args.backend)]
    report = {"machine": machine("server"), "results": results}
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for result in results:
            print(" ".join(f"{k}={v}" for k, v in result.items()))
    return (
        0
        if all(r["verdict"] == "PASS" and r["exit_code_after_sigterm"] == 0 for r in results)
        else 1
    )


if __name__ == "__main__":
    raise SystemExit(main())
