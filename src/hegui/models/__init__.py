"""Models trained by hegui and shipped inside the package; nothing is downloaded.

`semantic.npz` is the intent model of `semantic:` rule conditions, trained by
`scripts/train_semantic.py` from `training/semantic/` (its evaluation:
`training/semantic/REPORT.md`); `verdicts.npz` the conversation verdict model of the
missing-duty categories, trained by `scripts/train_verdicts.py` (`training/verdicts/`).
The engine reads no files: this module reads the bytes
once per process and hands the decoded model to the rule library.
"""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path

from hegui.engine.textmodel import IntentScorer, ModelFormatError, NgramIntents
from hegui.engine.textmodel.verdicts import VerdictModel

SEMANTIC_FILE = "semantic.npz"
VERDICTS_FILE = "verdicts.npz"
BACKENDS = ("ngram", "embedding")

_lock = threading.Lock()
_semantic: NgramIntents | None = None
_verdicts: VerdictModel | None = None
_embedding: dict[Path, IntentScorer] = {}


def semantic_bytes() -> bytes:
    """The shipped intent model's file."""
    return resources.files("hegui.models").joinpath(SEMANTIC_FILE).read_bytes()


def semantic_model() -> NgramIntents:
    """The shipped n-gram intent model, loaded once per process (thread-safe)."""
    global _semantic
    with _lock:
        if _semantic is None:
            try:
                _semantic = NgramIntents.from_bytes(semantic_bytes())
            except (OSError, ModelFormatError) as exc:
                raise RuntimeError(
                    f"意图模型无法加载 the shipped intent model cannot be loaded: {exc}"
                ) from exc
        return _semantic


def verdict_model() -> VerdictModel:
    """The shipped conversation verdict model (`scripts/train_verdicts.py`), loaded once per
    process (thread-safe)."""
    global _verdicts
    with _lock:
        if _verdicts is None:
            try:
                data = resources.files("hegui.models").joinpath(VERDICTS_FILE).read_bytes()
                _verdicts = VerdictModel.from_bytes(data)
            except (OSError, ModelFormatError) as exc:
                raise RuntimeError(
                    f"会话判定模型无法加载 the shipped verdict model cannot be loaded: {exc}"
                ) from exc
        return _verdicts


def intent_scorer(backend: str = "ngram", embedding_model: Path | None = None) -> IntentScorer:
    """The scorer of `semantic:` conditions: the shipped n-gram model, or a sentence-
    embedding model from a local folder (optional; see hegui.models.embedding)."""
    if backend == "ngram":
        return semantic_model()
    if backend != "embedding":
        raise ValueError(f"未知语义后端 unknown semantic backend {backend!r}: ngram | embedding")
    if embedding_model is None:
        raise ValueError(
            "embedding 后端需要本地模型路径 the embedding backend needs a local model folder "
            "(HEGUI_EMBEDDING_MODEL / EngineConfig.embedding_model)"
        )
    from hegui.models.embedding import EmbeddingIntents, SentenceTransformerEncoder

    path = Path(embedding_model).resolve()
    with _lock:
        found = _embedding.get(path)
        if found is None:
            found = _embedding[path] = EmbeddingIntents.shipped(SentenceTransformerEncoder(path))
        return found
