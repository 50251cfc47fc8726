"""The review-polarity ensemble as scripts/train_sentiment.py builds it: the runtime's
forward passes (int8 / float16 weights read back from the model's bytes) match the
trainer's float models within quantisation error, and the whole model round-trips."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
# The trainer needs the `train` extra (scikit-learn, SciPy); the test suite's own set-up
# installs `dev` only, so without them these comparisons are skipped, saying why.
pytest.importorskip("sklearn", reason="训练依赖未安装 the train extra: pip install -e '.[train]'")

import train_sentiment as ts  # scripts/train_sentiment.py

from hegui.engine.normalise import normalise_many
from hegui.engine.sentiment.model import ReviewStack, SentimentModel, own_split
from hegui.engine.textmodel.words import bucket_margins, text_buckets
from hegui.models.sentiment import jieba_tokenizer

HOTEL = [
    "房间很干净，服务也很好，下次还来",
    "房间太小了，隔音很差，前台态度冷淡",
    "早餐丰富，位置方便",
]
DELIVERY = [
    "送餐很快，味道不错，分量足",
    "等了两个小时，饭都凉了，太难吃",
    "包装很好，外卖小哥很客气",
]


def rows() -> list[ts.Row]:
    rng = np.random.default_rng(0)
    out = []
    for domain, base in (("chnsenticorp_htl_train", HOTEL), ("waimai_10k_train", DELIVERY)):
        for i in range(60):
            text = base[i % 3] + "".join(rng.choice(list("啊呀吧哦嗯"), size=3))
            pol = "negative" if i % 3 == 1 else "positive"
            out.append(ts.Row(text, f"reviews:{domain}", False, polarity=pol))
    for i in range(10):
        text, pol = (
            ("客服解决得很及时，谢谢", "positive")
            if i % 2
            else ("一直没人处理，太气人了", "negative")
        )
        out.append(ts.Row(text, "service", False, polarity=pol))
    return out


@pytest.fixture(scope="module")
def trained() -> tuple[list[ts.Row], object, ReviewStack]:
    data = rows()
    x = ts.featurize(data)
    weights = np.array([ts.SERVICE_WEIGHT if r.source == "service" else 1.0 for r in data])
    return data, x, ts.fit_stack(x, data, weights)


TEXTS = ["房间很干净，服务也很好", "送餐太慢了，饭都凉了，难吃", "外卖小哥很客气，包装很好啊"]


def found(stack: ReviewStack, text: str) -> list[int]:
    return text_buckets(stack.domain, text, ts.WORDS, jieba_tokenizer())


def read_back(stack: ReviewStack) -> ReviewStack:
    polarity = ts.LinearModel.from_arrays(
        ts.POLARITIES, ts.CHARS, np.zeros((1, 3)), np.zeros(3), np.tile([1.0, 0.0], (3, 1))
    )
    emotion = ts.LinearModel.from_arrays(
        ts.EMOTIONS, ts.CHARS, np.zeros((1, 7)), np.zeros(7), np.tile([1.0, 0.0], (7, 1))
    )
    tone = ts.LinearModel.from_arrays(
        ts.TONES, ts.CHARS, np.zeros((1, 3)), np.zeros(3), np.tile([1.0, 0.0], (3, 1))
    )
    model = SentimentModel(polarity, emotion, tone, ts.WORDS, None, {}, stack=stack)
    again = SentimentModel.from_bytes(model.to_bytes(), jieba_tokenizer()).stack
    assert again is not None
    return again


def test_runtime_heads_match_the_float_models(trained: tuple) -> None:  # type: ignore[type-arg]
    _, _, stack = trained
    again = read_back(stack)
    assert (again.own_weight, again.min_chars, len(again.cnns)) == (0.5, 10, 3)
    for text in TEXTS:
        b = found(stack, text)
        for head, back in zip(stack.heads(), again.heads(), strict=True):
            want = head.calibrate(bucket_margins(head, b))
            got = back.calibrate(bucket_margins(back, b))
            assert got == pytest.approx(want, abs=0.02)
        assert again.mlp.positive(b) == pytest.approx(stack.mlp.positive(b), abs=0.02)
        for net, back_net in zip(stack.cnns, again.cnns, strict=True):
            assert back_net.positive(text) == pytest.approx(net.positive(text), abs=0.01)
        assert again.positive(text, b, 0.3) == pytest.approx(stack.positive(text, b, 0.3), abs=0.02)


def test_the_mlp_forward_is_scikit_learns(trained: tuple) -> None:  # type: ignore[type-arg]
    data, x, _ = trained
    keep, nets = ts.train_mlps(x, data)
    mlp = ts.mlp_from_sklearn(keep, nets)
    texts = [n.text for n in normalise_many(TEXTS)]
    want = np.mean(
        [
            net.predict_proba(ts.featurize([ts.Row(t, "", False) for t in texts])[:, keep])[:, 1]
            for net in nets
        ],
        axis=0,
    )
    got = [mlp.positive(found_all(t)) for t in texts]
    assert got == pytest.approx(list(want), abs=1e-5)  # float weights: the same numbers
    stack = trained[2]
    back = read_back(ReviewStack(stack.domain, stack.hotel, stack.delivery, mlp, stack.cnns))
    assert [back.mlp.positive(found_all(t)) for t in texts] == pytest.approx(list(want), abs=0.02)


def found_all(text: str) -> list[int]:
    out = set(ts.CHARS.buckets(text)) | ts.WORDS.buckets(jieba_tokenizer()(text))
    return sorted(out)


def test_the_stack_learns_the_toy_polarity(trained: tuple) -> None:  # type: ignore[type-arg]
    _, _, stack = trained
    pos, neg = TEXTS[0], TEXTS[1]
    assert stack.positive(pos, found(stack, pos), 0.5) > 0.5
    assert stack.positive(neg, found(stack, neg), 0.5) < 0.5
    assert own_split(np.array([0.2, 0.5, 0.3])) == pytest.approx(0.6)
