"""Reading one submitted conversation: the contract's checks (`hegui.formats.jsonl`), the
fields the platform files it under (agent, customer), and its canonical content (what "the
same content" means).

Errors are `FormatError`s naming the field, as the JSONL reader's are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hegui.engine.model import Conversation, Utterance
from hegui.formats.jsonl import FormatError, parse_conversation

# Fields of `agent` / `customer` the platform files conversations under (kept unmasked).
LIFTED = {"agent": ("id", "name", "team"), "customer": ("id",)}
LIMITS = {"id": 128, "agent.id": 64, "agent.name": 128, "agent.team": 64, "customer.id": 128}


@dataclass(frozen=True, slots=True)
class Incoming:
    """A submitted conversation that passed every check, not yet masked."""

    conversation: Conversation
    content: bytes  # canonical JSON (UTF-8): hashed, and sealed as the raw text
    agent: dict[str, str]
    customer_id: str | None


def read_submitted(obj: Any) -> Incoming:
    """A conversation object (already decoded JSON)."""
    return incoming(parse_conversation(obj))


def incoming(conversation: Conversation) -> Incoming:
    """The platform's checks on top of the contract's, on a parsed conversation."""
    _check_length("id", conversation.id)
    agent = _party(conversation.extra, "agent")
    customer = _party(conversation.extra, "customer")
    content = canonical_bytes(canonical(conversation))
    return Incoming(conversation, content, agent, customer.get("id"))


def canonical(conversation: Conversation) -> dict[str, Any]:
    """The conversation as the contract's JSON object, defaults filled in: what it says."""
    record = {
        **conversation.extra,
        "id": conversation.id,
        "channel": conversation.channel,
        "industry": conversation.industry,
        "metadata": conversation.metadata,
        "utterances": [utterance_json(u) for u in conversation.utterances],
    }
    if conversation.started_at is not None:
        record["started_at"] = conversation.started_at.isoformat()
    return record


def utterance_json(utterance: Utterance) -> dict[str, Any]:
    out: dict[str, Any] = {"role": utterance.role, "text": utterance.text}
    if utterance.start is not None:
        out["start"] = utterance.start
    if utterance.end is not None:
        out["end"] = utterance.end
    if utterance.at is not None:
        out["at"] = utterance.at.isoformat()
    return out


def canonical_bytes(record: dict[str, Any]) -> bytes:
    where = _bad_text(record, "")
    if where is not None:
        raise FormatError(
            where or None, "含 NUL 或无效 Unicode 字符 contains NUL or invalid Unicode"
        )
    try:
        text = json.dumps(
            record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except (TypeError, ValueError) as exc:
        raise FormatError(None, f"不是有效 JSON not valid JSON: {exc}") from exc
    return text.encode("utf-8")


def _bad_text(value: Any, path: str) -> str | None:
    """The first field holding text no database stores (NUL, lone surrogates)."""
    if isinstance(value, str):
        return path if not _storable(value) else None
    items: Any = ()
    if isinstance(value, dict):
        if not all(_storable(str(key)) for key in value):
            return path
        items = ((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
    elif isinstance(value, list):
        items = ((f"{path}[{i}]", v) for i, v in enumerate(value))
    for sub, item in items:
        found = _bad_text(item, sub)
        if found is not None:
            return found
    return None


def _storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _party(extra: dict[str, Any], key: str) -> dict[str, str]:
    value = extra.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise FormatError(key, "应为对象 expected an object")
    out = {}
    for name in LIFTED[key]:
        item = value.get(name)
        if item is None:
            continue
        if isinstance(item, bool) or not isinstance(item, str | int):
            raise FormatError(f"{key}.{name}", f"应为字符串 expected a string, got {item!r:.40}")
        text = str(item).strip()
        if text:
            _check_length(f"{key}.{name}", text)
            out[name] = text
    return out


def _check_length(field: str, value: str) -> None:
    limit = LIMITS[field]
    if len(value) > limit:
        raise FormatError(field, f"过长 longer than {limit} characters")
