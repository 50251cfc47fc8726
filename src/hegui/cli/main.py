"""`hegui` command line: inspect conversations, manage and test rule packs."""

from __future__ import annotations

import typer

from hegui.cli import admin as admin_cli
from hegui.cli import audit as audit_cli
from hegui.cli import rules as rules_cli
from hegui.cli.ingest import ingest_command
from hegui.cli.inspect import inspect_command
from hegui.cli.pii import mask_command, pii_app

app = typer.Typer(
    name="hegui",
    help="合规质检 hegui — compliance inspection for Chinese financial customer service.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("inspect")(inspect_command)
app.add_typer(rules_cli.app, name="rules")


app.add_typer(pii_app, name="pii")
app.command("mask")(mask_command)
app.add_typer(admin_cli.app, name="admin")
app.add_typer(audit_cli.app, name="audit")
app.command("ingest")(ingest_command)


@app.command("version")
def version() -> None:
    """显示版本 Print the version."""
    from hegui import __version__

    typer.echo(__version__)


def run() -> None:
    app()
