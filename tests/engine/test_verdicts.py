"""The conversation verdict model's runtime: scoring, its file format, and how its verdicts
change a conversation's findings (a small hand-made model, so each weight's effect is known)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hegui.engine.model import Conversation, Finding, Utterance
from hegui.engine.textmodel import HashedNgrams, ModelFormatError
from hegui.engine.textmodel.verdicts import (
    RULE_ID_PREFIX,
    VerdictLabel,
    VerdictModel,
    apply_verdicts,
    verdict_tokens,
)

RISK = "compliance.missing_risk_disclosure"
FEE = "compliance.fee_disclosure"
FEATURES = HashedNgrams(1, 2, 1 << 12)
LABELS = {RISK: VerdictLabel("high", "未做风险提示"), FEE: VerdictLabel("medium", "未告知费用")}


def model(pitch_weight: float = 40.0, **changes: object) -> VerdictModel:
    """P(RISK) rises with the bigram 理财 in the agent's text; the token of a must-say rule's
    own finding raises P(FEE); everything else sits at the bias (P ≈ 0.05)."""
    pitch = sorted(
        set(FEATURES.buckets("理财")) - set(FEATURES.buckets("理")) - set(FEATURES.buckets("财"))
    )
    buckets = np.array(pitch, np.uint32)
    weights = np.zeros((len(pitch), 2), np.float32)
    weights[:, 0] = pitch_weight
    fields: dict[str, object] = {
        "categories": (RISK, FEE),
        "featurizer": FEATURES,
        "buckets": buckets,
        "weights": weights,
        "tokens": ("rule:t.fee.missing", "industry:banking", "rule:t.risk.missing"),
        "token_weights": np.array([[0.0, 40.0], [0.0, 0.0], [0.0, 0.0]], np.float32),
        "token_value": 0.15,
        "bias": np.array([-3.0, -3.0], np.float32),
        "thresholds": np.array([0.5, 0.5], np.float32),
        "meta": {"version": 2},
    }
    fields.update(changes)
    return VerdictModel(**fields)  # type: ignore[arg-type]


def conv(
    *agent: str, industry: str = "banking", metadata: dict[str, object] | None = None
) -> Conversation:
    return Conversation(
        id="c1",
        utterances=[Utterance(role="agent", text=t) for t in agent],
        industry=industry,
        metadata=metadata or {},
    )


def missing(category: str, rule: str = "t.risk.missing") -> Finding:
    return Finding("c1", category, rule, 1, "high", "未说")


def test_scores_follow_the_weights() -> None:
    m = model()
    quiet = m.scores(["您好请问有什么可以帮您"], [])
    assert quiet[RISK] == pytest.approx(1 / (1 + math.exp(3)), abs=1e-6)
    pitched = m.scores(["给您推荐一款理财"], [])
    assert pitched[RISK] > 0.5 > quiet[RISK]
    assert m.scores([], ["rule:t.fee.missing"])[FEE] == pytest.approx(
        1 / (1 + math.exp(-3)), abs=1e-6
    )
    assert m.scores([], ["rule:unknown"]) == m.scores([], [])  # an unknown token weighs nothing
    assert m.scores([], [])[FEE] == pytest.approx(quiet[FEE])


def test_round_trips_through_bytes() -> None:
    m = model()
    back = VerdictModel.from_bytes(m.to_bytes())
    assert back.categories == m.categories and back.tokens == m.tokens
    texts = ["给您推荐一款理财 三个月"]
    for category, p in m.scores(texts, ["rule:t.fee.missing"]).items():
        assert back.scores(texts, ["rule:t.fee.missing"])[category] == pytest.approx(p, abs=1e-3)
    assert back.meta["version"] == 2


def test_a_model_without_buckets_still_round_trips() -> None:
    empty = model(buckets=np.zeros(0, np.uint32), weights=np.zeros((0, 2), np.float32))
    back = VerdictModel.from_bytes(empty.to_bytes())
    assert back.buckets.shape == (0,)


@pytest.mark.parametrize(
    "header",
    [
        {"categories": "abc"},
        {"featurizer": "hashed"},
        {"tokens": None},
        {"meta": {"version": "x"}},
    ],
)
def test_refuses_a_malformed_header(header: dict[str, object]) -> None:
    import io
    import json as json_

    arrays = dict(np.load(io.BytesIO(model().to_bytes())))
    data = json_.loads(arrays["header"].tobytes()) | header
    arrays["header"] = np.frombuffer(json_.dumps(data).encode(), dtype=np.uint8)
    out = io.BytesIO()
    np.savez(out, **arrays)
    with pytest.raises(ModelFormatError):
        VerdictModel.from_bytes(out.getvalue())


@pytest.mark.parametrize(
    "changes",
    [
        {"thresholds": np.array([0.0, 0.5], np.float32)},
        {"thresholds": np.array([0.5], np.float32)},
        {"bias": np.array([np.nan, 0.0], np.float32)},
        {"categories": (RISK, RISK)},
        {"tokens": ("a",)},
        {"token_value": 0.0},
        {"meta": {"add_thresholds": {RISK: 0.4}}},
        {"meta": {"add_thresholds": {RISK: 1.0}}},
        {"meta": {"add_thresholds": {"compliance.other": 0.6}}},
        {"meta": {"add_thresholds": [0.6]}},
    ],
)
def test_refuses_an_inconsistent_model(changes: dict[str, object]) -> None:
    with pytest.raises(ModelFormatError):
        model(**changes)


def test_refuses_bytes_that_are_no_verdict_model() -> None:
    with pytest.raises(ModelFormatError, match="verdict"):
        VerdictModel.from_bytes(b"not a zip")


def test_tokens_name_findings_industry_and_metadata() -> None:
    c = conv("您好", metadata={"product": "稳利一号", "product_risk": "", "team": "x"})
    found = [missing(RISK), Finding("c1", FEE, RULE_ID_PREFIX + FEE, 1, "medium", "model")]
    assert verdict_tokens(c, found) == [
        f"cat:{RISK}",
        "industry:banking",
        "meta:product",
        "rule:t.risk.missing",
    ]


def test_a_rule_finding_without_evidence_is_set_aside_below_the_threshold() -> None:
    c = conv("您好 请问有什么可以帮您")
    out = apply_verdicts(model(), c, ["您好请问有什么可以帮您"], [], [missing(RISK)], LABELS)
    assert out == []


def test_a_finding_citing_an_utterance_is_never_set_aside() -> None:
    cited = Finding("c1", RISK, "t.risk.dismiss", 1, "high", "风险不用管", utterance_index=0)
    out = apply_verdicts(model(), conv("风险不用管"), ["风险不用管"], [], [cited], LABELS)
    assert out == [cited]


def test_the_model_adds_a_verdict_where_no_rule_found_the_category() -> None:
    out = apply_verdicts(model(), conv("给您推荐一款理财"), ["给您推荐一款理财"], [], [], LABELS)
    (verdict,) = out
    assert verdict.category == RISK and verdict.rule_id == RULE_ID_PREFIX + RISK
    assert verdict.detector == "model" and verdict.score is not None and verdict.score > 0.5
    assert verdict.utterance_index is None and verdict.rule_version == 2
    assert verdict.severity == "high" and verdict.message == "未做风险提示"


def test_a_rule_finding_above_the_threshold_stands_and_is_not_doubled() -> None:
    finding = missing(RISK)
    out = apply_verdicts(model(), conv("推荐一款理财"), ["推荐一款理财"], [], [finding], LABELS)
    assert out == [finding]


def test_findings_made_during_the_call_are_input_and_never_changed() -> None:
    """A live session's earlier findings: they are the model's input (their rule's token
    raises RISK here) and count as found (no FEE verdict beside the earlier FEE finding)."""
    weights = np.array([[40.0, 40.0], [0.0, 0.0], [0.0, 0.0]], np.float32)
    m = model(pitch_weight=0.0, token_weights=weights)
    earlier = [missing(FEE, rule="t.fee.missing")]
    out = apply_verdicts(m, conv("您好"), ["您好"], earlier, [], LABELS)
    assert [f.category for f in out] == [RISK]
    assert apply_verdicts(m, conv("您好"), ["您好"], [], [], LABELS) == []


def test_a_rule_the_model_does_not_know_is_never_set_aside() -> None:
    m = model()
    assert m.knows_rule("t.fee.missing") and not m.knows_rule("mine.risk.missing")
    own = missing(RISK, rule="mine.risk.missing")
    assert apply_verdicts(m, conv("您好"), ["您好"], [], [own], LABELS) == [own]


def test_only_a_real_product_or_risk_level_is_a_token() -> None:
    none = conv("您好", metadata={"product": "无", "product_risk": "无"})
    assert verdict_tokens(none, []) == ["industry:banking"]
    real = conv("您好", metadata={"product": "稳利一号", "product_risk": "R3"})
    assert verdict_tokens(real, []) == ["industry:banking", "meta:product", "meta:product_risk"]


def test_other_categories_pass_through() -> None:
    other = Finding("c1", "service.missing_closing", "t.closing", 1, "low", "无结束语")
    out = apply_verdicts(model(), conv("您好"), ["您好"], [], [other], LABELS)
    assert out == [other]


def test_an_addition_may_ask_for_more_than_a_set_aside() -> None:
    text = "给您推荐一款理财"
    weak = model(pitch_weight=20.0)  # P(RISK) between 0.5 and 0.95
    (p,) = [v for k, v in weak.scores([text], []).items() if k == RISK]
    assert 0.5 < p < 0.95
    assert [f.category for f in apply_verdicts(weak, conv(text), [text], [], [], LABELS)] == [RISK]
    strict = model(pitch_weight=20.0, meta={"add_thresholds": {RISK: 0.95}})
    assert strict.add_threshold(RISK) == 0.95 and strict.add_threshold(FEE) == 0.5
    assert apply_verdicts(strict, conv(text), [text], [], [], LABELS) == []
    # the set-aside threshold is unchanged: a rule's never-said finding stands
    finding = missing(RISK)
    assert apply_verdicts(strict, conv(text), [text], [], [finding], LABELS) == [finding]
    assert VerdictModel.from_bytes(strict.to_bytes()).add_threshold(RISK) == 0.95
