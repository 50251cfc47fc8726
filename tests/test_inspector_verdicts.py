"""The conversation verdict model in the Inspector: on with the industry's packs, off by
option; it decides the missing-duty categories, and live sessions agree with batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hegui.engine.model import Conversation, Utterance
from hegui.engine.textmodel.verdicts import RULE_ID_PREFIX
from hegui.formats.jsonl import LineError, read_conversations
from hegui.inspector import EngineConfig, Inspector, verdicts_on
from hegui.models import verdict_model

ROOT = Path(__file__).resolve().parents[1]
RISK = "compliance.missing_risk_disclosure"
DUTIES = (
    "compliance.missing_risk_disclosure",
    "compliance.fee_disclosure",
    "compliance.suitability",
)

PITCH = Conversation(
    id="v1",
    industry="banking",
    channel="phone",
    utterances=(
        Utterance("agent", "您好 嘉禾银行理财经理 工号六六三二"),
        Utterance("customer", "你好 我有二十万想放一下"),
        Utterance("agent", "我们这期理财 一年期 业绩比较基准百分之三点八 比定期高多了 一万起购"),
        Utterance("customer", "那行 我买十万"),
        Utterance("agent", "好的 我这边帮您下单 明天起息"),
        Utterance("customer", "好 谢谢"),
        Utterance("agent", "不客气 感谢您的来电 再见"),
    ),
)
SERVICE = Conversation(
    id="v2",
    industry="banking",
    channel="phone",
    utterances=(
        Utterance("agent", "您好 嘉禾银行客服 工号六六三二 请问有什么可以帮您"),
        Utterance("customer", "我的新卡怎么激活"),
        Utterance("agent", "您在手机银行首页点卡片管理 再点激活 按提示设置密码就可以了"),
        Utterance("customer", "好的 我试一下 谢谢"),
        Utterance("agent", "不客气 还有其他可以帮您的吗 感谢来电 再见"),
    ),
)


def duties(inspector: Inspector, conversation: Conversation) -> set[str]:
    return {f.category for f in inspector.inspect(conversation) if f.category in DUTIES}


def test_the_shipped_model_loads_small_and_knows_its_categories() -> None:
    model = verdict_model()
    assert set(model.categories) == set(DUTIES)
    assert (ROOT / "src" / "hegui" / "models" / "verdicts.npz").stat().st_size < 1024 * 1024
    assert model.meta["trained_on"] and "heldout" not in model.meta["trained_on"]


def test_on_with_the_industry_packs_and_off_by_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HEGUI_VERDICTS", raising=False)
    assert verdicts_on(EngineConfig())
    assert not verdicts_on(EngineConfig(verdicts=False))
    assert not verdicts_on(EngineConfig(packs=("banking",)))  # a named selection runs as named
    assert verdicts_on(EngineConfig(packs=("banking",), verdicts=True))
    monkeypatch.setenv("HEGUI_VERDICTS", "0")
    assert not verdicts_on(EngineConfig())
    assert Inspector.build().verdicts is None


def test_a_pitch_without_a_warning_owes_one_and_a_service_call_does_not() -> None:
    inspector = Inspector.build()
    assert RISK in duties(inspector, PITCH)
    assert duties(inspector, SERVICE) == set()


def test_a_model_verdict_reads_as_a_model_finding() -> None:
    inspector = Inspector.build()
    for conversation in sample(60):
        for f in inspector.inspect(conversation):
            if f.rule_id.startswith(RULE_ID_PREFIX):
                assert f.detector == "model" and f.score is not None and 0 < f.score <= 1
                assert f.utterance_index is None and f.evidence is None
                assert "会话判定模型" in f.message and f.category in DUTIES
                return
    pytest.fail("no model verdict in 60 development conversations")


def sample(n: int) -> list[Conversation]:
    path = ROOT / "benchmarks" / "dev11" / "compliance_dev11.jsonl"
    out = []
    for item in read_conversations(path.read_text("utf-8").splitlines()[:n], str(path)):
        assert not isinstance(item, LineError)
        out.append(item)
    return out


def test_a_live_session_ends_with_the_batch_findings() -> None:
    inspector = Inspector.build()
    for conversation in sample(40):
        live = inspector.session(conversation)
        found = [f for u in conversation.utterances for f in live.feed(u)]
        found.extend(live.close())
        key = lambda f: (f.rule_id, f.utterance_index, f.span)  # noqa: E731
        assert sorted(map(key, found), key=str) == sorted(
            map(key, inspector.inspect(conversation)), key=str
        ), conversation.id


def test_the_training_script_never_reads_the_sets_that_score_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(
        "train_verdicts", ROOT / "scripts" / "train_verdicts.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "train_verdicts", module)  # its dataclasses look it up
    spec.loader.exec_module(module)
    assert not set(module.TRAIN_SETS) & set(module.CLEAN_SETS)
    assert {"test", "dev12", "heldout"} <= set(module.CLEAN_SETS)
    for split in module.CLEAN_SETS:
        with pytest.raises(ValueError, match="never read"):
            module.conversations(split)
    assert verdict_model().meta["trained_on"] == list(module.TRAIN_SETS)
    metrics = json.loads((ROOT / "training" / "verdicts" / "metrics.json").read_text("utf-8"))
    assert metrics["thresholds"] == module.THRESHOLDS
