"""Turning a notice into the lines people read in a chat group or an e-mail."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hegui.adapters.notify.base import Notice

ELLIPSIS = "…"

# Case fields worth a line of their own in a chat message, in reading order.
_FACT_LABELS: tuple[tuple[str, str], ...] = (
    ("id", "案件 case"),
    ("category", "类别 category"),
    ("rule_id", "规则 rule"),
    ("conversation_id", "会话 conversation"),
    ("agent_id", "坐席 agent"),
    ("team", "团队 team"),
    ("channel", "渠道 channel"),
    ("due_at", "处理期限 due"),
)


def facts(notice: Notice) -> list[tuple[str, str]]:
    """(label, value) pairs for the case fields present in the payload."""
    fields = _flatten_case(notice.payload)
    return [(label, str(fields[key])) for key, label in _FACT_LABELS if fields.get(key)]


def _flatten_case(payload: Mapping[str, Any]) -> dict[str, Any]:
    fields = dict(payload)
    finding = payload.get("finding")
    if isinstance(finding, Mapping) and "rule_id" not in fields:
        fields["rule_id"] = finding.get("rule_id")
    return fields


def heading(notice: Notice) -> str:
    return f"[{notice.severity_label}] {notice.title}"


def plain_text(notice: Notice) -> str:
    """Title, text and facts as plain text (WeCom/Feishu text, the e-mail body)."""
    lines = [heading(notice), "", notice.text]
    if found := facts(notice):
        lines.append("")
        lines.extend(f"{label}: {value}" for label, value in found)
    return "\n".join(lines)


def markdown(notice: Notice, *, bullet: str = "- ") -> str:
    """The same as Markdown; vendors accept different subsets, all take these forms."""
    lines = [f"### {heading(notice)}", "", notice.text]
    if found := facts(notice):
        lines.append("")
        lines.extend(f"{bullet}**{label}**: {value}" for label, value in found)
    return "\n".join(lines)


def truncate_utf8(text: str, max_bytes: int) -> str:
    """Cut `text` to at most `max_bytes` of UTF-8 without splitting a character.

    Vendors count message limits in bytes (WeCom: 2048 for text, 4096 for markdown), and a
    Chinese character is three of them.
    """
    raw = text.encode("utf-8")
    if len(raw) <= max_bytes:
        return text
    room = max_bytes - len(ELLIPSIS.encode("utf-8"))
    return raw[:room].decode("utf-8", errors="ignore") + ELLIPSIS
