"""The numpy trainer of the experimental char CNN (scripts/sentiment_cnn.py) learns and is
deterministic."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from sentiment_cnn import fit_charcnn  # scripts/sentiment_cnn.py


def toy(n: int, seed: int) -> tuple[list[str], np.ndarray]:
    """Texts of filler characters holding either 好 (positive) or 差 (negative) once."""
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for _ in range(n):
        filler = list(rng.choice(list("这个菜房间一般还有点"), size=int(rng.integers(2, 15))))
        label = int(rng.integers(0, 2))
        filler.insert(int(rng.integers(0, len(filler) + 1)), "好" if label else "差")
        texts.append("".join(filler))
        labels.append(label)
    return texts, np.array(labels)


def test_trainer_learns_a_separable_toy_task_and_is_seeded() -> None:
    texts, y = toy(400, 0)
    net = fit_charcnn(texts, y, np.ones(len(y)), seed=5, dim=8, filters=8, epochs=4)
    test, y_test = toy(200, 1)
    right = [(net.positive(t) > 0.5) == bool(label) for t, label in zip(test, y_test, strict=True)]
    assert np.mean(right) >= 0.95
    again = fit_charcnn(texts, y, np.ones(len(y)), seed=5, dim=8, filters=8, epochs=4)
    assert np.array_equal(again.embedding, net.embedding) and again.out_bias == net.out_bias
