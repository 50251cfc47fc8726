"""LeakPolicy and MaskPolicy are pydantic models: bad configuration names the bad field;
`leaks_in` filters entities a caller already has, without scanning."""

from __future__ import annotations

import pytest

from hegui.engine.pii import (
    FullMask,
    KeepLast,
    LeakPolicy,
    MaskPolicy,
    PartialMask,
    PiiDetector,
    PiiEntity,
    PolicyError,
    SaltedHash,
    TypeTag,
    operator_from_spec,
)

DETECTOR = PiiDetector()
ID = "110105199003071239"


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"leak_types": ["nope"]}, "leak_types"),
        ({"roles": "agent"}, "roles"),
        ({"roles": ["agnet"]}, "roles"),
        ({"colour": 1}, "colour"),
        ({"min_score": "high"}, "min_score"),
        ({"min_score": 2}, "min_score"),
        ({"max_visible_digits": {"bank_card": -1}}, "max_visible_digits.bank_card"),
        ({"max_visible_digits": {"shoe": 4}}, "max_visible_digits.shoe"),
    ],
)
def test_bad_leak_policy_names_the_field(config: dict[str, object], field: str) -> None:
    with pytest.raises(PolicyError, match=f"invalid leak policy: .*{field}"):
        LeakPolicy.from_mapping(config)


def test_leak_policy_errors_are_value_errors_in_chinese_and_english() -> None:
    with pytest.raises(ValueError) as caught:
        LeakPolicy.from_mapping({"min_score": "high"})
    assert str(caught.value).startswith("泄露策略无效 invalid leak policy")


def test_leaks_in_filters_what_a_caller_already_scanned() -> None:
    policy = LeakPolicy.from_mapping({"max_visible_digits": {"bank_card": 4}})
    text = f"您的身份证号是{ID}，卡号尾号123456"
    entities, masked = DETECTOR.scan(text), DETECTOR.scan_masked(text)
    assert policy.wants_masked
    assert policy.leaks_in(entities, "agent", masked) == policy.leaks(DETECTOR, text, "agent")
    assert [e.text for e in policy.leaks_in(entities, "agent", masked)] == [ID, "尾号123456"]
    assert policy.leaks_in(entities, "customer", masked) == []
    made_up = [PiiEntity("email", 0, 2, "好的", 0.9)]  # no scan: what is given is judged
    assert policy.leaks_in(made_up, "bot") == made_up
    assert not LeakPolicy().wants_masked


def test_exempt_numbers_compare_after_normalisation() -> None:
    policy = LeakPolicy(exempt=frozenset({"010-6234 5678"}))
    assert policy.leaks(DETECTOR, "电话01062345678", "agent") == []
    assert LeakPolicy.from_mapping({"exempt": ["01062345678"]}) == LeakPolicy(
        exempt=frozenset({"010 62345678"})
    )


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"types": {"nope": "tag"}}, "types.nope"),
        ({"default": "shred"}, "default"),
        ({"default": {"op": "partial", "first": -1}}, "default.partial.first"),
        ({"default": {"op": "keep_last", "n": "four"}}, "default.keep_last.n"),
        ({"default": {"op": "full", "char": "**"}}, "default.full.char"),
        ({"default": {"op": "tag", "template": "{name}"}}, "default.tag.template"),
        ({"types": {"phone": "hash"}}, "types.phone.hash.salt"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_mask_policy_names_the_field(config: dict[str, object], field: str) -> None:
    with pytest.raises(PolicyError, match=f"invalid mask policy: .*{field}"):
        MaskPolicy.from_mapping(config)


def test_mask_policy_from_mapping_with_a_salt() -> None:
    policy = MaskPolicy.from_mapping(
        {
            "default": "full",
            "salt": "s",
            "types": {"phone": "hash", "bank_card": {"op": "keep_last"}},
        }
    )
    assert policy == MaskPolicy(FullMask(), {"phone": SaltedHash("s"), "bank_card": KeepLast(4)})
    assert MaskPolicy.from_mapping({"types": {"id_number": "fpe"}}, salt="k").operator_for(
        "id_number"
    ) == operator_from_spec({"op": "fpe", "key": "k"})


def test_operators_build_positionally_and_by_keyword() -> None:
    assert PartialMask(3, 4) == PartialMask(first=3, last=4)
    assert TypeTag("<{type}>") == TypeTag(template="<{type}>")
    assert MaskPolicy().operator_for("phone") == TypeTag()
    with pytest.raises(PolicyError, match="mask operator"):
        operator_from_spec({"op": "hash"})
    with pytest.raises(PolicyError, match="unknown mask preset"):
        MaskPolicy.preset("shred")
