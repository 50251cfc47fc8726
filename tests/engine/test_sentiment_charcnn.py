"""The character CNN (part of the shipped model's review-polarity ensemble): its forward
pass, its bytes, its checks."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from hegui.engine.sentiment.charcnn import UNKNOWN, CharCNN, CharCNNMean
from hegui.engine.textmodel import ModelFormatError


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
    net = random_net(3, filters=6, dim=4, widths=(2, 3, 5), max_chars=12)
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


def random_net(
    seed: int,
    vocabulary: str = "好差很一般",
    filters: int = 5,
    dim: int = 3,
    widths: tuple[int, ...] = (2, 3, 4),
    max_chars: int = 10,
) -> CharCNN:
    """Random weights; the padding row embeds as zeros, as `reference` reads it."""
    rng = np.random.default_rng(seed)
    embedding = rng.normal(size=(len(vocabulary) + 2, dim)).astype(np.float32)
    embedding[0] = 0.0
    return CharCNN(
        vocabulary,
        embedding,
        widths,
        tuple(rng.normal(size=(w * dim, filters)).astype(np.float32) for w in widths),
        tuple(rng.normal(size=filters).astype(np.float32) for _ in widths),
        rng.normal(size=filters * len(widths)).astype(np.float32),
        0.2,
        max_chars=max_chars,
    )


def test_the_mean_of_several_nets_is_read_in_one_pass() -> None:
    nets = [random_net(s) for s in range(3)]
    fused = CharCNNMean(nets)
    mixed = CharCNNMean([random_net(0), random_net(1, "好差"), random_net(2, filters=4)])
    assert fused.__dict__["_fused"] and not mixed.__dict__["_fused"]
    for text in ["", "好", "差很", "好差很一般", "很好" * 9, "xyz一般差"]:
        want = sum(n.positive(text) for n in nets) / 3
        assert fused.positive(text) == pytest.approx(want, abs=1e-6)
        assert mixed.positive(text) == pytest.approx(
            sum(n.positive(text) for n in mixed.nets) / 3, abs=1e-12
        )
    with pytest.raises(ModelFormatError):
        CharCNNMean([])
