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
- stack (optional, instead of the review head): the review-polarity ensemble of
  `ReviewStack`. On texts of at least `min_chars` characters P(positive | positive or
  negative) is the mean of three parts: (a) 0.5 × the polarity head's own split + 0.5 ×
  two per-domain review heads (hotel, delivery) weighted by a domain head's P(hotel);
  (b) the mean of small MLPs over the same buckets (`HashedMLP`); (c) the mean of
  character CNNs (hegui.engine.sentiment.charcnn). The neutral mass stays the polarity
  head's own.

Each head is a `LinearModel` (hegui.engine.textmodel); the file is an .npz (no pickles)
holding the heads' own .npz bytes (int8 linear weights, float16 CNNs) and a JSON header
(format `hegui.sentiment/2`; older files are refused with a message saying so). Trained by
scripts/train_sentiment.py; evaluated in training/sentiment/REPORT.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from hegui.engine.normalise import normalise
from hegui.engine.sentiment.charcnn import CharCNN, CharCNNMean
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

FORMAT = "hegui.sentiment/2"
OLD_FORMATS = ("hegui.sentiment/1",)
POLARITIES = ("negative", "neutral", "positive")
EMOTIONS = ("anger", "disgust", "fear", "sadness", "happiness", "surprise", "neutral")
TONES = ("rude", "impatient", "cold")
REVIEW = ("positive",)
DOMAIN = ("hotel",)


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


def own_split(polarity: NDArray[np.float64]) -> float:
    """P(positive | positive or negative) of a 3-way polarity (0.5 without polar mass)."""
    polar = float(polarity[0] + polarity[2])
    return float(polarity[2]) / polar if polar > 0.0 else 0.5


def with_split(polarity: NDArray[np.float64], split: float) -> NDArray[np.float64]:
    """The 3-way polarity with its polar mass divided as `split` (positive share); the
    neutral mass is kept, so the result sums to 1 as the input does."""
    neg, neu, pos = (float(v) for v in polarity)
    polar = neg + pos
    return np.array([polar * (1.0 - split), neu, polar * split])


def mix_review(
    polarity: NDArray[np.float64], positive: float, weight: float
) -> NDArray[np.float64]:
    """The 3-way polarity with its positive/negative split mixed with a review head's
    P(positive): split = weight · (the 3-way head's own split) + (1 − weight) · positive.
    The neutral mass is kept; the result sums to 1 as the input does."""
    split = weight * own_split(polarity) + (1.0 - weight) * positive
    return with_split(polarity, split)


def sigmoid(z: NDArray[np.float64]) -> NDArray[np.float64]:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -60.0, 60.0)))


@dataclass(frozen=True, eq=False)
class HashedMLP:
    """Small one-hidden-layer nets (ReLU, one logistic output each) over the hashed
    buckets, their P(positive) averaged. The first layers of all nets are one
    `LinearModel` whose classes are the hidden units (net k's units are columns
    k·units … (k+1)·units − 1): a unit's input is its bias plus the sum of the rows of
    the text's buckets over the square root of their number, as every head reads them."""

    hidden: LinearModel
    out: NDArray[np.float32]  # (nets, units)
    out_bias: NDArray[np.float32]  # (nets,)

    def __post_init__(self) -> None:
        if self.out.ndim != 2 or self.out.shape[0] == 0 or self.out.shape[1] == 0:
            raise ModelFormatError(f"MLP: output weights of shape {self.out.shape}")
        if self.out_bias.shape != (self.out.shape[0],):
            raise ModelFormatError("MLP: one output bias per net")
        if len(self.hidden.classes) != self.out.size:
            raise ModelFormatError("MLP: the hidden units do not match the output weights")
        if not (np.all(np.isfinite(self.out)) and np.all(np.isfinite(self.out_bias))):
            raise ModelFormatError("MLP: a non-finite weight")
        self.out.setflags(write=False)
        self.out_bias.setflags(write=False)

    def positive(self, found: Sequence[int]) -> float:
        """Mean P(positive) of the nets for a text's sorted buckets."""
        h = np.maximum(bucket_margins(self.hidden, found), 0.0).reshape(self.out.shape)
        z = (h * self.out).sum(axis=1) + self.out_bias
        return float(sigmoid(z).mean())


