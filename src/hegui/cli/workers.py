"""Worker processes for `hegui inspect --jobs N`, which never outlive the parent.

Each worker has its own pipe and gets a new chunk only once it has answered the last one,
so neither side can block on a full pipe while the other does too. Workers ignore SIGINT
(Ctrl-C reaches the whole process group; the parent decides) and, on Linux, are sent
SIGTERM by the kernel if the parent dies, even by SIGKILL.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

from hegui.inspector import Inspector

_PR_SET_PDEATHSIG = 1


class WorkerCrashed(Exception):
    def __init__(self, exitcode: int | None) -> None:
        super().__init__(f"a worker process stopped unexpectedly (exit code {exitcode})")


class Job(Protocol):
    """What a worker runs: `handle(inspector, task) -> answer`, picklable for spawn."""

    def inspector(self) -> Inspector: ...

    def handle(self, inspector: Inspector, task: Any) -> Any: ...


@dataclass(eq=False)
class Worker:
    process: BaseProcess
    connection: Connection

    def send(self, task: Any) -> None:
        try:
            self.connection.send(task)
        except (OSError, EOFError) as exc:
            raise WorkerCrashed(self.process.exitcode) from exc

    def receive(self) -> Any:
        try:
            return self.connection.recv()
        except (OSError, EOFError) as exc:
            self.process.join(1)
            raise WorkerCrashed(self.process.exitcode) from exc


def start_workers(count: int, job: Job, inspector: Inspector) -> list[Worker]:
    """Fork where possible, so workers share the parent's compiled rules (copy-on-write)
    instead of compiling them again; elsewhere each worker builds its own inspector."""
    forking = "fork" in multiprocessing.get_all_start_methods()
    context: Any = multiprocessing.get_context("fork" if forking else "spawn")
    sys.stdout.flush()  # a forked child flushes inherited buffers at exit: empty them first
    sys.stderr.flush()
    workers = []
    try:
        for _ in range(count):
            mine, theirs = context.Pipe()
            process = context.Process(
                target=_serve,
                args=(theirs, job, inspector if forking else None, os.getpid()),
                daemon=True,
            )
            process.start()
            theirs.close()
            workers.append(Worker(process, mine))
    except BaseException:
        stop_workers(workers, kill=True)
        raise
    return workers


def stop_workers(workers: list[Worker], *, kill: bool) -> None:
    """Ask idle workers to finish (or, with `kill`, terminate them) and reap them all."""
    for worker in workers:
        if kill:
            worker.process.terminate()
        else:
            try:
                worker.connection.send(None)
            except (OSError, EOFError):
                worker.process.terminate()
    for worker in workers:
        worker.process.join(5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.connection.close()


def _serve(connection: Connection, job: Job, inspector: Inspector | None, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    inspector = inspector or job.inspector()
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        connection.send(job.handle(inspector, task))


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass  # without prctl, the closed pipe still ends an idle worker
    if os.getppid() != parent:
        os._exit(0)  # the parent died before the request took effect
