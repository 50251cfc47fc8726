"""The engine guards PII through the Inspector: leak policy and masked evidence."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hegui import Conversation, Finding, Inspector, Utterance
from hegui.cli.main import app
from hegui.engine.pii import LeakPolicy, MaskPolicy

READ_BACK = Conversation(
    "c",
    (
        Utterance("customer", "我的新号码是13812345678"),
        Utterance("agent", "跟您核对一下，新号码是138 1234 5678对吗？"),
    ),
    channel="chat",
    industry="banking",
)


def phone_findings(inspector: Inspector, conversation: Conversation = READ_BACK) -> list:
    return [f for f in inspector.inspect(conversation) if f.category == "privacy.phone"]


def test_agent_read_back_is_a_leak_and_the_customer_is_not() -> None:
    (finding,) = phone_findings(Inspector.build())
    assert finding.utterance_index == 1 and finding.matched == "138 1234 5678"


def test_masked_evidence_keeps_span_and_evidence_consistent() -> None:
    (finding,) = phone_findings(Inspector.build(mask=MaskPolicy.preset("partial")))
    assert "1234" not in (finding.evidence or "")
    assert finding.span is not None and finding.evidence is not None
    assert finding.evidence[finding.span[0] : finding.span[1]] == finding.matched == "138 **** 5678"


def test_leak_policy_is_configurable() -> None:
    no_phones = LeakPolicy.from_mapping({"leak_types": ["id_number", "bank_card"]})
    assert phone_findings(Inspector.build(leak_policy=no_phones)) == []


def phone_call(*turns: tuple[str, str]) -> Conversation:
    """A banking phone call of (role, text) turns."""
    utterances = tuple(Utterance(role, text) for role, text in turns)
    return Conversation("c", utterances, channel="phone", industry="banking")


def live_findings(inspector: Inspector, conversation: Conversation) -> list[Finding]:
    """What a live session emits, fed turn by turn and closed."""
    live = inspector.session(conversation)
    return [f for u in conversation.utterances for f in live.feed(u)] + live.close()


def test_number_split_across_agent_turns_is_found_and_masked() -> None:
    split = phone_call(
        ("agent", "您登记的手机是幺三八"), ("agent", "一二三四"), ("agent", "五六七八对吧")
    )
    (finding,) = phone_findings(Inspector.build(mask=MaskPolicy.preset("tag")), split)
    assert finding.utterance_index == 0 and [r[0] for r in finding.related] == [1, 2]
    assert "幺三八" not in (finding.evidence or "")
    emitted = live_findings(Inspector.build(mask=MaskPolicy.preset("tag")), split)
    assert [f.rule_id for f in emitted if f.category == "privacy.phone"] == [finding.rule_id]


def test_a_card_read_on_after_the_customer_s_yes_with_the_rest_is_is_one_leak() -> None:
    # "…卡号是六二一七 八八零八" / "嗯 对" / "后面是零零三二 五五六七 九一二": one card, batch and live.
    split = phone_call(
        ("agent", "我这边看到收款人郑一鸣 收款卡号是六二一七 八八零八"),
        ("customer", "嗯 对"),
        ("agent", "后面是零零三二 五五六七 九一二 是这个卡吧"),
    )
    inspector = Inspector.build(mask=MaskPolicy.preset("full"))
    (finding,) = [f for f in inspector.inspect(split) if f.category == "privacy.bank_card"]
    assert finding.utterance_index == 0 and [r[0] for r in finding.related] == [2]
    emitted = live_findings(inspector, split)
    assert [f.category for f in emitted].count("privacy.bank_card") == 1


def test_cli_mask_and_leak_policy(tmp_path: Path) -> None:
    calls = tmp_path / "c.jsonl"
    record = {
        "id": "c",
        "channel": "chat",
        "industry": "banking",
        "utterances": [{"role": u.role, "text": u.text} for u in READ_BACK.utterances],
    }
    calls.write_text(json.dumps(record, ensure_ascii=False) + "\n", "utf-8")
    runner = CliRunner()
    masked = runner.invoke(app, ["inspect", str(calls), "--mask", "full"])
    assert masked.exit_code == 0, masked.output
    assert "5678" not in masked.stdout
    policy = tmp_path / "leaks.yaml"
    policy.write_text("leak_types: [id_number]\n", "utf-8")
    quiet = runner.invoke(app, ["inspect", str(calls), "--leak-policy", str(policy)])
    assert "privacy.phone" not in quiet.stdout
    bad = runner.invoke(app, ["inspect", str(calls), "--mask", "hash"])
    assert bad.exit_code == 2 and "salt" in bad.output


def test_a_card_tail_in_the_next_segment_is_no_phone_of_its_own() -> None:
    # "…卡号是 六二幺七 九二零零" / "幺五三八 二零七四 六六幺 …": the second segment alone reads
    # like a mobile, but it is the rest of the card (batch and live alike).
    split = phone_call(
        ("agent", "好的 我查到了 您是从这张卡汇出去的 卡号是 六二幺七 九二零零"),
        ("agent", "幺五三八 二零七四 六六幺 汇款退回的原因是 收款人地址不完整"),
    )
    inspector = Inspector.build()
    privacy = [f.category for f in inspector.inspect(split) if f.category.startswith("privacy.")]
    assert privacy == ["privacy.bank_card"]
    emitted = live_findings(inspector, split)
    assert [f.category for f in emitted if f.category.startswith("privacy.")] == privacy
    # a mobile of its own in the next segment is still one
    two = phone_call(
        ("agent", "卡号是 六二幺七 九二零零 幺五三八 二零七四 六六幺"),
        ("agent", "手机号是 幺三八 幺二三四 五六七八"),
    )
    found = sorted(f.category for f in inspector.inspect(two) if f.category.startswith("privacy."))
    assert found == ["privacy.bank_card", "privacy.phone"]


def test_a_punctuated_number_read_over_segments_still_joins() -> None:
    for turns in (
        (("agent", "您登记的手机是幺三八。"), ("agent", "一二三四。"), ("agent", "五六七八对吧？")),
        (("agent", "您登记的手机是138。"), ("agent", "1234 5678对吧？")),
    ):
        found = [
            f
            for f in Inspector.build().inspect(phone_call(*turns))
            if f.category == "privacy.phone"
        ]
        assert len(found) == 1 and found[0].utterance_index == 0, turns


def test_a_real_phone_after_a_card_s_tail_in_the_same_segment_is_still_found() -> None:
    split = phone_call(
        ("agent", "您的卡号是 六二幺七 九二零零"),
        ("agent", "幺五三八 二零七四 六六幺 然后手机是 幺三九 八七六五 四三二一"),
    )
    inspector = Inspector.build()
    findings = [f for f in inspector.inspect(split) if f.category.startswith("privacy.")]
    found = sorted(f.category for f in findings)
    assert found == ["privacy.bank_card", "privacy.phone"]
    (phone,) = [f for f in findings if f.category == "privacy.phone"]
    assert phone.matched == "幺三九 八七六五 四三二一"  # the phone's own digits, not the card's
    emitted = live_findings(inspector, split)
    assert sorted(f.category for f in emitted if f.category.startswith("privacy.")) == found
