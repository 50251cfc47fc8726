"""The shipped sentiment model: it loads, it is small, it reads plain cases right."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest

from hegui.engine.sentiment.model import EMOTIONS, POLARITIES, REVIEW, TONES, SentimentModel
from hegui.engine.textmodel import ModelFormatError
from hegui.models.sentiment import jieba_tokenizer, sentiment_bytes, sentiment_model


def test_shipped_model_is_small_and_round_trips() -> None:
    data = sentiment_bytes()
    # 1.65 MB of linear heads + the review ensemble of round 4 (the MLPs' int8 first
    # layers 2.4 MB, three float16 CNNs 0.6 MB): training/sentiment/REPORT.md
    assert len(data) < 5 * 1024 * 1024
    model = SentimentModel.from_bytes(data, jieba_tokenizer())
    assert model.polarity.classes == POLARITIES and model.emotion.classes == EMOTIONS
    assert model.tone.classes == TONES and model.uses_words
    assert model.review is None and model.stack is not None
    stack = model.stack
    assert stack.hotel.classes == stack.delivery.classes == REVIEW
    assert (stack.own_weight, stack.min_chars, len(stack.cnns)) == (0.5, 10, 3)
    assert stack.mlp.out.shape == (3, 32) and stack.mlp.hidden.buckets.shape == (30000,)
    again = SentimentModel.from_bytes(model.to_bytes(), jieba_tokenizer())
    text = "你们这什么破服务 气死我了"
    assert again.read(text) == model.read(text)
    assert resources.files("hegui.models").joinpath("sentiment.npz").is_file()


def test_probabilities_sum_to_one_and_empty_is_neutral() -> None:
    model = sentiment_model()
    r = model.read("请问信用卡怎么还款")
    assert sum(r.polarity.values()) == pytest.approx(1.0)
    assert sum(r.emotion.values()) == pytest.approx(1.0)
    assert all(0.0 <= v <= 1.0 for v in r.tone.values())
    empty = model.read("  。，")
    assert empty.top_polarity == "neutral" and empty.top_emotion == "neutral"
    assert empty.negative == 0.0


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        ("你们这什么破服务啊 我都打了八遍电话了 气死我了", "negative"),
        ("问题解决了 太感谢你了 服务真好", "positive"),
    ],
)
def test_plain_cases(text: str, polarity: str) -> None:
    assert sentiment_model().read(text).top_polarity == polarity


def test_angry_customer_reads_angrier_than_a_thankful_one() -> None:
    model = sentiment_model()
    angry = model.read("我要投诉你们 乱扣我的钱 今天必须给我退回来")
    glad = model.read("好的 谢谢你 辛苦了")
    assert angry.anger > glad.anger and angry.negative > 0.8 > glad.negative


def test_rude_agent_scores_rude() -> None:
    model = sentiment_model()
    assert model.read("你是听不懂人话吗 脑子有病吧").tone["rude"] > 0.5
    assert model.read("您好 请问有什么可以帮您").tone["rude"] < 0.5


def test_garbage_bytes_are_a_format_error() -> None:
    with pytest.raises(ModelFormatError):
        SentimentModel.from_bytes(b"not a model")
    bad = SentimentModel.from_bytes(sentiment_bytes())  # no tokenizer
    with pytest.raises(RuntimeError, match="tokenizer"):
        bad.read("你好")
    assert bad.read("") is not None and np.isfinite(bad.read("").negative)


def test_review_ensemble_reads_a_review_and_leaves_short_turns_alone() -> None:
    model = sentiment_model()
    plain = SentimentModel(
        model.polarity, model.emotion, model.tone, model.words, model.tokenizer, model.meta
    )
    for text in ("好的 谢谢", "气死我了", "请问怎么还款"):  # under 10 characters: unchanged
        assert model.read(text) == plain.read(text)
    review = "房间很干净 早餐也丰富 前台服务热情 下次还会再来"
    assert model.read(review).top_polarity == "positive"
    r = model.read(review)
    assert r.polarity["neutral"] == pytest.approx(plain.read(review).polarity["neutral"])
    assert model.read("味道太差了 送餐还慢 再也不点了").top_polarity == "negative"
