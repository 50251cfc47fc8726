"""How fast the console's pages load with 100,000 cases in the database (target ≤ 300 ms).

    python benchmarks/console_load.py [--cases 100000] [--repeat 15] [--json]

A SQLite platform (the embedded default) gets the sample conversations ingested and
inspected by the real services, then cloned row by row (conversations, revisions,
utterances, inspections, findings, cases — spread over 90 days, 20 teams, 400 agents, four
channels) until the ledger holds `--cases` cases. `hegui`'s app is served by uvicorn on
127.0.0.1 and timed through HTTP, as the console calls it:

- dashboard: `GET /api/v1/metrics/dashboard` (every grouping of the period and the filter
  values), the open high-severity cases, `GET /api/v1/metrics/heatmap` and
  `GET /api/v1/metrics/scores?group_by=team`, as the page sends them and waits for them (at
  once); with `?group_by=band` too (the score distribution, drawn when it arrives); the same
  filtered by a team and a channel; and the six `GET /api/v1/metrics/findings` groupings
  the page sent before the summary endpoint existed;
- ledger: `GET /api/v1/cases` (first page with its total), filtered by category, and by a
  score band (`score_min=0&score_below=60`, a click on the score distribution);
- case page: `GET /api/v1/cases/{id}` and its rule.

Each HTTP figure is wall time per page load (p50/p99) and process CPU per load (client
and server share this process). Baselines in the same run, same data:

- `join_baseline`: the counts as they were made before migration 0005 — six group-bys
  over the findings joined to each conversation's newest revision — against today's
  `hegui.services.metrics.dashboard`, both in-process (wall and thread CPU);
- `naive_dashboard_ms`: the naive client — every case of the period fetched page by page
  (`limit=1000`) and counted in the browser.

`plan` is SQLite's EXPLAIN QUERY PLAN of one count: it reads the covering index.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from measure import machine, percentiles
from sqlalchemy import Table, func, insert, select

from hegui.api import create_app
from hegui.bootstrap import Platform, bootstrap
from hegui.services.access import Principal
from hegui.services.cases.models import Case
from hegui.services.conversations.models import (
    ConversationRevision,
    StoredConversation,
    StoredUtterance,
)
from hegui.services.findings.models import Inspection, StoredFinding
from hegui.services.metrics import Scope, dashboard
from hegui.services.metrics.scope import CASES, counted, day_of, scoped
from hegui.services.scorecards.models import ConversationScore, ScoreLine
from hegui.services.users.schemas import Role
from hegui.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
USER, PASSWORD = "bench", "bench-password-1"
GROUPS = ("day", "category", "severity", "channel", "team", "agent")
CHANNELS = ("phone", "phone", "phone", "chat", "wecom", "app")


def seed(platform: Platform, cases: int, rng: random.Random) -> dict[str, int]:
    """The samples through the real services, then cloned until `cases` cases exist."""
    lines = (ROOT / "examples" / "calls.jsonl").read_text("utf-8").splitlines()
    items = [json.loads(line) for line in lines if line.strip()]
    with platform.db.transaction() as session:
        platform.users.create(
            session, {"username": USER, "password": PASSWORD, "role": "admin"}, actor="bench"
        )
        platform.conversations.submit(session, items, actor="bench")
    while platform.worker.run_once():
        pass
    tables = [
        t.__table__
        for t in (
            StoredConversation,
            ConversationRevision,
            StoredUtterance,
            Inspection,
            StoredFinding,
            Case,
            ConversationScore,
            ScoreLine,
        )
    ]
    with platform.db.transaction() as session:
        template = {t.name: [dict(r._mapping) for r in session.execute(select(t))] for t in tables}
        per_copy = len(template["cases"])
        copies = max(0, -(-(cases - per_copy) // per_copy))
        now = datetime.now(UTC)
        ids = {
            t.name: _next_id(session, t)
            for t in tables
            if "id" in t.c and t.name != "conversations"
        }
        batch: dict[str, list[dict[str, Any]]] = {t.name: [] for t in tables}
        for n in range(copies):
            when = now - timedelta(seconds=rng.randrange(90 * 86400))
            team = f"team-{rng.randrange(20):02d}"
            agent = f"A{rng.randrange(400):03d}"
            channel = rng.choice(CHANNELS)
            _clone(template, batch, ids, n, when, team, agent, channel)
            if len(batch["cases"]) >= 5000:
                _flush(session, tables, batch)
        _flush(session, tables, batch)
        total = session.execute(select(func.count()).select_from(Case)).scalar_one()
        lines = session.execute(select(func.count()).select_from(ScoreLine)).scalar_one()
    # The worker refreshes SQLite's statistics after ingesting (Database.refresh_statistics);
    # rows cloned straight into the tables need the same.
    platform.db.refresh_statistics()
    return {"cases": int(total), "score_lines": int(lines), "copies": copies}


def _next_id(session: Any, table: Table) -> int:
    return int(session.execute(select(func.max(table.c.id))).scalar() or 0) + 1


def _clone(
    template: dict[str, list[dict[str, Any]]],
    batch: dict[str, list[dict[str, Any]]],
    ids: dict[str, int],
    n: int,
    when: datetime,
    team: str,
    agent: str,
    channel: str,
) -> None:
    cid = {row["id"]: f"{row['id']}-c{n}" for row in template["conversations"]}
    remap: dict[str, dict[int, int]] = {}
    for name in (
        "conversation_revisions",
        "inspections",
        "findings",
        "cases",
        "conversation_scores",
        "score_lines",
    ):
        remap[name] = {}
        for row in template[name]:
            remap[name][row["id"]] = ids[name]
            ids[name] += 1
    who = {"agent_id": agent, "team": team, "channel": channel}
    for row in template["conversations"]:
        batch["conversations"].append({**row, **who, "id": cid[row["id"]], "occurred_at": when})
    for row in template["conversation_revisions"]:
        new = {**row, **who, "id": remap["conversation_revisions"][row["id"]]}
        batch["conversation_revisions"].append(
            {**new, "conversation_id": cid[row["conversation_id"]]}
        )
    rev = remap["conversation_revisions"]
    for row in template["utterances"]:
        batch["utterances"].append({**row, "revision_id": rev[row["revision_id"]]})
    for row in template["inspections"]:
        new = {**row, "id": remap["inspections"][row["id"]], "revision_id": rev[row["revision_id"]]}
        new["first_of"] = rev[row["first_of"]] if row["first_of"] is not None else None
        new["job_id"] = None
        batch["inspections"].append(new)
    for row in template["findings"]:
        batch["findings"].append(
            {
                **row,
                "id": remap["findings"][row["id"]],
                "conversation_id": cid[row["conversation_id"]],
                "revision_id": rev[row["revision_id"]],
                "inspection_id": remap["inspections"][row["inspection_id"]],
                "superseded_by": None,
                "case_id": remap["cases"].get(row["case_id"]) if row["case_id"] else None,
            }
        )
    for row in template["cases"]:
        batch["cases"].append(
            {
                **row,
                **who,
                "id": remap["cases"][row["id"]],
                "conversation_id": cid[row["conversation_id"]],
                "revision_id": rev[row["revision_id"]],
                "finding_id": remap["findings"].get(row["finding_id"])
                if row["finding_id"]
                else None,
                "calibration_of": None,
                "occurred_at": when,
                "due_at": when + timedelta(hours=1),
            }
        )
    for row in template["conversation_scores"]:
        batch["conversation_scores"].append(
            {
                **row,
                "id": remap["conversation_scores"][row["id"]],
                "conversation_id": cid[row["conversation_id"]],
                "revision_id": rev[row["revision_id"]],
            }
        )
    for row in template["score_lines"]:
        batch["score_lines"].append(
            {
                **row,
                "id": remap["score_lines"][row["id"]],
                "score_id": remap["conversation_scores"][row["score_id"]],
                "finding_id": remap["findings"][row["finding_id"]],
            }
        )


def _flush(session: Any, tables: list[Table], batch: dict[str, list[dict[str, Any]]]) -> None:
    for table in tables:
        rows = batch[table.name]
        if rows:
            session.execute(insert(table), rows)
            rows.clear()


@contextmanager
def serving(platform: Platform) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(platform), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()


def timed(
    repeat: int, fn: Callable[[], object], clock: Callable[[], float] = time.process_time
) -> dict[str, float]:
    """Wall p50/p99/max and CPU p50 (`clock`: this process, or this thread) in ms."""
    fn()  # warm: the first call compiles the statements and fills SQLite's page cache
    samples, cpu = [], []
    for _ in range(repeat):
        started, used = time.perf_counter(), clock()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((clock() - used) * 1000)
    return {**percentiles(samples), "cpu_p50_ms": round(sorted(cpu)[len(cpu) // 2], 4)}


ADMIN = Principal(0, "bench", Role.admin)


def joined_counts(session: Any, scope: Scope) -> dict[str, list[tuple[Any, int]]]:
    """The six counts as made before migration 0005: findings ⋈ newest revision."""
    conversation, revision, finding = StoredConversation, ConversationRevision, StoredFinding
    keys: dict[str, Any] = {
        "day": day_of(session, scope.utc_offset, conversation.occurred_at),
        "category": finding.category,
        "severity": finding.severity,
        "channel": conversation.channel,
        "team": conversation.team,
        "agent": conversation.agent_id,
    }
    out = {}
    for name, key in keys.items():
        query = (
            select(key, func.count())
            .select_from(finding)
            .join(revision, revision.id == finding.revision_id)
            .join(
                conversation,
                (conversation.id == revision.conversation_id)
                & (conversation.revision == revision.number),
            )
            .where(finding.superseded_at.is_(None))
            .where(conversation.occurred_at >= scope.since, conversation.occurred_at < scope.until)
            .group_by(key)
        )
        out[name] = [(row[0], row[1]) for row in session.execute(query)]
    return out


def in_process(platform: Platform, repeat: int) -> dict[str, Any]:
    """Today's dashboard counts and the join baseline, in-process, on the same data."""
    now = datetime.now(UTC)
    scope = Scope(
        since=now - timedelta(days=90), until=now + timedelta(days=1), utc_offset=timedelta(hours=8)
    )
    with platform.db.transaction() as session:
        new = dashboard(session, ADMIN, scope)
        old = joined_counts(session, scope)
        same = all(
            sorted(((g.key, g.count) for g in new.groups[name]), key=_order)
            == sorted(old[name], key=_order)
            for name in old
        )
        thread = time.thread_time
        results = {
            "same_counts": same,
            "dashboard_ms": timed(repeat, lambda: dashboard(session, ADMIN, scope), thread),
            "join_baseline_ms": timed(
                max(1, repeat // 3), lambda: joined_counts(session, scope), thread
            ),
            "plan": plan(session, scope),
        }
    results["join_over_dashboard_cpu"] = round(
        results["join_baseline_ms"]["cpu_p50_ms"] / results["dashboard_ms"]["cpu_p50_ms"], 1
    )
    return results


def plan(session: Any, scope: Scope) -> list[str]:
    """SQLite's plan of the category count (the other counts read the same index)."""
    query = select(Case.category, func.count()).select_from(Case).group_by(Case.category)
    compiled = scoped(counted(query), ADMIN, scope, CASES).compile(
        dialect=session.get_bind().dialect
    )
    values = compiled.construct_params()
    args = tuple(values[name] for name in compiled.positiontup or ())
    rows = session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), args)
    return [str(row[-1]) for row in rows]


