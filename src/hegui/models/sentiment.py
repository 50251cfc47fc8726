"""The shipped sentiment model (`sentiment.npz`), loaded once per process.

Trained by scripts/train_sentiment.py (recipe: training/sentiment/README.md; evaluation:
training/sentiment/REPORT.md). Its word features need a segmenter; this module hands
the engine jieba's (a dependency already), with jieba's own dictionary and no HMM, so the
words are the same at training and at run time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from importlib import resources

from hegui.engine.sentiment.model import SentimentModel
from hegui.engine.textmodel import ModelFormatError

SENTIMENT_FILE = "sentiment.npz"

_lock = threading.Lock()
_model: SentimentModel | None = None
_cut: Callable[[str], list[str]] | None = None


def jieba_tokenizer() -> Callable[[str], list[str]]:
    """jieba's segmenter (dictionary mode, no HMM), initialised once per process."""
    global _cut
    with _lock:
        if _cut is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()

            def cut(text: str) -> list[str]:
                words: list[str] = tokenizer.lcut(text, HMM=False)
                return words

            _cut = cut
        return _cut


def sentiment_bytes() -> bytes:
    return resources.files("hegui.models").joinpath(SENTIMENT_FILE).read_bytes()


def sentiment_model() -> SentimentModel:
    """The shipped sentiment model with its tokenizer (thread-safe, loaded once)."""
    global _model
    tokenizer = jieba_tokenizer()
    with _lock:
        if _model is None:
            try:
                _model = SentimentModel.from_bytes(sentiment_bytes(), tokenizer)
            except (OSError, ModelFormatError) as exc:
                raise RuntimeError(
                    f"情绪模型无法加载 the shipped sentiment model cannot be loaded: {exc}"
                ) from exc
        return _model
