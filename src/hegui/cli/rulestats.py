"""`hegui rules stats`: what reviewers' verdicts say about each rule, from the database.

Reads the database of `HEGUI_DATA_DIR` / `HEGUI_DATABASE_URL` (the server's own), also
while the server runs.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from hegui.cli.admin import opened_platform

console = Console(width=None if sys.stdout is not None and sys.stdout.isatty() else 200)


def stats_command(
    rule: Annotated[str | None, typer.Option("--rule", help="只看一条规则 one rule only")] = None,
    min_verdicts: Annotated[
        int,
        typer.Option(min=1, help="判定噪声所需的最少结论数 verdicts before a rule can be noisy"),
    ] = 10,
    precision: Annotated[
        float,
        typer.Option(min=0.0, max=1.0, help="低于此精确率为噪声 noisy below this precision"),
    ] = 0.5,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON print JSON")] = False,
) -> None:
    """复核统计 Per-rule precision from reviewers' verdicts, noisy rules, suggested exceptions.

    Confirmed: cases confirmed and not overturned; dismissed: dismissed or overturned.
    """
    from hegui.services.rulestats import NoiseThresholds, rule_stats

    thresholds = NoiseThresholds(precision=precision, min_verdicts=min_verdicts)
    with opened_platform() as platform, platform.db.reader() as session:
        stats = rule_stats(session, rule, thresholds=thresholds)
    if as_json:
        typer.echo(json.dumps(stats, ensure_ascii=False, indent=2))
        return
    if not stats:
        console.print("尚无复核结论 no verdicts yet", highlight=False)
        return
    table = Table(
        "规则 rule",
        "确认 confirmed",
        "驳回 dismissed",
        "精确率 precision",
        "噪声 noisy",
        "建议例外 suggested except:",
    )
    for rule_id, row in stats.items():
        value = row["precision"]
        table.add_row(
            rule_id,
            str(row["confirmed"]),
            str(row["dismissed"]),
            "-" if value is None else f"{value:.2f}",
            "[red]是 yes[/red]" if row["noisy"] else "否 no",
            ", ".join(row["suggested_exceptions"]) or "-",
        )
    console.print(table)
    noisy = sum(1 for row in stats.values() if row["noisy"])
    console.print(f"{len(stats)} rules with verdicts, {noisy} noisy", highlight=False)
