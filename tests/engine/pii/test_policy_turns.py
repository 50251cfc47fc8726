"""LeakPolicy decisions and entities split across consecutive turns."""

from __future__ import annotations

import pytest

from hegui.engine.pii import LeakPolicy, PiiDetector, scan_turns

DETECTOR = PiiDetector()
ID = "110105199003071239"


def test_agent_reading_an_id_back_is_a_leak_but_the_customer_stating_it_is_not() -> None:
    policy = LeakPolicy()
    text = f"您的身份证号是{ID}对吧"
    assert [e.text for e in policy.leaks(DETECTOR, text, "agent")] == [ID]
    assert policy.leaks(DETECTOR, text, "customer") == []


def test_masked_forms_never_leak_by_default() -> None:
    assert LeakPolicy().leaks(DETECTOR, "您尾号123456的卡", "agent") == []


def test_institution_allows_only_last_four_digits() -> None:
    policy = LeakPolicy.from_mapping({"max_visible_digits": {"bank_card": 4, "phone": 7}})
    assert policy.leaks(DETECTOR, "您尾号1234的卡", "agent") == []
    assert [e.text for e in policy.leaks(DETECTOR, "您卡号尾号123456", "agent")] == ["尾号123456"]
    assert policy.leaks(DETECTOR, "手机138****5678", "agent") == []


def test_policy_restricts_types_roles_and_exempts_public_numbers() -> None:
    policy = LeakPolicy.from_mapping(
        {"leak_types": ["id_number"], "roles": ["agent"], "exempt": ["010 6234 5678"]}
    )
    assert policy.leaks(DETECTOR, "手机13812345678", "agent") == []
    assert policy.leaks(DETECTOR, f"身份证{ID}", "bot") == []
    assert (
        LeakPolicy(exempt=frozenset({"01062345678"})).leaks(DETECTOR, "电话010-62345678", "agent")
        == []
    )


@pytest.mark.parametrize(
    "config",
    [{"leak_types": ["nope"]}, {"roles": "agent"}, {"colour": 1}, {"min_score": "high"}],
)
def test_bad_policy_config_is_rejected(config: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        LeakPolicy.from_mapping(config)


def test_detector_rejects_unknown_types() -> None:
    with pytest.raises(ValueError):
        PiiDetector(["phone", "shoe_size"])


def test_detector_restricted_to_types() -> None:
    text = f"手机13812345678，身份证{ID}"
    assert [e.type for e in PiiDetector(["phone"]).scan(text)] == ["phone"]


def test_number_split_across_three_turns_is_found_when_joined() -> None:
    parts = ["我的号码是幺三八", "一二三四", "五六七八"]
    [entity] = DETECTOR.scan("".join(parts))
    assert (entity.type, entity.text) == ("phone", "幺三八一二三四五六七八")
    assert entity.start == len("我的号码是")


def test_scan_turns_splits_a_cross_turn_entity_into_pieces() -> None:
    turns = [
        ("customer", "我的号码是幺三八"),
        ("customer", "一二三四"),
        ("customer", "五六七八"),
        ("agent", "好的"),
    ]
    found = scan_turns(DETECTOR, turns)
    assert [[(e.type, e.text) for e in f] for f in found] == [
        [("phone", "幺三八")],
        [("phone", "一二三四")],
        [("phone", "五六七八")],
        [],
    ]


def test_scan_turns_does_not_join_different_speakers() -> None:
    turns = [("customer", "幺三八一二三四"), ("agent", "五六七八")]
    assert scan_turns(DETECTOR, turns) == [[], []]


def test_scan_turns_keeps_single_turn_entities() -> None:
    turns = [("customer", "手机13812345678"), ("customer", "对")]
    assert [[e.text for e in f] for f in scan_turns(DETECTOR, turns)] == [["13812345678"], []]
