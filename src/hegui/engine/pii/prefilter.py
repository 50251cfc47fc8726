"""The detector's prefilter: whether a text could hold any wanted PII at all. Most
utterances hold none and cost only this: one regular expression (the recognizers' patterns)
and one Aho-Corasick pass (their words, in every spelling that normalises to them)."""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterable

import ahocorasick_rs

from hegui.engine.normalise import DROP, char_table

_lock = threading.Lock()
_spellings: dict[str, frozenset[str]] = {}


def spellings(char: str) -> frozenset[str]:
    """Every char the normaliser folds to `char` (traditional, full-width, upper case)."""
    with _lock:  # built once, by whichever detector is made first
        if not _spellings:
            inverse: dict[str, set[str]] = {}
            for cp, folded in char_table(True).items():
                if folded != DROP and len(folded) == 1:
                    inverse.setdefault(folded, set()).add(chr(cp))
            _spellings.update({k: frozenset(v) for k, v in inverse.items()})
    return _spellings.get(char, frozenset()) | {char}


def word_spellings(word: str) -> set[str]:
    """`word` in every spelling that normalises to it: 户名 → 户名, 戶名."""
    return {"".join(chars) for chars in itertools.product(*(sorted(spellings(c)) for c in word))}


# A figure, as any spelling may write it: a digit (full-width too), two Chinese or formal
# numerals in a row, maybe with ASR's pauses between (三万, 三 万, 一千二), or one before 块 /
# 元 (七块五); not 一下, 一个.
_NUMERALS = "零〇一二三四五六七八九十百千万亿两幺壹贰叁肆伍陆柒捌玖拾佰仟貳參陸"
FIGURE = re.compile(f"[0-9０-９]|[{_NUMERALS}][\\s，,、]*[{_NUMERALS}块塊元圆圓]")


def _automaton(words: Iterable[str]) -> ahocorasick_rs.AhoCorasick | None:
    strings = sorted({s for w in set(words) if w for s in word_spellings(w)})
    return ahocorasick_rs.AhoCorasick(strings) if strings else None


class Prefilter:
    """Matches where any pattern matches or any word stands, in any spelling; or where one
    of the `figure_words` stands in a text that also holds a figure (`FIGURE`): words too
    common to admit a text alone (卡, 账户, 理财 for an account balance)."""

    def __init__(
        self, patterns: Iterable[str], words: Iterable[str], figure_words: Iterable[str] = ()
    ) -> None:
        unique = list(dict.fromkeys(p for p in patterns if p))
        self.pattern = re.compile("|".join(unique)) if unique else None
        self.words = _automaton(words)
        self.figure_words = _automaton(figure_words)

    def search(self, text: str) -> bool:
        if self.pattern is not None and self.pattern.search(text) is not None:
            return True
        if self.words is not None and self.words.find_matches_as_indexes(text):
            return True
        return (
            self.figure_words is not None
            and FIGURE.search(text) is not None
            and bool(self.figure_words.find_matches_as_indexes(text))
        )


def compile_prefilter(
    patterns: Iterable[str], words: Iterable[str], figure_words: Iterable[str] = ()
) -> Prefilter:
    return Prefilter(patterns, words, figure_words)
