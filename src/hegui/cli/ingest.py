"""`hegui ingest FILE.jsonl`: submit conversations to the platform's database, as the API's
upload does, and run the worker until they are inspected (other workers may help)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from hegui.cli.admin import cli_actor, fail, opened_platform

if TYPE_CHECKING:
    from hegui.bootstrap import Platform
    from hegui.services.jobs import JobRead

err = Console(stderr=True, soft_wrap=True, highlight=False)
IDLE = 0.2


def ingest_command(
    file: Annotated[str, typer.Argument(help="Conversation JSONL file, or - for stdin.")],
    wait: Annotated[
        bool, typer.Option("--wait/--no-wait", help="检查完再退出 run the worker until inspected")
    ] = True,
) -> None:
    """入库并质检 Submit conversations (JSONL) to the platform and inspect them.

    Text is masked before it is stored (HEGUI_MASK_POLICY). A malformed line is reported with
    its number and skipped; the exit code is then 1."""
    with _open(file) as stream, opened_platform() as platform:
        batch = platform.conversations.read_lines(stream)
        with platform.db.transaction() as session:
            stored = platform.conversations.store(session, batch, actor=cli_actor())
            job_id, total = stored.job.id, stored.job.total
        for line, error in stored.problems:
            err.print(f"{file}:{line}: {error}")
        typer.echo(
            f"已接收 accepted {len(stored.accepted)} conversations, "
            f"{total} to inspect (job {job_id})"
        )
        if wait:
            job = _work(platform, job_id)
            with platform.db.reader() as session:
                added = platform.findings.added_by_job(session, job_id)
            progress = f"{job.done}/{job.total} inspected, {added} findings"
            typer.echo(f"任务 job {job_id} {job.status}: {progress}")
            if job.status == "failed":
                err.print(f"[red]{job.failed} not inspected: {job.error}[/red]", markup=True)
                raise typer.Exit(1)
    if stored.problems:
        raise typer.Exit(1)


def _work(platform: Platform, job_id: int) -> JobRead:
    with Progress(
        TextColumn("质检 inspecting"), BarColumn(), MofNCompleteColumn(), console=err
    ) as progress:
        task = progress.add_task("inspect")
        while True:
            with platform.db.reader() as session:
                job = platform.jobs.read(session, job_id)
            progress.update(task, total=job.total, completed=job.done + job.failed)
            if job.status in ("done", "failed"):
                return job
            if not platform.worker.run_once():
                time.sleep(IDLE)  # another worker holds the rest


@contextmanager
def _open(name: str) -> Iterator[BinaryIO]:
    """Bytes, split on \\n alone, as the upload endpoint reads its body."""
    if name == "-":
        yield sys.stdin.buffer
        return
    path = Path(name)
    if not path.is_file():
        fail(f"无法读取 cannot read {name}: no such file")
    with path.open("rb") as stream:
        yield stream
