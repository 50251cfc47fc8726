"""hegui's sentiment model: per utterance, polarity, emotion and the agent's tone.

Linear heads over the same hashed features (character 1–3-grams of the normalised
text, and word 1–2-grams when the layer above hands in a tokenizer):

- polarity: negative / neutral / positive, a multinomial model (softmax over classes);
- emotion: anger, disgust, fear, sadness, happiness, surprise, neutral (softmax);
- tone: rude, impatient, cold — one-vs-rest, each Platt-calibrated on its own, for agents;
- review (optional): one logistic class, P(positive | the text is positive or negative),
  trained on written reviews. On texts of at least `min_chars` characters it is mixed
  into the polarity head's split between positive and negative (see `mix_review`); the
  neutral mass stays the polarity head's own.

Each head is a `LinearModel` (hegui.engine.textmodel); the file is an .npz (no pickles)
holding the heads' own .npz bytes and a JSON header. Trained by
scripts/train_sentiment.py; evaluated in training/sentiment/REPORT.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hegui.engine.normalise import normalise
from hegui.engine.textmodel.linear import (
    LinearModel,
    ModelFormatError,
    read_arrays,
    write_arrays,
)
from hegui.engine.textmodel.words import (
    Tokenizer,
    WordNgrams,
    bucket_margins,
    softmax,
    text_buckets,
)

FORMAT = "hegui.sentiment/1"
POLARITIES = ("negative", "neutral", "positive")
EMOTIONS = ("anger", "disgust", "fear", "sadness", "happiness", "surprise", "neutral")
TONES = ("rude", "impatient", "cold")
REVIEW = ("positive",)


@dataclass(frozen=True, slots=True)
class Reading:
    """The model's reading of one utterance: probabilities per polarity and per emotion
    (each summing to 1), and a calibrated score per agent tone (each 0..1 on its own)."""

    polarity: Mapping[str, float]
    emotion: Mapping[str, float]
    tone: Mapping[str, float] = field(default_factory=dict)

    @property
    def negative(self) -> float:
        return self.polarity.get("negative", 0.0)

    @property
    def anger(self) -> float:
        return self.emotion.get("anger", 0.0)

    @property
    def top_polarity(self) -> str:
        return max(POLARITIES, key=lambda k: self.polarity.get(k, 0.0))

    @property
    def top_emotion(self) -> str:
        return max(EMOTIONS, key=lambda k: self.emotion.get(k, 0.0))

    def to_dict(self) -> dict[str, Any]:
        """The `hegui sentiment` line: polarity, P(negative), top emotion, P(anger)."""
        return {
            "polarity": self.top_polarity,
            "negative": round(self.negative, 4),
            "emotion": self.top_emotion,
            "anger": round(self.anger, 4),
        }


EMPTY = Reading(
    polarity={p: float(p == "neutral") for p in POLARITIES},
    emotion={e: float(e == "neutral") for e in EMOTIONS},
    tone=dict.fromkeys(TONES, 0.0),
)


def mix_review(
    polarity: NDArray[np.float64], positive: float, weight: float
) -> NDArray[np.float64]:
    """The 3-way polarity with its positive/negative split mixed with a review head's
    P(positive): split = weight · (the 3-way head's own split) + (1 − weight) · positive.
    The neutral mass is kept; the result sums to 1 as the input does."""
    neg, neu, pos = (float(v) for v in polarity)
    polar = neg + pos
    own = pos / polar if polar > 0.0 else 0.5
    split = weight * own + (1.0 - weight) * positive
    return np.array([polar * (1.0 - split), neu, polar * split])


class SentimentModel:
    """Scores utterances; immutable once built, so one instance serves every thread."""

    def __init__(
        self,
        polarity: LinearModel,
        emotion: LinearModel,
        tone: LinearModel,
        words: WordNgrams | None = None,
        tokenizer: Tokenizer | None = None,
        meta: Mapping[str, Any] | None = None,
        review: LinearModel | None = None,
    ) -> None:
        heads = [(polarity, POLARITIES), (emotion, EMOTIONS), (tone, TONES)]
        if review is not None:
            heads.append((review, REVIEW))
        for head, want in heads:
            if head.classes != want:
                raise ModelFormatError(f"head classes {head.classes} != {want} / 类别不符")
        dims = polarity.featurizer
        if any(head.featurizer != dims for head, _ in heads):
            raise ModelFormatError("the heads must share one featurizer / 特征须一致")
        if words is not None and words.dims != dims.dims:
            raise ModelFormatError("word and character features must share one hash space")
        self.polarity, self.emotion, self.tone = polarity, emotion, tone
        self.words, self.tokenizer = words, tokenizer
        self.meta: Mapping[str, Any] = dict(meta or {})
        self._t_pol = float(polarity.meta.get("temperature", 1.0))
        self._t_emo = float(emotion.meta.get("temperature", 1.0))
        self.review = review
        self._review_weight = 1.0
        self._review_min_chars = 0
        if review is not None:
            weight = review.meta.get("weight")
            chars = review.meta.get("min_chars", 0)
            if not isinstance(weight, (int, float)) or not 0.0 <= weight <= 1.0:
                raise ModelFormatError("review head: weight must be a number in 0..1")
            if not isinstance(chars, int) or chars < 0:
                raise ModelFormatError("review head: min_chars must be a whole number ≥ 0")
            self._review_weight, self._review_min_chars = float(weight), chars

    @property
    def uses_words(self) -> bool:
        return self.words is not None

    def with_tokenizer(self, tokenizer: Tokenizer) -> SentimentModel:
        return SentimentModel(
            self.polarity, self.emotion, self.tone, self.words, tokenizer, self.meta, self.review
        )

    def read(self, text: str) -> Reading:
        """The reading of an utterance's original text."""
        return self.read_compact(normalise(text).text)

    def read_compact(self, compact: str) -> Reading:
        """The reading of a text already normalised (hegui.engine.normalise)."""
        if not compact:
            return EMPTY
        if self.words is not None and self.tokenizer is None:
            raise RuntimeError("this model needs a word tokenizer / 该模型需要分词器")
        found = text_buckets(self.polarity, compact, self.words, self.tokenizer)
        pol = softmax(bucket_margins(self.polarity, found), self._t_pol)
        if self.review is not None and len(compact) >= self._review_min_chars:
            positive = float(self.review.calibrate(bucket_margins(self.review, found))[0])
            pol = mix_review(pol, positive, self._review_weight)
        emo = softmax(bucket_margins(self.emotion, found), self._t_emo)
        tone = self.tone.calibrate(bucket_margins(self.tone, found))
        return Reading(
            polarity={c: float(p) for c, p in zip(POLARITIES, pol, strict=True)},
            emotion={c: float(p) for c, p in zip(EMOTIONS, emo, strict=True)},
            tone={c: float(p) for c, p in zip(TONES, tone, strict=True)},
        )

    # -- serialisation ---------------------------------------------------------------

    def to_bytes(self) -> bytes:
        header = {
            "format": FORMAT,
            "words": self.words.to_dict() if self.words is not None else None,
            "meta": dict(self.meta),
        }
        arrays = {
            "header": np.frombuffer(json.dumps(header, ensure_ascii=False).encode(), np.uint8),
            "polarity": np.frombuffer(self.polarity.to_bytes(), np.uint8),
            "emotion": np.frombuffer(self.emotion.to_bytes(), np.uint8),
            "tone": np.frombuffer(self.tone.to_bytes(), np.uint8),
        }
        if self.review is not None:
            arrays["review"] = np.frombuffer(self.review.to_bytes(), np.uint8)
        return write_arrays(arrays, compressed=False)

    @classmethod
    def from_bytes(cls, data: bytes, tokenizer: Tokenizer | None = None) -> SentimentModel:
        read = read_arrays(data, "not a sentiment model / 不是情绪模型文件")
        arrays = {name: bytes(array) for name, array in read.items()}
        try:
            header = json.loads(arrays["header"].decode("utf-8"))
            if header.get("format") != FORMAT:
                raise ModelFormatError(f"unsupported model format {header.get('format')!r}")
            words = WordNgrams.from_dict(header["words"]) if header.get("words") else None
            return cls(
                LinearModel.from_bytes(arrays["polarity"]),
                LinearModel.from_bytes(arrays["emotion"]),
                LinearModel.from_bytes(arrays["tone"]),
                words,
                tokenizer,
                header.get("meta", {}),
                LinearModel.from_bytes(arrays["review"]) if "review" in arrays else None,
            )
        except ModelFormatError:
            raise
        except (KeyError, ValueError, TypeError, UnicodeDecodeError) as exc:
            raise ModelFormatError(
                f"sentiment model is incomplete / 模型文件不完整: {exc!r}"
            ) from None
