"""Digit-run entities: resident ID numbers, bank cards, mobile and landline phones.

Runs are read from the normalised view, so spoken (幺三八…), full-width and grouped forms
("6222 0212 …", "138-1234-5678", pauses between utterances) all reach the validators. A run
is split into groups where the original had a separator; an entity covers whole groups, so a
20-digit number never yields an ID-shaped substring.
"""

from __future__ import annotations

import re

from hegui.engine.pii import validators as v
from hegui.engine.pii.context import ContextCache
from hegui.engine.pii.view import Hit, View

_RUN = re.compile(r"[0-9](?:-?[0-9])*[x叉]?")
_LETTERS_BEFORE = re.compile(r"[a-z]+$")
_ALLOWED_PREFIX_WORDS = frozenset({"id", "no", "tel", "mobile", "phone", "card", "cardno"})
_EXTENSION = re.compile(r"(?:转|分机|-)[0-9]{1,5}(?![0-9])")
_MAX_JOINED_GROUP = 8
_DATE = re.compile(r"(?:19|20)[0-9]{2}-[01]?[0-9]-[0-3]?[0-9](?![0-9])")
_RIVALS = {
    "id_number": ("bank_card", "phone"),
    "bank_card": ("id_number", "phone"),
    "phone": ("id_number", "bank_card"),
}


def numeric_hits(view: View) -> list[Hit]:
    hits: list[Hit] = []
    text = view.text
    ctx = ContextCache(view)
    for m in _RUN.finditer(text):
        if m.end() - m.start() < 7:
            continue
        hits.extend(_run_hits(view, ctx, _groups(view, m.start(), m.end())))
    return hits


def _glued_to_letters(view: View, start: int, end: int) -> bool:
    """Digits written right against letters (SF1234…, order codes) are not PII numbers."""
    text = view.text
    if end < len(text) and "a" <= text[end] <= "z" and not view.gap(end):
        return True
    letters = _LETTERS_BEFORE.search(text, 0, start)
    if letters is None or view.gap(start):
        return False
    return letters.group() not in _ALLOWED_PREFIX_WORDS


def _groups(view: View, start: int, end: int) -> list[tuple[int, int]]:
    """Split a run at '-' and where the original had dropped separators."""
    groups: list[tuple[int, int]] = []
    g_start = start
    text = view.text
    for i in range(start, end):
        if text[i] == "-":
            groups.append((g_start, i))
            g_start = i + 1
        elif i > g_start and view.gap(i):
            groups.append((g_start, i))
            g_start = i
    groups.append((g_start, end))
    return [g for g in groups if g[1] > g[0]]


def _run_hits(view: View, ctx: ContextCache, groups: list[tuple[int, int]]) -> list[Hit]:
    text = view.text
    hits: list[Hit] = []
    for i, (start, _) in enumerate(groups):
        for j in range(i, len(groups)):
            end = groups[j][1]
            digits = text[start:end].replace("-", "")
            if len(digits) > 19:
                break
            if (
                len(digits) < 7
                or _glued_to_letters(view, start, end)
                or _DATE.search(text, start, end)
            ):
                continue
            hit = _classify(ctx, digits, start, end)
            if hit is not None and j > i and not _natural_grouping(text, groups[i : j + 1]):
                # A pause can fall anywhere in speech, but "13812345678，10000" is two numbers:
                # an entity made by joining a long group ranks below one that needs no join.
                whole_run = i == 0 and j == len(groups) - 1
                hit = Hit(hit.type, hit.start, hit.end, hit.score - 0.15 + 0.1 * whole_run)
            if hit is not None:
                hits.append(_with_plus(text, _with_extension(text, hit, groups, j)))
    return hits


def _natural_grouping(text: str, groups: list[tuple[int, int]]) -> bool:
    if all(e - s <= _MAX_JOINED_GROUP for s, e in groups):
        return True
    first = text[groups[0][0] : groups[0][1]]
    return len(groups) == 2 and first in ("86", "0086")


