"""Whisper prompts: a text for every taxonomy category, short; when each is due."""

from __future__ import annotations

import re

import pytest

from hegui.engine.model import Finding, Obligation
from hegui.packs import taxonomy
from hegui.services.live.whispers import (
    FALLBACK,
    FINDING,
    LAST_CHANCE,
    OWED,
    WHISPERS,
    Prompt,
    WhisperPolicy,
)

HAN = re.compile(r"[\u4e00-\u9fff]")


def owed(rule: str = "s.risk", since: int = 1, turns_left: int | None = 5) -> Obligation:
    return Obligation(rule, "compliance.missing_risk_disclosure", "high", "m", since, turns_left)


def found(category: str, index: int, rule: str = "r.x", severity: str = "high") -> Finding:
    return Finding("c1", category, rule, 1, severity, "m", index, "agent", (0, 2), "ev")


@pytest.mark.parametrize("category", list(taxonomy()))
def test_every_taxonomy_category_has_a_short_bilingual_whisper(category: str) -> None:
    prompt = WHISPERS[category]
    assert HAN.search(prompt.zh) and not HAN.search(prompt.en)
    # An agent's screen: a glance, not a paragraph.
    assert len(prompt.zh) <= 14 and len(prompt.en) <= 36, prompt
    assert prompt.text().startswith(prompt.zh)


def test_the_table_names_no_category_outside_the_taxonomy() -> None:
    assert set(WHISPERS) == set(taxonomy())


def test_the_prompts_the_issue_names() -> None:
    assert WHISPERS["compliance.missing_risk_disclosure"].zh == "请进行风险提示"
    assert WHISPERS["privacy.credential_request"].zh == "请勿索要验证码/密码"
    assert WHISPERS["compliance.guarantee_return"].zh.startswith("请勿承诺收益")
    assert WHISPERS["privacy.private_channel"].zh == "请勿引导添加私人联系方式"


def test_an_obligation_is_whispered_once_when_it_opens_and_once_at_its_last_turn() -> None:
    policy = WhisperPolicy()
    [first] = policy.after_feed([], [owed(turns_left=3)])
    assert (first.reason, first.text) == (OWED, "请进行风险提示 / Give the risk disclosure")
    assert policy.after_feed([], [owed(turns_left=2)]) == []
    [last] = policy.after_feed([], [owed(turns_left=1)])
    assert last.reason == LAST_CHANCE and last.text.startswith("最后提醒：请进行风险提示")
    assert policy.after_feed([], [owed(turns_left=1)]) == []


def test_an_obligation_without_a_turn_limit_is_whispered_once() -> None:
    policy = WhisperPolicy()
    assert len(policy.after_feed([], [owed(turns_left=None)])) == 1
    for _ in range(5):
        assert policy.after_feed([], [owed(turns_left=None)]) == []


def test_an_obligation_opened_at_its_last_turn_gets_one_whisper() -> None:
    policy = WhisperPolicy()
    [only] = policy.after_feed([], [owed(turns_left=1)])
    assert only.reason == LAST_CHANCE
    assert policy.after_feed([], [owed(turns_left=1)]) == []


def test_a_reopened_obligation_is_whispered_again() -> None:
    policy = WhisperPolicy()
    assert len(policy.after_feed([], [owed(since=1)])) == 1
    assert len(policy.after_feed([], [owed(since=9)])) == 1


def test_two_rules_owing_one_category_prompt_once() -> None:
    [whisper] = WhisperPolicy().after_feed([], [owed("a.level"), owed("b.warning")])
    assert whisper.rule_id == "a.level"


def test_findings_whisper_once_per_category_and_utterance() -> None:
    policy = WhisperPolicy()
    credential = "privacy.credential_request"
    whispers = policy.after_feed([found(credential, 3, "r.sms"), found(credential, 3, "r.pw")], [])
    assert [(w.rule_id, w.reason) for w in whispers] == [("r.sms", FINDING)]
    assert whispers[0].to_message() == {
        "type": "whisper",
        "text": "请勿索要验证码/密码 / Never ask for codes or passwords",
        "rule_id": "r.sms",
        "severity": "high",
        "category": credential,
        "reason": FINDING,
    }
    assert len(policy.after_feed([found(credential, 4)], [])) == 1


def test_findings_come_before_obligations() -> None:
    whispers = WhisperPolicy().after_feed([found("compliance.guarantee_return", 2)], [owed()])
    assert [w.reason for w in whispers] == [FINDING, OWED]


def test_a_finding_about_something_missing_gets_no_whisper() -> None:
    missing = Finding("c1", "service.missing_greeting", "r.g", 1, "low", "m")
    assert WhisperPolicy().after_feed([missing], []) == []


def test_a_rule_may_have_its_own_text() -> None:
    policy = WhisperPolicy({"r.sms": Prompt("切勿索要短信验证码", "Never ask for the SMS code")})
    [own] = policy.after_feed([found("privacy.credential_request", 0, "r.sms")], [])
    assert own.text == "切勿索要短信验证码 / Never ask for the SMS code"
    [other] = policy.after_feed([found("privacy.credential_request", 1, "r.pw")], [])
    assert other.text.startswith("请勿索要验证码")


def test_an_unknown_category_still_gets_a_prompt() -> None:
    [whisper] = WhisperPolicy().after_feed([found("custom.new_thing", 0)], [])
    assert whisper.text == FALLBACK.text()
