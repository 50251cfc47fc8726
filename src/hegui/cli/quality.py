"""Service quality on the command line: `hegui scorecard lint|show`, and the metrics and
score lines `hegui inspect --metrics --scorecard` adds to its JSONL output.

Added lines carry `"kind": "metrics"` or `"kind": "score"` (finding lines have no `kind`),
one each per conversation, after its findings; without the options the output is the
findings contract alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from hegui.engine.metrics import measure
from hegui.engine.model import Conversation, Finding
from hegui.packs import SHIPPED as SHIPPED_PACKS
from hegui.packs import PackError, load_pack_file, shipped_path
from hegui.scorecards import Scoreable, ScorecardError, ScorecardSpec, load_file, score, shipped

app = typer.Typer(
    help="质检评分卡 Scorecards: lint your own, show the shipped ones.", no_args_is_help=True
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass(frozen=True)
class BatchExtras:
    """What `hegui inspect` adds per conversation (picklable: workers receive it)."""

    metrics: bool = False
    scorecard: ScorecardSpec | None = None

    def lines(self, conversation: Conversation, findings: list[Finding]) -> bytes:
        lines = []
        if self.metrics:
            values = measure(conversation).to_dict()
            lines.append({"kind": "metrics", "conversation_id": conversation.id, **values})
        if self.scorecard is not None:
            found = [
                Scoreable(i, f.rule_id, f.category, f.severity) for i, f in enumerate(findings)
            ]
            result = score(self.scorecard, found).breakdown()
            lines.append({"kind": "score", "conversation_id": conversation.id, **result})
        return b"".join(
            (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8") for line in lines
        )


def scorecard_option(spec: str) -> ScorecardSpec:
    """`--scorecard`: a YAML file, or the name of a shipped card (`securities`)."""
    path = Path(spec)
    if path.is_file():
        return load_file(path)
    for card in shipped():
        if card.scorecard == spec:
            return card
    names = ", ".join(card.scorecard for card in shipped())
    raise ScorecardError(
        f"--scorecard {spec!r}: 既不是文件也不是内置评分卡 "
        f"neither a file nor a shipped card ({names})"
    )


@app.command("lint")
def lint_command(
    files: Annotated[list[Path], typer.Argument(help="评分卡 scorecard YAML files")],
) -> None:
    """校验评分卡 Validate scorecards: schema, categories, weights, examples' scores.

    Exit 0 when every file is valid (warnings, such as a rule no shipped pack has, are
    printed), 1 when one is not (each problem with its file, line and field).
    """
    known = _shipped_rule_ids()
    failed = False
    for path in files:
        try:
            card = load_file(path)
        except ScorecardError as exc:
            err.print(f"[red]{escape(str(exc))}[/red]")
            failed = True
            continue
        for warning in _warnings(card, known):
            err.print(f"[yellow]{escape(f'{path}: {warning}')}[/yellow]")
        examples = len(card.examples)
        out.print(
            f"{escape(str(path))}: 有效 ok — {card.scorecard} v{card.version}, "
            f"{len(card.items)} items, {len(card.fatal)} fatal, {len(card.bonus)} bonus, "
            f"{examples} examples pass"
        )
    raise typer.Exit(1 if failed else 0)


@app.command("show")
def show_command(
    name: Annotated[str | None, typer.Argument(help="内置评分卡 a shipped card")] = None,
) -> None:
    """列出或显示内置评分卡 List the shipped scorecards, or print one as JSON."""
    if name is None:
        for card in shipped():
            industries = ", ".join(card.applies_to.industries) or "(default)"
            out.print(f"{card.scorecard}\tv{card.version}\t{industries}\t{escape(card.title)}")
        return
    try:
        card = scorecard_option(name)
    except ScorecardError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from None
    out.print_json(card.model_dump_json(exclude_none=True))


def _warnings(card: ScorecardSpec, known: set[str]) -> list[str]:
    out = []
    for section in ("items", "fatal", "bonus"):
        for index, entry in enumerate(getattr(card, section)):
            for rule in entry.rules:
                if rule not in known:
                    out.append(
                        f"{section}.{index}.rules: 内置规则包中没有 no shipped pack has rule "
                        f"{rule!r} (fine if your own pack does)"
                    )
    return out


def _shipped_rule_ids() -> set[str]:
    ids: set[str] = set()
    for name in SHIPPED_PACKS:
        try:
            ids.update(rule.id for rule in load_pack_file(shipped_path(name)).rules)
        except (PackError, OSError):
            continue
    return ids
