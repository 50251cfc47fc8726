"""`hegui inspect --format table`: findings for people, the evidence shown around the match.

Rows are built where the findings are (worker processes), as plain tuples; the table is
drawn once at the end, because column widths depend on every row.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

from rich.console import Console
from rich.table import Column, Table
from rich.text import Text

from hegui.engine.model import Finding

CONTEXT = 8
"""Characters of evidence shown each side of the match."""

_SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}


class Row(NamedTuple):
    conversation: str
    utterance: str
    severity: str
    rule: str
    message: str
    before: str
    matched: str
    after: str


def row(finding: Finding) -> Row:
    before, matched, after = _around(finding)
    return Row(
        _printable(finding.conversation_id),
        "" if finding.utterance_index is None else f"#{finding.utterance_index}",
        finding.severity,
        finding.rule_id,
        _printable(finding.message),
        _printable(before),
        _printable(matched),
        _printable(after),
    )


def _around(finding: Finding) -> tuple[str, str, str]:
    evidence, span = finding.evidence, finding.span
    if evidence is None or span is None or not 0 <= span[0] <= span[1] <= len(evidence):
        return "", finding.matched or (evidence or "")[: 2 * CONTEXT], ""
    start, end = span
    before = evidence[max(0, start - CONTEXT) : start]
    after = evidence[end : end + CONTEXT]
    return (
        ("…" if start > CONTEXT else "") + before,
        evidence[start:end],
        after + ("…" if end + CONTEXT < len(evidence) else ""),
    )


def _printable(text: str) -> str:
    """Control characters (a terminal escape sequence in a transcript) shown, not obeyed."""
    return "".join(
        "\ufffd" if unicodedata.category(ch) == "Cc" and ch not in "\t" else ch for ch in text
    )


def render(rows: list[Row], console: Console) -> None:
    table = Table(
        Column("会话\nconversation", ratio=2, overflow="fold"),
        Column("严重度\nseverity", no_wrap=True),
        Column("规则 rule\n说明 message", ratio=3, overflow="fold"),
        Column("证据 evidence", ratio=3, overflow="fold"),
        show_lines=True,
    )
    for r in rows:
        evidence = Text.assemble(r.before, (r.matched, "bold reverse"), r.after, overflow="fold")
        table.add_row(
            Text(f"{r.conversation}\n{r.utterance}".rstrip(), overflow="fold"),
            Text(r.severity, style=_SEVERITY_STYLE.get(r.severity, "")),
            Text.assemble((r.rule, "bold"), "\n", r.message, overflow="fold"),
            evidence,
        )
    if rows:
        console.print(table)
    else:
        console.print("无发现 no findings")
