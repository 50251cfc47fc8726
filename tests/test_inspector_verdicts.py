"""The conversation verdict model in the Inspector: on with the industry's packs, off by
option; it decides the missing-duty categories, and live sessions agree with batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hegui.engine.model import Conversation, Utterance
from hegui.engine.textmodel.verdicts import RULE_ID_PREFIX, verdict_tokens
from hegui.formats.jsonl import LineError, read_conversations
from hegui.inspector import EngineConfig, Inspector, verdicts_on
from hegui.models import verdict_model

ROOT = Path(__file__).resolve().parents[1]
RISK = "compliance.missing_risk_disclosure"
# The shipped model's categories; suitability left it in round 14 (scripts/train_verdicts.py).
DUTIES = (
    "compliance.missing_risk_disclosure",
    "compliance.fee_disclosure",
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
    # the shipped model's own reading, not only the rules': it hears the pitch's duty
    assert inspector.verdicts is not None
    model = inspector.verdicts.model
    for conversation, owed in ((PITCH, True), (SERVICE, False)):
        run = inspector.rule_run(conversation)
        text = [u.norm.text for u in run.session.history if u.utterance.role == "agent"]
        tokens = verdict_tokens(conversation, [*run.during, *run.at_close])
        assert (model.scores(text, tokens)[RISK] >= model.threshold(RISK)) is owed


OWN_RULE = """\
pack: mine
industries: [banking]
rules:
  - id: mine.disclosure.dingtou
    category: compliance.missing_risk_disclosure
    message: 定投未提示风险
    after: {keywords: [定投]}
    must_say: {keywords: [不能规避风险]}
    examples:
      match: [您可以开通定投 每月自动扣款]
      no_match: [定投不能规避风险 您了解一下]
"""


def test_a_users_own_rule_is_never_overruled(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(OWN_RULE, "utf-8")
    inspector = Inspector.build(rules_dirs=(tmp_path,))
    assert inspector.verdicts is not None
    conversation = Conversation(
        id="own",
        industry="banking",
        utterances=(
            Utterance("agent", "您好 嘉禾银行 工号六六三二"),
            Utterance("agent", "您可以开通定投 每月自动扣款"),
            Utterance("customer", "好的 谢谢"),
        ),
    )
    rules = {f.rule_id for f in inspector.inspect(conversation)}
    assert "mine.disclosure.dingtou" in rules
    assert not inspector.verdicts.model.knows_rule("mine.disclosure.dingtou")


def test_a_second_close_makes_no_findings() -> None:
    inspector = Inspector.build()
    live = inspector.session(PITCH)
    for u in PITCH.utterances:
        live.feed(u)
    assert any(f.category in DUTIES for f in live.close())
    assert live.close() == []


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
    assert {"test", "dev18", "heldout"} <= set(module.CLEAN_SETS)
    for split in module.CLEAN_SETS:
        with pytest.raises(ValueError, match="never read"):
            module.conversations(split)
    # the first set's file holds dev and test rows: only the dev ones are read
    dev = module.conversations("dev")
    assert dev and all(c.extra["split"] == "dev" for c, _ in dev)
    test_ids = set()
    for path in (ROOT / "benchmarks" / "eval").glob("compliance*.jsonl"):
        for line in path.read_text("utf-8").splitlines():
            if line.strip() and json.loads(line).get("split") == "test":
                test_ids.add(json.loads(line)["id"])
    assert test_ids and not test_ids & {c.id for c, _ in dev}
    assert verdict_model().meta["trained_on"] == list(module.TRAIN_SETS)
    metrics = json.loads((ROOT / "training" / "verdicts" / "metrics.json").read_text("utf-8"))
    assert metrics["thresholds"] == module.THRESHOLDS


def test_an_unknown_industry_is_a_clear_error() -> None:
    from hegui.errors import Invalid

    odd = Conversation(id="x", industry="shipping", utterances=(Utterance("agent", "您好"),))
    with pytest.raises(Invalid, match="unknown industry"):
        Inspector.build().inspect(odd)


def test_metadata_none_reads_as_empty() -> None:
    plain = Conversation(id="m", industry="banking", utterances=PITCH.utterances, metadata=None)  # type: ignore[arg-type]
    assert plain.metadata == {}
    assert RISK in duties(Inspector.build(), plain)
