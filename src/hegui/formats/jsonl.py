"""The JSON Lines contract: conversations in, findings out (shared/spec/conversation.md).

A malformed line becomes a `LineError` naming the line and field; reading goes on.
Unknown fields are kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

from hegui.engine.model import CHANNELS, INDUSTRIES, ROLES, Conversation, Finding, Utterance

_KNOWN = {"id", "channel", "industry", "metadata", "utterances"}


@dataclass(frozen=True, slots=True)
class LineError:
    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}"


class FormatError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def parse_conversation(obj: Any) -> Conversation:
    if not isinstance(obj, dict):
        raise FormatError("(line)", "应为 JSON 对象 expected a JSON object")
    cid = obj.get("id")
    if not isinstance(cid, str) or not cid:
        raise FormatError("id", "缺少或不是字符串 missing or not a non-empty string")
    channel = obj.get("channel", "chat")
    if channel not in CHANNELS:
        raise FormatError("channel", f"未知渠道 unknown channel {channel!r}; one of {CHANNELS}")
    industry = obj.get("industry")
    if industry is not None and industry not in INDUSTRIES:
        raise FormatError(
            "industry", f"未知行业 unknown industry {industry!r}; one of {INDUSTRIES}"
        )
    metadata = obj.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise FormatError("metadata", "应为对象 expected an object")
    raw = obj.get("utterances")
    if not isinstance(raw, list):
        raise FormatError("utterances", "缺少或不是数组 missing or not an array")
    utterances = tuple(_utterance(u, i) for i, u in enumerate(raw))
    extra = {k: v for k, v in obj.items() if k not in _KNOWN}
    return Conversation(cid, utterances, channel, industry, metadata, extra)


def _utterance(obj: Any, index: int) -> Utterance:
    field = f"utterances[{index}]"
    if not isinstance(obj, dict):
        raise FormatError(field, "应为对象 expected an object")
    role = obj.get("role")
    if role not in ROLES:
        raise FormatError(f"{field}.role", f"未知角色 unknown role {role!r}; one of {ROLES}")
    text = obj.get("text")
    if not isinstance(text, str):
        raise FormatError(f"{field}.text", "缺少或不是字符串 missing or not a string")
    start = _seconds(obj.get("start"), f"{field}.start")
    end = _seconds(obj.get("end"), f"{field}.end")
    if start is not None and end is not None and end < start:
        raise FormatError(f"{field}.end", f"结束早于开始 end {end} is before start {start}")
    at = obj.get("at")
    when = None
    if at is not None:
        try:
            when = datetime.fromisoformat(str(at))
        except ValueError as exc:
            raise FormatError(f"{field}.at", f"不是 ISO-8601 时间 not ISO-8601: {at!r}") from exc
    return Utterance(role, text, start, end, when)


def _seconds(value: Any, field: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FormatError(field, f"应为秒数 expected seconds as a number, got {value!r}")
    return float(value)


def read_conversations(
    lines: Iterable[str], source: str = "-"
) -> Iterator[Conversation | LineError]:
    """Parse JSONL; yields a Conversation per good line and a LineError per bad one."""
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            conversation = parse_conversation(json.loads(line))
        except json.JSONDecodeError as exc:
            yield LineError(
                source, number, f"JSON 解析失败 invalid JSON: {exc.msg} (col {exc.colno})"
            )
            continue
        except FormatError as exc:
            yield LineError(source, number, str(exc))
            continue
        if conversation.id in seen:
            yield LineError(source, number, f"id: 重复的会话编号 duplicate id {conversation.id!r}")
            continue
        seen.add(conversation.id)
        yield conversation


def finding_json(finding: Finding) -> str:
    return json.dumps(finding.to_dict(), ensure_ascii=False)


def write_findings(findings: Iterable[Finding], out: TextIO) -> int:
    count = 0
    for finding in findings:
        out.write(finding_json(finding) + "\n")
        count += 1
    return count
