"""What the model is asked, and how its answer is read.

The model sees the whole conversation, each utterance numbered, and answers ONE JSON
object: `{"answer": "yes"|"no", "evidence": [indices], "reason": "..."}`. A "yes" must cite
the utterances (of the rule's roles) that show it; an answer that is not such an object,
cites nothing, or cites an index the conversation does not have is discarded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from hegui.adapters.llm import ChatMessage

ROLE_NAMES = {
    "agent": "坐席 agent",
    "customer": "客户 customer",
    "bot": "机器人 bot",
    "system": "系统 system",
}
MAX_ANSWER_CHARS = 20_000
MAX_REASON_CHARS = 200
_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$", re.I)
_YES = {"yes", "y", "true", "是", "有", "违规"}
_NO = {"no", "n", "false", "否", "没有", "无", "不违规"}

SYSTEM = (
    "你是金融客服对话的合规质检员。You review Chinese financial customer-service "
    "conversations for compliance.\n"
    "对话逐句编号 [i]，标明说话人。Each utterance is numbered [i] and names its speaker.\n"
    "只输出一个 JSON 对象 Answer with ONE JSON object and nothing else:\n"
    '{"answer": "yes" 或 or "no", "evidence": [句子编号 utterance numbers], '
    '"reason": "一句话理由 one sentence"}\n'
    '- "yes" 时 evidence 必须列出证明它的句子编号 (only utterances spoken by: {roles}).\n'
    '- "no" 时 evidence 为 [] ("no": evidence is []).\n'
    "- 只依据对话内容判断 judge only by what was said."
)


@dataclass(frozen=True, slots=True)
class Turn:
    role: str
    text: str


def messages(
    question: str, guidance: str, roles: Sequence[str], turns: Sequence[Turn], channel: str
) -> tuple[ChatMessage, ...]:
    who = ", ".join(ROLE_NAMES.get(r, r) for r in roles)
    lines = [f"[{i}] {ROLE_NAMES.get(t.role, t.role)}: {t.text}" for i, t in enumerate(turns)]
    user = f"渠道 channel: {channel}\n对话 conversation:\n" + "\n".join(lines)
    user += f"\n\n问题 question: {question.strip()}"
    if guidance.strip():
        user += f"\n判断要点 guidance: {guidance.strip()}"
    return (ChatMessage("system", SYSTEM.replace("{roles}", who)), ChatMessage("user", user))


@dataclass(frozen=True, slots=True)
class Answer:
    """One sample: a verdict with its evidence, or why it was discarded."""

    says: bool | None  # None: discarded
    evidence: tuple[int, ...] = ()
    reason: str = ""
    discarded: str = ""

    def to_json(self) -> list[object]:
        return [self.says, list(self.evidence), self.reason, self.discarded]

    @classmethod
    def from_json(cls, data: object) -> Answer:
        if not isinstance(data, list) or len(data) != 4:
            raise ValueError("bad cached answer")
        says, evidence, reason, discarded = data
        if says is not None and not isinstance(says, bool):
            raise ValueError("bad cached answer")
        if not isinstance(evidence, list) or not all(type(i) is int for i in evidence):
            raise ValueError("bad cached answer")
        return cls(says, tuple(evidence), str(reason), str(discarded))


def discard(why: str) -> Answer:
    return Answer(None, discarded=why)


def parse(content: str, turns: Sequence[Turn], roles: Sequence[str]) -> Answer:
    """Read one answer; cited utterances must exist, and a "yes" must cite at least one
    utterance spoken by `roles` (citations of other speakers are dropped)."""
    if len(content) > MAX_ANSWER_CHARS:
        return discard("answer too long")
    doc = _json_object(content)
    if doc is None:
        return discard("not a JSON object")
    says = _verdict(doc.get("answer"))
    if says is None:
        return discard("answer is neither yes nor no")
    reason = doc.get("reason")
    reason = reason.strip()[:MAX_REASON_CHARS] if isinstance(reason, str) else ""
    if not says:
        return Answer(False, (), reason)
    cited = _indices(doc.get("evidence"))
    if cited is None:
        return discard("evidence is not a list of utterance numbers")
    if not cited:
        return discard("yes without evidence")
    if any(not 0 <= i < len(turns) for i in cited):
        return discard("evidence out of range")
    kept = tuple(sorted({i for i in cited if turns[i].role in roles}))
    if not kept:
        return discard("evidence not spoken by the rule's roles")
    return Answer(True, kept, reason)


def _json_object(content: str) -> dict[str, object] | None:
    text = _FENCE.sub("", content.strip())
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        return None
    try:
        doc = json.loads(text[start : end + 1])
    except (ValueError, RecursionError):
        return None
    return doc if isinstance(doc, dict) else None


def _verdict(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _YES:
            return True
        if word in _NO:
            return False
    return None


def _indices(value: object) -> list[int] | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list):
        return None
    out = []
    for item in value:
        if isinstance(item, str) and item.strip().lstrip("[").rstrip("]").isdigit():
            item = int(item.strip().strip("[]"))
        if not isinstance(item, int) or isinstance(item, bool):
            return None
        out.append(item)
    return out
