"""The JSON Lines contract: conversations in, findings out (shared/spec/conversation.md).

A malformed line becomes a `LineError` naming the line and field; reading goes on.
Unknown fields are kept (`Conversation.extra`). Lines are split on b"\\n" only and decoded
one by one (`hegui.formats.lines`); times follow `hegui.formats.times`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from datetime import tzinfo
from typing import Any, TextIO

from hegui.engine.model import CHANNELS, INDUSTRIES, ROLES, Conversation, Finding, Utterance
from hegui.formats import times
from hegui.formats.errors import FormatError, LineError

__all__ = [
    "FormatError",
    "IdSet",
    "LineError",
    "finding_json",
    "finding_line",
    "parse_conversation",
    "parse_json",
    "parse_line",
    "parse_utterance",
    "read_conversations",
    "write_findings",
]

_KNOWN = {"id", "channel", "industry", "metadata", "utterances", "started_at"}
# Only a line holding an escaped surrogate can decode to a lone one; the rest skip the walk.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def parse_line(line: bytes | str) -> Conversation | None:
    """One JSONL line → a Conversation; None for a blank line; FormatError when malformed."""
    text = _decode(line) if isinstance(line, bytes) else line
    if not text.strip(" \t\r\n"):
        return None
    return parse_conversation(parse_json(text))


def parse_json(data: bytes | str) -> Any:
    """One JSON value as the contract reads it (UTF-8, no NaN, no lone surrogates);
    FormatError saying what is wrong (the live WebSocket's messages use it too)."""
    text = _decode(data) if isinstance(data, bytes) else data
    obj = _load_json(text)
    if _SURROGATE_ESCAPE.search(text):
        _reject_lone_surrogates(obj)
    return obj


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(
            None, f"不是有效的 UTF-8 invalid UTF-8 at byte {exc.start + 1}: {exc.reason}"
        ) from exc


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} 不是 JSON 数值 {name} is not a JSON value")