def _order(pair: tuple[Any, int]) -> tuple[bool, str, int]:
    return (pair[0] is None, str(pair[0] or ""), pair[1])


def measure(url: str, repeat: int) -> dict[str, Any]:
    with httpx.Client(base_url=url, timeout=120) as api:
        form = {"username": USER, "password": PASSWORD}
        token = api.post("/api/v1/auth/token", data=form).raise_for_status().json()
        api.headers["Authorization"] = f"Bearer {token['access_token']}"
        now = datetime.now(UTC)
        period = {
            "since": (now - timedelta(days=90)).isoformat(),
            "until": (now + timedelta(days=1)).isoformat(),
            "tz": "+08:00",
        }
        get = lambda path, **q: api.get(path, params=q).raise_for_status().json()  # noqa: E731
        pool = ThreadPoolExecutor(len(GROUPS))

        def page(*, distribution: bool = False, **filters: str) -> None:
            # What dashboard.js waits for, at once: the summary, the open high-severity
            # cases, the team × category heat map and the scores per team; the score
            # distribution is sent with them but drawn when it comes (`distribution`: all five).
            calls = [
                lambda: get("/api/v1/metrics/dashboard", **period, **filters),
                lambda: get("/api/v1/cases", severity="high", status="new", limit=10, **filters),
                lambda: get("/api/v1/metrics/heatmap", **period, **filters),
                lambda: get("/api/v1/metrics/scores", group_by="team", **period, **filters),
            ]
            if distribution:
                calls.append(
                    lambda: get("/api/v1/metrics/scores", group_by="band", **period, **filters)
                )
            list(pool.map(lambda c: c(), calls))

        def six_calls(parallel: bool) -> None:
            calls = [
                lambda g=g: get("/api/v1/metrics/findings", group_by=g, **period) for g in GROUPS
            ]
            if parallel:
                list(pool.map(lambda c: c(), calls))
            else:
                for c in calls:
                    c()
            get("/api/v1/cases", severity="high", status="new", limit=10)

        def naive() -> None:
            counts: dict[str, int] = {}
            offset = 0
            while True:
                page = get("/api/v1/cases", limit=1000, offset=offset, since=period["since"])
                for case in page["items"]:
                    counts[case["category"]] = counts.get(case["category"], 0) + 1
                offset += len(page["items"])
                if not page["items"] or offset >= page["total"]:
                    return

        first = get("/api/v1/cases", limit=1)["items"][0]
        results = {
            "dashboard_ms": timed(repeat, page),
            "dashboard_with_distribution_ms": timed(repeat, lambda: page(distribution=True)),
            "dashboard_team_channel_ms": timed(
                repeat, lambda: page(team="team-03", channel="phone")
            ),
            "six_findings_calls_parallel_ms": timed(repeat, lambda: six_calls(True)),
            "six_findings_calls_sequential_ms": timed(repeat, lambda: six_calls(False)),
            "ledger_first_page_ms": timed(repeat, lambda: get("/api/v1/cases", limit=50)),
            "ledger_by_category_ms": timed(
                repeat,
                lambda: get("/api/v1/cases", limit=50, category="compliance.guarantee_return"),
            ),
            "ledger_by_score_band_ms": timed(
                repeat, lambda: get("/api/v1/cases", limit=50, score_min=0, score_below=60)
            ),
            "case_page_ms": timed(
                repeat,
                lambda: (
                    get(f"/api/v1/cases/{first['id']}"),
                    get(f"/api/v1/rules/{first['rule_id']}"),
                ),
            ),
        }
        results["naive_dashboard_ms"] = timed(max(1, repeat // 5), naive)
        pool.shutdown()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder) / "data", database_url="")
        platform = bootstrap(settings)
        try:
            started = time.perf_counter()
            seeded = seed(platform, args.cases, random.Random(args.seed))
            seeded["seed_s"] = round(time.perf_counter() - started, 1)
            with serving(platform) as url:
                results = measure(url, args.repeat)
            results["in_process"] = in_process(platform, args.repeat)
        finally:
            platform.close()
    dash = results["dashboard_ms"]["p50_ms"]
    report = {
        "machine": machine("console"),
        "database": "sqlite",
        **seeded,
        **results,
        "naive_over_dashboard": round(results["naive_dashboard_ms"]["p50_ms"] / dash, 1),
        "target_300ms": "PASS" if dash <= 300 else "MISS",
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for key, value in report.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
