"""The detector's prefilter: one regular expression over the original text, the union of
its recognizers' prefilters. Most utterances hold no PII and cost this one search."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

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


def word_pattern(word: str) -> str:
    """A regex matching `word` in any spelling that normalises to it: 户名 → [户戶]名."""
    parts = []
    for char in word:
        variants = sorted(spellings(char))
        escaped = "".join(re.escape(c) for c in variants)
        parts.append(escaped if len(variants) == 1 else f"[{escaped}]")
    return "".join(parts)


def compile_prefilter(patterns: Iterable[str], words: Iterable[str]) -> re.Pattern[str]:
    """A regex matching where any pattern matches or any word stands in any spelling."""
    alternatives = dict.fromkeys(p for p in patterns if p)
    alternatives.update(dict.fromkeys(word_pattern(w) for w in sorted(set(words), key=len)))
    if not alternatives:
        return re.compile(r"(?!)")
    return re.compile("|".join(f"(?:{p})" for p in alternatives))
