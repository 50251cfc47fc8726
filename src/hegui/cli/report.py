"""`hegui report`: a period's compliance report for the institution or one team, as HTML,
PDF or JSON (docs/reports.md), from the server's database (HEGUI_DATA_DIR /
HEGUI_DATABASE_URL)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hegui.cli.admin import cli_actor, err, fail, opened_platform

PeriodOpt = Annotated[
    str | None,
    typer.Option(
        "--period",
        help="报告期 2026-11 | 2026-W45 | 2026-Q4 | 2026 | 2026-11-03 (default: last month)",
    ),
]
TeamOpt = Annotated[str | None, typer.Option("--team", help="只看一个团队 one team only")]
SinceOpt = Annotated[
    str | None, typer.Option("--since", help="起始日期 first day YYYY-MM-DD (instead of --period)")
]
UntilOpt = Annotated[
    str | None, typer.Option("--until", help="结束日期 last day YYYY-MM-DD, included")
]


def report_command(
    out: Annotated[
        Path, typer.Option("--out", help="输出文件 report.html | report.pdf | report.json")
    ],
    period: PeriodOpt = None,
    team: TeamOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="html | pdf | json (default: from the file extension)"),
    ] = None,
) -> None:
    """合规报告 Violations by category and their trend, top risks, agents needing training,
    rule health, scores and suggestions drawn from the figures."""
    from hegui.services.access import Principal
    from hegui.services.alerts.policy import SeverityPolicy
    from hegui.services.reports import FORMATS, ReportSettings, build_report, choose, render, today
    from hegui.services.users.schemas import Role

    chosen = (fmt or out.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        fail(
            f"无法确定格式 cannot tell the format of {out}: name it .html, .pdf or .json, "
            "or give --format html|pdf|json"
        )
    with opened_platform() as platform:
        now = platform.clock.now()
        scope = choose(period, since, until, today(now))
        settings = platform.settings
        config = ReportSettings(
            policy=SeverityPolicy.from_settings(settings),
            training_threshold=settings.training_threshold,
        )
        reader = Principal(0, cli_actor(), Role.admin)
        err.print(
            f"生成报告 building the report for {scope.label}" + (f", team {team}" if team else "")
        )
        with platform.db.reader() as session:
            report = build_report(
                session,
                reader,
                scope,
                team=team,
                scorecards=platform.scorecards,
                now=now,
                settings=config,
                progress=lambda step: err.print(f"  {step} …"),
            )
        err.print(f"  排版 rendering {chosen.upper()} …")
        data = render(report, chosen)
    try:
        out.write_bytes(data)
    except OSError as exc:
        fail(f"无法写入 cannot write {out}: {exc}")
    err.print(
        f"已写入 wrote {out} ({len(data):,} bytes): {report.totals.findings.current:g} findings, "
        f"{len(report.suggestions)} suggestions"
    )
