"""Chinese word frequencies from jieba's dictionary, for the engine's sound-alike matching.

Loaded once per process, when first asked for (about 0.4 s), and then shared: reading it
is safe from any thread.
"""

from __future__ import annotations

import threading
from importlib import resources

MAX_LEN = 4


class JiebaLexicon:
    def __init__(self) -> None:
        self._freq = self._load()

    @staticmethod
    def _load() -> dict[str, int]:
        freq: dict[str, int] = {}
        text = resources.files("jieba").joinpath("dict.txt").read_text("utf-8")
        for line in text.splitlines():
            word, count, *_ = line.split(" ")
            if 2 <= len(word) <= MAX_LEN:
                freq[word] = int(count)
        return freq

    def __call__(self, word: str) -> int:
        return self._freq.get(word, 0)


_default: JiebaLexicon | None = None
_lock = threading.Lock()


def default_lexicon() -> JiebaLexicon:
    global _default
    with _lock:
        if _default is None:
            _default = JiebaLexicon()
        return _default
