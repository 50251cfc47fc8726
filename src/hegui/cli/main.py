"""`hegui` command line: inspect conversations, manage and test rule packs."""

from __future__ import annotations

import typer

from hegui.cli import rules as rules_cli
from hegui.cli.inspect import inspect_command

app = typer.Typer(
    name="hegui",
    help="合规质检 hegui — compliance inspection for Chinese financial customer service.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("inspect")(inspect_command)
app.add_typer(rules_cli.app, name="rules")


def _register_pii() -> None:
    try:
        from hegui.cli import pii
    except ImportError:  # built by the PII work; absent in a partial checkout
        return
    pii_app = getattr(pii, "pii_app", None)
    if pii_app is not None:
        app.add_typer(pii_app, name="pii")
    mask = getattr(pii, "mask_command", None)
    if mask is not None:
        app.command("mask")(mask)


_register_pii()


@app.command("version")
def version() -> None:
    """显示版本 Print the version."""
    from hegui import __version__

    typer.echo(__version__)


def run() -> None:
    app()
