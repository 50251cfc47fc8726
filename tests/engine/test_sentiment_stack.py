"""The sentiment model's review-polarity ensemble (ReviewStack): how its parts are
combined, when it is used, that it survives the model's bytes, and that old or broken
files are refused with a clear message."""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Mapping

import numpy as np
import pytest

from hegui.engine.sentiment.charcnn import CharCNN
from hegui.engine.sentiment.model import (
    DOMAIN,
    EMOTIONS,
    POLARITIES,
    REVIEW,
    TONES,
    HashedMLP,
    ReviewStack,
    SentimentModel,
    own_split,
    with_split,
)
from hegui.engine.textmodel import HashedNgrams, LinearModel, ModelFormatError
from hegui.engine.textmodel.linear import read_arrays, write_arrays
from hegui.engine.textmodel.words import text_buckets

F = HashedNgrams(1, 2, 1 << 12)


def bucket(gram: str) -> int:
    return zlib.crc32(gram.encode()) % F.dims


def head(classes: tuple[str, ...], grams: Mapping[str, list[float]] | None = None) -> LinearModel:
    dense = np.zeros((F.dims, len(classes)), np.float32)
    for gram, weights in (grams or {}).items():
        dense[bucket(gram)] = weights
    calibration = np.tile([1.0, 0.0], (len(classes), 1))
    return LinearModel.from_arrays(classes, F, dense, np.zeros(len(classes)), calibration)


def mlp() -> HashedMLP:
    """Two nets of two units; unit 0 of each fires on 好."""
    dense = np.zeros((F.dims, 4), np.float32)
    dense[bucket("好")] = [3.0, 0.0, 2.0, 0.0]
    hidden = LinearModel.from_arrays(
        ("a0", "a1", "b0", "b1"), F, dense, np.array([0.0, 0.5, 0.0, 0.5]), np.ones((4, 2))
    )
    out = np.array([[1.0, -1.0], [2.0, -2.0]], np.float32)
    return HashedMLP(hidden, out, np.array([0.0, 0.1], np.float32))


def cnn(sign: float) -> CharCNN:
    emb = np.array([[0.0], [0.0], [sign]], np.float32)  # pad, unknown, 好
    return CharCNN(
        "好",
        emb,
        (1,),
        (np.array([[1.0]], np.float32),),
        (np.zeros(1, np.float32),),
        np.array([2.0], np.float32),
        -0.5,
    )


def stack(min_chars: int = 4) -> ReviewStack:
    return ReviewStack(
        head(DOMAIN, {"房": [4.0]}),
        head(REVIEW, {"好": [3.0]}),
        head(REVIEW, {"好": [-1.0]}),
        mlp(),
        (cnn(1.0), cnn(0.5)),
        0.5,
        min_chars,
    )


def model(with_stack: ReviewStack | None) -> SentimentModel:
    polarity = head(POLARITIES, {"差": [4.0, 0.0, 0.0], "好": [1.0, 0.0, 0.0]})
    return SentimentModel(polarity, head(EMOTIONS), head(TONES), None, None, {}, stack=with_stack)


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def test_the_three_parts_by_hand() -> None:
    s = stack()
    text = "房间好好"
    found = text_buckets(s.domain, text, None, None)
    n = len(found)
    p_hotel = sigmoid(4.0 / math.sqrt(n))
    hotel, delivery = sigmoid(3.0 / math.sqrt(n)), sigmoid(-1.0 / math.sqrt(n))
    linear = 0.5 * 0.2 + 0.5 * (p_hotel * hotel + (1 - p_hotel) * delivery)
    u = 1.0 / math.sqrt(n)
    mlp_p = (sigmoid(3 * u - 0.5) + sigmoid(2 * 2 * u - 2 * 0.5 + 0.1)) / 2
    cnn_p = (sigmoid(2.0 - 0.5) + sigmoid(1.0 - 0.5)) / 2
    assert s.parts(text, found, 0.2) == pytest.approx((linear, mlp_p, cnn_p), abs=1e-5)
    assert s.positive(text, found, 0.2) == pytest.approx((linear + mlp_p + cnn_p) / 3, abs=1e-5)


