"""Homophone patterns for ASR mishearings: 保本 also matches 包本, 收益 also 受益.

Only common characters (GB 2312 level 1) with the same toneless main reading are
admitted, so a keyword never widens to rare characters or to other syllables.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin.pinyin_dict import pinyin_dict


def _toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ü", "v")


def _is_common(char: str) -> bool:
    try:
        code = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and 0xB0A1 <= int.from_bytes(code, "big") <= 0xD7F9


@lru_cache(maxsize=1)
def _by_syllable() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for cp, readings in pinyin_dict.items():
        char = chr(cp)
        if _is_common(char):
            index.setdefault(_toneless(readings.split(",")[0]), set()).add(char)
    return {k: frozenset(v) for k, v in index.items()}


def main_syllable(char: str) -> str | None:
    readings = pinyin_dict.get(ord(char))
    return _toneless(readings.split(",")[0]) if readings else None


def homophones(char: str) -> frozenset[str]:
    """Common characters read like `char` (including `char` itself)."""
    syllable = main_syllable(char)
    if syllable is None:
        return frozenset(char)
    return _by_syllable().get(syllable, frozenset()) | {char}


def homophone_regex(phrase: str) -> str:
    """A regex matching `phrase` with each Chinese char replaced by its homophone class."""
    parts = []
    for char in phrase:
        options = homophones(char)
        if len(options) == 1:
            parts.append(re.escape(char))
        else:
            parts.append("[" + "".join(sorted(options)) + "]")
    return "".join(parts)


@lru_cache(maxsize=1)
def canonical_table() -> dict[int, str]:
    """Each common character → one representative of its homophone class (1:1, so
    offsets in the canonical text equal offsets in the text)."""
    table: dict[int, str] = {}
    for chars in _by_syllable().values():
        representative = min(chars)
        for char in chars:
            if char != representative:
                table[ord(char)] = representative
    return table


def canonical(text: str) -> str:
    """The text as it sounds: homophones of common characters collapse to one character."""
    return text.translate(canonical_table())
