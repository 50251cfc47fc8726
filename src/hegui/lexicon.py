"""Chinese word frequencies from jieba's dictionary, for the engine's sound-alike matching.

Loaded on first use (about 0.4 s), only when a homophone hit needs judging.
"""

from __future__ import annotations

from importlib import resources

MAX_LEN = 4


class JiebaLexicon:
    def __init__(self) -> None:
        self._freq: dict[str, int] | None = None

    def _load(self) -> dict[str, int]:
        freq: dict[str, int] = {}
        text = resources.files("jieba").joinpath("dict.txt").read_text("utf-8")
        for line in text.splitlines():
            word, count, *_ = line.split(" ")
            if 2 <= len(word) <= MAX_LEN:
                freq[word] = int(count)
        return freq

    def __call__(self, word: str) -> int:
        if self._freq is None:
            self._freq = self._load()
        return self._freq.get(word, 0)


_default: JiebaLexicon | None = None


def default_lexicon() -> JiebaLexicon:
    global _default
    if _default is None:
        _default = JiebaLexicon()
    return _default
