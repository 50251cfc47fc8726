"""`hegui audit verify|export`: check the hash chain, hand it to auditors."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from hegui.cli.admin import err, fail, opened_platform

if TYPE_CHECKING:
    from hegui.services.audit.chain import ChainReport

app = typer.Typer(
    help="审计日志 Audit log: verify the hash chain, export it for auditors.",
    no_args_is_help=True,
)


def _report(report: ChainReport) -> None:
    if not report.ok:
        fail(f"审计链损坏 audit chain broken: {report.problem}", code=1)
    err.print(
        f"审计链完整 audit chain intact: {report.entries} entries, "
        f"head #{report.head_seq} {report.head_hash}"
    )


@app.command("verify")
def verify(
    file: Annotated[
        Path | None,
        typer.Option("--file", help="校验导出文件（离线）verify an export file instead"),
    ] = None,
) -> None:
    """校验审计链 Exit 0 when intact, 1 naming the first entry altered or removed."""
    if file is not None:
        from hegui.services.audit.chain import verify_jsonl  # no database stack needed

        try:
            with file.open(encoding="utf-8") as lines:
                report = verify_jsonl(lines)
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"无法读取 cannot read {file}: {exc}")
    else:
        with opened_platform() as platform, platform.db.reader() as session:
            report = platform.audit.verify(session)
    _report(report)


@app.command("export")
def export(
    out: Annotated[Path, typer.Option("--out", help="JSONL 输出文件 output file ('-': stdout)")],
) -> None:
    """导出审计日志 Export every entry with its hashes as JSON Lines (verifiable offline)."""
    with opened_platform() as platform, platform.db.reader() as session:
        if str(out) == "-":
            report = platform.audit.export(session, sys.stdout)
        else:
            try:
                with out.open("w", encoding="utf-8") as stream:
                    report = platform.audit.export(session, stream)
            except OSError as exc:
                fail(f"无法写入 cannot write {out}: {exc}")
    _report(report)


@app.command("regulator")
def regulator(
    out: Annotated[Path, typer.Option("--out", help="JSONL 输出文件 output file ('-': stdout)")],
    period: Annotated[
        str | None, typer.Option("--period", help="报告期 2026-11 | 2026-W45 | 2026-Q4 | …")
    ] = None,
    team: Annotated[str | None, typer.Option("--team", help="只看一个团队 one team only")] = None,
    since: Annotated[str | None, typer.Option("--since", help="起始日期 YYYY-MM-DD")] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="结束日期 YYYY-MM-DD, included")
    ] = None,
) -> None:
    """监管导出 Findings of a period with rule versions, reviewers' actions, SLA times and the
    audit chain's proof, as JSON Lines (docs/reports.md). Exit 1 when the chain is broken."""
    from hegui.cli.admin import cli_actor
    from hegui.services.access import Principal
    from hegui.services.alerts.policy import SeverityPolicy
    from hegui.services.reports import check_team, choose, today
    from hegui.services.reports.regulator import export_lines
    from hegui.services.users.schemas import Role

    with opened_platform() as platform, platform.db.reader() as session:
        now = platform.clock.now()
        scope = choose(period, since, until, today(now))
        if team is not None:
            check_team(session, team)
        lines = export_lines(
            session,
            Principal(0, cli_actor(), Role.admin),
            scope,
            team=team,
            audit=platform.audit,
            policy=SeverityPolicy.from_settings(platform.settings),
            now=now,
        )
        last = ""
        try:
            stream = sys.stdout if str(out) == "-" else out.open("w", encoding="utf-8")
            with stream if stream is not sys.stdout else _kept(stream) as target:
                for line in lines:
                    target.write(line)
                    last = line
        except OSError as exc:
            fail(f"无法写入 cannot write {out}: {exc}")
    chain = json.loads(last)
    if not chain["ok"]:
        fail(f"审计链损坏 audit chain broken: {chain['problem']}", code=1)
    err.print(
        f"已导出 exported {scope.label}; 审计链完整 audit chain intact: {chain['entries']} "
        f"entries, head #{chain['head_seq']} {chain['head_hash']}"
    )


@contextmanager
def _kept(stream: TextIO) -> Iterator[TextIO]:
    yield stream  # stdout: written to, not closed