def test_stack_weighs_in_on_long_texts_only_and_keeps_the_neutral_mass() -> None:
    plain, stacked = model(None), model(stack(min_chars=4))
    long_text, short_text = "这家房间真好好", "好"
    before, after = plain.read_compact(long_text), stacked.read_compact(long_text)
    assert before.top_polarity == "negative" and after.top_polarity == "positive"
    assert after.polarity["neutral"] == pytest.approx(before.polarity["neutral"])
    assert sum(after.polarity.values()) == pytest.approx(1.0)
    assert stacked.read_compact(short_text) == plain.read_compact(short_text)
    assert after.emotion == before.emotion and after.tone == before.tone
    assert stacked.with_tokenizer(list).stack is stacked.stack
    p = np.array([0.2, 0.5, 0.3])
    assert own_split(p) == pytest.approx(0.6)
    assert with_split(p, 0.9) == pytest.approx([0.05, 0.5, 0.45])


def test_stack_survives_the_bytes() -> None:
    original = model(stack())
    again = SentimentModel.from_bytes(original.to_bytes())
    assert again.stack is not None and len(again.stack.cnns) == 2
    assert (again.stack.own_weight, again.stack.min_chars) == (0.5, 4)
    for text in ("这家房间真好好", "外卖好好好啊", "差差差差差"):
        got, want = again.read_compact(text), original.read_compact(text)
        assert got.polarity == pytest.approx(want.polarity, abs=0.01)  # int8 / float16


def test_a_review_head_and_a_stack_are_not_both_allowed() -> None:
    review = LinearModel(
        REVIEW,
        F,
        np.zeros(0, np.uint32),
        np.zeros((0, 1), np.float32),
        np.zeros(1, np.float32),
        np.ones((1, 2), np.float32),
        {"weight": 0.5, "min_chars": 4},
    )
    polarity = head(POLARITIES)
    with pytest.raises(ModelFormatError, match="not both"):
        SentimentModel(polarity, head(EMOTIONS), head(TONES), None, None, {}, review, stack())


def test_stack_parts_are_checked() -> None:
    s = stack()
    with pytest.raises(ModelFormatError, match="classes"):
        ReviewStack(s.hotel, s.hotel, s.delivery, s.mlp, s.cnns)
    with pytest.raises(ModelFormatError, match="CNN"):
        ReviewStack(s.domain, s.hotel, s.delivery, s.mlp, ())
    with pytest.raises(ModelFormatError, match="output"):
        HashedMLP(s.mlp.hidden, np.ones((2, 3), np.float32), np.zeros(2, np.float32))
    other = LinearModel.from_arrays(
        DOMAIN, HashedNgrams(1, 3, 1 << 12), np.zeros((1 << 12, 1)), np.zeros(1), np.ones((1, 2))
    )
    with pytest.raises(ModelFormatError, match="featurizer"):
        model(ReviewStack(other, s.hotel, s.delivery, s.mlp, s.cnns))


def rewrite(data: bytes, change: Mapping[str, object] | None = None, drop: str = "") -> bytes:
    arrays = read_arrays(data, "test")
    header = json.loads(bytes(arrays["header"]).decode())
    header.update(change or {})
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), np.uint8)
    arrays.pop(drop, None)
    return write_arrays(arrays)


def test_old_corrupt_and_incomplete_files_are_refused_clearly() -> None:
    data = model(stack()).to_bytes()
    with pytest.raises(ModelFormatError, match=r"格式过旧.*hegui.sentiment/1.*retrain"):
        SentimentModel.from_bytes(rewrite(data, {"format": "hegui.sentiment/1"}))
    with pytest.raises(ModelFormatError, match=r"不是可用的情绪模型文件.*hegui.sentiment/9"):
        SentimentModel.from_bytes(rewrite(data, {"format": "hegui.sentiment/9"}))
    for cut in (len(data) // 2, len(data) - 10, 100):  # truncated: unreadable or unusable
        with pytest.raises(ModelFormatError, match="情绪模型"):
            SentimentModel.from_bytes(data[:cut])
    with pytest.raises(ModelFormatError, match="不是情绪模型文件"):
        SentimentModel.from_bytes(b"garbage")
    for part in ("cnn1", "mlp_out", "review_delivery"):
        with pytest.raises(ModelFormatError, match="不完整"):
            SentimentModel.from_bytes(rewrite(data, drop=part))
