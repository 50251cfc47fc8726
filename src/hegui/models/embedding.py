"""Optional sentence-embedding backend of `semantic:` conditions (HEGUI_SEMANTIC_BACKEND=
embedding, HEGUI_EMBEDDING_MODEL=/local/model/folder).

An intent's score is the calibrated maximum cosine similarity of the utterance to the
intent's positive exemplars (`semantic_exemplars.json.gz`, written with the n-gram model by
scripts/train_semantic.py). Calibration is fitted when the backend is built, with the
encoder actually used: leave-one-out similarities of the positives against the
similarities of the intent's negatives (its hard negatives and the positives of intents
it cannot overlap with), Platt-scaled. Nothing is downloaded: the model is a local folder
that sentence-transformers can load, and the library is imported only when asked for.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from hegui.engine.textmodel import SEMANTIC_INTENTS

EXEMPLARS_FILE = "semantic_exemplars.json.gz"


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """One L2-normalised embedding per text, as rows."""
        ...


class SentenceTransformerEncoder:
    """A sentence-transformers model from a local folder (never a hub name: no download)."""

    def __init__(self, path: Path) -> None:
        if not Path(path).is_dir():
            raise ValueError(f"嵌入模型目录不存在 no embedding model folder at {path}")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ValueError(
                "embedding 后端需要 sentence-transformers: pip install sentence-transformers "
                "(the embedding backend needs it installed)"
            ) from exc
        self.model: Any = SentenceTransformer(str(path), local_files_only=True)

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        out = self.model.encode(list(texts), normalize_embeddings=True, batch_size=64)
        return np.asarray(out, dtype=np.float32)


def shipped_exemplars() -> dict[str, Any]:
    raw = resources.files("hegui.models").joinpath(EXEMPLARS_FILE).read_bytes()
    data: dict[str, Any] = json.loads(gzip.decompress(raw).decode("utf-8"))
    return data


def fit_platt(x: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[float, float]:
    """Logistic regression of y on one feature x (Newton's method, lightly regularised)."""
    a, b = 1.0, 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(a * x + b, -60, 60)))
        g = np.array([np.sum((p - y) * x) + 1e-3 * a, np.sum(p - y)])
        w = p * (1 - p)
        h = np.array([[np.sum(w * x * x) + 1e-3, np.sum(w * x)], [np.sum(w * x), np.sum(w)]])
        try:
            step = np.linalg.solve(h + 1e-9 * np.eye(2), g)
        except np.linalg.LinAlgError:
            break
        a, b = a - float(step[0]), b - float(step[1])
        if abs(step).max() < 1e-8:
            break
    return a, b


class EmbeddingIntents:
    """Intent scores from an `Encoder` and exemplars: calibrated max cosine similarity."""

    name = "embedding"

    def __init__(
        self,
        encoder: Encoder,
        positives: Mapping[str, Sequence[str]],
        negatives: Mapping[str, Sequence[str]],
    ) -> None:
        unknown = sorted(set(positives) - set(SEMANTIC_INTENTS))
        if unknown:
            raise ValueError(f"未知意图 unknown intents in exemplars: {', '.join(unknown)}")
        self.encoder = encoder
        self._intents = frozenset(k for k, v in positives.items() if len(v) >= 2)
        self.vectors: dict[str, NDArray[np.float32]] = {}
        self.calibration: dict[str, tuple[float, float]] = {}
        for intent in sorted(self._intents):
            pos = encoder.encode(list(positives[intent]))
            sims = pos @ pos.T
            np.fill_diagonal(sims, -1.0)
            own = sims.max(axis=1)  # each positive against the others: leave one out
            neg_texts = list(negatives.get(intent, ()))
            other = (encoder.encode(neg_texts) @ pos.T).max(axis=1) if neg_texts else np.zeros(0)
            x = np.concatenate([own, other]).astype(np.float64)
            y = np.concatenate([np.ones(len(own)), np.zeros(len(other))])
            self.vectors[intent] = pos
            self.calibration[intent] = fit_platt(x, y)

    @property
    def intents(self) -> frozenset[str]:
        return self._intents

    def score(self, text: str, compact: str) -> Mapping[str, float]:
        vec = self.encoder.encode([text])[0]
        out = {}
        for intent, pos in self.vectors.items():
            a, b = self.calibration[intent]
            z = a * float((pos @ vec).max()) + b
            out[intent] = float(1.0 / (1.0 + np.exp(-max(-60.0, min(60.0, z)))))
        return out

    @classmethod
    def shipped(cls, encoder: Encoder) -> EmbeddingIntents:
        data = shipped_exemplars()
        return cls(encoder, data["positives"], data["negatives"])
