"""The shipped intent model: it loads, knows every intent, is small, and reads meaning."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from hegui.engine.model import Conversation, Utterance
from hegui.engine.normalise import normalise
from hegui.engine.textmodel import SEMANTIC_INTENTS, ModelFormatError, NgramIntents
from hegui.errors import Invalid
from hegui.inspector import ClassifierConfig, EngineConfig, Inspector, build_inspector
from hegui.models import intent_scorer, semantic_bytes, semantic_model

ROOT = Path(__file__).resolve().parents[2]


def score(text: str, intent: str) -> float:
    return semantic_model().score(text, normalise(text).text)[intent]


def test_ships_small_and_complete() -> None:
    assert len(semantic_bytes()) < 3 * 1024 * 1024
    model = semantic_model()
    assert model.intents == frozenset(SEMANTIC_INTENTS)
    assert model.model.meta["trained_by"] == "scripts/train_semantic.py"
    assert (ROOT / "training" / "semantic" / "REPORT.md").exists()


def test_loaded_once_for_every_thread() -> None:
    seen: list[object] = []
    threads = [threading.Thread(target=lambda: seen.append(semantic_model())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(m is seen[0] for m in seen)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("这个每年八个点是铁定能拿到的", "compliance.guarantee_return"),
        ("双录的时候您就说都明白 走个过场", "compliance.suitability"),
        ("您加我个人微信吧 以后有事直接找我", "privacy.private_channel"),
        ("不给我个说法 我就去监管那里告你们", "service.complaint_escalation"),
        ("投资有风险 入市需谨慎", "said.risk_warning"),
    ],
)
def test_reads_unseen_phrasings(text: str, intent: str) -> None:
    assert score(text, intent) >= 0.8


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("这个产品不保本 有可能亏损", "compliance.guarantee_return"),
        ("请不要把验证码告诉任何人 包括客服", "privacy.credential_request"),
        ("您好 请问有什么可以帮您", "service.rude"),
        ("花呗怎么还款", "service.customer_negative"),
    ],
)
def test_hard_and_plain_negatives_score_low(text: str, intent: str) -> None:
    assert score(text, intent) < 0.5


def test_scores_are_probabilities_and_empty_text_is_prior() -> None:
    scores = semantic_model().score("", "")
    assert set(scores) == set(SEMANTIC_INTENTS)
    assert all(0.0 <= v <= 1.0 for v in scores.values())
    assert max(scores.values()) < 0.5


def test_corrupt_bytes_are_refused() -> None:
    with pytest.raises(ModelFormatError):
        NgramIntents.from_bytes(semantic_bytes()[:1000])


def test_backend_selection_is_checked() -> None:
    assert intent_scorer("ngram") is semantic_model()
    with pytest.raises(ValueError, match="unknown semantic backend"):
        intent_scorer("bert")
    with pytest.raises(ValueError, match="local model folder"):
        intent_scorer("embedding")
    with pytest.raises(Invalid, match="HEGUI_SEMANTIC_BACKEND"):
        build_inspector(EngineConfig(semantic_backend="embedding", embedding_model=Path("/nope")))


def test_inspector_runs_the_semantic_pack_and_the_classifier() -> None:
    conv = Conversation(
        "c1",
        (
            Utterance("agent", "跟着我们买 就没有亏过钱的"),  # no keyword rule says this
            Utterance("agent", "这个产品是保本的 稳赚不赔"),  # keywords AND meaning
            Utterance("customer", "我真是受够了 每次打电话都解决不了"),
        ),
        "phone",
        "securities",
    )
    found = Inspector.build().inspect(conv)
    on_1 = [f.rule_id for f in found if f.utterance_index == 1]
    assert "semantic.compliance.guarantee_return" not in on_1  # the keywords' findings win
    assert any(r.startswith("securities.") for r in on_1)
    by_key = {(f.utterance_index, f.category): f for f in found}
    semantic = by_key[(0, "compliance.guarantee_return")]
    assert semantic.rule_id == "semantic.compliance.guarantee_return"
    assert semantic.to_dict()["score"] >= 0.85
    assert not by_key[(1, "compliance.guarantee_return")].rule_id.startswith("semantic.")
    with_model = Inspector.build(
        packs=["service"],
        classifier=ClassifierConfig(categories=("compliance.guarantee_return",), min_score=0.8),
    ).inspect(conv)
    model = [(f.rule_id, f.utterance_index, f.detector) for f in with_model if f.detector]
    assert model == [
        ("model.compliance.guarantee_return", 0, "model"),
        ("model.compliance.guarantee_return", 1, "model"),
    ]


def test_classifier_config_refuses_what_the_model_cannot_judge() -> None:
    with pytest.raises(ValueError, match="cannot judge"):
        ClassifierConfig(categories=("said.risk_warning",))
    with pytest.raises(ValueError):
        ClassifierConfig(categories=("service.rude",), min_score=1.2)
