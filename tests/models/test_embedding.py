"""The optional sentence-embedding backend: its scoring and calibration with a fake
encoder, and — when HEGUI_EMBEDDING_MODEL names a local model folder — with the real one."""

from __future__ import annotations

import os
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

from hegui.engine.textmodel import SEMANTIC_INTENTS
from hegui.models import intent_scorer
from hegui.models.embedding import EmbeddingIntents, fit_platt, shipped_exemplars


class CharEncoder:
    """A fake encoder: L2-normalised bag of hashed character bigrams."""

    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        out = np.zeros((len(texts), 512), np.float32)
        for i, text in enumerate(texts):
            for j in range(len(text) - 1):
                out[i, zlib.crc32(text[j : j + 2].encode()) % 512] += 1
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


POSITIVES = {
    "privacy.private_channel": ["加我微信吧", "加个微信私聊", "我微信号发你", "微信上联系我"],
    "service.rude": ["你是不是傻", "你听不懂人话吗", "你脑子有问题吧"],
}
NEGATIVES = {
    "privacy.private_channel": ["请拨打官方热线", "您好请问有什么可以帮您", "关注官方公众号"],
    "service.rude": ["不好意思让您久等了", "您别着急", "感谢您的耐心"],
}


def test_scores_by_similarity_to_exemplars() -> None:
    model = EmbeddingIntents(CharEncoder(), POSITIVES, NEGATIVES)
    assert model.intents == frozenset(POSITIVES)
    near = model.score("你加我微信吧", "")
    far = model.score("请问您的账单日是几号", "")
    assert near["privacy.private_channel"] > 0.5 > far["privacy.private_channel"]
    assert all(0 <= v <= 1 for v in near.values())


def test_platt_fit_separates() -> None:
    x = np.array([0.9, 0.8, 0.85, 0.2, 0.3, 0.1])
    a, b = fit_platt(x, np.array([1.0, 1, 1, 0, 0, 0]))
    assert a > 0 and 1 / (1 + np.exp(-(a * 0.9 + b))) > 0.5 > 1 / (1 + np.exp(-(a * 0.2 + b)))


def test_unknown_intents_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown intents"):
        EmbeddingIntents(CharEncoder(), {"x.y": ["a", "b"]}, {})


def test_shipped_exemplars_cover_every_intent() -> None:
    data = shipped_exemplars()
    model = EmbeddingIntents(CharEncoder(), data["positives"], data["negatives"])
    assert model.intents == frozenset(SEMANTIC_INTENTS)


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no embedding model folder"):
        intent_scorer("embedding", tmp_path / "absent")


@pytest.mark.skipif(
    not os.environ.get("HEGUI_EMBEDDING_MODEL"),
    reason="set HEGUI_EMBEDDING_MODEL to a local sentence-transformers folder to run",
)
def test_real_embedding_model() -> None:
    pytest.importorskip("sentence_transformers", reason="sentence-transformers not installed")
    scorer = intent_scorer("embedding", Path(os.environ["HEGUI_EMBEDDING_MODEL"]))
    scores = scorer.score("您加我个人微信吧 以后直接找我", "")
    assert scores["privacy.private_channel"] > scores["service.rude"]
