"""Sound-alike matching for ASR mishearings: 保本 also matches 包本, 收益 also 受益.

Text and keyword are both projected onto one representative character per toneless
main reading; only common characters (GB 2312 level 1) take part, so a keyword never
widens to rare characters or to other syllables.
"""

from __future__ import annotations

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
