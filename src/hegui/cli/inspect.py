"""`hegui inspect`: conversations (JSONL) in, findings out."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer
import yaml
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from hegui.cli.pii import load_mask_policy
from hegui.engine.model import Conversation, Finding
from hegui.engine.pii import LeakPolicy, MaskPolicy
from hegui.formats.jsonl import LineError, finding_json, read_conversations
from hegui.inspector import Inspector
from hegui.packs import PackError

PROGRESS_FROM = 200
_worker: Inspector | None = None


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


def _read(files: list[str], err: Console) -> tuple[list[Conversation], list[LineError]]:
    conversations: list[Conversation] = []
    errors: list[LineError] = []
    for name in files:
        if name == "-":
            lines: list[str] = sys.stdin.read().splitlines()
        else:
            try:
                lines = Path(name).read_text("utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                err.print(f"[red]无法读取 cannot read {name}: {exc}[/red]")
                raise typer.Exit(2) from exc
        for item in read_conversations(lines, name):
            if isinstance(item, LineError):
                errors.append(item)
            else:
                conversations.append(item)
    return conversations, errors


@dataclass(frozen=True)
class InspectOptions:
    """What builds the Inspector, in a form worker processes can receive."""

    industry: str | None
    packs: tuple[str, ...] | None
    rules_dirs: tuple[Path, ...]
    backend: str
    mask: MaskPolicy | None
    leak_policy: LeakPolicy | None

    def inspector(self) -> Inspector:
        return Inspector.build(
            industry=self.industry,
            packs=self.packs,
            rules_dirs=self.rules_dirs,
            backend=self.backend,
            mask=self.mask,
            leak_policy=self.leak_policy,
        )


def _init_worker(options: InspectOptions) -> None:
    global _worker
    _worker = options.inspector()


def _inspect_one(conversation: Conversation) -> list[Finding]:
    assert _worker is not None
    return _worker.inspect(conversation)


def _run(
    conversations: list[Conversation], options: InspectOptions, jobs: int
) -> Iterator[list[Finding]]:
    if jobs <= 1:
        inspector = options.inspector()
        for conversation in conversations:
            yield inspector.inspect(conversation)
        return
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(options,)) as pool:
        yield from pool.map(_inspect_one, conversations, chunksize=64)


def inspect_command(
    files: Annotated[list[str], typer.Argument(help="对话文件 JSONL files ('-' = stdin)")],
    industry: Annotated[
        str | None, typer.Option(help="行业（选择默认规则包）industry selecting default packs")
    ] = None,
    packs: Annotated[
        str | None, typer.Option(help="规则包，逗号分隔 comma-separated packs (overrides industry)")
    ] = None,
    rules: Annotated[
        list[Path] | None, typer.Option("--rules", help="自定义规则目录 your own rules folder/file")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="输出文件 output file (default stdout)")] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="jsonl | json | table")
    ] = OutputFormat.jsonl,
    jobs: Annotated[int, typer.Option(min=1, help="并行进程数 worker processes")] = 1,
    backend: Annotated[str, typer.Option(help="auto | hyperscan | portable")] = "auto",
    mask: Annotated[
        str | None,
        typer.Option(help="脱敏证据 mask evidence: tag|full|partial|hash|fpe or a policy file"),
    ] = None,
    salt: Annotated[
        str | None, typer.Option(help="hash/fpe 的盐 salt for hash/fpe", envvar="HEGUI_MASK_SALT")
    ] = None,
    leak_policy: Annotated[
        Path | None, typer.Option(help="泄露判定策略 YAML leak policy (see docs/pii.md)")
    ] = None,
) -> None:
    """质检对话 Inspect conversations; write one finding per line."""
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    try:
        mask_policy = load_mask_policy(mask, salt or "") if mask else None
        leaks = _leak_policy(leak_policy) if leak_policy else None
    except (OSError, ValueError, KeyError, yaml.YAMLError) as exc:
        err.print(f"[red]策略无效 bad policy: {exc}[/red]")
        raise typer.Exit(2) from exc
    conversations, errors = _read(files, err)
    for error in errors:
        err.print(f"[yellow]跳过 skipped[/yellow] {error}", highlight=False)
    options = InspectOptions(
        industry=industry,
        packs=tuple(p.strip() for p in packs.split(",") if p.strip())
        if packs is not None
        else None,
        rules_dirs=tuple(rules or ()),
        backend=backend,
        mask=mask_policy,
        leak_policy=leaks,
    )
    try:
        options.inspector()
    except (PackError, ValueError) as exc:
        err.print(f"[red]{exc}[/red]", highlight=False)
        raise typer.Exit(2) from exc
    sink: TextIO = out.open("w", encoding="utf-8") if out else sys.stdout
    findings: list[Finding] = []
    show = len(conversations) >= PROGRESS_FROM
    with Progress(
        TextColumn("质检 inspecting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=not show,
    ) as progress:
        task = progress.add_task("inspect", total=len(conversations))
        for batch in _run(conversations, options, jobs):
            if output_format is OutputFormat.jsonl:
                for finding in batch:
                    sink.write(finding_json(finding) + "\n")
            findings.extend(batch)
            progress.advance(task)
    if output_format is OutputFormat.json:
        json.dump([f.to_dict() for f in findings], sink, ensure_ascii=False, indent=2)
        sink.write("\n")
    elif output_format is OutputFormat.table:
        _table(findings, Console(file=sink, width=160))
    if out:
        sink.close()
    _summary(err, conversations, findings, errors)
    if errors:
        raise typer.Exit(1)


def _leak_policy(path: Path) -> LeakPolicy:
    data = yaml.safe_load(path.read_text("utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a leak policy is a mapping")
    return LeakPolicy.from_mapping(data)


def _table(findings: list[Finding], console: Console) -> None:
    table = Table("会话 conversation", "句 utt", "严重度 severity", "规则 rule", "证据 evidence")
    for f in findings:
        evidence = f.matched or (f.evidence or "")[:40] or f.message
        table.add_row(
            f.conversation_id,
            "" if f.utterance_index is None else str(f.utterance_index),
            f.severity,
            f.rule_id,
            evidence,
        )
    console.print(table)


def _summary(
    err: Console,
    conversations: list[Conversation],
    findings: list[Finding],
    errors: list[LineError],
) -> None:
    by_severity = Counter(f.severity for f in findings)
    utterances = sum(len(c.utterances) for c in conversations)
    err.print(
        f"质检完成 inspected {len(conversations)} conversations, {utterances} utterances: "
        f"{len(findings)} findings (high {by_severity['high']}, medium {by_severity['medium']}, "
        f"low {by_severity['low']}); skipped {len(errors)} malformed lines",
        highlight=False,
    )