def _load_json(text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise FormatError(None, f"JSON 解析失败 invalid JSON: {exc.msg} (col {exc.colno})") from exc
    except RecursionError as exc:
        raise FormatError(None, "JSON 解析失败 invalid JSON: 嵌套过深 nested too deeply") from exc
    except ValueError as exc:  # NaN/Infinity, or an integer beyond Python's digit limit
        why = f"整数位数过多 integer too long: {exc}" if "digits" in str(exc) else str(exc)
        raise FormatError(None, f"JSON 解析失败 invalid JSON: {why}") from exc


def _reject_lone_surrogates(obj: Any) -> None:
    """Text must be valid Unicode: a lone surrogate cannot be encoded in UTF-8 on output."""
    stack: list[tuple[str | None, Any]] = [(None, obj)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            _check_text(path, value)
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else key
                _check_text(child, key)
                stack.append((child, item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", item) for i, item in enumerate(value))


def _check_text(field: str | None, text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = text[exc.start]
        raise FormatError(
            field, f"含孤立代理项 lone surrogate \\u{ord(bad):04x} is not valid Unicode"
        ) from exc


def parse_conversation(obj: Any) -> Conversation:
    if not isinstance(obj, dict):
        raise FormatError(None, "应为 JSON 对象 expected a JSON object")
    cid = obj.get("id")
    if not isinstance(cid, str) or not cid:
        raise FormatError("id", "缺少或不是字符串 missing or not a non-empty string")
    channel = obj.get("channel")
    if channel is None:
        channel = "chat"
    if channel not in CHANNELS:
        raise FormatError("channel", f"未知渠道 unknown channel {channel!r:.40}; one of {CHANNELS}")
    industry = obj.get("industry")
    if industry is not None and industry not in INDUSTRIES:
        raise FormatError(
            "industry", f"未知行业 unknown industry {industry!r:.40}; one of {INDUSTRIES}"
        )
    metadata = obj.get("metadata")
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise FormatError("metadata", "应为对象 expected an object")
    started_at = times.instant(obj.get("started_at"), "started_at", None)
    raw = obj.get("utterances")
    if not isinstance(raw, list):
        raise FormatError("utterances", "缺少或不是数组 missing or not an array")
    zone = started_at.tzinfo if started_at is not None else None
    utterances = tuple(parse_utterance(u, f"utterances[{i}]", zone) for i, u in enumerate(raw))
    extra = {k: v for k, v in obj.items() if k not in _KNOWN}
    return Conversation(cid, utterances, channel, industry, metadata, extra, started_at)


def parse_utterance(obj: Any, field: str = "utterance", zone: tzinfo | None = None) -> Utterance:
    """One utterance object; errors name `field` and the key within it ("utterance.text").
    `zone`: the time zone of `at` values without one (the conversation's `started_at`)."""
    if not isinstance(obj, dict):
        raise FormatError(field, "应为对象 expected an object")
    role = obj.get("role")
    if role not in ROLES:
        raise FormatError(f"{field}.role", f"未知角色 unknown role {role!r:.40}; one of {ROLES}")
    text = obj.get("text")
    if not isinstance(text, str):
        raise FormatError(f"{field}.text", "缺少或不是字符串 missing or not a string")
    start = times.seconds(obj.get("start"), f"{field}.start")
    end = times.seconds(obj.get("end"), f"{field}.end")
    if start is not None and end is not None and end < start:
        raise FormatError(f"{field}.end", f"结束早于开始 end {end} is before start {start}")
    at = times.instant(obj.get("at"), f"{field}.at", zone)
    return Utterance(role, text, start, end, at)


class IdSet:
    """Conversation ids seen so far, to reject a repeated one.

    Holds a 16-byte digest per id (about 100 bytes each with the set's overhead, whatever the
    id's length): the one thing that grows with the input — 1 million conversations ≈ 100 MB.
    """

    def __init__(self) -> None:
        self._seen: set[bytes] = set()

    def add(self, conversation_id: str) -> bool:
        """Remember the id; False when it was already seen."""
        digest = hashlib.blake2b(
            conversation_id.encode("utf-8", "surrogatepass"), digest_size=16
        ).digest()
        if digest in self._seen:
            return False
        self._seen.add(digest)
        return True


def duplicate_message(conversation_id: str) -> str:
    return f"id: 重复的会话编号 duplicate id {conversation_id!r:.80}"


def read_conversations(
    lines: Iterable[str | bytes], source: str = "-"
) -> Iterator[Conversation | LineError]:
    """Parse JSONL lines (split on "\\n" only: see `hegui.formats.lines.LineReader`); yields a
    Conversation per good line and a LineError per bad one."""
    seen = IdSet()
    for number, line in enumerate(lines, start=1):
        if number == 1:
            line = _without_bom(line)
        try:
            conversation = parse_line(line)
        except FormatError as exc:
            yield LineError(source, number, str(exc))
            continue
        if conversation is None:
            continue
        if not seen.add(conversation.id):
            yield LineError(source, number, duplicate_message(conversation.id))
            continue
        yield conversation


def _without_bom(line: str | bytes) -> str | bytes:
    if isinstance(line, bytes):
        return line.removeprefix(b"\xef\xbb\xbf")
    return line.removeprefix("\ufeff")


def finding_json(finding: Finding) -> str:
    """One finding as JSON, always encodable as UTF-8 (a lone surrogate from the Python API
    is written as a JSON escape instead of breaking the output)."""
    text = json.dumps(finding.to_dict(), ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(finding.to_dict())
    return text


def finding_line(finding: Finding) -> bytes:
    """One finding as a JSONL line in UTF-8."""
    return (finding_json(finding) + "\n").encode("utf-8")


def write_findings(findings: Iterable[Finding], out: TextIO) -> int:
    count = 0
    for finding in findings:
        out.write(finding_json(finding) + "\n")
        count += 1
    return count
