"""Chinese word frequencies from jieba's dictionary, for the engine's sound-alike matching.

Loaded once per process, when first asked for (about 0.4 s), and then shared: reading it
is safe from any thread.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from importlib import resources

MAX_LEN = 4


# "word count tag" lines; words of 2..MAX_LEN characters (counts kept as text until asked).
_ENTRY = re.compile(rf"^(\S{{2,{MAX_LEN}}}) (\d+)", re.M)


class JiebaLexicon:
    def __init__(self) -> None:
        text = resources.files("jieba").joinpath("dict.txt").read_text("utf-8")
        self._freq: dict[str, str] = dict(_ENTRY.findall(text))

    def __call__(self, word: str) -> int:
        count = self._freq.get(word)
        return 0 if count is None else int(count)

    def items(self) -> Iterator[tuple[str, int]]:
        """Every word with its frequency."""
        return ((word, int(count)) for word, count in self._freq.items())


_default: JiebaLexicon | None = None
_lock = threading.Lock()


def default_lexicon() -> JiebaLexicon:
    global _default
    with _lock:
        if _default is None:
            _default = JiebaLexicon()
        return _default
