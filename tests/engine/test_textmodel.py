"""The engine's text-model code: hashed n-grams and the linear scorer."""

from __future__ import annotations

import math
import zlib

import numpy as np
import pytest

from hegui.engine.textmodel import HashedNgrams, LinearModel, ModelFormatError


def test_buckets_are_stable_hashes_of_framed_ngrams() -> None:
    f = HashedNgrams(1, 2, 1 << 20)
    grams = ["保", "本", "\x02保", "保本", "本\x03"]
    want = sorted({zlib.crc32(g.encode()) % (1 << 20) for g in grams})
    assert f.buckets("保本") == want
    assert f.buckets("") == []
    assert f.buckets("保本") == f.buckets("保本")  # no per-process hash seed


def test_featurizer_settings_are_checked() -> None:
    with pytest.raises(ValueError):
        HashedNgrams(3, 2)
    with pytest.raises(ValueError):
        HashedNgrams(1, 3, 0)
    assert HashedNgrams.from_dict(HashedNgrams(1, 4, 4096).to_dict()) == HashedNgrams(1, 4, 4096)


def tiny(quantised_roundtrip: bool = False) -> LinearModel:
    f = HashedNgrams(1, 2, 1 << 12)
    dense = np.zeros((f.dims, 2), np.float32)
    for gram, col, w in (("保本", 0, 4.0), ("不", 0, -3.0), ("投诉", 1, 5.0)):
        dense[zlib.crc32(gram.encode()) % f.dims, col] = w
    calibration = np.array([[1.5, -1.0], [1.0, -2.0]], np.float32)
    model = LinearModel.from_arrays(
        ["a", "b"], f, dense, np.array([-1.0, -0.5]), calibration, {"v": 1}
    )
    return LinearModel.from_bytes(model.to_bytes()) if quantised_roundtrip else model


def test_margins_are_the_documented_sum() -> None:
    model = tiny()
    n = len(model.featurizer.buckets("保本"))
    margins = model.margins("保本")
    assert margins[0] == pytest.approx(-1.0 + 4.0 / math.sqrt(n))
    assert margins[1] == pytest.approx(-0.5)
    score = model.scores("保本")["a"]
    assert score == pytest.approx(1 / (1 + math.exp(-(1.5 * margins[0] - 1.0))), rel=1e-6)
    assert model.scores("不保本")["a"] < score  # the negator's weight counts


def test_only_weighted_buckets_are_stored_and_bytes_round_trip() -> None:
    model = tiny()
    assert model.buckets.shape == (3,)
    for quantise in (True, False):
        again = LinearModel.from_bytes(model.to_bytes(quantise=quantise))
        assert again.classes == model.classes and again.meta == {"v": 1}
        for text in ("保本", "我要投诉", "", "无关的话"):
            for k, v in model.scores(text).items():
                assert again.scores(text)[k] == pytest.approx(v, abs=0.01)


@pytest.mark.parametrize("data", [b"", b"not a model", b"PK\x03\x04broken"])
def test_garbage_is_refused_clearly(data: bytes) -> None:
    with pytest.raises(ModelFormatError):
        LinearModel.from_bytes(data)


def test_inconsistent_arrays_are_refused() -> None:
    model = tiny()
    with pytest.raises(ModelFormatError, match="weights shape"):
        LinearModel(
            model.classes,
            model.featurizer,
            model.buckets,
            model.weights[:, :1],
            model.bias,
            model.calibration,
        )
    with pytest.raises(ModelFormatError, match="sorted"):
        LinearModel(
            model.classes,
            model.featurizer,
            model.buckets[::-1].copy(),
            model.weights,
            model.bias,
            model.calibration,
        )
    with pytest.raises(ModelFormatError, match="non-finite"):
        bad = model.bias.copy()
        bad[0] = np.nan
        LinearModel(
            model.classes,
            model.featurizer,
            model.buckets,
            model.weights,
            bad,
            model.calibration,
        )


def test_a_model_with_no_weighted_bucket_round_trips() -> None:
    f = HashedNgrams(1, 2, 1 << 8)
    empty = LinearModel.from_arrays(
        ["a", "b"], f, np.zeros((f.dims, 2)), np.ones(2), np.ones((2, 2))
    )
    again = LinearModel.from_bytes(empty.to_bytes())
    assert again.buckets.shape == (0,) and again.weights.shape == (0, 2)
    assert np.allclose(again.margins("保本"), [1.0, 1.0])