@dataclass(frozen=True, eq=False)
class ReviewStack:
    """The review-polarity ensemble: P(positive | positive or negative) on a text of at
    least `min_chars` characters = mean of (a) own_weight × the polarity head's split +
    (1 − own_weight) × routed review heads (P(hotel) × hotel + (1 − P(hotel)) × delivery),
    (b) the MLPs' mean, (c) the CNNs' mean."""

    domain: LinearModel  # DOMAIN: P(hotel)
    hotel: LinearModel  # REVIEW
    delivery: LinearModel  # REVIEW
    mlp: HashedMLP
    cnns: tuple[CharCNN, ...]
    own_weight: float = 0.5
    min_chars: int = 10

    def __post_init__(self) -> None:
        for head, want in ((self.domain, DOMAIN), (self.hotel, REVIEW), (self.delivery, REVIEW)):
            if head.classes != want:
                raise ModelFormatError(f"review stack: head classes {head.classes} != {want}")
        if not self.cnns:
            raise ModelFormatError("review stack: at least one char CNN")
        if not 0.0 <= self.own_weight <= 1.0:
            raise ModelFormatError("review stack: own_weight must be a number in 0..1")
        if self.min_chars < 0:
            raise ModelFormatError("review stack: min_chars must be a whole number ≥ 0")
        _ = self.cnn  # built (and checked) once, here, before any thread reads it

    @cached_property
    def cnn(self) -> CharCNNMean:
        """The CNNs read as one: one table look-up per character for all of them."""
        return CharCNNMean(self.cnns)

    def heads(self) -> tuple[LinearModel, ...]:
        return (self.domain, self.hotel, self.delivery, self.mlp.hidden)

    def parts(self, compact: str, found: Sequence[int], own: float) -> tuple[float, float, float]:
        """The three parts' P(positive) for a normalised text, its buckets and the
        polarity head's own split."""
        p_hotel = float(self.domain.calibrate(bucket_margins(self.domain, found))[0])
        hotel = float(self.hotel.calibrate(bucket_margins(self.hotel, found))[0])
        delivery = float(self.delivery.calibrate(bucket_margins(self.delivery, found))[0])
        routed = p_hotel * hotel + (1.0 - p_hotel) * delivery
        linear = self.own_weight * own + (1.0 - self.own_weight) * routed
        cnn = self.cnn.positive(compact)
        return linear, self.mlp.positive(found), cnn

    def positive(self, compact: str, found: Sequence[int], own: float) -> float:
        return sum(self.parts(compact, found, own)) / 3.0


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
        stack: ReviewStack | None = None,
    ) -> None:
        heads = [(polarity, POLARITIES), (emotion, EMOTIONS), (tone, TONES)]
        if review is not None:
            heads.append((review, REVIEW))
        for head, want in heads:
            if head.classes != want:
                raise ModelFormatError(f"head classes {head.classes} != {want} / 类别不符")
        if review is not None and stack is not None:
            raise ModelFormatError("a review head or a review stack, not both / 二者择一")
        dims = polarity.featurizer
        every = [head for head, _ in heads] + list(stack.heads() if stack is not None else ())
        if any(head.featurizer != dims for head in every):
            raise ModelFormatError("the heads must share one featurizer / 特征须一致")
        if words is not None and words.dims != dims.dims:
            raise ModelFormatError("word and character features must share one hash space")
        self.polarity, self.emotion, self.tone = polarity, emotion, tone
        self.words, self.tokenizer = words, tokenizer
        self.meta: Mapping[str, Any] = dict(meta or {})
        self._t_pol = float(polarity.meta.get("temperature", 1.0))
        self._t_emo = float(emotion.meta.get("temperature", 1.0))
        self.review, self.stack = review, stack
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
            self.polarity,
            self.emotion,
            self.tone,
            self.words,
            tokenizer,
            self.meta,
            self.review,
            self.stack,
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
        elif self.stack is not None and len(compact) >= self.stack.min_chars:
            pol = with_split(pol, self.stack.positive(compact, found, own_split(pol)))
        emo = softmax(bucket_margins(self.emotion, found), self._t_emo)
        tone = self.tone.calibrate(bucket_margins(self.tone, found))
        return Reading(
            polarity={c: float(p) for c, p in zip(POLARITIES, pol, strict=True)},
            emotion={c: float(p) for c, p in zip(EMOTIONS, emo, strict=True)},
            tone={c: float(p) for c, p in zip(TONES, tone, strict=True)},
        )

    # -- serialisation ---------------------------------------------------------------

    def to_bytes(self) -> bytes:
        stack = self.stack
        header = {
            "format": FORMAT,
            "words": self.words.to_dict() if self.words is not None else None,
            "meta": dict(self.meta),
            "stack": None
            if stack is None
            else {
                "own_weight": stack.own_weight,
                "min_chars": stack.min_chars,
                "cnns": len(stack.cnns),
            },
        }
        arrays: dict[str, NDArray[Any]] = {
            "header": np.frombuffer(json.dumps(header, ensure_ascii=False).encode(), np.uint8),
            "polarity": np.frombuffer(self.polarity.to_bytes(), np.uint8),
            "emotion": np.frombuffer(self.emotion.to_bytes(), np.uint8),
            "tone": np.frombuffer(self.tone.to_bytes(), np.uint8),
        }
        if self.review is not None:
            arrays["review"] = np.frombuffer(self.review.to_bytes(), np.uint8)
        if stack is not None:
            for name, head in (
                ("domain", stack.domain),
                ("review_hotel", stack.hotel),
                ("review_delivery", stack.delivery),
                ("mlp_hidden", stack.mlp.hidden),
            ):
                arrays[name] = np.frombuffer(head.to_bytes(), np.uint8)
            arrays["mlp_out"] = stack.mlp.out.astype(np.float32)
            arrays["mlp_out_bias"] = stack.mlp.out_bias.astype(np.float32)
            for k, net in enumerate(stack.cnns):
                arrays[f"cnn{k}"] = np.frombuffer(net.to_bytes(), np.uint8)
        return write_arrays(arrays, compressed=False)

    @classmethod
    def from_bytes(cls, data: bytes, tokenizer: Tokenizer | None = None) -> SentimentModel:
        read = read_arrays(data, "not a sentiment model / 不是情绪模型文件")
        arrays = {name: bytes(array) for name, array in read.items()}
        try:
            header = json.loads(arrays["header"].decode("utf-8"))
            found = header.get("format")
            if found in OLD_FORMATS:
                raise ModelFormatError(
                    f"情绪模型文件格式过旧（{found}），本版本需要 {FORMAT}，请用 "
                    "scripts/train_sentiment.py 重新训练 / the sentiment model file is of an "
                    f"older format ({found}); this version reads {FORMAT}: retrain it"
                )
            if found != FORMAT:
                raise ModelFormatError(
                    f"不是可用的情绪模型文件（格式 {found!r}），文件可能已损坏 / not a usable "
                    f"sentiment model file (format {found!r}): corrupt, or another kind of file"
                )
            words = WordNgrams.from_dict(header["words"]) if header.get("words") else None
            stack = None
            if header.get("stack") is not None:
                settings = header["stack"]
                stack = ReviewStack(
                    LinearModel.from_bytes(arrays["domain"]),
                    LinearModel.from_bytes(arrays["review_hotel"]),
                    LinearModel.from_bytes(arrays["review_delivery"]),
                    HashedMLP(
                        LinearModel.from_bytes(arrays["mlp_hidden"]),
                        read["mlp_out"].astype(np.float32),
                        read["mlp_out_bias"].astype(np.float32),
                    ),
                    tuple(
                        CharCNN.from_bytes(arrays[f"cnn{k}"]) for k in range(int(settings["cnns"]))
                    ),
                    float(settings["own_weight"]),
                    int(settings["min_chars"]),
                )
            return cls(
                LinearModel.from_bytes(arrays["polarity"]),
                LinearModel.from_bytes(arrays["emotion"]),
                LinearModel.from_bytes(arrays["tone"]),
                words,
                tokenizer,
                header.get("meta", {}),
                LinearModel.from_bytes(arrays["review"]) if "review" in arrays else None,
                stack,
            )
        except ModelFormatError:
            raise
        except (KeyError, ValueError, TypeError, UnicodeDecodeError) as exc:
            raise ModelFormatError(
                f"sentiment model is incomplete / 模型文件不完整: {exc!r}"
            ) from None
