"""Live WebSocket load: N concurrent conversations, each sending an utterance a second.

    python benchmarks/live_ws.py                       # 500 connections, 10 s ramp, 60 s
    python benchmarks/live_ws.py --quick               # 50 connections, 2 s ramp, 8 s
    python benchmarks/live_ws.py --connections 200 --duration 30 --json

`hegui serve` runs in a child process on 127.0.0.1 (a fresh data directory, SQLite); this
process opens the connections (`websockets` client) and streams realistic calls from
benchmarks/corpus.py: each connection plays calls one after another, `start` (empty),
one utterance every `--interval` seconds, `end`, then the next call on a new socket.
Every utterance carries `seq`; the server answers with `ack` after pushing its findings
and whispers, so the latency of every utterance is measured: utterance sent → ack
received (and → finding received, for those that find something). Connections open
spread over `--ramp` seconds, as calls begin at any moment; the figures are those of the
`--duration` seconds after the ramp, with every connection streaming (the ramp's are
reported apart). Before the run one call warms the server (the rules compile on first
use). The engine section measures, in this process,
what one utterance costs the engine and what a hop to a worker thread costs — the
numbers behind feeding in the event loop (docs/live.md).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import corpus
import httpx
from measure import machine, percentiles
from websockets.asyncio.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parents[1]
TARGET_P99_MS = 50.0
PASSWORD = "bench-pass-123"
ACK_TIMEOUT = 10.0


@dataclass
class Stats:
    sent: int = 0
    acked: int = 0
    ack: list[tuple[float, float]] = field(default_factory=list)  # (sent at, ms to ack)
    finding: list[tuple[float, float]] = field(default_factory=list)  # (sent at, ms)
    findings: int = 0
    whispers: int = 0
    errors: list[str] = field(default_factory=list)
    calls: int = 0
    closed: int = 0
    lost: int = 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def hegui_server(data_dir: Path) -> Iterator[tuple[str, str, int]]:
    """`hegui serve` in a child process; yields (http url, admin token, child pid)."""
    env = os.environ | {"HEGUI_DATA_DIR": str(data_dir)}
    subprocess.run(
        [sys.executable, "-m", "hegui", "admin", "create-user", "bench",
         "--password", PASSWORD, "--role", "admin"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    port = free_port()
    argv = [sys.executable, "-m", "hegui", "serve", "--host", "127.0.0.1", "--port", str(port)]
    # uvicorn logs every connection: to a file, never a pipe nobody reads (it would fill
    # and stall the server).
    log = data_dir / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        token = _login(url, proc, log)
        yield url, token, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _login(url: str, proc: subprocess.Popen[bytes], log: Path) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"hegui serve exited: {log.read_text()[-2000:]}")
        try:
            form = {"username": "bench", "password": PASSWORD}
            answer = httpx.post(f"{url}/api/v1/auth/token", data=form, timeout=5)
            return str(answer.json()["access_token"])
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("hegui serve did not start within 60 s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def calls(seed: int) -> Iterator[dict[str, Any]]:
    """Realistic calls, without end: the corpus, then again under new ids."""
    pool = list(corpus.conversations(400, seed=seed))
    for round_ in itertools.count():
        for body in pool:
            yield body | {"id": f"{body['id']}-r{round_}"}


class Call:
    """One conversation on one socket: utterances sent on a timer, replies read as they come."""

    def __init__(self, ws: ClientConnection, body: dict[str, Any], stats: Stats) -> None:
        self.ws = ws
        self.body = body
        self.stats = stats
        self.sent_at: dict[int, float] = {}
        self.closed = asyncio.Event()

    async def read(self) -> None:
        async for frame in self.ws:
            message = json.loads(frame)
            now = time.perf_counter()
            kind = message["type"]
            if kind == "ack" and "utterance_index" in message:
                sent = self.sent_at.pop(message["seq"], None)
                if sent is not None:
                    self.stats.acked += 1
                    self.stats.ack.append((sent, (now - sent) * 1000))
            elif kind == "finding":
                self.stats.findings += 1
                index = message["finding"]["utterance_index"]
                if index is not None and index in self.sent_at:
                    sent = self.sent_at[index]
                    self.stats.finding.append((sent, (now - sent) * 1000))
            elif kind == "whisper":
                self.stats.whispers += 1
            elif kind == "error":
                self.stats.errors.append(message["detail"])
            elif kind == "closed":
                self.stats.closed += 1
                self.closed.set()
                return

    async def play(self, interval: float, stop_at: float) -> None:
        head = {k: v for k, v in self.body.items() if k != "utterances"}
        await self.ws.send(json.dumps({"type": "start", "conversation": head | {"utterances": []}}))
        for seq, utterance in enumerate(self.body["utterances"]):
            if time.perf_counter() >= stop_at:
                break
            message = {"type": "utterance", "utterance": utterance, "seq": seq}
            self.sent_at[seq] = time.perf_counter()
            await self.ws.send(json.dumps(message, ensure_ascii=False))
            self.stats.sent += 1
            await asyncio.sleep(interval)
        await self.ws.send('{"type": "end"}')
        await asyncio.wait_for(self.closed.wait(), ACK_TIMEOUT)
        self.stats.lost += len(self.sent_at)


async def slot(
    url: str, offset: float, interval: float, stop_at: float, bodies: Iterator[dict[str, Any]],
    stats: Stats,
) -> None:  # fmt: skip
    await asyncio.sleep(offset)
    while time.perf_counter() < stop_at:
        async with connect(url, open_timeout=30, max_queue=None) as ws:
            call = Call(ws, next(bodies), stats)
            stats.calls += 1
            reader = asyncio.create_task(call.read())
            try:
                await call.play(interval, stop_at)
            finally:
                reader.cancel()


async def load(ws_url: str, args: argparse.Namespace) -> tuple[Stats, float, float]:
    """The stats, when the steady part began and how long it lasted (perf_counter s)."""
    stats = Stats()
    bodies = calls(args.seed)
    await warm(ws_url, next(bodies))
    # The corpus material is a few hundred thousand long-lived objects: keep this client's
    # full garbage collections from walking them (a stalled client reads as latency).
    gc.collect()
    gc.freeze()
    began = time.perf_counter()
    steady = began + args.ramp
    stop_at = steady + args.duration
    spread = args.ramp / args.connections
    tasks = [
        slot(ws_url, i * spread, args.interval, stop_at, bodies, stats)
        for i in range(args.connections)
    ]
    await asyncio.wait_for(asyncio.gather(*tasks), args.ramp + args.duration + 120)
    return stats, steady, stop_at - steady


async def warm(ws_url: str, body: dict[str, Any]) -> None:
    async with connect(ws_url, open_timeout=60) as ws:
        await ws.send(json.dumps({"type": "start", "conversation": body | {"id": "warm"}}))
        await ws.send('{"type": "end"}')
        async for frame in ws:
            if json.loads(frame)["type"] == "closed":
                break


def engine_costs(seed: int) -> dict[str, Any]:
    """Per-utterance engine time (feed + pending) on the corpus, and a worker-thread hop."""
    from hegui.formats.jsonl import parse_conversation
    from hegui.services.live import ShippedRules

    inspector = ShippedRules()()
    feed_ms: list[float] = []
    for body in itertools.islice(calls(seed), 300):
        conv = parse_conversation(body)
        session = inspector.session(conv)
        for utterance in conv.utterances:
            t0 = time.perf_counter()
            session.feed(utterance)
            session.pending()
            feed_ms.append((time.perf_counter() - t0) * 1000)
    return {"feed": percentiles(feed_ms), "utterances": len(feed_ms), "thread_hop": thread_hop()}


def thread_hop() -> dict[str, float]:
    import anyio.to_thread

    async def hops() -> list[float]:
        out = []
        for _ in range(2000):
            t0 = time.perf_counter()
            await anyio.to_thread.run_sync(int)
            out.append((time.perf_counter() - t0) * 1000)
        return out

    return percentiles(asyncio.run(hops()))


def report(
    stats: Stats, steady: float, wall: float, server_cpu: float, args: argparse.Namespace
) -> dict[str, Any]:
    acks = [ms for at, ms in stats.ack if at >= steady]
    ramp = [ms for at, ms in stats.ack if at < steady]
    found = [ms for at, ms in stats.finding if at >= steady]
    ack = latency(acks)
    return {
        "connections": args.connections,
        "interval_s": args.interval,
        "ramp_s": args.ramp,
        "duration_s": round(wall, 1),
        "calls": stats.calls,
        "calls_closed": stats.closed,
        "utterances_sent": stats.sent,
        "utterances_acked": stats.acked,
        "utterances_lost": stats.lost,
        "utterances_per_s": round(len(acks) / wall, 1),
        "ack_latency": ack | {"n": len(acks)},
        "ramp_ack_latency": latency(ramp) | {"n": len(ramp)},
        "finding_latency": latency(found) | {"n": len(found)},
        "findings": stats.findings,
        "whispers": stats.whispers,
        "errors": len(stats.errors),
        "error_examples": stats.errors[:3],
        "server_cpu_s": round(server_cpu, 2),
        "server_cpu_share": round(server_cpu / wall, 3),
        "target_p99_ms": TARGET_P99_MS,
        "meets_target": ack["p99_ms"] <= TARGET_P99_MS and stats.lost == 0,
    }


def latency(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))], 3) if ordered else 0.0

    return {
        "p50_ms": at(0.5),
        "p90_ms": at(0.9),
        "p99_ms": at(0.99),
        "p999_ms": at(0.999),
        "max_ms": round(ordered[-1], 3) if ordered else 0.0,
    }


def table(result: dict[str, Any]) -> str:
    run, eng = result["run"], result["engine"]
    ack, found, ramp = run["ack_latency"], run["finding_latency"], run["ramp_ack_latency"]
    lines = [
        f"machine: {result['machine']['cpu']} ({result['machine']['cores']} cores), "
        f"python {result['machine']['python']}, load {result['machine']['load_avg_1m']}",
        f"{run['connections']} connections × 1 utterance / {run['interval_s']} s for "
        f"{run['duration_s']} s after a {run['ramp_s']:g} s ramp: {ack['n']} utterances acked "
        f"({run['utterances_per_s']}/s); in all {run['calls']} calls, "
        f"{run['utterances_lost']} lost, {run['errors']} errors",
        f"utterance sent → ack:     p50 {ack['p50_ms']:.2f} ms  p90 {ack['p90_ms']:.2f}  "
        f"p99 {ack['p99_ms']:.2f}  p99.9 {ack['p999_ms']:.2f}  max {ack['max_ms']:.1f}  "
        f"(target p99 ≤ {run['target_p99_ms']:.0f} ms: {'met' if run['meets_target'] else 'MISSED'})",
        f"utterance sent → finding: p50 {found['p50_ms']:.2f} ms  p99 {found['p99_ms']:.2f}  "
        f"(n={found['n']}); findings {run['findings']}, whispers {run['whispers']}",
        f"during the ramp (n={ramp['n']}): p50 {ramp['p50_ms']:.2f} ms  p99 {ramp['p99_ms']:.2f}"
        f"  max {ramp['max_ms']:.1f}",
        f"server CPU: {run['server_cpu_s']} s = {run['server_cpu_share'] * 100:.0f}% of one core",
        f"engine per utterance (feed + pending): p50 {eng['feed']['p50_ms']:.3f} ms  "
        f"p99 {eng['feed']['p99_ms']:.3f}  max {eng['feed']['max_ms']:.2f}  "
        f"(n={eng['utterances']}); worker-thread hop p50 {eng['thread_hop']['p50_ms']:.3f} ms "
        f"p99 {eng['thread_hop']['p99_ms']:.3f}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=500)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of full load")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds to open connections")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between utterances")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="50 connections, 2 s ramp, 8 s")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--save", type=Path, help="also write the JSON here")
    parser.add_argument("--samples", type=Path, help="write 'sent_at<TAB>ack_ms' per utterance")
    args = parser.parse_args(argv)
    if args.quick:
        args.connections, args.duration = min(args.connections, 50), min(args.duration, 8.0)
        args.ramp = min(args.ramp, 2.0)
    bounded = 0 < args.duration <= 600 and 0 <= args.ramp <= 120
    if not (1 <= args.connections <= 2000 and bounded and args.interval > 0):
        parser.error("--connections 1..2000, --duration 0..600 s, --ramp 0..120 s, --interval > 0")
    with (
        tempfile.TemporaryDirectory(prefix="hegui-live-bench-") as tmp,
        hegui_server(Path(tmp)) as (url, token, pid),
    ):
        ws_url = url.replace("http://", "ws://") + f"/api/v1/live?access_token={token}"
        cpu0 = cpu_seconds(pid)
        stats, steady, wall = asyncio.run(load(ws_url, args))
        server_cpu = cpu_seconds(pid) - cpu0
    result = {
        "machine": machine("auto"),
        "run": report(stats, steady, wall, server_cpu, args),
        "engine": engine_costs(args.seed),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else table(result))
    if args.save:
        args.save.write_text(json.dumps(result, ensure_ascii=False, indent=2), "utf-8")
    if args.samples:
        lines = (f"{at - steady:.4f}\t{ms:.3f}\n" for at, ms in stats.ack)
        args.samples.write_text("".join(lines))
    return 0 if result["run"]["utterances_lost"] == 0 and not stats.errors else 1


if __name__ == "__main__":
    sys.exit(main())
