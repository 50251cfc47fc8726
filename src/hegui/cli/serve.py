"""`hegui serve`: the HTTP API on the data directory / database of the environment, with
the worker threads that inspect what is submitted and the scheduler of periodic jobs.

Migrations run on start (bootstrap). SIGTERM or Ctrl-C stops accepting connections,
finishes the requests in flight, then the workers' batches in flight, and exits 0; a port
that cannot be bound exits 1.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from hegui.cli.admin import fail, opened_platform

if TYPE_CHECKING:
    import uvicorn

    from hegui.runtime import Runtime

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
# Seconds open connections get to finish after a stop signal before they are closed.
GRACE = 30


def serve_command(
    host: Annotated[
        str | None, typer.Option(help="监听地址 address to listen on (HEGUI_HOST, 127.0.0.1)")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(min=1, max=65535, help="端口 port (HEGUI_PORT, 8000)"),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(min=0, max=64, help="质检线程数 worker threads inspecting submissions"),
    ] = 1,
    no_worker: Annotated[
        bool,
        typer.Option(
            "--no-worker", help="只提供 API API only: no workers, no scheduled jobs (scale out)"
        ),
    ] = False,
) -> None:
    """启动服务 Serve the HTTP API (docs at /api/v1/docs) with its workers and scheduler."""
    import uvicorn  # the web stack loads only for this command

    from hegui.api import API_PREFIX, create_app
    from hegui.runtime import Runtime

    with opened_platform() as platform:
        host = host or platform.settings.host
        port = port or platform.settings.port
        base = f"http://{f'[{host}]' if ':' in host else host}:{port}"
        config = uvicorn.Config(
            create_app(platform), host=host, port=port, timeout_graceful_shutdown=GRACE
        )
        server = uvicorn.Server(config)
        threads = 0 if no_worker else workers
        runtime = Runtime(platform, workers=threads, schedule=[] if no_worker else None)
        typer.echo(f"hegui 服务地址 serving at {base}  (API docs {base}{API_PREFIX}/docs)")
        typer.echo(f"质检控制台 web console: {base}/console/")
        typer.echo(f"质检线程 workers: {threads}, 定时任务 scheduled jobs: {len(runtime.schedule)}")
        _run(server, runtime, f"{host}:{port}")


def _run(server: uvicorn.Server, runtime: Runtime, address: str) -> None:
    # The workers start first and stop last: what the API accepted keeps being inspected
    # until it stops accepting.
    with _stopping_is_success(), runtime:
        try:
            server.run()
        except SystemExit:
            # uvicorn exits 3 when it cannot start; it has logged why (port taken, …).
            if server.started:
                raise
            fail(f"无法启动服务 could not start on {address} (see above)", code=1)
    typer.echo("hegui 服务已停止 stopped")


@contextmanager
def _stopping_is_success() -> Iterator[None]:
    """Make a stop signal end the command normally.

    uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-sends the signal to the
    handler that was there before it; this one just lets the command return (exit 0).
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