def _classify(ctx: ContextCache, digits: str, start: int, end: int) -> Hit | None:
    best: Hit | None = None
    for kind, score in _readings(ctx, digits, start):
        if score <= 0 or ctx.vetoed(start, end, _context_kind(kind)):
            continue
        if not ctx.has(start, kind) and any(ctx.has(start, k) for k in _RIVALS[kind]):
            score -= 0.1  # "身份证号码…" followed by a mobile-shaped piece of the ID
        if best is None or score > best.score:
            best = Hit(kind, start, end, score)
    return best


def _context_kind(kind: str) -> str:
    return "phone" if kind == "landline" else kind


def _readings(ctx: ContextCache, digits: str, start: int) -> list[tuple[str, float]]:
    if digits[-1] in "x叉":
        return [("id_number", _id_score(ctx, digits[:-1] + "X", start))]
    n = len(digits)
    out: list[tuple[str, float]] = []
    if n in (15, 18):
        out.append(("id_number", _id_score(ctx, digits, start)))
    if 16 <= n <= 19 and not (n == 18 and _id_shaped(digits) and not ctx.has(start, "bank_card")):
        out.append(("bank_card", _card_score(ctx, digits, start)))
    if n in (11, 13, 15) and v.mobile_valid(v.strip_country_code(digits)):
        out.append(("phone", 0.97 if ctx.has(start, "phone") else 0.9))
    elif n in (11, 12) and v.landline_valid(digits):
        out.append(("phone", 0.9 if ctx.has(start, "phone") else 0.8))
    elif n in (7, 8) and digits[0] in "23456789" and ctx.has(start, "landline", 8):
        out.append(("phone", 0.6))
    return out


def _id_score(ctx: ContextCache, digits: str, start: int) -> float:
    context = ctx.has(start, "id_number")
    score = v.id18_score(digits) if len(digits) == 18 else v.id15_score(digits)
    if score:
        return min(0.99, score + 0.02) if context else score
    if context and len(digits) == 18 and _id_shaped(digits):
        return 0.6  # check digit wrong (misread, typo) but clearly an ID in context
    return 0.0


def _id_shaped(digits: str) -> bool:
    year, month, day = int(digits[6:10]), int(digits[10:12]), int(digits[12:14])
    plausible_date = 1900 <= year <= 2099 and v.valid_date(year, month, day)
    return digits[:2] in v.ID_PROVINCES and plausible_date


def _card_score(ctx: ContextCache, digits: str, start: int) -> float:
    context = ctx.has(start, "bank_card")
    score = v.bank_card_score(digits)
    if len(digits) == 18 and not context and not digits.startswith(("62", "60", "9")):
        return 0.0  # 18-digit cards are rare outside UnionPay; ID-like numbers are not
    if score >= 0.9:
        return 0.97 if context else score
    if context:
        # Luhn-valid with an unknown BIN, or a UnionPay-looking number failing Luhn (misread).
        return 0.7 if score else (0.6 if digits.startswith(("62", "4", "5")) else 0.0)
    return 0.0


def _with_plus(text: str, hit: Hit) -> Hit:
    if hit.type == "phone" and hit.start > 0 and text[hit.start - 1] == "+":
        return Hit(hit.type, hit.start - 1, hit.end, hit.score)
    return hit


def _with_extension(text: str, hit: Hit, groups: list[tuple[int, int]], last: int) -> Hit:
    if hit.type != "phone" or text[hit.start] != "0" or text.startswith("0086", hit.start):
        return hit
    if last + 1 < len(groups) and groups[last + 1][1] - groups[last + 1][0] <= 5:
        return Hit(hit.type, hit.start, groups[last + 1][1], hit.score)
    ext = _EXTENSION.match(text, hit.end)
    return Hit(hit.type, hit.start, ext.end(), hit.score) if ext else hit
