"""The sentiment model's optional review head: how it is mixed into polarity, when it is
used, and that it survives the model's bytes."""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest

from hegui.engine.sentiment.model import (
    EMOTIONS,
    POLARITIES,
    REVIEW,
    TONES,
    SentimentModel,
    mix_review,
)
from hegui.engine.textmodel import HashedNgrams, LinearModel, ModelFormatError

F = HashedNgrams(1, 2, 1 << 12)


def head(classes: tuple[str, ...], grams: Mapping[str, list[float]] | None = None) -> LinearModel:
    dense = np.zeros((F.dims, len(classes)), np.float32)
    for gram, weights in (grams or {}).items():
        dense[zlib.crc32(gram.encode()) % F.dims] = weights
    calibration = np.tile([1.0, 0.0], (len(classes), 1))
    return LinearModel.from_arrays(classes, F, dense, np.zeros(len(classes)), calibration)


def review_head(weight: Any = 0.5, min_chars: Any = 4) -> LinearModel:
    model = head(REVIEW, {"好": [6.0]})  # the review head reads 好 as strongly positive
    return LinearModel(
        model.classes,
        model.featurizer,
        model.buckets.copy(),
        model.weights.copy(),
        model.bias.copy(),
        model.calibration.copy(),
        {"weight": weight, "min_chars": min_chars},
    )


def model(review: LinearModel | None) -> SentimentModel:
    # the 3-way head: 差 negative, 好 mildly negative (so the review head can overrule it)
    polarity = head(POLARITIES, {"差": [4.0, 0.0, 0.0], "好": [1.0, 0.0, 0.0]})
    return SentimentModel(polarity, head(EMOTIONS), head(TONES), None, None, {}, review=review)


def test_mix_keeps_the_neutral_mass_and_sums_to_one() -> None:
    p = np.array([0.2, 0.5, 0.3])
    mixed = mix_review(p, 0.9, 0.5)
    assert mixed[1] == pytest.approx(0.5) and mixed.sum() == pytest.approx(1.0)
    # split = 0.5 · 0.3/0.5 + 0.5 · 0.9 = 0.75 of the 0.5 polar mass
    assert mixed[2] == pytest.approx(0.375) and mixed[0] == pytest.approx(0.125)
    assert np.allclose(mix_review(p, 0.9, 1.0), p)  # weight 1: the 3-way head alone
    assert mix_review(p, 0.9, 0.0)[2] == pytest.approx(0.45)  # weight 0: the review head's
    assert np.allclose(mix_review(np.array([0.0, 1.0, 0.0]), 0.9, 0.5), [0.0, 1.0, 0.0])


def test_review_head_weighs_in_on_long_texts_only() -> None:
    plain, mixed = model(None), model(review_head(min_chars=4))
    long_text, short_text = "这家真好好好", "好"
    assert plain.read_compact(long_text).top_polarity == "negative"
    reading = mixed.read_compact(long_text)
    assert reading.top_polarity == "positive"
    assert sum(reading.polarity.values()) == pytest.approx(1.0)
    assert reading.polarity["neutral"] == pytest.approx(
        plain.read_compact(long_text).polarity["neutral"]
    )
    assert mixed.read_compact(short_text) == plain.read_compact(short_text)  # under min_chars
    assert mixed.read_compact(long_text).emotion == plain.read_compact(long_text).emotion


def test_review_head_survives_the_bytes() -> None:
    original = model(review_head())
    again = SentimentModel.from_bytes(original.to_bytes())
    assert again.review is not None and dict(again.review.meta) == {
        "weight": 0.5,
        "min_chars": 4,
    }
    got, want = again.read_compact("这家真好好好"), original.read_compact("这家真好好好")
    assert got.polarity == pytest.approx(want.polarity, abs=0.01)  # int8 weights
    assert got.top_polarity == want.top_polarity == "positive"
    older = SentimentModel.from_bytes(model(None).to_bytes())  # files without one still load
    assert older.review is None
    assert original.with_tokenizer(list).review is original.review


@pytest.mark.parametrize(
    ("weight", "min_chars", "message"),
    [(None, 4, "weight"), (1.5, 4, "weight"), (0.5, -1, "min_chars"), (0.5, 2.5, "min_chars")],
)
def test_review_head_settings_are_checked(weight: Any, min_chars: Any, message: str) -> None:
    with pytest.raises(ModelFormatError, match=message):
        model(review_head(weight, min_chars))


def test_review_head_must_be_one_class_over_the_shared_features() -> None:
    with pytest.raises(ModelFormatError, match="classes"):
        model(head(("negative", "positive")))
    other = LinearModel.from_arrays(
        REVIEW, HashedNgrams(1, 3, 1 << 12), np.zeros((1 << 12, 1)), np.zeros(1), np.ones((1, 2))
    )
    with pytest.raises(ModelFormatError, match="featurizer"):
        model(other)
