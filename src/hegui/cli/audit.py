"""`hegui audit verify|export`: check the hash chain, hand it to auditors."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
