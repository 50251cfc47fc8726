"""`hegui` command line: inspect conversations, manage and test rule packs."""

from __future__ import annotations

import sys
from importlib import metadata
from typing import Annotated

import typer

from hegui.cli import admin as admin_cli
from hegui.cli import audit as audit_cli
from hegui.cli import quality as quality_cli
from hegui.cli import rules as rules_cli
from hegui.cli.exits import report_internal
from hegui.cli.ingest import ingest_command
from hegui.cli.inspect import inspect_command
from hegui.cli.pii import mask_command, pii_app
from hegui.cli.report import report_command
from hegui.cli.sentiment import sentiment_command
from hegui.cli.serve import serve_command
from hegui.cli.transcribe import transcribe_command

app = typer.Typer(
    name="hegui",
    help="合规质检 hegui — compliance inspection for Chinese financial customer service.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def version_text() -> str:
    """The installed distribution's version (package metadata), e.g. "hegui 0.1.0"."""
    try:
        number = metadata.version("hegui")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        from hegui import __version__ as number
    return f"hegui {number}"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(version_text())
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="显示版本 Print the version."
        ),
    ] = False,
) -> None:
    """合规质检 hegui — compliance inspection for Chinese financial customer service."""


app.command("inspect")(inspect_command)
app.add_typer(rules_cli.app, name="rules")


app.add_typer(pii_app, name="pii")
app.command("mask")(mask_command)
app.add_typer(admin_cli.app, name="admin")
app.add_typer(audit_cli.app, name="audit")
app.command("ingest")(ingest_command)
app.command("serve")(serve_command)
app.add_typer(quality_cli.app, name="scorecard")
app.command("transcribe")(transcribe_command)
app.command("sentiment")(sentiment_command)
app.command("report")(report_command)


@app.command("version")
def version() -> None:
    """显示版本 Print the version."""
    typer.echo(version_text().removeprefix("hegui "))


def run() -> None:
    """The console script: an unexpected exception is a bug, reported without a traceback
    (HEGUI_DEBUG=1 shows it) and with exit code 3 (docs/cli.md)."""
    try:
        app()
    except Exception as exc:
        sys.exit(report_internal(exc))
