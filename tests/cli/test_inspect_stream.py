"""`hegui inspect` as a stream: findings as lines arrive, flat memory, clean interruption."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

START_S = 120  # compiling the packs on a busy CI machine; not a performance bound


def conversation(cid: str, text: str = "放心，这个产品是保本的") -> bytes:
    obj = {"id": cid, "channel": "chat", "utterances": [{"role": "agent", "text": text}]}
    return json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n"


@contextmanager
def start(*args: str) -> Iterator[subprocess.Popen[bytes]]:
    """`hegui inspect -` with stdin open until the test closes it; killed at the end."""
    with subprocess.Popen(
        [sys.executable, "-m", "hegui", "inspect", "-", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        try:
            yield proc
        finally:
            proc.kill()


def read_until(proc: subprocess.Popen[bytes], needle: bytes, timeout: float) -> bytes:
    assert proc.stdout is not None
    got = b""
    deadline = time.monotonic() + timeout
    while needle not in got:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([proc.stdout], [], [], max(left, 0))
        if not ready:
            raise AssertionError(f"no {needle!r} within {timeout} s; got {got[-200:]!r}")
        chunk = os.read(proc.stdout.fileno(), 1 << 16)
        if not chunk:
            raise AssertionError(f"output ended before {needle!r}: {proc.stderr.read()!r}")  # type: ignore[union-attr]
        got += chunk
    return got


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


@pytest.mark.parametrize(("fmt", "jobs"), [("jsonl", "1"), ("json", "1"), ("jsonl", "2")])
def test_findings_come_out_as_each_line_arrives(fmt: str, jobs: str) -> None:
    with start("--format", fmt, "--jobs", jobs) as proc:
        assert proc.stdin is not None
        for i in range(3):
            proc.stdin.write(conversation(f"live-{i}"))
            proc.stdin.flush()  # and stdin stays open: no EOF tells hegui to finish
            read_until(proc, f'"live-{i}"'.encode(), START_S if i == 0 else 30)
        proc.stdin.close()
        assert proc.wait(60) == 0


@needs_proc
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_a_signal_stops_workers_and_leaves_whole_conversations(
    signum: int, code: int, fmt: str
) -> None:
    with start("--jobs", "2", "--format", fmt) as proc:
        assert proc.stdin is not None
        proc.stdin.write(conversation("first"))
        proc.stdin.flush()
        out = read_until(proc, b'"first"', START_S)
        workers = children(proc.pid)
        assert len(workers) == 2
        proc.stdin.write(b"".join(conversation(f"c{i}") for i in range(40)))
        proc.stdin.flush()
        proc.send_signal(signum)
        rest, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err.decode()
    assert "已中断 interrupted" in err.decode() and "Traceback" not in err.decode()
    output = (out + rest).decode("utf-8")
    findings = json.loads(output) if fmt == "json" else [json.loads(x) for x in output.splitlines()]
    assert findings and findings[0]["conversation_id"] == "first"
    deadline = time.monotonic() + 10
    while any(map(alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(alive, workers)), "a worker outlived its parent"


@needs_proc
def test_workers_die_with_a_killed_parent() -> None:
    with start("--jobs", "2") as proc:
        assert proc.stdin is not None
        proc.stdin.write(conversation("first"))
        proc.stdin.flush()
        read_until(proc, b'"first"', START_S)
        workers = children(proc.pid)
        proc.kill()  # SIGKILL: no handler runs; the kernel tells the workers
        proc.wait()
    deadline = time.monotonic() + 10
    while any(map(alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workers and not any(map(alive, workers))


def peak_rss_kib(calls: Path) -> int:
    """Peak RSS of one `hegui inspect` run, measured in a fresh parent so that no earlier
    child counts."""
    probe = (
        "import resource, subprocess, sys;"
        f"subprocess.run([sys.executable, '-m', 'hegui', 'inspect', {str(calls)!r},"
        " '--out', '/dev/null'], check=True);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=900
    )
    return int(done.stdout.split()[-1])


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is KiB on Linux")
def test_memory_stays_flat_as_the_input_grows(tmp_path: Path) -> None:
    texts = [
        "您好，请问有什么可以帮您",
        "这个产品保本吗",
        "收益肯定有百分之八",
        "我的手机号是13812345678",
    ]
    sizes = {}
    for count in (10_000, 50_000):
        calls = tmp_path / f"calls-{count}.jsonl"
        with calls.open("wb") as f:
            for i in range(count):
                f.write(conversation(f"call-{i:08d}", texts[i % len(texts)]))
        sizes[count] = peak_rss_kib(calls)
    growth = sizes[50_000] - sizes[10_000]
    # 40,000 more conversations: the set of seen ids grows by ~4 MB; all else is flat
    assert growth < 16 * 1024, sizes


@needs_proc
def test_a_lost_worker_is_an_internal_error_not_a_hang() -> None:
    with start("--jobs", "2", "--format", "json") as proc:
        assert proc.stdin is not None
        proc.stdin.write(conversation("first"))
        proc.stdin.flush()
        out = read_until(proc, b'"first"', START_S)
        for worker in children(proc.pid):
            os.kill(worker, signal.SIGKILL)  # as the OOM killer would
        proc.stdin.write(b"".join(conversation(f"c{i}") for i in range(10)))
        proc.stdin.flush()
        rest, err = proc.communicate(timeout=60)
    assert proc.returncode == 3, err.decode()
    assert "stopped unexpectedly" in err.decode() and "please report" in err.decode()
    assert json.loads(out + rest)[0]["conversation_id"] == "first", "the array is closed"
