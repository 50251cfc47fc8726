"""The character CNN of the sentiment model: its forward pass, its bytes, its checks, and
how the sentiment model mixes it with the review head."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from hegui.engine.sentiment.charcnn import UNKNOWN, CharCNN
from hegui.engine.sentiment.model import EMOTIONS, POLARITIES, REVIEW, TONES, SentimentModel
from hegui.engine.textmodel import HashedNgrams, LinearModel, ModelFormatError

F = HashedNgrams(1, 2, 1 << 12)


def tiny(out_bias: float = 0.0, max_chars: int = 256) -> CharCNN:
    """dim 1: 好 embeds as +1, 差 as −1, unknown as 0.5. One width-2 filter fires on the sum
    of two neighbours; one width-1 filter on a single 差 (−1 · −2 = 2)."""
    emb = np.array([[0.0], [0.5], [1.0], [-1.0]], np.float32)  # pad, unknown, 好, 差
    return CharCNN(
        "好差",
        emb,
        (1, 2),
        (np.array([[-2.0]], np.float32), np.array([[1.0], [1.0]], np.float32)),
        (np.zeros(1, np.float32), np.array([0.5], np.float32)),
        np.array([-1.0, 2.0], np.float32),
        out_bias,
        max_chars,
    )


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def test_forward_pass_by_hand() -> None:
    net = tiny()
    # 好好: width 1 → max relu(−2·1) = 0; width 2 → relu(1 + 1 + 0.5) = 2.5
    assert net.positive("好好") == pytest.approx(sigmoid(2.0 * 2.5))
    # 差好: width 1 → relu(2) = 2 at 差; width 2 → relu(−1 + 1 + 0.5) = 0.5
    assert net.positive("差好") == pytest.approx(sigmoid(-2.0 + 2.0 * 0.5))
    # x (unknown) 好: width 2 → 0.5 + 1 + 0.5 = 2
    assert net.ids("x好").tolist() == [UNKNOWN, 2]
    assert net.positive("x好") == pytest.approx(sigmoid(2.0 * 2.0))
    assert net.positive("") == 0.5


def reference(net: CharCNN, text: str) -> float:
    """The forward pass written out window by window (padding embeds as zeros)."""
    ids = [net.vocabulary.index(c) + 2 if c in net.vocabulary else UNKNOWN for c in text]
    ids = ids[: net.max_chars]
    dim = net.embedding.shape[1]
    pooled: list[float] = []
    for w, conv, bias in zip(net.widths, net.convs, net.conv_bias, strict=True):
        best = np.full(conv.shape[1], -np.inf)
        for i in range(max(len(ids) - w + 1, 1)):
            window = np.zeros(w * dim)
            for j in range(w):
                if i + j < len(ids):
                    window[j * dim : (j + 1) * dim] = net.embedding[ids[i + j]]
            best = np.maximum(best, window @ conv + bias)
        pooled += list(np.maximum(best, 0.0))
    return sigmoid(float(np.array(pooled) @ net.out) + net.out_bias)


def test_forward_pass_matches_a_window_by_window_reference() -> None:
    rng = np.random.default_rng(3)
    dim, widths, filters = 4, (2, 3, 5), 6
    net = CharCNN(
        "好差很一般",
        rng.normal(size=(7, dim)).astype(np.float32) * np.array([[0]] + [[1]] * 6, np.float32),
        widths,
        tuple(rng.normal(size=(w * dim, filters)).astype(np.float32) for w in widths),
        tuple(rng.normal(size=filters).astype(np.float32) for _ in widths),
        rng.normal(size=filters * len(widths)).astype(np.float32),
        0.1,
        max_chars=12,
    )
    for text in ["好", "差很", "一般x", "好差很一般好差很一般", "很好" * 9, "xyz一"]:
        assert net.positive(text) == pytest.approx(reference(net, text), abs=1e-5)


def test_short_text_reads_only_windows_that_start_inside_it() -> None:
    # one character, widest window 2: one window (好 + padding) → width 2: relu(1 + 0.5)
    assert tiny().positive("好") == pytest.approx(sigmoid(2.0 * 1.5))


def test_long_texts_are_cut_at_max_chars() -> None:
    net = tiny(max_chars=2)
    assert net.positive("好好差差差") == pytest.approx(net.positive("好好"))
    assert tiny().positive("好好差差差") != pytest.approx(net.positive("好好"))


def test_bytes_round_trip_and_bad_files() -> None:
    net = tiny(out_bias=0.25)
    again = CharCNN.from_bytes(net.to_bytes())
    assert again.vocabulary == "好差" and again.widths == (1, 2) and again.out_bias == 0.25
    for text in ("好好", "差好", "好差差x"):
        assert again.positive(text) == pytest.approx(net.positive(text), abs=1e-3)
    with pytest.raises(ModelFormatError):
        CharCNN.from_bytes(b"not an npz")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"vocabulary": "好"}, "vocabulary"),
        ({"vocabulary": "好好"}, "repeats"),
        ({"out": np.ones(3, np.float32)}, "output"),
        ({"widths": (1, 3)}, "width 3"),
        ({"max_chars": 1}, "max_chars"),
        ({"out_bias": float("nan")}, "bias"),
    ],
)
def test_shapes_are_checked(change: dict[str, Any], message: str) -> None:
    net = tiny()
    fields = {
        "vocabulary": net.vocabulary,
        "embedding": net.embedding.copy(),
        "widths": net.widths,
        "convs": tuple(c.copy() for c in net.convs),
        "conv_bias": tuple(b.copy() for b in net.conv_bias),
        "out": net.out.copy(),
        "out_bias": net.out_bias,
        "max_chars": net.max_chars,
    }
    fields.update(change)
    with pytest.raises(ModelFormatError, match=message):
        CharCNN(**fields)


def head(classes: tuple[str, ...], meta: dict[str, Any] | None = None) -> LinearModel:
    calibration = np.tile([1.0, 0.0], (len(classes), 1))
    model = LinearModel.from_arrays(
        classes, F, np.zeros((F.dims, len(classes))), np.zeros(len(classes)), calibration
    )
    if meta is None:
        return model
    return LinearModel(
        model.classes,
        F,
        model.buckets.copy(),
        model.weights.copy(),
        model.bias.copy(),
        model.calibration.copy(),
        meta,
    )


def sentiment(cnns: tuple[CharCNN, ...], cnn_weight: Any = 0.5) -> SentimentModel:
    # all linear heads are flat: the 3-way split is 0.5, the review head says 0.5
    review = head(REVIEW, {"weight": 0.5, "min_chars": 2, "cnn_weight": cnn_weight})
    return SentimentModel(
        head(POLARITIES), head(EMOTIONS), head(TONES), None, None, {}, review, cnns
    )


def test_the_cnn_is_averaged_into_the_review_heads_probability() -> None:
    net = tiny()
    reading = sentiment((net,)).read_compact("好好")
    polar = reading.polarity["positive"] + reading.polarity["negative"]
    # split = 0.5 · 0.5 (3-way) + 0.5 · (0.5 · 0.5 (review) + 0.5 · cnn)
    want = 0.25 + 0.5 * (0.25 + 0.5 * net.positive("好好"))
    assert reading.polarity["positive"] / polar == pytest.approx(want)
    assert reading.top_polarity == "positive"
    assert sentiment((net,), 0.0).read_compact("好好").polarity == pytest.approx(
        sentiment(()).read_compact("好好").polarity
    )
    # two CNNs: their mean
    other = tiny(out_bias=-3.0)
    mean = (net.positive("好好") + other.positive("好好")) / 2
    reading = sentiment((net, other)).read_compact("好好")
    polar = reading.polarity["positive"] + reading.polarity["negative"]
    assert reading.polarity["positive"] / polar == pytest.approx(0.25 + 0.5 * (0.25 + 0.5 * mean))
    # under min_chars the review head and the CNN are not read
    assert sentiment((net,)).read_compact("好").polarity == sentiment(()).read_compact("好").polarity


def test_the_cnn_survives_the_models_bytes() -> None:
    original = sentiment((tiny(), tiny(out_bias=-1.0)))
    again = SentimentModel.from_bytes(original.to_bytes())
    assert [n.out_bias for n in again.cnns] == [0.0, -1.0] and again.cnns[0].vocabulary == "好差"
    assert again.read_compact("差差好").polarity == pytest.approx(
        original.read_compact("差差好").polarity, abs=1e-3
    )
    assert original.with_tokenizer(list).cnns == original.cnns
    assert SentimentModel.from_bytes(sentiment(()).to_bytes()).cnns == ()


@pytest.mark.parametrize("cnn_weight", [None, -0.1, 1.5, "0.5"])
def test_cnn_weight_is_checked(cnn_weight: Any) -> None:
    with pytest.raises(ModelFormatError, match="cnn_weight"):
        sentiment((tiny(),), cnn_weight)


def test_a_cnn_needs_a_review_head() -> None:
    with pytest.raises(ModelFormatError, match="review head"):
        SentimentModel(head(POLARITIES), head(EMOTIONS), head(TONES), cnns=(tiny(),))
