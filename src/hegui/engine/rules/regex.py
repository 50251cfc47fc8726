"""Rule regexes: RE2 syntax and semantics, so that matching an utterance takes time
linear in its length whatever the pattern — `(保+)+本` cannot hang the engine.

A pattern RE2 cannot run in linear time (lookaround, backreference, atomic group,
possessive quantifier) is refused when the pack is loaded, with the construct named.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import islice
from typing import Any

import re2

from hegui.engine.normalise import KEEP_PUNCT

Span = tuple[int, int]

# `finditer` searches afresh after each match, and one search may read to the end of the
# text (`保.*?本|保` on 保保保…); capping the matches keeps an utterance's cost linear.
MAX_OCCURRENCES = 256

_OPTIONS = re2.Options()
_OPTIONS.case_sensitive = False
_OPTIONS.log_errors = False  # RE2 would print parse errors to stderr; we raise them
_SURROGATE = re.compile("[\ud800-\udfff]")

# RE2's error text → the construct, in Chinese and English, and what to write instead.
_LOOKAHEAD = "先行断言 lookahead (?=…) (?!…); 可改用 except 或 none 条件 use except/none"
_LOOKBEHIND = "后行断言 lookbehind (?<=…) (?<!…); 可改用 except 或 negation use except/negation"
_POSSESSIVE = "占有量词 possessive quantifier (*+ ++ ?+)"
_CONSTRUCTS: tuple[tuple[str, str], ...] = (
    ("(?=", _LOOKAHEAD),
    ("(?!", _LOOKAHEAD),
    ("(?<=", _LOOKBEHIND),
    ("(?<!", _LOOKBEHIND),
    ("(?P", "命名反向引用 named backreference (?P=…)"),
    ("(?>", "原子组 atomic group (?>…)"),
    ("(?#", "注释 comment (?#…)"),
    ("(?x", "宽松模式 verbose flag (?x)"),
    ("escape sequence: \\Z", "\\Z; 请用 use \\z or $"),
    ("escape sequence: \\u", "\\uXXXX; 请用 use \\x{4e00} or \\p{Han}"),
    ("repetition operator: *+", _POSSESSIVE),
    ("repetition operator: ++", _POSSESSIVE),
    ("repetition operator: ?+", _POSSESSIVE),
)
_LIMITS: tuple[tuple[str, str], ...] = (
    ("repetition size", "重复次数最多 1000 repeat counts are at most 1000"),
    ("pattern too large", "正则过大 pattern too large for RE2's memory limit"),
)
_WHY = "(规则正则用 RE2 以保证线性时间 rule regexes run on RE2, in linear time)"
_BACKREF = re.compile(r"escape sequence: \\[1-9]")
_EMPTY_BRACES = re.compile(r"\{,\d*\}")
_POSIX_CLASS = re.compile(r"\[:\^?[a-z]+:\]")


class RegexRejected(ValueError):
    """A rule regex that cannot be used; the message names the construct, bilingually."""


class RulePattern:
    """A compiled rule regex: linear-time search, spans in characters of the text.

    `guards`: the punctuation a negated class of the pattern excludes (`[^，。]{0,6}`:
    "within one clause") that the compact text the pattern runs on no longer has. The
    pattern cannot see those marks, so the engine runs it on the pieces of the compact
    text between them (`conditions._pieces`).
    """

    __slots__ = ("_compiled", "guards", "source")

    def __init__(self, source: str, compiled: Any) -> None:
        self.source = source
        self._compiled = compiled
        self.guards = excluded_marks(source)

    def spans(self, text: str) -> list[Span]:
        """Non-empty matches, left to right, at most MAX_OCCURRENCES of them."""
        try:
            return self._spans(text)
        except UnicodeEncodeError:  # a lone surrogate from JSON: same length, valid UTF-8
            return self._spans(_SURROGATE.sub("\ufffd", text))

    def _spans(self, text: str) -> list[Span]:
        found = (m.span() for m in self._compiled.finditer(text) if m.end() > m.start())
        return list(islice(found, MAX_OCCURRENCES))


@lru_cache(maxsize=4096)
def compile_rule_regex(pattern: str) -> RulePattern:
    """Compile `pattern` (case-insensitive) or raise RegexRejected saying why."""
    problem = _python_reading(pattern) or _mixed_guards(pattern)
    if problem is not None:
        raise RegexRejected(f"正则 {pattern!r} 无法使用 / regex rejected: {problem}")
    try:
        compiled = re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        raise RegexRejected(
            f"正则 {pattern!r} 无法使用 / regex rejected: {_explain(exc)}"
        ) from None
    if compiled.match("") is not None:
        raise RegexRejected(f"正则可匹配空串 regex {pattern!r} matches the empty string")
    return RulePattern(pattern, compiled)


# A clause mark and its other width: "[^，]" must also stop at "," (the text may have either).
_WIDTHS = {",": "，", "，": ",", ";": "；", "；": ";", "?": "？", "？": "?", "!": "！", "！": "!"}


def excluded_marks(pattern: str) -> frozenset[str]:
    """Punctuation named literally inside the pattern's negated classes `[^…]`, in both
    widths, less the marks the compact text keeps (those the pattern sees for itself).
    Only literal characters count: an escape such as `\\x{3002}` or `\\p{P}` names no mark."""
    return frozenset().union(*_negated_classes(pattern))


def _negated_classes(pattern: str) -> list[set[str]]:
    """Per negated class of the pattern, the dropped punctuation it names."""
    classes: list[set[str]] = []
    at = pattern.find("[^")
    while at >= 0:
        marks: set[str] = set()
        i = at + 2
        while i < len(pattern) and (pattern[i] != "]" or i == at + 2):
            if pattern[i] == "\\":
                i += 2
                continue
            ch = pattern[i]
            if unicodedata.category(ch).startswith("P"):
                marks.update(m for m in (ch, _WIDTHS.get(ch, ch)) if m not in KEEP_PUNCT)
            i += 1
        classes.append(marks)
        at = pattern.find("[^", i)
    return classes


def _mixed_guards(pattern: str) -> str | None:
    """A guard holds for the whole pattern (it is searched clause by clause), so two
    negated classes naming different clause marks cannot both be honoured."""
    named = {frozenset(c) for c in _negated_classes(pattern) if c}
    if len(named) > 1:
        shown = " / ".join("[^" + "".join(sorted(c)) + "]" for c in sorted(named, key=sorted))
        return (
            f"否定字符类排除的标点不一致 negated classes exclude different clause marks ({shown}): "
            "整个正则按分句匹配，请拆成两条 the whole pattern is matched clause by clause; "
            "split it in two"
        )
    return None


def _explain(exc: Exception) -> str:
    raw = exc.args[0] if exc.args else ""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    if _BACKREF.search(text):
        return f"不支持 unsupported: 反向引用 backreference \\1…\\9 {_WHY}"
    for needle, construct in _CONSTRUCTS:
        if needle in text:
            return f"不支持 unsupported: {construct} {_WHY}"
    for needle, limit in _LIMITS:
        if needle in text:
            return limit
    return f"语法错误 invalid syntax: {text}"


def _python_reading(pattern: str) -> str | None:
    """Constructs RE2 accepts but reads differently from Python, where users learnt regex."""
    at, class_start = 0, -1
    while at < len(pattern):
        ch = pattern[at]
        if ch == "\\":
            if pattern[at + 1 : at + 2] == "C":
                return "\\C 匹配单个字节 matches a single byte and would split characters"
            at += 2
            continue
        if class_start >= 0:
            posix = _POSIX_CLASS.match(pattern, at)
            if posix is not None:
                at = posix.end()
                continue
            first = class_start + (2 if pattern[class_start + 1 : class_start + 2] == "^" else 1)
            if ch == "]" and at > first:
                class_start = -1
        elif ch == "[":
            class_start = at
        elif ch == "{" and _EMPTY_BRACES.match(pattern, at):
            return "{,n} 在 RE2 中是字面量 is literal text in RE2: 写 write {0,n}"
        at += 1
    return None
