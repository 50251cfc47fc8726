"""Masked forms (尾号1234, 138****5678, 6222 **** **** 1234, z***@163.com, 张**): recognised
so that they are never reported as leaks, and so a policy can count the digits they show.
"""

from __future__ import annotations

import re

from hegui.engine.pii.context import has_context
from hegui.engine.pii.names import SURNAMES
from hegui.engine.pii.view import Hit, View

# Repetitions are bounded and a masked run is read only from its start, so a long run of
# stars costs a bounded number of steps at each position.
_MASKED_NUMBER = re.compile(
    r"(?<![0-9a-z*#])[0-9]{0,10}(?:[*#]{1,24}|x{2,24})[0-9]{0,6}x?(?![0-9a-z*#])"
)
_TAIL = re.compile(
    r"(?:尾号|末尾|后[346四三六]位|末[346四三六]位|后几位)(?:是|为|数字是)?([0-9]{3,6})(?![0-9])"
)
_MASKED_EMAIL = re.compile(
    r"(?<![a-z0-9._-])[a-z0-9._-]{0,64}\*{1,16}[a-z0-9._-]{0,64}@[a-z0-9-]{1,63}"
    r"(?:\.[a-z0-9-]{1,63}){0,8}\.[a-z]{2,10}"
)
_MASKED_NAME = re.compile(rf"[{''.join(sorted(SURNAMES))}](?:\*{{1,2}}|某某?)")


def masked_hits(view: View) -> list[Hit]:
    text = view.text
    hits: list[Hit] = []
    for m in _MASKED_NUMBER.finditer(text):
        kind = _number_type(text, m.group(), m.start())
        if kind:
            hits.append(Hit(kind, m.start(), m.end(), 0.9))
    for m in _TAIL.finditer(text):
        hits.append(Hit(_context_type(text, m.start()) or "bank_card", m.start(), m.end(), 0.8))
    hits.extend(Hit("email", m.start(), m.end(), 0.9) for m in _MASKED_EMAIL.finditer(text))
    hits.extend(Hit("person_name", m.start(), m.end(), 0.6) for m in _MASKED_NAME.finditer(text))
    return hits


def visible_digits(text: str) -> int:
    """How many digits a masked form still shows (138****5678 → 7, 尾号1234 → 4)."""
    return sum(c.isdigit() for c in text)


def _number_type(text: str, token: str, start: int) -> str:
    shown = sum(c.isdigit() for c in token)
    n = len(token)
    if shown == 0 or n < 7:
        return ""
    context = _context_type(text, start)
    if context:
        return context
    if n == 11 and token[0] == "1":
        return "phone"
    if n in (15, 18) and not token.startswith("62"):
        return "id_number"
    if 16 <= n <= 19:
        return "bank_card"
    return ""


def _context_type(text: str, start: int) -> str:
    for kind in ("id_number", "bank_card", "phone"):
        if has_context(text, start, kind, 8):
            return kind
    return ""
