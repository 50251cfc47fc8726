"""Pattern entities with checks: email, IP, passport, travel permits, plates, credit codes.

All patterns read the case-folded normalised view, so full-width and upper-case forms match.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hegui.engine.pii import validators as v
from hegui.engine.pii.context import has_context
from hegui.engine.pii.view import Hit, View, make_loose_view

_EMAIL = re.compile(
    r"(?<![a-z0-9._%+-])[a-z0-9][a-z0-9._%+-]*@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
    r"(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,10}(?![a-z0-9-])"
)
# Emails as ASR writes them: "zhangsan艾特163点com", "zhang.san at qq dot com".
# Separators are points or spaced words, never letters, so no two ways to split a name
# exist and matching stays linear.
_SAID_DOT = r"(?:\s*点\s*|\s+dot\s+|\s*\.\s*)"
_SPOKEN_EMAIL = re.compile(
    rf"(?<![a-z0-9._-])[a-z0-9][a-z0-9_-]*(?:{_SAID_DOT}[a-z0-9][a-z0-9_-]*)*"
    rf"(?:\s*艾特\s*|\s*圈a\s*|\s+at\s+)[a-z0-9][a-z0-9-]*"
    rf"(?:{_SAID_DOT}[a-z0-9][a-z0-9-]*)*{_SAID_DOT}(?:com|cn|net|org)(?![a-z0-9])"
)
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = re.compile(rf"(?<![0-9.v])(?:{_OCTET}\.){{3}}{_OCTET}(?![0-9]|\.[0-9])")
_IPV6 = re.compile(r"(?<![0-9a-f:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![0-9a-f:])")
_PASSPORT = re.compile(
    r"(?<![0-9a-z])(?:[eg][0-9]{8}|e[a-hj-np-z][0-9]{7}|[dsp]e[0-9]{7})(?![0-9a-z])"
)
_PERMIT = re.compile(
    r"(?<![0-9a-z])(?:[hm][0-9]{8}(?:[0-9]{2})?|c[0-9a-hj-np-z][0-9]{7}|l[0-9]{8})(?![0-9a-z])"
)
_TAIWAN_PERMIT = re.compile(
    r"(?:台胞证|台湾居民来往大陆通行证)(?:号码?)?[:：\s]*(?:是|为)?[:：\s]*"
    r"([0-9]{8}|[0-9]{10}[a-z]?)(?![0-9a-z])"
)
_PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][a-hj-np-z][·•・.\s-]?"
    r"(?:[df][0-9a-hj-np-z][0-9]{4}|[0-9]{5}[df]|[0-9a-hj-np-z]{4}[0-9a-hj-np-z挂学警港澳])"
    r"(?![0-9a-z])"
)
_CREDIT = re.compile(r"(?<![0-9a-z])[0-9a-hj-np-rtuwxy]{18}(?![0-9a-z])")
_URL = re.compile(
    r"(?:https?://|www\.)[a-z0-9\-._~:/?#@!$&'*+=%]+"
    r"|(?<![a-z0-9.-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|io|gov|edu|html?)"
    r"(?::[0-9]+)?/[a-z0-9\-._~:/?#@!$&'*+=%]*"
)


def url_spans(compact: View) -> list[tuple[int, int]]:
    """URLs, in original coordinates; read with punctuation kept, so the digits before a
    dropped comma do not become part of the host name."""
    if "/" not in compact.text and "www" not in compact.text:
        return []
    view = make_loose_view(compact.original)
    return [view.to_original(*m.span()) for m in _URL.finditer(view.text)]


def pattern_hits(compact: View) -> tuple[View, list[Hit]]:
    """Hits in coordinates of the returned view, which keeps punctuation: a dropped comma
    must not glue an email's domain to the digits after it."""
    if not any(needs(compact.text) for _, _, _, needs in _SIMPLE) and "台" not in compact.text:
        return compact, []
    view = make_loose_view(compact.original)
    text = view.text
    hits: list[Hit] = []
    for kind, pattern, score_of, needs in _SIMPLE:
        if not needs(text):
            continue
        for m in pattern.finditer(text):
            score = score_of(text, m)
            if score > 0:
                hits.append(Hit(kind, m.start(), m.end(), score))
    for m in _TAIWAN_PERMIT.finditer(text) if "台" in text else ():
        hits.append(Hit("travel_permit", m.start(1), m.end(1), 0.9))
    return view, hits


def _email_score(text: str, m: re.Match[str]) -> float:
    return 0.95


def _spoken_email_score(text: str, m: re.Match[str]) -> float:
    return 0.8


def _ip_score(text: str, m: re.Match[str]) -> float:
    before = text[max(0, m.start() - 4) : m.start()]
    return 0.0 if "版本" in before or before.endswith("v") else 0.9


def _with_context(kind: str, base: float) -> Callable[[str, re.Match[str]], float]:
    def score(text: str, m: re.Match[str]) -> float:
        return min(0.99, base + 0.2) if has_context(text, m.start(), kind) else base

    return score


def _plate_score(text: str, m: re.Match[str]) -> float:
    tail = m.group()[2:]
    return 0.85 if sum(c.isdigit() for c in tail) >= 3 else 0.0


def _credit_score(text: str, m: re.Match[str]) -> float:
    if not v.credit_code_valid(m.group()):
        return 0.0
    if has_context(text, m.start(), "credit_code"):
        return 0.99
    return 0.0 if m.group().isdigit() else 0.9  # all digits: only where the context says so


_ASCII_LETTER = re.compile(r"[a-z]")
_PLATE_START = re.compile(r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][a-z]")


def _has_letter(text: str) -> bool:
    return _ASCII_LETTER.search(text) is not None


def _maybe_credit_code(text: str) -> bool:
    """A letter in the text, or a word saying the digits are a code (all-digit codes)."""
    return _has_letter(text) or any(w in text for w in ("代码", "税号", "执照", "识别号"))


_Scorer = Callable[[str, re.Match[str]], float]
_SIMPLE: tuple[tuple[str, re.Pattern[str], _Scorer, Callable[[str], bool]], ...] = (
    ("email", _EMAIL, _email_score, lambda t: "@" in t),
    ("email", _SPOKEN_EMAIL, _spoken_email_score, lambda t: "艾特" in t or "at" in t or "圈a" in t),
    ("ip_address", _IPV4, _ip_score, lambda t: "." in t),
    ("ip_address", _IPV6, _ip_score, lambda t: ":" in t),
    ("passport", _PASSPORT, _with_context("passport", 0.75), _has_letter),
    ("travel_permit", _PERMIT, _with_context("travel_permit", 0.75), _has_letter),
    ("license_plate", _PLATE, _plate_score, lambda t: _PLATE_START.search(t) is not None),
    ("credit_code", _CREDIT, _credit_score, lambda t: len(t) >= 18 and _maybe_credit_code(t)),
)
